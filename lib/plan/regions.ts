/**
 * The region of a resource instance in a plan. The plan names a resource's provider
 * (`registry.terraform.io/hashicorp/aws`) but not the configuration it uses, so the region is
 * read, in this order, from:
 * 1. the instance's own `region` argument (the AWS provider 6.x has one on every resource);
 * 2. a known ARN of the instance (`arn:aws:kms:eu-west-1:...`), for a resource already in state;
 * 3. the `region` of the provider configuration its block uses (`provider_config_key`): a
 *    constant, or a variable the plan gives a value.
 * Anything else (a region from a local value, or from the environment for a provider block
 * without one) is not in the plan: the region is then unknown, and said to be.
 */
import { isAwsRegion } from "../regions";
import { moduleOf, ROOT_MODULE } from "./addresses";
import type { Instance, PlanIndex } from "./plan-index";
import { singleTarget } from "./references";
import { isBlockList } from "./types";

export function regionOf(index: PlanIndex, instance: Instance): string | undefined {
  const own = instance.values.region;
  if (typeof own === "string" && isAwsRegion(own)) return own;
  const arn = instance.values.arn;
  const fromArn =
    typeof arn === "string" ? /^arn:aws[\w-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):/.exec(arn)?.[1] : undefined;
  if (fromArn && isAwsRegion(fromArn)) return fromArn;
  const key = instance.config?.provider_config_key;
  return key === undefined ? undefined : providerRegion(index, key);
}

/** The region a provider configuration sets, when the plan tells it. */
export function providerRegion(index: PlanIndex, key: string): string | undefined {
  const provider = index.providerConfig(key);
  const expression = provider?.expressions?.region;
  if (!provider || expression === undefined || isBlockList(expression)) return undefined;
  const module = provider.module_address ? moduleOf(provider.module_address) : ROOT_MODULE;
  const target = singleTarget(index, expression, module);
  return target?.kind === "value" && typeof target.value === "string" && isAwsRegion(target.value)
    ? target.value
    : undefined;
}

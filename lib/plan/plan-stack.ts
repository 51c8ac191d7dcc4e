/**
 * A Terraform plan as a stack the rule pack and the access evaluator read: the JSON shape of
 * a synthesized cdktf stack (`resource.<type>.<name>`, `data.<type>.<name>`, `provider.aws[]`),
 * built from `terraform show -json` of any plan.
 *
 * - Every resource and data source instance the plan will have after apply is an element;
 *   resources the plan deletes are not. Its Terraform address (`module.keys["orders"].aws_kms_key.this`,
 *   `aws_kms_alias.extra[0]`) is in its `//` metadata, which `StackView` uses as its address.
 * - Arguments are the planned values, with references where the configuration has them
 *   (arguments.ts); an argument known only after apply that is not a plain reference is a
 *   token and is listed in `unknowns`.
 * - Each element's provider is `aws.<region with _>` with a provider block for that region
 *   (regions.ts), the project's convention; an element whose region the plan does not tell has
 *   none, and is listed in `unknownRegions`.
 */
import type { Json } from "../json";
import { providerAlias } from "../regions";
import { ArgumentReader, type UnknownArgument } from "./arguments";
import { type Instance, PlanIndex } from "./plan-index";
import { regionOf } from "./regions";
import type { TerraformPlan } from "./types";

export interface PlanStackOptions {
  /** The stack's name in reports. @default "plan" */
  readonly name?: string;
}

export interface PlanStack {
  /** The stack JSON for `new StackView(json)`, `checkTerraformJson(json)` or `AccessEvaluator.of(json)`. */
  readonly json: Json;
  /** Every element's Terraform address, in the plan's order. */
  readonly addresses: readonly string[];
  /** Arguments known only after apply that the rules cannot read. */
  readonly unknowns: readonly UnknownArgument[];
  /** AWS resources whose region the plan does not tell. */
  readonly unknownRegions: readonly string[];
  /** The account of `data.aws_caller_identity`, when the plan reads exactly one. */
  readonly accountId?: string;
}

export function planAsStack(plan: TerraformPlan, options: PlanStackOptions = {}): PlanStack {
  const index = new PlanIndex(plan);
  const reader = new ArgumentReader(index);
  const json: { [kind: string]: Json } = {
    "//": { metadata: { stackName: options.name ?? "plan", source: "terraform show -json" } },
  };
  const regions = new Set<string>();
  const unknownRegions: string[] = [];
  const names = new Map<string, number>();
  for (const instance of index.instances) {
    const kind = instance.mode === "data" ? "data" : "resource";
    const config: Json = reader.argumentsOf(instance);
    if (isAws(instance)) {
      const region = regionOf(index, instance);
      if (region) {
        regions.add(region);
        config.provider = `aws.${providerAlias(region)}`;
      } else if (kind === "resource") {
        unknownRegions.push(instance.address);
      }
    }
    config["//"] = { metadata: { address: instance.address } };
    json[kind] ??= {};
    json[kind][instance.type] ??= {};
    const byType = json[kind][instance.type] as Json;
    byType[uniqueName(instance, names)] = config;
  }
  if (regions.size > 0)
    json.provider = { aws: [...regions].map((region) => ({ alias: providerAlias(region), region })) } as Json;
  return {
    json,
    addresses: index.instances.map((instance) => instance.address),
    unknowns: reader.unknowns,
    unknownRegions,
    accountId: callerAccount(index),
  };
}

function isAws(instance: Instance): boolean {
  return instance.type.startsWith("aws_");
}

/**
 * The element's key under its type: the Terraform name for a root-module resource without
 * count or for_each (so the seed's stack reads as cdktf's), else its address without the type.
 */
function uniqueName(instance: Instance, taken: Map<string, number>): string {
  const base =
    instance.module.address === "" && instance.index === undefined
      ? instance.name
      : instance.address.replace(`${instance.mode === "data" ? "data." : ""}${instance.type}.`, "");
  const key = `${instance.type} ${base}`;
  const seen = taken.get(key) ?? 0;
  taken.set(key, seen + 1);
  return seen === 0 ? base : `${base}#${seen}`;
}

function callerAccount(index: PlanIndex): string | undefined {
  const accounts = new Set(
    index.instances
      .filter((instance) => instance.mode === "data" && instance.type === "aws_caller_identity")
      .map((instance) => instance.values.account_id)
      .filter((id): id is string => typeof id === "string" && /^\d{12}$/.test(id)),
  );
  return accounts.size === 1 ? [...accounts][0] : undefined;
}

/**
 * What the HCL writer and the rule pack read of a stack beside its Terraform JSON: its
 * elements in cdktf's order, the address of each data source and resource, and tokens resolved
 * as `stack.toTerraform()` resolves them for `cdk.tf.json`.
 */
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformElement,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from "cdktf";
import type { IConstruct } from "constructs";

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves every token in `value`, as `stack.toTerraform()` does. */
export function resolveTokens<T>(stack: TerraformStack, value: T): T {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
}

/**
 * The elements under a construct (resources, data sources, providers, outputs, ...), depth
 * first in construct order, not descending into nested stacks: cdktf's own traversal.
 */
export function stackElements(scope: IConstruct): TerraformElement[] {
  return scope.node.children.flatMap((child) => {
    if (TerraformStack.isStack(child)) return [];
    const own = TerraformElement.isTerraformElement(child) ? [child] : [];
    return [...own, ...stackElements(child)];
  });
}

/** `[kind, type, name]` of a data source or resource, e.g. `["resource", "aws_kms_key", "primary"]`. */
export type Address = readonly ["data" | "resource", string, string];

/** Where a data source or resource sits in its stack's JSON; undefined for any other construct. */
export function addressOf(construct: IConstruct): Address | undefined {
  if (TerraformDataSource.isTerraformDataSource(construct)) {
    return ["data", construct.terraformResourceType, construct.friendlyUniqueId];
  }
  if (TerraformResource.isTerraformResource(construct)) {
    return ["resource", construct.terraformResourceType, construct.friendlyUniqueId];
  }
  return undefined;
}

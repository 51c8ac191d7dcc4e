/**
 * A stack's Terraform JSON (what cdktf writes to `cdk.tf.json`), made with each token resolved
 * once.
 *
 * cdktf's `TerraformStack.toTerraform()` resolves the JSON of every element of the stack,
 * merges them with the stack's overrides (`addOverride`), and then resolves the merged whole a
 * second time, only for the tokens an override may hold. On a stack of 100 keys in 33 regions
 * that second pass is a tenth of the synth. `toTerraformResolvingOnce` makes the same JSON
 * (the same keys, values and order) and resolves the overrides on their own instead. When an
 * override holds a token, merging it before or after resolving it could differ, so it gives
 * way to cdktf's own.
 *
 * It follows cdktf 0.21.0, the last release of cdktf, which package.json pins.
 * __tests__/stack-json.test.ts compares the two on every stack of the app.
 */
import { isDeepStrictEqual } from "node:util";
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from "cdktf";
// The merge cdktf's toTerraform uses, so that both merge alike (not exported from cdktf's root).
import { deepMerge } from "cdktf/lib/util";
import { IConstruct } from "constructs";
import { Json } from "./json";

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

/**
 * `stack.toTerraform()` with each token resolved once, or undefined when a stack override holds
 * a token (call cdktf's own then). Call it from an override of `toTerraform`.
 */
export function toTerraformResolvingOnce(stack: TerraformStack): Json | undefined {
  // cdktf keeps the overrides in a private field; this is where toTerraform reads them.
  const overrides = (stack as unknown as { rawOverrides: Json }).rawOverrides;
  if (!isDeepStrictEqual(resolveTokens(stack, overrides), overrides)) return undefined;

  const elements = stackElements(stack);
  const metadata: Json = {
    version: stack.node.tryGetContext("cdktfVersion"),
    stackName: stack.node.id,
    backend: "local",
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  for (const element of elements) deepMerge(metadata, resolveTokens(stack, element.toMetadata()));
  const outputs: Json = {};
  for (const element of elements) {
    if (TerraformOutput.isTerraformOutput(element)) {
      deepMerge(outputs, nestedUnder(element.node.path.split("/"), element.friendlyUniqueId));
    }
  }
  // Resolved as cdktf's last pass would: it drops keys whose value is undefined (`cloud`).
  const terraform: Json = { "//": resolveTokens(stack, { metadata, outputs }) };
  for (const element of elements) deepMerge(terraform, resolveTokens(stack, element.toTerraform()));
  deepMerge(terraform, overrides);
  return terraform;
}

/** `{ a: { b: { c: value } } }` for the path `a/b/c`. */
function nestedUnder(path: readonly string[], value: unknown): Json {
  return path.reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Json;
}

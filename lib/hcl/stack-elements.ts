/**
 * The elements of a stack (resources, data sources, providers, outputs, ...) in construct
 * order, with cdktf's HCL view of each.
 */
import { TerraformStack, Tokenization } from "cdktf";
import { resolveTokens, stackElements } from "../stack-json";

/**
 * One element's `toHclTerraform()`: its JSON with each argument of a provider class wrapped as
 * `{ value, isBlock, type, storageClassType }` (`is_block` for providers). It is not resolved:
 * values may still be tokens; `tokenResolver` resolves the ones a reader needs.
 */
export type HclFragment = { readonly [key: string]: unknown };

/** The HCL fragments of the stack's elements, depth first in construct order. */
export function hclFragments(stack: TerraformStack): HclFragment[] {
  return stackElements(stack).map((element) => element.toHclTerraform());
}

/**
 * Resolves a value of a fragment if it is a token, as `stack.toTerraform()` would, else
 * returns it as it is. Resolving only the values read (the nested blocks, for their block
 * flags) instead of whole fragments saves most of the renderer's time on a large stack.
 */
export function tokenResolver(stack: TerraformStack): (value: unknown) => unknown {
  return (value) => (Tokenization.isResolvable(value) ? resolveTokens(stack, value) : value);
}

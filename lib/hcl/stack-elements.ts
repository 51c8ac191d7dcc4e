/**
 * The elements of a stack (resources, data sources, providers, outputs, ...) in construct
 * order, with cdktf's HCL view of each.
 */
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";

/**
 * One element's `toHclTerraform()`, resolved: its JSON with each argument of a provider class
 * wrapped as `{ value, isBlock, type, storageClassType }` (`is_block` for providers).
 */
export type HclFragment = { readonly [key: string]: unknown };

/** The HCL fragments of the stack's elements, depth first in construct order. */
export function hclFragments(stack: TerraformStack): HclFragment[] {
  const resolver = new DefaultTokenResolver(new StringConcat());
  return stackElements(stack).map((element) =>
    Tokenization.resolve(element.toHclTerraform(), { scope: stack, preparing: false, resolver })
  );
}

/** Elements under a construct, not descending into nested stacks (cdktf's own traversal). */
function stackElements(scope: IConstruct): TerraformElement[] {
  return scope.node.children.flatMap((child) => {
    if (TerraformStack.isStack(child)) return [];
    const own = TerraformElement.isTerraformElement(child) ? [child] : [];
    return [...own, ...stackElements(child)];
  });
}

/**
 * The elements of a stack (resources, data sources, providers, outputs, ...) in construct
 * order, as the renderer reads them: the address of each data source and resource, and cdktf's
 * HCL view of the elements that the nested block types are read from.
 */
import { type TerraformStack, Tokenization } from "cdktf";
import { entriesOf, isObject, type JsonObject, type JsonValue } from "../json";
import { type Address, addressOf, resolveTokens, stackElements } from "../stack-json";
import { commentOf } from "./comments";

/**
 * One element's `toHclTerraform()`: its JSON with each argument of a provider class wrapped as
 * `{ value, isBlock, type, storageClassType }` (`is_block` for providers). It is not resolved:
 * values may still be tokens; `tokenResolver` resolves the ones a reader needs.
 */
export type HclFragment = { readonly [key: string]: unknown };

export type { Address } from "../stack-json";

/** What the renderer reads from a stack's elements. */
export interface StackElements {
  /** The data sources and resources, in construct order. */
  readonly addresses: Address[];
  /** The HCL fragments that show every nested block type of the stack. */
  readonly fragments: HclFragment[];
  /** The comment above each block that has one (comments.ts), by address (`resource.aws_kms_key.primary`). */
  readonly comments: Map<string, string>;
}

/**
 * The addresses of a stack's data sources and resources, depth first in construct order, and
 * the HCL fragments its nested block types are read from (provider-schema.ts).
 *
 * Whether an argument is a nested block depends on the element's class and on where the
 * argument sits, so two elements of one type whose JSON in `config` has the same shape (the
 * same keys, nested alike) have the same nested blocks: one fragment stands for them all. On a
 * stack of thousands of keys, making every element's fragment took a twentieth of the synth.
 */
export function readStackElements(stack: TerraformStack, config: JsonObject): StackElements {
  const addresses: Address[] = [];
  const fragments: HclFragment[] = [];
  const comments = new Map<string, string>();
  const shapesSeen = new Set<string>();
  for (const element of stackElements(stack)) {
    const address = addressOf(element);
    if (!address) {
      // Providers, outputs, remote state and the like: few, and read as they are.
      const fragment = element.toHclTerraform();
      addresses.push(...addressesIn(fragment));
      fragments.push(fragment);
      continue;
    }
    addresses.push(address);
    const comment = commentOf(element);
    if (comment !== undefined) comments.set(address.join("."), comment);
    const [kind, type, name] = address;
    const shape = `${kind}.${type} ${shapeOf(entryOf(config, kind, type, name))}`;
    if (shapesSeen.has(shape)) continue;
    shapesSeen.add(shape);
    fragments.push(element.toHclTerraform());
  }
  return { addresses, fragments, comments };
}

/**
 * Resolves a value of a fragment if it is a token, as `stack.toTerraform()` would, else
 * returns it as it is. Resolving only the values read (the nested blocks, for their block
 * flags) instead of whole fragments saves most of the renderer's time on a large stack.
 */
export function tokenResolver(stack: TerraformStack): (value: unknown) => unknown {
  return (value) => (Tokenization.isResolvable(value) ? resolveTokens(stack, value) : value);
}

/** The data sources and resources a JSON object (a fragment, the stack's JSON) declares. */
export function addressesIn(config: { readonly [key: string]: unknown }): Address[] {
  return (["data", "resource"] as const).flatMap((kind) =>
    entriesOf(config[kind]).flatMap(([type, byName]) => entriesOf(byName).map(([name]): Address => [kind, type, name])),
  );
}

function entryOf(config: JsonObject, kind: string, type: string, name: string): JsonValue | undefined {
  const byType = config[kind];
  const byName = isObject(byType) ? byType[type] : undefined;
  return isObject(byName) ? byName[name] : undefined;
}

/** The keys of a JSON value and of everything in it, without the values: `{"a":[{"b":}]}`. */
function shapeOf(value: JsonValue | undefined): string {
  if (Array.isArray(value)) return `[${value.map(shapeOf).join(",")}]`;
  if (isObject(value))
    return `{${Object.entries(value)
      .map(([key, inner]) => `${JSON.stringify(key)}:${shapeOf(inner)}`)
      .join(",")}}`;
  return "";
}

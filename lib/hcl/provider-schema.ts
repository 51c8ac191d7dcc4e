/**
 * Which keys of a provider's resources, data sources and provider configurations are nested
 * blocks, read from the `isBlock` flags cdktf's generated classes attach in their HCL view
 * (`synthesizeHclAttributes`). Plain JSON cannot tell a map argument (`tags = {...}`) from a
 * nested block (`versioning_configuration {...}`); these flags come from the provider schema
 * the classes were generated from.
 */
import { entriesOf, isObject, listOf, valuesOf } from "../json";
import { type BlockTypes, mergeBlocks } from "./blocks";
import type { HclFragment } from "./stack-elements";

/** Nested block types of each resource, data source and provider type used in a stack. */
export interface ProviderSchemas {
  readonly resource: { [type: string]: BlockTypes };
  readonly data: { [type: string]: BlockTypes };
  readonly provider: { [type: string]: BlockTypes };
}

/**
 * Collects the nested block types of every element, merged per type. `resolve` turns a value
 * that is still a token into what it stands for (stack-elements.ts `tokenResolver`).
 */
export function providerSchemas(
  fragments: readonly HclFragment[],
  resolve: Resolve = (value) => value,
): ProviderSchemas {
  const schemas: ProviderSchemas = { resource: {}, data: {}, provider: {} };
  const addTypes = (byType: { [type: string]: BlockTypes }, type: string, attributes: unknown) => {
    byType[type] = mergeBlocks(byType[type], nestedBlockTypes(attributes, resolve));
  };
  for (const fragment of fragments) {
    for (const kind of ["resource", "data"] as const) {
      for (const [type, byName] of entriesOf(resolve(fragment[kind]))) {
        for (const attributes of valuesOf(resolve(byName))) addTypes(schemas[kind], type, attributes);
      }
    }
    for (const [type, configurations] of entriesOf(resolve(fragment.provider))) {
      for (const attributes of listOf(resolve(configurations))) addTypes(schemas.provider, type, attributes);
    }
  }
  return schemas;
}

type Resolve = (value: unknown) => unknown;

function nestedBlockTypes(attributes: unknown, resolve: Resolve): BlockTypes {
  let types: BlockTypes = {};
  for (const [name, argument] of entriesOf(resolve(attributes))) {
    const flags = resolve(argument);
    if (!isBlockArgument(flags)) continue;
    const inner = listOf(resolve(flags.value)).reduce<BlockTypes>(
      (merged, body) => mergeBlocks(merged, nestedBlockTypes(body, resolve)),
      {},
    );
    types = mergeBlocks(types, { [name]: { blocks: inner } });
  }
  return types;
}

function isBlockArgument(argument: unknown): argument is { value: unknown } {
  return isObject(argument) && (argument.isBlock === true || argument.is_block === true);
}

/**
 * The HCL of a whole stack, written from the JSON cdktf synthesizes for it.
 *
 * Values come from the stack's JSON (`stack.toTerraform()`, the same object cdktf writes to
 * `cdk.tf.json`, overrides included), so the HCL says exactly what the JSON says. Which keys
 * are nested blocks comes from cdktf's HCL view of each element (see provider-schema.ts) and
 * from the Terraform language (see terraform-language.ts).
 *
 * Top-level order, the same for every stack, so the same stack always renders the same bytes:
 *  1. the `terraform` block;
 *  2. `provider` blocks, in the JSON's order;
 *  3. `variable` blocks, then one `locals` block, in the JSON's order;
 *  4. resources, then data sources, each in construct order (depth first, the order the
 *     stack's code creates them), so the HCL reads like the code and like the reference
 *     document (keys and aliases first, their key policies after); any that only a stack
 *     override declares follow in the JSON's order. A comment a construct set (comments.ts)
 *     stands above its block;
 *  5. `output` blocks, in the JSON's order;
 *  6. `moved`, `import` and `removed` blocks, in the JSON's order.
 */
import type { TerraformStack } from "cdktf";
import { entriesOf, isObject, type JsonObject, type JsonValue, listOf } from "../json";
import { type BlockRules, blockHeader, blockLines, joinGroups, withBlocks } from "./blocks";
import { DOCUMENTED_ORDER, withLayouts } from "./documented-order";
import { type Line, layoutLines } from "./lines";
import { type ProviderSchemas, providerSchemas } from "./provider-schema";
import { type Address, addressesIn, readStackElements, tokenResolver } from "./stack-elements";
import { IMPORT, LOCALS, MOVED, OUTPUT, PROVIDER, REMOVED, RESOURCE, TERRAFORM, VARIABLE } from "./terraform-language";

/** Top-level keys of cdktf's JSON that this renderer writes (`//` is cdktf's metadata). */
const SECTIONS = [
  "//",
  "terraform",
  "provider",
  "variable",
  "locals",
  "data",
  "resource",
  "output",
  "moved",
  "import",
  "removed",
];

/** Resource arguments cdktf can emit that this renderer does not write. */
const UNSUPPORTED_ARGUMENTS = ["provisioner", "connection"];

/**
 * The HCL of one stack: `terraform fmt` clean, references bare, meta-arguments first, the
 * arguments of each block in the order its documentation writes them (documented-order.ts).
 * Call it after `app.synth()`, which runs the stack's aspects and adds the default backend.
 * `synthesized` is the stack's JSON when the caller has it (the `cdk.tf.json` `app.synth()`
 * wrote), which saves resolving every token of the stack again.
 * @default synthesized: `stack.toTerraform()`
 */
export function renderStackHcl(stack: TerraformStack, synthesized?: object): string {
  // Read, never changed: the renderer builds lines and leaves the JSON as it is.
  const config = (synthesized ?? stack.toTerraform()) as JsonObject;
  const unknown = Object.keys(config).filter((section) => !SECTIONS.includes(section));
  if (unknown.length > 0) {
    throw new Error(
      `Stack ${stack.node.id}: the HCL renderer does not write ${unknown.map((s) => `"${s}"`).join(", ")}`,
    );
  }
  const elements = readStackElements(stack, config);
  const schemas = providerSchemas(elements.fragments, tokenResolver(stack));
  // The rules of each resource and data source type, made once per type.
  const rulesByType = new Map<string, BlockRules>();
  const rulesOf = ([kind, type]: Address): BlockRules => {
    const key = `${kind}.${type}`;
    if (!rulesByType.has(key))
      rulesByType.set(key, withLayouts(withBlocks(RESOURCE, schemas[kind][type]), DOCUMENTED_ORDER[key]));
    return rulesByType.get(key)!;
  };
  const blocks: Line[][] = [
    ...terraformBlock(config.terraform),
    ...providerBlocks(config.provider, schemas),
    ...labeledBlocks("variable", config.variable, VARIABLE),
    ...localsBlock(config.locals),
    ...resourceAddresses(config, elements.addresses).map((address) =>
      resourceBlock(config, address, rulesOf(address), elements.comments.get(address.join("."))),
    ),
    ...labeledBlocks("output", config.output, OUTPUT),
    ...unlabeledBlocks("moved", config.moved, MOVED),
    ...unlabeledBlocks("import", config.import, IMPORT),
    ...unlabeledBlocks("removed", config.removed, REMOVED),
  ];
  return layoutLines(joinGroups(blocks));
}

/** The `terraform` block: its arguments, then `required_providers`, then the backend. */
function terraformBlock(terraform: JsonValue | undefined): Line[][] {
  if (!isObject(terraform)) return [];
  const { required_providers: requiredProviders, backend, cloud, ...settings } = terraform;
  const body: JsonObject = { ...settings };
  if (isObject(requiredProviders)) body.required_providers = sourceFirst(requiredProviders);
  if (backend !== undefined) body.backend = backend;
  if (cloud !== undefined) body.cloud = cloud;
  return [blockLines("terraform", body, TERRAFORM, 0)];
}

/**
 * Each provider requirement with `source` before `version`, as Terraform's documentation has
 * it. A requirement is a map argument (`aws = { source = ... }`), not a block with rules.
 */
function sourceFirst(requiredProviders: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(requiredProviders).map(([name, requirement]) => [
      name,
      isObject(requirement) && "source" in requirement ? { source: requirement.source, ...requirement } : requirement,
    ]),
  );
}

function providerBlocks(providers: JsonValue | undefined, schemas: ProviderSchemas): Line[][] {
  return entriesOf(providers).flatMap(([type, configurations]) => {
    const rules = withBlocks(PROVIDER, schemas.provider[type]);
    return listOf(configurations).map((body) => blockLines(blockHeader("provider", [type]), body, rules, 0));
  });
}

function localsBlock(locals: JsonValue | undefined): Line[][] {
  return isObject(locals) && Object.keys(locals).length > 0 ? [blockLines("locals", locals, LOCALS, 0)] : [];
}

/** `type "name" { ... }` for each entry of a section keyed by name (`variable`, `output`). */
function labeledBlocks(type: string, section: JsonValue | undefined, rules: BlockRules): Line[][] {
  return entriesOf(section).map(([name, body]) => blockLines(blockHeader(type, [name]), body as JsonObject, rules, 0));
}

/** `type { ... }` for each body of a section that is a list (`moved`, `import`, `removed`). */
function unlabeledBlocks(type: string, section: JsonValue | undefined, rules: BlockRules): Line[][] {
  return listOf(section).map((body) => blockLines(type, body, rules, 0));
}

function resourceBlock(config: JsonObject, address: Address, rules: BlockRules, comment: string | undefined): Line[] {
  const [kind, type, name] = address;
  const body = ((config[kind] as JsonObject)[type] as JsonObject)[name] as JsonObject;
  const unsupported = UNSUPPORTED_ARGUMENTS.filter((argument) => argument in body);
  if (unsupported.length > 0) {
    throw new Error(`${address.join(".")}: the HCL renderer does not write ${unsupported.join(", ")}`);
  }
  const block = blockLines(blockHeader(kind, [type, name]), body, rules, 0);
  return comment === undefined ? block : [{ depth: 0, text: `# ${comment}` }, ...block];
}

/** Resources, then data sources, in construct order, then any only the JSON has. */
function resourceAddresses(config: JsonObject, declared: readonly Address[]): Address[] {
  const inConfig = addressesIn(config);
  const present = new Set(inConfig.map((address) => address.join(".")));
  const seen = new Set<string>();
  const inStack = declared.filter((address) => present.has(address.join(".")));
  const ofKind = (kind: string) => inStack.filter((address) => address[0] === kind);
  return [...ofKind("resource"), ...ofKind("data"), ...inConfig].filter((address) => {
    const key = address.join(".");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

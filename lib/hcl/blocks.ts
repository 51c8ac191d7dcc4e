/**
 * Blocks: a header, then a body of meta-arguments, arguments and nested blocks.
 *
 * Terraform's JSON does not say whether a key is an argument or a nested block; `BlockRules`
 * says it, per kind of block (from the provider's schema as cdktf records it, or from the
 * Terraform language for `terraform`, `lifecycle`, `backend`, ...).
 *
 * A body is written in groups separated by one blank line: the meta-arguments (`provider`,
 * `count`, `for_each`, `depends_on`), the arguments in the JSON's order, then each nested block
 * in the JSON's order, `lifecycle` last.
 */
import { BLANK_LINE, Line } from "./lines";
import { isObject as isJsonObject, JsonObject, JsonValue } from "../json";
import { attributeLines, quotedTemplate } from "./values";

/** Nested block types by name, with the rules of their bodies. */
export interface BlockTypes {
  readonly [name: string]: BlockRules;
}

/** How the body of one kind of block is written. */
export interface BlockRules {
  /** How many labels the block has; the JSON nests its bodies under them (`backend: { s3: {...} }`). */
  readonly labels?: number;
  /** Meta-arguments, written first in this order and followed by a blank line. */
  readonly metaArguments?: readonly string[];
  /** Arguments written before the others, in this order (`alias` of a provider). */
  readonly leadingArguments?: readonly string[];
  /**
   * Arguments that hold references or keywords, which the JSON holds as plain strings and HCL
   * writes bare: `provider = aws.us_east_1`, `depends_on = [aws_iam_role.application]`.
   */
  readonly references?: readonly string[];
  /** Nested block types. */
  readonly blocks?: BlockTypes;
}

/** The nested block that always comes last, as Terraform's documentation writes it. */
const LAST_BLOCK = "lifecycle";

/** Lines of one block: `header {`, its body, `}`; an empty body gives `header {}`. */
export function blockLines(header: string, body: JsonObject, rules: BlockRules, depth: number): Line[] {
  const groups = bodyGroups(body, rules, depth + 1);
  if (groups.length === 0) return [{ depth, text: `${header} {}` }];
  return [{ depth, text: `${header} {` }, ...joinGroups(groups), { depth, text: "}" }];
}

/** `type "label" ...`: the start of a block's first line. */
export function blockHeader(type: string, labels: readonly string[]): string {
  return [type, ...labels.map(quotedTemplate)].join(" ");
}

/** Groups of lines with one blank line between each two. */
export function joinGroups(groups: readonly Line[][]): Line[] {
  const lines: Line[] = [];
  groups.forEach((group, i) => {
    if (i > 0) lines.push(BLANK_LINE);
    for (const line of group) lines.push(line);
  });
  return lines;
}

/** Adds nested block types to rules (merging those both know about). */
export function withBlocks(rules: BlockRules, blocks: BlockTypes | undefined): BlockRules {
  return { ...rules, blocks: mergeBlocks(rules.blocks, blocks) };
}

/** The union of two sets of nested block types. */
export function mergeBlocks(a: BlockTypes | undefined, b: BlockTypes | undefined): BlockTypes {
  const merged: { [name: string]: BlockRules } = { ...a };
  for (const [name, rules] of Object.entries(b ?? {})) {
    merged[name] = merged[name] ? withBlocks(merged[name], rules.blocks) : rules;
  }
  return merged;
}

function bodyGroups(body: JsonObject, rules: BlockRules, depth: number): Line[][] {
  if ("dynamic" in body) throw new Error('"dynamic" blocks are not supported by the HCL renderer');
  const meta = rules.metaArguments ?? [];
  const entries = Object.entries(body).filter(([name]) => name !== "//");
  const nested: Array<[string, JsonValue]> = [];
  const others: Array<[string, JsonValue]> = [];
  for (const entry of entries) {
    if (isNestedBlock(entry[0], entry[1], rules)) nested.push(entry);
    else if (!meta.includes(entry[0])) others.push(entry);
  }
  const argumentsOf = (list: Array<[string, JsonValue]>) =>
    list.flatMap(([name, value]) => argumentLines(name, value, rules, depth));
  const metaArguments = argumentsOf(meta.filter((name) => name in body).map((name) => [name, body[name]]));
  const otherArguments = argumentsOf(leadingFirst(others, rules));
  const blocks = [...nested.filter(([name]) => name !== LAST_BLOCK), ...nested.filter(([name]) => name === LAST_BLOCK)];
  const blockGroups = blocks.flatMap(([name, value]) =>
    nestedBlockLines(name, value, rules.blocks?.[name] ?? {}, depth)
  );
  return [metaArguments, otherArguments, ...blockGroups].filter((group) => group.length > 0);
}

/** The entries with the rules' leading arguments first, the rest in their order. */
function leadingFirst(entries: Array<[string, JsonValue]>, rules: BlockRules): Array<[string, JsonValue]> {
  const leading = rules.leadingArguments ?? [];
  if (leading.length === 0) return entries;
  const rank = (name: string) => (leading.includes(name) ? leading.indexOf(name) : leading.length);
  return [...entries].sort(([a], [b]) => rank(a) - rank(b));
}

/** A key is a nested block when the rules say so and the JSON holds a body (or list of bodies). */
function isNestedBlock(name: string, value: JsonValue, rules: BlockRules): boolean {
  const bodies = Array.isArray(value) ? value : [value];
  return rules.blocks?.[name] !== undefined && bodies.every(isJsonObject);
}

function argumentLines(name: string, value: JsonValue, rules: BlockRules, depth: number): Line[] {
  const isReference = rules.references?.includes(name) ?? false;
  return attributeLines(name, isReference ? asReferences(value) : value, depth);
}

/** Plain reference strings as interpolations, which the value renderer writes bare. */
function asReferences(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(asReferences);
  if (typeof value !== "string" || value.startsWith("${")) return value;
  return `\${${value}}`;
}

/** One group of lines per block the JSON value holds; labels come from nested keys. */
function nestedBlockLines(
  name: string,
  value: JsonValue,
  rules: BlockRules,
  depth: number,
  labels: string[] = []
): Line[][] {
  if ((rules.labels ?? 0) > labels.length) {
    return Object.entries(value as JsonObject).flatMap(([label, inner]) =>
      nestedBlockLines(name, inner, rules, depth, [...labels, label])
    );
  }
  const header = blockHeader(name, labels);
  const bodies = Array.isArray(value) ? value : [value];
  return bodies.map((body) => blockLines(header, body as JsonObject, rules, depth));
}

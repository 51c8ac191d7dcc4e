/**
 * Blocks: a header, then a body of meta-arguments, arguments and nested blocks.
 *
 * Terraform's JSON does not say whether a key is an argument or a nested block; `BlockRules`
 * says it, per kind of block (from the provider's schema as cdktf records it, or from the
 * Terraform language for `terraform`, `lifecycle`, `backend`, ...).
 *
 * A body is written in groups separated by one blank line: the meta-arguments (`provider`,
 * `count`, `for_each`, `depends_on`); then the groups of the rules' layout, the order in which
 * the documentation writes that kind of block (documented-order.ts), the arguments it does not
 * name in the JSON's order; then each nested block the layout does not name, in the JSON's
 * order, `lifecycle` last.
 */

import { isObject, type JsonObject, type JsonValue } from "../json";
import { BLANK_LINE, type Line } from "./lines";
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
  /**
   * The order of the body after the meta-arguments, as groups of names (arguments and nested
   * blocks) with one blank line between groups and none within one: `[["sid", "effect",
   * "principals", "actions"]]` writes a `principals` block between `effect` and `actions`.
   * `"*"` stands for the arguments the layout does not name, in the JSON's order; without it,
   * they form a group of their own after the layout's. Nested blocks the layout does not name
   * each form a group after those.
   * @default [["*"]]
   */
  readonly layout?: Layout;
  /**
   * Arguments that hold references or keywords, which the JSON holds as plain strings and HCL
   * writes bare: `provider = aws.us_east_1`, `depends_on = [aws_iam_role.application]`.
   */
  readonly references?: readonly string[];
  /** Nested block types. */
  readonly blocks?: BlockTypes;
}

/** Groups of argument and nested block names; see `BlockRules.layout`. */
export type Layout = ReadonlyArray<readonly string[]>;

/** In a layout, the arguments the layout does not name. */
export const OTHER_ARGUMENTS = "*";

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
  const layout = rules.layout ?? [[OTHER_ARGUMENTS]];
  const named = new Set(layout.flat());
  const entries = Object.entries(body).filter(([name]) => name !== "//" && !meta.includes(name));
  const isBlock = ([name, value]: [string, JsonValue]) => isNestedBlock(name, value, rules);
  const otherArguments = entries.filter((entry) => !isBlock(entry) && !named.has(entry[0]));
  const otherBlocks = entries.filter((entry) => isBlock(entry) && !named.has(entry[0]));

  const linesOf = ([name, value]: [string, JsonValue]): Line[] =>
    isBlock([name, value])
      ? nestedBlockLines(name, value, rules.blocks?.[name] ?? {}, depth).flat()
      : argumentLines(name, value, rules, depth);
  const metaGroup = meta
    .filter((name) => name in body)
    .flatMap((name) => argumentLines(name, body[name], rules, depth));
  const layoutGroups = layout.map((group) =>
    group.flatMap((name) =>
      name === OTHER_ARGUMENTS ? otherArguments.flatMap(linesOf) : name in body ? linesOf([name, body[name]]) : [],
    ),
  );
  const unplacedArguments = named.has(OTHER_ARGUMENTS) ? [] : otherArguments.flatMap(linesOf);
  const blocks = [
    ...otherBlocks.filter(([name]) => name !== LAST_BLOCK),
    ...otherBlocks.filter(([name]) => name === LAST_BLOCK),
  ];
  const blockGroups = blocks.flatMap(([name, value]) =>
    nestedBlockLines(name, value, rules.blocks?.[name] ?? {}, depth),
  );
  return [metaGroup, ...layoutGroups, unplacedArguments, ...blockGroups].filter((group) => group.length > 0);
}

/** A key is a nested block when the rules say so and the JSON holds a body (or list of bodies). */
function isNestedBlock(name: string, value: JsonValue, rules: BlockRules): boolean {
  const bodies = Array.isArray(value) ? value : [value];
  return rules.blocks?.[name] !== undefined && bodies.every((body) => isObject(body));
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
  labels: string[] = [],
): Line[][] {
  if ((rules.labels ?? 0) > labels.length) {
    return Object.entries(value as JsonObject).flatMap(([label, inner]) =>
      nestedBlockLines(name, inner, rules, depth, [...labels, label]),
    );
  }
  const header = blockHeader(name, labels);
  const bodies = Array.isArray(value) ? value : [value];
  return bodies.map((body) => blockLines(header, body as JsonObject, rules, depth));
}

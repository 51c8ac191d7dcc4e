/**
 * One shape for cdktf's JSON and for hcl2json's reading of our HCL, so that the two can be
 * compared: `normaliseForComparison(hclToJson(renderStackHcl(stack)))` equals
 * `normaliseForComparison(cdktf's JSON)` when the HCL says what the JSON says.
 */
import { isObject, type JsonObject, type JsonValue, listOf, valuesOf } from "../json";
import type { BlockRules } from "./blocks";
import { canonicalTemplate, interpolationOnly, parseTemplate } from "./expression";
import { IMPORT, MOVED, OUTPUT, REMOVED, RESOURCE, VARIABLE } from "./terraform-language";

/**
 * Applies, to either side, only rules for what the two represent differently:
 *  1. cdktf's metadata (every `//` key) is dropped: HCL has no place for it.
 *  2. A list holding exactly one object becomes that object: hcl2json writes every block as a
 *     list of bodies, cdktf writes a block that can occur once as a bare body.
 *  3. Every string gets terraform fmt's spacing inside its `${...}` and `%{...}` sequences:
 *     hcl2json keeps an expression's text as our HCL writes it, cdktf writes its own spacing
 *     (`{"a" = 1}` against `{ "a" = 1 }`). Only whitespace between tokens changes.
 *  4. In the positions Terraform reads as references or keywords (terraform-language.ts:
 *     `provider`, `depends_on`, `ignore_changes`, a variable's `type`, `moved`'s `from`/`to`,
 *     ...), `${x}` becomes `x`: the HCL writes them bare, hcl2json wraps bare expressions in
 *     `${}`, cdktf writes them as plain strings.
 */
export function normaliseForComparison(config: unknown): unknown {
  const normalised = normaliseValue(config as JsonValue);
  if (isObject(normalised)) unwrapReferencePositions(normalised);
  return normalised;
}

function normaliseValue(value: JsonValue): JsonValue {
  if (typeof value === "string") return canonicalTemplate(value);
  if (Array.isArray(value)) {
    const list = value.map(normaliseValue);
    return list.length === 1 && isObject(list[0]) ? list[0] : list;
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([key]) => key !== "//");
    return Object.fromEntries(entries.map(([key, inner]) => [key, normaliseValue(inner)]));
  }
  return value;
}

function unwrapReferencePositions(config: JsonObject): void {
  for (const kind of ["resource", "data"]) {
    for (const byName of valuesOf(config[kind])) for (const body of valuesOf(byName)) unwrapReferences(body, RESOURCE);
  }
  for (const body of valuesOf(config.output)) unwrapReferences(body, OUTPUT);
  for (const body of valuesOf(config.variable)) unwrapReferences(body, VARIABLE);
  for (const body of listOf(config.moved)) unwrapReferences(body, MOVED);
  for (const body of listOf(config.import)) unwrapReferences(body, IMPORT);
  for (const body of listOf(config.removed)) unwrapReferences(body, REMOVED);
}

function unwrapReferences(body: JsonValue, rules: BlockRules): void {
  if (!isObject(body)) return;
  for (const key of rules.references ?? []) {
    if (key in body) body[key] = unwrapInterpolations(body[key]);
  }
  for (const [name, nested] of Object.entries(rules.blocks ?? {})) {
    for (const inner of listOf(body[name])) unwrapReferences(inner, nested);
  }
}

function unwrapInterpolations(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(unwrapInterpolations);
  return typeof value === "string" ? (interpolationOnly(parseTemplate(value)) ?? value) : value;
}

/**
 * A resource instance's arguments in the shape the rule pack reads (cdktf's synthesized JSON):
 * literal values, and `${type.name.attribute}` strings where an argument is a reference.
 *
 * Values come from the plan: what Terraform will send, after its type conversions (`"true"` is
 * `true`) and the provider's defaults. The configuration's expressions add what values cannot
 * say: which resource an argument refers to. An argument becomes a reference when its
 * expression holds exactly one reference, to one resource attribute, and the values agree:
 * both equal when known, or both known only after apply. An argument known only after apply
 * that is not such a reference stays unknown: it becomes `${known after apply: <references>}`
 * (a token, which the rules treat as a value they cannot judge before apply) and is listed in
 * `unknowns`, so a report can say what was not checked.
 *
 * As in cdktf's JSON, an element holds the arguments the configuration sets, not the
 * provider's defaults nor what it reads back for a resource in state (the default key policy
 * of a key declared without one); where the configuration of a block cannot be paired with its
 * values (a `dynamic` block), every known value is kept. The AWS provider (its SDKv2
 * resources) does not tell an empty string, list or map from an unset argument: these are
 * left out too.
 */
import { isObject, type Json } from "../json";
import type { Instance, PlanIndex } from "./plan-index";
import { maximalReferences, plannedValue, resolveReference, singleTarget, type Target } from "./references";
import { type Expression, type Expressions, isBlockList } from "./types";

/** An argument whose value is known only after apply and that names no single resource attribute. */
export interface UnknownArgument {
  /** The resource: `module.kms.aws_kms_key.this` */
  readonly address: string;
  /** The argument, with its place in nested blocks: `statement[1].principals[0].identifiers[0]`. */
  readonly argument: string;
  /** The references of its expression, as the plan lists them. */
  readonly references: readonly string[];
}

/** The text of an argument known only after apply. */
export function unknownToken(references: readonly string[]): string {
  return `\${known after apply${references.length > 0 ? `: ${references.join(", ")}` : ""}}`;
}

/** Reads the arguments of a plan's instances, collecting those known only after apply. */
export class ArgumentReader {
  readonly unknowns: UnknownArgument[] = [];

  constructor(private readonly index: PlanIndex) {}

  /** The instance's arguments (and known attributes), with references where the configuration has them. */
  argumentsOf(instance: Instance): Json {
    return this.object(instance, instance.values, instance.unknown, instance.config?.expressions, "");
  }

  private object(
    instance: Instance,
    values: unknown,
    unknown: unknown,
    expressions: Expressions | undefined,
    path: string,
  ): Json {
    const known = isObject(values) ? values : {};
    const marks = isObject(unknown) ? unknown : {};
    const out: Json = {};
    for (const key of new Set([...Object.keys(known), ...Object.keys(marks)])) {
      const value = known[key];
      const mark = marks[key];
      const expression = expressions?.[key];
      const at = path ? `${path}.${key}` : key;
      // With its block's configuration at hand, only what the configuration sets is an argument:
      // a resource already in state also shows what the provider read back (the default key
      // policy KMS gave a key the configuration gives none), which is not the configuration's.
      if (expressions !== undefined && expression === undefined) continue;
      if (mark === true) {
        // Attributes the configuration does not set (arn, id) are the provider's to compute: left out.
        if (expression !== undefined)
          out[key] = this.unknown(instance, isBlockList(expression) ? undefined : expression, at);
        continue;
      }
      if (isEmpty(value)) continue;
      if (isBlockList(expression) && Array.isArray(value)) {
        const matched = matchBlocks(value, expression);
        out[key] = value.map((block, i) =>
          this.object(instance, block, Array.isArray(mark) ? mark[i] : undefined, matched[i], `${at}[${i}]`),
        );
      } else {
        out[key] = this.attribute(instance, value, mark, isBlockList(expression) ? undefined : expression, at);
      }
    }
    return out;
  }

  private attribute(
    instance: Instance,
    value: unknown,
    mark: unknown,
    expression: Expression | undefined,
    path: string,
  ): unknown {
    if (Array.isArray(value)) return this.list(instance, value, Array.isArray(mark) ? mark : [], expression, path);
    if (isObject(value)) return this.object(instance, value, mark, undefined, path);
    const target =
      expression && expression.constant_value === undefined ? this.target(instance, expression) : undefined;
    if (target && target.kind === "attribute" && target.rest.length === 0) {
      const referred = plannedValue(this.index, target);
      if (referred?.known && sameValue(referred.value, value)) return referenceToken(target);
    }
    return value;
  }

  /**
   * A list or set argument written as one expression (`identifiers = ["arn:...:root",
   * aws_iam_role.app.arn]`): each known element equal to a referenced attribute becomes that
   * reference; the unknown elements become the references known only after apply, when they are
   * as many as those (the order of a set is Terraform's own, so it does not matter).
   */
  private list(
    instance: Instance,
    value: readonly unknown[],
    marks: readonly unknown[],
    expression: Expression | undefined,
    path: string,
  ): unknown[] {
    const references = maximalReferences(expression);
    const targets = references.map((reference) => resolveReference(this.index, reference, instance.module));
    const attributes = targets.filter(
      (t): t is Extract<Target, { kind: "attribute" }> => t?.kind === "attribute" && t.rest.length === 0,
    );
    const states = attributes.map((target) => ({ target, state: plannedValue(this.index, target) }));
    const later = states.filter(({ state }) => state !== undefined && !state.known).map(({ target }) => target);
    const unknownCount = marks.filter((mark) => mark === true).length;
    const assignable = targets.every((t) => t !== undefined) && later.length === unknownCount;
    let next = 0;
    return value.map((element, i) => {
      if (marks[i] === true) {
        if (assignable) return referenceToken(later[next++]);
        return this.unknown(instance, expression, `${path}[${i}]`);
      }
      if (isObject(element) || Array.isArray(element))
        return this.attribute(instance, element, marks[i], undefined, `${path}[${i}]`);
      const equal = states.filter(({ state }) => state?.known && sameValue(state.value, element));
      return equal.length === 1 ? referenceToken(equal[0].target) : element;
    });
  }

  /** An argument known only after apply: the one reference it is, or an unknown token (listed). */
  private unknown(instance: Instance, expression: Expression | undefined, path: string): string {
    const target = expression ? this.target(instance, expression) : undefined;
    if (target?.kind === "attribute" && target.rest.length === 0 && plannedValue(this.index, target)?.known === false) {
      return referenceToken(target);
    }
    const references = maximalReferences(expression);
    this.unknowns.push({ address: instance.address, argument: path, references });
    return unknownToken(references);
  }

  private target(instance: Instance, expression: Expression): Target | undefined {
    return singleTarget(this.index, expression, instance.module);
  }
}

function referenceToken(target: Extract<Target, { kind: "attribute" }>): string {
  return `\${${target.address}.${target.attribute}}`;
}

/** Null, `""`, `[]` and `{}`: what the AWS provider treats as an unset argument. */
function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}

/** Equal values; JSON documents (policies) are equal when they parse to the same value, as the provider normalises them. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string" && a !== b) {
    const parsed = [parseJson(a), parseJson(b)];
    return parsed[0] !== undefined && parsed[1] !== undefined && deepEqual(parsed[0], parsed[1]);
  }
  return deepEqual(a, b);
}

function parseJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * Pairs the planned nested blocks with their configuration. Lists keep the configuration's
 * order; sets (`principals` of a policy document) are ordered by Terraform, so each planned
 * block takes the first unused configured one whose constant arguments it has. Blocks that
 * cannot be paired (a `dynamic` block, a different count) get no expressions.
 */
function matchBlocks(values: readonly unknown[], expressions: readonly Expressions[]): (Expressions | undefined)[] {
  if (values.length !== expressions.length) return values.map(() => undefined);
  const used = new Set<number>();
  return values.map((value) => {
    const found = expressions.findIndex((candidate, i) => !used.has(i) && fits(value, candidate));
    if (found < 0) return undefined;
    used.add(found);
    return expressions[found];
  });
}

function fits(value: unknown, expressions: Expressions): boolean {
  if (!isObject(value)) return false;
  return Object.entries(expressions).every(([key, expression]) => {
    if (isBlockList(expression) || expression.constant_value === undefined) return true;
    return sameMembers(value[key], expression.constant_value);
  });
}

/** Equal, with lists compared as sets (a set argument's planned order is Terraform's). */
function sameMembers(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sorted = (list: unknown[]) => list.map((item) => JSON.stringify(item)).sort();
    return deepEqual(sorted(a), sorted(b));
  }
  return deepEqual(a, b);
}

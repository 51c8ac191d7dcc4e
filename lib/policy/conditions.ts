/**
 * A policy's conditions as IAM evaluates them, against what is known of a request: each key is
 * present (with one value, or a set of values for a multivalued key), known to be absent, or
 * unknown (the question did not say). The answer is true, false, or "unknown" when it depends on
 * what was not said.
 *
 * IAM's rules, from "IAM JSON policy elements: Condition operators"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
 * and "Single-valued vs. multivalued context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
 * - A key absent from the request makes a condition false, except for the negated operators
 *   (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`...), which are then true, `...IfExists`,
 *   which is then true, and `Null`, which tests exactly that.
 * - Several values for one key: any of them may match; for a negated operator, none may.
 * - Condition key names are case-insensitive; String values are case-sensitive except with
 *   `...IgnoreCase`; `StringLike` takes `*` and `?` anywhere.
 * - `ArnEquals` and `ArnLike` are the same test: each of the ARN's six colon-separated parts is
 *   matched on its own, with `*` and `?` in any part.
 * - A multivalued key needs `ForAnyValue:` (true when some request value matches) or
 *   `ForAllValues:` (true when every request value matches, and when the key is absent or
 *   empty); without one, a multivalued request value matches nothing.
 * - `Bool` compares `true`/`false` in any case; Numeric, Date and IpAddress compare numbers,
 *   times (ISO 8601 or epoch seconds) and CIDR ranges; a value of the wrong type matches nothing.
 *
 * Policy variables in String, ARN and Bool values are replaced from the request (see `resolve`).
 * `BinaryEquals` is not evaluated: a condition that uses it is "unknown", so the answer says which
 * condition decides.
 */
import { wildcardMatch } from "./actions";
import type { Condition } from "./document";

/** One value for a single-valued key; a list for a multivalued key (`aws:TagKeys`, `kms:EncryptionContextKeys`). */
export type ContextValue = string | readonly string[];

/** A key known to be absent from the request. */
export const ABSENT: unique symbol = Symbol("absent");
/** A key the question says nothing of. */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** What is known of one key in a request: its value, ABSENT, or UNKNOWN. */
export type KeyFact = ContextValue | typeof ABSENT | typeof UNKNOWN;

export type Truth = true | false | "unknown";

type Test = (requestValue: string, policyValue: string) => boolean;

/** The six parts of an ARN (the resource part may hold colons), or undefined for anything else. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

const arnLike: Test = (value, pattern) => {
  const valueParts = arnParts(value);
  const patternParts = arnParts(pattern);
  if (!valueParts || !patternParts) return false;
  return patternParts.every((part, i) => wildcardMatch(part, valueParts[i], false));
};

const number = (text: string): number | undefined =>
  /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(text) ? Number(text) : undefined;

const time = (text: string): number | undefined => {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
};

const compare =
  (parse: (text: string) => number | undefined, holds: (a: number, b: number) => boolean): Test =>
  (value, policyValue) => {
    const a = parse(value);
    const b = parse(policyValue);
    return a !== undefined && b !== undefined && holds(a, b);
  };

/** An IPv4 or IPv6 address as a bit string, or undefined. */
function addressBits(address: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? bytes.map((b) => b.toString(2).padStart(8, "0")).join("") : undefined;
  }
  if (!/^[0-9a-f:]+$/i.test(address) || (address.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const groups = (text: string | undefined) => (text ? text.split(":") : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...groups(head), ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...groups(tail)];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return all.map((g) => parseInt(g, 16).toString(2).padStart(16, "0")).join("");
}

const inRange: Test = (value, cidr) => {
  const [network, length] = cidr.split("/");
  const address = addressBits(value);
  const range = addressBits(network);
  if (!address || !range || address.length !== range.length) return false;
  const bits = length === undefined ? range.length : Number(length);
  if (!Number.isInteger(bits) || bits < 0 || bits > range.length) return false;
  return address.slice(0, bits) === range.slice(0, bits);
};

const isBoolean = (text: string) => /^(true|false)$/i.test(text);

/**
 * Each operator's test of one request value against one policy value; `negated` operators pass
 * when no policy value matches; `variables`: the operator replaces policy variables in its values.
 */
const OPERATORS: Readonly<Record<string, { test: Test; negated?: true; variables?: true }>> = {
  stringequals: { test: (v, p) => v === p, variables: true },
  stringnotequals: { test: (v, p) => v === p, negated: true, variables: true },
  stringequalsignorecase: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), variables: true },
  stringnotequalsignorecase: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: true, variables: true },
  stringlike: { test: (v, p) => wildcardMatch(p, v, false), variables: true },
  stringnotlike: { test: (v, p) => wildcardMatch(p, v, false), negated: true, variables: true },
  arnequals: { test: arnLike, variables: true },
  arnlike: { test: arnLike, variables: true },
  arnnotequals: { test: arnLike, negated: true, variables: true },
  arnnotlike: { test: arnLike, negated: true, variables: true },
  bool: { test: (v, p) => isBoolean(v) && isBoolean(p) && v.toLowerCase() === p.toLowerCase(), variables: true },
  numericequals: { test: compare(number, (a, b) => a === b) },
  numericnotequals: { test: compare(number, (a, b) => a === b), negated: true },
  numericlessthan: { test: compare(number, (a, b) => a < b) },
  numericlessthanequals: { test: compare(number, (a, b) => a <= b) },
  numericgreaterthan: { test: compare(number, (a, b) => a > b) },
  numericgreaterthanequals: { test: compare(number, (a, b) => a >= b) },
  dateequals: { test: compare(time, (a, b) => a === b) },
  datenotequals: { test: compare(time, (a, b) => a === b), negated: true },
  datelessthan: { test: compare(time, (a, b) => a < b) },
  datelessthanequals: { test: compare(time, (a, b) => a <= b) },
  dategreaterthan: { test: compare(time, (a, b) => a > b) },
  dategreaterthanequals: { test: compare(time, (a, b) => a >= b) },
  ipaddress: { test: inRange },
  notipaddress: { test: inRange, negated: true },
};

/** The parts of an operator name: `ForAnyValue:StringLikeIfExists` is a set operator, a base operator and IfExists. */
export function parseOperator(name: string): { set?: "ForAnyValue" | "ForAllValues"; base: string; ifExists: boolean } {
  const set = /^(ForAnyValue|ForAllValues):/i.exec(name)?.[1];
  let base = set ? name.slice(set.length + 1) : name;
  const ifExists = /IfExists$/i.test(base) && !/^Null$/i.test(base);
  if (ifExists) base = base.slice(0, -"IfExists".length);
  return {
    set: set ? (set.toLowerCase() === "foranyvalue" ? "ForAnyValue" : "ForAllValues") : undefined,
    base,
    ifExists,
  };
}

/**
 * Policy variables (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
 * `${aws:username}` is the request's value of that single-valued key, `${key, 'default'}` the
 * default when the key has no value, `${*}`, `${?}` and `${$}` the characters themselves. A
 * variable with no value matches nothing (so a negated operator holds). Terraform writes them
 * `&{...}` in `aws_iam_policy_document` and `$${...}` in strings, and sends `${...}` to AWS.
 *
 * The characters a value takes literally (`${*}`, and whatever a variable puts in) stand as
 * private-use characters while wildcards are matched; the request value's own `*` and `?` are
 * turned into the same characters, so that only they match them.
 */
const LITERAL: Readonly<Record<string, string>> = { "*": "\uE000", "?": "\uE001" };
const literal = (text: string) => text.replace(/[*?]/g, (c) => LITERAL[c]);
const unliteral = (text: string) => text.replace(/[\uE000\uE001]/g, (c) => (c === LITERAL["*"] ? "*" : "?"));
const VARIABLE = /(?:\$\$|[$&])\{([^}]*)\}/g;

/** A policy value with its variables replaced: the text, `null` when a variable has no value, or UNKNOWN. */
function resolve(value: string, factOf: (key: string) => KeyFact): string | null | typeof UNKNOWN {
  let result: string | null = "";
  let last = 0;
  for (const match of value.matchAll(VARIABLE)) {
    const inside = match[1].trim();
    const part = ((): string | null | typeof UNKNOWN => {
      if (inside === "*" || inside === "?") return LITERAL[inside];
      if (inside === "$") return "$";
      const [, key, fallback] = /^([^,]+?)\s*(?:,\s*'((?:[^']|'')*)')?$/.exec(inside) ?? [];
      if (!key) return null;
      const fact = factOf(key.trim());
      if (fact === UNKNOWN) return UNKNOWN;
      if (typeof fact === "string") return literal(fact);
      // Absent, or multivalued (which cannot be a variable): no value.
      return fallback === undefined ? null : literal(fallback.replace(/''/g, "'"));
    })();
    if (part === UNKNOWN) return UNKNOWN;
    if (part === null) result = null;
    if (result !== null) result += value.slice(last, match.index) + part;
    last = match.index! + match[0].length;
  }
  return result === null ? null : result + value.slice(last);
}

/** One condition (one operator, one key, its values) against what is known of the request. */
export function evaluateCondition(condition: Condition, factOf: (key: string) => KeyFact): Truth {
  const { set, base, ifExists } = parseOperator(condition.test);
  const fact = factOf(condition.variable);
  if (base.toLowerCase() === "null") {
    if (fact === UNKNOWN) return "unknown";
    const absent = fact === ABSENT;
    return condition.values.some((v) => v.toLowerCase() === String(absent));
  }
  const operator = OPERATORS[base.toLowerCase()];
  if (!operator || fact === UNKNOWN) return "unknown";
  if (fact === ABSENT) {
    if (set === "ForAllValues" || ifExists) return true;
    if (set === "ForAnyValue") return false;
    return operator.negated === true;
  }
  const policyValues: (string | null | typeof UNKNOWN)[] = operator.variables
    ? condition.values.map((v) => resolve(v, factOf))
    : [...condition.values];
  if (policyValues.includes(UNKNOWN)) return "unknown";
  const likeValues = base.toLowerCase().includes("like") || base.toLowerCase().startsWith("arn");
  const matches = (value: string) => {
    const request = likeValues ? literal(value) : value;
    const any = policyValues.some(
      (p) => typeof p === "string" && operator.test(request, likeValues ? p : unliteral(p)),
    );
    return operator.negated ? !any : any;
  };
  if (!set) return typeof fact === "string" ? matches(fact) : false;
  const values = typeof fact === "string" ? [fact] : fact;
  return set === "ForAllValues" ? values.every(matches) : values.some(matches);
}

/** All conditions of a statement (they must all hold): false as soon as one is false, else "unknown" if one is. */
export function evaluateConditions(
  conditions: readonly Condition[],
  factOf: (key: string) => KeyFact,
): { truth: Truth; unknown: readonly Condition[] } {
  const unknown: Condition[] = [];
  for (const condition of conditions) {
    const truth = evaluateCondition(condition, factOf);
    if (truth === false) return { truth: false, unknown: [] };
    if (truth === "unknown") unknown.push(condition);
  }
  return { truth: unknown.length > 0 ? "unknown" : true, unknown };
}

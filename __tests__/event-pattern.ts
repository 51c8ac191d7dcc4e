/**
 * Does an EventBridge event pattern match an event? For tests of our rules against the events
 * AWS documents. No maintained npm package does this (the one published matcher, `eb-patterns`,
 * is no longer on the registry), moto's TestEventPattern is not implemented and its in-process
 * matcher misses fields inside arrays of objects, so this follows the published semantics:
 *
 * - EventBridge User Guide, "Arrays in Amazon EventBridge event patterns": every leaf of a
 *   pattern is an array of values; it matches when one of them equals the event's value, or,
 *   for an array in the event, when the two arrays share a value.
 * - Event Ruler README (github.com/aws/event-ruler, the library behind EventBridge), "JSON Array
 *   Matching": an array of objects in the event is "crushed out" (the pattern's fields apply to
 *   its elements), but the fields of one (sub)pattern must match within one element
 *   (`rulesForJSONEvent`); "And and Or": fields are ANDed, `$or` holds two or more alternative
 *   sub-patterns; "Exists matching": `exists` looks at leaves only.
 *
 * Only what our rules and these semantics need: exact values, `prefix`, `exists` and `$or`. Any
 * other operator throws, so a pattern this file cannot judge never passes for matching.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** True when `pattern` matches `event`; throws on a pattern EventBridge would refuse or this file does not know. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new Error(`an event pattern is a JSON object, not ${JSON.stringify(pattern)}`);
  return matchObject(pattern, event as Json, "");
}

function matchObject(pattern: JsonObject, value: Json | undefined, path: string): boolean {
  // An array of objects: the whole (sub)pattern must match within one element.
  if (Array.isArray(value)) return value.some((element) => matchObject(pattern, element, path));
  return Object.entries(pattern).every(([key, expected]) => {
    const at = path ? `${path}.${key}` : key;
    if (key === "$or") {
      if (!Array.isArray(expected) || expected.length < 2 || !expected.every(isObject)) {
        throw new Error(`${at}: "$or" takes an array of two or more patterns`);
      }
      return expected.some((alternative) => matchObject(alternative as JsonObject, value, path));
    }
    const field = isObject(value) ? value[key] : undefined;
    if (Array.isArray(expected)) return matchLeaf(expected, field, at);
    if (isObject(expected))
      return field !== undefined && typeof field === "object" && field !== null && matchObject(expected, field, at);
    throw new Error(`${at}: a pattern's values are arrays, not ${JSON.stringify(expected)}`);
  });
}

/** The event's values at a leaf: an array's elements (flattened), a scalar, or none (missing or an object). */
function leafValues(field: Json | undefined): Json[] | undefined {
  if (field === undefined || isObject(field)) return undefined;
  if (Array.isArray(field)) {
    const scalars = field.flat(Infinity as 1).filter((v) => !isObject(v)) as Json[];
    return scalars.length > 0 ? scalars : undefined;
  }
  return [field];
}

function matchLeaf(expected: Json[], field: Json | undefined, at: string): boolean {
  const values = leafValues(field);
  return expected.some((condition) => {
    if (!isObject(condition)) return values?.some((value) => value === condition) ?? false;
    const [operator, ...others] = Object.keys(condition);
    if (others.length > 0) throw new Error(`${at}: one operator per condition, not ${JSON.stringify(condition)}`);
    const operand = condition[operator];
    switch (operator) {
      case "exists":
        if (typeof operand !== "boolean") throw new Error(`${at}: "exists" takes true or false`);
        return operand === (values !== undefined);
      case "prefix":
        if (typeof operand !== "string") throw new Error(`${at}: this matcher knows "prefix" with a string only`);
        return values?.some((value) => typeof value === "string" && value.startsWith(operand)) ?? false;
      default:
        throw new Error(`${at}: the operator "${operator}" is not implemented by this test matcher`);
    }
  });
}

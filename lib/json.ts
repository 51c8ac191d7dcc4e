/**
 * JSON types and the helpers that read them, for the whole module.
 *
 * Two meanings, each with its own type:
 *
 * - `Json`: an object read from outside (cdktf's synthesized stack, a Terraform plan, a config
 *   or policy file) whose values are not checked yet. Each value is `unknown`, so a reader must
 *   check a field before using it; a missing field reads as `undefined`, as it is.
 * - `JsonValue` and `JsonObject`: JSON all the way down, for code that walks every value (the
 *   HCL writer, the HCL-to-JSON comparison). A value is one of JSON's six kinds, so a switch on
 *   the kind is complete. (A missing key of a `JsonObject` still types as present: read unchecked
 *   input as `Json`.)
 */

/** A value of JSON: a string, a number, a boolean, null, a list or an object. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** An object of JSON whose values are JSON too: a block body, a map. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A JSON object as read, its values not checked yet (see the file comment). */
export type Json = { [key: string]: unknown };

/** True for an object (not a list, not null). */
export function isObject(value: JsonValue | undefined): value is JsonObject;
export function isObject(value: unknown): value is Json;
export function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The objects of a value that holds one object or a list of them, as Terraform's JSON syntax
 * writes a block (cdktf writes a block that can occur once as a bare object); anything else in
 * it is left out, and nothing gives none.
 */
export function listOf(value: JsonValue | undefined): JsonObject[];
export function listOf(value: unknown): Json[];
export function listOf(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The entries of an object; none for anything else (a list, a string, nothing). */
export function entriesOf(value: JsonValue | undefined): Array<[string, JsonValue]>;
export function entriesOf(value: unknown): Array<[string, unknown]>;
export function entriesOf(value: unknown): Array<[string, unknown]> {
  return isObject(value) ? Object.entries(value) : [];
}

/** The values of an object; none for anything else (a list, a string, nothing). */
export function valuesOf(value: JsonValue | undefined): JsonValue[];
export function valuesOf(value: unknown): unknown[];
export function valuesOf(value: unknown): unknown[] {
  return isObject(value) ? Object.values(value) : [];
}

/**
 * Reading cdktf's synthesized JSON: elements, whole-value references, blocks.
 */

/** A JSON object as cdktf synthesizes it. */
export type Json = { [key: string]: unknown };

/** One resource (or data source) of the stack. */
export interface TerraformElement {
  /** `aws_kms_key.primary`, or `data.aws_iam_policy_document.key_policy` for a data source. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly kind: "resource" | "data";
  /** The arguments as synthesized (tokens appear as `${...}` strings). */
  readonly config: Json;
  /** The construct path, from cdktf's metadata (`global-encrypt/key/primary`). */
  readonly path?: string;
}

/** A whole-value reference such as `${aws_kms_key.primary.arn}` or `${data.aws_kms_key.k.arn}`. */
export interface Reference {
  /** The address of the element referred to: `aws_kms_key.primary`, `data.aws_kms_key.k`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The attribute read (`arn`, `key_id`, `json`...). */
  readonly attribute: string;
}

const REFERENCE = /^\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)\.([a-z_][a-z0-9_]*)\}$/;

/** The element and attribute a whole-value `${type.name.attribute}` string refers to, if it is one. */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const match = REFERENCE.exec(value);
  if (!match) return undefined;
  const [, data, type, name, attribute] = match;
  return { address: `${data ? "data." : ""}${type}.${name}`, type, name, attribute };
}

/** Whether a value is (or contains) a Terraform expression, known only at apply time. */
export function isToken(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** Blocks synthesize as an object or as a list of objects; this gives the list. */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}


/**
 * A boolean argument as Terraform reads it: `true`/`false`, or the strings Terraform converts
 * to them (`"true"`, `"false"`, `"1"`, `"0"`, as go-cty's string-to-bool conversion does).
 * Anything else (a token, a missing value) is undefined.
 */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  return undefined;
}

/**
 * A number argument as Terraform reads it: a number, or a string Terraform converts to one
 * (`"30"`). Anything else (a token, a missing value) is undefined.
 */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

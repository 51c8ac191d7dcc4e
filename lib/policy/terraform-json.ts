/**
 * Reading Terraform's JSON syntax as cdktf synthesizes it: elements, whole-value references,
 * addresses, and the values Terraform converts (the JSON types themselves: lib/json.ts).
 */
import type { Json } from "../json";

/**
 * One resource (or data source) of the stack, or a `removed` block (kind "removed", type
 * `REMOVED_TYPE`, address the address it removes, config the block: `{ from, lifecycle }`).
 */
export interface TerraformElement {
  /** `aws_kms_key.primary`, or `data.aws_iam_policy_document.key_policy` for a data source. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly kind: "resource" | "data" | "removed";
  /** The arguments as synthesized (tokens appear as `${...}` strings). */
  readonly config: Json;
  /** The construct path, from cdktf's metadata (`global-encrypt/key/primary`). */
  readonly path?: string;
}

/** The type rules name in `appliesTo` to check the stack's `removed` blocks. */
export const REMOVED_TYPE = "removed";

/**
 * A whole-value reference such as `${aws_kms_key.primary.arn}` or `${data.aws_kms_key.k.arn}`;
 * in a stack read from a Terraform plan also `${module.kms.aws_kms_key.this[0].arn}`.
 */
export interface Reference {
  /** The address of the element referred to: `aws_kms_key.primary`, `data.aws_kms_key.k`, `module.kms.aws_kms_key.this[0]`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The attribute read (`arn`, `key_id`, `json`...). */
  readonly attribute: string;
}

/** An instance key in an address: `[0]` or `["orders"]`. */
const INSTANCE_KEY = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;

/** A module instance step of an address: `module.kms.`, `module.keys["orders"].` */
const MODULE_STEP = String.raw`module\.[A-Za-z_][\w-]*(?:${INSTANCE_KEY})?\.`;

const REFERENCE = new RegExp(
  String.raw`^\$\{((?:${MODULE_STEP})*)(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)(${INSTANCE_KEY})?\.([a-z_][a-z0-9_]*)\}$`,
);

/** The element and attribute a whole-value `${type.name.attribute}` string refers to, if it is one. */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const match = REFERENCE.exec(value);
  if (!match) return undefined;
  const [, modules, data, type, name, key, attribute] = match;
  return { address: `${modules}${data ? "data." : ""}${type}.${name}${key ?? ""}`, type, name, attribute };
}

/**
 * A resource or data source address as Terraform writes it: `aws_kms_key.primary`,
 * `data.aws_iam_policy_document.key_policy`, `module.keys["orders"].aws_kms_key.this`, `aws_kms_alias.extra[0]`.
 */
export const ADDRESS_PATTERN = new RegExp(
  String.raw`^(?:${MODULE_STEP})*(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(?:${INSTANCE_KEY})?$`,
);

/** Whether a value is (or contains) a Terraform expression, known only at apply time. */
export function isToken(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
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

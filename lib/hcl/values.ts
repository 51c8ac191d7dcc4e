/**
 * Values of cdktf's JSON written as HCL expressions: strings (templates), numbers, booleans,
 * null, lists and maps.
 */
import { isObject, type JsonObject, type JsonValue } from "../json";
import { interpolationOnly, parseTemplate, type TemplatePart } from "./expression";
import type { Line } from "./lines";

/** A list of scalars goes on one line when the whole line fits in this many columns. */
const MAX_LINE_WIDTH = 80;

/** Words that cannot be a bare object key: `{ for = 1 }` would start a for expression. */
const KEYWORDS = new Set(["for", "in", "if", "true", "false", "null"]);

/**
 * The lines of the attribute `name = value`. Scalars, empty collections and short lists of
 * scalars stay on one line; maps and other lists get one line per entry.
 */
export function attributeLines(name: string, value: JsonValue, depth: number): Line[] {
  const inline = inlineValue(value, 2 * depth + name.length + 3);
  if (inline !== undefined) return [{ depth, key: name, text: inline }];
  return expandedLines(`${name} = `, value, depth, "");
}

/**
 * A JSON string as HCL: a template that is only an interpolation becomes the bare expression
 * (`aws_kms_key.primary.arn`), anything else a quoted template with HCL escapes.
 */
export function stringValue(template: string): string {
  // Most strings hold no template sequence: they are quoted as they are, without parsing.
  if (!template.includes("${") && !template.includes("%{")) return `"${escapeLiteral(template)}"`;
  const parts = parseTemplate(template);
  return interpolationOnly(parts) ?? quoted(parts);
}

/**
 * A JSON string as a quoted HCL template, never unwrapped: used where a bare expression would
 * mean something else (object keys, block labels). Literal text gets HCL's escapes; `$${` and
 * `%%{` are the same escapes in both syntaxes and stay as they are.
 */
export function quotedTemplate(template: string): string {
  return quoted(parseTemplate(template));
}

function quoted(parts: readonly TemplatePart[]): string {
  return `"${parts.map((part) => (part.kind === "literal" ? escapeLiteral(part.text) : part.text)).join("")}"`;
}

/** An object key: bare when it is a plain identifier, else quoted. */
export function objectKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && !KEYWORDS.has(key) ? key : quotedTemplate(key);
}

/** The characters a quoted HCL string escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a quoted HCL string writes control characters as escapes; this pattern finds them
const ESCAPED = /[\\"\u0000-\u001f\u007f]/;
const ALL_ESCAPED = new RegExp(ESCAPED.source, "g");

function escapeLiteral(text: string): string {
  if (!ESCAPED.test(text)) return text;
  return text.replace(ALL_ESCAPED, (char) => {
    switch (char) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

type Scalar = string | number | boolean | null;

function isScalar(value: JsonValue): value is Scalar {
  return !Array.isArray(value) && !isObject(value);
}

/** The value on one line, or undefined when it spans several. `used` is the width before it. */
function inlineValue(value: JsonValue, used: number): string | undefined {
  if (isScalar(value)) return scalarValue(value);
  if (isObject(value)) return Object.keys(value).length === 0 ? "{}" : undefined;
  if (value.length === 0) return "[]";
  if (!value.every(isScalar)) return undefined;
  const list = `[${value.map(scalarValue).join(", ")}]`;
  return used + list.length <= MAX_LINE_WIDTH ? list : undefined;
}

function scalarValue(value: Scalar): string {
  return typeof value === "string" ? stringValue(value) : String(value);
}

/** A list or map over several lines: `prefix[` or `prefix{`, one line per entry, then the closer. */
function expandedLines(prefix: string, value: JsonValue, depth: number, suffix: string): Line[] {
  if (Array.isArray(value)) {
    const elements = value.flatMap((element, i) => elementLines(element, depth + 1, i < value.length - 1 ? "," : ""));
    return [{ depth, text: `${prefix}[` }, ...elements, { depth, text: `]${suffix}` }];
  }
  const entries = Object.entries(value as JsonObject).flatMap(([key, entry]) =>
    attributeLines(objectKey(key), entry, depth + 1),
  );
  return [{ depth, text: `${prefix}{` }, ...entries, { depth, text: `}${suffix}` }];
}

function elementLines(element: JsonValue, depth: number, suffix: string): Line[] {
  const inline = inlineValue(element, 2 * depth);
  if (inline !== undefined) return [{ depth, text: inline + suffix }];
  return expandedLines("", element, depth, suffix);
}

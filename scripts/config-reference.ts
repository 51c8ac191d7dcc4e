/**
 * docs/config-reference.md, written from the config schema (lib/config.ts) by `npm run docs`:
 * every field of a config file with its type, whether it is required, its default and what it
 * means. A unit test (__tests__/docs.test.ts) renders it again and fails when the file differs.
 *
 * The types, the required fields and the schema's own defaults come from the zod schema through
 * its JSON Schema (`z.toJSONSchema`, input side). The meanings are written once: a field that
 * maps to a construct's prop takes the prop's JSDoc and `@default` (scripts/jsdoc.ts), found
 * through the `.meta()` of the schema (see lib/config.ts); a field only the config has carries
 * its own `description`. Rendering fails, naming the field, when a field has no meaning, when it
 * names a prop that does not exist, when it has both a description and a prop, or when the
 * schema's default and the prop's `@default` disagree.
 */

import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import * as moduleExports from "../lib";
import { CONFIG_FILE_SCHEMAS } from "../lib/config";
import * as policyExports from "../lib/policy";
import { type MemberDoc, PropsDocs } from "./jsdoc";
import { headingAnchor, tableCell } from "./markdown";

const ROOT = join(__dirname, "..");

/** Where the config reference lives. */
export const CONFIG_REFERENCE_PATH = join(ROOT, "docs", "config-reference.md");

/** The part of a JSON Schema that zod writes for the config, with the config's `.meta()` keys. */
interface Schema {
  readonly type?: string;
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly title?: string;
  readonly description?: string;
  /** The props interface whose members document this object's fields. */
  readonly props?: string;
  /** The prop that documents this field: a member of the object's `props`, or `Interface.member`. */
  readonly prop?: string;
  /** The default the config fills in, where the prop has none or another. */
  readonly defaultText?: string;
}

interface Row {
  readonly field: string;
  readonly type: string;
  /** "yes", "no", or when it is required. */
  readonly required: string;
  readonly default: string;
  readonly meaning: string;
}

interface Section {
  readonly title: string;
  readonly schema: Schema;
  /** Where it is used: `[Key policy](#key-policy) \`users[]\``. */
  readonly usedIn: string[];
  rows?: readonly Row[];
}

/** What the reference is made from. */
export interface ConfigReferenceSources {
  /** The two forms of a config file. */
  readonly schemas: { readonly oneKey: z.ZodType; readonly keyList: z.ZodType };
  /** The folder of the sources whose interfaces document the props. */
  readonly propsDir: string;
}

/** docs/config-reference.md's text. */
export function renderConfigReference(
  sources: ConfigReferenceSources = { schemas: CONFIG_FILE_SCHEMAS, propsDir: join(ROOT, "lib") },
): string {
  const docs = new PropsDocs(sources.propsDir);
  const keyList = jsonSchemaOf(sources.schemas.keyList);
  const oneKey = jsonSchemaOf(sources.schemas.oneKey);
  const keyEntry = keyList.properties!.keys.items!;
  assertKeyFieldsAtTopLevel(oneKey, keyList, keyEntry);

  const sections = new Map<string, Section>();
  const stack: Section = { title: "Stack", schema: keyList, usedIn: [] };
  const key: Section = {
    title: "Key",
    schema: keyEntry,
    usedIn: ["the top level of a config with one key (every field but `name`)"],
  };
  sections.set(stack.title, stack);
  sections.set(key.title, key);

  /** The type of a field (at `path` in `parent`), adding a section for each object it holds. */
  const typeOf = (schema: Schema, parent: Section, path: string): string => {
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return alternatives.map((alternative) => typeOf(alternative, parent, path)).join(" or ");
    if (schema.const !== undefined) return code(JSON.stringify(schema.const));
    if (schema.enum) return schema.enum.map((value) => code(JSON.stringify(value))).join(" or ");
    if (schema.type === "array") return `list of ${typeOf(schema.items!, parent, `${path}[]`)}`;
    if (schema.type === "object" && schema.properties) {
      const at = `${link(parent.title)} ${code(path)}`;
      if (!schema.title)
        throw new Error(`lib/config.ts: the object at ${parent.title} ${path} needs a title (.meta({ title }))`);
      const known = sections.get(schema.title);
      if (known && !isDeepStrictEqual(shapeOf(known.schema), shapeOf(schema))) {
        throw new Error(`lib/config.ts: two different objects have the title "${schema.title}"`);
      }
      const section = known ?? { title: schema.title, schema, usedIn: [] };
      sections.set(schema.title, section);
      if (!section.usedIn.includes(at)) section.usedIn.push(at);
      return link(schema.title);
    }
    if (schema.type === "object") {
      return typeof schema.additionalProperties === "object"
        ? `map of ${typeOf(schema.additionalProperties, parent, `${path}.*`)}`
        : "object";
    }
    return schema.type ?? "any";
  };

  // Sections are added as the fields that use them are described, each once.
  for (const section of sections.values()) {
    const { properties = {}, required = [] } = section.schema;
    section.rows = Object.entries(properties).map(([field, schema]) => {
      const isRequired = required.includes(field);
      const doc = documentation(docs, section, field, schema);
      return {
        field,
        type: typeOf(schema, section, field),
        required: !isRequired
          ? "no"
          : section === stack && !(field in oneKey.properties!)
            ? "yes, in a config that lists its keys"
            : "yes",
        default: isRequired ? "" : inlineValues(defaultOf(section, field, schema, doc.member)),
        meaning: inlineValues(doc.meaning),
      };
    });
  }

  const constants = constantsNamed(
    [...sections.values()].flatMap((section) => section.rows!.flatMap((row) => [row.meaning, row.default])),
  );
  const withLinks = (text: string) => linkPages(linkConstants(text, constants));

  const lines = [
    "# Config file reference",
    "",
    "<!-- Generated from lib/config.ts and the constructs' props by `npm run docs`; do not edit by hand. -->",
    "",
    "Every field of a stack config file (how to write one: [config-files.md](config-files.md)). A",
    "config file holds one key at its top level (the [Stack](#stack) fields and the [Key](#key)",
    "fields but `name`, as `stacks/global-encrypt.json` does) or a list of `keys` (the Stack fields",
    "and `keys`, each entry with the Key fields).",
    "",
    "The config file checks the shape of each field (its name and type). The values are checked by",
    "the constructs the fields become (`lib/multi-region-key.ts`, `lib/key-policy.ts`, ...), as for",
    "a stack written in TypeScript, and each problem is reported at the config's field. A field's",
    "meaning and default are those of the construct's prop, where it has one.",
    "",
  ];
  for (const section of sections.values()) {
    lines.push(`## ${section.title}`, "");
    if (section.usedIn.length > 0) lines.push(`In: ${section.usedIn.join(", ")}.`, "");
    lines.push("| field | type | required | default | meaning |", "|---|---|---|---|---|");
    for (const row of section.rows!) {
      const cells = [code(row.field), row.type, row.required, withLinks(row.default), withLinks(row.meaning)];
      lines.push(`| ${cells.map(tableCell).join(" | ")} |`);
    }
    lines.push("");
  }
  if (constants.size > 0) {
    lines.push("## Constants", "", "The values the defaults above name, as the package exports them.", "");
    for (const [name, value] of constants) lines.push(`### ${code(name)}`, "", constantValue(value), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** What makes two objects the same: their fields, not what the fields that hold them say. */
function shapeOf(schema: Schema): unknown {
  return { properties: schema.properties, required: schema.required };
}

/** The input side of a zod schema as JSON Schema: what a config file may hold. */
function jsonSchemaOf(schema: z.ZodType): Schema {
  return z.toJSONSchema(schema, { io: "input" }) as Schema;
}

/** The page says a config with one key has the key fields at its top level; so does the schema. */
function assertKeyFieldsAtTopLevel(oneKey: Schema, keyList: Schema, keyEntry: Schema): void {
  const names = (schema: Schema) => Object.keys(schema.properties ?? {}).sort();
  const expected = [
    ...names(keyList).filter((field) => field !== "keys"),
    ...names(keyEntry).filter((field) => field !== "name"),
  ].sort();
  if (!isDeepStrictEqual(names(oneKey), expected)) {
    throw new Error(
      `lib/config.ts: a config with one key has the fields ${names(oneKey).join(", ")}, not the stack's and a key's`,
    );
  }
}

/** A field's meaning: its own `description`, or its prop's JSDoc. */
function documentation(
  docs: PropsDocs,
  section: Section,
  field: string,
  schema: Schema,
): { meaning: string; member?: MemberDoc } {
  const where = `lib/config.ts: ${section.title} ${field}`;
  const explicitProp =
    schema.prop &&
    (schema.prop.includes(".") ? schema.prop : section.schema.props && `${section.schema.props}.${schema.prop}`);
  if (schema.prop && !explicitProp)
    throw new Error(`${where}: names prop ${schema.prop}, but its object names no props interface`);
  // A description takes the place of a prop of the same name: the config's `key` of a bucket
  // set names a key, where the prop holds the key itself.
  if (schema.description) {
    if (explicitProp) throw new Error(`${where}: has a description and a prop; write its meaning once`);
    return { meaning: schema.description };
  }
  const prop = explicitProp ?? (section.schema.props && `${section.schema.props}.${field}`);
  if (!prop)
    throw new Error(`${where}: has no meaning: give it .meta({ description }), or map its object to a props interface`);
  const [name, member] = prop.split(".");
  let found: MemberDoc;
  try {
    found = docs.member(name, member);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  if (!found.text) throw new Error(`${where}: ${prop} has no JSDoc text`);
  return { meaning: found.text, member: found };
}

/** A field's default: the config's, else its prop's `@default`, else the schema's, else none. */
function defaultOf(section: Section, field: string, schema: Schema, member: MemberDoc | undefined): string {
  const documented = schema.defaultText ?? member?.default;
  if (documented !== undefined && schema.default !== undefined) {
    const literal = jsonLiteral(documented);
    if (literal.ok && !isDeepStrictEqual(literal.value, schema.default)) {
      throw new Error(
        `lib/config.ts: ${section.title} ${field}: the schema's default ${JSON.stringify(schema.default)} is not the documented ${documented}`,
      );
    }
  }
  if (documented !== undefined) return jsonLiteral(documented).ok ? code(documented) : documented;
  return schema.default !== undefined ? code(JSON.stringify(schema.default)) : "none";
}

function jsonLiteral(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * `{@link MIN_DELETION_WINDOW_DAYS}` in a prop's JSDoc, written as the constant's value (`7`)
 * when it is a number or a string: the reader wants the limit, not its name. Any other
 * constant keeps its name, which `linkConstants` links to its value at the end of the page.
 */
function inlineValues(text: string): string {
  const exported: Record<string, unknown> = { ...moduleExports, ...policyExports };
  return text.replace(/\{@link\s+([A-Za-z_$][\w$]*)\s*\}/g, (_, name: string) => {
    const value = exported[name];
    if (value === undefined) throw new Error(`{@link ${name}} names no constant the package exports`);
    return typeof value === "number" || typeof value === "string" ? String(value) : name;
  });
}

/** The module's exported constants (`KEY_USER_ACTIONS`) that these texts name. */
function constantsNamed(texts: readonly string[]): Map<string, unknown> {
  const exported: Record<string, unknown> = { ...moduleExports, ...policyExports };
  const names = new Set(texts.flatMap((text) => text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []));
  return new Map(
    [...names]
      .filter((name) => name in exported)
      .sort()
      .map((name) => [name, exported[name]]),
  );
}

function linkConstants(text: string, constants: ReadonlyMap<string, unknown>): string {
  return text.replace(/`?\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b`?/g, (whole, name: string) =>
    constants.has(name) ? `[${code(name)}](#${headingAnchor(name)})` : whole,
  );
}

/** `docs/monitoring.md` and `RULES.md` in a text, as links from this page (which is in docs/). */
function linkPages(text: string): string {
  return text.replace(/\bdocs\/([a-z0-9-]+\.md)\b/g, "[$1]($1)").replace(/\bRULES\.md\b/g, "[RULES.md](../RULES.md)");
}

function constantValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => code(String(item))).join(", ");
  return code(typeof value === "string" ? value : JSON.stringify(value));
}

function link(title: string): string {
  return `[${title}](#${headingAnchor(title)})`;
}

function code(text: string): string {
  return `\`${text}\``;
}

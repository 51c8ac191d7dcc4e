/**
 * The JSDoc of the members of the module's interfaces (the constructs' props), read from the
 * source with the TypeScript compiler's parser: what a prop means and its `@default`. The
 * config reference (scripts/config-reference.ts) documents each config field that maps to a
 * prop with it, so that a meaning is written once, beside the prop.
 *
 * Only the files that declare a requested interface are parsed (no type checking), so a lookup
 * costs a few milliseconds once TypeScript is loaded.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

/** What the JSDoc of an interface member says. */
export interface MemberDoc {
  /** The comment's text, on one line. */
  readonly text: string;
  /** Its `@default`, if it has one. */
  readonly default?: string;
}

/** An interface of the module: its members' docs, and the interfaces it extends. */
interface InterfaceDoc {
  readonly file: string;
  readonly members: ReadonlyMap<string, MemberDoc>;
  readonly extends: readonly string[];
}

/** Reads the JSDoc of the interfaces declared in the `.ts` files below `dir`. */
export class PropsDocs {
  /** The text of each source file, by path. */
  private readonly texts: ReadonlyMap<string, string>;
  private readonly parsed = new Map<string, ReadonlyMap<string, InterfaceDoc>>();

  constructor(private readonly dir: string) {
    this.texts = new Map(tsFilesBelow(dir).map((file) => [file, readFileSync(file, "utf8")]));
  }

  /**
   * The doc of `member` of the interface `name` (or of an interface it extends). Throws, naming
   * what is missing, when there is no such interface or member.
   */
  member(name: string, member: string): MemberDoc {
    const found = this.find(name, member);
    if (!found) throw new Error(`${this.interfaceNamed(name).file}: interface ${name} has no member ${member}`);
    return found;
  }

  private find(name: string, member: string): MemberDoc | undefined {
    const declared = this.interfaceNamed(name);
    const own = declared.members.get(member);
    if (own) return own;
    for (const base of declared.extends) {
      const inherited = this.find(base, member);
      if (inherited) return inherited;
    }
    return undefined;
  }

  private interfaceNamed(name: string): InterfaceDoc {
    const declaration = new RegExp(`\\binterface ${name}\\b`);
    for (const [file, text] of this.texts) {
      // A text search first: only the files that may declare it are parsed.
      if (!declaration.test(text)) continue;
      const found = this.interfacesOf(file).get(name);
      if (found) return found;
    }
    throw new Error(`no interface ${name} is declared in ${this.dir}`);
  }

  private interfacesOf(file: string): ReadonlyMap<string, InterfaceDoc> {
    let interfaces = this.parsed.get(file);
    if (!interfaces) {
      interfaces = parseInterfaces(file, this.texts.get(file)!, relative(join(this.dir, ".."), file));
      this.parsed.set(file, interfaces);
    }
    return interfaces;
  }
}

function parseInterfaces(file: string, text: string, shownAs: string): Map<string, InterfaceDoc> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, InterfaceDoc>();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const members = new Map<string, MemberDoc>();
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
      members.set(member.name.text, memberDoc(member));
    }
    const bases = (statement.heritageClauses ?? []).flatMap((clause) =>
      clause.types
        .map((type) => type.expression)
        .filter(ts.isIdentifier)
        .map((identifier) => identifier.text),
    );
    interfaces.set(statement.name.text, { file: shownAs, members, extends: bases });
  }
  return interfaces;
}

function memberDoc(member: ts.PropertySignature): MemberDoc {
  const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
  const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join(" ");
  const defaultTag = docs.flatMap((doc) => doc.tags ?? []).find((tag) => tag.tagName.text === "default");
  const defaultText = defaultTag && ts.getTextOfJSDocComment(defaultTag.comment);
  return { text: oneLine(text), ...(defaultText ? { default: oneLine(defaultText) } : {}) };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function tsFilesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return tsFilesBelow(path);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
    })
    .sort();
}

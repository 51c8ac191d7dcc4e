/**
 * Writes every generated doc, from the code it describes:
 *
 * - RULES.md, from the rule pack (scripts/rules-doc.ts);
 * - docs/config-reference.md, from the config schema and the constructs' props (scripts/config-reference.ts);
 * - the code snippets of README.md and docs/*.md, from the files they name (scripts/snippets.ts).
 *
 *   npm run docs
 *
 * A unit test (__tests__/docs.test.ts) renders each again and fails when a file differs.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CONFIG_REFERENCE_PATH, renderConfigReference } from "./config-reference";
import { RULES_DOC_PATH, renderRulesDoc } from "./rules-doc";
import { refreshSnippets } from "./snippets";

const ROOT = join(__dirname, "..");

/** A generated doc: where it is, and how its text is made. */
export interface GeneratedDoc {
  /** The path from the repository's root. */
  readonly path: string;
  readonly render: () => string;
}

/** Every generated doc: the references, and each page with snippets, as it should read now. */
export function generatedDocs(): GeneratedDoc[] {
  const generated = [RULES_DOC_PATH, CONFIG_REFERENCE_PATH];
  const pages = [
    join(ROOT, "README.md"),
    ...readdirSync(join(ROOT, "docs"))
      .filter((name) => name.endsWith(".md"))
      .map((name) => join(ROOT, "docs", name)),
  ];
  return [
    { path: relative(ROOT, RULES_DOC_PATH), render: () => renderRulesDoc() },
    { path: relative(ROOT, CONFIG_REFERENCE_PATH), render: () => renderConfigReference() },
    ...pages
      .filter((page) => !generated.includes(page))
      .map((page) => ({
        path: relative(ROOT, page),
        render: () => refreshSnippets(readFileSync(page, "utf8"), relative(ROOT, page), ROOT),
      })),
  ];
}

if (require.main === module) {
  for (const doc of generatedDocs()) {
    const path = join(ROOT, doc.path);
    const text = doc.render();
    let current: string | undefined;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = undefined;
    }
    if (text === current) continue;
    writeFileSync(path, text);
    process.stdout.write(`wrote ${doc.path}\n`);
  }
}

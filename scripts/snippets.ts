/**
 * Code in the docs that is taken from files the tests compile and run, never typed by hand.
 *
 * A page marks where a snippet goes, and `npm run docs` writes the code between the markers:
 *
 *     <!-- snippet: examples/typescript-app/lib/payments-keys.ts#key -->
 *     ```ts
 *     (the lines of region "key" of that file)
 *     ```
 *     <!-- /snippet -->
 *
 * The path is from the repository's root. `#name` takes the lines between `// #region name` and
 * `// #endregion name` in the file (marker lines of other regions left out, indentation
 * removed); without it, the whole file. __tests__/docs.test.ts fails when a page's snippet
 * differs from its source.
 */
import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";

const START = /^<!-- snippet: ([^\s#]+)(?:#([\w-]+))? -->$/;
const END = "<!-- /snippet -->";
const FENCE = /^(```|~~~)/;
const REGION_MARKER = /^\s*\/\/ #(region|endregion) ([\w-]+)\s*$/;

/** The fence language of a file, by its extension. */
const LANGUAGES: Record<string, string> = {
  ".ts": "ts",
  ".js": "js",
  ".json": "json",
  ".tf": "hcl",
  ".sh": "sh",
  ".yml": "yaml",
};

/**
 * A page's text with every snippet written from its source under `root`. Markers inside a
 * fenced code block are text, not snippets. `page` names the page in errors: a snippet whose
 * file or region does not exist, or that is not closed.
 */
export function refreshSnippets(text: string, page: string, root: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    out.push(line);
    if (FENCE.test(line)) fenced = !fenced;
    const start = fenced ? null : START.exec(line);
    if (!start) continue;
    const [, path, region] = start;
    const where = `${page}: snippet ${path}${region ? `#${region}` : ""}`;
    const end = lines.indexOf(END, i + 1);
    if (end < 0) throw new Error(`${where}: has no "${END}" after it`);
    out.push(...fencedCode(root, path, region, where), END);
    i = end;
  }
  return out.join("\n");
}

/** The code of a snippet in a fenced block. */
function fencedCode(root: string, path: string, region: string | undefined, where: string): string[] {
  const file = join(root, path);
  if (!existsSync(file)) throw new Error(`${where}: no such file`);
  const source = readFileSync(file, "utf8");
  const code = region ? regionOf(source, region, where) : source.trimEnd();
  return [`\`\`\`${LANGUAGES[extname(path)] ?? ""}`, ...code.split("\n"), "```"];
}

/** The lines of a region, without marker lines and without their common indentation. */
function regionOf(source: string, region: string, where: string): string {
  const lines = source.split("\n");
  const start = lines.findIndex((line) => REGION_MARKER.exec(line)?.slice(1).join(" ") === `region ${region}`);
  const end = lines.findIndex(
    (line, index) => index > start && REGION_MARKER.exec(line)?.slice(1).join(" ") === `endregion ${region}`,
  );
  if (start < 0 || end < 0)
    throw new Error(`${where}: the file has no lines between "// #region ${region}" and "// #endregion ${region}"`);
  const body = lines.slice(start + 1, end).filter((line) => !REGION_MARKER.test(line));
  const indent = Math.min(...body.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)![0].length));
  return body
    .map((line) => line.slice(indent))
    .join("\n")
    .trimEnd();
}

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

const SNIPPET = /(<!-- snippet: ([^\s#]+)(?:#([\w-]+))? -->\n)[\s\S]*?(<!-- \/snippet -->)/g;
const REGION_MARKER = /^\s*\/\/ #(region|endregion) ([\w-]+)\s*$/;

/** The fence language of a file, by its extension. */
const LANGUAGES: Record<string, string> = { ".ts": "ts", ".js": "js", ".json": "json", ".tf": "hcl", ".sh": "sh", ".yml": "yaml" };

/**
 * A page's text with every snippet written from its source under `root`. `page` names the page
 * in errors: a snippet whose file or region does not exist.
 */
export function refreshSnippets(text: string, page: string, root: string): string {
  return text.replace(SNIPPET, (_, start: string, path: string, region: string | undefined, end: string) => {
    const where = `${page}: snippet ${path}${region ? `#${region}` : ""}`;
    const file = join(root, path);
    if (!existsSync(file)) throw new Error(`${where}: no such file`);
    const code = region ? regionOf(readFileSync(file, "utf8"), region, where) : readFileSync(file, "utf8").trimEnd();
    return `${start}\`\`\`${LANGUAGES[extname(path)] ?? ""}\n${code}\n\`\`\`\n${end}`;
  });
}

/** The lines of a region, without marker lines and without their common indentation. */
function regionOf(source: string, region: string, where: string): string {
  const lines = source.split("\n");
  const start = lines.findIndex((line) => REGION_MARKER.exec(line)?.slice(1).join(" ") === `region ${region}`);
  const end = lines.findIndex((line, index) => index > start && REGION_MARKER.exec(line)?.slice(1).join(" ") === `endregion ${region}`);
  if (start < 0 || end < 0) throw new Error(`${where}: the file has no lines between "// #region ${region}" and "// #endregion ${region}"`);
  const body = lines.slice(start + 1, end).filter((line) => !REGION_MARKER.test(line));
  const indent = Math.min(...body.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)![0].length));
  return body.map((line) => line.slice(indent)).join("\n").trimEnd();
}

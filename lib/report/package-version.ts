/**
 * This package's version, from its package.json: two folders up from `lib/report/` in the
 * repository and from `dist/report/` in the installed package.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

let version: string | undefined;

export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
  return version;
}

/**
 * This package's version, from its package.json: the closest one above this file whose name is
 * the package's. That is two folders up from `lib/report/` in the repository and from
 * `dist/report/` in the installed package, and one up from `.bundles/` when the repository's
 * scripts run the command compiled (scripts/run-compiled.js).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "multi-region-kms-keys";

let version: string | undefined;

export function packageVersion(): string {
  version ??= findVersion(__dirname);
  return version;
}

function findVersion(folder: string): string {
  const path = join(folder, "package.json");
  if (existsSync(path)) {
    const manifest = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
    if (manifest.name === PACKAGE_NAME && manifest.version) return manifest.version;
  }
  if (dirname(folder) === folder) throw new Error(`no package.json of ${PACKAGE_NAME} above ${__dirname}`);
  return findVersion(dirname(folder));
}

/**
 * The libraries every test file loads, bundled into one file for Jest: jest.config.js's
 * `globalSetup` builds it, and its `moduleNameMapper` sends each library there.
 *
 * Jest gives each test file a registry of modules of its own, so every test file loads cdktf
 * (some 400 modules) and zod (some 100) again, reading and compiling each file. One bundle of
 * them loads in a fraction of that time: the unit suite runs about a tenth faster.
 *
 * `.bundles/jest/libraries.js` holds the libraries, each exported under its own name, built with
 * esbuild when it is missing or older than the last install; `.bundles/jest/<library>.js` is a
 * one-line module for each library, written at every run, that Jest loads in its place. A
 * library not listed here loads from node_modules as usual; one that imports a listed library
 * gets the bundle's.
 */
"use strict";
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");

const ROOT = join(__dirname, "..");
const DIR = join(ROOT, ".bundles", "jest");
const BUNDLE = join(DIR, "libraries.js");

/** What every test file loads: cdktf and zod. */
const LIBRARIES = ["cdktf", "zod"];

/** What changes when libraries are installed: the lock file, and npm's copy of it in node_modules. */
const INSTALLED = [join(ROOT, "package-lock.json"), join(ROOT, "node_modules", ".package-lock.json")];

/** The module Jest loads for a library: `.bundles/jest/zod.js` for "zod". */
function standInPath(library) {
  return join(DIR, `${library}.js`);
}

/** jest.config.js's `moduleNameMapper`: each library, exactly, to its stand-in. */
const moduleNameMapper = Object.fromEntries(
  LIBRARIES.map((library) => [`^${library.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`, standInPath(library)]),
);

/** Whether the bundle is missing, of other libraries, or older than the last install (or this file). */
function isStale() {
  const recorded = `${BUNDLE}.libraries.json`;
  if (!existsSync(BUNDLE) || !existsSync(recorded) || readFileSync(recorded, "utf8") !== JSON.stringify(LIBRARIES)) return true;
  const built = statSync(BUNDLE).mtimeMs;
  return [...INSTALLED, __filename].some((path) => !existsSync(path) || statSync(path).mtimeMs > built);
}

/**
 * Bundles the libraries into one file that exports each under its own name, written to a
 * temporary name first, so that a concurrent run never loads half a file.
 */
async function buildBundle() {
  const imports = LIBRARIES.map((name, index) => `import * as library${index} from ${JSON.stringify(name)};`);
  const exported = LIBRARIES.map((name, index) => `  library${index} as ${JSON.stringify(name)},`);
  const result = await require("esbuild").build({
    stdin: { contents: [...imports, "export {", ...exported, "};", ""].join("\n"), resolveDir: ROOT, sourcefile: "<stdin>", loader: "js" },
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // A library's ES module build where it has one: some CommonJS builds require their own
    // files by names a bundler cannot follow.
    mainFields: ["module", "main"],
    // A map beside the bundle: a failing test's stack trace shows the libraries' own files.
    sourcemap: "linked",
    sourcesContent: false,
    write: false,
    outfile: BUNDLE,
    logLevel: "warning",
  });
  mkdirSync(DIR, { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  const files = [...result.outputFiles.map((file) => [file.path, file.contents]), [`${BUNDLE}.libraries.json`, JSON.stringify(LIBRARIES)]];
  for (const [path, contents] of files) writeFileSync(path + suffix, contents);
  for (const [path] of files) renameSync(path + suffix, path);
}

/** Jest's `globalSetup`: builds the bundle if needed, and writes the stand-ins. */
async function globalSetup() {
  if (isStale()) await buildBundle();
  for (const library of LIBRARIES) {
    const standIn = standInPath(library);
    mkdirSync(dirname(standIn), { recursive: true });
    writeFileSync(standIn, `module.exports = require(${JSON.stringify(BUNDLE)})[${JSON.stringify(library)}];\n`);
  }
}

module.exports = globalSetup;
module.exports.moduleNameMapper = moduleNameMapper;

/**
 * The libraries every test file loads, bundled into one file for Jest: jest.config.js's
 * `globalSetup` builds it, and its `moduleNameMapper` sends each library there.
 *
 * Jest gives each test file a registry of modules of its own, so every test file loads cdktf
 * (some 400 modules) and zod (some 100) again, reading and compiling each file. One bundle of
 * them loads in a fraction of that time: the unit suite runs about a tenth faster.
 *
 * `.bundles/jest/libraries.js` holds the libraries, built as scripts/run-compiled.js builds an
 * app's (when missing, or older than the last install); `.bundles/jest/<library>.js` is a one-line
 * module for each library, written at every run, that Jest loads in its place. A library not
 * listed here loads from node_modules as usual; one that imports a listed library gets the
 * bundle's.
 */
"use strict";
const { mkdirSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { buildLibraries } = require("./run-compiled");

const DIR = join(__dirname, "..", ".bundles", "jest");
const BUNDLE = join(DIR, "libraries.js");

/** What every test file loads: cdktf with the part of it lib/stack-json.ts imports, and zod. */
const LIBRARIES = ["cdktf", "cdktf/lib/util", "zod"];

/** The module Jest loads for a library: `.bundles/jest/cdktf/lib/util.js` for "cdktf/lib/util". */
function standInPath(library) {
  return join(DIR, `${library}.js`);
}

/** jest.config.js's `moduleNameMapper`: each library, exactly, to its stand-in. */
const moduleNameMapper = Object.fromEntries(
  LIBRARIES.map((library) => [`^${library.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`, standInPath(library)]),
);

/** Jest's `globalSetup`: builds the bundle if needed, and writes the stand-ins. */
async function globalSetup() {
  await buildLibraries(BUNDLE, LIBRARIES);
  for (const library of LIBRARIES) {
    const standIn = standInPath(library);
    mkdirSync(dirname(standIn), { recursive: true });
    writeFileSync(standIn, `module.exports = require(${JSON.stringify(BUNDLE)})[${JSON.stringify(library)}];\n`);
  }
}

module.exports = globalSetup;
module.exports.moduleNameMapper = moduleNameMapper;

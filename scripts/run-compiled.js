/**
 * `node scripts/run-compiled.js <entry.ts> [args...]`: runs a TypeScript entry point of this
 * project as plain JavaScript, which starts several times faster than a TypeScript loader.
 *
 * cdktf.json's app (`cdktf synth`, `cdktf deploy`) and `npm run synth` go through here.
 * esbuild bundles the entry and every project file it imports into one file,
 * `.bundles/<entry path>.js`. It is rebuilt, in about a tenth of a second, whenever one of
 * those files is newer than it or is gone, so an edit to a construct or a stack shows up in the
 * next synth with no build step to remember. Libraries (cdktf, the AWS provider's bindings, ...)
 * are not bundled: node loads them from node_modules, each when it is first required. The two
 * in BUNDLED are the exception (see there). A bundle runs from V8's code cache of its build
 * and command, `.bundles/<entry path>.js[.<command>].cache`, which the first run of the build
 * leaves (see loadBundle).
 *
 * Bundles sit one folder below the project, as `stacks/` and `scripts/` do, so `__dirname` +
 * ".." is the project either way.
 *
 * An entry either does its work when loaded (main.ts) or exports `main(args)`, which is called
 * with the arguments after the entry. A bug's stack trace shows the bundle's lines; node maps
 * them back to the TypeScript files through the bundle's source map when asked:
 * `node --enable-source-maps scripts/run-compiled.js ...` (or `NODE_OPTIONS=--enable-source-maps`).
 * (Not by default: node then reads the source map of every module cdktf loads, which costs
 * more than the synth.)
 *
 * This file is JavaScript so that node runs it with no loader. Type checking is `npm run typecheck`.
 */
"use strict";
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } = require("node:path");
const { Script, constants: vmConstants } = require("node:vm");

const ROOT = resolve(__dirname, "..");
const DIST = join(ROOT, ".bundles");

/**
 * Libraries bundled from their ES module builds, which esbuild trims to what the project uses.
 * zod's CommonJS entry loads all 64 of its locales (about 45 ms: the project uses English
 * only) and every schema type; jsonc-parser's is a UMD build of six modules. Measured on the
 * default stack's `mrk synth`, in turns: about 45 ms less of 0.57 s (docs/performance.md).
 * The bundle is rebuilt when another version of one of them is installed (isStale).
 */
const BUNDLED = new Set(["zod", "jsonc-parser"]);

/** The package a bare import names: `zod` for `zod/mini`, `@scope/name` for `@scope/name/x`. */
function packageOf(specifier) {
  const parts = specifier.split("/");
  return parts.slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
}

/** An esbuild plugin that leaves every library import a require, except BUNDLED's. */
const externalLibraries = {
  name: "external-libraries",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      BUNDLED.has(packageOf(path)) ? undefined : { path, external: true },
    );
  },
};

/**
 * The bundle of an entry, named after its path in the project, so that two entries never share
 * one: `main.ts` gives `.bundles/main.js`, `lib/cli/main.ts` gives `.bundles/lib.cli.main.js`.
 * (Named after the file alone, the two took turns in `.bundles/main.js`: each ran the other's
 * bundle when the other had built it last, since a bundle is rebuilt only when its own inputs
 * change.) An entry outside the project gets its file name and a hash of its path.
 */
function bundlePathOf(entry) {
  const path = resolve(entry);
  const inProject = relative(ROOT, path);
  const name =
    inProject && !inProject.startsWith("..") && !isAbsolute(inProject)
      ? inProject
          .slice(0, -extname(inProject).length || undefined)
          .split(sep)
          .join(".")
      : // node:crypto only here: loading it is about 5 ms of every run.
        `${basename(path, extname(path))}-${require("node:crypto").createHash("sha256").update(path).digest("hex").slice(0, 12)}`;
  return join(DIST, `${name}.js`);
}

/**
 * What a bundle was built from, or undefined if it has not been built: its entry, the project
 * files in it (paths from the project) and the version of each BUNDLED library in it (by the
 * library's folder). Written beside the bundle as `<bundle>.build.json`.
 */
function readBuildRecord(bundle) {
  const path = `${bundle}.build.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

/**
 * Whether a bundle is missing, of another entry (an entry moved, or renamed), older than a
 * project file it was built from or than this file (the build's options), or of another
 * version of a BUNDLED library. A library's files are not compared by time: npm and pnpm give
 * them the time they were unpacked or the package's own, which says nothing of a change.
 */
function isStale(bundle, record, entry) {
  if (!record || record.entry !== entry) return true;
  const built = modifiedAt(bundle);
  const files = [...record.files.map((file) => join(ROOT, file)), __filename];
  if (files.some((path) => !(modifiedAt(path) <= built))) return true;
  return Object.entries(record.libraries).some(([folder, version]) => versionIn(join(ROOT, folder)) !== version);
}

/** A file's modification time in ms, or NaN if it is gone. */
function modifiedAt(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Number.NaN;
}

/** The version of the package in `folder`, or undefined if it is gone. */
function versionIn(folder) {
  const manifest = join(folder, "package.json");
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, "utf8")).version : undefined;
}

/** The comment that names a build in its bundle's first lines; a code cache names it too. */
const BUILD_LINE = /^\/\/ build ([0-9a-f-]{36})$/m;

/**
 * Bundles an entry with esbuild, and writes the bundle, its map and its build record
 * (readBuildRecord) to temporary names first, so a concurrent run never loads half a file.
 * Each build gets an id of its own, in a comment at the top of the bundle (see loadBundle).
 */
async function build(entry, bundle) {
  const esbuild = require("esbuild");
  mkdirSync(dirname(bundle), { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    // Every other import of a package stays a require, resolved from node_modules when it runs.
    plugins: [externalLibraries],
    // ES module builds first, so that the BUNDLED libraries are trimmed.
    mainFields: ["module", "main"],
    platform: "node",
    target: "node20",
    format: "cjs",
    // A map beside the bundle, for `--enable-source-maps` (see the file comment).
    sourcemap: "linked",
    sourcesContent: false,
    // BUNDLED libraries are found in the project's node_modules for an entry outside it too.
    nodePaths: [join(ROOT, "node_modules")],
    metafile: true,
    write: false,
    outfile: bundle,
    logLevel: "warning",
    banner: { js: `// build ${require("node:crypto").randomUUID()}` },
  });
  const files = [];
  const libraries = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const library = /^(?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+/.exec(input)?.[0];
    if (library) libraries[library] ??= versionIn(join(ROOT, library));
    else files.push(input);
  }
  writeFilesAtomically([
    ...result.outputFiles.map((file) => [file.path, file.path === bundle ? asciiOnly(file.text) : file.contents]),
    [`${bundle}.build.json`, JSON.stringify({ entry, files, libraries })],
  ]);
}

/**
 * The bundle's text with only ASCII characters. esbuild escapes every other character in code,
 * but leaves the comments it keeps (a few, inside expressions) as they are; one `—` in one of
 * zod's made the whole bundle a two-byte string for V8, about 25 ms more for every run to read
 * and compile it (measured on the default stack's `mrk synth`, in turns). In a comment, the
 * escape is only text.
 */
function asciiOnly(text) {
  return text.replace(/[^\p{ASCII}]/gu, (character) => `\\u{${character.codePointAt(0).toString(16)}}`);
}

/** Writes files to temporary names first, so a concurrent run never reads half a file. */
function writeFilesAtomically(files) {
  const suffix = `.${process.pid}.tmp`;
  for (const [path, contents] of files) writeFileSync(path + suffix, contents);
  for (const [path] of files) renameSync(path + suffix, path);
}

/**
 * Runs a bundle as node's require would (a CommonJS module with its own require, relative to
 * the bundle), and returns its exports, with V8's code cache (cachePathOf): the bytecode of
 * every function that the first run of this build compiled, from which later runs start
 * instead of parsing and compiling the bundle again (node 22's module.enableCompileCache does
 * the same for every module; node 20 has only node:vm's cachedData). Measured on the default
 * stack's `mrk synth`, in turns: about 50 ms less of 0.53 s (docs/performance.md).
 *
 * V8 checks that a cache was made by the same V8 with the same flags, but of the source only
 * its length: a cache of another build of the bundle would run that build's code. So a cache
 * starts with the id of the build it was made from (BUILD_LINE), and one of another build is
 * never handed to V8. A cache that cannot be written (a read-only checkout) is not an error;
 * under --enable-source-maps the bundle is required as it is, for node to read its map.
 */
function loadBundle(bundle, args) {
  if (process.sourceMapsEnabled) return require(bundle);
  const source = readFileSync(bundle, "utf8");
  const buildId = BUILD_LINE.exec(source.slice(0, 200))?.[1];
  const cachePath = cachePathOf(bundle, args);
  const cachedData = buildId ? readCache(cachePath, buildId) : undefined;
  // node's CommonJS wrapper; a `#!` line made a comment, so that every line keeps its number.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source.replace(/^#!/, "//")}\n})`;
  const script = new Script(wrapped, {
    filename: bundle,
    cachedData,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (buildId && (!cachedData || script.cachedDataRejected)) {
    // At exit, so that the cache holds what the whole run compiled, not only the top level.
    process.once("exit", () => {
      try {
        writeFilesAtomically([[cachePath, Buffer.concat([Buffer.from(`${buildId}\n`), script.createCachedData()])]]);
      } catch {
        // The next run compiles the bundle again, as node's require would.
      }
    });
  }
  const module = { exports: {}, filename: bundle, id: bundle };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return module.exports;
}

/**
 * Where a bundle's code cache for a run with `args` is: one per command, `<bundle>.<command>.cache`
 * when the first argument is a command's name (`mrk synth`, `mrk check`), else `<bundle>.cache`.
 * A run compiles what its command runs: from a cache that `mrk check` left, `mrk synth` would
 * compile most of its own code again.
 */
function cachePathOf(bundle, args) {
  const command = /^[a-z][a-z-]*$/.test(args[0] ?? "") ? `.${args[0]}` : "";
  return `${bundle}${command}.cache`;
}

/** The code cache at `path` if it was made from the build `buildId`, or undefined. */
function readCache(path, buildId) {
  if (!existsSync(path)) return undefined;
  const cache = readFileSync(path);
  const header = `${buildId}\n`;
  return cache.subarray(0, header.length).toString() === header ? cache.subarray(header.length) : undefined;
}

async function run() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write("usage: node scripts/run-compiled.js <entry.ts> [args...]\n");
    process.exit(2);
  }
  const bundle = bundlePathOf(entry);
  if (isStale(bundle, readBuildRecord(bundle), resolve(entry))) await build(resolve(entry), bundle);
  process.argv.splice(1, 2, bundle);
  const exported = loadBundle(bundle, args);
  if (typeof exported.main === "function") {
    // main runs once the bundle has loaded, on a stack without node's seven module-loading
    // frames: cdktf records a full stack trace for every token it makes, and those frames were
    // about 4% of the synth's CPU at 100 keys x 30 regions (docs/performance.md).
    await new Promise((resolve) => setImmediate(resolve));
    await exported.main(args);
  }
}

if (require.main === module) {
  run().catch((error) => {
    process.exitCode = 1;
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  });
}

module.exports = { bundlePathOf };

/**
 * `node scripts/run-compiled.js <entry.ts> [args...]`: runs a TypeScript entry point of this
 * project as plain JavaScript, which starts several times faster than a TypeScript loader.
 *
 * cdktf.json's app (`cdktf synth`, `cdktf deploy`) and `npm run synth` go through here.
 * esbuild bundles the entry and every project file it imports into one file,
 * `.bundles/<entry path>.js`. It is rebuilt, in about a tenth of a second, whenever one of
 * those files is newer than it or is gone, so an edit to a construct or a stack shows up in the
 * next synth with no build step to remember. Libraries (cdktf, the AWS provider's bindings,
 * zod, ...) are not bundled: node loads them from node_modules, each when it is first required.
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
const { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } = require("node:path");

const ROOT = resolve(__dirname, "..");
const DIST = join(ROOT, ".bundles");

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

/** What esbuild reported about a bundle it built, or undefined if there is none. */
function readMetafile(bundle) {
  const path = `${bundle}.meta.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

/**
 * Whether a bundle is missing, of another entry (an entry moved, or renamed), or older than a
 * project file it was built from or than this file (the build's options).
 */
function isStale(bundle, metafile, entry) {
  if (!metafile || !existsSync(bundle) || metafile.entry !== entry) return true;
  const built = statSync(bundle).mtimeMs;
  const projectFiles = Object.keys(metafile.inputs).map((input) => join(ROOT, input));
  return [...projectFiles, __filename].some((path) => !existsSync(path) || statSync(path).mtimeMs > built);
}

/**
 * Bundles an entry with esbuild, and writes the bundle, its map and its metafile (with the
 * entry recorded) to temporary names first, so a concurrent run never loads half a file.
 */
async function build(entry, bundle) {
  const esbuild = require("esbuild");
  mkdirSync(dirname(bundle), { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    // Every import of a package stays a require, resolved from node_modules when it runs.
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    // A map beside the bundle, for `--enable-source-maps` (see the file comment).
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    outfile: bundle,
    logLevel: "warning",
  });
  const suffix = `.${process.pid}.tmp`;
  const files = [
    ...result.outputFiles.map((file) => [file.path, file.contents]),
    [`${bundle}.meta.json`, JSON.stringify({ ...result.metafile, entry })],
  ];
  for (const [path, contents] of files) writeFileSync(path + suffix, contents);
  for (const [path] of files) renameSync(path + suffix, path);
}

async function run() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write("usage: node scripts/run-compiled.js <entry.ts> [args...]\n");
    process.exit(2);
  }
  const bundle = bundlePathOf(entry);
  if (isStale(bundle, readMetafile(bundle), resolve(entry))) await build(resolve(entry), bundle);
  process.argv.splice(1, 2, bundle);
  const exported = require(bundle);
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

/**
 * `node scripts/run-compiled.js <entry.ts> [args...]`: runs a TypeScript entry point of this
 * project as plain JavaScript, which starts several times faster than a TypeScript loader.
 *
 * cdktf.json's app (`cdktf synth`, `cdktf deploy`) and `npm run synth` go through here. The
 * entry and every project file it imports are bundled by esbuild into `dist/<entry name>.js`. Bundles sit one folder below the
 * project, as `stacks/` and `scripts/` do, so `__dirname` + ".." is the project either way. The bundle is rebuilt, in about a
 * tenth of a second, whenever one of those files is newer than it or is gone, so an edit to a
 * construct or a stack shows up in the next synth with no build step to remember.
 *
 * An entry either does its work when loaded (main.ts) or exports `main(args)`, which is called
 * with the arguments after the entry. A bug's stack trace shows the TypeScript files and lines.
 *
 * This file is JavaScript so that node runs it with no loader. Type checking is `npm run build`.
 */
"use strict";
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { SourceMap } = require("node:module");
const { basename, dirname, extname, join, resolve } = require("node:path");

const ROOT = resolve(__dirname, "..");
const DIST = join(ROOT, "dist");

/** The bundle of an entry: `main.ts` gives `dist/main.js`, `scripts/synth.ts` gives `dist/synth.js`. */
function bundlePathOf(entry) {
  return join(DIST, `${basename(entry, extname(entry))}.js`);
}

/**
 * Whether the bundle is missing, or older than a file it was built from, than this file (the
 * build's options) or than package-lock.json (the versions of the bundled libraries).
 */
function isStale(bundle, metafile) {
  if (!existsSync(bundle) || !existsSync(metafile)) return true;
  const built = statSync(bundle).mtimeMs;
  const inputs = Object.keys(JSON.parse(readFileSync(metafile, "utf8")).inputs).map((input) => join(ROOT, input));
  return [...inputs, __filename, join(ROOT, "package-lock.json")].some(
    (path) => !existsSync(path) || statSync(path).mtimeMs > built,
  );
}

/** Bundles the entry; writes to temporary names first so a concurrent run never loads half a file. */
function build(entry, bundle, metafile) {
  const esbuild = require("esbuild");
  mkdirSync(dirname(bundle), { recursive: true });
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [resolve(entry)],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // cdktf and the AWS provider's bindings load from node_modules, as in any cdktf app.
    // Smaller libraries (zod, jsonc-parser) are bundled: one file loads faster than hundreds.
    packages: "external",
    // A map beside the bundle: a bug's stack trace is shown with the TypeScript lines (see run()).
    sourcemap: "linked",
    metafile: true,
    write: false,
    outfile: bundle,
    logLevel: "warning",
  });
  const suffix = `.${process.pid}.tmp`;
  const files = [...result.outputFiles.map((file) => [file.path, file.contents]), [metafile, JSON.stringify(result.metafile)]];
  for (const [path, contents] of files) writeFileSync(path + suffix, contents);
  for (const [path] of files) renameSync(path + suffix, path);
}

/**
 * Stack traces, set up for a synth:
 *
 * - cdktf records where each of its tokens was made: a full stack trace per token (every `.arn`
 *   read), formatted as text at once. A stack of thousands of keys makes tens of thousands of
 *   tokens, and formatting their traces takes about a second of the synth. cdktf shows these
 *   traces only in its own errors about misused tokens, so they are left empty here.
 * - Errors keep their stack traces, in V8's format, with the bundle's lines mapped back to the
 *   TypeScript files through the bundle's source map. (Node's own source map support would
 *   read the inline maps of every module cdktf loads, which costs more than the synth.)
 */
function formatStackTraces(bundle) {
  let sourceMap;
  const mapOfBundle = () => {
    sourceMap ??= new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
    return sourceMap;
  };
  const frame = (site) => {
    if (site.getFileName() !== bundle) return `    at ${site}`;
    const entry = mapOfBundle().findEntry(site.getLineNumber() - 1, site.getColumnNumber() - 1);
    if (!entry || !entry.originalSource) return `    at ${site}`;
    const where = `${resolve(dirname(bundle), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    const name = site.getFunctionName() ?? site.getMethodName();
    return name ? `    at ${name} (${where})` : `    at ${where}`;
  };
  Error.prepareStackTrace = (target, callSites) =>
    target instanceof Error ? [String(target), ...callSites.map(frame)].join("\n") : "";
}

function run() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write("usage: node scripts/run-compiled.js <entry.ts> [args...]\n");
    process.exit(2);
  }
  const bundle = bundlePathOf(entry);
  const metafile = `${bundle}.meta.json`;
  if (isStale(bundle, metafile)) build(entry, bundle, metafile);
  process.argv.splice(1, 2, bundle);
  formatStackTraces(bundle);
  const exported = require(bundle);
  if (typeof exported.main === "function") {
    Promise.resolve(exported.main(args)).catch((error) => {
      process.exitCode = 1;
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    });
  }
}

run();

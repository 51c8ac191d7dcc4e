/**
 * `node scripts/run-compiled.js <entry.ts> [args...]`: runs a TypeScript entry point of this
 * project as plain JavaScript, which starts several times faster than a TypeScript loader.
 *
 * cdktf.json's app (`cdktf synth`, `cdktf deploy`) and `npm run synth` go through here.
 * esbuild makes two bundles of an entry, since one file loads in a fraction of the time of the
 * hundreds of modules it replaces (cdktf alone is some 400):
 *
 * - `.bundles/<entry path>.js`: the entry and every project file it imports. It is rebuilt, in
 *   about a tenth of a second, whenever one of those files is newer than it or is gone, so an
 *   edit to a construct or a stack shows up in the next synth with no build step to remember.
 * - `.bundles/<entry path>.libraries.js`: the libraries those files import (cdktf, the AWS
 *   provider's bindings, zod), as the project imports them. Bundling them takes about a
 *   second, so it is done apart: when package-lock.json changes, or when the project starts to
 *   import another library module.
 *
 * Bundles sit one folder below the project, as `stacks/` and `scripts/` do, so `__dirname` +
 * ".." is the project either way.
 *
 * An entry either does its work when loaded (main.ts) or exports `main(args)`, which is called
 * with the arguments after the entry. A bug's stack trace shows the TypeScript files and lines.
 *
 * This file is JavaScript so that node runs it with no loader. Type checking is `npm run build`.
 */
"use strict";
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { isBuiltin, SourceMap } = require("node:module");
const { createHash } = require("node:crypto");
const { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } = require("node:path");

const ROOT = resolve(__dirname, "..");
const DIST = join(ROOT, ".bundles");
const PACKAGE_JSON = join(ROOT, "package.json");
/**
 * Development dependencies are not bundled: they load from node_modules when called.
 * hcl2json reads its WebAssembly file from beside itself, and esbuild is this launcher's own.
 */
const DEV_DEPENDENCIES = Object.keys(JSON.parse(readFileSync(PACKAGE_JSON, "utf8")).devDependencies ?? {});
/** What changes when libraries are installed: the lock file, and npm's copy of it in node_modules. */
const INSTALLED = [join(ROOT, "package-lock.json"), join(ROOT, "node_modules", ".package-lock.json")];
/** The namespace of a library import in the project bundle's build (and in its metafile's inputs). */
const LIBRARY = "library";

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
      ? inProject.slice(0, -extname(inProject).length || undefined).split(sep).join(".")
      : `${basename(path, extname(path))}-${createHash("sha256").update(path).digest("hex").slice(0, 12)}`;
  return join(DIST, `${name}.js`);
}

/** The libraries' bundle beside an entry's bundle: `.bundles/main.libraries.js`. */
function librariesPathOf(bundle) {
  return bundle.replace(/\.js$/, ".libraries.js");
}

/** What esbuild reported about a bundle it built, or undefined if there is none. */
function readMetafile(bundle) {
  const path = `${bundle}.meta.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

/** The library modules a project bundle imports ("cdktf", "@cdktf/provider-aws/lib/kms-key", ...), sorted. */
function librariesOf(metafile) {
  const prefix = `${LIBRARY}:`;
  return Object.keys(metafile.inputs)
    .filter((input) => input.startsWith(prefix))
    .map((input) => input.slice(prefix.length))
    .sort();
}

/**
 * Whether a bundle is missing, or older than a project file it was built from, than this file
 * (the build's options), than package.json (what is not bundled) or than the last install of
 * the libraries (package-lock.json, and npm's record of node_modules, which every install
 * rewrites). The libraries' own files are not compared one by one: there are hundreds.
 */
function isStale(bundle, metafile) {
  if (!metafile || !existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  const projectFiles = Object.keys(metafile.inputs)
    .filter((input) => !input.startsWith(`${LIBRARY}:`) && input !== "<stdin>" && !input.split("/").includes("node_modules"))
    .map((input) => join(ROOT, input));
  return [...projectFiles, __filename, PACKAGE_JSON, ...INSTALLED].some((path) => !existsSync(path) || statSync(path).mtimeMs > built);
}

/**
 * In the project bundle, an import of a library becomes a look-up in the libraries' bundle,
 * which esbuild leaves as a `require` of that file.
 */
function librariesFrom(librariesBundle) {
  const file = `./${basename(librariesBundle)}`;
  return {
    name: "libraries",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, kind }) => {
        if (kind === "entry-point" || isBuiltin(path)) return undefined;
        if (DEV_DEPENDENCIES.some((name) => path === name || path.startsWith(`${name}/`))) return { path, external: true };
        return { path, namespace: LIBRARY };
      });
      build.onResolve({ filter: /^\.\/[^/]+\.libraries\.js$/ }, ({ path }) => ({ path, external: true }));
      build.onLoad({ filter: /.*/, namespace: LIBRARY }, ({ path }) => ({
        contents: `module.exports = require(${JSON.stringify(file)})[${JSON.stringify(path)}];`,
        resolveDir: DIST,
        loader: "js",
      }));
    },
  };
}

/**
 * The libraries' bundle's entry: each library module the project imports, imported as the
 * project imports it and exported under its own name.
 */
function librariesSource(libraries) {
  const imports = libraries.map((name, index) => `import * as library${index} from ${JSON.stringify(name)};`);
  const exported = libraries.map((name, index) => `  library${index} as ${JSON.stringify(name)},`);
  return [...imports, "export {", ...exported, "};", ""].join("\n");
}

/**
 * Bundles with esbuild, and writes the bundle, its map and its metafile (with `recorded` added)
 * to temporary names first, so a concurrent run never loads half a file.
 */
async function build(bundle, options, recorded = {}) {
  const esbuild = require("esbuild");
  mkdirSync(dirname(bundle), { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // A map beside the bundle: a bug's stack trace is shown with the TypeScript lines (see run()).
    sourcemap: "linked",
    // Positions only: the sources' text would make the libraries' map three times larger.
    sourcesContent: false,
    metafile: true,
    write: false,
    outfile: bundle,
    logLevel: "warning",
    ...options,
  });
  const suffix = `.${process.pid}.tmp`;
  const metafile = { ...result.metafile, ...recorded };
  const files = [...result.outputFiles.map((file) => [file.path, file.contents]), [`${bundle}.meta.json`, JSON.stringify(metafile)]];
  for (const [path, contents] of files) writeFileSync(path + suffix, contents);
  for (const [path] of files) renameSync(path + suffix, path);
  return metafile;
}

/** Builds whichever of an entry's two bundles is stale. */
async function buildBundles(entry, bundle) {
  const librariesBundle = librariesPathOf(bundle);
  let metafile = readMetafile(bundle);
  // A bundle of another entry under the same name (an entry moved, or renamed) is stale too.
  if (isStale(bundle, metafile) || metafile.entry !== resolve(entry)) {
    metafile = await build(bundle, { entryPoints: [resolve(entry)], plugins: [librariesFrom(librariesBundle)] }, { entry: resolve(entry) });
  }
  const libraries = librariesOf(metafile);
  if (libraries.length > 0) await buildLibraries(librariesBundle, libraries);
}

/**
 * Bundles library modules ("cdktf", "zod", ...) into one file that exports each under its own
 * name, unless that bundle is there, of the same libraries and newer than their install.
 * The Jest setup (scripts/jest-libraries.js) builds its own with this too.
 */
async function buildLibraries(librariesBundle, libraries) {
  const built = readMetafile(librariesBundle);
  if (!isStale(librariesBundle, built) && JSON.stringify(built.libraries) === JSON.stringify(libraries)) return;
  const stdin = { contents: librariesSource(libraries), resolveDir: ROOT, sourcefile: "<stdin>", loader: "js" };
  // A library's ES module build where it has one: some CommonJS builds (jsonc-parser's UMD)
  // require their own files by names a bundler cannot follow.
  await build(librariesBundle, { stdin, mainFields: ["module", "main"] }, { libraries });
}

/**
 * Stack traces, set up for a synth:
 *
 * - cdktf records where each of its tokens was made: a full stack trace per token (every `.arn`
 *   read), formatted as text at once. A stack of thousands of keys makes tens of thousands of
 *   tokens, and formatting their traces takes about a second of the synth. cdktf shows these
 *   traces only in its own errors about misused tokens, so they are left empty here.
 * - Errors keep their stack traces, in V8's format, with the bundles' lines mapped back to the
 *   TypeScript files (and the libraries' own files) through the bundles' source maps. (Node's
 *   own source map support would read the inline maps of every module cdktf loads, which
 *   costs more than the synth.)
 */
function formatStackTraces(bundles) {
  const sourceMaps = new Map();
  const sourceMapOf = (bundle) => {
    if (!sourceMaps.has(bundle)) sourceMaps.set(bundle, new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8"))));
    return sourceMaps.get(bundle);
  };
  const frame = (site) => {
    const bundle = site.getFileName();
    if (!bundles.includes(bundle)) return `    at ${site}`;
    const entry = sourceMapOf(bundle).findEntry(site.getLineNumber() - 1, site.getColumnNumber() - 1);
    if (!entry || !entry.originalSource) return `    at ${site}`;
    const where = `${resolve(dirname(bundle), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    const name = site.getFunctionName() ?? site.getMethodName();
    return name ? `    at ${name} (${where})` : `    at ${where}`;
  };
  Error.prepareStackTrace = (target, callSites) =>
    target instanceof Error ? [String(target), ...callSites.map(frame)].join("\n") : "";
}

async function run() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write("usage: node scripts/run-compiled.js <entry.ts> [args...]\n");
    process.exit(2);
  }
  const bundle = bundlePathOf(entry);
  await buildBundles(entry, bundle);
  process.argv.splice(1, 2, bundle);
  formatStackTraces([bundle, librariesPathOf(bundle)]);
  const exported = require(bundle);
  if (typeof exported.main === "function") await exported.main(args);
}

if (require.main === module) {
  run().catch((error) => {
    process.exitCode = 1;
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  });
}

module.exports = { buildLibraries, bundlePathOf };

/**
 * scripts/run-compiled.js, which cdktf.json's app and `npm run synth` go through: it runs a
 * TypeScript entry as a bundle in .bundles/, rebuilt whenever a file it was built from changed,
 * from V8's code cache of the bundle's last build; the libraries it imports load from
 * node_modules, but for zod and jsonc-parser, which are bundled.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

// The project folder, without loading the app (and cdktf) into this test.
const PROJECT_ROOT = join(__dirname, "..", "..");
const LAUNCHER = join(PROJECT_ROOT, "scripts", "run-compiled.js");
const { bundlePathOf } = require(LAUNCHER) as { bundlePathOf: (entry: string) => string };
const dir = mkdtempSync(join(tmpdir(), "mrk-run-compiled-"));
const probes: Probe[] = [];

/** An entry of its own for each test (its bundles are built fresh), with a module it imports. */
interface Probe {
  readonly name: string;
  readonly entry: string;
  readonly helper: string;
  readonly bundle: string;
}

function probe(label: string, folder = dir): Probe {
  const name = `probe-${process.pid}-${label}`;
  const entry = join(folder, `${name}.ts`);
  const made = { name, entry, helper: join(folder, `${name}-greeting.ts`), bundle: bundlePathOf(entry) };
  probes.push(made);
  return made;
}

function run({ entry }: Probe, ...args: string[]) {
  return runWith([], entry, ...args);
}

/** Runs the launcher with node's options `nodeOptions`. */
function runWith(nodeOptions: readonly string[], entry: string, ...args: string[]) {
  return spawnSync(process.execPath, [...nodeOptions, LAUNCHER, entry, ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
}

/** Writes a file with a modification time `secondsAgo` in the past (the bundle is newer than it). */
function write(path: string, text: string, secondsAgo = 0): void {
  writeFileSync(path, text);
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, when, when);
}

/** The id of the build that wrote `bundle`, from the comment at its top. */
function buildOf(bundle: string): string | undefined {
  return /^\/\/ build (\S+)$/m.exec(readFileSync(bundle, "utf8"))?.[1];
}

/** The files the launcher keeps for a bundle: the bundle, its map, its build record and its code caches. */
function filesOf(bundle: string): string[] {
  return readdirSync(dirname(bundle)).filter((name) => name.startsWith(basename(bundle)));
}

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const { bundle } of probes) {
    for (const file of filesOf(bundle)) rmSync(join(dirname(bundle), file), { force: true });
  }
});

describe("run-compiled", () => {
  test("runs an entry's exported main with the arguments after the entry, and picks up a changed import", () => {
    const greeter = probe("main");
    write(greeter.helper, `export const greeting = "hello";\n`, 60);
    write(
      greeter.entry,
      `import { greeting } from "./${greeter.name}-greeting";\nexport function main(args: string[]): void {\n  console.log(greeting, args.join(" "));\n}\n`,
      60,
    );
    const first = run(greeter, "a", "b");
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("hello a b\n");

    write(greeter.helper, `export const greeting = "bonjour";\n`);
    expect(run(greeter, "c").stdout).toBe("bonjour c\n");
  });

  test("bundles the project's files, zod and jsonc-parser; every other library loads from node_modules", () => {
    const parser = probe("libraries");
    write(parser.helper, `export const greeting = "hello";\n`, 60);
    const entry = [
      `import { Construct } from "constructs";`,
      `import { parse } from "jsonc-parser";`,
      `import { greeting } from "./${parser.name}-greeting";`,
      `export function main(): void {`,
      `  console.log(greeting, parse("[1, /* two */ 2]").length, typeof Construct);`,
      `}`,
    ];
    write(parser.entry, `${entry.join("\n")}\n`, 60);
    expect(run(parser).stdout).toBe("hello 2 function\n");
    const bundle = readFileSync(parser.bundle, "utf8");
    expect(bundle).toContain(`require("constructs")`);
    expect(bundle).not.toContain(`require("jsonc-parser")`);
  });

  test("rebuilds a bundle when a bundled library's installed version is not the one it was built from", () => {
    const parser = probe("library-version");
    write(
      parser.entry,
      `import { parse } from "jsonc-parser";\nexport function main(): void {\n  console.log(parse("[7]")[0]);\n}\n`,
      60,
    );
    expect(run(parser).stdout).toBe("7\n");
    const record = JSON.parse(readFileSync(`${parser.bundle}.build.json`, "utf8"));
    const installed = JSON.parse(
      readFileSync(join(PROJECT_ROOT, "node_modules", "jsonc-parser", "package.json"), "utf8"),
    );
    expect(record.libraries).toEqual({ "node_modules/jsonc-parser": installed.version });

    const firstBuild = buildOf(parser.bundle);
    writeFileSync(
      `${parser.bundle}.build.json`,
      JSON.stringify({ ...record, libraries: { "node_modules/jsonc-parser": "0.0.1" } }),
    );
    expect(run(parser).stdout).toBe("7\n");
    expect(buildOf(parser.bundle)).not.toBe(firstBuild);
  });

  test("runs a bundle from the code cache its first run left, and never from a cache of another build", () => {
    const cached = probe("cache");
    const say = (word: string) => `export function main(): void {\n  console.log("${word}");\n}\n`;
    write(cached.entry, say("aaa"), 60);
    expect(run(cached).stdout).toBe("aaa\n");
    const cache = `${cached.bundle}.cache`;
    const firstCache = readFileSync(cache);
    // The cache names the build it was made from, and the next run takes it as it is.
    expect(firstCache.subarray(0, firstCache.indexOf("\n")).toString()).toBe(buildOf(cached.bundle));
    expect(run(cached).stdout).toBe("aaa\n");
    expect(readFileSync(cache).equals(firstCache)).toBe(true);

    // Another build of the same length: V8 alone would take the old cache (it compares lengths).
    const firstLength = readFileSync(cached.bundle, "utf8").length;
    write(cached.entry, say("bbb"));
    expect(run(cached).stdout).toBe("bbb\n");
    expect(readFileSync(cached.bundle, "utf8").length).toBe(firstLength);
    const secondCache = readFileSync(cache);
    expect(secondCache.subarray(0, secondCache.indexOf("\n")).toString()).toBe(buildOf(cached.bundle));
    expect(run(cached).stdout).toBe("bbb\n");
  });

  test("keeps a code cache per command: what mrk check compiled is not what mrk synth runs", () => {
    const commands = probe("commands");
    write(commands.entry, `export function main(args: string[]): void {\n  console.log(args[0]);\n}\n`, 60);
    expect([run(commands, "synth").stdout, run(commands, "check").stdout, run(commands, "./plan.json").stdout]).toEqual(
      ["synth\n", "check\n", "./plan.json\n"],
    );
    const caches = filesOf(commands.bundle).filter((name) => name.endsWith(".cache"));
    const name = basename(commands.bundle);
    expect(caches.sort()).toEqual([`${name}.cache`, `${name}.check.cache`, `${name}.synth.cache`]);
  });

  test("writes a bundle of ASCII only, the comments esbuild keeps included, and runs its text unchanged", () => {
    const accented = probe("ascii");
    const entry = [
      `export function main(): void {`,
      `  const text = (`,
      `    // a comment esbuild keeps, with a dash \u2014 in it`,
      `    "caf\u00e9 \u{1f511}"`,
      `  );`,
      `  console.log(text);`,
      `}`,
    ];
    write(accented.entry, `${entry.join("\n")}\n`);
    expect(run(accented).stdout).toBe("caf\u00e9 \u{1f511}\n");
    const bundle = readFileSync(accented.bundle);
    expect(bundle.toString("latin1")).toContain("with a dash");
    expect([...bundle].filter((byte) => byte > 0x7f)).toEqual([]);
  });

  test("gives two entries of one file name bundles of their own (the app's main.ts and lib/cli/main.ts)", () => {
    const [one, two] = ["one", "two"].map((folder) => {
      mkdirSync(join(dir, folder));
      const made = probe("same-name", join(dir, folder));
      write(made.entry, `export function main(): void {\n  console.log(${JSON.stringify(folder)});\n}\n`, 60);
      return made;
    });
    expect([one.bundle === two.bundle, run(one).stdout, run(two).stdout, run(one).stdout]).toEqual([
      false,
      "one\n",
      "two\n",
      "one\n",
    ]);
    expect([
      bundlePathOf(join(PROJECT_ROOT, "main.ts")),
      bundlePathOf(join(PROJECT_ROOT, "lib", "cli", "main.ts")),
    ]).toEqual([join(PROJECT_ROOT, ".bundles", "main.js"), join(PROJECT_ROOT, ".bundles", "lib.cli.main.js")]);
  });

  test("shows a bug's stack trace with the TypeScript file and line under node's --enable-source-maps", () => {
    const buggy = probe("bug");
    write(buggy.entry, `export function main(): void {\n  throw new Error("a bug");\n}\n`);
    const result = runWith(["--enable-source-maps"], buggy.entry);
    expect(result).not.toExitWith(0);
    expect(result.stderr).toContain("Error: a bug");
    expect(result.stderr).toContain(`${buggy.name}.ts:2`);
  });

  test("runs mrk compiled as npm run check does, the package's version in its SARIF included", () => {
    const plan = join(PROJECT_ROOT, "__tests__", "fixtures", "plans", "bad-public-policy", "plan.json");
    const result = runWith([], join(PROJECT_ROOT, "lib", "cli", "main.ts"), "check", plan, "--format", "sarif");
    expect(result).toExitWith(1);
    const version = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).version;
    expect(JSON.parse(result.stdout).runs[0].tool.driver.semanticVersion).toBe(version);
  });
});

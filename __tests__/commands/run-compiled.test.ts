/**
 * scripts/run-compiled.js, which cdktf.json's app and `npm run synth` go through: it runs a
 * TypeScript entry as a bundle in .bundles/, rebuilt whenever a file it was built from changed;
 * the libraries it imports load from node_modules.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const { bundle } of probes) {
    for (const suffix of ["", ".map", ".meta.json"]) rmSync(`${bundle}${suffix}`, { force: true });
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

  test("bundles the project's files only: libraries load from node_modules", () => {
    const parser = probe("libraries");
    write(parser.helper, `export const greeting = "hello";\n`, 60);
    const entry = [
      `import { parse } from "jsonc-parser";`,
      `import { greeting } from "./${parser.name}-greeting";`,
      `export function main(): void {`,
      `  console.log(greeting, parse("[1, /* two */ 2]").length);`,
      `}`,
    ];
    write(parser.entry, `${entry.join("\n")}\n`, 60);
    expect(run(parser).stdout).toBe("hello 2\n");
    const bundle = readFileSync(parser.bundle, "utf8");
    expect(bundle).toContain(`require("jsonc-parser")`);
    expect(bundle).not.toContain("node_modules/");
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

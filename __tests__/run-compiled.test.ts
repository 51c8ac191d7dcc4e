/**
 * scripts/run-compiled.js, which cdktf.json's app and `npm run synth` go through: it runs a
 * TypeScript entry as a bundle in dist/, rebuilt whenever a file it was built from changed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The project folder, without loading the app (and cdktf) into this test.
const PROJECT_ROOT = join(__dirname, "..");
const LAUNCHER = join(PROJECT_ROOT, "scripts", "run-compiled.js");
const dir = mkdtempSync(join(tmpdir(), "mrk-run-compiled-"));
const name = `probe-${process.pid}`;
const entry = join(dir, `${name}.ts`);
const helper = join(dir, `${name}-greeting.ts`);

function run(...args: string[]) {
  return spawnSync(process.execPath, [LAUNCHER, entry, ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
}

/** Writes a file with a modification time `secondsAgo` in the past (the bundle is newer than it). */
function write(path: string, text: string, secondsAgo = 0): void {
  writeFileSync(path, text);
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, when, when);
}

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const suffix of [".js", ".js.map", ".js.meta.json"]) rmSync(join(PROJECT_ROOT, "dist", `${name}${suffix}`), { force: true });
});

describe("run-compiled", () => {
  test("runs an entry's exported main with the arguments after the entry, and picks up a changed import", () => {
    write(helper, `export const greeting = "hello";\n`, 60);
    write(entry, `import { greeting } from "./${name}-greeting";\nexport function main(args: string[]): void {\n  console.log(greeting, args.join(" "));\n}\n`, 60);
    const first = run("a", "b");
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe("hello a b\n");

    write(helper, `export const greeting = "bonjour";\n`);
    expect(run("c").stdout).toBe("bonjour c\n");
  });

  test("shows a bug's stack trace with the TypeScript file and line", () => {
    write(entry, `export function main(): void {\n  throw new Error("a bug");\n}\n`);
    const result = run();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("Error: a bug");
    expect(result.stderr).toContain(`${name}.ts:2`);
  });
});

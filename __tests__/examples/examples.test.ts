/**
 * The examples as a team uses them: the package packed as it would be published, installed
 * from its tarball into a fresh copy of each example project (no checkout of this repository
 * in sight), then each example's own synth and tests. The TypeScript example also runs its app
 * with plain tsc and node, with tsx and with ts-node.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "mrk-examples-"));
let tarball: string;

/** Runs a command in a folder; the result carries everything it printed, for the failure message. */
function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "1", npm_config_update_notifier: "false" },
    timeout: 5 * 60_000,
  });
  return {
    status: result.status,
    output: `$ ${command} ${args.join(" ")} (in ${cwd})\n${result.stdout}${result.stderr}${result.error ?? ""}`,
  };
}

/** Expects a command to succeed; shows its output when it does not. */
function succeeds(command: string, args: string[], cwd: string): string {
  const result = run(command, args, cwd);
  expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: result.output });
  return result.output;
}

/** A fresh copy of an example, with the packed package installed from its tarball. */
function install(example: string): string {
  const dir = join(work, example);
  cpSync(join(ROOT, "examples", example), dir, {
    recursive: true,
    filter: (source) => !/(^|\/)(node_modules|dist|cdktf\.out|hcl\.out)(\/|$)/.test(source.slice(ROOT.length)),
  });
  succeeds("npm", ["pkg", "set", `dependencies.multi-region-kms-keys=file:${tarball}`], dir);
  succeeds("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir);
  return dir;
}

beforeAll(() => {
  // `npm pack` runs prepack, the build: what a publish would ship.
  const packed = run("npm", ["pack", "--pack-destination", work], ROOT);
  expect({ status: packed.status, output: packed.output }).toEqual({ status: 0, output: packed.output });
  const [file] = readdirSync(work).filter((name) => name.endsWith(".tgz"));
  tarball = join(work, file);
}, 5 * 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the TypeScript example, from the packed package", () => {
  let dir: string;
  beforeAll(() => {
    dir = install("typescript-app");
  }, 10 * 60_000);

  test("mrk synth checks the stack and writes its HCL beside, not into, cdktf's output", () => {
    const output = succeeds("npx", ["mrk", "synth"], dir);
    for (const stack of ["payments-keys", "orders-data"]) {
      expect(output).toContain(`policy ${stack}: 19 rules, 0 errors, 0 warnings, 0 suppressed`);
      expect(existsSync(join(dir, "hcl.out", "stacks", stack, "cdk.tf"))).toBe(true);
    }
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
    // The key ledger the example commits records the key set as the stack declares it.
    const ledger = "payments-keys.lock.json";
    expect(readFileSync(join(dir, ledger), "utf8")).toBe(
      readFileSync(join(ROOT, "examples", "typescript-app", ledger), "utf8"),
    );
  });

  test.each([
    ["plain tsc and node", "synth:node"],
    ["tsx", "synth:tsx"],
    ["ts-node", "synth:ts-node"],
  ])("the app synthesizes with %s", (_, script) => {
    rmSync(join(dir, "cdktf.out"), { recursive: true, force: true });
    succeeds("npm", ["run", script], dir);
    expect(existsSync(join(dir, "cdktf.out", "stacks", "payments-keys", "cdk.tf.json"))).toBe(true);
  });

  test("its Jest tests pass, with cdktf's matchers and the rule pack's", () => {
    const output = succeeds("npm", ["test"], dir);
    expect(output).toMatch(/Tests: +10 passed, 10 total/);
  });
});

describe("the config-file example, from the packed package", () => {
  let dir: string;
  beforeAll(() => {
    dir = install("config-file-app");
  }, 10 * 60_000);

  test("mrk synth writes the HCL of every config file", () => {
    succeeds("npx", ["mrk", "synth"], dir);
    for (const stack of ["five-regions", "global-data", "monitored", "platform-keys"]) {
      expect(existsSync(join(dir, "hcl.out", "stacks", stack, "cdk.tf"))).toBe(true);
    }
  });

  test("its Jest tests pass", () => {
    const output = succeeds("npm", ["test"], dir);
    expect(output).toMatch(/Tests: +9 passed, 9 total/);
  });
});

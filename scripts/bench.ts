/**
 * `npm run bench`: times what our users wait for, and writes the figures to BENCHMARKS.md.
 *
 * - one synth of the default stack, both as cdktf.json's app command (what `cdktf synth` and
 *   `cdktf deploy` run) and as `npm run synth` (JSON and HCL), median of several runs;
 * - the floor: node loading cdktf and the provider submodules the stack uses, nothing else;
 * - `terraform validate` warnings of every stack's HCL (ours, and cdktf's own `synth --hcl`);
 * - the test suites and `npm run demo`, once each (they include Terraform runs).
 *
 * Options: `--runs N` (synth runs, default 7), `--no-tests` (skip the suites and the demo).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stackConfigPaths } from "../stacks/app";
import { loadStackConfig } from "../stacks/config";
import { synthHcl } from "./synth";
import { terraform } from "./terraform";

const ROOT = join(__dirname, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 7;
const withTests = !args.includes("--no-tests");

interface Measure {
  readonly what: string;
  readonly command: string;
  readonly seconds: number[];
}

/** Runs a command `times` times from the project root; returns each wall time in seconds. */
function time(command: string[], times: number, env: NodeJS.ProcessEnv = {}): number[] {
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const result = spawnSync(command[0], command.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    const elapsed = (performance.now() - start) / 1000;
    if (result.status !== 0) {
      throw new Error(`${command.join(" ")} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    }
    seconds.push(elapsed);
  }
  return seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const FLOOR_SCRIPT = [
  'require("cdktf");',
  ...["provider", "kms-key", "kms-replica-key", "kms-alias", "iam-role", "data-aws-iam-policy-document"].map(
    (module) => `require("@cdktf/provider-aws/lib/${module}");`,
  ),
].join("");

const outdir = mkdtempSync(join(tmpdir(), "mrk-bench-"));
const defaultStack = { MRK_CONFIG: join(ROOT, "stacks", "global-encrypt.json"), CDKTF_OUTDIR: outdir };
const measures: Measure[] = [];
try {
  measures.push({
    what: "floor: node loading cdktf and the stack's provider submodules",
    command: `node -e '${FLOOR_SCRIPT}'`,
    seconds: time([process.execPath, "-e", FLOOR_SCRIPT], runs),
  });
  measures.push({
    what: "synth of the default stack, as cdktf.json's app (JSON)",
    command: "MRK_CONFIG=stacks/global-encrypt.json node --import tsx main.ts",
    seconds: time([process.execPath, "--import", "tsx", "main.ts"], runs, defaultStack),
  });
  measures.push({
    what: "synth of the default stack, as npm run synth (HCL)",
    command: "MRK_CONFIG=stacks/global-encrypt.json npx tsx scripts/synth.ts",
    seconds: time([process.execPath, "--import", "tsx", "scripts/synth.ts"], runs, defaultStack),
  });
  if (withTests) {
    for (const [what, script] of [
      ["unit and policy tests (no Terraform, no emulator)", "test:unit"],
      ["end-to-end suite on the emulator", "test:e2e"],
      ["npm test (every suite)", "test"],
      ["the demo (emulator, apply, encrypt, decrypt, destroy)", "demo"],
    ]) {
      measures.push({ what, command: `npm run ${script}`, seconds: time(["npm", "run", script], 1) });
    }
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}

/** `terraform validate` warnings of each HCL folder under `outdir`/stacks. */
function validateWarnings(dirs: readonly string[]): string[] {
  return dirs.map((dir) => {
    terraform(["init", "-backend=false", "-no-color"], { cwd: dir });
    const result = JSON.parse(terraform(["validate", "-json", "-no-color"], { cwd: dir, okStatuses: [0, 1] }).stdout);
    return `| ${dir.split("/").pop()} | ${result.warning_count} | ${result.error_count} |`;
  });
}

const hclOut = mkdtempSync(join(tmpdir(), "mrk-bench-hcl-"));
const cdktfHclOut = mkdtempSync(join(tmpdir(), "mrk-bench-cdktf-hcl-"));
const stackNames = stackConfigPaths({}).map((path) => loadStackConfig(path).name);
let warningRows: string[];
try {
  const ours = validateWarnings(synthHcl(stackConfigPaths({}), hclOut)).map((row) => row.replace(/^\| /, "| ours: "));
  const cdktfSynth = spawnSync(join(ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--hcl", "--output", cdktfHclOut], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const theirs =
    cdktfSynth.status === 0
      ? validateWarnings(stackNames.map((name) => join(cdktfHclOut, "stacks", name))).map((row) =>
          row.replace(/^\| /, "| cdktf synth --hcl: "),
        )
      : [`| cdktf synth --hcl failed: ${cdktfSynth.stderr.split("\n")[0]} | - | - |`];
  warningRows = [...ours, ...theirs];
} finally {
  rmSync(hclOut, { recursive: true, force: true });
  rmSync(cdktfHclOut, { recursive: true, force: true });
}

const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const rows = measures.map(
  (m) =>
    `| ${m.what} | \`${m.command}\` | ${median(m.seconds).toFixed(2)} s | ${m.seconds.length} | ${Math.min(...m.seconds).toFixed(2)} to ${Math.max(...m.seconds).toFixed(2)} s |`,
);
const report = [
  "# Benchmarks",
  "",
  `Reproduce with \`npm run bench\` (\`npm run bench -- --runs ${runs}${withTests ? "" : " --no-tests"}\`).`,
  `Measured on ${new Date().toISOString().slice(0, 10)}, ${machine}.`,
  "",
  "| what | command | median | runs | range |",
  "|---|---|---|---|---|",
  ...rows,
  "",
  "`terraform validate` of the HCL of every stack (goal: 0 warnings):",
  "",
  "| HCL | warnings | errors |",
  "|---|---|---|",
  ...warningRows,
  "",
].join("\n");
writeFileSync(join(ROOT, "BENCHMARKS.md"), report);
console.log(report);

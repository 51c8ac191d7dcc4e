/**
 * `npm run bench`: times what our users wait for, and writes the figures to BENCHMARKS.md with
 * the goals of issue 8 beside them.
 *
 * - one synth of the default stack as cdktf.json's app command (what `cdktf synth` and
 *   `cdktf deploy` run), against the floor: node loading cdktf and the provider submodules the
 *   stack uses. The two alternate, run after run, so that a busy machine slows both alike; the
 *   goal is a ratio of medians of 1.5 or less;
 * - `npm run synth` of the default stack (JSON, rules and HCL);
 * - synth time and peak memory of 1, 10 and 100 keys in every commercial region (bench-scale.ts);
 * - the unit and policy tests (goal: under 10 s), the end-to-end suites, npm test, the demo, and
 *   apply time on the emulator for 3 and 10 regions (bench-apply.ts), once each;
 * - `terraform validate` warnings of every stack's HCL (ours, and cdktf's own `synth --hcl`).
 *
 * Options: `--runs N` (synth runs, default 7), `--no-tests` (skip the suites, the demo and the
 * applies).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_CONFIG } from "../stacks/app";
import { configFilesIn } from "../lib/config-app";
import { loadStackConfig } from "../lib/config";
import { applyTimingTable, benchApply, DEFAULT_REGION_COUNTS } from "./bench-apply";
import { benchScale, DEFAULT_KEY_COUNTS, median, scaleTable, ScaleTiming } from "./bench-scale";
import { synthHcl } from "../lib/cli/synth";
import { terraform } from "../lib/terraform";

const ROOT = join(__dirname, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 7;
const withTests = !args.includes("--no-tests");

interface Measure {
  readonly what: string;
  readonly command: string;
  readonly seconds: number[];
}

/** Runs a command once from the project root; returns its wall time in seconds. */
function timeOnce(command: readonly string[], env: NodeJS.ProcessEnv = {}): number {
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
  return elapsed;
}

/** Runs each command `times` times, taking turns, so that load on the machine falls on all alike. */
function timeInTurns(commands: ReadonlyArray<{ command: readonly string[]; env?: NodeJS.ProcessEnv }>, times: number): number[][] {
  const seconds = commands.map((): number[] => []);
  for (let i = 0; i < times; i++) {
    commands.forEach(({ command, env }, c) => seconds[c].push(timeOnce(command, env)));
  }
  return seconds;
}

const FLOOR_SCRIPT = [
  'require("cdktf");',
  ...["provider", "kms-key", "kms-replica-key", "kms-alias", "iam-role", "data-aws-iam-policy-document"].map(
    (module) => `require("@cdktf/provider-aws/lib/${module}");`,
  ),
].join("");

/** cdktf.json's app command, as `cdktf synth` runs it. */
const APP_COMMAND = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string).split(" ");

/** The synth timings: the floor and the app in turns, then `npm run synth`. */
function synthMeasures(): Measure[] {
  const outdir = mkdtempSync(join(tmpdir(), "mrk-bench-"));
  const env = { MRK_CONFIG: join(ROOT, "stacks", "global-encrypt.json"), CDKTF_OUTDIR: outdir, MRK_OUTDIR: outdir };
  const app = [process.execPath, ...APP_COMMAND.slice(1)];
  const synth = [process.execPath, "scripts/run-compiled.js", "lib/cli/main.ts", "synth"];
  try {
    // One run of each first, so that the compiled app is built before anything is timed.
    timeOnce(app, env);
    timeOnce(synth, env);
    const [floor, appSeconds] = timeInTurns([{ command: [process.execPath, "-e", FLOOR_SCRIPT] }, { command: app, env }], runs);
    return [
      { what: "floor: node loading cdktf and the stack's provider submodules", command: `node -e '${FLOOR_SCRIPT}'`, seconds: floor },
      {
        what: "synth of the default stack, as cdktf.json's app (JSON and policy rules)",
        command: `MRK_CONFIG=stacks/global-encrypt.json ${APP_COMMAND.join(" ")}`,
        seconds: appSeconds,
      },
      {
        what: "npm run synth of the default stack (JSON, policy rules and HCL)",
        command: "MRK_CONFIG=stacks/global-encrypt.json node scripts/run-compiled.js lib/cli/main.ts synth",
        seconds: timeInTurns([{ command: synth, env }], runs)[0],
      },
    ];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The suites and the demo: the unit suite, which has a goal, 3 times; the others once each. */
function suiteMeasures(): Measure[] {
  const suites: Array<[what: string, script: string, times: number]> = [
    ["unit and policy tests (in one process: no Terraform, no emulator)", "test:unit", 3],
    ["end-to-end suite on the emulator", "test:e2e", 1],
    ["npm test (every suite)", "test", 1],
    ["the demo (emulator, apply, encrypt, decrypt, destroy)", "demo", 1],
  ];
  return suites.map(([what, script, times]) => ({
    what,
    command: `npm run ${script}`,
    seconds: Array.from({ length: times }, () => timeOnce(["npm", "run", script])),
  }));
}

/** `terraform validate` warnings of each HCL folder under `outdir`/stacks. */
function validateWarnings(dirs: readonly string[]): string[] {
  return dirs.map((dir) => {
    terraform(["init", "-backend=false", "-no-color"], { cwd: dir });
    const result = JSON.parse(terraform(["validate", "-json", "-no-color"], { cwd: dir, okStatuses: [0, 1] }).stdout);
    return `| ${dir.split("/").pop()} | ${result.warning_count} | ${result.error_count} |`;
  });
}

/** `terraform validate` warnings and errors of our HCL and of cdktf's own `synth --hcl`, as table rows. */
function warningRows(): string[] {
  const hclOut = mkdtempSync(join(tmpdir(), "mrk-bench-hcl-"));
  const cdktfHclOut = mkdtempSync(join(tmpdir(), "mrk-bench-cdktf-hcl-"));
  const configs = [DEFAULT_CONFIG, ...configFilesIn(join(ROOT, "examples", "config-file-app", "keys"))];
  const stackNames = configs.map((path) => loadStackConfig(path).name);
  try {
    const ours = validateWarnings(synthHcl(configs, hclOut)).map((row) => row.replace(/^\| /, "| ours: "));
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
    return [...ours, ...theirs];
  } finally {
    rmSync(hclOut, { recursive: true, force: true });
    rmSync(cdktfHclOut, { recursive: true, force: true });
  }
}

/** The goals of issue 8, each with what was measured and whether it is met. */
function goalRows(measures: readonly Measure[], scale: readonly ScaleTiming[]): string[] {
  const secondsOf = (what: string) => median(measures.find((m) => m.what.startsWith(what))?.seconds ?? [NaN]);
  const row = (what: string, goal: string, measured: string, met: boolean) => `| ${what} | ${goal} | ${measured} | ${met ? "met" : "not met"} |`;
  const ratio = secondsOf("synth of the default stack, as cdktf.json") / secondsOf("floor");
  const largest = scale[scale.length - 1];
  const largestSeconds = median(largest.seconds);
  const largestMemory = Math.max(...largest.peakMegabytes);
  const unit = secondsOf("unit and policy tests");
  return [
    row("synth of the default stack / floor (medians)", "1.5 or less", ratio.toFixed(2), ratio <= 1.5),
    row(`${largest.keys} keys x ${largest.regions} regions: synth`, "under 4 s", `${largestSeconds.toFixed(2)} s`, largestSeconds < 4),
    row(`${largest.keys} keys x ${largest.regions} regions: peak memory`, "under 400 MB", `${largestMemory.toFixed(0)} MB`, largestMemory < 400),
    ...(Number.isNaN(unit) ? [] : [row("unit and policy tests", "under 10 s", `${unit.toFixed(1)} s`, unit < 10)]),
  ];
}

async function main(): Promise<void> {
  const measures = synthMeasures();
  const scale = benchScale(DEFAULT_KEY_COUNTS, 3);
  const scaleWithAdministrators = benchScale([100], 3, "administrators");
  if (withTests) measures.push(...suiteMeasures());
  // The applies last: each starts the emulator and runs Terraform, which loads the machine.
  const applies = withTests ? applyTimingTable(await benchApply(DEFAULT_REGION_COUNTS)) : undefined;

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
    "## Goals (issue 8)",
    "",
    "| what | goal | measured | |",
    "|---|---|---|---|",
    ...goalRows(measures, scale),
    "",
    "## Commands",
    "",
    "| what | command | median | runs | range |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    "## Synth at scale",
    "",
    "A stack of N keys (`keys` in the config), each with its primary in another region, a replica in every other commercial",
    "region and a key policy in every region, of the reference document's shape (the account root, the key's users);",
    "`npm run synth` with the policy rules on and the HCL written, 3 times per size, each in a fresh process",
    "(`npx tsx scripts/bench-scale.ts`).",
    "",
    scaleTable(scale),
    "",
    "The same with the administrators' statements of `stacks/five-regions.json` in every key policy, whose conditions list",
    "the key's 33 regions: three times the JSON (`npx tsx scripts/bench-scale.ts --administrators 100`).",
    "",
    scaleTable(scaleWithAdministrators),
    "",
    ...(applies
      ? [
          "## Apply on the emulator",
          "",
          "`terraform init`, `apply` and `destroy` of one key set on moto (`npx tsx scripts/bench-apply.ts`).",
          "",
          applies,
          "",
        ]
      : []),
    "## `terraform validate` of the HCL of every stack (goal: 0 warnings)",
    "",
    "| HCL | warnings | errors |",
    "|---|---|---|",
    ...warningRows(),
    "",
  ].join("\n");
  writeFileSync(join(ROOT, "BENCHMARKS.md"), report);
  console.log(report);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});

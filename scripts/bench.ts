/**
 * `npm run bench`: times what our users wait for, and writes the figures to BENCHMARKS.md with
 * the goals of issue 15 beside them.
 *
 * - the default stack, `runs` times each, in turns (so that a busy machine slows all alike):
 *   the floor (node loading cdktf and the provider submodules the stack uses), cdktf.json's app
 *   (what `cdktf synth` and `cdktf deploy` run), `mrk synth` (`npm run synth`'s command) and
 *   `npm run synth` itself, with npm's own start for a script apart (`npm run noop` in an empty
 *   project whose script `noop` is `true`; and `npm run`, which lists the scripts, for comparison);
 *   the goal is a ratio of medians to the floor of 1.5 or less;
 * - synth time and peak memory of stacks of 10 keys in 5 regions, and of 1, 10 and 100 keys in
 *   30 regions, with the reference document's key policies and with the administrators' too
 *   (bench-scale.ts); the goal is under 4 s and under 400 MB for 100 keys in 30 regions;
 * - the unit and policy tests (goal: under 10 s), the end-to-end suites, npm test, the demo, and
 *   apply time on the emulator for 3 and 10 regions (bench-apply.ts), once each;
 * - `terraform validate` warnings of every stack's HCL (ours, and cdktf's own `synth --hcl`).
 *
 * Every command is timed from outside, wall time and CPU time (user + system, of the command
 * and every process it waits for: bench-process.ts). The load average is recorded before and
 * after: on a machine shared with other work, compare CPU times.
 *
 * Options: `--runs N` (default-stack runs, default 7), `--no-tests` (skip the end-to-end suite,
 * npm test, the demo and the applies; the unit suite, which has a goal, still runs).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { synthHcl } from "../lib/cli/synth";
import { loadStackConfig } from "../lib/config";
import { configFilesIn } from "../lib/config-app";
import { terraform } from "../lib/terraform";
import { DEFAULT_CONFIG } from "../stacks/app";
import { applyTimingTable, benchApply, DEFAULT_REGION_COUNTS } from "./bench-apply";
import { loadAverage, type Measure, median, type Timed, timeInTurns, timeProcess } from "./bench-process";
import { benchScale, DEFAULT_KEY_COUNTS, type ScaleTiming, scaleTable } from "./bench-scale";

const ROOT = join(__dirname, "..");
const EXAMPLE_CONFIGS = join(ROOT, "examples", "config-file-app", "keys");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 7;
const withTests = !args.includes("--no-tests");

const FLOOR_SCRIPT = [
  'require("cdktf");',
  ...["provider", "kms-key", "kms-replica-key", "kms-alias", "iam-role", "data-aws-iam-policy-document"].map(
    (module) => `require("@cdktf/provider-aws/lib/${module}");`,
  ),
].join("");

/** cdktf.json's app command, as `cdktf synth` runs it. */
const APP_COMMAND = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string).split(" ");

/** What the default-stack measures are called, for the goals. */
const FLOOR = "floor: node loading cdktf and the stack's provider submodules";
const APP = "synth of the default stack, as cdktf.json's app (JSON and policy rules)";
const MRK_SYNTH = "mrk synth of the default stack, npm run synth's command (JSON, policy rules and HCL)";
const NPM_SYNTH = "npm run synth of the default stack";
const NPM_START = "npm's own start: npm run (lists the scripts)";
const NPM_SCRIPT_START = "npm's own start for a script: npm run noop, in an empty project whose noop script is `true`";
const NODE_START = "node's start: node -e ''";
const UNIT_TESTS = "unit and policy tests (no Terraform, no emulator)";
const NODE_START_WITHOUT_CA = "node's start without NODE_EXTRA_CA_CERTS (which this machine sets)";

/** The default stack's timings: the floor, the app, mrk synth, npm run synth and npm's own start, in turns. */
function synthMeasures(): Measure[] {
  const outdir = mkdtempSync(join(tmpdir(), "mrk-bench-"));
  const env = { MRK_CONFIG: DEFAULT_CONFIG, CDKTF_OUTDIR: join(outdir, "json"), MRK_OUTDIR: join(outdir, "hcl") };
  const noop = join(outdir, "noop");
  mkdirSync(noop);
  writeFileSync(join(noop, "package.json"), JSON.stringify({ name: "noop", private: true, scripts: { noop: "true" } }));
  const commands: Timed[] = [
    { what: FLOOR, shown: `node -e '${FLOOR_SCRIPT}'`, command: [process.execPath, "-e", FLOOR_SCRIPT] },
    {
      what: APP,
      shown: `MRK_CONFIG=stacks/global-encrypt.json ${APP_COMMAND.join(" ")}`,
      command: [process.execPath, ...APP_COMMAND.slice(1)],
      env,
    },
    {
      what: MRK_SYNTH,
      shown: "MRK_CONFIG=stacks/global-encrypt.json node scripts/run-compiled.js lib/cli/main.ts synth",
      command: [process.execPath, "scripts/run-compiled.js", "lib/cli/main.ts", "synth"],
      env,
    },
    {
      what: NPM_SYNTH,
      shown: "MRK_CONFIG=stacks/global-encrypt.json npm run synth",
      command: ["npm", "run", "synth"],
      env,
    },
    { what: NPM_START, shown: "npm run", command: ["npm", "run"] },
    {
      what: NPM_SCRIPT_START,
      shown: "npm run --prefix <empty project> noop",
      command: ["npm", "run", "--prefix", noop, "noop"],
    },
    { what: NODE_START, shown: "node -e ''", command: [process.execPath, "-e", ""] },
    // Every node process reads the certificates at its start, the floor's too.
    ...(process.env.NODE_EXTRA_CA_CERTS
      ? [
          {
            what: NODE_START_WITHOUT_CA,
            shown: "env -u NODE_EXTRA_CA_CERTS node -e ''",
            command: [process.execPath, "-e", ""],
            env: { NODE_EXTRA_CA_CERTS: undefined },
          },
        ]
      : []),
  ];
  try {
    // One run of each first, so that the compiled app and command are built before anything is timed.
    for (const { command, env } of commands) timeProcess(command, { cwd: ROOT, env });
    return timeInTurns(commands, runs, ROOT);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The unit suite, which has a goal, 3 times; with `withOthers`, the others and the demo once each. */
function suiteMeasures(withOthers: boolean): Measure[] {
  const suites: Array<readonly [what: string, script: string, times: number]> = [
    [UNIT_TESTS, "test:unit", 3],
    ...(withOthers
      ? ([
          ["end-to-end suite on the emulator", "test:e2e", 1],
          ["npm test (lint and every suite)", "test", 1],
          ["the demo (emulator, apply, encrypt, decrypt, destroy)", "demo", 1],
        ] as const)
      : []),
  ];
  return suites.map(
    ([what, script, times]) =>
      timeInTurns([{ what, shown: `npm run ${script}`, command: ["npm", "run", script] }], times, ROOT)[0],
  );
}

/** `terraform validate` warnings of each HCL folder under `outdir`/stacks. */
function validateWarnings(dirs: readonly string[]): string[] {
  return dirs.map((dir) => {
    terraform(["init", "-backend=false", "-no-color"], { cwd: dir });
    const result = JSON.parse(terraform(["validate", "-json", "-no-color"], { cwd: dir, okStatuses: [0, 1] }).stdout);
    return `| ${dir.split("/").pop()} | ${result.warning_count} | ${result.error_count} |`;
  });
}

/**
 * `terraform validate` warnings and errors of our HCL and of cdktf's own `synth --hcl` (one
 * config at a time: cdktf.json's app builds the config MRK_CONFIG names), as table rows.
 */
function warningRows(): string[] {
  const hclOut = mkdtempSync(join(tmpdir(), "mrk-bench-hcl-"));
  const cdktfHclOut = mkdtempSync(join(tmpdir(), "mrk-bench-cdktf-hcl-"));
  const configs = [DEFAULT_CONFIG, ...configFilesIn(EXAMPLE_CONFIGS)];
  try {
    const ours = validateWarnings(synthHcl(configs, hclOut)).map((row) => row.replace(/^\| /, "| ours: "));
    const theirs = configs.flatMap((config) => {
      const output = join(cdktfHclOut, loadStackConfig(config).name);
      try {
        timeProcess([join(ROOT, "node_modules", ".bin", "cdktf"), "synth", "--hcl", "--output", output], {
          cwd: ROOT,
          env: { MRK_CONFIG: config },
        });
      } catch (error) {
        return [`| cdktf synth --hcl failed: ${(error as Error).message.split("\n")[0]} | - | - |`];
      }
      return validateWarnings([join(output, "stacks", loadStackConfig(config).name)]).map((row) =>
        row.replace(/^\| /, "| cdktf synth --hcl: "),
      );
    });
    return [...ours, ...theirs];
  } finally {
    rmSync(hclOut, { recursive: true, force: true });
    rmSync(cdktfHclOut, { recursive: true, force: true });
  }
}

/** The median of a measure's wall (`seconds`) or CPU (`cpuSeconds`) times; NaN if it was not measured. */
function medianOf(measures: readonly Measure[], what: string, clock: "seconds" | "cpuSeconds" = "seconds"): number {
  return median(measures.find((m) => m.what === what)?.[clock] ?? [Number.NaN]);
}

/** A command's medians over the floor's, wall and CPU, less another command's (`less`) when given. */
function floorRatio(measures: readonly Measure[], what: string, less?: string): readonly [number, number] {
  const ratio = (clock: "seconds" | "cpuSeconds") =>
    (medianOf(measures, what, clock) - (less ? medianOf(measures, less, clock) : 0)) / medianOf(measures, FLOOR, clock);
  return [ratio("seconds"), ratio("cpuSeconds")];
}

/** npm run synth less `npm run` (which runs no script), over the floor: wall (CPU). */
function npmRunRatio(measures: readonly Measure[]): string {
  const [wall, cpu] = floorRatio(measures, NPM_SYNTH, NPM_START);
  return `${wall.toFixed(2)} (CPU ${cpu.toFixed(2)})`;
}

/** What NODE_EXTRA_CA_CERTS adds to every node start, the floor's included, when the machine sets it. */
function caCertificatesNote(measures: readonly Measure[]): string[] {
  const start = medianOf(measures, NODE_START);
  const added = start - medianOf(measures, NODE_START_WITHOUT_CA);
  if (Number.isNaN(added)) return [];
  return [
    `This machine sets NODE_EXTRA_CA_CERTS: every node process reads those certificates as it starts, about`,
    `${(added * 1000).toFixed(0)} ms of the ${(start * 1000).toFixed(0)} ms node takes to start (the floor's start included).`,
  ];
}

/** The goals of issue 15, each with what was measured and whether it is met. */
function goalRows(measures: readonly Measure[], goalSizes: readonly ScaleTiming[]): string[] {
  const row = (what: string, goal: string, measured: string, met: boolean) =>
    `| ${what} | ${goal} | ${measured} | ${met ? "met" : "not met"} |`;
  const ratioRow = (what: string, [wall, cpu]: readonly [number, number]) =>
    row(what, "1.5 or less", `${wall.toFixed(2)} (CPU ${cpu.toFixed(2)})`, wall <= 1.5);
  const unit = medianOf(measures, UNIT_TESTS);
  return [
    ratioRow("default stack: cdktf.json's app / floor, medians", floorRatio(measures, APP)),
    ratioRow("default stack: mrk synth / floor", floorRatio(measures, MRK_SYNTH)),
    ratioRow(
      "default stack: npm run synth less npm's own start for a script / floor",
      floorRatio(measures, NPM_SYNTH, NPM_SCRIPT_START),
    ),
    ...goalSizes.flatMap((size) => {
      const seconds = median(size.seconds);
      const memory = Math.max(...size.peakMegabytes);
      const what = `${size.keys} keys x ${size.regions} regions, ${size.shape} key policies`;
      return [
        row(
          `${what}: synth (median)`,
          "under 4 s",
          `${seconds.toFixed(2)} s (CPU ${median(size.cpuSeconds).toFixed(2)} s)`,
          seconds < 4,
        ),
        row(`${what}: peak memory`, "under 400 MB", `${memory.toFixed(0)} MB`, memory < 400),
      ];
    }),
    ...(Number.isNaN(unit)
      ? []
      : [
          row(
            "unit and policy tests (median)",
            "under 10 s",
            `${unit.toFixed(1)} s (CPU ${medianOf(measures, UNIT_TESTS, "cpuSeconds").toFixed(1)} s)`,
            unit < 10,
          ),
        ]),
  ];
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const measures = synthMeasures();
  const realistic = [...benchScale([10], 3, "reference", 5), ...benchScale([10], 3, "administrators", 5)];
  const scale = benchScale(DEFAULT_KEY_COUNTS, 3);
  const withAdministrators = benchScale([100], 3, "administrators");
  measures.push(...suiteMeasures(withTests));
  // The applies last: each starts the emulator and runs Terraform, which loads the machine.
  const applies = withTests ? applyTimingTable(await benchApply(DEFAULT_REGION_COUNTS)) : undefined;
  const warnings = warningRows();
  const loadAfter = loadAverage();

  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const rows = measures.map(
    (m) =>
      `| ${m.what} | \`${m.command}\` | ${median(m.seconds).toFixed(2)} s | ${median(m.cpuSeconds).toFixed(2)} s | ${m.seconds.length} | ${Math.min(...m.seconds).toFixed(2)} to ${Math.max(...m.seconds).toFixed(2)} s |`,
  );
  const largest = [scale[scale.length - 1], ...withAdministrators];
  const report = [
    "# Benchmarks",
    "",
    `Reproduce with \`npm run bench\` (\`npm run bench -- --runs ${runs}${withTests ? "" : " --no-tests"}\`).`,
    `Measured on ${new Date().toISOString().slice(0, 10)}, ${machine}; load average ${loadBefore} before, ${loadAfter} after.`,
    "Times are wall times; CPU is user + system time of the command and every process it waited for. On a shared",
    "machine, wall times also count the waits for a core: compare CPU times.",
    "",
    "## Goals (issue 15)",
    "",
    "The default stack's ratios are of medians, each command taking turns with the floor. `npm run synth` is counted",
    "less npm's own start for a script: `npm run noop` in an empty project whose `noop` script is `true` (npm starts,",
    "reads the project and runs the script through `sh -c`), measured in the same turns. Less `npm run` alone, which",
    `starts npm and lists the scripts but runs none, the ratio is ${npmRunRatio(measures)}.`,
    ...caCertificatesNote(measures),
    "",
    "| what | goal | measured | |",
    "|---|---|---|---|",
    ...goalRows(measures, largest),
    "",
    "## Commands",
    "",
    "| what | command | median | CPU, median | runs | range |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
    "## Synth at scale",
    "",
    "Stacks of N keys (`keys` in the config), each with its primary in another region, a replica in every other of the",
    "first R commercial regions and a key policy in every region: of the reference document's shape (the account root,",
    "the key's users), or with the administrators' statements of `examples/config-file-app/keys/five-regions.json` too,",
    "whose conditions list the key's regions (three times the JSON at 30 regions). `mrk synth` (`npm run synth`'s",
    "command) with the policy rules on and the HCL written, 3 times per size, each in a fresh process",
    "(`npx tsx scripts/bench-scale.ts [--administrators] [--regions R] [keys...]`).",
    "",
    scaleTable([...realistic, ...scale, ...withAdministrators]),
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
    ...warnings,
    "",
  ].join("\n");
  writeFileSync(join(ROOT, "BENCHMARKS.md"), report);
  console.log(report);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});

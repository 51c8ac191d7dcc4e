/**
 * Synth time and peak memory of a stack of 1, 10 and 100 keys, each in every commercial AWS
 * region, as `npm run synth` runs it: the compiled app, the policy rules on, the HCL written.
 *
 * `npx tsx scripts/bench-scale.ts [--runs N] [--administrators] [keys...]` prints a Markdown
 * table; `npm run bench` puts the same tables in BENCHMARKS.md. Each run is a fresh process,
 * timed from outside.
 *
 * Every key has a key policy in every region, as the rules require. Its shape is the reference
 * document's (the account root, and one statement for the key's users); `--administrators` adds
 * the administrators' statements of `stacks/five-regions.json`, whose ReplicateKey and
 * UpdatePrimaryRegion conditions list all of the key's regions: on 33 regions that is the
 * largest policy a key set has, about three times the JSON.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { COMMERCIAL_REGIONS } from "../lib/regions";


export const DEFAULT_KEY_COUNTS = [1, 10, 100];

/** The shape of the key policies: the reference document's, or with administrators too. */
export type PolicyShape = "reference" | "administrators";

/** One size: the median wall time and the largest peak memory of its runs. */
export interface ScaleTiming {
  readonly keys: number;
  readonly regions: number;
  /** Resources and data sources in the stack's HCL. */
  readonly blocks: number;
  readonly seconds: number[];
  readonly peakMegabytes: number[];
}

const ACCOUNT = "111111111111";

/**
 * A config with `keys` keys named key0, key1, ...; each has its primary in a different region
 * and a replica in every other commercial region, with a key policy of `shape` in each region,
 * so that every policy rule passes.
 */
export function scaleConfig(keys: number, shape: PolicyShape = "reference"): Record<string, unknown> {
  const regions = [...COMMERCIAL_REGIONS];
  const keyPolicy = (name: string) => ({
    ...(shape === "administrators" ? { administrators: { principals: [`arn:aws:iam::${ACCOUNT}:role/KeyAdministrator`] } } : {}),
    users: [{ sid: "AllowApplicationAccess", principals: [`arn:aws:iam::${ACCOUNT}:role/${name}-application`] }],
  });
  return {
    name: `scale-${keys}`,
    accountId: ACCOUNT,
    keys: Array.from({ length: keys }, (_, i) => {
      const name = `key${i}`;
      const primaryRegion = regions[i % regions.length];
      return {
        name,
        alias: `alias/scale/${name}`,
        primaryRegion,
        keyPolicy: keyPolicy(name),
        replicas: regions
          .filter((region) => region !== primaryRegion)
          .map((region) => ({ region, keyPolicy: keyPolicy(name) })),
      };
    }),
  };
}

/** Prints the process's peak memory when it exits; loaded with --require into the timed synth. */
const PEAK_MEMORY_REPORTER = `process.on("exit", () => require("node:fs").writeSync(process.stderr.fd, "peak-rss-kb=" + process.resourceUsage().maxRSS + "\\n"));`;

/** Times `npm run synth` (its command, without npm) on a stack of `keys` keys, `runs` times. */
export function benchScale(keyCounts: readonly number[] = DEFAULT_KEY_COUNTS, runs = 3, shape: PolicyShape = "reference"): ScaleTiming[] {
  const work = mkdtempSync(join(tmpdir(), "mrk-bench-scale-"));
  const reporter = join(work, "peak-memory.js");
  writeFileSync(reporter, PEAK_MEMORY_REPORTER);
  try {
    return keyCounts.map((keys) => {
      const config = join(work, `scale-${keys}.json`);
      writeFileSync(config, JSON.stringify(scaleConfig(keys, shape)));
      const seconds: number[] = [];
      const peakMegabytes: number[] = [];
      let blocks = 0;
      for (let run = 0; run < runs; run++) {
        const outdir = join(work, `out-${keys}-${run}`);
        const start = performance.now();
        const result = spawnSync(process.execPath, ["--require", reporter, "scripts/run-compiled.js", "lib/cli/main.ts", "synth"], {
          cwd: join(__dirname, ".."),
          env: { ...process.env, MRK_CONFIG: config, MRK_OUTDIR: outdir },
          encoding: "utf8",
        });
        seconds.push((performance.now() - start) / 1000);
        if (result.status !== 0) throw new Error(`synth of ${keys} keys failed:\n${result.stderr}`);
        peakMegabytes.push(Number(/peak-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1024);
        const hcl = readFileSync(join(outdir, "stacks", `scale-${keys}`, "cdk.tf"), "utf8");
        blocks = (hcl.match(/^(resource|data) "/gm) ?? []).length;
        rmSync(outdir, { recursive: true, force: true });
      }
      return { keys, regions: COMMERCIAL_REGIONS.length, blocks, seconds, peakMegabytes };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The Markdown table of the timings, with the time each key added since the size before it:
 * flat from 10 to 100 keys means no work grows faster than the keys.
 */
export function scaleTable(timings: readonly ScaleTiming[]): string {
  const rows = timings.map((timing, i) => {
    const previous = timings[i - 1];
    const perKey = previous
      ? `${((1000 * (median(timing.seconds) - median(previous.seconds))) / (timing.keys - previous.keys)).toFixed(0)} ms`
      : "-";
    return `| ${timing.keys} x ${timing.regions} | ${timing.blocks} | ${median(timing.seconds).toFixed(2)} s | ${Math.min(...timing.seconds).toFixed(2)} to ${Math.max(...timing.seconds).toFixed(2)} s | ${Math.max(...timing.peakMegabytes).toFixed(0)} MB | ${perKey} |`;
  });
  return [
    "| keys x regions | resources and data sources | synth, median | range | peak memory | each key added since the row above |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const counts = args.filter((arg, i) => /^\d+$/.test(arg) && i !== runsAt + 1).map(Number);
  const shape = args.includes("--administrators") ? "administrators" : "reference";
  console.log(scaleTable(benchScale(counts.length > 0 ? counts : DEFAULT_KEY_COUNTS, runs, shape)));
}

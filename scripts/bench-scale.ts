/**
 * Synth time and peak memory of stacks of N keys in R commercial AWS regions, as `npm run synth`
 * runs it (`mrk synth`: the compiled app, the policy rules on, the HCL written).
 *
 * `npx tsx scripts/bench-scale.ts [--runs N] [--administrators] [--regions R] [keys...]` prints a
 * Markdown table (default: 1, 10 and 100 keys in 30 regions); `npm run bench` puts such tables
 * in BENCHMARKS.md. Each run is a fresh process, timed from outside (wall and CPU time).
 *
 * Every key has its primary in another region, a replica in every other region of the R, and a
 * key policy in every region, as the rules require. Its shape is the reference document's (the
 * account root, and one statement for the key's users); `--administrators` adds the
 * administrators' statements of `examples/config-file-app/keys/five-regions.json`, whose
 * ReplicateKey and UpdatePrimaryRegion conditions list all of the key's regions: on 30 regions
 * that is the largest policy a key set has, about three times the JSON.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMERCIAL_REGIONS } from "../lib/regions";
import { median, timeProcess } from "./bench-process";

export const DEFAULT_KEY_COUNTS = [1, 10, 100];

/** The regions of the goal's stack (100 keys in 30 regions). */
export const DEFAULT_REGION_COUNT = 30;

/** The shape of the key policies: the reference document's, or with administrators too. */
export type PolicyShape = "reference" | "administrators";

/** One size: the wall and CPU time and the peak memory of each of its runs. */
export interface ScaleTiming {
  readonly keys: number;
  readonly regions: number;
  readonly shape: PolicyShape;
  /** Resources and data sources in the stack's HCL. */
  readonly blocks: number;
  readonly seconds: number[];
  readonly cpuSeconds: number[];
  readonly peakMegabytes: number[];
}

const ACCOUNT = "111111111111";

/**
 * A config with `keys` keys named key0, key1, ...; each has its primary in a different region of
 * the first `regionCount` commercial regions and a replica in every other one of them, with a
 * key policy of `shape` in each region, so that every policy rule passes.
 */
export function scaleConfig(
  keys: number,
  shape: PolicyShape = "reference",
  regionCount = DEFAULT_REGION_COUNT,
): Record<string, unknown> {
  const regions = COMMERCIAL_REGIONS.slice(0, regionCount);
  const keyPolicy = (name: string) => ({
    ...(shape === "administrators"
      ? { administrators: { principals: [`arn:aws:iam::${ACCOUNT}:role/KeyAdministrator`] } }
      : {}),
    users: [{ sid: "AllowApplicationAccess", principals: [`arn:aws:iam::${ACCOUNT}:role/${name}-application`] }],
  });
  return {
    name: `scale-${keys}x${regions.length}`,
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

/**
 * Times `npm run synth` (its command, without npm) on a stack of `keys` keys in `regions`
 * regions, `runs` times for each count of keys.
 */
export function benchScale(
  keyCounts: readonly number[] = DEFAULT_KEY_COUNTS,
  runs = 3,
  shape: PolicyShape = "reference",
  regions = DEFAULT_REGION_COUNT,
): ScaleTiming[] {
  const work = mkdtempSync(join(tmpdir(), "mrk-bench-scale-"));
  const reporter = join(work, "peak-memory.js");
  writeFileSync(reporter, PEAK_MEMORY_REPORTER);
  try {
    return keyCounts.map((keys) => {
      const name = `scale-${keys}x${regions}`;
      const config = join(work, `${name}.json`);
      writeFileSync(config, JSON.stringify(scaleConfig(keys, shape, regions)));
      const seconds: number[] = [];
      const cpuSeconds: number[] = [];
      const peakMegabytes: number[] = [];
      let blocks = 0;
      for (let run = 0; run < runs; run++) {
        const outdir = join(work, `out-${name}-${run}`);
        const timing = timeProcess(
          [process.execPath, "--require", reporter, "scripts/run-compiled.js", "lib/cli/main.ts", "synth"],
          {
            cwd: join(__dirname, ".."),
            env: { MRK_CONFIG: config, MRK_OUTDIR: outdir },
          },
        );
        seconds.push(timing.seconds);
        cpuSeconds.push(timing.cpuSeconds);
        peakMegabytes.push(Number(/peak-rss-kb=(\d+)/.exec(timing.stderr)?.[1] ?? NaN) / 1024);
        const hcl = readFileSync(join(outdir, "stacks", name, "cdk.tf"), "utf8");
        blocks = (hcl.match(/^(resource|data) "/gm) ?? []).length;
        rmSync(outdir, { recursive: true, force: true });
      }
      return { keys, regions, shape, blocks, seconds, cpuSeconds, peakMegabytes };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The Markdown table of the timings, with the time each key added since the row above (when it
 * has as many regions): flat from 10 to 100 keys means no work grows faster than the keys.
 */
export function scaleTable(timings: readonly ScaleTiming[]): string {
  const rows = timings.map((timing, i) => {
    const previous = timings[i - 1];
    const perKey =
      previous && previous.regions === timing.regions && previous.shape === timing.shape
        ? `${((1000 * (median(timing.seconds) - median(previous.seconds))) / (timing.keys - previous.keys)).toFixed(0)} ms`
        : "-";
    return `| ${timing.keys} x ${timing.regions} | ${timing.shape} | ${timing.blocks} | ${median(timing.seconds).toFixed(2)} s | ${median(timing.cpuSeconds).toFixed(2)} s | ${Math.min(...timing.seconds).toFixed(2)} to ${Math.max(...timing.seconds).toFixed(2)} s | ${Math.max(...timing.peakMegabytes).toFixed(0)} MB | ${perKey} |`;
  });
  return [
    "| keys x regions | key policies | resources and data sources | synth, median | CPU, median | range | peak memory | each key added since the row above |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const optionValue = (option: string) => (args.includes(option) ? Number(args[args.indexOf(option) + 1]) : undefined);
  const runs = optionValue("--runs") ?? 3;
  const regions = optionValue("--regions") ?? DEFAULT_REGION_COUNT;
  const counts = args
    .filter((arg, i) => /^\d+$/.test(arg) && !["--runs", "--regions"].includes(args[i - 1]))
    .map(Number);
  const shape = args.includes("--administrators") ? "administrators" : "reference";
  console.log(scaleTable(benchScale(counts.length > 0 ? counts : DEFAULT_KEY_COUNTS, runs, shape, regions)));
}

/**
 * Times `terraform init`, `terraform apply` and `terraform destroy` of a multi-region key on the
 * AWS emulator (moto), for key sets of several sizes: by default 3 regions (primary + 2
 * replicas) and 10 regions (primary + 9 replicas).
 *
 * ```sh
 * npx tsx scripts/bench-apply.ts            # 3 and 10 regions, prints a markdown table
 * npx tsx scripts/bench-apply.ts 3 5 10     # other sizes
 * ```
 *
 * From another script (scripts/bench.ts is CommonJS, so no top-level await):
 *
 * ```ts
 * benchApply([3, 10]).then((timings) => console.log(applyTimingTable(timings)));
 * ```
 *
 * For each size N it writes a single-key config into a temporary folder (`bench-apply-<N>`,
 * primary in us-east-1, replicas in the N-1 commercial regions that follow us-east-1 in
 * lib/regions.ts, wrapping around; an explicit key policy in every region so the policy rule
 * pack passes without suppressions), writes its HCL with `synthHcl`, starts a fresh emulator
 * with `startEmulator`, and runs Terraform (offline through the provider mirror, see
 * terraform-env.ts) in the stack folder. The local state file is in the temporary folder, which
 * is removed, with the emulator stopped, whatever happens.
 *
 * Regions on moto 5.2.1: its KMS backend serves every region of lib/regions.ts's commercial
 * list (it takes botocore's list, which also has ap-southeast-6), so no region is skipped.
 * Checked with the 10-region set: us-east-1, us-east-2, us-west-1, us-west-2, af-south-1,
 * ap-east-1, ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3 apply and destroy.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { synthHcl } from "../lib/cli/synth";
import { COMMERCIAL_REGIONS } from "../lib/regions";
import { type TerraformResult, terraform } from "../lib/terraform";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "./emulator";

/** The figures of one key set size. */
export interface ApplyTiming {
  /** Regions of the key set: the primary and its replicas. */
  readonly regions: number;
  /** Resources `terraform apply` created (a key, a replica and an alias per region: 2 x regions). */
  readonly resources: number;
  /** Wall time of `terraform init` (provider from the local mirror), in seconds. */
  readonly initSeconds: number;
  /** Wall time of `terraform apply -auto-approve`, in seconds. */
  readonly applySeconds: number;
  /** Wall time of `terraform destroy -auto-approve`, in seconds. */
  readonly destroySeconds: number;
}

export interface BenchApplyOptions {
  /** Receives a line per step (the standalone script prints them on stderr). @default none */
  readonly log?: (line: string) => void;
}

/** The key set sizes measured when none are given. */
export const DEFAULT_REGION_COUNTS: readonly number[] = [3, 10];

const PRIMARY_REGION = "us-east-1";

/**
 * The regions of an N-region key set: us-east-1, then the commercial regions that follow it in
 * lib/regions.ts's (alphabetical) list, wrapping around to the start of the list.
 */
export function benchRegions(count: number): string[] {
  if (!Number.isInteger(count) || count < 2 || count > COMMERCIAL_REGIONS.length) {
    throw new Error(`region count: expected an integer from 2 to ${COMMERCIAL_REGIONS.length}, got ${count}`);
  }
  const start = COMMERCIAL_REGIONS.indexOf(PRIMARY_REGION);
  return Array.from({ length: count }, (_, i) => COMMERCIAL_REGIONS[(start + i) % COMMERCIAL_REGIONS.length]);
}

/** The single-key config (stacks/config.ts) of an N-region key set. */
export function benchConfig(count: number): Record<string, unknown> {
  const [primaryRegion, ...replicaRegions] = benchRegions(count);
  const name = `bench-apply-${count}`;
  // Root statement plus one user grant: every key has an explicit policy (MRK-KMS-3), no
  // wildcard principal (MRK-KMS-2), kms:* only for the root (MRK-KMS-8), no administrators.
  const keyPolicy = {
    rootSid: "EnableRootAccountAccess",
    users: [
      {
        sid: "AllowBenchApplication",
        principals: [`arn:aws:iam::${REFERENCE_ACCOUNT_ID}:role/BenchApplicationRole`],
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      },
    ],
  };
  return {
    name,
    accountId: REFERENCE_ACCOUNT_ID,
    primaryRegion,
    alias: `alias/${name}`,
    description: `Benchmark key, ${count} regions`,
    enableKeyRotation: true,
    keyPolicy,
    replicas: replicaRegions.map((region) => ({ region, keyPolicy })),
    // The benchmark times terraform destroy, which every key's prevent_destroy would refuse.
    deletionProtection: { off: "A benchmark key set on the emulator: its destroy is timed." },
    // Relative to the stack folder, which is inside the temporary folder.
    backend: { type: "local", path: "terraform.tfstate" },
  };
}

/** Runs `terraform <args>` in `cwd` and returns its result and wall time in seconds. */
function timed(args: string[], cwd: string, env: Readonly<Record<string, string>>): [TerraformResult, number] {
  const start = performance.now();
  const result = terraform(args, { cwd, env });
  return [result, (performance.now() - start) / 1000];
}

/** Measures one key set size on its own emulator, in its own temporary folder. */
async function benchOne(count: number, log: (line: string) => void): Promise<ApplyTiming> {
  const config = benchConfig(count);
  const work = mkdtempSync(join(tmpdir(), "mrk-bench-apply-"));
  let emulator: Emulator | undefined;
  try {
    const configPath = join(work, `${config.name}.json`);
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    const [dir] = synthHcl([configPath], join(work, "cdktf.out"));

    emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
    log(`${count} regions (${benchRegions(count).join(", ")}): emulator at ${emulator.endpoint}, HCL in ${dir}`);

    const [, initSeconds] = timed(["init", "-no-color", "-input=false"], dir, emulator.env);
    log(`  terraform init     ${initSeconds.toFixed(2)} s`);

    const [apply, applySeconds] = timed(["apply", "-auto-approve", "-no-color", "-input=false"], dir, emulator.env);
    const added = /Apply complete! Resources: (\d+) added/.exec(apply.stdout);
    if (!added) throw new Error(`terraform apply printed no "Apply complete!" line:\n${apply.stdout.slice(-2000)}`);
    const resources = Number(added[1]);
    log(`  terraform apply    ${applySeconds.toFixed(2)} s, ${resources} resources`);
    if (!existsSync(join(dir, "terraform.tfstate"))) {
      throw new Error(`the state file is not where the backend path puts it (${join(dir, "terraform.tfstate")})`);
    }

    const [destroy, destroySeconds] = timed(
      ["destroy", "-auto-approve", "-no-color", "-input=false"],
      dir,
      emulator.env,
    );
    const destroyed = /Destroy complete! Resources: (\d+) destroyed/.exec(destroy.stdout);
    if (!destroyed || Number(destroyed[1]) !== resources) {
      throw new Error(`terraform destroy removed ${destroyed?.[1] ?? "no"} resources, apply added ${resources}`);
    }
    log(`  terraform destroy  ${destroySeconds.toFixed(2)} s`);

    return { regions: count, resources, initSeconds, applySeconds, destroySeconds };
  } finally {
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Applies and destroys an N-region key on the emulator for each N, one after the other, each
 * on a fresh emulator; resolves with the figures in the order given.
 */
export async function benchApply(
  regionCounts: readonly number[] = DEFAULT_REGION_COUNTS,
  options: BenchApplyOptions = {},
): Promise<ApplyTiming[]> {
  for (const count of regionCounts) benchRegions(count); // fail on a bad size before any work
  const log = options.log ?? (() => undefined);
  const timings: ApplyTiming[] = [];
  for (const count of regionCounts) {
    timings.push(await benchOne(count, log));
  }
  return timings;
}

/** The figures as a markdown table. */
export function applyTimingTable(timings: readonly ApplyTiming[]): string {
  return [
    "| regions | resources | terraform init | terraform apply | terraform destroy |",
    "|---|---|---|---|---|",
    ...timings.map(
      (t) =>
        `| ${t.regions} | ${t.resources} | ${t.initSeconds.toFixed(2)} s | ${t.applySeconds.toFixed(2)} s | ${t.destroySeconds.toFixed(2)} s |`,
    ),
  ].join("\n");
}

if (require.main === module) {
  const counts = process.argv.slice(2).map(Number);
  benchApply(counts.length > 0 ? counts : DEFAULT_REGION_COUNTS, { log: (line) => console.error(line) })
    .then((timings) => console.log(applyTimingTable(timings)))
    .catch((error: Error) => {
      console.error(`bench-apply failed: ${error.message}`);
      process.exit(1);
    });
}

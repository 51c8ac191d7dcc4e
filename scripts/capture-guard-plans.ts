/**
 * `npx tsx scripts/capture-guard-plans.ts [--out <dir>]`: makes the real plans of
 * scripts/guard-scenarios.ts on the emulator (the default stack's edits, and plain Terraform
 * with a module) and writes each one's `terraform show -json` output, as Terraform wrote it,
 * to `<dir>/<scenario>.json` (default `__tests__/fixtures/plans/`), for the guard's unit tests;
 * and two files that are not plans it can pass: the deployed stack's state
 * (`state-not-a-plan.json`) and a plan that stopped on an error (`errored.json`).
 * About three minutes; rerun it when Terraform, the AWS provider or the default stack changes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REFERENCE_ACCOUNT_ID, startEmulator } from "./emulator";
import { DEFAULT_STACK_SCENARIOS, DefaultStackPlans, erroredPlan, ModulePlans } from "./guard-scenarios";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args.includes("--out")
    ? args[args.indexOf("--out") + 1]
    : join(__dirname, "..", "__tests__", "fixtures", "plans");
  mkdirSync(out, { recursive: true });
  const emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  Object.assign(process.env, emulator.env);
  const work = mkdtempSync(join(tmpdir(), "mrk-capture-plans-"));
  const write = (name: string, json: string) => {
    writeFileSync(join(out, `${name}.json`), json.endsWith("\n") ? json : `${json}\n`);
    process.stdout.write(`wrote ${join(out, `${name}.json`)}\n`);
  };
  try {
    const stack = new DefaultStackPlans(work, emulator);
    stack.deploy();
    write("state-not-a-plan", stack.stateJson());
    for (const scenario of DEFAULT_STACK_SCENARIOS) write(scenario.name, (await stack.plan(scenario)).json);
    const modules = new ModulePlans(work, emulator);
    modules.deploy();
    write("module-instances", modules.plan().json);
    write("errored", erroredPlan(work).json);
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});

/**
 * The plan guard on real plans, on the emulator: the default stack is deployed the way
 * docs/plan-guard.md says to deploy with cdktf (synth, plan, guard, apply the guarded plan), then
 * each edit that loses a key is planned on our HCL as plain Terraform has it (no key ledger, no
 * deletion protection), and `mrk guard` must refuse it, naming every address lost and why; a
 * harmless edit, and no edit, must pass. Then the same edits through our synth, whose key
 * ledger refuses or defuses them before the guard sees a plan. Plain Terraform with a module,
 * for_each and count instances too. The plans are those of scripts/guard-scenarios.ts, which
 * scripts/capture-guard-plans.ts also writes to __tests__/fixtures/plans/ for the unit tests.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraform } from "../../lib/terraform";
import { terraformEnv } from "../../lib/terraform-env";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import {
  DEFAULT_STACK_SCENARIOS,
  DefaultStackPlans,
  ModulePlans,
  type PlanScenario,
} from "../../scripts/guard-scenarios";
import { runMrk } from "../cli";
import {
  acceptance,
  DEFAULT_STACK_REPORTS,
  MODULE_ALLOWANCE,
  MODULE_REPORT,
  refusal,
  withoutKeyIds,
} from "../guard-expectations";

const ROOT = join(__dirname, "..", "..");

let emulator: Emulator;
let work: string;
let stack: DefaultStackPlans;

beforeAll(async () => {
  emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  Object.assign(process.env, emulator.env);
  work = mkdtempSync(join(tmpdir(), "mrk-e2e-guard-"));
  stack = new DefaultStackPlans(work, emulator);
});

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs a command as docs/plan-guard.md does, with the emulator's environment and the test's config. */
function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...terraformEnv(), ...emulator.env, MRK_CONFIG: stack.configPath, CHECKPOINT_DISABLE: "1", CI: "1" },
    encoding: "utf8",
    timeout: 300_000,
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    error: result.error,
  };
}

/** Runs `mrk guard` on a plan's JSON; its exit code and the lines of its report, key ids left out. */
async function guard(name: string, json: string, allow: readonly string[] = []) {
  writeFileSync(join(work, `${name}.json`), json);
  const { code, stdout, stderr } = await runMrk(["guard", `${name}.json`, ...allow.flatMap((a) => ["--allow", a])], {
    cwd: work,
  });
  return { code, stderr, report: withoutKeyIds(stdout).split("\n") };
}

describe("before cdktf deploy: cdktf synth, then plan, guard and apply the guarded plan in the stack's folder", () => {
  const deployOut = () => join(work, "cdktf.deploy.out");
  const stackDir = () => join(deployOut(), "stacks", "global-encrypt");

  test("the first deploy of the default stack passes the guard and is applied as planned", () => {
    const cdktf = join(ROOT, "node_modules", ".bin", "cdktf");
    expect(run(cdktf, ["synth", "--output", deployOut()], ROOT)).toExitWith(0);
    expect(run("terraform", ["init", "-no-color"], stackDir())).toExitWith(0);
    expect(run("terraform", ["plan", "-no-color", "-out=tfplan"], stackDir())).toExitWith(0);
    const show = run("terraform", ["show", "-json", "tfplan"], stackDir());
    expect(show).toExitWith(0);
    writeFileSync(join(stackDir(), "plan.json"), show.stdout);
    // `npm run guard -- plan.json`, as a process.
    expect(
      run(
        process.execPath,
        [join(ROOT, "scripts", "run-compiled.js"), join(ROOT, "lib", "cli", "main.ts"), "guard", "plan.json"],
        stackDir(),
      ),
    ).toEqual({
      status: 0,
      signal: null,
      error: undefined,
      stdout:
        "plan.json: accepted: no KMS key, replica or alias is deleted, replaced, re-created or forgotten (6 KMS keys and aliases in the plan)\n",
      stderr: "",
    });
    const apply = run("terraform", ["apply", "-no-color", "tfplan"], stackDir());
    expect({
      status: apply.status,
      summary: /Apply complete! Resources: \d+ added/.exec(apply.stdout)?.[0],
      stderr: apply.stderr,
    }).toEqual({
      status: 0,
      summary: "Apply complete! Resources: 7 added",
      stderr: "",
    });
  });

  test("cdktf deploy --skip-synth then finds nothing left to do in the guarded folder", () => {
    const cdktf = join(ROOT, "node_modules", ".bin", "cdktf");
    const deploy = run(
      cdktf,
      ["deploy", "global-encrypt", "--skip-synth", "--auto-approve", "--skip-provider-lock", "--output", deployOut()],
      ROOT,
    );
    expect(deploy).toExitWith(0);
    expect(deploy.stdout).toMatch(/No changes/);
  });
});

describe("edits of the deployed default stack (our HCL)", () => {
  beforeAll(() => {
    // The state the cdktf deploy above wrote, planned from our HCL from now on.
    terraform(["init", "-no-color"], { cwd: stack.hclDir, env: emulator.env });
  });

  test.each(DEFAULT_STACK_SCENARIOS.map((scenario): [string, PlanScenario] => [scenario.edit, scenario]))(
    "%s",
    async (_, scenario) => {
      const plan = await stack.plan(scenario);
      expect(await guard(scenario.name, plan.json)).toEqual({ ...DEFAULT_STACK_REPORTS[scenario.name], stderr: "" });
    },
  );

  test("every edit of scripts/guard-scenarios.ts has its expected report", () => {
    expect(DEFAULT_STACK_SCENARIOS.map((scenario) => scenario.name).sort()).toEqual(
      Object.keys(DEFAULT_STACK_REPORTS).sort(),
    );
  });
});

describe("the same config edits through our synth, key ledger and deletion protection on", () => {
  const scenario = (name: string) => DEFAULT_STACK_SCENARIOS.find((candidate) => candidate.name === name)!;
  /** The synth's refusal of an edit, or "(synthesized)". */
  const refusalOf = (name: string) => {
    try {
      stack.planWithSafeguards(scenario(name));
      return "(synthesized)";
    } catch (error) {
      return (error as Error).message.replace(/^.*?global-encrypt\.json: /, "");
    }
  };

  test("moving the primary's region or a replica's is refused at synth, with the procedure", () => {
    expect(refusalOf("primary-region-moved")).toMatch(
      /^primaryRegion: "us-west-2" is not the region the key set was created in, "us-east-1" .*fail over \(mrk failover --to <region>/,
    );
    expect(refusalOf("replica-region-moved")).toMatch(
      /^replicas\[1\]\.region: "ap-northeast-1" moves replica apac from ap-southeast-1, where it was deployed .*retire apac/,
    );
  });

  test("renaming a replica plans a move, which the guard accepts", async () => {
    const plan = stack.planWithSafeguards(scenario("replica-renamed"));
    expect(await guard("replica-renamed-moved", plan.json)).toEqual({
      code: 0,
      report: acceptance("replica-renamed-moved"),
      stderr: "",
    });
  });

  test("dropping a replica forgets it (removed, destroy = false), which the guard refuses until allowed", async () => {
    const plan = stack.planWithSafeguards(scenario("replica-dropped"));
    const forgotten = refusal(
      "replica-dropped-forgotten",
      DEFAULT_STACK_REPORTS["replica-forgotten"].report
        .filter((line) => line.startsWith("  aws_"))
        .map((line) => line.trim()),
    );
    expect(await guard("replica-dropped-forgotten", plan.json)).toEqual({ code: 1, report: forgotten, stderr: "" });
  });
});

describe("plain Terraform with a module, for_each and count", () => {
  test("names each instance lost, and accepts the one allowed with a reason", async () => {
    const modules = new ModulePlans(work, emulator);
    modules.deploy();
    const plan = modules.plan();
    expect(await guard("module-instances", plan.json, [MODULE_ALLOWANCE])).toEqual({ ...MODULE_REPORT, stderr: "" });
  });
});

/**
 * `mrk guard` on real plans: __tests__/fixtures/plans/ holds the `terraform show -json` output of
 * each edit of scripts/guard-scenarios.ts, planned on the emulator by
 * scripts/capture-guard-plans.ts (never written by hand). The end-to-end test
 * (__tests__/e2e/guard.test.ts) checks the same reports on plans it makes itself.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllowance, renderVerdict } from "../lib/cli/guard";
import { DEFAULT_STACK_SCENARIOS } from "../scripts/guard-scenarios";
import { runMrk } from "./cli";
import {
  DEFAULT_STACK_REPORTS,
  MODULE_ALLOWANCE,
  MODULE_REPORT,
  REFUSAL_ADVICE,
  withoutKeyIds,
} from "./guard-expectations";

const PLANS = join(__dirname, "fixtures", "plans");

/** `mrk guard <name>.json [--allow ...]` in the folder of the captured plans; its exit code and report, key ids left out. */
async function guard(name: string, ...allow: string[]) {
  const { code, stdout, stderr } = await runMrk(["guard", `${name}.json`, ...allow.flatMap((a) => ["--allow", a])], {
    cwd: PLANS,
  });
  return { code, stderr, report: withoutKeyIds(stdout).split("\n") };
}

/** `mrk guard` with these arguments: its exit code and what it printed. */
const mrkGuard = (...argv: string[]) => runMrk(["guard", ...argv], { cwd: PLANS });

describe("mrk guard on the plans of the default stack's edits", () => {
  test.each(DEFAULT_STACK_SCENARIOS.map((scenario): [string, string] => [scenario.edit, scenario.name]))(
    "%s",
    async (_, name) => {
      expect(await guard(name)).toEqual({ ...DEFAULT_STACK_REPORTS[name], stderr: "" });
    },
  );
});

describe("mrk guard on plain Terraform with a module, for_each and count", () => {
  test("names each instance lost by its full address", async () => {
    const { report } = await guard("module-instances");
    expect(report.filter((line) => line.startsWith("  module."))).toEqual([
      "  module.keys.aws_kms_alias.team[1]: deleted: its index is beyond the new count [arn:aws:kms:us-east-1:111111111111:alias/team-b]",
      '  module.keys.aws_kms_key.team["a"]: replaced: created anew, then the old one destroyed, because key_usage cannot change in place; customer_master_key_spec cannot change in place [arn:aws:kms:us-east-1:111111111111:key/…]',
      '  module.keys.aws_kms_key.team["b"]: deleted: its key is no longer in for_each [arn:aws:kms:us-east-1:111111111111:key/…]',
    ]);
  });

  test("accepts one instance allowed with a reason, and still refuses the others", async () => {
    expect(await guard("module-instances", MODULE_ALLOWANCE)).toEqual({ ...MODULE_REPORT, stderr: "" });
  });
});

describe("--allow: a loss accepted on purpose", () => {
  const retire = ["aws_kms_replica_key.apac=retiring APAC, CHG-1234", "aws_kms_alias.apac=retiring APAC, CHG-1234"];

  test("a plan whose every loss is allowed passes, and the report keeps each loss and its reason", async () => {
    expect(await guard("replica-forgotten", ...retire)).toEqual({
      code: 0,
      stderr: "",
      report: [
        "replica-forgotten.json: accepted: 2 changes lose a KMS key, replica or alias, each allowed with a reason",
        "",
        "Allowed:",
        "  aws_kms_alias.apac: forgotten: a removed block drops it from the state: it stays in AWS, managed by no one [arn:aws:kms:ap-southeast-1:111111111111:alias/global-encrypt]",
        "      allowed: retiring APAC, CHG-1234",
        "  aws_kms_replica_key.apac: forgotten: a removed block drops it from the state: it stays in AWS, managed by no one [arn:aws:kms:ap-southeast-1:111111111111:key/mrk-…]",
        "      allowed: retiring APAC, CHG-1234",
        "",
      ],
    });
  });

  test("an allowance that matches no loss of the plan refuses it, so that none lingers in a pipeline", async () => {
    expect(await guard("harmless", retire[0])).toEqual({
      code: 1,
      stderr: "",
      report: [
        "harmless.json: refused: 1 --allow matches no loss",
        "",
        "Allowances that match no loss of this plan (remove them):",
        "  --allow aws_kms_replica_key.apac=retiring APAC, CHG-1234",
        ...REFUSAL_ADVICE,
      ],
    });
  });

  test("an allowance names one address exactly: the replica allowed does not allow its alias", async () => {
    const { code, report } = await guard("replica-dropped", retire[0]);
    expect({ code, heading: report[0] }).toEqual({
      code: 1,
      heading: "replica-dropped.json: refused: 1 change loses a KMS key, replica or alias, 1 allowed",
    });
  });

  test("an address ends at the first = outside its index, so for_each keys may hold one", () => {
    expect(parseAllowance('module.keys.aws_kms_key.team["a=b"]=split = merged')).toEqual({
      address: 'module.keys.aws_kms_key.team["a=b"]',
      reason: "split = merged",
    });
  });

  test.each([
    ["no =", "aws_kms_replica_key.apac", 'Error: --allow: "aws_kms_replica_key.apac" must be <address>=<reason>'],
    [
      "nothing after =",
      "aws_kms_replica_key.apac= ",
      'Error: --allow: aws_kms_replica_key.apac: needs a reason after "="',
    ],
  ])("an allowance with %s is a usage error", async (_, allowance, error) => {
    const { code, stdout, stderr } = await mrkGuard("harmless.json", "--allow", allowance);
    expect({ code, stdout, error: stderr.split("\n")[0] }).toEqual({ code: 2, stdout: "", error });
  });
});

describe("mrk guard refuses what is not a plan it can pass, with one line naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "mrk-guard-"));

  test.each([
    [
      "the JSON of a state",
      "state-not-a-plan.json",
      "Error: state-not-a-plan.json: is the JSON of a state, not of a plan; give the output of terraform plan -out=<planfile> then terraform show -json <planfile>\n",
    ],
    [
      "a plan that stopped on an error",
      "errored.json",
      "Error: errored.json: errored: true: the plan stopped on an error and cannot be applied; fix the error and plan again\n",
    ],
    ["a file that is not there", "missing.json", "Error: missing.json: cannot be read (ENOENT)\n"],
  ])("%s", async (_, file, stderr) => {
    expect(await mrkGuard(file)).toEqual({ code: 1, stdout: "", stderr });
  });

  test("JSON that is not a plan", async () => {
    const path = join(dir, "package.json");
    writeFileSync(path, JSON.stringify({ name: "x" }));
    expect(await mrkGuard(path)).toEqual({
      code: 1,
      stdout: "",
      stderr: `Error: ${path}: is not the JSON of a Terraform plan (terraform show -json <planfile>)\n`,
    });
  });

  test("a binary plan file", async () => {
    const path = join(dir, "tfplan");
    writeFileSync(path, Buffer.from("PK\u0003\u0004\u0014\u0000", "latin1"));
    expect(await mrkGuard(path)).toEqual({
      code: 1,
      stdout: "",
      stderr: `Error: ${path}: is a binary plan file; give mrk guard the output of terraform show -json ${path}\n`,
    });
  });

  test("text that is not JSON", async () => {
    const path = join(__dirname, "fixtures", "seed.tf");
    const { code, stderr } = await mrkGuard(path);
    expect({ code, stderr: stderr.replace(/\(.*\)/, "(...)") }).toEqual({
      code: 1,
      stderr: `Error: ${path}: is not JSON (...); give the output of terraform show -json <planfile>\n`,
    });
  });

  test("no plan, or two, is a usage error", async () => {
    expect([(await mrkGuard()).code, (await mrkGuard("harmless.json", "unchanged.json")).code]).toEqual([2, 2]);
  });
});

describe("the report", () => {
  test("escapes control and bidirectional characters that come from the plan (a for_each key) or the command line", () => {
    const loss = {
      address: 'aws_kms_key.team["ops\u202e"]',
      type: "aws_kms_key",
      kind: "deleted" as const,
      why: "its key is no longer in for_each",
      allowedBecause: "retired\u0007",
    };
    const report = renderVerdict("plan.json", { losses: [loss], unusedAllowances: [], accepted: true }, 1);
    expect(report.split("\n").slice(2, 5)).toEqual([
      "Allowed:",
      '  aws_kms_key.team["ops\\u202e"]: deleted: its key is no longer in for_each',
      "      allowed: retired\\u0007",
    ]);
  });
});

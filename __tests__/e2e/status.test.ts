/**
 * End to end on the emulator: apply the monitored example
 * (examples/config-file-app/keys/monitored.json: the key in three regions, with a request alarm,
 * EventBridge rules, an encrypted SNS topic per region and a dashboard), then `npm run status` as
 * users run it: healthy (which also proves that the policies Terraform wrote to KMS compare
 * equal to the synthesized ones), with each region's request usage (moto's CloudWatch returns no
 * datapoints: the status says so), then failing, naming the region, once a replica is disabled.
 * Then `mrk status` in a consumer's own CDKTF project (its cdktf.json app, a TypeScript stack whose
 * key policies name the account of data.aws_caller_identity): healthy. Drifted policies are
 * specified in __tests__/status.test.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DisableKeyCommand } from "@aws-sdk/client-kms";
import { synthHcl } from "../../lib/cli/synth";
import { describeKeyInRegions, kmsClient } from "../../lib/key-set-client";
import { terraform } from "../../lib/terraform";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { runMrk } from "../cli";
import { EXAMPLE_CONFIGS_DIR } from "../helpers";

const ROOT = join(__dirname, "..", "..");
const ALIAS = "alias/orders";
const MONITORED = join(EXAMPLE_CONFIGS_DIR, "monitored.json");

let emulator: Emulator;
let work: string;
let hclDir: string;

beforeAll(async () => {
  emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  // The AWS SDK of this process (DisableKey) reads the emulator from the environment.
  Object.assign(process.env, emulator.env);
  work = mkdtempSync(join(tmpdir(), "mrk-e2e-status-"));
});

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `npm run status -- --config <monitored.json>`, as a user runs it, against the emulator. */
function status() {
  const result = spawnSync("npm", ["run", "--silent", "status", "--", "--config", MONITORED], {
    cwd: ROOT,
    env: { ...process.env, ...emulator.env },
    encoding: "utf8",
    // A hang ends here; the first run builds the command's bundles, and a busy machine is slow.
    timeout: 300_000,
  });
  return { ...result, output: result.stdout + result.stderr };
}

describe("npm run status on the monitored example", () => {
  test("terraform applies the key set with its monitoring in every region", () => {
    [hclDir] = synthHcl([MONITORED], join(work, "cdktf.out"));
    terraform(["init", "-no-color"], { cwd: hclDir, env: emulator.env });
    const apply = terraform(["apply", "-auto-approve", "-no-color"], { cwd: hclDir, env: emulator.env });
    expect(apply.stdout).toMatch(/Apply complete! Resources: 29 added, 0 changed, 0 destroyed/);
  });

  test("a second plan shows no change: the alarms' metric math reads back as written", () => {
    const plan = terraform(["plan", "-detailed-exitcode", "-no-color"], {
      cwd: hclDir,
      env: emulator.env,
      okStatuses: [0, 2],
    });
    expect({ status: plan.status, changes: plan.status === 0 ? "" : plan.stdout }).toEqual({ status: 0, changes: "" });
  });

  test("each region's request alarm reached CloudWatch as the percentage of the applied quota", async () => {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"]) {
      const { MetricAlarms } = await new CloudWatchClient({ region }).send(
        new DescribeAlarmsCommand({ AlarmNames: ["monitored-kms-symmetric-calls"] }),
      );
      const alarm = MetricAlarms?.[0];
      expect({
        region,
        threshold: alarm?.Threshold,
        expressions: alarm?.Metrics?.map(
          (m) => m.Expression ?? m.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === "Resource")?.Value,
        ),
      }).toEqual({
        region,
        threshold: 80,
        expressions: ["CryptographicOperationsSymmetric", "usage / SERVICE_QUOTA(usage) * 100"],
      });
    }
  });

  test("reports every region healthy and exits 0", () => {
    const result = status();
    expect(result).toExitWith(0);
    const { output } = result;
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"]) {
      expect(output).toMatch(new RegExp(`^${region} .*Enabled\\s+this key\\s+on\\s+as synthesized$`, "m"));
    }
    expect(output).toContain("healthy: every region is as the config says");
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"]) {
      expect(output).toMatch(new RegExp(`^  ${region} +no datapoints in the last 15 minutes `, "m"));
    }
  });

  test("exits 1 and names eu-west-1 once its replica is disabled through the API", async () => {
    const [{ keyId }] = await describeKeyInRegions(ALIAS, ["eu-west-1"]);
    await kmsClient("eu-west-1").send(new DisableKeyCommand({ KeyId: keyId }));
    const result = status();
    expect(result).toExitWith(1);
    const { output } = result;
    expect(output).toMatch(/^eu-west-1 .*REPLICA\s+Disabled\s/m);
    expect(output).toContain("eu-west-1: the key is Disabled; the config has it enabled");
  });
});

describe("mrk status on a TypeScript stack of your own", () => {
  let project: string;

  test("terraform applies the stack that the project's cdktf.json app synthesizes", () => {
    project = join(work, "payments-project");
    mkdirSync(project);
    const app = `node ${join(ROOT, "scripts", "run-compiled.js")} ${join(__dirname, "payments-keys-app.ts")}`;
    writeFileSync(join(project, "cdktf.json"), JSON.stringify({ language: "typescript", app }));
    const synth = spawnSync(app, {
      cwd: project,
      shell: true,
      encoding: "utf8",
      env: { ...process.env, CDKTF_OUTDIR: join(project, "cdktf.out") },
    });
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: 0, stderr: "" });
    const stackDir = join(project, "cdktf.out", "stacks", "payments-keys");
    terraform(["init", "-no-color"], { cwd: stackDir, env: emulator.env });
    const apply = terraform(["apply", "-auto-approve", "-no-color"], { cwd: stackDir, env: emulator.env });
    expect(apply.stdout).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
  });

  test("reports every region healthy, its policies compared in the account KMS reports, and exits 0", async () => {
    const { code, stdout, stderr } = await runMrk(["status"], {
      cwd: project,
      env: { ...process.env, ...emulator.env },
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(
      stdout
        .split("\n")
        .filter((line) => /^(us-east-1|eu-west-1|ap-southeast-1) /.test(line))
        .map((line) => line.split(/\s{2,}/)),
    ).toEqual([
      ["us-east-1", "aws_kms_key.primary", "PRIMARY", "Enabled", "this key", "on", "as synthesized"],
      ["ap-southeast-1", "aws_kms_replica_key.apac", "REPLICA", "Enabled", "this key", "on", "as synthesized"],
      ["eu-west-1", "aws_kms_replica_key.eu", "REPLICA", "Enabled", "this key", "on", "as synthesized"],
    ]);
    expect(stdout).toContain("healthy: every region is as the config says");
  });
});

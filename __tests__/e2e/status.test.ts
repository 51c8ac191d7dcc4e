/**
 * End to end on the emulator: apply the monitored example (stacks/monitored.json: the key in
 * three regions, with alarms, EventBridge rules, an encrypted SNS topic per region and a
 * dashboard), then `npm run status` as users run it: healthy (which also proves that the
 * policies Terraform wrote to KMS compare equal to the synthesized ones), then failing, naming the
 * region, once a replica is disabled. Drifted policies are specified in __tests__/status.test.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DisableKeyCommand } from "@aws-sdk/client-kms";
import { STACKS_DIR } from "../../stacks/app";
import { Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { describeKeyInRegions, kmsClient } from "../../lib/key-set-client";
import { synthHcl } from "../../lib/cli/synth";
import { terraform } from "../../lib/terraform";

const ROOT = join(__dirname, "..", "..");
const ALIAS = "alias/orders";

let emulator: Emulator;
let work: string;

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

/** `npm run status -- --stack monitored`, as a user runs it, against the emulator. */
function status() {
  const result = spawnSync("npm", ["run", "--silent", "status", "--", "--stack", "monitored"], {
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
    const [dir] = synthHcl([join(STACKS_DIR, "monitored.json")], join(work, "cdktf.out"));
    terraform(["init", "-no-color"], { cwd: dir, env: emulator.env });
    const apply = terraform(["apply", "-auto-approve", "-no-color"], { cwd: dir, env: emulator.env });
    expect(apply.stdout).toMatch(/Apply complete! Resources: 38 added, 0 changed, 0 destroyed/);
  });

  test("reports every region healthy and exits 0", () => {
    const result = status();
    expect(result).toExitWith(0);
    const { output } = result;
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"]) {
      expect(output).toMatch(new RegExp(`^${region} .*Enabled\\s+this key\\s+on\\s+as synthesized$`, "m"));
    }
    expect(output).toContain("healthy: every region is as the config says");
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

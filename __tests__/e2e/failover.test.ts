/**
 * A disaster-recovery drill on the emulator: deploy, encrypt in every region, fail over to
 * eu-west-1 with `npm run failover`, check that nothing was lost and that Terraform sees no
 * change, then fail back to us-east-1 the same way.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DecryptCommand, DisableKeyCommand, EnableKeyCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import { DEFAULT_CONFIG } from "../../stacks/app";
import { Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { describeKeyInRegions, encryptHereDecryptThere, kmsClient } from "../../lib/key-set-client";
import { synthHcl } from "../../lib/cli/synth";
import { terraform } from "../../lib/terraform";

const ROOT = join(__dirname, "..", "..");
const ALIAS = "alias/global-encrypt";
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-1"];

let emulator: Emulator;
let work: string;
let configPath: string;
const ciphertexts = new Map<string, Uint8Array>();

/** `npm run failover -- <args>` against the emulator, on the test's copy of the config. */
function runFailover(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "failover", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...emulator.env, MRK_CONFIG: configPath, MRK_OUTDIR: join(work, "cdktf.out") },
    encoding: "utf8",
    // A hang ends here, with the output so far; a busy machine takes minutes.
    timeout: 600_000,
  });
}

const config = () => JSON.parse(readFileSync(configPath, "utf8"));
const keyTypes = async () =>
  Object.fromEntries((await describeKeyInRegions(ALIAS, REGIONS)).map((key) => [key.region, key.multiRegionKeyType]));

beforeAll(async () => {
  emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  Object.assign(process.env, emulator.env);
  work = mkdtempSync(join(tmpdir(), "mrk-e2e-failover-"));
  configPath = join(work, "global-encrypt.json");
  copyFileSync(DEFAULT_CONFIG, configPath);
  const [dir] = synthHcl([configPath], join(work, "cdktf.out"));
  terraform(["init", "-no-color"], { cwd: dir, env: emulator.env });
  terraform(["apply", "-auto-approve", "-no-color"], { cwd: dir, env: emulator.env });
});

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the failover drill", () => {
  test("encrypts data in every region before the failover", async () => {
    for (const region of REGIONS) {
      const { ciphertext } = await encryptHereDecryptThere(ALIAS, `written in ${region}`, region, []);
      ciphertexts.set(region, ciphertext);
    }
    expect(ciphertexts.size).toBe(3);
  });

  test("--dry-run checks the keys, prints each step and changes nothing", async () => {
    const result = runFailover("--to", "eu-west-1", "--dry-run");
    expect(result).toExitWith(0);
    expect(result.stdout).toMatch(/1\. checked: us-east-1 PRIMARY Enabled, eu-west-1 REPLICA Enabled/);
    expect(result.stdout).toMatch(/2\. would call UpdatePrimaryRegion\(mrk-\S+, eu-west-1\) in us-east-1/);
    expect(result.stdout).toMatch(/5\. would write the HCL of global-encrypt, refresh its Terraform state/);
    expect(config()).not.toHaveProperty("currentPrimaryRegion");
    expect(await keyTypes()).toEqual({ "us-east-1": "PRIMARY", "eu-west-1": "REPLICA", "ap-southeast-1": "REPLICA" });
  });

  test("refuses a disabled target before any change", async () => {
    const [apac] = await describeKeyInRegions(ALIAS, ["ap-southeast-1"]);
    await kmsClient("ap-southeast-1").send(new DisableKeyCommand({ KeyId: apac.keyId }));
    try {
      const result = runFailover("--to", "ap-southeast-1");
      expect(result).toExitWith(1);
      expect(result.stderr).toMatch(/^Error: refused, nothing changed: ap-southeast-1: the key is Disabled/m);
      expect(config()).not.toHaveProperty("currentPrimaryRegion");
      expect((await keyTypes())["us-east-1"]).toBe("PRIMARY");
    } finally {
      await kmsClient("ap-southeast-1").send(new EnableKeyCommand({ KeyId: apac.keyId }));
    }
  });

  test("refuses a region outside the set", () => {
    const result = runFailover("--to", "us-west-2");
    expect(result).toExitWith(1);
    expect(result.stderr.trim()).toBe(
      'Error: --to: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    );
  });

  test("fails over to eu-west-1: promotes the replica, updates the config, refreshes the state", () => {
    const result = runFailover("--to", "eu-west-1");
    expect(result).toExitWith(0);
    expect(result.stdout).toMatch(/2\. UpdatePrimaryRegion: eu-west-1 holds the primary/);
    expect(result.stdout).toMatch(/4\. .*global-encrypt\.json: currentPrimaryRegion is "eu-west-1"/);
    expect(result.stdout).toMatch(/5\. Terraform state in .* refreshed; terraform plan: no changes/);
    expect(config().currentPrimaryRegion).toBe("eu-west-1");
  });

  test("eu-west-1 holds the primary and the other regions replicas", async () => {
    expect(await keyTypes()).toEqual({ "us-east-1": "REPLICA", "eu-west-1": "PRIMARY", "ap-southeast-1": "REPLICA" });
  });

  test("every ciphertext written before the failover decrypts in every region", async () => {
    for (const [writtenIn, ciphertext] of ciphertexts) {
      for (const region of REGIONS) {
        const { Plaintext } = await kmsClient(region).send(new DecryptCommand({ KeyId: ALIAS, CiphertextBlob: ciphertext }));
        expect(new TextDecoder().decode(Plaintext)).toBe(`written in ${writtenIn}`);
      }
    }
  });

  test("new data encrypted in eu-west-1 decrypts in the other regions", async () => {
    const { decrypted } = await encryptHereDecryptThere(ALIAS, "after the failover", "eu-west-1", ["us-east-1", "ap-southeast-1"]);
    expect(decrypted).toEqual({ "us-east-1": "after the failover", "ap-southeast-1": "after the failover" });
  });

  test("automatic rotation is reported on the new primary", async () => {
    const [eu] = await describeKeyInRegions(ALIAS, ["eu-west-1"]);
    const { KeyRotationEnabled } = await kmsClient("eu-west-1").send(new GetKeyRotationStatusCommand({ KeyId: eu.keyId }));
    expect(KeyRotationEnabled).toBe(true);
  });

  test("a fresh synth and terraform plan show no change", () => {
    const [dir] = synthHcl([configPath], join(work, "cdktf.out"));
    // -detailed-exitcode: 0 for no changes, 2 for changes (shown on failure).
    const plan = terraform(["plan", "-detailed-exitcode", "-no-color"], { cwd: dir, env: emulator.env, okStatuses: [0, 2] });
    expect(plan).toExitWith(0);
    expect(readFileSync(join(dir, "cdk.tf"), "utf8")).toMatch(/resource "aws_kms_key" "primary" \{\n  provider = aws\.eu_west_1\n/);
  });

  test("fails back to us-east-1 the same way", async () => {
    const result = runFailover("--to", "us-east-1");
    expect(result).toExitWith(0);
    expect(result.stdout).toMatch(/5\. Terraform state in .* refreshed; terraform plan: no changes/);
    expect(config()).not.toHaveProperty("currentPrimaryRegion");
    expect(readFileSync(configPath, "utf8")).toBe(readFileSync(DEFAULT_CONFIG, "utf8"));
    expect(await keyTypes()).toEqual({ "us-east-1": "PRIMARY", "eu-west-1": "REPLICA", "ap-southeast-1": "REPLICA" });
  });
});

/**
 * A disaster-recovery drill on the emulator: deploy, encrypt in every region, fail over to
 * eu-west-1 with `npm run failover`, check that nothing was lost and that Terraform sees no
 * change, then fail back to us-east-1 the same way. Then a failover cut off after each of its
 * steps, and rerun, until it is done: every rerun finishes what remains, and every ciphertext
 * written before still decrypts in every region.
 *
 * The project is a folder of its own: its config, its state (deployed from `cdktf.out`, as a
 * project without a cdktf.json deploys) and `MRK_OUTDIR` two levels down, where the HCL's
 * relative state path would lead to an empty state.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DecryptCommand, DisableKeyCommand, EnableKeyCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import { STOP_AFTER_VARIABLE } from "../../lib/cli/failover";
import { synthHcl } from "../../lib/cli/synth";
import { describeKeyInRegions, encryptHereDecryptThere, kmsClient } from "../../lib/key-set-client";
import { terraform } from "../../lib/terraform";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { DEFAULT_CONFIG } from "../../stacks/app";

const ROOT = join(__dirname, "..", "..");
/** tsx's loader, by its path: the command runs in the project folder, which has no node_modules. */
const TSX = pathToFileURL(require.resolve("tsx")).href;
const ALIAS = "alias/global-encrypt";
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-1"];

let emulator: Emulator;
let work: string;
let configPath: string;
/** MRK_OUTDIR: two levels below the project, where `../../../` from a stack's folder is not the project. */
let hclOut: string;
const ciphertexts = new Map<string, Uint8Array>();

/** `mrk failover <args>` against the emulator, run in the test's project; `env` adds variables (the test hook). */
function runFailoverWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawnSync(process.execPath, ["--import", TSX, join(ROOT, "lib", "cli", "main.ts"), "failover", ...args], {
    cwd: work,
    // Its temporary folders in the project: a run the test hook kills leaves its own behind.
    env: {
      ...process.env,
      ...emulator.env,
      MRK_CONFIG: configPath,
      MRK_OUTDIR: hclOut,
      TMPDIR: join(work, "tmp"),
      ...env,
    },
    encoding: "utf8",
    // A hang ends here, with the output so far; a busy machine takes minutes.
    timeout: 600_000,
  });
}
const runFailover = (...args: string[]) => runFailoverWith({}, ...args);

const config = () => JSON.parse(readFileSync(configPath, "utf8"));
const keyTypes = async () =>
  Object.fromEntries((await describeKeyInRegions(ALIAS, REGIONS)).map((key) => [key.region, key.multiRegionKeyType]));

beforeAll(async () => {
  emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  Object.assign(process.env, emulator.env);
  work = mkdtempSync(join(tmpdir(), "mrk-e2e-failover-"));
  configPath = join(work, "global-encrypt.json");
  hclOut = join(work, "review", "hcl");
  mkdirSync(join(work, "tmp"));
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
    const [eu] = await describeKeyInRegions(ALIAS, ["eu-west-1"]);
    await kmsClient("eu-west-1").send(new DisableKeyCommand({ KeyId: eu.keyId }));
    try {
      const result = runFailover("--to", "eu-west-1");
      expect(result).toExitWith(1);
      expect(result.stderr).toMatch(/^Error: refused, nothing changed: eu-west-1: the key is Disabled/m);
      expect(config()).not.toHaveProperty("currentPrimaryRegion");
      expect((await keyTypes())["us-east-1"]).toBe("PRIMARY");
      expect(existsSync(`${configPath}.failover.lock`)).toBe(false);
    } finally {
      await kmsClient("eu-west-1").send(new EnableKeyCommand({ KeyId: eu.keyId }));
    }
  });

  test("refuses ap-southeast-1 before promoting: with the addresses swapped, the primary would have no key policy", async () => {
    const result = runFailover("--to", "ap-southeast-1");
    expect(result).toExitWith(1);
    expect(result.stderr).toMatch(
      /^Error: refused, nothing changed: the config as the failover would write it \(currentPrimaryRegion "ap-southeast-1"/m,
    );
    expect(result.stderr).toMatch(/\[MRK-KMS-3\] aws_kms_key\.primary: the key has no key policy/);
    expect(config()).not.toHaveProperty("currentPrimaryRegion");
    expect(await keyTypes()).toEqual({ "us-east-1": "PRIMARY", "eu-west-1": "REPLICA", "ap-southeast-1": "REPLICA" });
  });

  test("refuses a region outside the set", () => {
    const result = runFailover("--to", "us-west-2");
    expect(result).toExitWith(1);
    // The last line: the policy report of the project's stacks comes before it.
    expect(result.stderr.trim().split("\n").pop()).toBe(
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

  test("found the state the key set was deployed with, not the one MRK_OUTDIR's relative path leads to", () => {
    const state = JSON.parse(readFileSync(join(work, "terraform.global-encrypt.tfstate"), "utf8"));
    const primary = state.resources.find(
      (resource: { type: string; name: string }) => resource.type === "aws_kms_key" && resource.name === "primary",
    );
    expect({
      readIn: primary.instances[0].attributes.arn.split(":")[3],
      strayState: existsSync(join(work, "review", "terraform.global-encrypt.tfstate")),
    }).toEqual({ readIn: "eu-west-1", strayState: false });
  });

  test("eu-west-1 holds the primary and the other regions replicas", async () => {
    expect(await keyTypes()).toEqual({ "us-east-1": "REPLICA", "eu-west-1": "PRIMARY", "ap-southeast-1": "REPLICA" });
  });

  test("every ciphertext written before the failover decrypts in every region", async () => {
    for (const [writtenIn, ciphertext] of ciphertexts) {
      for (const region of REGIONS) {
        const { Plaintext } = await kmsClient(region).send(
          new DecryptCommand({ KeyId: ALIAS, CiphertextBlob: ciphertext }),
        );
        expect(new TextDecoder().decode(Plaintext)).toBe(`written in ${writtenIn}`);
      }
    }
  });

  test("new data encrypted in eu-west-1 decrypts in the other regions", async () => {
    const { decrypted } = await encryptHereDecryptThere(ALIAS, "after the failover", "eu-west-1", [
      "us-east-1",
      "ap-southeast-1",
    ]);
    expect(decrypted).toEqual({ "us-east-1": "after the failover", "ap-southeast-1": "after the failover" });
  });

  test("automatic rotation is reported on the new primary", async () => {
    const [eu] = await describeKeyInRegions(ALIAS, ["eu-west-1"]);
    const { KeyRotationEnabled } = await kmsClient("eu-west-1").send(
      new GetKeyRotationStatusCommand({ KeyId: eu.keyId }),
    );
    expect(KeyRotationEnabled).toBe(true);
  });

  test("a fresh synth and terraform plan show no change", () => {
    const [dir] = synthHcl([configPath], join(work, "cdktf.out"));
    // -detailed-exitcode: 0 for no changes, 2 for changes (shown on failure).
    const plan = terraform(["plan", "-detailed-exitcode", "-no-color"], {
      cwd: dir,
      env: emulator.env,
      okStatuses: [0, 2],
    });
    expect(plan).toExitWith(0);
    expect(readFileSync(join(dir, "cdk.tf"), "utf8")).toMatch(
      /resource "aws_kms_key" "primary" \{\n {2}provider = aws\.eu_west_1\n/,
    );
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

/**
 * The same command, cut off after each step in turn by the test hook (MRK_FAILOVER_STOP_AFTER
 * kills the process with SIGKILL as soon as that step is done), and run again: each rerun
 * recognises where the last one stopped and goes one step further, until the last one finishes.
 */
describe("a failover cut off after each step finishes on a rerun", () => {
  const lockPath = () => `${configPath}.failover.lock`;
  const cutOffAfter = (step: number) => runFailoverWith({ [STOP_AFTER_VARIABLE]: String(step) }, "--to", "eu-west-1");
  /** How a run ended, with its standard error to show why when it is not as expected. */
  const ending = (result: ReturnType<typeof runFailover>) => ({
    status: result.status,
    signal: result.signal,
    stderr: result.stderr,
  });
  const killed = { status: null, signal: "SIGKILL" };
  let lastPid: number;

  /** What each region decrypts every ciphertext written before the failovers to. */
  async function decryptedEverywhere(): Promise<Record<string, string>> {
    const decrypted: Record<string, string> = {};
    for (const [writtenIn, ciphertext] of ciphertexts) {
      for (const region of REGIONS) {
        const { Plaintext } = await kmsClient(region).send(
          new DecryptCommand({ KeyId: ALIAS, CiphertextBlob: ciphertext }),
        );
        decrypted[`${writtenIn} in ${region}`] = new TextDecoder().decode(Plaintext);
      }
    }
    return decrypted;
  }
  const allDecrypted = () =>
    Object.fromEntries(
      [...ciphertexts.keys()].flatMap((writtenIn) =>
        REGIONS.map((region) => [`${writtenIn} in ${region}`, `written in ${writtenIn}`]),
      ),
    );

  afterEach(async () => {
    expect(await decryptedEverywhere()).toEqual(allDecrypted());
  });

  test("after step 1, the checks: nothing has changed, and the lock is left with a pid that runs no more", async () => {
    const result = cutOffAfter(1);
    expect(ending(result)).toMatchObject(killed);
    expect(result.stdout).toMatch(/^1\. checked: us-east-1 PRIMARY Enabled, eu-west-1 REPLICA Enabled$/m);
    expect(result.stdout).not.toMatch(/^2\./m);
    expect(await keyTypes()).toEqual({ "us-east-1": "PRIMARY", "eu-west-1": "REPLICA", "ap-southeast-1": "REPLICA" });
    expect(config()).not.toHaveProperty("currentPrimaryRegion");
    expect(JSON.parse(readFileSync(lockPath(), "utf8")).pid).toBe(result.pid);
    lastPid = result.pid;
  });

  test("after step 2, the promotion: the rerun took the lock over and promoted eu-west-1", async () => {
    const result = cutOffAfter(2);
    expect(ending(result)).toMatchObject(killed);
    expect(result.stdout).toMatch(
      new RegExp(
        `^   - lock \\S+ taken, over one left by pid ${lastPid} \\(mrk failover --to eu-west-1 --stack global-encrypt, since \\S+\\), which runs no more$`,
        "m",
      ),
    );
    expect(result.stdout).toMatch(/^2\. UpdatePrimaryRegion: eu-west-1 holds the primary$/m);
    expect(await keyTypes()).toEqual({ "us-east-1": "REPLICA", "eu-west-1": "PRIMARY", "ap-southeast-1": "REPLICA" });
    expect(config()).not.toHaveProperty("currentPrimaryRegion");
  });

  test("after step 3, the wait: the rerun recognised promoted but not recorded, and did not promote again", async () => {
    const result = cutOffAfter(3);
    expect(ending(result)).toMatchObject(killed);
    expect(result.stdout).toMatch(
      /^ {3}resuming: promoted but not recorded \(KMS: eu-west-1 holds the primary; the config says us-east-1\)$/m,
    );
    expect(result.stdout).toMatch(/^2\. skipped UpdatePrimaryRegion: eu-west-1 holds the primary already$/m);
    expect(result.stdout).toMatch(
      /^3\. no key of the set is Updating \(waited \d+\.\d s\); eu-west-1 holds the primary$/m,
    );
    expect(config()).not.toHaveProperty("currentPrimaryRegion");
  });

  test("after step 4, the config: the rerun recorded eu-west-1", async () => {
    const result = cutOffAfter(4);
    expect(ending(result)).toMatchObject(killed);
    expect(result.stdout).toMatch(/^ {3}resuming: promoted but not recorded/m);
    expect(result.stdout).toMatch(/^4\. global-encrypt\.json: currentPrimaryRegion is "eu-west-1"$/m);
    expect(config().currentPrimaryRegion).toBe("eu-west-1");
  });

  test("after step 5, the state: the rerun recognised recorded but not refreshed, refreshed it, and the plan is clean", () => {
    const result = cutOffAfter(5);
    expect(ending(result)).toMatchObject(killed);
    expect(result.stdout).toMatch(
      /^ {3}resuming: recorded but not refreshed \(KMS and the config say eu-west-1; the state read aws_kms_key\.primary in us-east-1\)$/m,
    );
    expect(result.stdout).toMatch(/^4\. global-encrypt\.json records eu-west-1 already$/m);
    expect(result.stdout).toMatch(
      /^5\. Terraform state in review\/hcl\/stacks\/global-encrypt refreshed; terraform plan: no changes$/m,
    );
    expect(existsSync(lockPath())).toBe(true);
  });

  test("run once more: it is all done; it exits 0 with a clean plan and leaves no lock", async () => {
    const result = runFailover("--to", "eu-west-1");
    expect(result).toExitWith(0);
    expect(result.stdout).toMatch(
      /^ {3}already done: KMS, the config and the state say eu-west-1; checking that terraform plan shows no change$/m,
    );
    expect(result.stdout).toMatch(/^5\. Terraform state in \S+ refreshed; terraform plan: no changes$/m);
    expect(await keyTypes()).toEqual({ "us-east-1": "REPLICA", "eu-west-1": "PRIMARY", "ap-southeast-1": "REPLICA" });
    expect(existsSync(lockPath())).toBe(false);
  });
});

/**
 * End to end on the emulator: `cdktf deploy` the default stack as users do, use the key
 * through its alias in every region, then prove that the reviewed HCL (`npm run synth`)
 * describes exactly what was deployed; Terraform refuses to destroy it, until the config turns
 * deletion protection off with a reason.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthHcl } from "../../lib/cli/synth";
import { keyLedgerPath } from "../../lib/key-ledger";
import { describeKeyInRegions, encryptHereDecryptThere } from "../../lib/key-set-client";
import { terraform } from "../../lib/terraform";
import { terraformEnv } from "../../lib/terraform-env";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { DEFAULT_CONFIG } from "../../stacks/app";

const ROOT = join(__dirname, "..", "..");
const ALIAS = "alias/global-encrypt";
const PRIMARY = "us-east-1";
const REPLICAS = ["eu-west-1", "ap-southeast-1"];

let emulator: Emulator;
let work: string;
let hclDir: string;

beforeAll(async () => {
  emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  // The AWS SDK reads its endpoint and credentials from the environment, as users' code does.
  Object.assign(process.env, emulator.env);
  work = mkdtempSync(join(tmpdir(), "mrk-e2e-deploy-"));
});

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the default stack on the emulator", () => {
  test("deploys with cdktf deploy", () => {
    const result = spawnSync(
      join(ROOT, "node_modules", ".bin", "cdktf"),
      [
        "deploy",
        "global-encrypt",
        "--auto-approve",
        "--skip-provider-lock",
        "--output",
        join(work, "cdktf.deploy.out"),
      ],
      {
        cwd: ROOT,
        env: { ...terraformEnv(), ...emulator.env, MRK_CONFIG: DEFAULT_CONFIG, CHECKPOINT_DISABLE: "1", CI: "1" },
        encoding: "utf8",
        // A hang ends here, with the output so far; a busy machine takes minutes.
        timeout: 600_000,
      },
    );
    expect(result).toExitWith(0);
    expect(result.stdout).toMatch(/Apply complete! Resources: 7 added, 0 changed, 0 destroyed/);
  });

  test("encrypts through the alias in the primary region and decrypts in every replica region", async () => {
    const roundTrip = await encryptHereDecryptThere(ALIAS, "sensitive data for global application", PRIMARY, REPLICAS);
    expect(roundTrip.encryptedWith).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\/mrk-/);
    expect(roundTrip.decrypted).toEqual({
      "eu-west-1": "sensitive data for global application",
      "ap-southeast-1": "sensitive data for global application",
    });
  });

  test("reports PRIMARY in us-east-1 and REPLICA in the replica regions, one key id everywhere", async () => {
    const keys = await describeKeyInRegions(ALIAS, [PRIMARY, ...REPLICAS]);
    expect(
      keys.map(({ region, multiRegionKeyType, keyState, primaryRegion }) => ({
        region,
        multiRegionKeyType,
        keyState,
        primaryRegion,
      })),
    ).toEqual([
      { region: "us-east-1", multiRegionKeyType: "PRIMARY", keyState: "Enabled", primaryRegion: "us-east-1" },
      { region: "eu-west-1", multiRegionKeyType: "REPLICA", keyState: "Enabled", primaryRegion: "us-east-1" },
      { region: "ap-southeast-1", multiRegionKeyType: "REPLICA", keyState: "Enabled", primaryRegion: "us-east-1" },
    ]);
    expect(new Set(keys.map((key) => key.keyId)).size).toBe(1);
  });

  test("the HCL of npm run synth plans no change against what cdktf deploy applied", () => {
    [hclDir] = synthHcl([DEFAULT_CONFIG], join(work, "cdktf.out"));
    terraform(["init", "-no-color"], { cwd: hclDir, env: emulator.env });
    // -detailed-exitcode: 0 for no changes, 2 for changes (shown on failure).
    const plan = terraform(["plan", "-detailed-exitcode", "-no-color"], {
      cwd: hclDir,
      env: emulator.env,
      okStatuses: [0, 2],
    });
    expect(plan).toExitWith(0);
  });

  test("terraform destroy is refused: the keys have deletion protection (prevent_destroy)", () => {
    const destroy = terraform(["destroy", "-auto-approve", "-no-color"], {
      cwd: hclDir,
      env: emulator.env,
      okStatuses: [0, 1],
    });
    expect(destroy).toExitWith(1);
    // Terraform destroys the replicas before their primary, and stops at them (in either order).
    expect(destroy.stderr.match(/Resource \S+ has lifecycle.prevent_destroy set/g)?.sort()).toEqual([
      "Resource aws_kms_replica_key.apac has lifecycle.prevent_destroy set",
      "Resource aws_kms_replica_key.eu has lifecycle.prevent_destroy set",
    ]);
  });

  test("with deletion protection off, for a reason the config gives, terraform destroy removes every resource", () => {
    const config = join(work, "global-encrypt.json");
    writeFileSync(
      config,
      JSON.stringify({
        ...JSON.parse(readFileSync(DEFAULT_CONFIG, "utf8")),
        deletionProtection: { off: "the end-to-end test tears its key set down" },
      }),
    );
    copyFileSync(keyLedgerPath(DEFAULT_CONFIG), keyLedgerPath(config));
    expect(synthHcl([config], join(work, "cdktf.out"))).toEqual([hclDir]);
    const destroy = terraform(["destroy", "-auto-approve", "-no-color"], { cwd: hclDir, env: emulator.env });
    expect(destroy.stdout).toMatch(/Destroy complete! Resources: 7 destroyed/);
  });
});

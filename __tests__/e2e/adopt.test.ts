/**
 * Adopting existing state: a team that applied the reference document's Terraform (and its
 * per-region policy command) switches to our default stack and sees no change to any KMS
 * resource. A team whose addresses differ maps them with `movedFrom` and sees only moves.
 */

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { synthHcl } from "../../lib/cli/synth";
import { kmsClient } from "../../lib/key-set-client";
import { terraform } from "../../lib/terraform";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { DEFAULT_CONFIG } from "../../stacks/app";
import { SEED_KMS_ADDRESSES } from "../fixtures/seed";

const FIXTURES = join(__dirname, "..", "fixtures");

interface ResourceChange {
  address: string;
  previous_address?: string;
  type: string;
  change: { actions: string[] };
}

/**
 * Applies the reference document's Terraform (with `renames` applied to its addresses, as
 * another team might have named them) and then its EU policy command. Returns the state file.
 */
function applyReferenceDocument(
  dir: string,
  env: NodeJS.ProcessEnv,
  renames: Record<string, string> = {},
  setupRenames: Record<string, string> = {},
): string {
  mkdirSync(dir, { recursive: true });
  const edited = (file: string, edits: Record<string, string>) =>
    Object.entries(edits).reduce(
      (text, [from, to]) => {
        if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)} to replace`);
        return text.replaceAll(from, to);
      },
      readFileSync(join(FIXTURES, file), "utf8"),
    );
  writeFileSync(join(dir, "seed.tf"), edited("seed.tf", renames));
  writeFileSync(join(dir, "setup.tf"), edited("seed-setup.tf", setupRenames));
  terraform(["init", "-no-color"], { cwd: dir, env });
  terraform(["apply", "-auto-approve", "-no-color"], { cwd: dir, env });
  return join(dir, "terraform.tfstate");
}

/** The document's `aws kms put-key-policy` on the EU replica, through the SDK. */
async function putReferenceEuPolicy(stateFile: string): Promise<void> {
  const state = JSON.parse(readFileSync(stateFile, "utf8"));
  const keyId = state.resources.find((r: { type: string }) => r.type === "aws_kms_key").instances[0].attributes.key_id;
  await kmsClient("eu-west-1").send(
    new PutKeyPolicyCommand({
      KeyId: keyId,
      PolicyName: "default",
      Policy: readFileSync(join(FIXTURES, "seed-eu-key-policy.json"), "utf8"),
    }),
  );
}

/** Plans `configPath`'s stack against `stateFile` and returns the planned resource changes. */
function planAgainst(work: string, configPath: string, stateFile: string, env: NodeJS.ProcessEnv): ResourceChange[] {
  const [dir] = synthHcl([configPath], join(work, "cdktf.out"));
  // The default local backend reads ../../../terraform.<stack>.tfstate, i.e. <work>/...
  copyFileSync(stateFile, join(work, "terraform.global-encrypt.tfstate"));
  terraform(["init", "-no-color"], { cwd: dir, env });
  terraform(["plan", "-out=plan.bin", "-no-color"], { cwd: dir, env });
  return JSON.parse(terraform(["show", "-json", "plan.bin"], { cwd: dir, env }).stdout).resource_changes;
}

/** The planned changes of the KMS resources and of the team's application role. */
const kmsChanges = (changes: ResourceChange[]) =>
  changes
    .filter((change) => change.type.startsWith("aws_kms_") || change.address === "aws_iam_role.application")
    .map(({ address, previous_address, change }) => ({ address, previous_address, actions: change.actions }));

describe("adopting the reference document's state", () => {
  let emulator: Emulator;
  let work: string;

  beforeEach(async () => {
    emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
    Object.assign(process.env, emulator.env);
    work = mkdtempSync(join(tmpdir(), "mrk-e2e-adopt-"));
  });

  afterEach(async () => {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test("plans no create, update, replace or destroy of any KMS resource", async () => {
    const state = applyReferenceDocument(join(work, "seed"), emulator.env);
    await putReferenceEuPolicy(state);

    const changes = planAgainst(work, DEFAULT_CONFIG, state, emulator.env);

    expect(kmsChanges(changes)).toEqual(
      ["aws_iam_role.application", ...SEED_KMS_ADDRESSES].map((address) => ({
        address,
        previous_address: undefined,
        actions: ["no-op"],
      })),
    );
  });

  test("a role that EC2 assumes stays as it is when the config says who assumes it", async () => {
    const state = applyReferenceDocument(
      join(work, "seed"),
      emulator.env,
      {},
      {
        'Principal = { AWS = "arn:aws:iam::111111111111:root" }': 'Principal = { Service = "ec2.amazonaws.com" }',
      },
    );
    await putReferenceEuPolicy(state);
    const config = JSON.parse(readFileSync(DEFAULT_CONFIG, "utf8"));
    config.applicationRole = { name: config.applicationRole.name, trustedServices: ["ec2.amazonaws.com"] };
    const configPath = join(work, "team.json");
    writeFileSync(configPath, JSON.stringify(config));

    const changes = planAgainst(work, configPath, state, emulator.env);

    expect(kmsChanges(changes)).toEqual(
      ["aws_iam_role.application", ...SEED_KMS_ADDRESSES].map((address) => ({
        address,
        previous_address: undefined,
        actions: ["no-op"],
      })),
    );
  });

  test("with other addresses, maps them with movedFrom and plans only moves", async () => {
    const renames = {
      '"aws_kms_key" "primary"': '"aws_kms_key" "main"',
      "aws_kms_key.primary.": "aws_kms_key.main.",
      '"aws_kms_replica_key" "eu"': '"aws_kms_replica_key" "europe"',
      "aws_kms_replica_key.eu.": "aws_kms_replica_key.europe.",
      '"aws_kms_alias" "eu"': '"aws_kms_alias" "europe"',
    };
    const state = applyReferenceDocument(join(work, "seed"), emulator.env, renames);
    await putReferenceEuPolicy(state);
    const config = JSON.parse(readFileSync(DEFAULT_CONFIG, "utf8"));
    config.movedFrom = {
      "aws_kms_key.main": "aws_kms_key.primary",
      "aws_kms_replica_key.europe": "aws_kms_replica_key.eu",
      "aws_kms_alias.europe": "aws_kms_alias.eu",
    };
    const configPath = join(work, "team.json");
    writeFileSync(configPath, JSON.stringify(config));

    const changes = planAgainst(work, configPath, state, emulator.env);

    expect(kmsChanges(changes)).toEqual([
      { address: "aws_iam_role.application", previous_address: undefined, actions: ["no-op"] },
      { address: "aws_kms_alias.apac", previous_address: undefined, actions: ["no-op"] },
      { address: "aws_kms_alias.eu", previous_address: "aws_kms_alias.europe", actions: ["no-op"] },
      { address: "aws_kms_alias.primary", previous_address: undefined, actions: ["no-op"] },
      { address: "aws_kms_key.primary", previous_address: "aws_kms_key.main", actions: ["no-op"] },
      { address: "aws_kms_replica_key.apac", previous_address: undefined, actions: ["no-op"] },
      { address: "aws_kms_replica_key.eu", previous_address: "aws_kms_replica_key.europe", actions: ["no-op"] },
    ]);
  });
});

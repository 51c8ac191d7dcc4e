/**
 * Keys that stay: every key carries deletion protection, and a config stack keeps a key ledger
 * beside its file (`<config>.lock.json`). Synth refuses an edit that would replace or re-create
 * a key, moves a renamed replica, forgets a replica left out and destroys only what is retired.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { loadStack } from "../lib/config-app";
import { keyLedgerPath } from "../lib/key-ledger";
import type { ReplicaRetirement } from "../lib/multi-region-key";
import { type ConfigFileJson, defaultConfigObject, type KeyListConfigJson, type StackJson } from "./helpers";

let dir: string;
let configPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mrk-ledger-"));
  configPath = join(dir, "keys.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the config and synthesizes its stack as `cdktf synth` would; returns the stack's JSON. */
function synth(config: ConfigFileJson | KeyListConfigJson): StackJson {
  writeFileSync(configPath, JSON.stringify(config));
  const app = new App({ outdir: join(dir, "out") });
  loadStack(app, configPath, { report: () => undefined });
  app.synth();
  return JSON.parse(readFileSync(join(dir, "out", "stacks", config.name, "cdk.tf.json"), "utf8"));
}

/** The error a synth of `config` fails with, the test folder left out of the paths. */
function refusal(config: ConfigFileJson | KeyListConfigJson): string {
  try {
    synth(config);
  } catch (error) {
    return (error as Error).message.replaceAll(`${dir}/`, "");
  }
  throw new Error("the synth was not refused");
}

/** The reference document's setup, its APAC replica with a key policy of its own (no suppression needed). */
function base(): ConfigFileJson {
  const config = defaultConfigObject();
  config.replicas[1].keyPolicy = {};
  config.policy = { ...config.policy, suppressions: [] };
  return config;
}

const ledger = () => JSON.parse(readFileSync(keyLedgerPath(configPath), "utf8"));

describe("deletion protection", () => {
  test("every key of the set has lifecycle { prevent_destroy = true }", () => {
    const json = synth(base());
    for (const key of [json.resource.aws_kms_key.primary, ...Object.values(json.resource.aws_kms_replica_key)]) {
      expect(key.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test("is turned off per key set, only with the reason", () => {
    const config = base();
    config.deletionProtection = { off: "A test key set; nothing is encrypted with it." };
    const json = synth(config);
    expect(json.resource.aws_kms_key.primary.lifecycle).toBeUndefined();
    config.deletionProtection = { off: "test" };
    expect(refusal(config)).toBe('keys.json: deletionProtection.off: "test" must say why, in at least 10 characters');
  });
});

describe("the key ledger", () => {
  test("is written beside the config on the first synth and left as it is by a synth that changes nothing", () => {
    synth(base());
    const written = readFileSync(keyLedgerPath(configPath), "utf8");
    expect(ledger().keys).toEqual({
      "aws_kms_key.primary": { primaryRegion: "us-east-1", replicas: { eu: "eu-west-1", apac: "ap-southeast-1" } },
    });
    synth(base());
    expect(readFileSync(keyLedgerPath(configPath), "utf8")).toBe(written);
  });

  test("refuses a new primary region, and names the procedure", () => {
    synth(base());
    const moved = base();
    moved.primaryRegion = "eu-central-1";
    expect(refusal(moved)).toMatch(
      /^keys\.json: primaryRegion: "eu-central-1" is not the region the key set was created in, "us-east-1" \(keys\.lock\.json\): Terraform would create another key set\. To make a replica the primary, fail over/,
    );
  });

  test("refuses a replica moved to another region", () => {
    synth(base());
    const moved = base();
    moved.replicas[1].region = "ap-northeast-1";
    expect(refusal(moved)).toMatch(
      /^keys\.json: replicas\[1\]\.region: "ap-northeast-1" moves replica apac from ap-southeast-1, where it was deployed \(keys\.lock\.json\): Terraform would forget the key there and create another\./,
    );
  });

  test("accepts a failover: the primary region stays, the current one moves", () => {
    synth(base());
    const failedOver = base();
    failedOver.currentPrimaryRegion = "eu-west-1";
    expect(() => synth(failedOver)).not.toThrow();
  });

  test("moves a renamed replica (the same region under another name) instead of replacing it", () => {
    synth(base());
    const renamed = base();
    renamed.replicas[1].name = "asia";
    const json = synth(renamed);
    expect(json.moved).toEqual([
      { from: "aws_kms_replica_key.apac", to: "aws_kms_replica_key.asia" },
      { from: "aws_kms_alias.apac", to: "aws_kms_alias.asia" },
    ]);
    expect(ledger().keys["aws_kms_key.primary"].replicas).toEqual({ eu: "eu-west-1", asia: "ap-southeast-1" });
  });

  test("keeps moving a renamed replica on every later synth, for a state that has not applied the rename yet", () => {
    synth(base());
    const renamed = base();
    renamed.replicas[1].name = "asia";
    synth(renamed);
    // The ledger now says "asia"; a second synth (CI, cdktf deploy) still writes the moves.
    expect(synth(renamed).moved).toEqual([
      { from: "aws_kms_replica_key.apac", to: "aws_kms_replica_key.asia" },
      { from: "aws_kms_alias.apac", to: "aws_kms_alias.asia" },
    ]);
    expect(ledger().keys["aws_kms_key.primary"]).toEqual({
      primaryRegion: "us-east-1",
      replicas: { eu: "eu-west-1", asia: "ap-southeast-1" },
      renamed: { apac: "asia" },
    });
  });

  test("moves a replica renamed twice through each of its names, a chain Terraform follows", () => {
    synth(base());
    const once = base();
    once.replicas[1].name = "asia";
    synth(once);
    const twice = base();
    twice.replicas[1].name = "singapore";
    // Two moved blocks into one address are ambiguous to Terraform; a chain is not.
    expect(synth(twice).moved).toEqual([
      { from: "aws_kms_replica_key.apac", to: "aws_kms_replica_key.asia" },
      { from: "aws_kms_alias.apac", to: "aws_kms_alias.asia" },
      { from: "aws_kms_replica_key.asia", to: "aws_kms_replica_key.singapore" },
      { from: "aws_kms_alias.asia", to: "aws_kms_alias.singapore" },
    ]);
    // Back to its first name: the chain ends there, and no block moves from a declared address.
    expect(synth(base()).moved).toEqual([
      { from: "aws_kms_replica_key.asia", to: "aws_kms_replica_key.singapore" },
      { from: "aws_kms_alias.asia", to: "aws_kms_alias.singapore" },
      { from: "aws_kms_replica_key.singapore", to: "aws_kms_replica_key.apac" },
      { from: "aws_kms_alias.singapore", to: "aws_kms_alias.apac" },
    ]);
  });

  test("skips a former name that another replica takes, so no block moves from a declared address", () => {
    synth(base());
    const once = base();
    once.replicas[1].name = "asia";
    synth(once);
    const twice = base();
    twice.replicas[1].name = "singapore";
    synth(twice);
    const reused = base();
    reused.replicas[1].name = "singapore";
    reused.replicas.push({ name: "asia", region: "ap-northeast-1", keyPolicy: {} });
    expect(synth(reused).moved).toEqual([
      { from: "aws_kms_replica_key.apac", to: "aws_kms_replica_key.singapore" },
      { from: "aws_kms_alias.apac", to: "aws_kms_alias.singapore" },
    ]);
  });

  test("forgets a renamed replica left out under every name it had", () => {
    synth(base());
    const renamed = base();
    renamed.replicas[1].name = "asia";
    synth(renamed);
    const fewer = base();
    fewer.replicas.pop();
    const json = synth(fewer);
    expect(json.moved).toBeUndefined();
    expect(json.removed).toEqual([
      { from: "aws_kms_replica_key.asia", lifecycle: { destroy: false } },
      { from: "aws_kms_alias.asia", lifecycle: { destroy: false } },
      { from: "aws_kms_replica_key.apac", lifecycle: { destroy: false } },
      { from: "aws_kms_alias.apac", lifecycle: { destroy: false } },
    ]);
    expect(ledger().keys["aws_kms_key.primary"]).toEqual({
      primaryRegion: "us-east-1",
      replicas: { eu: "eu-west-1" },
      forgotten: { asia: "ap-southeast-1", apac: "ap-southeast-1" },
    });
  });

  test("forgets a replica left out, keeps its region's provider, and keeps forgetting it", () => {
    synth(base());
    const fewer = base();
    fewer.replicas.pop();
    for (let synthesis = 0; synthesis < 2; synthesis++) {
      const json = synth(fewer);
      expect(json.removed).toEqual([
        { from: "aws_kms_replica_key.apac", lifecycle: { destroy: false } },
        { from: "aws_kms_alias.apac", lifecycle: { destroy: false } },
      ]);
      expect(json.resource.aws_kms_replica_key.apac).toBeUndefined();
      expect(json.provider.aws.map((p) => p.region)).toContain("ap-southeast-1");
      expect(ledger().keys["aws_kms_key.primary"]).toEqual({
        primaryRegion: "us-east-1",
        replicas: { eu: "eu-west-1" },
        forgotten: { apac: "ap-southeast-1" },
      });
    }
  });

  test("destroys a retired replica, and only then", () => {
    synth(base());
    const retiring = base();
    retiring.replicas[1].retire = { reason: "APAC customers moved to the Tokyo region.", deletionWindowInDays: 30 };
    const json = synth(retiring);
    expect(json.removed).toEqual([
      { from: "aws_kms_replica_key.apac", lifecycle: { destroy: true } },
      { from: "aws_kms_alias.apac", lifecycle: { destroy: true } },
    ]);
    expect(ledger().keys["aws_kms_key.primary"].retired).toEqual({ apac: "ap-southeast-1" });
  });

  test("retires only with the deletion window Terraform schedules the deletion with: the key set's", () => {
    synth(base());
    const retiring = base();
    retiring.replicas[1].retire = { reason: "APAC customers moved to the Tokyo region.", deletionWindowInDays: 7 };
    expect(refusal(retiring)).toBe(
      "keys.json: replicas[1].retire.deletionWindowInDays: 7 is not the window Terraform schedules the deletion with: the replica's own, 30 days (the key set's deletionWindowInDays, KMS's default). Say 30, or set deletionWindowInDays to 7 and apply that before the retire",
    );
    retiring.deletionWindowInDays = 7;
    retiring.policy = { ...retiring.policy, minimumDeletionWindowInDays: 7 };
    expect(synth(retiring).removed).toContainEqual({ from: "aws_kms_replica_key.apac", lifecycle: { destroy: true } });
    // A config file that leaves the window out, as one written before it was asked for.
    retiring.replicas[1].retire = { reason: "APAC customers moved to the Tokyo region." } as ReplicaRetirement;
    expect(refusal(retiring)).toMatch(/^keys\.json: replicas\[1\]\.retire\.deletionWindowInDays: /);
  });

  test("refuses to retire the region that holds the primary now", () => {
    const retiring = base();
    retiring.currentPrimaryRegion = "eu-west-1";
    retiring.replicas[0].retire = { reason: "The EU team moved to Frankfurt.", deletionWindowInDays: 30 };
    expect(refusal(retiring)).toBe(
      "keys.json: replicas[0].retire: retires the key in eu-west-1, which is the primary now (currentPrimaryRegion); fail over to another region first",
    );
  });

  test("forgets a whole key set left out of a list of keys", () => {
    const keys = {
      name: "platform",
      accountId: "111111111111",
      keys: ["ledger", "sessions"].map((name) => ({
        name,
        alias: `alias/${name}`,
        primaryRegion: "us-east-1",
        keyPolicy: {},
        replicas: [{ region: "eu-west-1", keyPolicy: {} }],
      })),
    };
    synth(keys);
    const json = synth({ ...keys, keys: keys.keys.slice(0, 1) });
    expect(json.removed).toEqual(
      [
        "aws_kms_key.sessions_primary",
        "aws_kms_alias.sessions_primary",
        "aws_kms_replica_key.sessions_eu_west_1",
        "aws_kms_alias.sessions_eu_west_1",
      ].map((from) => ({ from, lifecycle: { destroy: false } })),
    );
    expect(Object.keys(ledger().keys)).toEqual(["aws_kms_key.ledger_primary", "aws_kms_key.sessions_primary"]);
  });

  test("refuses a key set declared at new addresses while the one the ledger records in its region is left out", () => {
    const entry = (name: string) => ({
      name,
      alias: "alias/ledger",
      primaryRegion: "us-east-1",
      keyPolicy: {},
      replicas: [{ region: "eu-west-1", keyPolicy: {} }],
    });
    const config = { name: "platform", accountId: "111111111111", keys: [entry("ledger")] };
    synth(config);
    // An entry renamed: the same key set at aws_kms_key.books_primary.
    expect(refusal({ ...config, keys: [entry("books")] })).toBe(
      'keys.json: keys[0].name: declares the key set in us-east-1 at aws_kms_key.books_primary, while the one the key ledger records there, at aws_kms_key.ledger_primary, is no longer declared: Terraform would forget its keys and create new ones. If it is the same key set, declare it as the entry of keys named "ledger", so that its addresses stay. To replace it on purpose, leave the old key set out in one change (it is forgotten) and add the new one, with another alias, in another',
    );
    expect(Object.keys(ledger().keys)).toEqual(["aws_kms_key.ledger_primary"]);
  });

  test("refuses the config's only key moved into a list of keys, which would re-create it", () => {
    synth(base());
    const { name, accountId, policy, applicationRole, backend, ...key } = base();
    expect(refusal({ name, accountId, policy, applicationRole, backend, keys: [{ ...key, name: "main" }] })).toMatch(
      /^keys\.json: keys\[0\]\.name: declares the key set in us-east-1 at aws_kms_key\.main_primary, while the one the key ledger records there, at aws_kms_key\.primary, is no longer declared: .* declare it at the top level of the config again, so that its addresses stay\./,
    );
  });

  test("is not written when the synth fails", () => {
    const config = base();
    config.enableKeyRotation = false;
    expect(refusal(config)).toMatch(/breaks 1 policy rule/);
    expect(existsSync(keyLedgerPath(configPath))).toBe(false);
  });
});

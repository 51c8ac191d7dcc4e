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
function refusal(config: ConfigFileJson): string {
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
    retiring.replicas[1].retire = { reason: "APAC customers moved to the Tokyo region." };
    const json = synth(retiring);
    expect(json.removed).toEqual([
      { from: "aws_kms_replica_key.apac", lifecycle: { destroy: true } },
      { from: "aws_kms_alias.apac", lifecycle: { destroy: true } },
    ]);
    expect(ledger().keys["aws_kms_key.primary"].retired).toEqual({ apac: "ap-southeast-1" });
  });

  test("refuses to retire the region that holds the primary now", () => {
    const retiring = base();
    retiring.currentPrimaryRegion = "eu-west-1";
    retiring.replicas[0].retire = { reason: "The EU team moved to Frankfurt." };
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
      ["aws_kms_key.sessions_primary", "aws_kms_alias.sessions_primary", "aws_kms_replica_key.sessions_eu_west_1", "aws_kms_alias.sessions_eu_west_1"].map(
        (from) => ({ from, lifecycle: { destroy: false } }),
      ),
    );
    expect(Object.keys(ledger().keys)).toEqual(["aws_kms_key.ledger_primary", "aws_kms_key.sessions_primary"]);
  });

  test("is not written when the synth fails", () => {
    const config = base();
    config.enableKeyRotation = false;
    expect(refusal(config)).toMatch(/breaks 1 policy rule/);
    expect(existsSync(keyLedgerPath(configPath))).toBe(false);
  });
});

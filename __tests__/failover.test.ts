/**
 * The failover command's safety checks and its edit of the config file (no AWS needed).
 */
import { checkTarget, refusal, withCurrentPrimaryRegion } from "../lib/cli/failover";
import { RegionalKeyState } from "../lib/key-set-client";
import { loadStackConfig } from "../lib/config";
import { DEFAULT_CONFIG } from "../stacks/app";

const key = (region: string, multiRegionKeyType: string, keyState = "Enabled"): RegionalKeyState => ({
  region,
  keyId: "mrk-1234",
  arn: `arn:aws:kms:${region}:111111111111:key/mrk-1234`,
  multiRegionKeyType,
  keyState,
  primaryRegion: "us-east-1",
});

describe("refusal", () => {
  test("allows an Enabled primary and an Enabled replica", () => {
    expect(refusal(key("us-east-1", "PRIMARY"), key("eu-west-1", "REPLICA"))).toBeUndefined();
  });

  test.each([
    ["a disabled target", key("us-east-1", "PRIMARY"), key("eu-west-1", "REPLICA", "Disabled"), /^eu-west-1: the key is Disabled; UpdatePrimaryRegion needs both keys Enabled/],
    ["a target pending deletion", key("us-east-1", "PRIMARY"), key("eu-west-1", "REPLICA", "PendingDeletion"), /^eu-west-1: the key is PendingDeletion/],
    ["a disabled primary", key("us-east-1", "PRIMARY", "Disabled"), key("eu-west-1", "REPLICA"), /^us-east-1: the key is Disabled/],
    ["a current primary that is a replica", key("us-east-1", "REPLICA"), key("eu-west-1", "REPLICA"), /^us-east-1: the key is a REPLICA .* currentPrimaryRegion is out of date/],
  ])("refuses %s", (_, from, to, message) => {
    expect(refusal(from, to)).toMatch(message);
  });
});

describe("checkTarget", () => {
  const [config] = loadStackConfig(DEFAULT_CONFIG).keys;

  test("accepts a replica region of the set", () => {
    expect(() => checkTarget(config, "eu-west-1")).not.toThrow();
  });

  test("refuses an unknown region", () => {
    expect(() => checkTarget(config, "eu-west-9")).toThrow('--to: "eu-west-9" is not an AWS region');
  });

  test("refuses a region outside the set", () => {
    expect(() => checkTarget(config, "us-west-2")).toThrow(
      '--to: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    );
  });
});

describe("withCurrentPrimaryRegion", () => {
  const text = ['{', '  "name": "x",', '  "primaryRegion": "us-east-1",', '  "replicas": [{ "region": "eu-west-1" }]', '}', ''].join("\n");

  test("adds the field after primaryRegion and keeps the rest of the file as it was", () => {
    expect(withCurrentPrimaryRegion(text, "eu-west-1", "us-east-1")).toBe(
      ['{', '  "name": "x",', '  "primaryRegion": "us-east-1",', '  "currentPrimaryRegion": "eu-west-1",', '  "replicas": [{ "region": "eu-west-1" }]', '}', ''].join("\n"),
    );
  });

  test("removes the field when failing back to the region the set was created in", () => {
    const failedOver = withCurrentPrimaryRegion(text, "eu-west-1", "us-east-1");
    expect(withCurrentPrimaryRegion(failedOver, "us-east-1", "us-east-1")).toBe(text);
  });
});

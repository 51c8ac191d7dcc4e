/**
 * After a failover the config names the current primary region; the addresses stay put and
 * swap regions, each region keeping its own settings (lib/key-layout.ts).
 */

import { Testing } from "cdktf";
import { stackFromConfig } from "../lib/config-app";
import { keyLayout } from "../lib/key-layout";
import { defaultConfigObject, stackFromObject, synthJson } from "./helpers";

const input = {
  primaryRegion: "us-east-1",
  currentPrimaryRegion: "us-east-1",
  primary: { description: "P", policy: "policy-us", enabled: true },
  replicas: [
    { name: "eu", region: "eu-west-1", description: "EU", policy: "policy-eu", enabled: true },
    { name: "apac", region: "ap-southeast-1", description: "APAC", enabled: true },
  ],
};

const where = (slots: ReturnType<typeof keyLayout>) =>
  slots.map(({ name, region, description, policy }) => ({ name, region, description, policy }));

describe("keyLayout", () => {
  test("without a failover puts each address in its configured region", () => {
    expect(where(keyLayout(input))).toEqual([
      { name: "primary", region: "us-east-1", description: "P", policy: "policy-us" },
      { name: "eu", region: "eu-west-1", description: "EU", policy: "policy-eu" },
      { name: "apac", region: "ap-southeast-1", description: "APAC", policy: undefined },
    ]);
  });

  test("after a failover swaps the primary's address and the promoted replica's, settings following regions", () => {
    expect(where(keyLayout({ ...input, currentPrimaryRegion: "eu-west-1" }))).toEqual([
      { name: "primary", region: "eu-west-1", description: "EU", policy: "policy-eu" },
      { name: "eu", region: "us-east-1", description: "P", policy: "policy-us" },
      { name: "apac", region: "ap-southeast-1", description: "APAC", policy: undefined },
    ]);
  });

  test("depends only on the current primary, not on the failovers before it", () => {
    // A to C directly, or A to B then B to C: the config says the same thing, so does the layout.
    const direct = keyLayout({ ...input, currentPrimaryRegion: "ap-southeast-1" });
    expect(where(direct)).toEqual([
      { name: "primary", region: "ap-southeast-1", description: "APAC", policy: undefined },
      { name: "eu", region: "eu-west-1", description: "EU", policy: "policy-eu" },
      { name: "apac", region: "us-east-1", description: "P", policy: "policy-us" },
    ]);
  });
});

describe("a stack whose config names a current primary region", () => {
  const failedOver = () => {
    const config = defaultConfigObject();
    config.currentPrimaryRegion = "eu-west-1";
    return synthJson(stackFromObject(config));
  };

  test("reads the primary through the new primary region's provider, with that key's own settings", () => {
    expect(failedOver().resource.aws_kms_key.primary).toEqual({
      provider: "aws.eu_west_1",
      description: "Global encryption key - EU replica",
      lifecycle: { prevent_destroy: true },
      multi_region: true,
      enable_key_rotation: true,
      policy: "${data.aws_iam_policy_document.eu_key_policy.json}",
    });
  });

  test("reads the promoted replica's address through the former primary region's provider", () => {
    expect(failedOver().resource.aws_kms_replica_key.eu).toEqual({
      provider: "aws.us_east_1",
      description: "Multi-region key for global encryption",
      enabled: true,
      lifecycle: { prevent_destroy: true },
      primary_key_arn: "${aws_kms_key.primary.arn}",
      policy: "${data.aws_iam_policy_document.key_policy.json}",
    });
  });

  test("moves the aliases with their keys and leaves the other replicas alone", () => {
    const json = failedOver();
    expect(json.resource.aws_kms_alias.primary.provider).toBe("aws.eu_west_1");
    expect(json.resource.aws_kms_alias.eu.provider).toBe("aws.us_east_1");
    expect(json.resource.aws_kms_replica_key.apac.provider).toBe("aws.ap_southeast_1");
    expect(json.output.key_arns.value).toEqual({
      "eu-west-1": "${aws_kms_key.primary.arn}",
      "us-east-1": "${aws_kms_replica_key.eu.arn}",
      "ap-southeast-1": "${aws_kms_replica_key.apac.arn}",
    });
  });

  test("emits no moved, import or removed block: the key id is the same in every region", () => {
    const json = failedOver();
    expect(json).not.toHaveProperty("moved");
    expect(json).not.toHaveProperty("import");
    expect(json).not.toHaveProperty("removed");
  });

  test("naming the original primary region is the same as naming none", () => {
    const config = defaultConfigObject();
    const original = synthJson(stackFromObject(config));
    config.currentPrimaryRegion = "us-east-1";
    expect(synthJson(stackFromObject(config))).toEqual(original);
  });

  test.each([
    [
      "a region outside the set",
      "us-west-2",
      'test.json: currentPrimaryRegion: "us-west-2" is not a region of the key set (us-east-1, eu-west-1, ap-southeast-1)',
    ],
    ["an unknown region", "eu-west-7", 'test.json: currentPrimaryRegion: "eu-west-7" is not an AWS region'],
  ])("refuses %s", (_, region, message) => {
    const config = defaultConfigObject();
    config.currentPrimaryRegion = region;
    expect(() => stackFromConfig(Testing.app(), config, "test.json")).toThrow(message);
  });

  test("refuses a disabled replica as the current primary", () => {
    const config = defaultConfigObject();
    config.currentPrimaryRegion = "ap-southeast-1";
    config.replicas[1].enabled = false;
    expect(() => stackFromConfig(Testing.app(), config, "test.json")).toThrow(
      'test.json: currentPrimaryRegion: "ap-southeast-1" holds a disabled replica (enabled: false); a disabled key cannot be the primary',
    );
  });
});

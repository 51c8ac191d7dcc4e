import { Testing } from "cdktf";
import "multi-region-kms-keys/jest"; // the types of the rule pack's matchers
import { configFilesIn, loadStack } from "multi-region-kms-keys";

const configs = configFilesIn("keys");

describe.each(configs)("%s", (config) => {
  const stack = loadStack(Testing.app(), config);

  test("passes the rule pack", () => {
    expect(stack).toPassPolicyRules({ ...stack.config.policy, accountId: stack.config.accountId });
  });

  test("has the alias in every region of each key", () => {
    const json = JSON.parse(Testing.synth(stack));
    for (const key of stack.keys) {
      const aliases = Object.values<{ name: string; provider: string }>(json.resource.aws_kms_alias).filter(
        (a) => a.name === key.aliasName,
      );
      expect(aliases.map((alias) => alias.provider).sort()).toEqual(
        key.regions.map((region) => `aws.${region.replace(/-/g, "_")}`).sort(),
      );
    }
  });
});

test("a config that breaks a rule names the file, the field and the value", () => {
  expect(() => loadStack(Testing.app(), "__tests__/bad-region.json")).toThrow(
    '__tests__/bad-region.json: replicas[0].region: "eu-west-9" is not an AWS region',
  );
});

import { keyEnabledRule } from "../../../lib/policy/rules/key-enabled";
import { keySet, REPLICA, report } from "../fixtures";
import { describeRule, REPLICA_KEY, ruleFindings } from "./cases";

const cases = {
  compliant: () => keySet().stack,
  nonCompliant: () => {
    const fixture = keySet();
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("enabled", false);
    return fixture.stack;
  },
  address: REPLICA_KEY,
};

describeRule(keyEnabledRule, cases);

describe("MRK-KMS-4 enabled keys", () => {
  test("is a warning: the stack still passes", () => {
    const stack = cases.nonCompliant();
    expect(stack).toPassPolicyRules();
    expect(report(stack).findings.map((f) => f.rule.level)).toEqual(["warning"]);
  });

  test('reads "false" as Terraform does, on every key type', () => {
    const json = {
      resource: {
        aws_kms_key: { a: { is_enabled: "false" } },
        aws_kms_external_key: { b: { enabled: false } },
        aws_kms_replica_external_key: { c: { enabled: "true" } },
      },
    };
    expect(ruleFindings(json, keyEnabledRule)).toEqual([
      'aws_kms_key.a: is_enabled is "false", so the key cannot be used',
      "aws_kms_external_key.b: enabled is false, so the key cannot be used",
    ]);
  });
});

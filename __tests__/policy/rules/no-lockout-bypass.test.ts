import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { KeyPolicy } from "../../../lib/key-policy";
import { noLockoutBypassRule } from "../../../lib/policy/rules/no-lockout-bypass";
import { keySet, PRIMARY } from "../fixtures";
import { describeRule, PRIMARY_KEY, ruleFindings } from "./cases";

describeRule(noLockoutBypassRule, {
  compliant: () => keySet().stack,
  nonCompliant: () => {
    const fixture = keySet();
    fixture.key.primaryKey.addOverride("bypass_policy_lockout_safety_check", true);
    return fixture.stack;
  },
  address: PRIMARY_KEY,
});

describe("MRK-KMS-6 policy lockout safety check", () => {
  test("also checks aws_kms_key_policy", () => {
    const fixture = keySet();
    new KmsKeyPolicy(fixture.stack, "primary_policy", {
      provider: fixture.providers.forRegion(PRIMARY),
      keyId: fixture.key.primaryKey.keyId,
      policy: new KeyPolicy(fixture.stack, "attached", {
        accountId: "111111111111",
        provider: fixture.providers.forRegion(PRIMARY),
      }).json,
      bypassPolicyLockoutSafetyCheck: true,
    });
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-6", "aws_kms_key_policy.primary_policy");
  });

  test("accepts an explicit false", () => {
    const fixture = keySet();
    fixture.key.primaryKey.addOverride("bypass_policy_lockout_safety_check", false);
    expect(fixture.stack).not.toFailPolicyRule("MRK-KMS-6");
  });

  test('reads "false" and "true" as Terraform does, on keys with imported material too', () => {
    const json = {
      resource: {
        aws_kms_key: { a: { bypass_policy_lockout_safety_check: "false" } },
        aws_kms_external_key: { b: { bypass_policy_lockout_safety_check: "true" } },
      },
    };
    expect(ruleFindings(json, noLockoutBypassRule)).toEqual([
      'aws_kms_external_key.b: bypass_policy_lockout_safety_check is "true"',
    ]);
  });
});

import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { KeyPolicy } from "../../../lib/key-policy";
import { explicitPolicyRule } from "../../../lib/policy/rules/explicit-policy";
import { keySet, REPLICA } from "../fixtures";
import { describeRule, REPLICA_KEY, ruleFindings } from "./cases";

describeRule(explicitPolicyRule, {
  compliant: () => keySet().stack,
  nonCompliant: () => keySet({ key: { replicas: [{ region: REPLICA, name: "eu", keyPolicy: "kms-default" }] } }).stack,
  address: REPLICA_KEY,
});

describe("MRK-KMS-3 explicit policies", () => {
  test("accepts a policy attached with aws_kms_key_policy", () => {
    const fixture = keySet({ key: { replicas: [{ region: REPLICA, name: "eu", keyPolicy: "kms-default" }] } });
    new KmsKeyPolicy(fixture.stack, "eu_policy", {
      provider: fixture.providers.forRegion(REPLICA),
      keyId: fixture.key.inRegion(REPLICA).keyId,
      policy: new KeyPolicy(fixture.stack, "attached", {
        accountId: "111111111111",
        provider: fixture.providers.forRegion(REPLICA),
      }).json,
    });
    expect(fixture.stack).not.toFailPolicyRule("MRK-KMS-3");
  });

  test("checks keys with imported key material and their replicas too", () => {
    const json = {
      resource: {
        aws_kms_external_key: { primary: { multi_region: true } },
        aws_kms_replica_external_key: { eu: { primary_key_arn: "${aws_kms_external_key.primary.arn}" } },
      },
    };
    expect(ruleFindings(json, explicitPolicyRule)).toEqual([
      "aws_kms_external_key.primary: the key has no key policy, so KMS gives it its default key policy (the account root only)",
      "aws_kms_replica_external_key.eu: the replica has no key policy, so KMS gives it its default key policy (the account root only)",
    ]);
  });
});

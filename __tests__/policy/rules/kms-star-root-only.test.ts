import { kmsStarRootOnlyRule } from "../../../lib/policy/rules/kms-star-root-only";
import { ADMIN, APP, keySet, PRIMARY, REPLICA, rawPolicy, rootStatement } from "../fixtures";
import { describeRule, PRIMARY_KEY, REPLICA_KEY, ruleFindings } from "./cases";

describeRule(kmsStarRootOnlyRule, {
  compliant: () => keySet().stack,
  nonCompliant: () =>
    keySet({
      policy: (region) => (region === PRIMARY ? { administrators: { principals: [ADMIN], actions: ["kms:*"] } } : {}),
    }).stack,
  address: PRIMARY_KEY,
});

describe("MRK-KMS-8 kms:* only for the root", () => {
  test("refuses kms:* to another account's root", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "cross_account", REPLICA, [
      rootStatement,
      {
        sid: "OtherAccount",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::222222222222:root"] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-8", REPLICA_KEY, { accountId: "111111111111" });
  });

  test("treats an Allow with NotAction as kms:*", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "not_action", REPLICA, [
      rootStatement,
      {
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [APP] }],
        notActions: ["kms:ScheduleKeyDeletion"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-8", REPLICA_KEY);
  });

  test("accepts the key's creator in the root statement, as CloudTrail's console writes it, except with strict", () => {
    const json = {
      resource: {
        aws_kms_key: {
          k: {
            policy: JSON.stringify({
              Statement: [
                {
                  Sid: "Enable IAM user permissions",
                  Effect: "Allow",
                  Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:user/username"] },
                  Action: "kms:*",
                  Resource: "*",
                },
              ],
            }),
          },
        },
      },
    };
    expect(ruleFindings(json, kmsStarRootOnlyRule)).toEqual([]);
    expect(ruleFindings(json, kmsStarRootOnlyRule, { strict: true })).toEqual([
      'aws_kms_key.k: statement "Enable IAM user permissions" of inline JSON allows "kms:*" to arn:aws:iam::111111111111:user/username besides the account root',
    ]);
  });
});

import { separateDutiesRule } from "../../../lib/policy/rules/separate-duties";
import { ADMIN, APP, keySet, REPLICA, report } from "../fixtures";
import { describeRule, REPLICA_KEY, ruleFindings } from "./cases";

const cases = {
  compliant: () => keySet().stack,
  nonCompliant: () =>
    keySet({
      policy: (region: string) =>
        region === REPLICA ? { users: [{ sid: "AllowApplication", principals: [APP, ADMIN] }] } : {},
    }).stack,
  address: REPLICA_KEY,
};

describeRule(separateDutiesRule, cases);

describe("MRK-KMS-9 separate administrators and users", () => {
  test("names the principal and both kinds of actions", () => {
    const finding = report(cases.nonCompliant()).findings.find((f) => f.rule.id === "MRK-KMS-9")!;
    expect(finding.message).toContain(
      `${ADMIN} in data.aws_iam_policy_document.eu_key_policy is both a key administrator`,
    );
    expect(finding.message).toContain("kms:Encrypt");
  });

  test("lets administrators and users share read-only actions", () => {
    expect(
      keySet({
        policy: () => ({
          users: [
            { sid: "AllowApplication", principals: [APP] },
            { sid: "AdminsRead", principals: [ADMIN], actions: ["kms:DescribeKey", "kms:GetKeyPolicy"] },
          ],
        }),
      }).stack,
    ).not.toFailPolicyRule("MRK-KMS-9");
  });

  test("leaves a principal of the root's kms:* statement to strict", () => {
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
    expect(ruleFindings(json, separateDutiesRule)).toEqual([]);
    expect(ruleFindings(json, separateDutiesRule, { strict: true }).length).toBe(1);
  });
});

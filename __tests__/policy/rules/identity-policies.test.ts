import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Fn } from "cdktf";
import { coversAllKeys, identityPolicyDecryptRule } from "../../../lib/policy/rules/identity-policies";
import { keySet, PRIMARY } from "../fixtures";
import { describeRule, ruleFindings } from "./cases";

/** The key set and an IAM policy document allowing kms:Decrypt on `resources`. */
function withPolicy(resources: (fixture: ReturnType<typeof keySet>) => string[]) {
  const fixture = keySet();
  const document = new DataAwsIamPolicyDocument(fixture.stack, "application_kms", {
    provider: fixture.providers.forRegion(PRIMARY),
    statement: [{ sid: "Decrypt", effect: "Allow", actions: ["kms:Decrypt"], resources: resources(fixture) }],
  });
  new IamPolicy(fixture.stack, "application_kms_policy", {
    provider: fixture.providers.forRegion(PRIMARY),
    name: "application-kms",
    policy: document.json,
  });
  return fixture.stack;
}

describeRule(identityPolicyDecryptRule, {
  compliant: () => withPolicy((fixture) => [fixture.key.primaryKey.arn]),
  nonCompliant: () => withPolicy(() => ["*"]),
  address: "aws_iam_policy.application_kms_policy",
});

const statement = (extra: object) => ({ Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Allow", ...extra }] });

describe("MRK-KMS-15 IAM policies and all keys", () => {
  test.each([
    ["*", true],
    ["arn:aws:kms:*:111122223333:key/*", true],
    ["arn:aws:kms:us-east-1:111122223333:*", true],
    ["arn:*:kms:*:*:*", true],
    ["arn:aws:kms:us-east-1:111122223333:key/mrk-*", false],
    ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", false],
    ["arn:aws:kms:us-east-1:111122223333:alias/*", false],
    ["arn:aws:s3:::*", false],
  ])("reads %s as all keys: %s", (pattern, expected) => {
    expect(coversAllKeys(pattern)).toBe(expected);
  });

  test("checks inline policies of roles, users and groups (KMS.2) as JSON, jsonencode or a document", () => {
    const json = {
      resource: {
        aws_iam_role: {
          app: {
            name: "app",
            assume_role_policy: "{}",
            inline_policy: [
              { name: "kms", policy: JSON.stringify(statement({ Action: "kms:ReEncrypt*", Resource: "*" })) },
            ],
          },
        },
        aws_iam_role_policy: {
          a: {
            role: "app",
            policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "kms:*", "Resource" = "*"}]})}',
          },
        },
        aws_iam_user_policy: {
          b: { user: "alice", policy: JSON.stringify(statement({ NotAction: "s3:*", Resource: "*" })) },
        },
        aws_iam_group_policy: {
          c: {
            group: "ops",
            policy: JSON.stringify(
              statement({
                Action: "kms:Decrypt",
                NotResource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
              }),
            ),
          },
        },
      },
    };
    expect(ruleFindings(json, identityPolicyDecryptRule)).toEqual([
      'aws_iam_role.app: inline_policy "kms": statement "S" of inline JSON allows kms:ReEncryptFrom on all KMS keys (*)',
      "aws_iam_role_policy.a: statement 1 of inline JSON allows kms:Decrypt and kms:ReEncryptFrom on all KMS keys (*)",
      'aws_iam_user_policy.b: statement "S" of inline JSON allows kms:Decrypt and kms:ReEncryptFrom on all KMS keys (*)',
      'aws_iam_group_policy.c: statement "S" of inline JSON allows kms:Decrypt on all KMS keys (every resource but arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab)',
    ]);
  });

  test("leaves conditions aside, as Security Hub does, and accepts named keys and other actions", () => {
    const conditional = statement({
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
    });
    expect(
      ruleFindings(
        { resource: { aws_iam_policy: { p: { policy: JSON.stringify(conditional) } } } },
        identityPolicyDecryptRule,
      ).length,
    ).toBe(1);
    const fine = {
      resource: {
        aws_iam_policy: {
          named: {
            policy: JSON.stringify(statement({ Action: "kms:Decrypt", Resource: "${aws_kms_key.primary.arn}" })),
          },
          encrypt: {
            policy: JSON.stringify(statement({ Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: "*" })),
          },
          later: { policy: "${data.aws_iam_policy.managed.policy}" },
        },
      },
    };
    expect(ruleFindings(fine, identityPolicyDecryptRule)).toEqual([]);
  });

  test("reads a policy written with Fn.jsonencode", () => {
    const fixture = keySet();
    new IamPolicy(fixture.stack, "encoded", {
      provider: fixture.providers.forRegion(PRIMARY),
      name: "encoded",
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: ["*"] }],
      }),
    });
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-15", "aws_iam_policy.encoded");
  });
});

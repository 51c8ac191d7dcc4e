/**
 * The pack reads a stack as Terraform and IAM read it: the account and partition data sources
 * give, `jsonencode` of literal values, and a policy document's tokens.
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Fn, TerraformStack, Testing } from "cdktf";
import { jsonencodeText } from "../../lib/policy/literal";
import { StackView } from "../../lib/policy/stack-view";
import { findingIds } from "./fixtures";

/** A key whose policy gives `root` kms:* and the account's principals decryption through S3. */
function keyWithCallerIdentity(encode: "jsonencode" | "document") {
  const stack = new TerraformStack(Testing.app(), "reading");
  const me = new DataAwsCallerIdentity(stack, "current");
  const partition = new DataAwsPartition(stack, "partition");
  const root = `arn:${partition.partition}:iam::${me.accountId}:root`;
  const policy =
    encode === "jsonencode"
      ? Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            { Sid: "Root", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
            {
              Sid: "ViaS3",
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: ["kms:Decrypt"],
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalAccount": me.accountId } },
            },
          ],
        })
      : new DataAwsIamPolicyDocument(stack, "policy", {
          statement: [
            {
              sid: "Root",
              effect: "Allow",
              principals: [{ type: "AWS", identifiers: [root] }],
              actions: ["kms:*"],
              resources: ["*"],
            },
            {
              sid: "ViaS3",
              effect: "Allow",
              principals: [{ type: "AWS", identifiers: ["*"] }],
              actions: ["kms:Decrypt"],
              resources: ["*"],
              condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [me.accountId] }],
            },
          ],
        }).json;
  new KmsKey(stack, "key", { enableKeyRotation: true, policy });
  return stack;
}

describe("reading the stack as Terraform does", () => {
  test.each(["jsonencode", "document"] as const)("the caller's account is the own account, through %s", (encode) => {
    expect(findingIds(keyWithCallerIdentity(encode))).toEqual([]);
  });

  test("the account's root through data.aws_caller_identity is the own root, in the region's partition", () => {
    const json = {
      provider: { aws: [{ region: "cn-north-1" }] },
      data: { aws_caller_identity: { me: {} }, aws_partition: { p: {} } },
      resource: {
        aws_kms_key: {
          k: {
            policy: JSON.stringify({
              Statement: [
                {
                  Effect: "Allow",
                  Principal: {
                    AWS: "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.me.account_id}:root",
                  },
                  Action: "kms:*",
                  Resource: "*",
                },
              ],
            }),
          },
        },
      },
    };
    const view = new StackView(json);
    const source = view.policyOf(view.element("aws_kms_key.k")!);
    expect(source.kind === "argument" && source.document.statements[0].principals).toEqual([
      { type: "AWS", identifier: "arn:aws-cn:iam::${data.aws_caller_identity.current.account_id}:root" },
    ]);
    expect(
      new StackView(json, { accountId: "111122223333" }).policyOf({ ...view.element("aws_kms_key.k")! }),
    ).toMatchObject({
      document: { statements: [{ principals: [{ identifier: "arn:aws-cn:iam::111122223333:root" }] }] },
    });
  });

  test.each([
    ['${jsonencode({"a" = "x", "b" = [1, true, null]})}', '{"a":"x","b":[1,true,null]}'],
    ['${jsonencode({Version = "2012-10-17", "n" = -2})}', '{"Version":"2012-10-17","n":-2}'],
    [
      '${jsonencode({"AWS" = aws_iam_role.app.arn, "s" = "a\\"b ${var.x}"})}',
      '{"AWS":"${aws_iam_role.app.arn}","s":"a\\"b ${var.x}"}',
    ],
  ])("jsonencode of literal values: %s", (template, json) => {
    expect(jsonencodeText(template)).toBe(json);
  });

  test.each(["${jsonencode(local.policy)}", '${jsonencode({"a" = upper("x")})}', '${file("p.json")}', "plain"])(
    "%s is not a jsonencode of literal values",
    (template) => {
      expect(jsonencodeText(template)).toBeUndefined();
    },
  );
});

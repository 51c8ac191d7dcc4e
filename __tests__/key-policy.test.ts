/**
 * Key policies built from roles: the account root, administrators and users.
 */
import { TerraformStack, Testing } from "cdktf";
import { KEY_ADMINISTRATOR_ACTIONS, KEY_USER_ACTIONS, KeyPolicy, type KeyPolicyProps } from "../lib/key-policy";
import { RegionProviders } from "../lib/region-providers";

function statementsOf(props: Omit<KeyPolicyProps, "provider">) {
  const stack = new TerraformStack(Testing.app(), "test");
  const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1"] });
  new KeyPolicy(stack, "key_policy", { ...props, provider: providers.forRegion("us-east-1") });
  return JSON.parse(Testing.synth(stack)).data.aws_iam_policy_document.key_policy.statement;
}

const admin = "arn:aws:iam::111111111111:role/KeyAdministrator";
const app = "arn:aws:iam::111111111111:role/Application";

describe("KeyPolicy", () => {
  test("always lets the account root do everything, so IAM policies can grant access", () => {
    expect(statementsOf({ accountId: "111111111111" })).toEqual([
      {
        sid: "EnableRootAccountAccess",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
    ]);
  });

  test("uses the partition of the key's region in the root ARN", () => {
    const [root] = statementsOf({ accountId: "111111111111", partition: "aws-us-gov" });
    expect(root.principals[0].identifiers).toEqual(["arn:aws-us-gov:iam::111111111111:root"]);
  });

  test("gives administrators the administration and multi-region actions but no cryptography", () => {
    const [, administrators, replicate, promote] = statementsOf({
      accountId: "111111111111",
      administrators: { principals: [admin] },
      keyRegions: ["us-east-1"],
    });
    expect(administrators).toMatchObject({ sid: "AllowKeyAdministration", principals: [{ identifiers: [admin] }] });
    // kms:Update* would cover kms:UpdatePrimaryRegion: it stands for the other two Update actions.
    expect(administrators.actions).toEqual(
      KEY_ADMINISTRATOR_ACTIONS.filter((a) => !["kms:ReplicateKey", "kms:UpdatePrimaryRegion"].includes(a)).flatMap(
        (a) => (a === "kms:Update*" ? ["kms:UpdateAlias", "kms:UpdateKeyDescription"] : [a]),
      ),
    );
    expect([replicate, promote]).toMatchObject([
      { sid: "AllowReplicateKey", principals: [{ identifiers: [admin] }], actions: ["kms:ReplicateKey"] },
      { sid: "AllowUpdatePrimaryRegion", principals: [{ identifiers: [admin] }], actions: ["kms:UpdatePrimaryRegion"] },
    ]);
    for (const statement of [administrators, replicate, promote]) {
      expect(statement.actions).not.toEqual(expect.arrayContaining(["kms:Decrypt"]));
    }
  });

  test("limits replication and promotion to the key's regions, each in a statement of its own", () => {
    const [, , replicate, promote] = statementsOf({
      accountId: "111111111111",
      administrators: { principals: [admin] },
      keyRegions: ["us-east-1", "eu-west-1"],
    });
    expect(replicate.condition).toEqual([
      { test: "StringEquals", variable: "kms:ReplicaRegion", values: ["us-east-1", "eu-west-1"] },
    ]);
    expect(promote.condition).toEqual([
      { test: "StringEquals", variable: "kms:PrimaryRegion", values: ["us-east-1", "eu-west-1"] },
    ]);
  });

  test("keeps the multi-region actions in the administrators' statement when the key's regions are unknown", () => {
    const statements = statementsOf({ accountId: "111111111111", administrators: { principals: [admin] } });
    expect(statements).toHaveLength(2);
    expect(statements[1].actions).toEqual(KEY_ADMINISTRATOR_ACTIONS);
  });

  test("gives users the document's four actions unless told otherwise", () => {
    const [, users, readers] = statementsOf({
      accountId: "111111111111",
      users: [
        { sid: "AllowApplicationAccess", principals: [app] },
        { sid: "AllowReaders", principals: [app], actions: ["kms:Decrypt"] },
      ],
    });
    expect(users.actions).toEqual(KEY_USER_ACTIONS);
    expect(users.actions).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]);
    expect(readers.actions).toEqual(["kms:Decrypt"]);
  });

  test("orders statements root, administrators, users", () => {
    const sids = statementsOf({
      accountId: "111111111111",
      rootSid: "EnableRootAccess",
      users: [{ sid: "Users", principals: [app] }],
      administrators: { principals: [admin] },
      keyRegions: ["us-east-1"],
    }).map((statement: { sid: string }) => statement.sid);
    expect(sids).toEqual([
      "EnableRootAccess",
      "AllowKeyAdministration",
      "AllowReplicateKey",
      "AllowUpdatePrimaryRegion",
      "Users",
    ]);
  });

  test.each<[string, Omit<KeyPolicyProps, "provider">, string]>([
    [
      "a malformed account id",
      { accountId: "12345" },
      'KeyPolicy accountId: "12345" must be a 12-digit AWS account id',
    ],
    [
      "a malformed principal",
      { accountId: "111111111111", users: [{ principals: ["role/Application"] }] },
      'KeyPolicy users[0].principals[0]: "role/Application" must be an IAM role, user or account root ARN, like arn:aws:iam::111111111111:role/Name',
    ],
    [
      "a grant to nobody",
      { accountId: "111111111111", administrators: { principals: [] } },
      "KeyPolicy administrators.principals: [] must name at least one principal",
    ],
    [
      "a non-KMS action",
      { accountId: "111111111111", users: [{ principals: [app], actions: ["s3:GetObject"] }] },
      'KeyPolicy users[0].actions[0]: "s3:GetObject" must be a KMS action such as "kms:Decrypt" or "kms:Get*"',
    ],
    [
      "two statements with one sid",
      { accountId: "111111111111", users: [{ principals: [app] }, { principals: [admin] }] },
      'KeyPolicy sid: "AllowKeyUse" is used by two statements; statement ids must be unique',
    ],
    [
      "a key region that is not a region",
      { accountId: "111111111111", administrators: { principals: [admin] }, keyRegions: ["us-east-1", "eu-west-9"] },
      'KeyPolicy keyRegions[1]: "eu-west-9" is not an AWS region',
    ],
  ])("refuses %s", (_, props, message) => {
    expect(() => statementsOf(props)).toThrow(message);
  });
});

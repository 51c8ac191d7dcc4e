/**
 * The access evaluator on the example key policies of AWS's own documentation, asked the
 * questions the documentation answers: the policy and the decision are AWS's, each with the page
 * it comes from. (One fix: the kms:ReplicaRegion example on the condition keys page lacks a comma
 * after its Action; the same statement on the multi-Region page has it.)
 *
 * Decisions: `allow` (the key policy alone allows it), `via-iam` (the IAM policies of the
 * caller's account must allow it too), `deny`, `none`, `conditional` (depends on a request value
 * the question leaves out). Each question's context is the whole request (`completeContext`)
 * unless it says `open`.
 */
import type { AccessDecision, RequestContext } from "../../lib/policy/access";
import {
  ebsThroughService,
  enableIamPolicies,
  keyAdministrators,
  viaServiceStatements,
} from "./aws-documented/policies";
import { evaluatorOf } from "./literal-key-policy";

interface Question {
  readonly principal: string;
  readonly action: string;
  readonly expected: AccessDecision;
  readonly context?: RequestContext;
  /** The context is not the whole request: keys it leaves out are unknown. */
  readonly open?: true;
  readonly region?: string;
}

interface Example {
  readonly source: string;
  /** What the page says, which the questions check. */
  readonly says: string;
  readonly account: string;
  readonly statements: readonly object[];
  readonly questions: readonly Question[];
}

const KMS_GUIDE = "https://docs.aws.amazon.com/kms/latest/developerguide";
const user = (name: string, account = "111122223333") => `arn:aws:iam::${account}:user/${name}`;
const session = (role: string, account = "111122223333") => `arn:aws:sts::${account}:assumed-role/${role}/session`;

const KEY_USERS = [
  "arn:aws:iam::111122223333:user/ExampleUser",
  "arn:aws:iam::111122223333:role/ExampleRole",
  "arn:aws:iam::444455556666:root",
];

const EXAMPLES: readonly Example[] = [
  {
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-default-allow-root-enable-iam`,
    says: "the account principal gives no IAM user or role permission itself: it lets the account's IAM policies delegate; the root user has it",
    account: "111122223333",
    statements: [enableIamPolicies],
    questions: [
      { principal: session("ExampleRole"), action: "kms:Decrypt", expected: "via-iam" },
      { principal: user("ExampleUser"), action: "kms:PutKeyPolicy", expected: "via-iam" },
      { principal: "arn:aws:iam::111122223333:root", action: "kms:ScheduleKeyDeletion", expected: "allow" },
      { principal: session("ExampleRole", "444455556666"), action: "kms:Decrypt", expected: "none" },
    ],
  },
  {
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-default-allow-administrators`,
    says: "key administrators manage the key but cannot use it; Create* is CreateAlias and CreateGrant, Update* includes UpdatePrimaryRegion, Get* GetPublicKey",
    account: "111122223333",
    statements: [keyAdministrators],
    questions: [
      { principal: user("KMSAdminUser"), action: "kms:PutKeyPolicy", expected: "allow" },
      { principal: session("KMSAdminRole"), action: "kms:ScheduleKeyDeletion", expected: "allow" },
      { principal: session("KMSAdminRole"), action: "kms:CreateAlias", expected: "allow" },
      { principal: session("KMSAdminRole"), action: "kms:CreateGrant", expected: "allow" },
      { principal: session("KMSAdminRole"), action: "kms:UpdatePrimaryRegion", expected: "allow" },
      { principal: session("KMSAdminRole"), action: "kms:EnableKeyRotation", expected: "allow" },
      { principal: session("KMSAdminRole"), action: "kms:GetPublicKey", expected: "allow" },
      { principal: session("KMSAdminRole"), action: "kms:RevokeGrant", expected: "allow" },
      { principal: user("KMSAdminUser"), action: "kms:Decrypt", expected: "none" },
      { principal: user("KMSAdminUser"), action: "kms:Encrypt", expected: "none" },
      { principal: user("KMSAdminUser"), action: "kms:ReplicateKey", expected: "none" },
      { principal: user("ExampleUser"), action: "kms:PutKeyPolicy", expected: "none" },
    ],
  },
  {
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-default-allow-administrators`,
    says: "kms:Delete* does not allow key administrators to delete the KMS key (ScheduleKeyDeletion): clearing that option leaves them without it",
    account: "111122223333",
    statements: [
      {
        ...keyAdministrators,
        Action: keyAdministrators.Action.filter(
          (a) => !["kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"].includes(a),
        ),
      },
    ],
    questions: [
      { principal: user("KMSAdminUser"), action: "kms:ScheduleKeyDeletion", expected: "none" },
      { principal: user("KMSAdminUser"), action: "kms:DeleteAlias", expected: "allow" },
      { principal: user("KMSAdminUser"), action: "kms:DeleteImportedKeyMaterial", expected: "allow" },
    ],
  },
  {
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-default-allow-users`,
    says: "key users use the key; an external account listed there delegates to its IAM policies; grants only for AWS resources",
    account: "111122223333",
    statements: [
      {
        Sid: "Allow use of the key",
        Effect: "Allow",
        Principal: { AWS: KEY_USERS },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
      },
      {
        Sid: "Allow attachment of persistent resources",
        Effect: "Allow",
        Principal: { AWS: KEY_USERS },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ],
    questions: [
      { principal: user("ExampleUser"), action: "kms:Decrypt", expected: "allow" },
      { principal: session("ExampleRole"), action: "kms:GenerateDataKeyWithoutPlaintext", expected: "allow" },
      { principal: session("ExampleRole"), action: "kms:ReEncryptFrom", expected: "allow" },
      { principal: session("ExampleRole"), action: "kms:PutKeyPolicy", expected: "none" },
      { principal: session("SomeRole", "444455556666"), action: "kms:Encrypt", expected: "via-iam" },
      {
        principal: user("ExampleUser"),
        action: "kms:CreateGrant",
        context: { "kms:GrantIsForAWSResource": "true" },
        expected: "allow",
      },
      {
        principal: user("ExampleUser"),
        action: "kms:CreateGrant",
        context: { "kms:GrantIsForAWSResource": "false" },
        expected: "none",
      },
      { principal: user("ExampleUser"), action: "kms:CreateGrant", open: true, expected: "conditional" },
      {
        principal: session("SomeRole", "444455556666"),
        action: "kms:CreateGrant",
        context: { "kms:GrantIsForAWSResource": "true" },
        expected: "via-iam",
      },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-caller-account`,
    says: "the AWS managed key for EBS lets every identity of account 111122223333 use it, through EBS only",
    account: "111122223333",
    statements: [ebsThroughService],
    questions: [
      {
        principal: session("AnyRole"),
        action: "kms:Decrypt",
        context: { "kms:ViaService": "ec2.us-west-2.amazonaws.com" },
        expected: "allow",
      },
      {
        principal: user("AnyUser"),
        action: "kms:CreateGrant",
        context: { "kms:ViaService": "ec2.us-west-2.amazonaws.com" },
        expected: "allow",
      },
      {
        principal: session("AnyRole"),
        action: "kms:Decrypt",
        context: { "kms:ViaService": "lambda.us-west-2.amazonaws.com" },
        expected: "none",
      },
      { principal: session("AnyRole"), action: "kms:Decrypt", expected: "none" },
      { principal: session("AnyRole"), action: "kms:Decrypt", open: true, expected: "conditional" },
      {
        principal: session("AnyRole", "444455556666"),
        action: "kms:Decrypt",
        context: { "kms:ViaService": "ec2.us-west-2.amazonaws.com" },
        expected: "none",
      },
      {
        principal: session("AnyRole"),
        action: "kms:PutKeyPolicy",
        context: { "kms:ViaService": "ec2.us-west-2.amazonaws.com" },
        expected: "none",
      },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-encryption-context`,
    says: "GenerateDataKey only when the encryption context includes AppName=ExampleApp; other pairs are permitted; the key name is not case sensitive, the value is under StringEquals",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/RoleForExampleApp" },
        Action: "kms:GenerateDataKey",
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:AppName": "ExampleApp" } },
      },
    ],
    questions: [
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:AppName": "ExampleApp" },
        expected: "allow",
      },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:AppName": "ExampleApp", "kms:EncryptionContext:Project": "Alpha" },
        expected: "allow",
      },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:appname": "ExampleApp" },
        expected: "allow",
      },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:AppName": "exampleapp" },
        expected: "none",
      },
      { principal: session("RoleForExampleApp"), action: "kms:GenerateDataKey", expected: "none" },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:Decrypt",
        context: { "kms:EncryptionContext:AppName": "ExampleApp" },
        expected: "none",
      },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-encryption-context`,
    says: "require the AppName=ExampleApp pair and forbid all other pairs (kms:EncryptionContextKeys with ForAllValues)",
    account: "712816755609",
    statements: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::712816755609:user/alice" },
        Action: "kms:GenerateDataKey",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:EncryptionContext:AppName": "ExampleApp" },
          "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["AppName"] },
        },
      },
    ],
    questions: [
      {
        principal: user("alice", "712816755609"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:AppName": "ExampleApp", "kms:EncryptionContextKeys": ["AppName"] },
        expected: "allow",
      },
      {
        principal: user("alice", "712816755609"),
        action: "kms:GenerateDataKey",
        context: {
          "kms:EncryptionContext:AppName": "ExampleApp",
          "kms:EncryptionContext:Project": "Alpha",
          "kms:EncryptionContextKeys": ["AppName", "Project"],
        },
        expected: "none",
      },
      { principal: user("alice", "712816755609"), action: "kms:GenerateDataKey", expected: "none" },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-encryption-context`,
    says: "a Deny forbids the key when the encryption context includes Stage=Restricted, and allows other pairs such as Stage=Test",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/RoleForExampleApp" },
        Action: "kms:GenerateDataKey",
        Resource: "*",
      },
      {
        Effect: "Deny",
        Principal: { AWS: "arn:aws:iam::111122223333:role/RoleForExampleApp" },
        Action: "kms:GenerateDataKey",
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:Stage": "Restricted" } },
      },
    ],
    questions: [
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:Stage": "Restricted" },
        expected: "deny",
      },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:Stage": "Test" },
        expected: "allow",
      },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContext:Project": "Alpha" },
        expected: "allow",
      },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-encryption-context-keys`,
    says: "ForAnyValue: AppName=Helper with Project=Alpha is allowed; only Project=Alpha, or no encryption context, fails",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/RoleForExampleApp" },
        Action: ["kms:Encrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { "ForAnyValue:StringEquals": { "kms:EncryptionContextKeys": "AppName" } },
      },
    ],
    questions: [
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContextKeys": ["AppName", "Project"] },
        expected: "allow",
      },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContextKeys": ["Project"] },
        expected: "none",
      },
      { principal: session("RoleForExampleApp"), action: "kms:GenerateDataKey", expected: "none" },
      {
        principal: session("RoleForExampleApp"),
        action: "kms:GenerateDataKey",
        context: { "kms:EncryptionContextKeys": ["appname"] },
        expected: "none",
      },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-encryption-context-keys`,
    says: "Null false on kms:EncryptionContextKeys allows the key only when the request has an encryption context",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/RoleForExampleApp" },
        Action: ["kms:Encrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { Null: { "kms:EncryptionContextKeys": false } },
      },
    ],
    questions: [
      {
        principal: session("RoleForExampleApp"),
        action: "kms:Encrypt",
        context: { "kms:EncryptionContextKeys": ["Purpose"] },
        expected: "allow",
      },
      { principal: session("RoleForExampleApp"), action: "kms:Encrypt", expected: "none" },
      { principal: session("RoleForExampleApp"), action: "kms:Encrypt", open: true, expected: "conditional" },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-grant-is-for-aws-resource`,
    says: "AWS services integrated with KMS may create grants for ExampleUser; ExampleUser may not call CreateGrant directly",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:user/ExampleUser" },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ],
    questions: [
      {
        principal: user("ExampleUser"),
        action: "kms:CreateGrant",
        context: { "kms:GrantIsForAWSResource": "true" },
        expected: "allow",
      },
      {
        principal: user("ExampleUser"),
        action: "kms:CreateGrant",
        context: { "kms:GrantIsForAWSResource": "false" },
        expected: "none",
      },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-primary-region`,
    says: "UpdatePrimaryRegion only to one of the four Regions",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Action: "kms:UpdatePrimaryRegion",
        Principal: { AWS: "arn:aws:iam::111122223333:role/Developer" },
        Resource: "*",
        Condition: { StringEquals: { "kms:PrimaryRegion": ["us-east-1", "us-west-2", "eu-west-3", "ap-southeast-2"] } },
      },
    ],
    questions: [
      {
        principal: session("Developer"),
        action: "kms:UpdatePrimaryRegion",
        context: { "kms:PrimaryRegion": "eu-west-3" },
        expected: "allow",
      },
      {
        principal: session("Developer"),
        action: "kms:UpdatePrimaryRegion",
        context: { "kms:PrimaryRegion": "sa-east-1" },
        expected: "none",
      },
      { principal: session("Developer"), action: "kms:UpdatePrimaryRegion", open: true, expected: "conditional" },
    ],
  },
  {
    source: `${KMS_GUIDE}/multi-region-keys-auth.html#mrk-auth-replicate`,
    says: "the Administrator role may replicate the primary key, but only in the specified Regions; kms:ReplicaRegion limits only ReplicateKey",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/Administrator" },
        Action: "kms:ReplicateKey",
        Resource: "*",
        Condition: { StringEquals: { "kms:ReplicaRegion": ["us-east-1", "eu-west-3", "ap-southeast-2"] } },
      },
    ],
    questions: [
      {
        principal: session("Administrator"),
        action: "kms:ReplicateKey",
        context: { "kms:ReplicaRegion": "ap-southeast-2" },
        expected: "allow",
      },
      {
        principal: session("Administrator"),
        action: "kms:ReplicateKey",
        context: { "kms:ReplicaRegion": "eu-west-1" },
        expected: "none",
      },
      { principal: session("Administrator"), action: "kms:ReplicateKey", open: true, expected: "conditional" },
      { principal: session("Administrator"), action: "kms:UpdatePrimaryRegion", expected: "none" },
    ],
  },
  {
    source: `${KMS_GUIDE}/multi-region-keys-auth.html#mrk-auth-update`,
    says: "the Administrator role may update the primary Region, on the primary key or a replica key",
    account: "111122223333",
    statements: [
      {
        Effect: "Allow",
        Resource: "*",
        Principal: { AWS: "arn:aws:iam::111122223333:role/Administrator" },
        Action: "kms:UpdatePrimaryRegion",
      },
    ],
    questions: [
      {
        principal: session("Administrator"),
        action: "kms:UpdatePrimaryRegion",
        region: "us-east-1",
        expected: "allow",
      },
      {
        principal: session("Administrator"),
        action: "kms:UpdatePrimaryRegion",
        region: "eu-west-1",
        expected: "allow",
      },
      { principal: session("Developer"), action: "kms:UpdatePrimaryRegion", expected: "none" },
    ],
  },
  {
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-via-service`,
    says: "ExampleUser may use the key only through Amazon EC2 or Amazon RDS in us-west-2, and never to Encrypt through AWS Lambda",
    account: "111122223333",
    statements: viaServiceStatements,
    questions: [
      {
        principal: user("ExampleUser"),
        action: "kms:Decrypt",
        context: { "kms:ViaService": "rds.us-west-2.amazonaws.com" },
        expected: "allow",
      },
      {
        principal: user("ExampleUser"),
        action: "kms:Decrypt",
        context: { "kms:ViaService": "ec2.us-east-1.amazonaws.com" },
        expected: "none",
      },
      { principal: user("ExampleUser"), action: "kms:Decrypt", expected: "none" },
      {
        principal: user("ExampleUser"),
        action: "kms:Encrypt",
        context: { "kms:ViaService": "lambda.us-west-2.amazonaws.com" },
        expected: "deny",
      },
      { principal: user("ExampleUser"), action: "kms:Encrypt", open: true, expected: "conditional" },
    ],
  },
  {
    source: `${KMS_GUIDE}/key-policy-modifying-external-accounts.html#cross-account-key-policy`,
    says: "account 444455556666 may use the key once its IAM policies delegate; ScheduleKeyDeletion for another account has no effect",
    account: "111122223333",
    statements: [
      {
        Sid: "Allow an external account to use this KMS key",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::444455556666:root"] },
        Action: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:DescribeKey",
          "kms:ScheduleKeyDeletion",
        ],
        Resource: "*",
      },
    ],
    questions: [
      { principal: session("ExampleRole", "444455556666"), action: "kms:Decrypt", expected: "via-iam" },
      { principal: user("ExampleUser", "444455556666"), action: "kms:DescribeKey", expected: "via-iam" },
      { principal: "arn:aws:iam::444455556666:root", action: "kms:Encrypt", expected: "allow" },
      { principal: session("ExampleRole", "444455556666"), action: "kms:ScheduleKeyDeletion", expected: "none" },
      { principal: session("ExampleRole", "555555555555"), action: "kms:Decrypt", expected: "none" },
      { principal: session("ExampleRole"), action: "kms:Decrypt", expected: "none" },
    ],
  },
  {
    source: `${KMS_GUIDE}/key-policy-modifying-external-accounts.html#cross-account-key-policy`,
    says: "ExampleRole and ExampleUser of account 444455556666 may use the key once IAM policies of that account allow them; no one else there",
    account: "111122223333",
    statements: [
      {
        Sid: "Allow an external account to use this KMS key",
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::444455556666:role/ExampleRole", "arn:aws:iam::444455556666:user/ExampleUser"],
        },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
      },
    ],
    questions: [
      { principal: session("ExampleRole", "444455556666"), action: "kms:GenerateDataKey", expected: "via-iam" },
      { principal: user("ExampleUser", "444455556666"), action: "kms:Decrypt", expected: "via-iam" },
      { principal: user("OtherUser", "444455556666"), action: "kms:Decrypt", expected: "none" },
      { principal: session("ExampleRole", "444455556666"), action: "kms:CreateGrant", expected: "none" },
    ],
  },
];

const cases = EXAMPLES.flatMap((example) =>
  example.questions.map((question) => ({
    name: `${example.source} (${example.says}): ${question.principal} ${question.action}${question.context ? ` ${JSON.stringify(question.context)}` : ""} is ${question.expected}`,
    example,
    question,
  })),
);

describe("AWS's documented key policies", () => {
  test("cover many questions", () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
  });

  test.each(cases)("$name", ({ example, question }) => {
    const region = question.region ?? "us-west-2";
    const evaluator = evaluatorOf(
      { Version: "2012-10-17", Statement: example.statements },
      { accountId: example.account, region },
    );
    const answer = evaluator.mayCall(question.principal, question.action, region, {
      context: question.context,
      completeContext: !question.open,
    });
    expect([answer.decision, answer.reason]).toEqual([question.expected, answer.reason]);
  });
});

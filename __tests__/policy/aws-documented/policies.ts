/**
 * Key policies AWS documents as defaults or examples, as published (the account 111122223333,
 * placeholders such as `aws-account-id` or `region` filled in with it and us-east-1). Each names
 * the page it comes from. The rule pack must find nothing on any of them.
 */

type Policy = { readonly Version?: string; readonly Id?: string; readonly Statement: readonly object[] };

export interface DocumentedPolicy {
  readonly name: string;
  /** Where AWS publishes it. */
  readonly source: string;
  readonly policy: Policy;
  /** Arguments of the key it is set on, besides the policy. @default a symmetric encryption key */
  readonly key?: Readonly<Record<string, unknown>>;
  /** Accounts the example shares the key with on purpose (MRK-KMS-12's allow-list). @default none */
  readonly trustedAccounts?: readonly string[];
}

const ROOT = "arn:aws:iam::111122223333:root";
const KMS_GUIDE = "https://docs.aws.amazon.com/kms/latest/developerguide";

/** "Enable IAM policies", the default key policy's one statement (key-policy-default.html). */
export const enableIamPolicies = {
  Sid: "Enable IAM policies",
  Effect: "Allow",
  Principal: { AWS: ROOT },
  Action: "kms:*",
  Resource: "*",
};

/** The AWS managed key for Amazon EBS's statement: every identity of the account, through EBS only. */
export const ebsThroughService = {
  Sid: "Allow access through EBS for all principals in the account that are authorized to use EBS",
  Effect: "Allow",
  Principal: { AWS: "*" },
  Condition: {
    StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.us-west-2.amazonaws.com" },
  },
  Action: [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:CreateGrant",
    "kms:DescribeKey",
  ],
  Resource: "*",
};

/** The kms:ViaService examples: ExampleUser through EC2 and RDS in us-west-2, and never to Encrypt through Lambda. */
export const viaServiceStatements = [
  {
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::111122223333:user/ExampleUser" },
    Action: [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:CreateGrant",
      "kms:ListGrants",
      "kms:DescribeKey",
    ],
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": ["ec2.us-west-2.amazonaws.com", "rds.us-west-2.amazonaws.com"] },
    },
  },
  {
    Effect: "Deny",
    Principal: { AWS: "arn:aws:iam::111122223333:user/ExampleUser" },
    Action: ["kms:Encrypt"],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": ["lambda.us-west-2.amazonaws.com"] } },
  },
];

/** The console's key administrators statement (key-policy-default.html#key-policy-default-allow-administrators). */
export const keyAdministrators = {
  Sid: "Allow access for Key Administrators",
  Effect: "Allow",
  Principal: { AWS: ["arn:aws:iam::111122223333:user/KMSAdminUser", "arn:aws:iam::111122223333:role/KMSAdminRole"] },
  Action: [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
  ],
  Resource: "*",
};

const keyUsers = (actions: string[]) => ({
  Sid: "Allow use of the key",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:user/ExampleUser" },
  Action: actions,
  Resource: "*",
});

export const DOCUMENTED_POLICIES: readonly DocumentedPolicy[] = [
  {
    name: "the default key policy of a key created programmatically",
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-default-allow-root-enable-iam`,
    policy: { Version: "2012-10-17", Statement: [enableIamPolicies] },
  },
  {
    name: "the console's default key policy (root, administrators, users, an external account, persistent resources)",
    source: `${KMS_GUIDE}/key-policy-overview.html`,
    trustedAccounts: ["444455556666"],
    policy: {
      Version: "2012-10-17",
      Id: "key-consolepolicy-2",
      Statement: [
        enableIamPolicies,
        keyAdministrators,
        {
          Sid: "Allow use of the key",
          Effect: "Allow",
          Principal: {
            AWS: [
              "arn:aws:iam::111122223333:user/ExampleUser",
              "arn:aws:iam::111122223333:role/ExampleRole",
              "arn:aws:iam::444455556666:root",
            ],
          },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
        },
        {
          Sid: "Allow attachment of persistent resources",
          Effect: "Allow",
          Principal: {
            AWS: [
              "arn:aws:iam::111122223333:user/ExampleUser",
              "arn:aws:iam::111122223333:role/ExampleRole",
              "arn:aws:iam::444455556666:root",
            ],
          },
          Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          Resource: "*",
          Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
      ],
    },
  },
  {
    name: "the console's key users statement for a symmetric encryption key",
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-users-crypto`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        keyAdministrators,
        keyUsers(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]),
      ],
    },
  },
  {
    name: "the console's key users statement for an HMAC key",
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-users-crypto`,
    key: { key_spec: "HMAC_256", key_usage: "GENERATE_VERIFY_MAC" },
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        keyAdministrators,
        keyUsers(["kms:DescribeKey", "kms:GenerateMac", "kms:VerifyMac"]),
      ],
    },
  },
  {
    name: "the console's key users statement for an asymmetric encryption key",
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-users-crypto`,
    key: { key_spec: "RSA_2048", key_usage: "ENCRYPT_DECRYPT" },
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        keyAdministrators,
        keyUsers(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:DescribeKey", "kms:GetPublicKey"]),
      ],
    },
  },
  {
    name: "the console's key users statement for a signing key",
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-users-crypto`,
    key: { key_spec: "ECC_NIST_P256", key_usage: "SIGN_VERIFY" },
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        keyAdministrators,
        keyUsers(["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:Verify"]),
      ],
    },
  },
  {
    name: "the console's administrators statement of a multi-Region key (ReplicateKey, UpdatePrimaryRegion)",
    source: `${KMS_GUIDE}/key-policy-default.html#key-policy-default-allow-administrators`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        { ...keyAdministrators, Action: [...keyAdministrators.Action, "kms:ReplicateKey", "kms:UpdatePrimaryRegion"] },
        keyUsers(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]),
      ],
    },
  },
  {
    name: "the key policy in Determining access: administrators, an application and persistent resources",
    source: `${KMS_GUIDE}/determining-access-key-policy.html`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        {
          Sid: "Allow access for Key Administrators",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:user/KMSKeyAdmin" },
          Action: [
            "kms:Describe*",
            "kms:Put*",
            "kms:Create*",
            "kms:Update*",
            "kms:Enable*",
            "kms:Revoke*",
            "kms:List*",
            "kms:Disable*",
            "kms:Get*",
            "kms:Delete*",
            "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion",
          ],
          Resource: "*",
        },
        {
          Sid: "Allow use of the key",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/EncryptionApp" },
          Action: ["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt", "kms:ReEncrypt*", "kms:Decrypt"],
          Resource: "*",
        },
        {
          Sid: "Allow attachment of persistent resources",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/EncryptionApp" },
          Action: ["kms:ListGrants", "kms:CreateGrant", "kms:RevokeGrant"],
          Resource: "*",
          Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
        },
      ],
    },
  },
  {
    name: "the multi-Region example: ReplicateKey limited with kms:ReplicaRegion, UpdatePrimaryRegion without a condition",
    source: `${KMS_GUIDE}/multi-region-keys-auth.html`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/Administrator" },
          Action: "kms:ReplicateKey",
          Resource: "*",
          Condition: { StringEquals: { "kms:ReplicaRegion": ["us-east-1", "eu-west-3", "ap-southeast-2"] } },
        },
        {
          Effect: "Allow",
          Resource: "*",
          Principal: { AWS: "arn:aws:iam::111122223333:role/Administrator" },
          Action: "kms:UpdatePrimaryRegion",
        },
      ],
    },
  },
  {
    name: "the kms:PrimaryRegion example",
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-primary-region`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        {
          Effect: "Allow",
          Action: "kms:UpdatePrimaryRegion",
          Principal: { AWS: "arn:aws:iam::111122223333:role/Developer" },
          Resource: "*",
          Condition: {
            StringEquals: { "kms:PrimaryRegion": ["us-east-1", "us-west-2", "eu-west-3", "ap-southeast-2"] },
          },
        },
      ],
    },
  },
  {
    name: 'the AWS managed key for Amazon EBS\'s statement: "*" confined by kms:CallerAccount and kms:ViaService',
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-caller-account`,
    policy: {
      Version: "2012-10-17",
      Statement: [enableIamPolicies, ebsThroughService],
    },
  },
  {
    name: "the kms:ViaService examples: an Allow through EC2 and RDS, a Deny through Lambda",
    source: `${KMS_GUIDE}/conditions-kms.html#conditions-kms-via-service`,
    policy: {
      Version: "2012-10-17",
      Statement: [enableIamPolicies, ...viaServiceStatements],
    },
  },
  {
    name: "the key policy statement with a kms:KeySpec condition",
    source: `${KMS_GUIDE}/key-policy-overview.html`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        {
          Sid: "Describe the policy statement",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:user/Alice" },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: { StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT" } },
        },
      ],
    },
  },
  {
    name: "the statements for AWS services: Amazon Location's grants through kms:ViaService, CloudTrail's encryption with aws:SourceArn",
    source: `${KMS_GUIDE}/key-policy-services.html`,
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        {
          Sid: "Allow Amazon Location to create grants on behalf of authorized users",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/LocationTeam" },
          Action: "kms:CreateGrant",
          Resource: "*",
          Condition: {
            StringEquals: {
              "kms:ViaService": "geo.us-west-2.amazonaws.com",
              "kms:CallerAccount": "111122223333",
              "kms:EncryptionContext:aws:geo:arn": "arn:aws:geo:us-west-2:111122223333:tracker/SAMPLE-Tracker",
            },
          },
        },
        {
          Sid: "Allow CloudTrail to encrypt logs",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey",
          Resource: "*",
          Condition: {
            ArnEquals: { "aws:SourceArn": ["arn:aws:cloudtrail:us-west-2:111122223333:trail/finance"] },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": ["arn:aws:cloudtrail:*:111122223333:trail/*"] },
          },
        },
      ],
    },
  },
  {
    name: 'example-key-1: use only through a VPC endpoint (a Deny to "*" with aws:sourceVpce)',
    source: `${KMS_GUIDE}/kms-vpc-endpoint.html`,
    policy: {
      Id: "example-key-1",
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Enable IAM policies",
          Effect: "Allow",
          Principal: { AWS: ["111122223333"] },
          Action: ["kms:*"],
          Resource: "*",
        },
        {
          Sid: "Restrict usage to my VPC endpoint",
          Effect: "Deny",
          Principal: "*",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringNotEquals: { "aws:sourceVpce": "vpce-1234abcdf5678c90a" } },
        },
      ],
    },
  },
  {
    name: "example-key-2: management from one VPC, use from another, reading from everywhere",
    source: `${KMS_GUIDE}/kms-vpc-endpoint.html`,
    policy: {
      Id: "example-key-2",
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Allow administrative actions from vpc-12345678",
          Effect: "Allow",
          Principal: { AWS: "111122223333" },
          Action: [
            "kms:Create*",
            "kms:Enable*",
            "kms:Put*",
            "kms:Update*",
            "kms:Revoke*",
            "kms:Disable*",
            "kms:Delete*",
            "kms:TagResource",
            "kms:UntagResource",
          ],
          Resource: "*",
          Condition: { StringEquals: { "aws:sourceVpc": "vpc-12345678" } },
        },
        {
          Sid: "Allow key usage from vpc-2b2b2b2b",
          Effect: "Allow",
          Principal: { AWS: "111122223333" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:sourceVpc": "vpc-2b2b2b2b" } },
        },
        {
          Sid: "Allow read actions from everywhere",
          Effect: "Allow",
          Principal: { AWS: "111122223333" },
          Action: ["kms:Describe*", "kms:List*", "kms:Get*"],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "sharing a key with another account: its root, or its roles and users",
    source: `${KMS_GUIDE}/key-policy-modifying-external-accounts.html`,
    trustedAccounts: ["444455556666"],
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        {
          Sid: "Allow an external account to use this KMS key",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::444455556666:root"] },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
        },
        {
          Sid: "Allow external roles and users to use this KMS key",
          Effect: "Allow",
          Principal: {
            AWS: ["arn:aws:iam::444455556666:role/ExampleRole", "arn:aws:iam::444455556666:user/ExampleUser"],
          },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "CloudTrail's default key policy for trails",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html",
    policy: {
      Version: "2012-10-17",
      Id: "Key policy created by CloudTrail",
      Statement: [
        {
          Sid: "Enable IAM user permissions",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/username"] },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "Allow CloudTrail to encrypt logs",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/trail-name" },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*" },
          },
        },
        {
          Sid: "Allow CloudTrail to describe key",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/trail-name" },
          },
        },
        {
          Sid: "Allow principals in the account to decrypt log files",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
          Resource: "*",
          Condition: {
            StringEquals: { "kms:CallerAccount": "111122223333" },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*" },
          },
        },
        {
          Sid: "Allow alias creation during setup",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:CreateAlias",
          Resource: "*",
          Condition: {
            StringEquals: { "kms:ViaService": "ec2.us-east-1.amazonaws.com", "kms:CallerAccount": "111122223333" },
          },
        },
        {
          Sid: "Enable cross account log decryption",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
          Resource: "*",
          Condition: {
            StringEquals: { "kms:CallerAccount": "111122223333" },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*" },
          },
        },
      ],
    },
  },
  {
    name: "Amazon SNS: letting CloudWatch alarms and EventBridge publish to an encrypted topic",
    source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
    policy: {
      Version: "2012-10-17",
      Statement: [
        enableIamPolicies,
        {
          Effect: "Allow",
          Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "Amazon S3: event notifications to an encrypted SNS topic or SQS queue",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html",
    policy: {
      Version: "2012-10-17",
      Id: "example-ID",
      Statement: [
        enableIamPolicies,
        {
          Sid: "example-statement-ID",
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "CloudWatch Logs: encrypting log groups, limited by the log group's encryption context",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    policy: {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [
        enableIamPolicies,
        {
          Effect: "Allow",
          Principal: { Service: "logs.us-east-1.amazonaws.com" },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:*" },
          },
        },
      ],
    },
  },
];

/**
 * S3 cross-region replication of SSE-KMS objects with the multi-region key: the reference
 * document's "With S3 Cross-Region Replication", as the ReplicatedBuckets construct and as the
 * `replicatedBuckets` section of a stack config.
 */

import { join } from "node:path";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Testing } from "cdktf";
import { stackFromConfig } from "../lib/config-app";
import { ReplicatedBuckets, type ReplicatedBucketsProps } from "../lib/replicated-buckets";
import {
  defaultConfigObject,
  EXAMPLE_CONFIGS_DIR,
  policyStatements,
  type StackJson,
  type StatementJson,
  stackFromFile,
  stackFromObject,
  stackWithReferenceKey,
  synthJson,
} from "./helpers";

type Props = Omit<ReplicatedBucketsProps, "key" | "providers">;

/** A `rule` of an `aws_s3_bucket_replication_configuration`, as synthesized (the parts the tests read). */
type ReplicationRule = {
  readonly id: string;
  readonly priority?: number;
  readonly destination: {
    readonly bucket: string;
    readonly encryption_configuration?: { readonly replica_kms_key_id: string };
  };
};

/** A `rule` of an `aws_s3_bucket_server_side_encryption_configuration`, as synthesized. */
type EncryptionRule = {
  readonly apply_server_side_encryption_by_default: {
    readonly sse_algorithm: string;
    readonly kms_master_key_id?: string;
  };
};

const EAST = { bucketName: "my-global-bucket-east", region: "us-east-1" };
const WEST = { bucketName: "my-global-bucket-west", region: "eu-west-1" };
const APAC = { bucketName: "my-global-bucket-apac", region: "ap-southeast-1" };
const documentProps: Props = { source: EAST, destinations: [WEST] };

/** The construct on a stack with the reference document's key (helpers.ts). */
function synthBuckets(props: Props) {
  const { stack, providers, key } = stackWithReferenceKey();
  const buckets = new ReplicatedBuckets(stack, "buckets", { key, providers, ...props });
  const synthesized = Testing.synth(stack);
  return { buckets, synthesized, json: JSON.parse(synthesized) as StackJson };
}

function constructionError(props: Props): string {
  try {
    synthBuckets(props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the buckets were accepted");
}

/** The statements of the replication role's policy document, by sid. */
function replicationStatements(json: StackJson): Record<string, StatementJson> {
  return Object.fromEntries(
    policyStatements(json, "my_global_bucket_east_replication").map((statement) => [statement.sid, statement]),
  );
}

describe("ReplicatedBuckets, the reference document's buckets", () => {
  const { synthesized, json } = synthBuckets(documentProps);

  test("declares each bucket under its name, with the provider of its region", () => {
    expect(json.resource.aws_s3_bucket).toEqual({
      my_global_bucket_east: { provider: "aws.us_east_1", bucket: "my-global-bucket-east" },
      my_global_bucket_west: { provider: "aws.eu_west_1", bucket: "my-global-bucket-west" },
    });
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "my-global-bucket-east" });
  });

  test.each([
    ["my_global_bucket_east", "aws.us_east_1"],
    ["my_global_bucket_west", "aws.eu_west_1"],
  ])("turns versioning on for %s", (name, provider) => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, {
      provider,
      bucket: `\${aws_s3_bucket.${name}.id}`,
      versioning_configuration: { status: "Enabled" },
    });
  });

  test.each([
    ["my_global_bucket_east", "aws.us_east_1", "${aws_kms_key.primary.arn}"],
    ["my_global_bucket_west", "aws.eu_west_1", "${aws_kms_replica_key.eu.arn}"],
  ])(
    "encrypts %s by default with SSE-KMS under the full ARN of its own region's key, bucket keys on",
    (name, provider, keyArn) => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        provider,
        bucket: `\${aws_s3_bucket.${name}.id}`,
        rule: [
          {
            apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn },
            bucket_key_enabled: true,
          },
        ],
      });
    },
  );

  test.each([["my_global_bucket_east"], ["my_global_bucket_west"]])("blocks all public access to %s", (name) => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: `\${aws_s3_bucket.${name}.id}`,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("declares a replication role that only S3 can assume", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, {
      name: "my-global-bucket-east-replication",
      assume_role_policy: "${data.aws_iam_policy_document.my_global_bucket_east_replication_assume_role.json}",
    });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
        },
      ],
    });
  });

  test("attaches the replication policy to the role inline", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicy, {
      role: "${aws_iam_role.my_global_bucket_east_replication.id}",
      policy: "${data.aws_iam_policy_document.my_global_bucket_east_replication.json}",
    });
  });

  test("lets the role read the source's replication configuration and object versions, and nothing else of it", () => {
    const statements = replicationStatements(json);
    expect(statements.ReadSourceReplicationConfiguration).toEqual({
      sid: "ReadSourceReplicationConfiguration",
      effect: "Allow",
      actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      resources: ["${aws_s3_bucket.my_global_bucket_east.arn}"],
    });
    expect(statements.ReadSourceObjectVersions).toEqual({
      sid: "ReadSourceObjectVersions",
      effect: "Allow",
      actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      resources: ["${aws_s3_bucket.my_global_bucket_east.arn}/*"],
    });
  });

  test("lets the role replicate into the destination's objects only", () => {
    expect(replicationStatements(json).ReplicateToDestinations).toEqual({
      sid: "ReplicateToDestinations",
      effect: "Allow",
      actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      resources: ["${aws_s3_bucket.my_global_bucket_west.arn}/*"],
    });
  });

  test("lets the role decrypt with the source's key only through S3 in us-east-1, for the source bucket", () => {
    expect(replicationStatements(json).DecryptSourceObjects).toEqual({
      sid: "DecryptSourceObjects",
      effect: "Allow",
      actions: ["kms:Decrypt"],
      resources: ["${aws_kms_key.primary.arn}"],
      condition: [
        { test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] },
        {
          test: "StringLike",
          variable: "kms:EncryptionContext:aws:s3:arn",
          values: ["${aws_s3_bucket.my_global_bucket_east.arn}", "${aws_s3_bucket.my_global_bucket_east.arn}/*"],
        },
      ],
    });
  });

  test("lets the role encrypt with the destination's key only through S3 in eu-west-1, for the destination bucket", () => {
    expect(replicationStatements(json).EncryptReplicasInEuWest1).toEqual({
      sid: "EncryptReplicasInEuWest1",
      effect: "Allow",
      actions: ["kms:Encrypt"],
      resources: ["${aws_kms_replica_key.eu.arn}"],
      condition: [
        { test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] },
        {
          test: "StringLike",
          variable: "kms:EncryptionContext:aws:s3:arn",
          values: ["${aws_s3_bucket.my_global_bucket_west.arn}", "${aws_s3_bucket.my_global_bucket_west.arn}/*"],
        },
      ],
    });
  });

  test("grants the role no other action, and no wildcard", () => {
    const actions = Object.values(replicationStatements(json)).flatMap((statement) => statement.actions ?? []);
    expect(actions.sort()).toEqual([
      "kms:Decrypt",
      "kms:Encrypt",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionTagging",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
      "s3:ReplicateDelete",
      "s3:ReplicateObject",
      "s3:ReplicateTags",
    ]);
  });

  test("replicates SSE-KMS objects with the document's rule, re-encrypted with the destination's replica key", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketReplicationConfigurationA, {
      provider: "aws.us_east_1",
      bucket: "${aws_s3_bucket.my_global_bucket_east.id}",
      role: "${aws_iam_role.my_global_bucket_east_replication.arn}",
      rule: [
        {
          id: "CrossRegionReplication",
          status: "Enabled",
          priority: 1,
          filter: {},
          delete_marker_replication: { status: "Disabled" },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
          destination: {
            bucket: "${aws_s3_bucket.my_global_bucket_west.arn}",
            encryption_configuration: { replica_kms_key_id: "${aws_kms_replica_key.eu.arn}" },
          },
        },
      ],
    });
  });

  test("outputs each bucket's ARN by region, the source first, and the replication role's ARN, named after the source bucket", () => {
    const outputs = Object.fromEntries(
      Object.entries(json.output).filter(([name]) => name.startsWith("my_global_bucket_east_")),
    );
    expect(outputs).toEqual({
      my_global_bucket_east_bucket_arns: {
        description: "The ARN of each bucket replicated from my-global-bucket-east, by region",
        value: {
          "us-east-1": "${aws_s3_bucket.my_global_bucket_east.arn}",
          "eu-west-1": "${aws_s3_bucket.my_global_bucket_west.arn}",
        },
      },
      my_global_bucket_east_replication_role_arn: {
        description: "The ARN of the role S3 assumes to replicate my-global-bucket-east",
        value: "${aws_iam_role.my_global_bucket_east_replication.arn}",
      },
    });
    expect(Object.keys(json.output).sort()).toEqual([
      "alias_arns",
      "alias_name",
      "key_arns",
      "key_ids",
      "my_global_bucket_east_bucket_arns",
      "my_global_bucket_east_replication_role_arn",
    ]);
  });

  test("waits for versioning on both buckets and for the role's policy before configuring replication", () => {
    expect(json.resource.aws_s3_bucket_replication_configuration.my_global_bucket_east.depends_on).toEqual([
      "aws_s3_bucket_versioning.my_global_bucket_east",
      "aws_s3_bucket_versioning.my_global_bucket_west",
      "aws_iam_role_policy.my_global_bucket_east_replication",
    ]);
  });
});

describe("ReplicatedBuckets with several destinations", () => {
  const { json } = synthBuckets({ source: EAST, destinations: [WEST, APAC] });
  const rules = json.resource.aws_s3_bucket_replication_configuration.my_global_bucket_east.rule as ReplicationRule[];

  test("has one rule per destination, named after its region, with distinct priorities", () => {
    expect(rules.map((rule) => [rule.id, rule.priority])).toEqual([
      ["CrossRegionReplication-eu-west-1", 1],
      ["CrossRegionReplication-ap-southeast-1", 2],
    ]);
  });

  test("re-encrypts each destination's replicas with the key of that destination's region", () => {
    expect(
      rules.map((rule) => [rule.destination.bucket, rule.destination.encryption_configuration?.replica_kms_key_id]),
    ).toEqual([
      ["${aws_s3_bucket.my_global_bucket_west.arn}", "${aws_kms_replica_key.eu.arn}"],
      ["${aws_s3_bucket.my_global_bucket_apac.arn}", "${aws_kms_replica_key.apac.arn}"],
    ]);
  });

  test("encrypts every bucket with the key of its own region", () => {
    const keyOf = Object.fromEntries(
      Object.entries(json.resource.aws_s3_bucket_server_side_encryption_configuration).map(([name, sse]) => [
        name,
        (sse.rule as EncryptionRule[])[0].apply_server_side_encryption_by_default.kms_master_key_id,
      ]),
    );
    expect(keyOf).toEqual({
      my_global_bucket_east: "${aws_kms_key.primary.arn}",
      my_global_bucket_west: "${aws_kms_replica_key.eu.arn}",
      my_global_bucket_apac: "${aws_kms_replica_key.apac.arn}",
    });
  });

  test("lets the role encrypt with each destination's key only through S3 in that region", () => {
    const statements = replicationStatements(json);
    expect(
      ["EncryptReplicasInEuWest1", "EncryptReplicasInApSoutheast1"].map((sid) => [
        statements[sid].resources,
        statements[sid].condition?.[0].values,
      ]),
    ).toEqual([
      [["${aws_kms_replica_key.eu.arn}"], ["s3.eu-west-1.amazonaws.com"]],
      [["${aws_kms_replica_key.apac.arn}"], ["s3.ap-southeast-1.amazonaws.com"]],
    ]);
    expect(statements.ReplicateToDestinations.resources).toEqual([
      "${aws_s3_bucket.my_global_bucket_west.arn}/*",
      "${aws_s3_bucket.my_global_bucket_apac.arn}/*",
    ]);
  });
});

describe("ReplicatedBuckets names", () => {
  test("uses a bucket's own address name when it has one", () => {
    const { json } = synthBuckets({ source: { ...EAST, name: "east" }, destinations: [{ ...WEST, name: "west" }] });
    expect(Object.keys(json.resource.aws_s3_bucket).sort()).toEqual(["east", "west"]);
    expect(Object.keys(json.resource.aws_s3_bucket_replication_configuration)).toEqual(["east"]);
    expect(Object.keys(json.resource.aws_iam_role)).toEqual(["east_replication"]);
  });

  test("puts bucket_ before an address name that would start with a digit", () => {
    const { json } = synthBuckets({
      source: { bucketName: "2024.logs-east", region: "us-east-1" },
      destinations: [WEST],
    });
    expect(Object.keys(json.resource.aws_s3_bucket).sort()).toEqual(["bucket_2024_logs_east", "my_global_bucket_west"]);
  });

  test("names the replication role as it is told", () => {
    const { json } = synthBuckets({ ...documentProps, replicationRoleName: "crr-east-to-west" });
    expect(json.resource.aws_iam_role.my_global_bucket_east_replication.name).toBe("crr-east-to-west");
  });
});

describe("ReplicatedBuckets refuses", () => {
  test.each<[string, Props, string]>([
    [
      "a destination in a region without a key",
      { source: EAST, destinations: [{ bucketName: "b-west-2", region: "us-west-2" }] },
      'ReplicatedBuckets destinations[0].region: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    ],
    [
      "a source in a region without a key",
      { source: { bucketName: "b-west-2", region: "us-west-2" }, destinations: [WEST] },
      'ReplicatedBuckets source.region: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    ],
    [
      "a destination in the source's region",
      { source: EAST, destinations: [{ bucketName: "my-global-bucket-east-2", region: "us-east-1" }] },
      'ReplicatedBuckets destinations[0].region: "us-east-1" is the source bucket\'s region; a destination must be in another region',
    ],
    [
      "two destinations in one region",
      { source: EAST, destinations: [WEST, { bucketName: "my-global-bucket-west-2", region: "eu-west-1" }] },
      'ReplicatedBuckets destinations[1].region: "eu-west-1" appears twice; one destination bucket per region',
    ],
    [
      "no destination",
      { source: EAST, destinations: [] },
      "ReplicatedBuckets destinations: [] must name at least one destination bucket",
    ],
    [
      "a bucket name S3 does not allow",
      { source: { ...EAST, bucketName: "My_Bucket" }, destinations: [WEST] },
      'ReplicatedBuckets source.bucketName: "My_Bucket" must contain only lower-case letters, digits, "." and "-" (an S3 bucket name)',
    ],
    [
      "a bucket name S3 reserves",
      { source: EAST, destinations: [{ ...WEST, bucketName: "xn--bucket" }] },
      'ReplicatedBuckets destinations[0].bucketName: "xn--bucket" must not start with "xn--", "sthree-" or "amzn-s3-demo-" (reserved by S3)',
    ],
    [
      "one bucket as source and destination",
      { source: EAST, destinations: [{ ...APAC, bucketName: EAST.bucketName }] },
      'ReplicatedBuckets destinations[0].bucketName: "my-global-bucket-east" is the name of another bucket; each bucket is declared once',
    ],
    [
      "two buckets with one address name",
      { source: { ...EAST, name: "data" }, destinations: [{ ...WEST, name: "data" }] },
      'ReplicatedBuckets destinations[0].name: "data" is the address name of another bucket; names must be unique',
    ],
    [
      "an address name Terraform does not allow",
      { source: { ...EAST, name: "East" }, destinations: [WEST] },
      'ReplicatedBuckets source.name: "East" must start with a lower-case letter and contain only a-z, 0-9 and "_" (it becomes a Terraform address)',
    ],
    [
      "a default role name longer than IAM allows",
      { source: { ...EAST, bucketName: `a${"b".repeat(60)}` }, destinations: [WEST] },
      `ReplicatedBuckets replicationRoleName: "a${"b".repeat(60)}-replication" is longer than 64 characters (an IAM role name); name the role`,
    ],
  ])("%s", (_, props, message) => {
    expect(constructionError(props)).toBe(message);
  });
});

describe("the replicatedBuckets section of a stack config", () => {
  const withBuckets = (replicatedBuckets: unknown) => ({
    ...defaultConfigObject(),
    name: "with-buckets",
    replicatedBuckets,
  });
  const errorFor = (replicatedBuckets: unknown): string => {
    try {
      stackFromConfig(Testing.app(), withBuckets(replicatedBuckets), "test.json");
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("the config was accepted");
  };
  const east = { bucketName: "my-global-bucket-east", region: "us-east-1" };
  const west = { bucketName: "my-global-bucket-west", region: "eu-west-1" };

  test("is empty by default: the default stack declares no bucket", () => {
    expect(stackFromFile().replicatedBuckets).toEqual([]);
    expect(synthJson(stackFromFile()).resource).not.toHaveProperty("aws_s3_bucket");
  });

  test("gives each entry outputs of its own, named after its source bucket", () => {
    const other = {
      source: { bucketName: "other-apac", region: "ap-southeast-1" },
      destinations: [{ bucketName: "other-west", region: "eu-west-1" }],
    };
    const json = synthJson(stackFromObject(withBuckets([{ source: east, destinations: [west] }, other])));
    const bucketOutputs = Object.keys(json.output).filter(
      (name) => name.includes("bucket") || name.includes("replication"),
    );
    expect(bucketOutputs.sort()).toEqual([
      "my_global_bucket_east_bucket_arns",
      "my_global_bucket_east_replication_role_arn",
      "other_apac_bucket_arns",
      "other_apac_replication_role_arn",
    ]);
    expect(json.output.other_apac_bucket_arns.value).toEqual({
      "ap-southeast-1": "${aws_s3_bucket.other_apac.arn}",
      "eu-west-1": "${aws_s3_bucket.other_west.arn}",
    });
  });

  test("declares the buckets it lists in the stack", () => {
    const json = synthJson(stackFromObject(withBuckets([{ source: east, destinations: [west] }])));
    expect(Object.keys(json.resource.aws_s3_bucket).sort()).toEqual(["my_global_bucket_east", "my_global_bucket_west"]);
    expect(
      (
        json.resource.aws_s3_bucket_server_side_encryption_configuration.my_global_bucket_west.rule as EncryptionRule[]
      )[0],
    ).toMatchObject({
      apply_server_side_encryption_by_default: { kms_master_key_id: "${aws_kms_replica_key.eu.arn}" },
    });
  });

  test.each<[string, unknown, string]>([
    [
      "a destination in a region without a key",
      [{ source: east, destinations: [west, { bucketName: "b-west-2", region: "us-west-2" }] }],
      'test.json: replicatedBuckets[0].destinations[1].region: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    ],
    [
      "a destination in the source's region",
      [{ source: east, destinations: [{ bucketName: "other-east", region: "us-east-1" }] }],
      'test.json: replicatedBuckets[0].destinations[0].region: "us-east-1" is the source bucket\'s region; a destination must be in another region',
    ],
    [
      "a bucket name S3 does not allow",
      [{ source: { ...east, bucketName: "ab" }, destinations: [west] }],
      'test.json: replicatedBuckets[0].source.bucketName: "ab" must be 3 to 63 characters (an S3 bucket name)',
    ],
    [
      "no destination",
      [{ source: east, destinations: [] }],
      "test.json: replicatedBuckets[0].destinations: [] must name at least one destination bucket",
    ],
    [
      "an unknown field",
      [{ source: east, destinations: [west], kmsKey: "alias/aws/s3" }],
      'test.json: replicatedBuckets[0]: has unknown field "kmsKey"',
    ],
    [
      "one bucket in two entries",
      [
        { source: east, destinations: [west] },
        { source: { bucketName: "other-apac", region: "ap-southeast-1" }, destinations: [west] },
      ],
      'test.json: replicatedBuckets[1].destinations[0].bucketName: "my-global-bucket-west" is a bucket of another replicatedBuckets entry; each bucket is declared once',
    ],
  ])("refuses %s, naming the config field", (_, replicatedBuckets, message) => {
    expect(errorFor(replicatedBuckets)).toBe(message);
  });
});

describe("the global-data example (stacks/global-data.json)", () => {
  const json = synthJson(stackFromFile(join(EXAMPLE_CONFIGS_DIR, "global-data.json")));

  test("replicates the document's my-global-bucket-east in us-east-1 to my-global-bucket-west in eu-west-1", () => {
    expect(json.resource.aws_s3_bucket).toEqual({
      my_global_bucket_east: { provider: "aws.us_east_1", bucket: "my-global-bucket-east" },
      my_global_bucket_west: { provider: "aws.eu_west_1", bucket: "my-global-bucket-west" },
    });
    const [rule] = json.resource.aws_s3_bucket_replication_configuration.my_global_bucket_east
      .rule as ReplicationRule[];
    expect(rule).toMatchObject({
      id: "CrossRegionReplication",
      destination: { encryption_configuration: { replica_kms_key_id: "${aws_kms_replica_key.eu.arn}" } },
    });
  });
});

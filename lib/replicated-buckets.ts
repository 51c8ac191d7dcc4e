import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { KeySet } from "./key-set";
import type { RegionProviders } from "./region-providers";
import { partitionOf } from "./regions";
import { bucketAddressName, defaultReplicationRoleName } from "./resource-names";
import {
  addressNameSchema,
  awsRegionSchema,
  checkProp,
  formatPath,
  formatValue,
  MAX_ROLE_NAME_LENGTH,
  ProblemList,
  roleNameSchema,
  s3BucketNameSchema,
} from "./validation";

/** The id of the replication rule when there is one destination: the reference document's. */
export const REPLICATION_RULE_ID = "CrossRegionReplication";

/** What the replication role may do on the source bucket, its objects, and the destinations' objects. */
export const REPLICATION_SOURCE_BUCKET_ACTIONS: readonly string[] = ["s3:GetReplicationConfiguration", "s3:ListBucket"];
export const REPLICATION_SOURCE_OBJECT_ACTIONS: readonly string[] = [
  "s3:GetObjectVersionForReplication",
  "s3:GetObjectVersionAcl",
  "s3:GetObjectVersionTagging",
];
export const REPLICATION_DESTINATION_OBJECT_ACTIONS: readonly string[] = [
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
  "s3:ReplicateTags",
];

/** One bucket: its S3 name, its region and the name in its Terraform addresses. */
export interface ReplicatedBucketProps {
  /** The bucket's name in S3 (globally unique), e.g. `my-global-bucket-east`. */
  readonly bucketName: string;
  /** The bucket's region; the key must have a key there (the bucket is encrypted with it). */
  readonly region: string;
  /**
   * The name in the bucket's Terraform addresses: `aws_s3_bucket.<name>`, `aws_s3_bucket_versioning.<name>`, ...
   * @default the bucket name with "-" and "." as "_" (`my_global_bucket_east`), after `bucket_` if it starts with a digit
   */
  readonly name?: string;
}

export interface ReplicatedBucketsProps {
  /** The multi-region key that encrypts every bucket, each with the key of its own region. */
  readonly key: KeySet;
  /** The AWS providers of the stack (the key's); each bucket uses its region's. */
  readonly providers: RegionProviders;
  /** The bucket that objects are written to and replicated from. */
  readonly source: ReplicatedBucketProps;
  /** The buckets objects are replicated to: at least one, one per region, none in the source's region. */
  readonly destinations: readonly ReplicatedBucketProps[];
  /**
   * The name of the IAM role that S3 assumes to replicate.
   * @default "<source bucket name>-replication"
   */
  readonly replicationRoleName?: string;
}

/** One bucket as declared: its S3 name, region, address name and resources. */
export interface DeclaredBucket {
  readonly bucketName: string;
  readonly region: string;
  /** The name in its addresses. */
  readonly name: string;
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** The ARN of the key that encrypts it: the key set's key in the bucket's region (a token). */
  readonly keyArn: string;
}

/**
 * S3 cross-region replication of SSE-KMS objects with a multi-region key, the reference
 * document's "With S3 Cross-Region Replication" done completely:
 *
 * - every bucket (`aws_s3_bucket.<name>`) with versioning on, default encryption SSE-KMS by the
 *   full ARN of the key in the bucket's own region (S3 treats a multi-region key as a regional
 *   key) with bucket keys on, and all public access blocked;
 * - a replication role (`aws_iam_role.<source>_replication`) that S3 assumes, with an inline
 *   policy (`aws_iam_role_policy.<source>_replication`) of only what replication needs: read the
 *   source's configuration and object versions, replicate into each destination, `kms:Decrypt`
 *   with the source's key and `kms:Encrypt` with each destination's key, each limited by
 *   `kms:ViaService` to S3 in that key's region and by the S3 encryption context to the bucket;
 * - the replication configuration (`aws_s3_bucket_replication_configuration.<source>`): one rule
 *   per destination that replicates SSE-KMS encrypted objects and re-encrypts them with the key
 *   in the destination's region. With one destination its id is `CrossRegionReplication`, as in
 *   the document; with several, `CrossRegionReplication-<region>`.
 *
 * Rules use S3's current schema (`filter {}`, `priority`, `delete_marker_replication`), which
 * several destinations need; the document's rule has none of the three and means the same.
 *
 * Terraform outputs, named after the source bucket's address name so that several sets in one
 * stack keep theirs apart: `<source>_bucket_arns` (the ARN of each bucket, by region, the source
 * first) and `<source>_replication_role_arn`.
 */
export class ReplicatedBuckets extends Construct {
  readonly source: DeclaredBucket;
  readonly destinations: readonly DeclaredBucket[];
  readonly replicationRole: IamRole;
  readonly replicationPolicy: DataAwsIamPolicyDocument;
  readonly replicationConfiguration: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: ReplicatedBucketsProps) {
    super(scope, id);
    validate(props);
    const sourceName = bucketAddressName(props.source);
    const roleName = props.replicationRoleName ?? defaultReplicationRoleName(props.source.bucketName);
    const sourceProvider = props.providers.forRegion(props.source.region);

    this.source = this.bucket(props, props.source);
    this.destinations = props.destinations.map((destination) => this.bucket(props, destination));

    const assumeRole = new DataAwsIamPolicyDocument(this, "assume-role", {
      provider: sourceProvider,
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
        },
      ],
    });
    assumeRole.overrideLogicalId(`${sourceName}_replication_assume_role`);

    this.replicationRole = new IamRole(this, "role", {
      provider: sourceProvider,
      name: roleName,
      description: `S3 replication of ${props.source.bucketName} to ${props.destinations.map((d) => d.bucketName).join(", ")}`,
      assumeRolePolicy: assumeRole.json,
    });
    this.replicationRole.overrideLogicalId(`${sourceName}_replication`);

    this.replicationPolicy = new DataAwsIamPolicyDocument(this, "policy", {
      provider: sourceProvider,
      statement: replicationStatements(this.source, this.destinations),
    });
    this.replicationPolicy.overrideLogicalId(`${sourceName}_replication`);

    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      provider: sourceProvider,
      name: "s3-replication",
      role: this.replicationRole.id,
      policy: this.replicationPolicy.json,
    });
    rolePolicy.overrideLogicalId(`${sourceName}_replication`);

    const several = this.destinations.length > 1;
    this.replicationConfiguration = new S3BucketReplicationConfigurationA(this, "replication", {
      provider: sourceProvider,
      // S3 refuses a replication configuration until both sides are versioned.
      dependsOn: [this.source.versioning, ...this.destinations.map((d) => d.versioning), rolePolicy],
      bucket: this.source.bucket.id,
      role: this.replicationRole.arn,
      rule: this.destinations.map((destination, index) => ({
        id: several ? `${REPLICATION_RULE_ID}-${destination.region}` : REPLICATION_RULE_ID,
        status: "Enabled",
        priority: index + 1,
        filter: {},
        deleteMarkerReplication: { status: "Disabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
          bucket: destination.bucket.arn,
          encryptionConfiguration: { replicaKmsKeyId: destination.keyArn },
        },
      })),
    });
    this.replicationConfiguration.overrideLogicalId(sourceName);

    const outputs: Array<[string, string, unknown]> = [
      [
        "bucket_arns",
        `The ARN of each bucket replicated from ${props.source.bucketName}, by region`,
        Object.fromEntries(this.buckets.map((b) => [b.region, b.bucket.arn])),
      ],
      [
        "replication_role_arn",
        `The ARN of the role S3 assumes to replicate ${props.source.bucketName}`,
        this.replicationRole.arn,
      ],
    ];
    for (const [name, description, value] of outputs) {
      new TerraformOutput(this, name, { description, value }).overrideLogicalId(`${sourceName}_${name}`);
    }
  }

  /** Every bucket, the source first. */
  get buckets(): DeclaredBucket[] {
    return [this.source, ...this.destinations];
  }

  private bucket(props: ReplicatedBucketsProps, bucketProps: ReplicatedBucketProps): DeclaredBucket {
    const name = bucketAddressName(bucketProps);
    const provider = props.providers.forRegion(bucketProps.region);
    const keyArn = props.key.inRegion(bucketProps.region).arn;

    const bucket = new S3Bucket(this, `bucket-${name}`, { provider, bucket: bucketProps.bucketName });
    bucket.overrideLogicalId(name);

    const versioning = new S3BucketVersioningA(this, `versioning-${name}`, {
      provider,
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    versioning.overrideLogicalId(name);

    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, `encryption-${name}`, {
      provider,
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    encryption.overrideLogicalId(name);

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, `public-access-block-${name}`, {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    publicAccessBlock.overrideLogicalId(name);

    return {
      bucketName: bucketProps.bucketName,
      region: bucketProps.region,
      name,
      bucket,
      versioning,
      encryption,
      publicAccessBlock,
      keyArn,
    };
  }
}

/** The replication role's statements: S3 on the buckets, then KMS per bucket, limited to S3 in the key's region. */
function replicationStatements(
  source: DeclaredBucket,
  destinations: readonly DeclaredBucket[],
): DataAwsIamPolicyDocumentStatement[] {
  const objects = (bucket: DeclaredBucket) => `${bucket.bucket.arn}/*`;
  return [
    allow("ReadSourceReplicationConfiguration", REPLICATION_SOURCE_BUCKET_ACTIONS, [source.bucket.arn]),
    allow("ReadSourceObjectVersions", REPLICATION_SOURCE_OBJECT_ACTIONS, [objects(source)]),
    allow("ReplicateToDestinations", REPLICATION_DESTINATION_OBJECT_ACTIONS, destinations.map(objects)),
    kmsThroughS3("DecryptSourceObjects", "kms:Decrypt", source),
    ...destinations.map((destination) =>
      kmsThroughS3(`EncryptReplicasIn${statementIdOfRegion(destination.region)}`, "kms:Encrypt", destination),
    ),
  ];
}

function allow(
  sid: string,
  actions: readonly string[],
  resources: readonly string[],
): DataAwsIamPolicyDocumentStatement {
  return { sid, effect: "Allow", actions: [...actions], resources: [...resources] };
}

/**
 * `action` with the key of the bucket's region, only when S3 in that region calls KMS for this
 * bucket. The S3 encryption context is the object's ARN, or the bucket's ARN when bucket keys
 * are on (as here), so both are allowed.
 */
function kmsThroughS3(sid: string, action: string, bucket: DeclaredBucket): DataAwsIamPolicyDocumentStatement {
  return {
    ...allow(sid, [action], [bucket.keyArn]),
    condition: [
      { test: "StringEquals", variable: "kms:ViaService", values: [s3ServiceEndpoint(bucket.region)] },
      {
        test: "StringLike",
        variable: "kms:EncryptionContext:aws:s3:arn",
        values: [bucket.bucket.arn, `${bucket.bucket.arn}/*`],
      },
    ],
  };
}

/** S3's service name in a region, as `kms:ViaService` sees it: `s3.eu-west-1.amazonaws.com`. */
export function s3ServiceEndpoint(region: string): string {
  return `s3.${region}.amazonaws.com${partitionOf(region) === "aws-cn" ? ".cn" : ""}`;
}

/** A region as a statement id part: `eu-west-1` -> `EuWest1`. */
function statementIdOfRegion(region: string): string {
  return region
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** One problem with the buckets' regions or names: where it is (relative to the props), the value and why. */
export interface BucketProblem {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly message: string;
}

/**
 * The rules that tie the buckets to the key and to each other: each bucket in a region of the
 * key, destinations in other regions than the source's and one per region, bucket names and
 * address names used once, and a default role name IAM accepts.
 */
function replicatedBucketsProblems(
  keyRegions: readonly string[],
  aliasName: string,
  props: Pick<ReplicatedBucketsProps, "source" | "destinations" | "replicationRoleName">,
): BucketProblem[] {
  const problems: BucketProblem[] = [];
  const noKey = `holds no key of ${aliasName}; its regions are ${keyRegions.join(", ")}`;
  if (!keyRegions.includes(props.source.region)) {
    problems.push({ path: ["source", "region"], value: props.source.region, message: noKey });
  }
  const regions = new Set<string>();
  props.destinations.forEach((destination, index) => {
    const path = ["destinations", index, "region"];
    if (!keyRegions.includes(destination.region)) {
      problems.push({ path, value: destination.region, message: noKey });
    } else if (destination.region === props.source.region) {
      problems.push({
        path,
        value: destination.region,
        message: "is the source bucket's region; a destination must be in another region",
      });
    } else if (regions.has(destination.region)) {
      problems.push({ path, value: destination.region, message: "appears twice; one destination bucket per region" });
    }
    regions.add(destination.region);
  });
  const bucketNames = new Set<string>();
  const addressNames = new Set<string>();
  [props.source, ...props.destinations].forEach((bucket, i) => {
    const at = i === 0 ? ["source"] : ["destinations", i - 1];
    const name = bucketAddressName(bucket);
    if (bucketNames.has(bucket.bucketName)) {
      problems.push({
        path: [...at, "bucketName"],
        value: bucket.bucketName,
        message: "is the name of another bucket; each bucket is declared once",
      });
    } else if (addressNames.has(name)) {
      problems.push({
        path: [...at, "name"],
        value: name,
        message: "is the address name of another bucket; names must be unique",
      });
    }
    bucketNames.add(bucket.bucketName);
    addressNames.add(name);
  });
  const defaultRoleName = defaultReplicationRoleName(props.source.bucketName);
  if (props.replicationRoleName === undefined && defaultRoleName.length > MAX_ROLE_NAME_LENGTH) {
    problems.push({
      path: ["replicationRoleName"],
      value: defaultRoleName,
      message: `is longer than ${MAX_ROLE_NAME_LENGTH} characters (an IAM role name); name the role`,
    });
  }
  return problems;
}

/** Checks the props and reports every problem at once, one line each. */
function validate(props: ReplicatedBucketsProps): void {
  const problems = new ProblemList();
  const check = (schema: Parameters<typeof checkProp>[0], value: unknown, path: string) =>
    problems.check(() => checkProp(schema, value, `ReplicatedBuckets ${path}`));
  const buckets = [
    { at: "source", bucket: props.source },
    ...props.destinations.map((bucket, i) => ({ at: `destinations[${i}]`, bucket })),
  ];
  let valuesKnown = true;
  for (const { at, bucket } of buckets) {
    valuesKnown = check(s3BucketNameSchema, bucket.bucketName, `${at}.bucketName`) && valuesKnown;
    valuesKnown = check(awsRegionSchema, bucket.region, `${at}.region`) && valuesKnown;
    valuesKnown = check(addressNameSchema, bucket.name, `${at}.name`) && valuesKnown;
  }
  check(roleNameSchema, props.replicationRoleName, "replicationRoleName");
  if (props.destinations.length === 0)
    problems.add("ReplicatedBuckets destinations: [] must name at least one destination bucket");
  if (valuesKnown) {
    for (const problem of replicatedBucketsProblems(props.key.regions, props.key.aliasName, props)) {
      problems.add(`ReplicatedBuckets ${formatPath(problem.path)}: ${formatValue(problem.value)} ${problem.message}`);
    }
  }
  problems.throwIfAny();
}

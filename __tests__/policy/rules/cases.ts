/**
 * What every rule's test file shares: its examples checked (the compliant one passes the rule,
 * the non-compliant one breaks it), its compliant and non-compliant cases on the constructs,
 * and builders of the S3 and DynamoDB cases.
 */
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { TerraformStack } from "cdktf";
import type { Json } from "../../../lib/json";
import { checkTerraformJson, type PolicyCheckOptions } from "../../../lib/policy/check";
import type { Rule } from "../../../lib/policy/rule";
import { type KeySetFixture, keySet, PRIMARY, REPLICA, report } from "../fixtures";

export const PRIMARY_KEY = "aws_kms_key.primary";
export const REPLICA_KEY = "aws_kms_replica_key.eu";

/** `address: message` of each finding of one rule on Terraform JSON. */
export function ruleFindings(json: Json, rule: Rule, options: PolicyCheckOptions = {}): string[] {
  return checkTerraformJson(json, { ...options, rules: [rule] }).findings.map((f) => `${f.address}: ${f.message}`);
}

/** A compliant and a non-compliant case of a rule, on stacks built from the constructs. */
export interface RuleCases {
  compliant: () => TerraformStack;
  nonCompliant: () => TerraformStack;
  /** The resource the non-compliant case is reported on. */
  address: string;
  /** The options both cases are checked with. @default none */
  options?: PolicyCheckOptions;
}

/** The tests every rule has: its examples, and its cases on the constructs. */
export function describeRule(rule: Rule, cases?: RuleCases): void {
  describe(`${rule.id} (${rule.level})`, () => {
    test("has a title, an explanation, a fix and what it applies to", () => {
      expect(rule.id).toMatch(/^MRK-(KMS|S3|DDB)-\d+$/);
      expect(["error", "warning"]).toContain(rule.level);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
      expect(Array.isArray(rule.anchors)).toBe(true);
    });

    test("finds nothing on its compliant example", () => {
      expect(ruleFindings(rule.examples.compliant, rule)).toEqual([]);
    });

    test("reports its non-compliant example", () => {
      expect(ruleFindings(rule.examples.nonCompliant, rule).length).toBeGreaterThan(0);
    });

    if (cases) {
      test("finds nothing on the compliant case", () => {
        expect(cases.compliant()).not.toFailPolicyRule(rule.id, undefined, cases.options);
      });

      test("reports the non-compliant case on its resource, with the rule id and a fix", () => {
        const stack = cases.nonCompliant();
        expect(stack).toFailPolicyRule(rule.id, cases.address, cases.options);
        const finding = report(stack, cases.options).findings.find(
          (f) => f.rule.id === rule.id && f.address === cases.address,
        )!;
        expect(finding.fix.length).toBeGreaterThan(10);
      });
    }
  });
}

// --- builders for the S3 and DynamoDB cases -------------------------------------------------

/** An SSE-KMS bucket in `region` using `keyArn` (the key of its region unless told otherwise). */
export function bucket(fixture: KeySetFixture, name: string, region: string, keyArn?: string, algorithm = "aws:kms") {
  const provider = fixture.providers.forRegion(region);
  const b = new S3Bucket(fixture.stack, name, { provider, bucket: `test-${name}` });
  new S3BucketServerSideEncryptionConfigurationA(fixture.stack, `${name}_encryption`, {
    provider,
    bucket: b.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: algorithm,
          kmsMasterKeyId: keyArn ?? fixture.key.inRegion(region).arn,
        },
      },
    ],
  });
  return b;
}

function versioning(fixture: KeySetFixture, b: S3Bucket, region: string) {
  new S3BucketVersioningA(fixture.stack, `${b.friendlyUniqueId}_versioning`, {
    provider: fixture.providers.forRegion(region),
    bucket: b.id,
    versioningConfiguration: { status: "Enabled" },
  });
}

export interface ReplicationChanges {
  sseKmsObjects?: "Enabled" | "Disabled" | null;
  replicaKey?: (fixture: KeySetFixture) => string | undefined;
  destinationVersioning?: boolean;
}

/** Source bucket in us-east-1 replicated to a destination bucket in eu-west-1. */
export function replication(changes: ReplicationChanges = {}): TerraformStack {
  const fixture = keySet();
  const source = bucket(fixture, "source", PRIMARY);
  const destination = bucket(fixture, "destination", REPLICA);
  versioning(fixture, source, PRIMARY);
  if (changes.destinationVersioning ?? true) versioning(fixture, destination, REPLICA);
  const sse = changes.sseKmsObjects === undefined ? "Enabled" : changes.sseKmsObjects;
  const replicaKey = changes.replicaKey ? changes.replicaKey(fixture) : fixture.key.inRegion(REPLICA).arn;
  new S3BucketReplicationConfigurationA(fixture.stack, "replication", {
    provider: fixture.providers.forRegion(PRIMARY),
    bucket: source.id,
    role: "arn:aws:iam::111111111111:role/replication",
    rule: [
      {
        id: "everything",
        status: "Enabled",
        ...(sse ? { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: sse } } } : {}),
        destination: {
          bucket: destination.arn,
          ...(replicaKey ? { encryptionConfiguration: { replicaKmsKeyId: replicaKey } } : {}),
        },
      },
    ],
  });
  return fixture.stack;
}

export interface TableChanges {
  encryption?: "none" | "aws-managed" | "customer";
  tableKey?: (fixture: KeySetFixture) => string;
  replicaKey?: (fixture: KeySetFixture) => string | undefined;
}

/** A global table in us-east-1 with a replica in eu-west-1. */
export function table(changes: TableChanges = {}): TerraformStack {
  const fixture = keySet();
  const encryption = changes.encryption ?? "customer";
  const replicaKey = changes.replicaKey ? changes.replicaKey(fixture) : fixture.key.inRegion(REPLICA).arn;
  new DynamodbTable(fixture.stack, "orders", {
    provider: fixture.providers.forRegion(PRIMARY),
    name: "orders",
    hashKey: "id",
    attribute: [{ name: "id", type: "S" }],
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    ...(encryption === "none"
      ? {}
      : {
          serverSideEncryption: {
            enabled: true,
            ...(encryption === "customer"
              ? { kmsKeyArn: changes.tableKey?.(fixture) ?? fixture.key.inRegion(PRIMARY).arn }
              : {}),
          },
        }),
    replica: [{ regionName: REPLICA, ...(replicaKey ? { kmsKeyArn: replicaKey } : {}) }],
  });
  return fixture.stack;
}

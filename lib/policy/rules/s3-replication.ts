import { listOf } from "../../json";
import { checkKeyOfRegion } from "../key-locations";
import type { Rule, RuleContext, Violation } from "../rule";
import { asBoolean, parseReference, type TerraformElement } from "../terraform-json";
import { stackJson } from "./examples";
import { bucketNamed } from "./s3-sse-kms";

/**
 * MRK-S3-2: S3 replication of SSE-KMS objects is complete: every enabled rule replicates
 * SSE-KMS encrypted objects and re-encrypts them with the destination region's key (by full
 * ARN), and versioning is on for both buckets.
 */
export const s3ReplicationRule: Rule = {
  id: "MRK-S3-2",
  level: "error",
  title: "S3 replication of SSE-KMS objects is complete",
  explanation:
    "S3 skips SSE-KMS encrypted objects unless the rule selects them (source_selection_criteria.sse_kms_encrypted_objects.status = \"Enabled\") and names the destination's key (destination.encryption_configuration.replica_kms_key_id, the full ARN of the key set's key in the destination's region). Replication also needs versioning on both buckets. No scanner checks this: a partial setup replicates nothing encrypted, silently.",
  fix: 'in each rule: source_selection_criteria { sse_kms_encrypted_objects { status = "Enabled" } } and destination { encryption_configuration { replica_kms_key_id = <the ARN of the key in the destination\'s region> } }; aws_s3_bucket_versioning with status "Enabled" on both buckets',
  anchors: [],
  appliesTo: ["aws_s3_bucket_replication_configuration"],
  examples: { compliant: replicationExample(true), nonCompliant: replicationExample(false) },
  check(resource, context) {
    const { stack } = context;
    const source = bucketNamed(resource.config.bucket, context);
    const found: Violation[] = [];
    const rules = listOf(resource.config.rule);
    if (rules.length === 0) found.push({ message: "the replication configuration has no rule" });
    const destinations = new Map<string, TerraformElement>();
    rules.forEach((rule, index) => {
      if (rule.status !== "Enabled") return;
      const name = typeof rule.id === "string" ? `rule "${rule.id}"` : `rule ${index + 1}`;
      const criteria = listOf(listOf(rule.source_selection_criteria)[0]?.sse_kms_encrypted_objects)[0];
      if (criteria?.status !== "Enabled") {
        found.push({
          message: `${name} does not replicate SSE-KMS encrypted objects (source_selection_criteria.sse_kms_encrypted_objects.status is ${JSON.stringify(criteria?.status ?? null)})`,
          fix: 'set source_selection_criteria { sse_kms_encrypted_objects { status = "Enabled" } } in the rule',
        });
      }
      const destination = listOf(rule.destination)[0];
      const destinationBucket = destination
        ? stack.element(parseReference(destination.bucket)?.address ?? "")
        : undefined;
      if (destinationBucket?.type === "aws_s3_bucket") destinations.set(destinationBucket.address, destinationBucket);
      const region = destinationBucket ? stack.regionOf(destinationBucket) : undefined;
      const replicaKey = listOf(destination?.encryption_configuration)[0]?.replica_kms_key_id;
      for (const violation of checkKeyOfRegion(
        stack,
        replicaKey,
        region,
        `${name} destination.encryption_configuration.replica_kms_key_id`,
        { arnOnly: true },
      )) {
        found.push(violation);
      }
    });
    for (const bucket of [source, ...destinations.values()]) {
      if (bucket && !versioningEnabled(bucket, context)) {
        found.push({
          message: `${bucket.address} has no versioning, which replication needs`,
          fix: `declare aws_s3_bucket_versioning for ${bucket.address} with versioning_configuration { status = "Enabled" }`,
        });
      }
    }
    return found;
  },
};

function versioningEnabled(bucket: TerraformElement, context: RuleContext): boolean {
  if (listOf(bucket.config.versioning).some((v) => asBoolean(v.enabled) === true)) return true;
  return context.stack
    .resources("aws_s3_bucket_versioning")
    .some(
      (versioning) =>
        bucketNamed(versioning.config.bucket, context)?.address === bucket.address &&
        listOf(versioning.config.versioning_configuration).some((c) => c.status === "Enabled"),
    );
}

/** A bucket in us-east-1 replicated to one in eu-west-1, selecting SSE-KMS objects or not. */
function replicationExample(selectsSseKms: boolean) {
  const bucket = (provider: string, name: string) => ({ provider, bucket: name });
  const versioning = (provider: string, name: string) => ({
    provider,
    bucket: `\${aws_s3_bucket.${name}.id}`,
    versioning_configuration: { status: "Enabled" },
  });
  return stackJson(
    {
      resource: {
        aws_kms_key: { primary: { provider: "aws.us_east_1", enable_key_rotation: true, multi_region: true } },
        aws_kms_replica_key: { eu: { provider: "aws.eu_west_1", primary_key_arn: "${aws_kms_key.primary.arn}" } },
        aws_s3_bucket: {
          source: bucket("aws.us_east_1", "example-source"),
          destination: bucket("aws.eu_west_1", "example-destination"),
        },
        aws_s3_bucket_versioning: {
          source: versioning("aws.us_east_1", "source"),
          destination: versioning("aws.eu_west_1", "destination"),
        },
        aws_s3_bucket_replication_configuration: {
          source: {
            provider: "aws.us_east_1",
            bucket: "${aws_s3_bucket.source.id}",
            role: "${aws_iam_role.replication.arn}",
            rule: [
              {
                id: "everything",
                status: "Enabled",
                ...(selectsSseKms
                  ? { source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } } }
                  : {}),
                destination: {
                  bucket: "${aws_s3_bucket.destination.arn}",
                  encryption_configuration: { replica_kms_key_id: "${aws_kms_replica_key.eu.arn}" },
                },
              },
            ],
          },
        },
      },
    },
    ["us-east-1", "eu-west-1"],
  );
}

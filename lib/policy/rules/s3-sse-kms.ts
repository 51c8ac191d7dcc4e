import { type Json, listOf } from "../../json";
import { checkKeyOfRegion } from "../key-locations";
import type { Rule, RuleContext, Violation } from "../rule";
import { parseReference, type TerraformElement } from "../terraform-json";
import { stackJson } from "./examples";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** The `aws_s3_bucket` a bucket argument (`${aws_s3_bucket.logs.id}`, or the bucket's name) names. */
export function bucketNamed(value: unknown, { stack }: RuleContext): TerraformElement | undefined {
  const reference = parseReference(value);
  if (reference) {
    const element = stack.element(reference.address);
    return element?.type === "aws_s3_bucket" ? element : undefined;
  }
  return stack
    .resources("aws_s3_bucket")
    .find((bucket) => bucket.config.bucket !== undefined && bucket.config.bucket === value);
}

/**
 * MRK-S3-1: every S3 bucket encrypts by default with SSE-KMS under the key set's key of the
 * bucket's region. Checked on the bucket (is there default encryption at all?) and on its
 * `aws_s3_bucket_server_side_encryption_configuration` (which algorithm, which key).
 */
export const s3SseKmsRule: Rule = {
  id: "MRK-S3-1",
  level: "error",
  title: "S3 buckets use SSE-KMS with the key of their region",
  explanation:
    "Without default SSE-KMS, S3 encrypts with its own key (SSE-S3) and the key policy controls nothing. S3 treats a multi-region key as a regional key: a bucket must use the key set's key in the bucket's own region.",
  fix: 'declare aws_s3_bucket_server_side_encryption_configuration for the bucket with sse_algorithm = "aws:kms" and kms_master_key_id = the ARN of the key in the bucket\'s region (MultiRegionKey.inRegion(region).arn)',
  anchors: ["CKV_AWS_145", "AVD-AWS-0132", "SecurityHub S3.17"],
  appliesTo: ["aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"],
  examples: {
    compliant: bucketExample("${aws_kms_replica_key.eu.arn}"),
    nonCompliant: bucketExample("${aws_kms_key.primary.arn}"),
  },
  check(resource, context) {
    const { stack } = context;
    if (resource.type === "aws_s3_bucket") {
      const inline = listOf(resource.config.server_side_encryption_configuration);
      if (inline.length > 0)
        return checkRules(
          inline.flatMap((c) => listOf(c.rule)),
          stack.regionOf(resource),
          context,
        );
      const configured = stack
        .resources("aws_s3_bucket_server_side_encryption_configuration")
        .some((sse) => bucketNamed(sse.config.bucket, context)?.address === resource.address);
      return configured
        ? "compliant"
        : [{ message: "the bucket has no default encryption configuration, so S3 encrypts with SSE-S3, not the key" }];
    }
    const bucket = bucketNamed(resource.config.bucket, context);
    const region = stack.regionOf(bucket ?? resource);
    return checkRules(listOf(resource.config.rule), region, context);
  },
};

function checkRules(rules: Json[], region: string | undefined, { stack }: RuleContext): Violation[] {
  if (rules.length === 0) return [{ message: "the encryption configuration has no rule" }];
  return rules.flatMap((rule): Violation[] => {
    const defaults = listOf(rule.apply_server_side_encryption_by_default)[0];
    const algorithm = defaults?.sse_algorithm;
    if (typeof algorithm !== "string" || !KMS_ALGORITHMS.includes(algorithm)) {
      return [{ message: `sse_algorithm is ${JSON.stringify(algorithm ?? null)}, not "aws:kms"` }];
    }
    return checkKeyOfRegion(stack, defaults.kms_master_key_id, region, "kms_master_key_id");
  });
}

/** A bucket in eu-west-1 of a key set in us-east-1 and eu-west-1, encrypted with `key`. */
function bucketExample(key: string) {
  return stackJson(
    {
      resource: {
        aws_kms_key: { primary: { provider: "aws.us_east_1", enable_key_rotation: true, multi_region: true } },
        aws_kms_replica_key: { eu: { provider: "aws.eu_west_1", primary_key_arn: "${aws_kms_key.primary.arn}" } },
        aws_s3_bucket: { logs: { provider: "aws.eu_west_1", bucket: "example-logs" } },
        aws_s3_bucket_server_side_encryption_configuration: {
          logs: {
            provider: "aws.eu_west_1",
            bucket: "${aws_s3_bucket.logs.id}",
            rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key } }],
          },
        },
      },
    },
    ["us-east-1", "eu-west-1"],
  );
}

import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { s3SseKmsRule } from "../../../lib/policy/rules/s3-sse-kms";
import { findingIds, keySet, PRIMARY, REPLICA, report } from "../fixtures";
import { bucket, describeRule } from "./cases";

const cases = {
  compliant: () => {
    const fixture = keySet();
    bucket(fixture, "logs", REPLICA);
    return fixture.stack;
  },
  nonCompliant: () => {
    const fixture = keySet();
    bucket(fixture, "logs", REPLICA, fixture.key.inRegion(PRIMARY).arn);
    return fixture.stack;
  },
  address: "aws_s3_bucket_server_side_encryption_configuration.logs_encryption",
};

describeRule(s3SseKmsRule, cases);

describe("MRK-S3-1 S3 default encryption", () => {
  test("reports a bucket without default encryption", () => {
    const fixture = keySet();
    new S3Bucket(fixture.stack, "plain", { provider: fixture.providers.forRegion(REPLICA), bucket: "plain" });
    expect(findingIds(fixture.stack)).toEqual(["MRK-S3-1 @ aws_s3_bucket.plain"]);
  });

  test("reports SSE-S3 and the AWS managed key", () => {
    const fixture = keySet();
    bucket(fixture, "sse_s3", REPLICA, undefined, "AES256");
    bucket(fixture, "managed", REPLICA, "alias/aws/s3");
    expect(report(fixture.stack).findings.map((f) => `${f.address}: ${f.message}`)).toEqual([
      'aws_s3_bucket_server_side_encryption_configuration.sse_s3_encryption: sse_algorithm is "AES256", not "aws:kms"',
      "aws_s3_bucket_server_side_encryption_configuration.managed_encryption: kms_master_key_id is the AWS managed key alias/aws/s3",
    ]);
  });

  test("says which key the bucket's region has", () => {
    const finding = report(cases.nonCompliant()).findings[0];
    expect(finding.message).toBe(
      "kms_master_key_id is aws_kms_key.primary, the key of us-east-1, but the resource is in eu-west-1",
    );
    expect(finding.fix).toBe("use the key of eu-west-1 (${aws_kms_replica_key.eu.arn})");
  });

  test("checks an inline server_side_encryption_configuration on the bucket", () => {
    const fixture = keySet();
    const b = new S3Bucket(fixture.stack, "legacy", {
      provider: fixture.providers.forRegion(PRIMARY),
      bucket: "legacy",
    });
    b.addOverride("server_side_encryption_configuration", {
      rule: {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: fixture.key.inRegion(REPLICA).arn,
        },
      },
    });
    expect(fixture.stack).toFailPolicyRule("MRK-S3-1", "aws_s3_bucket.legacy");
  });
});

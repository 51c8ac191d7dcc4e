import { s3ReplicationRule } from "../../../lib/policy/rules/s3-replication";
import { findingIds, PRIMARY, REPLICA, report } from "../fixtures";
import { describeRule, type ReplicationChanges, replication } from "./cases";

describeRule(s3ReplicationRule, {
  compliant: () => replication(),
  nonCompliant: () => replication({ sseKmsObjects: null }),
  address: "aws_s3_bucket_replication_configuration.replication",
});

describe("MRK-S3-2 replication of SSE-KMS objects", () => {
  test("is the only finding when SSE-KMS objects are not selected", () => {
    expect(findingIds(replication({ sseKmsObjects: "Disabled" }))).toEqual([
      "MRK-S3-2 @ aws_s3_bucket_replication_configuration.replication",
    ]);
  });

  test.each<[string, ReplicationChanges, RegExp]>([
    [
      "the source region's key",
      { replicaKey: (f) => f.key.inRegion(PRIMARY).arn },
      /is aws_kms_key\.primary, the key of us-east-1, but the resource is in eu-west-1/,
    ],
    ["a key id instead of an ARN", { replicaKey: (f) => f.key.inRegion(REPLICA).keyId }, /not a full key ARN/],
    ["no destination key", { replicaKey: () => undefined }, /replica_kms_key_id is not set/],
    [
      "a destination without versioning",
      { destinationVersioning: false },
      /aws_s3_bucket\.destination has no versioning/,
    ],
  ])("reports %s", (_, changes, message) => {
    const messages = report(replication(changes)).findings.map((f) => f.message);
    expect(messages).toEqual([expect.stringMatching(message)]);
  });
});

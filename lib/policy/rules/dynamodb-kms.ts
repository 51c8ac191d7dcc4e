import { listOf } from "../../json";
import { checkKeyOfRegion } from "../key-locations";
import type { Rule, Violation } from "../rule";
import { asBoolean } from "../terraform-json";
import { stackJson } from "./examples";

/**
 * MRK-DDB-1: DynamoDB tables, and each replica of a global table, encrypt with the key set's
 * key of their own region.
 */
export const dynamoDbKmsRule: Rule = {
  id: "MRK-DDB-1",
  level: "error",
  title: "DynamoDB tables and each replica use the key of their region",
  explanation:
    "Without server_side_encryption { enabled = true, kms_key_arn }, DynamoDB encrypts with an AWS owned or AWS managed key that no key policy of ours controls. A global table needs a customer managed key in each replica's region: replica { region_name, kms_key_arn } with the key set's key of that region.",
  fix: "set server_side_encryption { enabled = true, kms_key_arn = <the key of the table's region> } and, for each replica, kms_key_arn = <the key of region_name> (MultiRegionKey.inRegion(region).arn)",
  anchors: ["CKV_AWS_119", "CKV_AWS_271", "AVD-AWS-0025"],
  appliesTo: ["aws_dynamodb_table", "aws_dynamodb_table_replica"],
  examples: {
    compliant: tableExample("${aws_kms_replica_key.eu.arn}"),
    nonCompliant: tableExample("${aws_kms_key.primary.arn}"),
  },
  check(resource, { stack }) {
    const region = stack.regionOf(resource);
    if (resource.type === "aws_dynamodb_table_replica") {
      return checkKeyOfRegion(stack, resource.config.kms_key_arn, region, "kms_key_arn");
    }
    const found: Violation[] = [];
    const encryption = listOf(resource.config.server_side_encryption)[0];
    if (asBoolean(encryption?.enabled) !== true) {
      found.push({ message: "server_side_encryption is not enabled, so the table uses an AWS owned key" });
    } else {
      found.push(...checkKeyOfRegion(stack, encryption.kms_key_arn, region, "server_side_encryption.kms_key_arn"));
    }
    for (const replica of listOf(resource.config.replica)) {
      const replicaRegion = typeof replica.region_name === "string" ? replica.region_name : undefined;
      found.push(
        ...checkKeyOfRegion(stack, replica.kms_key_arn, replicaRegion, `replica ${replicaRegion ?? "?"} kms_key_arn`),
      );
    }
    return found;
  },
};

/** A global table in us-east-1 with a replica in eu-west-1 whose key is `replicaKey`. */
function tableExample(replicaKey: string) {
  return stackJson(
    {
      resource: {
        aws_kms_key: { primary: { provider: "aws.us_east_1", enable_key_rotation: true, multi_region: true } },
        aws_kms_replica_key: { eu: { provider: "aws.eu_west_1", primary_key_arn: "${aws_kms_key.primary.arn}" } },
        aws_dynamodb_table: {
          orders: {
            provider: "aws.us_east_1",
            name: "orders",
            hash_key: "id",
            attribute: [{ name: "id", type: "S" }],
            stream_enabled: true,
            stream_view_type: "NEW_AND_OLD_IMAGES",
            server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.primary.arn}" },
            replica: [{ region_name: "eu-west-1", kms_key_arn: replicaKey }],
          },
        },
      },
    },
    ["us-east-1", "eu-west-1"],
  );
}

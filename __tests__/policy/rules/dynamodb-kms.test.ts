import { DynamodbTableReplicaA } from "@cdktf/provider-aws/lib/dynamodb-table-replica";
import { dynamoDbKmsRule } from "../../../lib/policy/rules/dynamodb-kms";
import { findingIds, keySet, PRIMARY, REPLICA, report } from "../fixtures";
import { describeRule, type TableChanges, table } from "./cases";

describeRule(dynamoDbKmsRule, {
  compliant: () => table(),
  nonCompliant: () => table({ replicaKey: (fixture) => fixture.key.inRegion(PRIMARY).arn }),
  address: "aws_dynamodb_table.orders",
});

describe("MRK-DDB-1 DynamoDB encryption", () => {
  test.each<[string, TableChanges, RegExp]>([
    ["a table with an AWS owned key", { encryption: "none" }, /server_side_encryption is not enabled/],
    [
      "a table with the AWS managed key",
      { encryption: "aws-managed" },
      /server_side_encryption\.kms_key_arn is not set/,
    ],
    [
      "a table with another region's key",
      { tableKey: (f) => f.key.inRegion(REPLICA).arn },
      /is aws_kms_replica_key\.eu, the key of eu-west-1, but the resource is in us-east-1/,
    ],
    ["a replica without a key", { replicaKey: () => undefined }, /replica eu-west-1 kms_key_arn is not set/],
  ])("reports %s", (_, changes, message) => {
    expect(report(table(changes)).findings.map((f) => f.message)).toEqual([expect.stringMatching(message)]);
  });

  test("checks aws_dynamodb_table_replica against its own region", () => {
    const fixture = keySet();
    new DynamodbTableReplicaA(fixture.stack, "orders_eu", {
      provider: fixture.providers.forRegion(REPLICA),
      globalTableArn: "arn:aws:dynamodb:us-east-1:111111111111:table/orders",
      kmsKeyArn: fixture.key.inRegion(PRIMARY).arn,
    });
    expect(findingIds(fixture.stack)).toEqual(["MRK-DDB-1 @ aws_dynamodb_table_replica.orders_eu"]);
  });
});

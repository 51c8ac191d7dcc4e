import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest"; // the types of cdktf's matchers, as cdktf init writes it
import "multi-region-kms-keys/jest"; // the types of the rule pack's matchers
import { OrdersData } from "../lib/orders-data";

const stack = new OrdersData(Testing.app(), "orders-data");
const synthesized = Testing.synth(stack);

describe("the orders data", () => {
  test("passes the rule pack", () => {
    expect(stack).toPassPolicyRules();
  });

  test("replicates the source bucket's objects, re-encrypted with the key of the destination's region", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketReplicationConfigurationA, {
      rule: [
        expect.objectContaining({
          destination: expect.objectContaining({
            encryption_configuration: { replica_kms_key_id: "${aws_kms_replica_key.eu_west_1.arn}" },
          }),
        }),
      ],
    });
  });

  test("encrypts each replica of the table with the key of its region", () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      replica: [
        expect.objectContaining({ region_name: "eu-west-1", kms_key_arn: "${aws_kms_replica_key.eu_west_1.arn}" }),
        expect.objectContaining({
          region_name: "ap-southeast-1",
          kms_key_arn: "${aws_kms_replica_key.ap_southeast_1.arn}",
        }),
      ],
    });
  });

  // #region service-access
  test("lets EventBridge use the key in every region, for the encrypted topics", () => {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"]) {
      expect(stack).toAllow("events.amazonaws.com", "kms:GenerateDataKey", region, {
        context: { "aws:SourceAccount": "111111111111" },
      });
    }
  });
  // #endregion service-access
});

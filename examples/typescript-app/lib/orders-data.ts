import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { GlobalTable, KeyMonitoring, MultiRegionKey, RegionProviders, ReplicatedBuckets } from "multi-region-kms-keys";
import { ACCOUNT_ID } from "./payments-keys";

/**
 * The orders team's data, encrypted with its own multi-region key in every region: S3 buckets
 * replicated from us-east-1 to eu-west-1, a DynamoDB global table in three regions, and the
 * key's monitoring (alarms, EventBridge rules and an SNS topic in each region, a dashboard).
 */
export class OrdersData extends TerraformStack {
  readonly key: MultiRegionKey;
  readonly buckets: ReplicatedBuckets;
  readonly table: GlobalTable;
  readonly monitoring: KeyMonitoring;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const providers = new RegionProviders(this, "providers", {
      regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
    });
    this.key = new MultiRegionKey(this, "orders", {
      providers,
      accountId: ACCOUNT_ID,
      primaryRegion: "us-east-1",
      aliasName: "alias/orders",
      description: "Orders data key",
      replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-1" }],
      keyPolicy: {
        administrators: { principals: [`arn:aws:iam::${ACCOUNT_ID}:role/KeyAdministrator`] },
      },
    });

    // #region buckets
    // Each bucket is encrypted with the key of its own region; S3 re-encrypts every replicated
    // object with the key of the destination's region.
    this.buckets = new ReplicatedBuckets(this, "buckets", {
      key: this.key,
      providers,
      source: { bucketName: "orders-documents-east", region: "us-east-1" },
      destinations: [{ bucketName: "orders-documents-west", region: "eu-west-1" }],
    });
    // #endregion buckets

    // #region table
    // The table and each replica are encrypted with the key of their region.
    this.table = new GlobalTable(this, "table", {
      key: this.key,
      providers,
      tableName: "orders",
      region: "us-east-1",
      replicaRegions: ["eu-west-1", "ap-southeast-1"],
      hashKey: { name: "orderId" },
    });
    // #endregion table

    // #region monitoring
    // A request alarm, EventBridge rules and an SNS topic in every region of the key, and a
    // dashboard; the key policies let EventBridge and CloudWatch publish to the encrypted topics.
    this.monitoring = new KeyMonitoring(this, "monitoring", {
      key: this.key,
      providers,
      accountId: ACCOUNT_ID,
      namePrefix: "orders",
    });
    // #endregion monitoring
  }
}

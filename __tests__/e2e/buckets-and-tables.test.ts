/**
 * End to end on the emulator: the global-data example (examples/config-file-app/keys/global-data.json)
 * applied with Terraform from the HCL of `npm run synth`, then used through the AWS SDK as an
 * application would: an object into the replicated source bucket and back, an item into the
 * global table and back; its outputs name what was made. A second plan must show no change.
 *
 * What the emulator (moto, patched by scripts/emulator/moto_launcher.py) does and does not do
 * here, so that every assertion means what it says:
 * - S3 stores the replication configuration (patch 6 returns it whole, so it does not drift)
 *   but moto never copies objects to the destination: the test checks the rule S3 holds, not a
 *   replicated copy.
 * - DynamoDB global-table replicas (patch 7) are real tables in their regions, encrypted with
 *   the key the `replica` block names, ACTIVE at once (on AWS they are CREATING for minutes and
 *   Terraform waits), and they share one item store with the table, so an item is readable in
 *   every region immediately (AWS replicates within about a second).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  GetBucketEncryptionCommand,
  GetBucketReplicationCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { synthHcl } from "../../lib/cli/synth";
import { describeKeyInRegions } from "../../lib/key-set-client";
import { terraform } from "../../lib/terraform";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { EXAMPLE_CONFIGS_DIR } from "../helpers";

const CONFIG = join(EXAMPLE_CONFIGS_DIR, "global-data.json");
const ALIAS = "alias/global-data";
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-1"];
const SOURCE = { bucket: "my-global-bucket-east", region: "us-east-1" };
const DESTINATION = { bucket: "my-global-bucket-west", region: "eu-west-1" };
const TABLE = "global-sessions";

let emulator: Emulator;
let work: string;
let hclDir: string;
/** The ARN of the key set's key in each region, as KMS reports it. */
let keyArn: Record<string, string>;

// Path-style addressing: the emulator is one host, not a host per bucket.
const s3 = (region: string) => new S3Client({ region, forcePathStyle: true });
const dynamodb = (region: string) => new DynamoDBClient({ region });

beforeAll(async () => {
  emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  // The AWS SDK reads its endpoint and credentials from the environment, as users' code does.
  Object.assign(process.env, emulator.env);
  work = mkdtempSync(join(tmpdir(), "mrk-e2e-data-"));
});

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the global-data stack on the emulator", () => {
  test("terraform apply creates the key set, the replicated buckets and the global table", async () => {
    [hclDir] = synthHcl([CONFIG], join(work, "cdktf.out"));
    terraform(["init", "-no-color"], { cwd: hclDir, env: emulator.env });
    const apply = terraform(["apply", "-auto-approve", "-no-color"], { cwd: hclDir, env: emulator.env });
    expect(apply.stdout).toMatch(/Apply complete! Resources: 19 added, 0 changed, 0 destroyed/);
    keyArn = Object.fromEntries((await describeKeyInRegions(ALIAS, REGIONS)).map((key) => [key.region, key.arn]));
  });

  test("puts an object into the source bucket and reads it back, encrypted by the us-east-1 key with a bucket key", async () => {
    const put = await s3(SOURCE.region).send(
      new PutObjectCommand({
        Bucket: SOURCE.bucket,
        Key: "sessions/report.txt",
        Body: "sensitive data for global application",
      }),
    );
    const got = await s3(SOURCE.region).send(
      new GetObjectCommand({ Bucket: SOURCE.bucket, Key: "sessions/report.txt" }),
    );
    expect({
      body: await got.Body!.transformToString(),
      versioned: typeof put.VersionId === "string" && put.VersionId !== "null",
      encryption: got.ServerSideEncryption,
      key: got.SSEKMSKeyId,
      bucketKey: got.BucketKeyEnabled,
    }).toEqual({
      body: "sensitive data for global application",
      versioned: true,
      encryption: "aws:kms",
      key: keyArn["us-east-1"],
      bucketKey: true,
    });
  });

  test("each bucket encrypts by default with the key of its own region", async () => {
    const keys = await Promise.all(
      [SOURCE, DESTINATION].map(async ({ bucket, region }) => {
        const { ServerSideEncryptionConfiguration: sse } = await s3(region).send(
          new GetBucketEncryptionCommand({ Bucket: bucket }),
        );
        return sse!.Rules![0].ApplyServerSideEncryptionByDefault!.KMSMasterKeyID;
      }),
    );
    expect(keys).toEqual([keyArn["us-east-1"], keyArn["eu-west-1"]]);
  });

  test("S3 holds the replication rule: SSE-KMS objects to the west bucket, re-encrypted with the eu-west-1 key", async () => {
    const { ReplicationConfiguration: replication } = await s3(SOURCE.region).send(
      new GetBucketReplicationCommand({ Bucket: SOURCE.bucket }),
    );
    expect(replication).toMatchObject({
      Role: `arn:aws:iam::${REFERENCE_ACCOUNT_ID}:role/my-global-bucket-east-replication`,
      Rules: [
        {
          ID: "CrossRegionReplication",
          Status: "Enabled",
          SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } },
          Destination: {
            Bucket: `arn:aws:s3:::${DESTINATION.bucket}`,
            EncryptionConfiguration: { ReplicaKmsKeyID: keyArn["eu-west-1"] },
          },
        },
      ],
    });
  });

  test("writes an item into the global table in us-east-1 and reads it back there and in each replica region", async () => {
    const item = { session_id: { S: "session-42" }, user: { S: "alice" } };
    await dynamodb("us-east-1").send(new PutItemCommand({ TableName: TABLE, Item: item }));
    const read = await Promise.all(
      REGIONS.map(async (region) => {
        const { Item } = await dynamodb(region).send(
          new GetItemCommand({ TableName: TABLE, Key: { session_id: { S: "session-42" } }, ConsistentRead: true }),
        );
        return Item;
      }),
    );
    expect(read).toEqual([item, item, item]);
  });

  test("the table lists its replicas ACTIVE with their region's key, and each region's table is encrypted with its own key", async () => {
    const described = await Promise.all(
      REGIONS.map(
        async (region) => (await dynamodb(region).send(new DescribeTableCommand({ TableName: TABLE }))).Table!,
      ),
    );
    const replicas = Object.fromEntries(
      (described[0].Replicas ?? []).map(({ RegionName, ReplicaStatus, KMSMasterKeyId }) => [
        RegionName,
        { ReplicaStatus, KMSMasterKeyId },
      ]),
    );
    expect(replicas).toEqual({
      "eu-west-1": { ReplicaStatus: "ACTIVE", KMSMasterKeyId: keyArn["eu-west-1"] },
      "ap-southeast-1": { ReplicaStatus: "ACTIVE", KMSMasterKeyId: keyArn["ap-southeast-1"] },
    });
    expect(described.map((table) => [table.SSEDescription?.SSEType, table.SSEDescription?.KMSMasterKeyArn])).toEqual(
      REGIONS.map((region) => ["KMS", keyArn[region]]),
    );
    expect(described.map((table) => table.StreamSpecification)).toEqual(
      REGIONS.map(() => ({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" })),
    );
    expect(described[0].DeletionProtectionEnabled).toBe(true);
  });

  test("point-in-time recovery is on for the table in every region", async () => {
    const statuses = await Promise.all(
      REGIONS.map(async (region) => {
        const backups = await dynamodb(region).send(new DescribeContinuousBackupsCommand({ TableName: TABLE }));
        return backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
      }),
    );
    expect(statuses).toEqual(["ENABLED", "ENABLED", "ENABLED"]);
  });

  test("terraform output gives the keys', buckets', role's and tables' ARNs by region, as the services name them", async () => {
    const output = JSON.parse(terraform(["output", "-json", "-no-color"], { cwd: hclDir, env: emulator.env }).stdout);
    const value = (name: string) => output[name]?.value;
    const tableArns = Object.fromEntries(
      await Promise.all(
        REGIONS.map(async (region) => [
          region,
          (await dynamodb(region).send(new DescribeTableCommand({ TableName: TABLE }))).Table!.TableArn,
        ]),
      ),
    );
    expect({
      keys: value("key_arns"),
      buckets: value("my_global_bucket_east_bucket_arns"),
      role: value("my_global_bucket_east_replication_role_arn"),
      table: value("global_sessions_table_arn"),
      replicas: value("global_sessions_replica_arns"),
    }).toEqual({
      keys: keyArn,
      buckets: {
        [SOURCE.region]: `arn:aws:s3:::${SOURCE.bucket}`,
        [DESTINATION.region]: `arn:aws:s3:::${DESTINATION.bucket}`,
      },
      role: `arn:aws:iam::${REFERENCE_ACCOUNT_ID}:role/${SOURCE.bucket}-replication`,
      table: tableArns["us-east-1"],
      replicas: { "eu-west-1": tableArns["eu-west-1"], "ap-southeast-1": tableArns["ap-southeast-1"] },
    });
  });

  test("a second terraform plan shows no change", () => {
    const plan = terraform(["plan", "-detailed-exitcode", "-no-color"], {
      cwd: hclDir,
      env: emulator.env,
      okStatuses: [0, 2],
    });
    expect(plan).toExitWith(0);
  });
});

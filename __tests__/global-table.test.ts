/**
 * DynamoDB global tables encrypted with the multi-region key: the reference document's "With
 * DynamoDB Global Tables", as the GlobalTable construct and as the `globalTables` section of a
 * stack config.
 */

import { join } from "node:path";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Testing } from "cdktf";
import { stackFromConfig } from "../lib/config-app";
import { GlobalTable, type GlobalTableProps } from "../lib/global-table";
import {
  defaultConfigObject,
  EXAMPLE_CONFIGS_DIR,
  stackFromFile,
  stackFromObject,
  stackWithReferenceKey,
  synthJson,
} from "./helpers";

type Props = Omit<GlobalTableProps, "key" | "providers">;

/** The document's table, replicated to the key's other two regions. */
const sessions: Props = {
  tableName: "global-sessions",
  region: "us-east-1",
  replicaRegions: ["eu-west-1", "ap-southeast-1"],
  hashKey: { name: "session_id", type: "S" },
};

/** The construct on a stack with the reference document's key (helpers.ts). */
function synthTable(props: Props) {
  const { stack, providers, key } = stackWithReferenceKey();
  const table = new GlobalTable(stack, "table", { key, providers, ...props });
  const synthesized = Testing.synth(stack);
  return { table, synthesized, json: JSON.parse(synthesized) };
}

function constructionError(props: Props): string {
  try {
    synthTable(props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the table was accepted");
}

describe("GlobalTable, the reference document's global-sessions", () => {
  const { synthesized, json } = synthTable(sessions);
  const table = json.resource.aws_dynamodb_table.global_sessions;

  test("declares aws_dynamodb_table.global_sessions with the provider of its region", () => {
    expect(Object.keys(json.resource.aws_dynamodb_table)).toEqual(["global_sessions"]);
    expect(table.provider).toBe("aws.us_east_1");
  });

  test("is the document's table: global-sessions, hash key session_id of type S, on demand", () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: "global-sessions",
      hash_key: "session_id",
      attribute: [{ name: "session_id", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
    });
    expect(table).not.toHaveProperty("range_key");
  });

  test("encrypts the table with the full ARN of the key in its own region", () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.primary.arn}" },
    });
  });

  test("has one replica per replica region, each encrypted with the key of its region", () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      replica: [
        { region_name: "eu-west-1", kms_key_arn: "${aws_kms_replica_key.eu.arn}", point_in_time_recovery: true },
        { region_name: "ap-southeast-1", kms_key_arn: "${aws_kms_replica_key.apac.arn}", point_in_time_recovery: true },
      ],
    });
  });

  test("turns streams on with new and old images, which global tables replicate through", () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      stream_enabled: true,
      stream_view_type: "NEW_AND_OLD_IMAGES",
    });
  });

  test("turns point-in-time recovery on for the table and every replica", () => {
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.replica.map((replica: { point_in_time_recovery: boolean }) => replica.point_in_time_recovery)).toEqual(
      [true, true],
    );
  });

  test("turns deletion protection on", () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, { deletion_protection_enabled: true });
  });

  test("outputs the table's ARN and each replica's ARN by region, as the provider reports it, named after the table", () => {
    expect({
      table: json.output.global_sessions_table_arn,
      replicas: json.output.global_sessions_replica_arns,
    }).toEqual({
      table: {
        description: "The ARN of global-sessions in us-east-1",
        value: "${aws_dynamodb_table.global_sessions.arn}",
      },
      replicas: {
        description: "The ARN of each replica of global-sessions, by region",
        value:
          "${{ for key, val in toset(tolist(aws_dynamodb_table.global_sessions.replica)): val.region_name => val.arn }}",
      },
    });
  });
});

describe("GlobalTable options", () => {
  test("encrypts a table declared in a replica region with that region's key, and its replica in the primary region with the primary", () => {
    const { json } = synthTable({ ...sessions, region: "eu-west-1", replicaRegions: ["us-east-1"] });
    const table = json.resource.aws_dynamodb_table.global_sessions;
    expect([table.provider, table.server_side_encryption.kms_key_arn, table.replica]).toEqual([
      "aws.eu_west_1",
      "${aws_kms_replica_key.eu.arn}",
      [{ region_name: "us-east-1", kms_key_arn: "${aws_kms_key.primary.arn}", point_in_time_recovery: true }],
    ]);
  });

  test("adds a sort key and its attribute definition", () => {
    const { json } = synthTable({ ...sessions, rangeKey: { name: "created_at", type: "N" } });
    const table = json.resource.aws_dynamodb_table.global_sessions;
    expect([table.range_key, table.attribute]).toEqual([
      "created_at",
      [
        { name: "session_id", type: "S" },
        { name: "created_at", type: "N" },
      ],
    ]);
  });

  test("gives a key attribute the string type unless told otherwise", () => {
    const { json } = synthTable({ ...sessions, hashKey: { name: "id" } });
    expect(json.resource.aws_dynamodb_table.global_sessions.attribute).toEqual([{ name: "id", type: "S" }]);
  });

  test("turns deletion protection off when asked", () => {
    const { json } = synthTable({ ...sessions, deletionProtection: false });
    expect(json.resource.aws_dynamodb_table.global_sessions.deletion_protection_enabled).toBe(false);
  });

  test.each<[string, Partial<Props>, string]>([
    ["its own address name", { name: "sessions" }, "sessions"],
    ["a name in lower case with _ for other characters", { tableName: "Global.Sessions-v2" }, "global_sessions_v2"],
    ["table_ before a name that does not start with a letter", { tableName: "2024_sessions" }, "table_2024_sessions"],
  ])("takes %s as its address", (_, change, address) => {
    const { json } = synthTable({ ...sessions, ...change });
    expect(Object.keys(json.resource.aws_dynamodb_table)).toEqual([address]);
  });
});

describe("GlobalTable refuses", () => {
  test.each<[string, Partial<Props>, string]>([
    [
      "a replica in a region without a key",
      { replicaRegions: ["eu-west-1", "us-west-2"] },
      'GlobalTable replicaRegions[1]: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    ],
    [
      "a table in a region without a key",
      { region: "us-west-2" },
      'GlobalTable region: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    ],
    [
      "a replica in the table's own region",
      { replicaRegions: ["us-east-1"] },
      'GlobalTable replicaRegions[0]: "us-east-1" is the table\'s own region; a replica must be in another region',
    ],
    [
      "two replicas in one region",
      { replicaRegions: ["eu-west-1", "eu-west-1"] },
      'GlobalTable replicaRegions[1]: "eu-west-1" appears twice; a global table has one replica per region',
    ],
    ["no replica", { replicaRegions: [] }, "GlobalTable replicaRegions: [] must name at least one replica region"],
    [
      "an unknown region",
      { replicaRegions: ["eu-west-9"] },
      'GlobalTable replicaRegions[0]: "eu-west-9" is not an AWS region the AWS provider 5.100.0 knows (for example us-east-1, eu-west-1, ap-southeast-1)',
    ],
    [
      "a table name DynamoDB does not allow",
      { tableName: "global sessions" },
      'GlobalTable tableName: "global sessions" must be 3 to 255 letters, digits, "_", "-" or "." (a DynamoDB table name)',
    ],
    [
      "a sort key with the partition key's name",
      { rangeKey: { name: "session_id" } },
      'GlobalTable rangeKey.name: "session_id" is the partition key\'s name; the sort key needs another attribute',
    ],
    [
      "a key type DynamoDB does not have",
      { hashKey: { name: "session_id", type: "BOOL" as "S" } },
      'GlobalTable hashKey.type: "BOOL" must be one of "S", "N", "B"',
    ],
  ])("%s", (_, change, message) => {
    expect(constructionError({ ...sessions, ...change })).toBe(message);
  });
});

describe("the globalTables section of a stack config", () => {
  const withTables = (globalTables: unknown) => ({ ...defaultConfigObject(), name: "with-tables", globalTables });
  const errorFor = (globalTables: unknown): string => {
    try {
      stackFromConfig(Testing.app(), withTables(globalTables), "test.json");
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("the config was accepted");
  };
  const table = { tableName: "global-sessions", replicaRegions: ["eu-west-1"], hashKey: { name: "session_id" } };

  test("is empty by default: the default stack declares no table", () => {
    expect(stackFromFile().globalTables).toEqual([]);
    expect(synthJson(stackFromFile()).resource).not.toHaveProperty("aws_dynamodb_table");
  });

  test("gives each table outputs of its own, named after its address", () => {
    const other = {
      tableName: "orders",
      region: "eu-west-1",
      replicaRegions: ["ap-southeast-1"],
      hashKey: { name: "order_id" },
    };
    const json = synthJson(stackFromObject(withTables([table, other])));
    expect(
      Object.keys(json.output)
        .filter((name) => name.includes("arn") && !name.startsWith("key_") && !name.startsWith("alias_"))
        .sort(),
    ).toEqual(["global_sessions_replica_arns", "global_sessions_table_arn", "orders_replica_arns", "orders_table_arn"]);
    expect(json.output.orders_table_arn.value).toBe("${aws_dynamodb_table.orders.arn}");
  });

  test("puts a table in the primary region unless it names one", () => {
    const json = synthJson(stackFromObject(withTables([table])));
    expect(json.resource.aws_dynamodb_table.global_sessions).toMatchObject({
      provider: "aws.us_east_1",
      server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.primary.arn}" },
      replica: [{ region_name: "eu-west-1", kms_key_arn: "${aws_kms_replica_key.eu.arn}" }],
      deletion_protection_enabled: true,
    });
  });

  test.each<[string, unknown, string]>([
    [
      "a replica in a region without a key",
      [{ ...table, replicaRegions: ["eu-west-1", "us-west-2"] }],
      'test.json: globalTables[0].replicaRegions[1]: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    ],
    [
      "a replica in the primary region when the table is there by default",
      [{ ...table, replicaRegions: ["us-east-1"] }],
      'test.json: globalTables[0].replicaRegions[0]: "us-east-1" is the table\'s own region; a replica must be in another region',
    ],
    [
      "no replica",
      [{ ...table, replicaRegions: [] }],
      "test.json: globalTables[0].replicaRegions: [] must name at least one replica region",
    ],
    [
      "a missing hash key",
      [{ tableName: "global-sessions", replicaRegions: ["eu-west-1"] }],
      "test.json: globalTables[0].hashKey: is required (object)",
    ],
    [
      "a provisioned billing mode (not a field: global tables here are on demand)",
      [{ ...table, billingMode: "PROVISIONED" }],
      'test.json: globalTables[0]: has unknown field "billingMode"',
    ],
    [
      "one table name twice",
      [table, { ...table, region: "eu-west-1", replicaRegions: ["ap-southeast-1"] }],
      'test.json: globalTables[1].tableName: "global-sessions" is the name of another table; each table is declared once',
    ],
  ])("refuses %s, naming the config field", (_, globalTables, message) => {
    expect(errorFor(globalTables)).toBe(message);
  });
});

describe("the global-data example (stacks/global-data.json)", () => {
  const json = synthJson(stackFromFile(join(EXAMPLE_CONFIGS_DIR, "global-data.json")));

  test("declares the document's global-sessions table in us-east-1, replicated to eu-west-1 and ap-southeast-1", () => {
    const table = json.resource.aws_dynamodb_table.global_sessions;
    expect({
      provider: table.provider,
      name: table.name,
      hash_key: table.hash_key,
      replicas: (table.replica as { region_name: string; kms_key_arn: string }[]).map((replica) => [
        replica.region_name,
        replica.kms_key_arn,
      ]),
    }).toEqual({
      provider: "aws.us_east_1",
      name: "global-sessions",
      hash_key: "session_id",
      replicas: [
        ["eu-west-1", "${aws_kms_replica_key.eu.arn}"],
        ["ap-southeast-1", "${aws_kms_replica_key.apac.arn}"],
      ],
    });
  });
});

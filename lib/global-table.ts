import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { TerraformIterator, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { KeySet } from "./key-set";
import type { RegionProviders } from "./region-providers";
import { tableAddressName } from "./resource-names";
import {
  addressNameSchema,
  awsRegionSchema,
  checkProp,
  dynamoDbAttributeNameSchema,
  dynamoDbKeyTypeSchema,
  dynamoDbTableNameSchema,
  formatPath,
  formatValue,
  ProblemList,
} from "./validation";

/** A key attribute of the table: its name and DynamoDB type. */
export interface TableKeyAttribute {
  /** The attribute's name. */
  readonly name: string;
  /**
   * `S` (string), `N` (number) or `B` (binary).
   * @default "S"
   */
  readonly type?: "S" | "N" | "B";
}

export interface GlobalTableProps {
  /** The multi-region key that encrypts the table and each replica, with the key of its own region. */
  readonly key: KeySet;
  /** The AWS providers of the stack (the key's); the table is declared with its region's. */
  readonly providers: RegionProviders;
  /** The table's name in DynamoDB, the same in every region, e.g. `global-sessions`. */
  readonly tableName: string;
  /** The region the table is declared in; the key must have a key there. */
  readonly region: string;
  /** The regions of the table's replicas: at least one, each holding a key of the key set, none the table's own. */
  readonly replicaRegions: readonly string[];
  /** The partition (hash) key. */
  readonly hashKey: TableKeyAttribute;
  /**
   * The sort (range) key.
   * @default no sort key
   */
  readonly rangeKey?: TableKeyAttribute;
  /**
   * The name in the table's Terraform address: `aws_dynamodb_table.<name>`.
   * @default the table name in lower case with every other character than a-z, 0-9 as "_" (`global_sessions`), after `table_` if it does not start with a letter
   */
  readonly name?: string;
  /**
   * Whether DynamoDB refuses to delete the table (in the table's region; the AWS provider 5.x
   * cannot set it on replicas).
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * A DynamoDB global table (version 2019.11.21) encrypted with a multi-region key, the reference
 * document's "With DynamoDB Global Tables" done completely: `aws_dynamodb_table.<name>`, on
 * demand (PAY_PER_REQUEST), encrypted with the key of its own region (by full ARN), with one
 * `replica` block per replica region encrypted with the key set's key in that region (a global
 * table with a customer managed key needs a key in each replica's region). Streams are on with
 * `NEW_AND_OLD_IMAGES` (replication between regions runs on them), point-in-time recovery is on
 * for the table and every replica, and deletion protection is on.
 *
 * Terraform outputs, named after the table's address name so that several tables in one stack
 * keep theirs apart: `<name>_table_arn` (the table in its own region) and `<name>_replica_arns`
 * (each replica's ARN by its region, as the AWS provider reports it in the `replica` blocks).
 */
export class GlobalTable extends Construct {
  readonly table: DynamodbTable;
  /** The name in the table's address. */
  readonly name: string;
  /** The ARN of the key of each region of the table, the table's own region first (tokens). */
  readonly keyArns: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: GlobalTableProps) {
    super(scope, id);
    validate(props);
    const deletionProtection = props.deletionProtection ?? true;
    this.name = tableAddressName(props);
    const keyArns = new Map<string, string>();
    for (const region of [props.region, ...props.replicaRegions]) keyArns.set(region, props.key.inRegion(region).arn);
    this.keyArns = keyArns;

    const keys = [props.hashKey, ...(props.rangeKey ? [props.rangeKey] : [])];
    this.table = new DynamodbTable(this, "table", {
      provider: props.providers.forRegion(props.region),
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.hashKey.name,
      rangeKey: props.rangeKey?.name,
      attribute: keys.map((key) => ({ name: key.name, type: key.type ?? "S" })),
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: deletionProtection,
      serverSideEncryption: { enabled: true, kmsKeyArn: keyArns.get(props.region) },
      replica: props.replicaRegions.map((region) => ({
        regionName: region,
        kmsKeyArn: keyArns.get(region),
        pointInTimeRecovery: true,
      })),
    });
    this.table.overrideLogicalId(this.name);

    // `replica` is a set of blocks: a for expression reads each one's region and ARN.
    const replicas = TerraformIterator.fromList(this.table.replica);
    const outputs: Array<[string, string, unknown]> = [
      ["table_arn", `The ARN of ${props.tableName} in ${props.region}`, this.table.arn],
      [
        "replica_arns",
        `The ARN of each replica of ${props.tableName}, by region`,
        replicas.forExpressionForMap("val.region_name", "val.arn"),
      ],
    ];
    for (const [name, description, value] of outputs) {
      new TerraformOutput(this, name, { description, value }).overrideLogicalId(`${this.name}_${name}`);
    }
  }
}

/** One problem with a table's regions: where it is (relative to the props), the value and why. */
export interface TableProblem {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly message: string;
}

/**
 * The rules that tie a table to the key: its region and each replica's in a region of the key,
 * replicas in other regions than the table's and one per region, and a sort key with another
 * name than the partition key.
 */
function globalTableProblems(
  keyRegions: readonly string[],
  aliasName: string,
  props: Pick<GlobalTableProps, "region" | "replicaRegions" | "hashKey" | "rangeKey">,
): TableProblem[] {
  const problems: TableProblem[] = [];
  const noKey = `holds no key of ${aliasName}; its regions are ${keyRegions.join(", ")}`;
  if (!keyRegions.includes(props.region)) problems.push({ path: ["region"], value: props.region, message: noKey });
  const seen = new Set<string>();
  props.replicaRegions.forEach((region, index) => {
    const path = ["replicaRegions", index];
    if (!keyRegions.includes(region)) {
      problems.push({ path, value: region, message: noKey });
    } else if (region === props.region) {
      problems.push({ path, value: region, message: "is the table's own region; a replica must be in another region" });
    } else if (seen.has(region)) {
      problems.push({ path, value: region, message: "appears twice; a global table has one replica per region" });
    }
    seen.add(region);
  });
  if (props.rangeKey && props.rangeKey.name === props.hashKey.name) {
    problems.push({
      path: ["rangeKey", "name"],
      value: props.rangeKey.name,
      message: "is the partition key's name; the sort key needs another attribute",
    });
  }
  return problems;
}

/** Checks the props and reports every problem at once, one line each. */
function validate(props: GlobalTableProps): void {
  const problems = new ProblemList();
  const check = (schema: Parameters<typeof checkProp>[0], value: unknown, path: string) =>
    problems.check(() => checkProp(schema, value, `GlobalTable ${path}`));
  check(dynamoDbTableNameSchema, props.tableName, "tableName");
  check(addressNameSchema, props.name, "name");
  let regionsKnown = check(awsRegionSchema, props.region, "region");
  for (const [i, region] of props.replicaRegions.entries()) {
    regionsKnown = check(awsRegionSchema, region, `replicaRegions[${i}]`) && regionsKnown;
  }
  for (const [at, key] of [
    ["hashKey", props.hashKey],
    ["rangeKey", props.rangeKey],
  ] as const) {
    if (!key) continue;
    check(dynamoDbAttributeNameSchema, key.name, `${at}.name`);
    check(dynamoDbKeyTypeSchema, key.type, `${at}.type`);
  }
  if (props.replicaRegions.length === 0)
    problems.add("GlobalTable replicaRegions: [] must name at least one replica region");
  if (regionsKnown) {
    for (const problem of globalTableProblems(props.key.regions, props.key.aliasName, props)) {
      problems.add(`GlobalTable ${formatPath(problem.path)}: ${formatValue(problem.value)} ${problem.message}`);
    }
  }
  problems.throwIfAny();
}

/**
 * The names a key set's S3 buckets and DynamoDB tables get where the config leaves them out: the
 * name in their Terraform addresses, and the replication role's name in IAM.
 *
 * They live apart from the constructs because the config checks them (lib/config.ts) on every
 * synth, while the constructs, with the AWS provider bindings they import, load only when a
 * config uses them (lib/key-set-stack.ts).
 */
import type { GlobalTableProps } from "./global-table";
import type { ReplicatedBucketProps } from "./replicated-buckets";

/** The name in a bucket's addresses: its own, else the bucket name with "-" and "." as "_". */
export function bucketAddressName(bucket: Pick<ReplicatedBucketProps, "bucketName" | "name">): string {
  if (bucket.name !== undefined) return bucket.name;
  const name = bucket.bucketName.replace(/[.-]/g, "_");
  return /^[a-z]/.test(name) ? name : `bucket_${name}`;
}

/** The replication role's name unless one is given: `<source bucket>-replication`. */
export function defaultReplicationRoleName(sourceBucketName: string): string {
  return `${sourceBucketName}-replication`;
}

/** The name in a table's address: its own, else the table name as a Terraform name. */
export function tableAddressName(table: Pick<GlobalTableProps, "tableName" | "name">): string {
  if (table.name !== undefined) return table.name;
  const name = table.tableName.toLowerCase().replace(/[^a-z0-9]/g, "_");
  return /^[a-z]/.test(name) ? name : `table_${name}`;
}

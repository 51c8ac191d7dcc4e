/**
 * The AWS regions this project can place a key in, and the names derived from them.
 *
 * The list is what the AWS provider pinned by this project (5.100.0) accepts: the provider
 * rejects any other name at `terraform plan` ("invalid AWS Region"), so we reject it at synth
 * time instead. `npm run check:regions` checks this list against the provider.
 */

/** An AWS partition: multi-region keys replicate only within one. */
export type AwsPartition = "aws" | "aws-cn" | "aws-us-gov";

const REGIONS_BY_PARTITION: Record<AwsPartition, readonly string[]> = {
  aws: [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
};

const PARTITION_OF_REGION: ReadonlyMap<string, AwsPartition> = new Map(
  (Object.keys(REGIONS_BY_PARTITION) as AwsPartition[]).flatMap((partition) =>
    REGIONS_BY_PARTITION[partition].map((region) => [region, partition] as const),
  ),
);

/** Every commercial AWS region (partition `aws`), in alphabetical order. */
export const COMMERCIAL_REGIONS: readonly string[] = REGIONS_BY_PARTITION.aws;

/** Every region of every partition this project knows. */
export const ALL_REGIONS: readonly string[] = [...PARTITION_OF_REGION.keys()];

/** Whether `region` is an AWS region name the pinned AWS provider accepts. */
export function isAwsRegion(region: string): boolean {
  return PARTITION_OF_REGION.has(region);
}

/** The partition a region belongs to; throws for an unknown region. */
export function partitionOf(region: string): AwsPartition {
  const partition = PARTITION_OF_REGION.get(region);
  if (!partition) {
    throw new Error(`"${region}" is not an AWS region (${describeKnownRegions()})`);
  }
  return partition;
}

/** The Terraform provider alias of a region: `us-east-1` becomes `us_east_1`. */
export function providerAlias(region: string): string {
  return region.replace(/-/g, "_");
}

/** A short hint for error messages about unknown regions. */
export function describeKnownRegions(): string {
  return `known regions: ${ALL_REGIONS.join(", ")}`;
}

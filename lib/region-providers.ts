import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { providerAlias } from "./regions";
import { awsRegionSchema, checkProp, InvalidInputError } from "./validation";

export interface RegionProvidersProps {
  /**
   * The regions to configure, each once. The first one is usually the primary key's region.
   */
  readonly regions: readonly string[];
}

/**
 * One aliased AWS provider per region, the way the reference document writes them:
 * `provider "aws" { alias = "us_east_1", region = "us-east-1" }`, used as `aws.us_east_1`.
 *
 * Every construct of a stack that places resources in a region takes its provider from here,
 * so a region has exactly one provider block whatever uses it.
 */
export class RegionProviders extends Construct {
  private readonly providers = new Map<string, AwsProvider>();

  constructor(scope: Construct, id: string, props: RegionProvidersProps) {
    super(scope, id);
    props.regions.forEach((region, index) => {
      checkProp(awsRegionSchema, region, `RegionProviders regions[${index}]`);
      if (this.providers.has(region)) {
        throw new InvalidInputError(`RegionProviders regions[${index}]: "${region}" appears twice`);
      }
      const alias = providerAlias(region);
      this.providers.set(region, new AwsProvider(this, alias, { alias, region }));
    });
  }

  /** The regions that have a provider, in the order they were given. */
  get regions(): string[] {
    return [...this.providers.keys()];
  }

  /** The provider of a region; throws if the region was not configured. */
  forRegion(region: string): AwsProvider {
    const provider = this.providers.get(region);
    if (!provider) {
      throw new InvalidInputError(
        `region: "${region}" has no AWS provider here; configured regions: ${this.regions.join(", ")}`,
      );
    }
    return provider;
  }
}

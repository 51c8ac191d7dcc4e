import { DataAwsKmsKey } from "@cdktf/provider-aws/lib/data-aws-kms-key";
import { Construct } from "constructs";
import type { KeySet, RegionalKey } from "./key-set";
import type { RegionProviders } from "./region-providers";
import { providerAlias } from "./regions";
import { aliasNameSchema, awsRegionSchema, checkProp, InvalidInputError, within } from "./validation";

/** A key ARN as KMS writes it: `arn:<partition>:kms:<region>:<account>:key/<key id>`. */
const KEY_ARN = /^arn:aws(?:-cn|-us-gov)?:kms:([a-z0-9-]+):\d{12}:key\/([A-Za-z0-9-]+)$/;

export interface ExistingKeySetProps {
  /** The AWS providers of the stack; must cover every region of the set. */
  readonly providers: RegionProviders;
  /** The alias the set has in every region, e.g. `alias/global-encrypt`. */
  readonly aliasName: string;
  /** The regions of the set, the primary's first. */
  readonly regions: readonly string[];
  /**
   * The key's ARN in some or all regions. A region with an ARN is referred to by it, with no
   * look-up; the others are looked up by alias (`data "aws_kms_key"`), which needs read access
   * to the key at plan time.
   * @default every region looked up by alias
   */
  readonly keyArns?: Readonly<Record<string, string>>;
  /**
   * Put before the address of each look-up: `data.aws_kms_key.<addressPrefix><region>`.
   * @default "existing_"
   */
  readonly addressPrefix?: string;
}

/**
 * A multi-region key set declared elsewhere (another stack, another team's Terraform), for
 * buckets and tables to encrypt with. It declares nothing that Terraform manages: each region's
 * key is an ARN you give, or a `data "aws_kms_key"` looked up by the alias.
 */
export class ExistingKeySet extends Construct implements KeySet {
  readonly aliasName: string;
  readonly regions: readonly string[];
  private readonly keys = new Map<string, RegionalKey>();

  constructor(scope: Construct, id: string, props: ExistingKeySetProps) {
    super(scope, id);
    checkProp(aliasNameSchema, props.aliasName, "ExistingKeySet aliasName");
    if (props.regions.length === 0)
      throw new InvalidInputError("ExistingKeySet regions: [] must name the set's regions");
    for (const [i, region] of props.regions.entries())
      checkProp(awsRegionSchema, region, `ExistingKeySet regions[${i}]`);
    for (const [region, arn] of Object.entries(props.keyArns ?? {})) {
      const field = within("ExistingKeySet", `keyArns["${region}"]`);
      if (!props.regions.includes(region)) {
        throw new InvalidInputError(
          `${field}: "${region}" is not one of the set's regions (${props.regions.join(", ")})`,
        );
      }
      const match = KEY_ARN.exec(arn);
      if (!match || match[1] !== region) {
        throw new InvalidInputError(
          `${field}: ${JSON.stringify(arn)} must be the ARN of a KMS key in ${region}, like arn:aws:kms:${region}:111111111111:key/mrk-...`,
        );
      }
    }
    this.aliasName = props.aliasName;
    this.regions = [...props.regions];
    const prefix = props.addressPrefix ?? "existing_";
    for (const region of props.regions) {
      const name = providerAlias(region);
      const arn = props.keyArns?.[region];
      if (arn) {
        this.keys.set(region, { region, name, arn, keyId: KEY_ARN.exec(arn)![2] });
        continue;
      }
      const lookUp = new DataAwsKmsKey(this, name, {
        provider: props.providers.forRegion(region),
        keyId: props.aliasName,
      });
      lookUp.overrideLogicalId(`${prefix}${name}`);
      this.keys.set(region, { region, name, arn: lookUp.arn, keyId: lookUp.id });
    }
  }

  inRegion(region: string): RegionalKey {
    const key = this.keys.get(region);
    if (!key) {
      throw new InvalidInputError(
        `region: "${region}" holds no key of ${this.aliasName}; its regions are ${this.regions.join(", ")}`,
      );
    }
    return key;
  }
}

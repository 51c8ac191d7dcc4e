/**
 * A key set declared elsewhere, for buckets and tables to encrypt with: by ARN where known,
 * else looked up by alias in each region. Nothing is declared that Terraform would manage.
 */
import { TerraformStack, Testing } from "cdktf";
import { ExistingKeySet, type ExistingKeySetProps } from "../lib/existing-key-set";
import { GlobalTable } from "../lib/global-table";
import { RegionProviders } from "../lib/region-providers";

const EU_ARN = "arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab";

function build(props: Omit<ExistingKeySetProps, "providers">) {
  const stack = new TerraformStack(Testing.app(), "test");
  const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-1"] });
  const keySet = new ExistingKeySet(stack, "keys", { providers, ...props });
  return { stack, providers, keySet };
}

describe("ExistingKeySet", () => {
  test("refers to a region's key by its ARN, and looks up the others by alias", () => {
    const { stack, providers, keySet } = build({
      aliasName: "alias/global-encrypt",
      regions: ["us-east-1", "eu-west-1"],
      keyArns: { "eu-west-1": EU_ARN },
    });
    new GlobalTable(stack, "table", {
      key: keySet,
      providers,
      tableName: "global-sessions",
      region: "us-east-1",
      replicaRegions: ["eu-west-1"],
      hashKey: { name: "session_id", type: "S" },
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.data.aws_kms_key).toEqual({
      existing_us_east_1: { key_id: "alias/global-encrypt", provider: "aws.us_east_1" },
    });
    expect(json.resource.aws_kms_key).toBeUndefined();
    const table = json.resource.aws_dynamodb_table.global_sessions;
    expect(table.server_side_encryption.kms_key_arn).toBe("${data.aws_kms_key.existing_us_east_1.arn}");
    expect(table.replica).toEqual([{ kms_key_arn: EU_ARN, region_name: "eu-west-1", point_in_time_recovery: true }]);
    expect(keySet.inRegion("eu-west-1").keyId).toBe("mrk-1234abcd12ab34cd56ef1234567890ab");
  });

  test.each<[string, Omit<ExistingKeySetProps, "providers">, string]>([
    [
      "an ARN of another region",
      { aliasName: "alias/a", regions: ["us-east-1", "eu-west-1"], keyArns: { "us-east-1": EU_ARN } },
      `ExistingKeySet keyArns["us-east-1"]: "${EU_ARN}" must be the ARN of a KMS key in us-east-1`,
    ],
    [
      "an ARN for a region the set does not name",
      { aliasName: "alias/a", regions: ["us-east-1"], keyArns: { "eu-west-1": EU_ARN } },
      'ExistingKeySet keyArns["eu-west-1"]: "eu-west-1" is not one of the set\'s regions (us-east-1)',
    ],
    ["no regions", { aliasName: "alias/a", regions: [] }, "ExistingKeySet regions: [] must name the set's regions"],
  ])("refuses %s", (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test("refuses a region it has no key in, naming its regions", () => {
    const { keySet } = build({ aliasName: "alias/a", regions: ["us-east-1"] });
    expect(() => keySet.inRegion("eu-west-1")).toThrow(
      'region: "eu-west-1" holds no key of alias/a; its regions are us-east-1',
    );
  });
});

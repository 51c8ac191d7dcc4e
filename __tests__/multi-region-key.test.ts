/**
 * The MultiRegionKey construct as our users call it from TypeScript.
 */
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { commentOf } from "../lib/hcl/comments";
import { MultiRegionKey, type MultiRegionKeyProps } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";

type Props = Omit<MultiRegionKeyProps, "providers">;

const minimal: Props = {
  primaryRegion: "us-east-1",
  aliasName: "alias/orders",
  replicas: [{ region: "eu-west-1" }],
};

/** A stack holding one key; returns the key and the synthesized JSON. */
function synthKey(props: Props, regions: string[] = ["us-east-1", "eu-west-1", "ap-southeast-1", "us-west-2"]) {
  const stack = new TerraformStack(Testing.app(), "test");
  const providers = new RegionProviders(stack, "providers", { regions });
  const key = new MultiRegionKey(stack, "key", { providers, ...props });
  const synthesized = Testing.synth(stack);
  return { key, synthesized, json: JSON.parse(synthesized) };
}

function constructionError(props: Partial<Props>): string {
  try {
    synthKey({ ...minimal, ...props });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the key was accepted");
}

describe("MultiRegionKey", () => {
  test("creates a symmetric multi-region primary with rotation on, deletion protection and a key policy of its own by default", () => {
    const { json } = synthKey(minimal);
    expect(json.resource.aws_kms_key.primary).toEqual({
      provider: "aws.us_east_1",
      multi_region: true,
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
      policy: "${data.aws_iam_policy_document.key_policy.json}",
    });
  });

  test("names its replicas after their region unless given a name", () => {
    const { json } = synthKey({
      ...minimal,
      replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-1", name: "apac" }],
    });
    expect(Object.keys(json.resource.aws_kms_replica_key).sort()).toEqual(["apac", "eu_west_1"]);
    expect(Object.keys(json.resource.aws_kms_alias).sort()).toEqual(["apac", "eu_west_1", "primary"]);
  });

  test("writes the rotation period, deletion window and tags it is given to every key", () => {
    const { synthesized } = synthKey({
      ...minimal,
      rotationPeriodInDays: 180,
      deletionWindowInDays: 7,
      tags: { Team: "orders" },
      replicas: [{ region: "eu-west-1", tags: { DataResidency: "EU" } }],
    });
    expect(synthesized).toHaveResourceWithProperties(KmsKey, {
      rotation_period_in_days: 180,
      deletion_window_in_days: 7,
      tags: { Team: "orders" },
    });
    expect(synthesized).toHaveResourceWithProperties(KmsReplicaKey, {
      deletion_window_in_days: 7,
      tags: { Team: "orders", DataResidency: "EU" },
    });
  });

  test("turns rotation off when asked", () => {
    const { json } = synthKey({ ...minimal, enableKeyRotation: false });
    expect(json.resource.aws_kms_key.primary.enable_key_rotation).toBe(false);
  });

  test("gives a replica the primary's description unless it has its own", () => {
    const { json } = synthKey({
      ...minimal,
      description: "Orders key",
      replicas: [{ region: "eu-west-1" }, { region: "us-west-2", description: "Orders key - US West" }],
    });
    expect(json.resource.aws_kms_replica_key.eu_west_1.description).toBe("Orders key");
    expect(json.resource.aws_kms_replica_key.us_west_2.description).toBe("Orders key - US West");
  });

  test("can disable one replica", () => {
    const { json } = synthKey({ ...minimal, replicas: [{ region: "eu-west-1", enabled: false }] });
    expect(json.resource.aws_kms_replica_key.eu_west_1.enabled).toBe(false);
  });

  test("prefixes every address and output with addressPrefix", () => {
    const { json } = synthKey({ ...minimal, addressPrefix: "orders_" });
    expect(Object.keys(json.resource.aws_kms_key)).toEqual(["orders_primary"]);
    expect(Object.keys(json.resource.aws_kms_replica_key)).toEqual(["orders_eu_west_1"]);
    expect(Object.keys(json.output).sort()).toEqual([
      "orders_alias_arns",
      "orders_alias_name",
      "orders_key_arns",
      "orders_key_ids",
    ]);
    expect(Object.keys(json.data.aws_iam_policy_document)).toEqual(["orders_key_policy"]);
  });

  test("says what each key and key policy is in a comment line above its block in the HCL, after the alias when addresses are prefixed", () => {
    const commentsOf = (key: MultiRegionKey) => [
      commentOf(key.primaryKey),
      ...[...key.replicaKeys.values()].map(commentOf),
      ...[...new Set(key.keyPolicies.values())].map((keyPolicy) => commentOf(keyPolicy.document)),
    ];
    const props: Props = { ...minimal, replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-1" }] };
    const alone = synthKey(props).key;
    expect(commentsOf(alone)).toEqual([
      "Primary key in us-east-1",
      "Replica in eu-west-1",
      "Replica in ap-southeast-1",
      "Key policy",
    ]);
    const prefixed = synthKey({ ...props, addressPrefix: "orders_" }).key;
    expect(commentsOf(prefixed)).toEqual([
      "alias/orders: primary key in us-east-1",
      "alias/orders: replica in eu-west-1",
      "alias/orders: replica in ap-southeast-1",
      "alias/orders: key policy",
    ]);
    // A grant to one region gives it a key policy of its own, and the comments follow.
    const stack = new TerraformStack(Testing.app(), "test");
    const providers = new RegionProviders(stack, "providers", {
      regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
    });
    const split = new MultiRegionKey(stack, "key", { providers, ...props });
    split.addServiceGrant("eu-west-1", { principals: ["events.amazonaws.com"] });
    expect(commentsOf(split).slice(3)).toEqual(["Key policy", "Key policy of the replica in eu-west-1"]);
  });

  test("tells each region's key ARN and id", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-1"] });
    const key = new MultiRegionKey(stack, "key", { providers, ...minimal });
    new TerraformOutput(stack, "primary_arn", { value: key.inRegion("us-east-1").arn });
    new TerraformOutput(stack, "replica_id", { value: key.inRegion("eu-west-1").keyId });
    const outputs = JSON.parse(Testing.synth(stack)).output;
    expect(key.regions).toEqual(["us-east-1", "eu-west-1"]);
    expect(outputs.primary_arn.value).toBe("${aws_kms_key.primary.arn}");
    expect(outputs.replica_id.value).toBe("${aws_kms_replica_key.eu_west_1.key_id}");
    expect(() => key.inRegion("us-west-2")).toThrow(
      'region: "us-west-2" holds no key of alias/orders; its regions are us-east-1, eu-west-1',
    );
  });

  test.each<[string, Partial<Props>, string]>([
    ["no replicas", { replicas: [] }, "MultiRegionKey replicas: [] must name at least one replica region"],
    [
      "a replica in the primary's region",
      { replicas: [{ region: "us-east-1" }] },
      'MultiRegionKey replicas[0].region: "us-east-1" is the primary region; a replica must be in another region',
    ],
    [
      "two replicas in one region",
      { replicas: [{ region: "eu-west-1" }, { region: "eu-west-1", name: "eu2" }] },
      'MultiRegionKey replicas[1].region: "eu-west-1" appears twice; a key has one replica per region',
    ],
    [
      "an unknown replica region",
      { replicas: [{ region: "eu-west-7" }] },
      'MultiRegionKey replicas[0].region: "eu-west-7" is not an AWS region the AWS provider 5.100.0 knows (for example us-east-1, eu-west-1, ap-southeast-1)',
    ],
    [
      "a reserved alias",
      { aliasName: "alias/aws/s3" },
      'MultiRegionKey aliasName: "alias/aws/s3" is reserved: names under "alias/aws/" belong to AWS managed keys',
    ],
    [
      "a deletion window of 45 days",
      { deletionWindowInDays: 45 },
      "MultiRegionKey deletionWindowInDays: 45 must be from 7 to 30 days",
    ],
    [
      "a fractional rotation period",
      { rotationPeriodInDays: 100.5 },
      "MultiRegionKey rotationPeriodInDays: 100.5 must be a whole number of days",
    ],
    [
      "a replica name that is not a Terraform identifier",
      { replicas: [{ region: "eu-west-1", name: "EU-1" }] },
      'MultiRegionKey replicas[0].name: "EU-1" must start with a lower-case letter and contain only a-z, 0-9 and "_" (it becomes a Terraform address)',
    ],
  ])("refuses %s", (_, props, message) => {
    expect(constructionError(props)).toBe(message);
  });

  test("refuses a region that has no provider in the stack", () => {
    expect(() => synthKey(minimal, ["us-east-1"])).toThrow(
      'region: "eu-west-1" has no AWS provider here; configured regions: us-east-1',
    );
  });
});

describe("RegionProviders", () => {
  test("refuses an unknown region and a region given twice", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => new RegionProviders(stack, "a", { regions: ["us-east-1", "moon-1"] })).toThrow(
      'RegionProviders regions[1]: "moon-1" is not an AWS region',
    );
    expect(() => new RegionProviders(stack, "b", { regions: ["us-east-1", "us-east-1"] })).toThrow(
      'RegionProviders regions[1]: "us-east-1" appears twice',
    );
  });
});

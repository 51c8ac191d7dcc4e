/**
 * Every config in stacks/ becomes a stack of this repository's app (the reference document's);
 * configs choose their backend. The examples' configs are examples/config-file-app/keys.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { App, TerraformOutput, Testing } from "cdktf";
import { buildStacks, configFilesIn } from "../lib/config-app";
import { DEFAULT_CONFIG, stackConfigPaths } from "../stacks/app";
import { defaultConfigObject, EXAMPLE_CONFIGS_DIR, stackFromFile, stackFromObject, synthJson } from "./helpers";

describe("the app", () => {
  test("builds the default config, and only it, without MRK_CONFIG", () => {
    expect(stackConfigPaths({})).toEqual([DEFAULT_CONFIG]);
  });

  test("builds only the config MRK_CONFIG names", () => {
    expect(stackConfigPaths({ MRK_CONFIG: "/somewhere/mine.json" })).toEqual(["/somewhere/mine.json"]);
  });

  test("refuses two configs with one stack name", () => {
    expect(() => buildStacks(Testing.app(), [DEFAULT_CONFIG, DEFAULT_CONFIG])).toThrow(
      'name: "global-encrypt" is already the name of another config\'s stack',
    );
  });

  test("names each stack after its config", () => {
    const paths = [DEFAULT_CONFIG, ...configFilesIn(EXAMPLE_CONFIGS_DIR)];
    const stacks = buildStacks(new App({ outdir: Testing.app().outdir }), paths);
    expect(stacks.map((stack) => stack.node.id)).toEqual([
      "global-encrypt",
      "five-regions",
      "global-data",
      "monitored",
      "platform-keys",
    ]);
  });
});

describe("the five-regions example", () => {
  const stack = stackFromFile(join(EXAMPLE_CONFIGS_DIR, "five-regions.json"));
  const synthesized = Testing.synth(stack);
  const json = synthJson(stack);

  test("has a provider, a key and an alias in each of its five regions", () => {
    const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"];
    expect(json.provider.aws.map((p) => p.region)).toEqual(regions);
    expect(Object.keys(json.output.key_arns.value as Record<string, string>).sort()).toEqual([...regions].sort());
    expect(Object.values(json.resource.aws_kms_alias).map((a) => a.name)).toEqual(Array(5).fill("alias/payments"));
  });

  test("gives every replica a key policy: its own document where it differs, else the one it shares", () => {
    const policies = Object.fromEntries(
      Object.entries(json.resource.aws_kms_replica_key).map(([name, replica]) => [name, replica.policy]),
    );
    expect(policies).toEqual({
      us_west_2: "${data.aws_iam_policy_document.key_policy.json}",
      eu_west_1: "${data.aws_iam_policy_document.eu_west_1_key_policy.json}",
      eu_central_1: "${data.aws_iam_policy_document.eu_west_1_key_policy.json}",
      ap_southeast_1: "${data.aws_iam_policy_document.key_policy.json}",
    });
    expect(Object.keys(json.resource.aws_kms_replica_key).sort()).toEqual([
      "ap_southeast_1",
      "eu_central_1",
      "eu_west_1",
      "us_west_2",
    ]);
  });

  test("sets the rotation period and deletion window it names", () => {
    expect(json.resource.aws_kms_key.primary).toMatchObject({
      rotation_period_in_days: 180,
      deletion_window_in_days: 30,
      tags: { Purpose: "GlobalEncryption", Team: "payments" },
    });
  });

  test("adds a replica's tags to the key's", () => {
    expect(synthesized).toHaveResourceWithProperties(KmsReplicaKey, {
      tags: { Purpose: "GlobalEncryption", Team: "payments", DataResidency: "EU" },
    });
  });
});

describe("backends", () => {
  const withBackend = (backend: unknown) => synthJson(stackFromObject({ ...defaultConfigObject(), backend })).terraform;

  test("default to local state with a relative path", () => {
    const config = defaultConfigObject();
    delete config.backend;
    expect(synthJson(stackFromObject(config)).terraform.backend).toEqual({
      local: { path: "../../../terraform.global-encrypt.tfstate" },
    });
  });

  test("can be S3 with an S3 lock file", () => {
    expect(withBackend({ type: "s3", bucket: "acme-tfstate", region: "us-east-1" }).backend).toEqual({
      s3: {
        bucket: "acme-tfstate",
        key: "global-encrypt/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("can be S3 locked with a DynamoDB table", () => {
    const { backend } = withBackend({
      type: "s3",
      bucket: "acme-tfstate",
      region: "us-east-1",
      dynamodbTable: "tf-locks",
    });
    expect(backend).toHaveProperty("s3.dynamodb_table", "tf-locks");
    expect(backend).not.toHaveProperty("s3.use_lockfile");
  });

  test("can be HCP Terraform, one workspace per stack by default", () => {
    expect(withBackend({ type: "cloud", organization: "acme" }).cloud).toEqual({
      organization: "acme",
      workspaces: { name: "global-encrypt" },
    });
  });

  test("never write an absolute path", () => {
    for (const backend of [{ type: "local" }, { type: "s3", bucket: "b-b-b", region: "eu-west-1" }]) {
      expect(JSON.stringify(withBackend(backend))).not.toMatch(/"\/(?!\/)/);
    }
  });
});

describe("a stack's Terraform JSON", () => {
  const synthesized = () => {
    const app = new App({ outdir: Testing.app().outdir });
    const [stack] = buildStacks(app, [DEFAULT_CONFIG], { report: () => undefined });
    app.synth();
    const written = JSON.parse(readFileSync(join(app.outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8"));
    return { stack, written };
  };

  test("is written as the rule pack checked it, which is the stack's JSON", () => {
    const { stack, written } = synthesized();
    expect(written).toEqual(stack.toTerraform());
  });

  test("after the synth, is the stack as it is now", () => {
    const { stack } = synthesized();
    new TerraformOutput(stack, "added-after-synth", { value: "later" });
    expect(stack.toTerraform()).toHaveProperty("output.added-after-synth.value", "later");
  });
});

/**
 * A key set refers to its own resources' attributes with the strings cdktf's attribute tokens
 * resolve to, and still hands other constructs cdktf's tokens.
 */
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { App, TerraformIterator, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { attributeReference } from "../lib/attribute-references";
import type { KeySetStack } from "../lib/key-set-stack";
import { defaultConfigObject, stackFromObject, synthJson } from "./helpers";

/** The value of each output of a stack, by name. */
function outputValues(stack: TerraformStack): Record<string, unknown> {
  const { output } = JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: unknown }> };
  return Object.fromEntries(Object.entries(output).map(([name, { value }]) => [name, value]));
}

/** A stack with a key and a bucket that `prepare` may change, and two outputs: tokens and attributeReference. */
function bothWays(prepare: (key: KmsKey, bucket: S3Bucket) => void = () => {}) {
  const stack = new TerraformStack(Testing.app(), "references");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const key = new KmsKey(stack, "key");
  const bucket = new S3Bucket(stack, "bucket", {});
  prepare(key, bucket);
  new TerraformOutput(stack, "tokens", { value: { key: key.arn, bucket: bucket.bucketDomainName } });
  new TerraformOutput(stack, "strings", {
    value: { key: attributeReference(key, "arn"), bucket: attributeReference(bucket, "bucket_domain_name") },
  });
  return outputValues(stack);
}

describe("attributeReference", () => {
  test("is what cdktf's attribute token resolves to in the resource's stack", () => {
    const { tokens, strings } = bothWays();
    expect(strings).toEqual({ key: "${aws_kms_key.key.arn}", bucket: "${aws_s3_bucket.bucket.bucket_domain_name}" });
    expect(strings).toEqual(tokens);
  });

  test("names a resource by its overridden logical id, as the token does", () => {
    const { tokens, strings } = bothWays((key) => key.overrideLogicalId("renamed"));
    expect(strings).toEqual({
      key: "${aws_kms_key.renamed.arn}",
      bucket: "${aws_s3_bucket.bucket.bucket_domain_name}",
    });
    expect(strings).toEqual(tokens);
  });

  test("is cdktf's token for a resource with for_each", () => {
    const { tokens, strings } = bothWays((_, bucket) => {
      bucket.forEach = TerraformIterator.fromList(["a", "b"]);
    });
    expect(strings).toEqual(tokens);
    expect((strings as Record<string, string>).bucket).toContain("aws_s3_bucket.bucket.*.bucket_domain_name");
  });
});

describe("a key set's own references", () => {
  const stack: KeySetStack = stackFromObject(defaultConfigObject());
  const json = synthJson(stack) as unknown as {
    output: Record<string, { value: Record<string, string> }>;
    resource: { aws_kms_alias: Record<string, { target_key_id: string }> };
  };
  const [primary, ...replicas] = stack.key.regionalKeys;

  test("its outputs map each region to its key's ARN and key id and its alias's ARN", () => {
    const address = (key: typeof primary) =>
      `${key === primary ? "aws_kms_key" : "aws_kms_replica_key"}.${key.resource.friendlyUniqueId}`;
    for (const key of [primary, ...replicas]) {
      expect(json.output.key_arns.value[key.region]).toBe(`\${${address(key)}.arn}`);
      expect(json.output.key_ids.value[key.region]).toBe(`\${${address(key)}.key_id}`);
      expect(json.output.alias_arns.value[key.region]).toBe(`\${aws_kms_alias.${key.alias.friendlyUniqueId}.arn}`);
    }
    expect(Object.keys(json.output.key_arns.value).sort()).toEqual([...stack.key.regions].sort());
  });

  test("each alias targets its region's key", () => {
    for (const key of replicas) {
      expect(json.resource.aws_kms_alias[key.alias.friendlyUniqueId].target_key_id).toBe(
        `\${aws_kms_replica_key.${key.resource.friendlyUniqueId}.key_id}`,
      );
    }
  });
});

describe("a regional key's ARN and key id", () => {
  test("are cdktf's tokens, one per key however often they are read", () => {
    const key = stackFromObject(defaultConfigObject()).key.regionalKeys[1];
    // cdktf makes a new token for each read of `resource.arn`: two reads would differ.
    expect(key.arn).toBe(key.arn);
    expect(key.keyId).toBe(key.keyId);
    expect(key.arn).toMatch(/TfToken/);
  });

  test("used in another stack, become a cross-stack reference", () => {
    const app = new App({ outdir: Testing.app().outdir });
    const keySet: KeySetStack = stackFromObject(defaultConfigObject(), app);
    const other = new TerraformStack(app, "application");
    new AwsProvider(other, "aws", { region: "eu-west-1" });
    new TerraformOutput(other, "key", { value: keySet.key.inRegion("eu-west-1").arn });
    app.synth();
    const otherJson = JSON.parse(Testing.synth(other)) as { data?: Record<string, unknown> };
    expect(Object.keys(otherJson.data ?? {})).toContain("terraform_remote_state");
    expect(Object.keys(synthJson(keySet).output ?? {}).some((name) => name.startsWith("cross-stack-output-"))).toBe(
      true,
    );
  });
});

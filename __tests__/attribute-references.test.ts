/**
 * A map of attribute references written by one token says what cdktf's attribute tokens say.
 */
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { TerraformIterator, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { attributeReferenceMap } from "../lib/attribute-references";
import type { KeySetStack } from "../lib/key-set-stack";
import { defaultConfigObject, stackFromObject } from "./helpers";

/** Two outputs of one stack: one from attribute tokens, one from attributeReferenceMap. */
function bothOutputs(build: (stack: TerraformStack) => { key: KmsKey; bucket: S3Bucket }) {
  const stack = new TerraformStack(Testing.app(), "references");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const { key, bucket } = build(stack);
  new TerraformOutput(stack, "tokens", { value: { key: key.arn, bucket: bucket.bucketDomainName } });
  new TerraformOutput(stack, "map", {
    value: attributeReferenceMap(() => [
      ["key", key, "arn"],
      ["bucket", bucket, "bucket_domain_name"],
    ]),
  });
  return { stack, key };
}

/** The value of each output of a stack, by name. */
function outputValues(stack: TerraformStack): Record<string, unknown> {
  const { output } = JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: unknown }> };
  return Object.fromEntries(Object.entries(output).map(([name, { value }]) => [name, value]));
}

function outputsOf(stack: TerraformStack) {
  const { tokens, map } = outputValues(stack);
  return { tokens, map };
}

describe("attributeReferenceMap", () => {
  test("resolves to the references cdktf's attribute tokens resolve to", () => {
    const { stack } = bothOutputs((scope) => ({
      key: new KmsKey(scope, "key"),
      bucket: new S3Bucket(scope, "bucket"),
    }));
    const { tokens, map } = outputsOf(stack);
    expect(map).toEqual({ key: "${aws_kms_key.key.arn}", bucket: "${aws_s3_bucket.bucket.bucket_domain_name}" });
    expect(map).toEqual(tokens);
  });

  test("names a resource by its overridden logical id, as the tokens do", () => {
    const { stack } = bothOutputs((scope) => {
      const key = new KmsKey(scope, "key");
      key.overrideLogicalId("renamed");
      return { key, bucket: new S3Bucket(scope, "bucket") };
    });
    const { tokens, map } = outputsOf(stack);
    expect(map).toEqual({ key: "${aws_kms_key.renamed.arn}", bucket: "${aws_s3_bucket.bucket.bucket_domain_name}" });
    expect(map).toEqual(tokens);
  });

  test("refers to a resource with for_each as cdktf does", () => {
    const { stack } = bothOutputs((scope) => ({
      key: new KmsKey(scope, "key"),
      bucket: new S3Bucket(scope, "bucket", { forEach: TerraformIterator.fromList(["a", "b"]) }),
    }));
    const { tokens, map } = outputsOf(stack);
    expect(map).toEqual(tokens);
    expect((map as Record<string, string>).bucket).toContain("aws_s3_bucket.bucket.*.bucket_domain_name");
  });
});

describe("a key set's outputs", () => {
  test("map each region to its key's ARN and key id and its alias's ARN", () => {
    const stack: KeySetStack = stackFromObject(defaultConfigObject());
    const output = outputValues(stack) as Record<string, Record<string, string>>;
    const [primary, ...replicas] = stack.key.regionalKeys;
    expect(output.key_arns[primary.region]).toBe(`\${aws_kms_key.${primary.resource.friendlyUniqueId}.arn}`);
    for (const replica of replicas) {
      const name = replica.resource.friendlyUniqueId;
      expect(output.key_arns[replica.region]).toBe(`\${aws_kms_replica_key.${name}.arn}`);
      expect(output.key_ids[replica.region]).toBe(`\${aws_kms_replica_key.${name}.key_id}`);
      expect(output.alias_arns[replica.region]).toBe(`\${aws_kms_alias.${replica.alias.friendlyUniqueId}.arn}`);
    }
    expect(Object.keys(output.key_arns).sort()).toEqual([...stack.key.regions].sort());
  });

  test("a regional key's ARN is the key's attribute, one token however often it is read", () => {
    const stack: KeySetStack = stackFromObject(defaultConfigObject());
    const replica = stack.key.regionalKeys[1];
    // cdktf makes a new token for each read of `resource.arn`: two reads would differ.
    expect(replica.arn).toBe(replica.arn);
    new TerraformOutput(stack, "read", { value: replica.arn });
    expect(outputValues(stack).read).toBe(`\${aws_kms_replica_key.${replica.resource.friendlyUniqueId}.arn}`);
  });
});

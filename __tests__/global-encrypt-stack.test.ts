/**
 * The default stack is the reference document's Terraform section, address for address and
 * argument for argument (stacks/global-encrypt.json).
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { SEED_KMS_ADDRESSES } from "./fixtures/seed";
import { stackFromFile, synthJson } from "./helpers";

const stack = stackFromFile();
const synthesized = Testing.synth(stack);
const json = synthJson(stack);

describe("the global-encrypt stack (the reference document's Terraform)", () => {
  test("declares exactly the reference document's KMS addresses, plus the application role", () => {
    const addresses = Object.entries(json.resource).flatMap(([type, byName]) =>
      Object.keys(byName as object).map((name) => `${type}.${name}`),
    );
    expect(addresses.sort()).toEqual(["aws_iam_role.application", ...SEED_KMS_ADDRESSES]);
    expect(Object.keys(json.data.aws_iam_policy_document).sort()).toEqual([
      "application_assume_role",
      "eu_key_policy",
      "key_policy",
    ]);
  });

  test("has one aliased AWS provider per region", () => {
    for (const [alias, region] of [
      ["us_east_1", "us-east-1"],
      ["eu_west_1", "eu-west-1"],
      ["ap_southeast_1", "ap-southeast-1"],
    ]) {
      expect(synthesized).toHaveProviderWithProperties(AwsProvider, { alias, region });
    }
    expect(json.provider.aws).toHaveLength(3);
  });

  test("requires the AWS provider hashicorp/aws 5.100.0", () => {
    expect(json.terraform.required_providers).toHaveProperty("aws", { source: "hashicorp/aws", version: "5.100.0" });
  });

  test("keeps state in a local backend with a relative path", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.global-encrypt.tfstate" } });
  });

  test("creates the multi-region primary key in us-east-1 with rotation, the key policy and deletion protection", () => {
    expect(json.resource.aws_kms_key.primary).toEqual({
      provider: "aws.us_east_1",
      lifecycle: { prevent_destroy: true },
      description: "Multi-region key for global encryption",
      multi_region: true,
      enable_key_rotation: true,
      policy: "${data.aws_iam_policy_document.key_policy.json}",
    });
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { multi_region: true, enable_key_rotation: true });
  });

  test("leaves key usage, key spec and deletion window at KMS's defaults, as the document does", () => {
    const primary = json.resource.aws_kms_key.primary;
    expect(primary).not.toHaveProperty("key_usage");
    expect(primary).not.toHaveProperty("customer_master_key_spec");
    expect(primary).not.toHaveProperty("deletion_window_in_days");
  });

  test.each([
    ["eu", "aws.eu_west_1", "Global encryption key - EU replica"],
    ["apac", "aws.ap_southeast_1", "Global encryption key - APAC replica"],
  ])("replicates the primary as aws_kms_replica_key.%s", (name, provider, description) => {
    expect(json.resource.aws_kms_replica_key[name]).toMatchObject({
      provider,
      description,
      primary_key_arn: "${aws_kms_key.primary.arn}",
      enabled: true,
    });
    expect(synthesized).toHaveResourceWithProperties(KmsReplicaKey, { description, enabled: true });
  });

  test("gives the EU replica its own key policy and leaves the APAC replica KMS's default", () => {
    expect(json.resource.aws_kms_replica_key.eu.policy).toBe("${data.aws_iam_policy_document.eu_key_policy.json}");
    expect(json.resource.aws_kms_replica_key.apac).not.toHaveProperty("policy");
  });

  test.each([
    ["primary", "aws.us_east_1", "${aws_kms_key.primary.key_id}"],
    ["eu", "aws.eu_west_1", "${aws_kms_replica_key.eu.key_id}"],
    ["apac", "aws.ap_southeast_1", "${aws_kms_replica_key.apac.key_id}"],
  ])("names the key alias/global-encrypt in the region of aws_kms_alias.%s", (name, provider, target) => {
    expect(json.resource.aws_kms_alias[name]).toMatchObject({
      provider,
      name: "alias/global-encrypt",
      target_key_id: target,
    });
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, { name: "alias/global-encrypt", target_key_id: target });
  });

  test("builds the primary's key policy from the document's two statements", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      provider: "aws.us_east_1",
      statement: [
        {
          sid: "EnableRootAccountAccess",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "AllowApplicationAccess",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["${aws_iam_role.application.arn}"] }],
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
          resources: ["*"],
        },
      ],
    });
  });

  test("builds the EU replica's policy from the document's per-region policy", () => {
    expect(json.data.aws_iam_policy_document.eu_key_policy).toMatchObject({
      provider: "aws.eu_west_1",
      statement: [
        {
          sid: "EnableRootAccess",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "AllowEUTeam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/EUApplicationRole"] }],
          actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
          resources: ["*"],
        },
      ],
    });
  });

  test("declares the application role the key policy names", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, {
      name: "global-encrypt-application",
      provider: "aws.us_east_1",
      assume_role_policy: "${data.aws_iam_policy_document.application_assume_role.json}",
    });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
        },
      ],
    });
  });

  test("outputs the key's ARN and id in every region", () => {
    expect(json.output.key_arns.value).toEqual({
      "us-east-1": "${aws_kms_key.primary.arn}",
      "eu-west-1": "${aws_kms_replica_key.eu.arn}",
      "ap-southeast-1": "${aws_kms_replica_key.apac.arn}",
    });
    expect(json.output.key_ids.value).toEqual({
      "us-east-1": "${aws_kms_key.primary.key_id}",
      "eu-west-1": "${aws_kms_replica_key.eu.key_id}",
      "ap-southeast-1": "${aws_kms_replica_key.apac.key_id}",
    });
  });
});

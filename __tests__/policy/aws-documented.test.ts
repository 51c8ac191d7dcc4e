/**
 * The rule pack on AWS's own key policies: every default and example key policy AWS documents
 * (aws-documented/policies.ts, each with its source) passes every rule, errors and warnings,
 * on a multi-region primary and on its replica. Then the problems the published checks
 * (Checkov, Trivy, Security Hub, cdk-nag, IAM Access Analyzer) define, each found by its rule.
 */

import type { Json } from "../../lib/json";
import { checkTerraformJson, type PolicyCheckOptions } from "../../lib/policy/check";
import { DOCUMENTED_POLICIES } from "./aws-documented/policies";

/** A multi-region key in us-east-1 with a replica in eu-west-1, both with `policy`, and their aliases. */
function keySetWith(policy: object, key: Readonly<Record<string, unknown>> = {}): Json {
  const text = JSON.stringify(policy);
  const symmetric = key.key_spec === undefined;
  return {
    provider: {
      aws: [
        { alias: "us_east_1", region: "us-east-1" },
        { alias: "eu_west_1", region: "eu-west-1" },
      ],
    },
    resource: {
      aws_kms_key: {
        primary: {
          provider: "aws.us_east_1",
          multi_region: true,
          ...(symmetric ? { enable_key_rotation: true } : {}),
          ...key,
          policy: text,
        },
      },
      aws_kms_replica_key: {
        eu: { provider: "aws.eu_west_1", primary_key_arn: "${aws_kms_key.primary.arn}", policy: text },
      },
      aws_kms_alias: {
        primary: { provider: "aws.us_east_1", name: "alias/example", target_key_id: "${aws_kms_key.primary.key_id}" },
        eu: { provider: "aws.eu_west_1", name: "alias/example", target_key_id: "${aws_kms_replica_key.eu.key_id}" },
      },
    },
  };
}

const findings = (json: Json, options: PolicyCheckOptions = {}) =>
  checkTerraformJson(json, options).findings.map((f) => `[${f.rule.id}] ${f.address}: ${f.message}`);

describe("AWS's documented key policies", () => {
  test.each(DOCUMENTED_POLICIES.map((documented) => [documented.name, documented] as const))(
    "%s: no finding",
    (_, documented) => {
      expect(
        findings(keySetWith(documented.policy, documented.key), { trustedAccounts: documented.trustedAccounts }),
      ).toEqual([]);
    },
  );

  test("name their sources", () => {
    expect(
      DOCUMENTED_POLICIES.filter((d) => !/^https:\/\/docs\.aws\.amazon\.com\//.test(d.source)).map((d) => d.name),
    ).toEqual([]);
  });
});

/** A key with a literal JSON policy of the root statement and `statements`. */
const keyWithStatements = (...statements: object[]): Json => ({
  resource: {
    aws_kms_key: {
      k: {
        enable_key_rotation: true,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
            ...statements,
          ],
        }),
      },
    },
  },
});
const iamPolicy = (type: string, action: string): Json => ({
  resource: {
    [type]: {
      p: {
        name: "p",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: action, Resource: "*" }],
        }),
      },
    },
  },
});

describe("problems the published checks define", () => {
  test.each<[string, string, Json, string]>([
    [
      "CKV_AWS_7 / AVD-AWS-0065 / AwsSolutions-KMS5: rotation left out",
      "checkov KMSRotation.py, trivy auto_rotate_keys.rego, cdk-nag KMSBackingKeyRotationEnabled",
      { resource: { aws_kms_key: { k: {} } } },
      "MRK-KMS-1",
    ],
    [
      "SecurityHub KMS.4: rotation off",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4",
      { resource: { aws_kms_key: { k: { enable_key_rotation: false } } } },
      "MRK-KMS-1",
    ],
    [
      'CKV_AWS_33: Principal {"AWS": "*"} without a condition',
      "checkov KMSKeyWildcardPrincipal.py",
      keyWithStatements({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }),
      "MRK-KMS-2",
    ],
    [
      "SecurityHub KMS.5: a key anyone may use through a service",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-5",
      keyWithStatements({
        Effect: "Allow",
        Principal: "*",
        Action: "kms:Encrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      }),
      "MRK-KMS-2",
    ],
    [
      "CKV2_AWS_64: no key policy",
      "checkov KmsKeyPolicyIsDefined.yaml",
      { resource: { aws_kms_key: { k: { enable_key_rotation: true } } } },
      "MRK-KMS-3",
    ],
    [
      "CKV_AWS_227: a disabled key",
      "checkov KMSKeyIsEnabled.py",
      { resource: { aws_kms_key: { k: { is_enabled: false } } } },
      "MRK-KMS-4",
    ],
    [
      "Access Analyzer external access: another account in the key policy",
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html",
      keyWithStatements({
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::444455556666:role/Reader" },
        Action: "kms:Decrypt",
        Resource: "*",
      }),
      "MRK-KMS-12",
    ],
    [
      "Access Analyzer external access: a grant to another account",
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html",
      {
        resource: {
          ...(keyWithStatements().resource as Json),
          aws_kms_grant: {
            g: {
              key_id: "${aws_kms_key.k.key_id}",
              grantee_principal: "arn:aws:iam::444455556666:root",
              operations: ["Decrypt"],
            },
          },
        },
      },
      "MRK-KMS-12",
    ],
    [
      "KMS's lockout safety check: nobody may change the policy",
      "https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html",
      {
        resource: {
          aws_kms_key: {
            k: {
              enable_key_rotation: true,
              policy: JSON.stringify({
                Statement: [
                  {
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::111122223333:role/App" },
                    Action: "kms:Decrypt",
                    Resource: "*",
                  },
                ],
              }),
            },
          },
        },
      },
      "MRK-KMS-14",
    ],
    [
      "SecurityHub KMS.1: a customer managed policy decrypting with all keys",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-1",
      iamPolicy("aws_iam_policy", "kms:Decrypt"),
      "MRK-KMS-15",
    ],
    [
      "SecurityHub KMS.2: an inline policy re-encrypting from all keys",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-2",
      iamPolicy("aws_iam_role_policy", "kms:ReEncryptFrom"),
      "MRK-KMS-15",
    ],
  ])("%s", (_, source, json, ruleId) => {
    const ids = checkTerraformJson(json).findings.map((f) => f.rule.id);
    expect({ source, found: ids.includes(ruleId) }).toEqual({ source, found: true });
  });
});

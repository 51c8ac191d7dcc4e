import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { grantsRule } from "../../../lib/policy/rules/grants";
import { APP, keySet, PRIMARY } from "../fixtures";
import { describeRule, ruleFindings } from "./cases";

/** The key set with a grant on the primary for `grantee` of `operations`. */
function withGrant(
  grantee: string,
  operations: string[],
  constraints?: { encryptionContextEquals: Record<string, string> },
) {
  const fixture = keySet();
  new KmsGrant(fixture.stack, "application", {
    provider: fixture.providers.forRegion(PRIMARY),
    name: "application",
    keyId: fixture.key.primaryKey.keyId,
    granteePrincipal: grantee,
    operations,
    ...(constraints ? { constraints: [constraints] } : {}),
  });
  return fixture.stack;
}

describeRule(grantsRule, {
  compliant: () => withGrant(APP, ["Encrypt", "Decrypt"], { encryptionContextEquals: { Department: "Finance" } }),
  nonCompliant: () => withGrant(APP, ["Decrypt", "Sign"]),
  address: "aws_kms_grant.application",
});

/** A grant on key `k` (with these arguments) in a stack of that key alone. */
const grantOn = (keyConfig: object, grant: object) => ({
  resource: {
    aws_kms_key: { k: keyConfig },
    aws_kms_grant: {
      g: {
        key_id: "${aws_kms_key.k.key_id}",
        grantee_principal: "arn:aws:iam::111122223333:role/App",
        operations: ["Decrypt"],
        ...grant,
      },
    },
  },
});

describe("MRK-KMS-13 grants", () => {
  test("refuses a grantee or retiring principal KMS does not accept", () => {
    expect(
      ruleFindings(grantOn({}, { grantee_principal: "*", retiring_principal: "ec2.amazonaws.com" }), grantsRule),
    ).toEqual([
      'aws_kms_grant.g: grantee_principal is "*", which is not the ARN of an AWS principal (KMS refuses wildcards, service principals and groups)',
      'aws_kms_grant.g: retiring_principal is "ec2.amazonaws.com", which is not the ARN of an AWS principal (KMS refuses wildcards, service principals and groups)',
    ]);
    expect(
      ruleFindings(grantOn({}, { grantee_principal: "arn:aws:iam::111122223333:group/Admins" }), grantsRule).length,
    ).toBe(1);
  });

  test("accepts roles, users, accounts, sessions and the stack's own roles", () => {
    for (const grantee of [
      "arn:aws:iam::111122223333:role/App",
      "arn:aws:iam::111122223333:user/Alice",
      "111122223333",
      "arn:aws:sts::111122223333:assumed-role/App/session",
      "${aws_iam_role.app.arn}",
    ]) {
      expect(
        ruleFindings(
          grantOn({}, { grantee_principal: grantee, constraints: [{ encryption_context_equals: { a: "b" } }] }),
          grantsRule,
        ),
      ).toEqual([]);
    }
  });

  test("refuses operations the key does not support, and constraints on an asymmetric key", () => {
    expect(
      ruleFindings(
        grantOn(
          { key_spec: "RSA_2048", key_usage: "SIGN_VERIFY" },
          { operations: ["Sign", "Decrypt"], constraints: [{ encryption_context_equals: { a: "b" } }] },
        ),
        grantsRule,
      ),
    ).toEqual([
      "aws_kms_grant.g: the key is a SIGN_VERIFY key, which does not support Decrypt",
      "aws_kms_grant.g: the grant has encryption context constraints, which KMS accepts only on a symmetric encryption key",
    ]);
    expect(ruleFindings(grantOn({}, { operations: ["Decrypt", "Unwrap"] }), grantsRule)).toEqual([
      "aws_kms_grant.g: operations Unwrap is not a grant operation",
    ]);
  });

  test("follows a replica to its primary for the key's type", () => {
    const json = {
      resource: {
        aws_kms_key: { primary: { multi_region: true, key_spec: "HMAC_256", key_usage: "GENERATE_VERIFY_MAC" } },
        aws_kms_replica_key: { eu: { primary_key_arn: "${aws_kms_key.primary.arn}" } },
        aws_kms_grant: {
          g: {
            key_id: "${aws_kms_replica_key.eu.key_id}",
            grantee_principal: "arn:aws:iam::111122223333:role/App",
            operations: ["GenerateMac", "Encrypt"],
          },
        },
      },
    };
    expect(ruleFindings(json, grantsRule)).toEqual([
      "aws_kms_grant.g: the key is a GENERATE_VERIFY_MAC key, which does not support Encrypt",
    ]);
  });

  test("asks for constraints and refuses CreateGrant only with strict", () => {
    const json = grantOn({}, { operations: ["Decrypt", "CreateGrant"] });
    expect(ruleFindings(json, grantsRule)).toEqual([]);
    expect(ruleFindings(json, grantsRule, { strict: true })).toEqual([
      "aws_kms_grant.g: the grant allows cryptographic operations under any encryption context (no constraints block)",
      "aws_kms_grant.g: the grant lets its grantee create further grants (CreateGrant)",
    ]);
  });
});

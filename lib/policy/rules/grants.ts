import { listOf } from "../../json";
import { REPLICA_KEY_TYPES } from "../../key-types";
import type { Rule, RuleContext, Violation } from "../rule";
import { isToken, parseReference, type TerraformElement } from "../terraform-json";
import { stackJson } from "./examples";

/** The operations KMS lets a grant allow (CreateGrant's `Operations`). */
export const GRANT_OPERATIONS: readonly string[] = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "ReEncryptFrom",
  "ReEncryptTo",
  "Sign",
  "Verify",
  "GetPublicKey",
  "CreateGrant",
  "RetireGrant",
  "DescribeKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
];

/** The grant operations that work on keys of each usage, as KMS's CreateGrant checks them. */
const OPERATIONS_BY_USAGE: Readonly<Record<string, readonly string[]>> = {
  symmetric: [
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
  ],
  ENCRYPT_DECRYPT: ["Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey"],
  SIGN_VERIFY: ["Sign", "Verify", "GetPublicKey"],
  GENERATE_VERIFY_MAC: ["GenerateMac", "VerifyMac"],
  KEY_AGREEMENT: ["DeriveSharedSecret", "GetPublicKey"],
};
const ANY_KEY = ["CreateGrant", "RetireGrant", "DescribeKey"];
const CRYPTOGRAPHIC = GRANT_OPERATIONS.filter((operation) => !ANY_KEY.includes(operation));

/** An AWS principal ARN as a grant takes it: an account (root or id), user, role, federated user or assumed-role session. */
const GRANT_PRINCIPAL =
  /^(\d{12}|arn:aws[\w-]*:(iam::\d{12}:(root|user\/.+|role\/.+|federated-user\/.+)|sts::\d{12}:(assumed-role|federated-user)\/.+))$/;

const grant = (extra: object) => ({
  aws_kms_grant: {
    application: {
      name: "application",
      key_id: "${aws_kms_key.primary.key_id}",
      grantee_principal: "${aws_iam_role.application.arn}",
      operations: ["Encrypt", "Decrypt", "GenerateDataKey"],
      ...extra,
    },
  },
});
const key = { aws_kms_key: { primary: { enable_key_rotation: true } } };

/**
 * MRK-KMS-13: every `aws_kms_grant` is one KMS accepts and gives no more than its purpose:
 * a grantee and retiring principal that are AWS principals (never a wildcard, a service or a
 * group), operations the key supports, encryption context constraints only on a symmetric
 * encryption key. With `strict`, cryptographic grants also carry an encryption context
 * constraint and no grant passes on CreateGrant.
 */
export const grantsRule: Rule = {
  id: "MRK-KMS-13",
  level: "error",
  title: "Grants name an AWS principal, operations the key supports, and valid constraints",
  explanation:
    "A grant gives its grantee the listed operations on one key, outside the key policy, until it is retired or revoked. KMS refuses (at apply time, after the rest of the plan) a grantee that is not an AWS principal ARN (a wildcard, a service principal, a group), operations the key's type does not support (Sign on a symmetric key, data keys on an asymmetric one), and encryption context constraints on anything but a symmetric encryption key. Which account the grantee is in is MRK-KMS-12's check. AWS's grant best practices also ask for encryption context constraints and caution with CreateGrant in grants: with strict, those are findings too.",
  fix: "name the grantee (and retiring principal) by the ARN of a role, user or account, list only operations the key supports, and use constraints { encryption_context_equals = {...} } on a symmetric key",
  anchors: [],
  appliesTo: ["aws_kms_grant"],
  examples: {
    compliant: stackJson({
      resource: { ...key, ...grant({ constraints: [{ encryption_context_equals: { Department: "Finance" } }] }) },
    }),
    nonCompliant: stackJson({
      resource: { ...key, ...grant({ operations: ["Encrypt", "Decrypt", "Sign"], grantee_principal: "*" }) },
    }),
  },
  check(grantElement, context) {
    const found: Violation[] = [];
    const { config } = grantElement;
    for (const [argument, value] of [
      ["grantee_principal", config.grantee_principal],
      ["retiring_principal", config.retiring_principal],
    ] as const) {
      if (value === undefined || value === null) continue;
      const principal =
        typeof value === "string" ? context.stack.principals.resolve(context.stack.resolveKnown(value)) : value;
      if (
        typeof principal === "string" &&
        (GRANT_PRINCIPAL.test(principal) || (isToken(principal) && !principal.includes("*")))
      )
        continue;
      found.push({
        message: `${argument} is ${JSON.stringify(value)}, which is not the ARN of an AWS principal (KMS refuses wildcards, service principals and groups)`,
        fix: `set ${argument} to the ARN of a role, user or account`,
      });
    }
    const operations = Array.isArray(config.operations)
      ? config.operations.filter((o): o is string => typeof o === "string")
      : [];
    const unknown = operations.filter((o) => !GRANT_OPERATIONS.includes(o) && !isToken(o));
    if (unknown.length > 0) {
      found.push({
        message: `operations ${unknown.join(", ")} ${unknown.length > 1 ? "are not grant operations" : "is not a grant operation"}`,
        fix: `use grant operations only: ${GRANT_OPERATIONS.join(", ")}`,
      });
    }
    const usage = keyUsageOf(grantElement, context);
    if (usage) {
      const supported = [...OPERATIONS_BY_USAGE[usage], ...ANY_KEY];
      const unsupported = operations.filter((o) => GRANT_OPERATIONS.includes(o) && !supported.includes(o));
      if (unsupported.length > 0) {
        found.push({
          message: `the key is ${usage === "symmetric" ? "a symmetric encryption key" : `a ${usage} key`}, which does not support ${unsupported.join(", ")}`,
          fix: `grant only what the key supports: ${supported.join(", ")}`,
        });
      }
    }
    const constraints = listOf(config.constraints);
    if (constraints.length > 0 && usage !== undefined && usage !== "symmetric") {
      found.push({
        message: "the grant has encryption context constraints, which KMS accepts only on a symmetric encryption key",
        fix: "remove the constraints block",
      });
    }
    if (
      operations.some((o) => CRYPTOGRAPHIC.includes(o)) &&
      constraints.length === 0 &&
      (usage === undefined || usage === "symmetric")
    ) {
      found.push({
        message: "the grant allows cryptographic operations under any encryption context (no constraints block)",
        fix: "add constraints { encryption_context_equals = {...} } naming the context the grantee's data is encrypted under",
        strict: true,
      });
    }
    if (operations.includes("CreateGrant")) {
      found.push({
        message: "the grant lets its grantee create further grants (CreateGrant)",
        fix: "leave CreateGrant out of the grant's operations",
        strict: true,
      });
    }
    return found;
  },
};

/** The usage of the key a grant is for: `symmetric`, or the key_usage of another key; undefined when the stack does not tell. */
function keyUsageOf(grantElement: TerraformElement, context: RuleContext): string | undefined {
  let key = context.stack.element(parseReference(grantElement.config.key_id)?.address ?? "");
  for (let hops = 0; key && REPLICA_KEY_TYPES.includes(key.type) && hops < 2; hops += 1) {
    key = context.stack.element(parseReference(key.config.primary_key_arn)?.address ?? "");
  }
  if (!key) return undefined;
  const spec = key.config.customer_master_key_spec ?? key.config.key_spec ?? "SYMMETRIC_DEFAULT";
  const usage = key.config.key_usage ?? "ENCRYPT_DECRYPT";
  if (isToken(spec) || isToken(usage) || typeof spec !== "string" || typeof usage !== "string") return undefined;
  if (spec === "SYMMETRIC_DEFAULT") return "symmetric";
  return OPERATIONS_BY_USAGE[usage] ? usage : undefined;
}

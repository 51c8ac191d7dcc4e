import { KEY_TYPES } from "../../key-types";
import { type PolicyDocument, renderPolicyJson } from "../document";
import type { Rule } from "../rule";
import { allow, EXAMPLE_ACCOUNT, policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

/** KMS's limit on a key policy document, in bytes. */
export const MAX_KEY_POLICY_BYTES = 32 * 1024;

const roles = (count: number) =>
  Array.from({ length: count }, (_, i) => `arn:aws:iam::${EXAMPLE_ACCOUNT}:role/application-role-number-${i}`);
const key = {
  aws_kms_key: { primary: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.key_policy.json}" } },
};

/**
 * The bytes of each document, as rendered: the regional keys of a key set share one document
 * (the stack view reads each policy once), so each is rendered once.
 */
const sizes = new WeakMap<PolicyDocument, number>();

function sizeOf(document: PolicyDocument, resolve: (id: string) => string): number {
  let size = sizes.get(document);
  if (size === undefined) {
    size = Buffer.byteLength(renderPolicyJson(document, resolve), "utf8");
    sizes.set(document, size);
  }
  return size;
}

/** MRK-KMS-7: every key policy is under KMS's limit, `MAX_KEY_POLICY_BYTES`. */
export const policySizeRule: Rule = {
  id: "MRK-KMS-7",
  level: "error",
  title: `Each key policy is under ${MAX_KEY_POLICY_BYTES / 1024} KB`,
  explanation: `KMS rejects a key policy over ${MAX_KEY_POLICY_BYTES} bytes at apply time, after part of the key set may already exist. The size is measured on the JSON the AWS provider sends (indented, as aws_iam_policy_document renders it), with role ARNs resolved.`,
  fix: "shorten the key policy: fewer statements, shared statements for several principals, or grant through IAM policies (the account root statement delegates to them)",
  anchors: [],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      data: policyDocument("key_policy", [ROOT_STATEMENT, allow("Applications", roles(3), ["kms:Decrypt"])]),
      resource: key,
    }),
    nonCompliant: stackJson({
      data: policyDocument("key_policy", [ROOT_STATEMENT, allow("Applications", roles(600), ["kms:Decrypt"])]),
      resource: key,
    }),
  },
  check(key, context) {
    const source = context.stack.policyOf(key);
    if (source.kind === "unreadable" || source.kind === "default") return "not-applicable";
    const bytes = sizeOf(source.document, (id) => context.stack.principals.resolve(id));
    return bytes < MAX_KEY_POLICY_BYTES
      ? "compliant"
      : [
          {
            message: `its key policy (${source.document.origin}) is ${bytes} bytes; KMS allows at most ${MAX_KEY_POLICY_BYTES}`,
          },
        ];
  },
};

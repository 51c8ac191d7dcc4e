import { KEY_TYPES } from "../../key-types";
import type { Rule } from "../rule";
import { policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

/**
 * MRK-KMS-3: every key, each replica included, has a key policy of its own. KMS never copies
 * the primary's policy to a replica: a replica without one gets KMS's default key policy.
 */
export const explicitPolicyRule: Rule = {
  id: "MRK-KMS-3",
  level: "error",
  title: "Every key has an explicit key policy, replicas included",
  explanation:
    "Without a policy argument (or an aws_kms_key_policy resource) KMS gives a key its default key policy (the account root, kms:*), so whoever IAM policies allow may use and manage it. KMS does not copy the primary's policy to replicas; each replica needs its own. This holds for every key type: aws_kms_key, aws_kms_replica_key, aws_kms_external_key and aws_kms_replica_external_key.",
  fix: 'give the key a "keyPolicy" in the config (replicas[].keyPolicy for a replica), i.e. a policy argument or an aws_kms_key_policy resource',
  anchors: ["CKV2_AWS_64"],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      data: policyDocument("eu_key_policy", [ROOT_STATEMENT]),
      resource: {
        aws_kms_replica_key: {
          eu: {
            primary_key_arn: "${aws_kms_key.primary.arn}",
            policy: "${data.aws_iam_policy_document.eu_key_policy.json}",
          },
        },
      },
    }),
    nonCompliant: stackJson({
      resource: { aws_kms_replica_key: { eu: { primary_key_arn: "${aws_kms_key.primary.arn}" } } },
    }),
  },
  check(key, context) {
    const source = context.stack.policyOf(key);
    if (source.kind !== "default") return "compliant";
    return [
      {
        message: `${key.type.includes("replica") ? "the replica" : "the key"} has no key policy, so KMS gives it its default key policy (the account root only)`,
      },
    ];
  },
};

import { KEY_RESOURCE_TYPES } from "../key-policies";
import { Rule } from "../rule";

/**
 * MRK-KMS-3: every key, each replica included, has a key policy of its own. KMS never copies
 * the primary's policy to a replica: a replica without one gets KMS's default key policy.
 */
export const explicitPolicyRule: Rule = {
  id: "MRK-KMS-3",
  level: "error",
  title: "Every key has an explicit key policy, replicas included",
  explanation:
    "Without a policy argument KMS gives a key its default key policy (the account root, kms:*), so whoever IAM policies allow may use and manage it. KMS does not copy the primary's policy to replicas; each replica needs its own.",
  fix: 'give the key a "keyPolicy" in the config (replicas[].keyPolicy for a replica), i.e. a policy argument or an aws_kms_key_policy resource',
  anchors: ["CKV2_AWS_64"],
  appliesTo: KEY_RESOURCE_TYPES,
  check(key, context) {
    const source = context.stack.policyOf(key);
    if (source.kind !== "default") return "compliant";
    return [{ message: `${key.type === "aws_kms_replica_key" ? "the replica" : "the key"} has no key policy, so KMS gives it its default key policy (the account root only)` }];
  },
};

/**
 * The AWS provider's KMS key resource types, for everything that reads a stack or a plan by
 * resource type (the rule pack, the plan guard, the diagram).
 */

/** Keys that can be a multi-region primary (`multi_region = true`), with KMS's key material or imported material. */
export const PRIMARY_KEY_TYPES: readonly string[] = ["aws_kms_key", "aws_kms_external_key"];

/** Replicas of a multi-region primary, with KMS's key material or imported material; `primary_key_arn` ties each to its primary. */
export const REPLICA_KEY_TYPES: readonly string[] = ["aws_kms_replica_key", "aws_kms_replica_external_key"];

/** Every KMS key resource type: each has a key policy, a deletion window and an enabled state. */
export const KEY_TYPES: readonly string[] = [...PRIMARY_KEY_TYPES, ...REPLICA_KEY_TYPES];

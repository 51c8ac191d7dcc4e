/**
 * The rule pack: every rule, in the order they are reported.
 */
import type { Rule } from "./rule";
import { aliasEveryRegionRule } from "./rules/alias-every-region";
import { crossAccountRule } from "./rules/cross-account";
import { deletionWindowRule } from "./rules/deletion-window";
import { dynamoDbKmsRule } from "./rules/dynamodb-kms";
import { explicitPolicyRule } from "./rules/explicit-policy";
import { grantsRule } from "./rules/grants";
import { identityPolicyDecryptRule } from "./rules/identity-policies";
import { keyEnabledRule } from "./rules/key-enabled";
import { kmsStarRootOnlyRule } from "./rules/kms-star-root-only";
import { lockoutRule } from "./rules/lockout";
import { multiRegionActionsRule } from "./rules/multi-region-actions";
import { noLockoutBypassRule } from "./rules/no-lockout-bypass";
import { noWildcardPrincipalRule } from "./rules/no-wildcard-principal";
import { policySizeRule } from "./rules/policy-size";
import { retiredKeysRule } from "./rules/retired-keys";
import { keyRotationRule } from "./rules/rotation";
import { s3ReplicationRule } from "./rules/s3-replication";
import { s3SseKmsRule } from "./rules/s3-sse-kms";
import { separateDutiesRule } from "./rules/separate-duties";

export const RULE_PACK: readonly Rule[] = [
  keyRotationRule,
  noWildcardPrincipalRule,
  explicitPolicyRule,
  keyEnabledRule,
  deletionWindowRule,
  noLockoutBypassRule,
  policySizeRule,
  kmsStarRootOnlyRule,
  separateDutiesRule,
  multiRegionActionsRule,
  aliasEveryRegionRule,
  crossAccountRule,
  grantsRule,
  lockoutRule,
  identityPolicyDecryptRule,
  retiredKeysRule,
  s3SseKmsRule,
  s3ReplicationRule,
  dynamoDbKmsRule,
];

/** Every rule id of the pack. */
export const RULE_IDS: readonly string[] = RULE_PACK.map((rule) => rule.id);

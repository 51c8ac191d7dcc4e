/**
 * KMS actions on a key: the catalogue, wildcard matching as IAM does it, and the split between
 * what key users do (cryptography) and what key administrators do (manage the key).
 */

/** Every KMS action whose resource is a key (the actions a key policy can grant). */
export const KMS_KEY_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:DeleteAlias",
  "kms:DeleteImportedKeyMaterial",
  "kms:DeriveSharedSecret",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GenerateMac",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:GetParametersForImport",
  "kms:GetPublicKey",
  "kms:ImportKeyMaterial",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:ReplicateKey",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:Sign",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
  "kms:UpdatePrimaryRegion",
  "kms:Verify",
  "kms:VerifyMac",
];

/** What key users do: cryptographic operations with the key. */
export const CRYPTOGRAPHIC_ACTIONS: readonly string[] = [
  "kms:Decrypt",
  "kms:DeriveSharedSecret",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GenerateMac",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:Sign",
  "kms:Verify",
  "kms:VerifyMac",
];

/**
 * What key administrators do: change the key, its policy, its state, its aliases and tags, and
 * its regions. Reading (Describe, Get, List) and grants (which AWS services use on behalf of key
 * users, e.g. `kms:CreateGrant` for EBS) belong to neither side.
 */
export const ADMINISTRATIVE_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DeleteImportedKeyMaterial",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:ImportKeyMaterial",
  "kms:PutKeyPolicy",
  "kms:ReplicateKey",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
  "kms:UpdatePrimaryRegion",
];

/** The multi-region operations and the condition key that limits each to regions. */
export const MULTI_REGION_ACTIONS: Readonly<Record<string, string>> = {
  "kms:ReplicateKey": "kms:ReplicaRegion",
  "kms:UpdatePrimaryRegion": "kms:PrimaryRegion",
};

/** IAM's wildcard match: `*` any run of characters, `?` one; actions are case-insensitive. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  return wildcardPattern(pattern, caseInsensitive).test(value);
}

/** Each pattern's regular expression, made once: the rules match the same few patterns thousands of times. */
const wildcardPatterns = new Map<string, RegExp>();

function wildcardPattern(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let regexp = wildcardPatterns.get(cacheKey);
  if (!regexp) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    regexp = new RegExp(`^${source}$`, caseInsensitive ? "i" : "");
    wildcardPatterns.set(cacheKey, regexp);
  }
  return regexp;
}

/** Whether an action pattern (`kms:*`, `kms:Get*`, `*`) covers an action. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action);
}

/** The key actions a list of patterns covers (`kms:Update*` is UpdateAlias, UpdateKeyDescription, UpdatePrimaryRegion). */
export function expandActions(patterns: readonly string[]): string[] {
  const cacheKey = patterns.join("\n");
  let actions = expandedActions.get(cacheKey);
  if (!actions) {
    actions = KMS_KEY_ACTIONS.filter((action) => patterns.some((pattern) => actionMatches(pattern, action)));
    expandedActions.set(cacheKey, actions);
  }
  return [...actions];
}

/** Each list of patterns expanded once: the rules expand the same few lists thousands of times. */
const expandedActions = new Map<string, readonly string[]>();

/** The key actions a statement grants: its `actions`, or every key action but its `not_actions`. */
export function actionsOf(statement: { actions?: readonly string[]; notActions?: readonly string[] }): string[] {
  if (statement.actions) return expandActions(statement.actions);
  if (statement.notActions) return KMS_KEY_ACTIONS.filter((a) => !statement.notActions!.some((p) => actionMatches(p, a)));
  return [];
}

/** Whether a statement covers an action (through `actions` or `not_actions`). */
export function statementCoversAction(
  statement: { actions?: readonly string[]; notActions?: readonly string[] },
  action: string,
): boolean {
  if (statement.actions) return statement.actions.some((pattern) => actionMatches(pattern, action));
  if (statement.notActions) return !statement.notActions.some((pattern) => actionMatches(pattern, action));
  return false;
}

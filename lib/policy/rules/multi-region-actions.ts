import { KEY_TYPES } from "../../key-types";
import { actionsOf, CRYPTOGRAPHIC_ACTIONS, MULTI_REGION_ACTIONS, statementCoversAction } from "../actions";
import {
  checkKeyPolicy,
  describeStatement,
  isMultiRegionKey,
  isOwnAccountRoot,
  isRootKmsStar,
  isRootOnly,
  isWildcardPrincipal,
} from "../key-policies";
import type { Rule, Violation } from "../rule";
import { allow, EXAMPLE_ADMIN, EXAMPLE_APP, policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

const key = {
  aws_kms_key: {
    primary: {
      enable_key_rotation: true,
      multi_region: true,
      policy: "${data.aws_iam_policy_document.key_policy.json}",
    },
  },
};

/** Condition operators that limit a multi-region action to a list of regions. */
const REGION_OPERATORS = ["StringEquals", "StringEqualsIgnoreCase"];

/**
 * MRK-KMS-10: `kms:ReplicateKey` and `kms:UpdatePrimaryRegion` are not allowed to key users.
 * With `strict`, each is also limited to the key set's regions with `kms:ReplicaRegion` /
 * `kms:PrimaryRegion` (AWS's own multi-Region example allows UpdatePrimaryRegion without a
 * region condition, so that reading is opt-in). The account root statement (kms:*, the IAM
 * delegation) is exempt.
 */
export const multiRegionActionsRule: Rule = {
  id: "MRK-KMS-10",
  level: "error",
  title: "kms:ReplicateKey and kms:UpdatePrimaryRegion only for administrators (strict: limited to the key's regions)",
  explanation:
    "ReplicateKey copies the key material into another region (where a different key policy applies); UpdatePrimaryRegion moves the primary. AWS's default key policy gives both to the key administrators only, never to the key users who encrypt and decrypt. With strict, each must also be limited to the regions the config names, with a StringEquals condition on kms:ReplicaRegion (ReplicateKey) or kms:PrimaryRegion (UpdatePrimaryRegion), as AWS recommends; AWS's documented example for UpdatePrimaryRegion has no such condition, so this reading is not on by default.",
  fix: 'grant the action in a statement of its own for the administrators with condition { test = "StringEquals", variable = "kms:ReplicaRegion" (or "kms:PrimaryRegion"), values = <the key\'s regions> } (the KeyPolicy construct does this when it knows the key\'s regions: keyRegions)',
  anchors: [],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      data: policyDocument("key_policy", [
        ROOT_STATEMENT,
        allow("Administrators", [EXAMPLE_ADMIN], ["kms:Describe*", "kms:ReplicateKey", "kms:UpdatePrimaryRegion"]),
        allow("Users", [EXAMPLE_APP], ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]),
      ]),
      resource: key,
    }),
    nonCompliant: stackJson({
      data: policyDocument("key_policy", [
        ROOT_STATEMENT,
        allow("Administrators", [EXAMPLE_ADMIN], ["kms:Describe*", "kms:ReplicateKey"]),
        allow(
          "Users",
          [EXAMPLE_APP],
          ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:UpdatePrimaryRegion"],
        ),
      ]),
      resource: key,
    }),
  },
  check(key, context) {
    if (!isMultiRegionKey(key)) return "not-applicable";
    const regions = context.stack.keySetOf(key.address)?.regions ?? [];
    return checkKeyPolicy(key, context, (document) => {
      const allows = document.statements.filter((s) => s.effect === "Allow");
      const users = new Set(
        allows
          .filter((s) => actionsOf(s).some((a) => CRYPTOGRAPHIC_ACTIONS.includes(a)))
          .flatMap((s) =>
            (s.principals ?? [])
              .filter((p) => !isOwnAccountRoot(p, context))
              .map((p) => context.stack.principals.resolve(p.identifier)),
          ),
      );
      return document.statements.flatMap((statement, index): Violation[] => {
        if (statement.effect !== "Allow" || isRootOnly(statement, context)) return [];
        const where = describeStatement(statement, document, index);
        return Object.entries(MULTI_REGION_ACTIONS).flatMap(([action, conditionKey]): Violation[] => {
          if (!statementCoversAction(statement, action)) return [];
          const found: Violation[] = [];
          const keyUsers = (statement.principals ?? [])
            .filter((p) => !isOwnAccountRoot(p, context) && !isWildcardPrincipal(p))
            .map((p) => context.stack.principals.resolve(p.identifier))
            .filter((id) => users.has(id));
          if (keyUsers.length > 0) {
            found.push({
              message: `${where} allows ${action} to key users (${keyUsers.join(", ")}), who also encrypt or decrypt with the key`,
              fix: `allow ${action} to the key administrators only`,
              strict: isRootKmsStar(statement, context),
            });
          }
          const conditions = statement.conditions.filter(
            (c) => c.variable.toLowerCase() === conditionKey.toLowerCase() && REGION_OPERATORS.includes(c.test),
          );
          if (conditions.length === 0) {
            found.push({
              message: `${where} allows ${action} without a StringEquals condition on ${conditionKey}`,
              strict: true,
              fix: `allow ${action} to the administrators in a statement of its own with condition { test = "StringEquals", variable = "${conditionKey}", values = [${
                regions.length > 0 ? regions.map((r) => `"${r}"`).join(", ") : "<the key's regions>"
              }] } (KeyPolicy does this when it knows the key's regions: its keyRegions prop)`,
            });
            return found;
          }
          for (const condition of conditions) {
            const outside = condition.values.filter(
              (value) => !value.includes("${") && regions.length > 0 && !regions.includes(value),
            );
            if (condition.values.length === 0 || outside.length > 0) {
              found.push({
                message: `${where} limits ${action} with ${conditionKey} to ${JSON.stringify(condition.values)}, ${
                  outside.length > 0
                    ? `but ${outside.join(", ")} ${outside.length > 1 ? "are" : "is"} not a region of the key (${regions.join(", ")})`
                    : "an empty list"
                }`,
                fix: `limit ${conditionKey} to the key's regions: ${regions.join(", ")}`,
                strict: true,
              });
            }
          }
          return found;
        });
      });
    });
  },
};

import { checkKeyPolicy, describeStatement, isOwnAccountRoot, isWildcardPrincipal, KEY_RESOURCE_TYPES, showPrincipal } from "../key-policies";
import { Rule, Violation } from "../rule";

/** MRK-KMS-8: only the account root is allowed `kms:*` (the statement that delegates to IAM). */
export const kmsStarRootOnlyRule: Rule = {
  id: "MRK-KMS-8",
  level: "error",
  title: "kms:* is allowed only to the account root",
  explanation:
    'The account root statement (kms:*) lets IAM policies of the key\'s own account grant access; any other principal with kms:* (or "*", or an Allow with NotAction) may use, manage, re-share and delete the key at once.',
  fix: "give administrators and users their own action lists (the KeyPolicy construct's administrators and users); keep kms:* for arn:aws:iam::<account>:root only",
  anchors: [],
  appliesTo: KEY_RESOURCE_TYPES,
  check(key, context) {
    return checkKeyPolicy(key, context, (document) =>
      document.statements.flatMap((statement, index): Violation[] => {
        if (statement.effect !== "Allow") return [];
        const broad = statement.notActions
          ? "NotAction"
          : statement.actions?.find((action) => action === "*" || action.toLowerCase() === "kms:*");
        if (!broad) return [];
        // Wildcard principals are MRK-KMS-2's finding; here, everyone else but the root.
        const others = (statement.principals ?? []).filter((p) => !isOwnAccountRoot(p, context) && !isWildcardPrincipal(p));
        return others.length === 0
          ? []
          : [
              {
                message: `${describeStatement(statement, document, index)} allows ${broad === "NotAction" ? "every action but its NotAction list" : JSON.stringify(broad)} to ${others.map((p) => showPrincipal(p, context)).join(", ")}`,
              },
            ];
      }),
    );
  },
};

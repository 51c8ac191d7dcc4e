import { KEY_TYPES } from "../../key-types";
import {
  checkKeyPolicy,
  describeStatement,
  isOwnAccountPrincipal,
  isOwnAccountRoot,
  isWildcardPrincipal,
  showPrincipal,
} from "../key-policies";
import type { Rule, Violation } from "../rule";
import { allow, EXAMPLE_ADMIN, policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

const key = {
  aws_kms_key: { primary: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.key_policy.json}" } },
};

/**
 * MRK-KMS-8: only the account root is allowed `kms:*` (the statement that delegates to IAM).
 * The statement that gives the root `kms:*` may also name IAM identities of the same account,
 * as the key policy the CloudTrail console writes does (the key's creator); `strict` refuses
 * those too.
 */
export const kmsStarRootOnlyRule: Rule = {
  id: "MRK-KMS-8",
  level: "error",
  title: "kms:* is allowed only to the account root",
  explanation:
    "The account root statement (kms:*) lets IAM policies of the key's own account grant access; any other principal with kms:* (or an Allow with NotAction) may use, manage, re-share and delete the key at once. AWS's CloudTrail console puts the key's creator in the root statement itself; that is accepted for identities of the own account unless strict is set.",
  fix: "give administrators and users their own action lists (the KeyPolicy construct's administrators and users); keep kms:* for arn:aws:iam::<account>:root only",
  anchors: [],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      data: policyDocument("key_policy", [
        ROOT_STATEMENT,
        allow("Administrators", [EXAMPLE_ADMIN], ["kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"]),
      ]),
      resource: key,
    }),
    nonCompliant: stackJson({
      data: policyDocument("key_policy", [ROOT_STATEMENT, allow("Administrators", [EXAMPLE_ADMIN], ["kms:*"])]),
      resource: key,
    }),
  },
  check(key, context) {
    return checkKeyPolicy(key, context, (document) =>
      document.statements.flatMap((statement, index): Violation[] => {
        if (statement.effect !== "Allow") return [];
        const broad = statement.notActions
          ? "NotAction"
          : statement.actions?.find((action) => action === "*" || action.toLowerCase() === "kms:*");
        if (!broad) return [];
        const principals = statement.principals ?? [];
        const rootStatement = principals.some((p) => isOwnAccountRoot(p, context));
        // Wildcard principals are MRK-KMS-2's finding; here, everyone else but the root.
        const others = principals.filter((p) => !isOwnAccountRoot(p, context) && !isWildcardPrincipal(p));
        const accepted = others.filter((p) => rootStatement && isOwnAccountPrincipal(p, context));
        const refused = others.filter((p) => !accepted.includes(p));
        const what = broad === "NotAction" ? "every action but its NotAction list" : JSON.stringify(broad);
        const where = describeStatement(statement, document, index);
        return [
          ...(refused.length > 0
            ? [{ message: `${where} allows ${what} to ${refused.map((p) => showPrincipal(p, context)).join(", ")}` }]
            : []),
          ...(accepted.length > 0
            ? [
                {
                  message: `${where} allows ${what} to ${accepted.map((p) => showPrincipal(p, context)).join(", ")} besides the account root`,
                  strict: true,
                },
              ]
            : []),
        ];
      }),
    );
  },
};

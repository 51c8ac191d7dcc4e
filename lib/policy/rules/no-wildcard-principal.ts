import { checkKeyPolicy, describeStatement, isWildcardPrincipal, KEY_RESOURCE_TYPES } from "../key-policies";
import { Rule, Violation } from "../rule";

/**
 * MRK-KMS-2: no key policy allows a wildcard principal, with conditions or without. Every key
 * of a set has its own policy, so every replica's is checked too.
 */
export const noWildcardPrincipalRule: Rule = {
  id: "MRK-KMS-2",
  level: "error",
  title: "No key policy allows a wildcard principal",
  explanation:
    'A statement that allows "*" (or an ARN with a wildcard, or uses NotPrincipal) lets anyone who meets its conditions use or manage the key; conditions are easy to get wrong, so we refuse the wildcard outright.',
  fix: "name the principals (IAM role, user or account root ARNs) in the statement instead of \"*\"",
  anchors: ["CKV_AWS_33", "SecurityHub KMS.5"],
  appliesTo: KEY_RESOURCE_TYPES,
  check(key, context) {
    return checkKeyPolicy(key, context, (document) =>
      document.statements.flatMap((statement, index): Violation[] => {
        if (statement.effect !== "Allow") return [];
        const where = describeStatement(statement, document, index);
        if (statement.notPrincipals) {
          return [{ message: `${where} allows everyone but its NotPrincipal list` }];
        }
        const wildcards = (statement.principals ?? []).filter(isWildcardPrincipal);
        return wildcards.length === 0
          ? []
          : [{ message: `${where} allows the wildcard principal ${wildcards.map((p) => JSON.stringify(p.identifier)).join(", ")}` }];
      }),
    );
  },
};

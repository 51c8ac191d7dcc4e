import { KEY_TYPES } from "../../key-types";
import { statementCoversAction } from "../actions";
import { accountRootOf, type Principal, type Statement } from "../document";
import {
  checkKeyPolicy,
  confinementOf,
  isOwnAccountPrincipal,
  isWildcardPrincipal,
  ownAccount,
  principalAccount,
} from "../key-policies";
import type { Rule, RuleContext } from "../rule";
import { isToken } from "../terraform-json";
import { allow, EXAMPLE_ADMIN, EXAMPLE_APP, policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

const PUT_KEY_POLICY = "kms:PutKeyPolicy";
const key = {
  aws_kms_key: { primary: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.key_policy.json}" } },
};
const USE = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * MRK-KMS-14: every key policy leaves the account root or an administrator of the own account
 * able to call `kms:PutKeyPolicy`, which is what KMS's policy lockout safety check asks of the
 * caller: a key policy nobody can change again can only be repaired by AWS Support.
 */
export const lockoutRule: Rule = {
  id: "MRK-KMS-14",
  level: "error",
  title: "Every key policy leaves the account root or an administrator able to change it",
  explanation:
    "KMS's policy lockout safety check refuses a key policy that would stop its caller from calling PutKeyPolicy again, unless it is bypassed (MRK-KMS-6); a policy applied with the bypass, or by a principal that is later deleted, can leave a key nobody can manage. AWS's default key policy keeps the account root (kms:*) for this reason. The rule looks for an Allow of kms:PutKeyPolicy (kms:*, kms:Put* or a NotAction without it) to the account root or an IAM role or user of the own account (conditions are trusted to be met), not cancelled by a Deny to everyone without conditions. Principals of other accounts do not count: KMS ignores PutKeyPolicy across accounts.",
  fix: "keep the account root statement (kms:* for arn:aws:iam::<account>:root) in the key policy, or allow kms:PutKeyPolicy to a key administrator role of the account",
  anchors: [],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      data: policyDocument("key_policy", [ROOT_STATEMENT, allow("Users", [EXAMPLE_APP], USE)]),
      resource: key,
    }),
    nonCompliant: stackJson({
      data: policyDocument("key_policy", [
        allow("Administrators", [EXAMPLE_ADMIN], ["kms:Describe*", "kms:ScheduleKeyDeletion"]),
        allow("Users", [EXAMPLE_APP], USE),
      ]),
      resource: key,
    }),
  },
  check(key, context) {
    return checkKeyPolicy(key, context, (document) => {
      const denies = document.statements.filter(
        (s) => s.effect === "Deny" && s.conditions.length === 0 && statementCoversAction(s, PUT_KEY_POLICY),
      );
      const admins = document.statements
        .filter((s) => s.effect === "Allow" && statementCoversAction(s, PUT_KEY_POLICY))
        .flatMap((s) => administrators(s, context))
        .filter((principal) => !denies.some((deny) => denied(deny, principal, context)));
      if (admins.length > 0) return [];
      const account = ownAccount(context);
      return [
        {
          message: `no statement of ${document.origin} lets the account root${account && !isToken(account) ? ` of ${account}` : ""} or an administrator of the account call kms:PutKeyPolicy, so nobody could change the key policy again`,
        },
      ];
    });
  },
};

/** The principals of an Allow that can administer the key: the own account's identities, or "*" confined to the own account. */
function administrators(statement: Statement, context: RuleContext): Principal[] {
  if (statement.notPrincipals) return [{ type: "*", identifier: "*" }];
  return (statement.principals ?? []).filter((principal) => {
    if (principal.type === "*" || principal.identifier === "*") {
      const own = ownAccount(context);
      return confinementOf(statement)?.accounts.some((account) => account === own || isToken(account)) ?? false;
    }
    if (principal.type !== "AWS" || isWildcardPrincipal(principal)) return false;
    // A principal the stack cannot place (a variable) is given the benefit of the doubt.
    return isOwnAccountPrincipal(principal, context) || principalAccount(principal, context) === undefined;
  });
}

/** Whether an unconditional Deny covers a principal. */
function denied(deny: Statement, principal: Principal, context: RuleContext): boolean {
  const account = principalAccount(principal, context);
  const same = (p: Principal) =>
    p.type === "*" ||
    p.identifier === "*" ||
    context.stack.principals.resolve(p.identifier) === context.stack.principals.resolve(principal.identifier) ||
    // A Deny to an account root covers every identity of the account.
    (account !== undefined && accountRootOf(p.identifier)?.account === account);
  if (deny.notPrincipals) return !deny.notPrincipals.some(same);
  return (deny.principals ?? []).some(same);
}

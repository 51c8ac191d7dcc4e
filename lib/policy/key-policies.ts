/**
 * What the key policy rules share: the policy in force on a key, and how to speak of its
 * statements and principals.
 */
import { accountRootOf, PolicyDocument, Principal, Statement } from "./document";
import type { RuleContext, Violation } from "./rule";
import type { TerraformElement } from "./stack-view";
import { KEY_TYPES } from "./stack-view";

/** The resource types whose key policies the rules read. */
export const KEY_RESOURCE_TYPES: readonly string[] = KEY_TYPES;

/**
 * Runs `check` on the key policy in force on `key`. A policy that cannot be read before apply
 * is a violation: the rules fail closed.
 */
export function checkKeyPolicy(
  key: TerraformElement,
  context: RuleContext,
  check: (document: PolicyDocument) => Violation[],
): Violation[] {
  const source = context.stack.policyOf(key);
  if (source.kind === "unreadable") {
    return [
      {
        message: `its key policy cannot be checked: ${source.reason}`,
        fix: "build the key policy with the KeyPolicy construct (an aws_iam_policy_document data source) or give it as literal JSON",
      },
    ];
  }
  return check(source.document);
}

/** `statement "AllowEUTeam" of data.aws_iam_policy_document.eu_key_policy` */
export function describeStatement(statement: Statement, document: PolicyDocument, index: number): string {
  const name = statement.sid ? `statement "${statement.sid}"` : `statement ${index + 1}`;
  return `${name} of ${document.origin}`;
}

/** `*`, an ARN with a wildcard, or principal type `*`: anyone. */
export function isWildcardPrincipal(principal: Principal): boolean {
  return principal.type === "*" || principal.identifier.includes("*");
}

/** The root of the account that owns the key (any account's root when the account is not known). */
export function isOwnAccountRoot(principal: Principal, context: RuleContext): boolean {
  if (principal.type !== "AWS") return false;
  const root = accountRootOf(principal.identifier);
  if (!root) return false;
  const account = context.options.accountId ?? context.stack.accountId;
  return account === undefined || root.account === account;
}

/** Whether every principal of a statement is the owning account's root: the delegation to IAM. */
export function isRootOnly(statement: Statement, context: RuleContext): boolean {
  return (statement.principals ?? []).length > 0 && statement.principals!.every((p) => isOwnAccountRoot(p, context));
}

/** How a principal is shown in a message: the ARN a token resolves to, with the token. */
export function showPrincipal(principal: Principal, context: RuleContext): string {
  const resolved = context.stack.principals.resolve(principal.identifier);
  return resolved === principal.identifier ? principal.identifier : `${principal.identifier} (${resolved})`;
}

/** Whether a key is a multi-region key: a replica, or a primary with `multi_region = true`. */
export function isMultiRegionKey(key: TerraformElement): boolean {
  return key.type === "aws_kms_replica_key" || key.config.multi_region === true;
}

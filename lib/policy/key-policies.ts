/**
 * What the key policy rules share: the policy in force on a key, and how to speak of its
 * statements and principals: whose account a principal is in, and which conditions confine a
 * statement to accounts or organizations.
 */
import {
  accountOf,
  accountRootOf,
  CALLER_ACCOUNT,
  CALLER_ARN,
  type Condition,
  type PolicyDocument,
  type Principal,
  type Statement,
} from "./document";
import type { RuleContext, Violation } from "./rule";
import type { TerraformElement } from "./stack-view";
import { isToken, parseReference } from "./terraform-json";

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
        fix: "build the key policy with the KeyPolicy construct (an aws_iam_policy_document data source), or give it as literal JSON or a jsonencode of literal values",
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

/** The account that owns the keys: the option, else what the stack tells. */
export function ownAccount(context: RuleContext): string | undefined {
  return context.options.accountId ?? context.stack.accountId;
}

/** The root of the account that owns the key (any account's root when the account is not known). */
export function isOwnAccountRoot(principal: Principal, context: RuleContext): boolean {
  if (principal.type !== "AWS") return false;
  const root = accountRootOf(principal.identifier);
  if (!root) return false;
  const account = ownAccount(context);
  return account === undefined || root.account === account;
}

/** Whether every principal of a statement is the owning account's root: the delegation to IAM. */
export function isRootOnly(statement: Statement, context: RuleContext): boolean {
  return (statement.principals ?? []).length > 0 && statement.principals!.every((p) => isOwnAccountRoot(p, context));
}

/**
 * Whether a statement is the account root's `kms:*` statement, the delegation to IAM. The
 * CloudTrail console's key policy names the key's creator in it too; the rules read such
 * companions of the root strictly only with `strict`.
 */
export function isRootKmsStar(statement: Statement, context: RuleContext): boolean {
  return (
    statement.effect === "Allow" &&
    (statement.actions ?? []).some((a) => a === "*" || a.toLowerCase() === "kms:*") &&
    (statement.principals ?? []).some((p) => isOwnAccountRoot(p, context))
  );
}

/**
 * The account an `AWS` principal belongs to: from its ARN (or account id), the owning account
 * for the caller (`data.aws_caller_identity`) and for the roles and users the stack declares;
 * undefined when the principal does not tell (a variable, a data source) or is not an `AWS` one.
 */
export function principalAccount(principal: Principal, context: RuleContext): string | undefined {
  if (principal.type !== "AWS" || isWildcardPrincipal(principal)) return undefined;
  if (principal.identifier === CALLER_ARN) return ownAccount(context);
  const resolved = context.stack.principals.resolve(principal.identifier);
  const account = accountOf(resolved);
  if (account) return account;
  const reference = parseReference(principal.identifier);
  const declared = reference && context.stack.element(reference.address);
  if (declared && declared.kind === "resource" && ["aws_iam_role", "aws_iam_user"].includes(declared.type))
    return ownAccount(context);
  return undefined;
}

/** Whether a principal is an IAM identity (root, role, user, session) of the owning account. */
export function isOwnAccountPrincipal(principal: Principal, context: RuleContext): boolean {
  const account = principalAccount(principal, context);
  const own = ownAccount(context);
  return account !== undefined && (own === undefined || account === own);
}

/** How a principal is shown in a message: the ARN a token resolves to, with the token. */
export function showPrincipal(principal: Principal, context: RuleContext): string {
  const resolved = context.stack.principals.resolve(principal.identifier);
  return resolved === principal.identifier ? principal.identifier : `${principal.identifier} (${resolved})`;
}

/** Whether a key is a multi-region key: a replica, or a primary with `multi_region = true` (or `"true"`). */
export function isMultiRegionKey(key: TerraformElement): boolean {
  return key.type.includes("replica") || key.config.multi_region === true || key.config.multi_region === "true";
}

/** Who a statement's conditions let in: the accounts and organizations it is confined to. */
export interface Confinement {
  /** Account ids (or a token the stack cannot resolve, which stands for one account). */
  readonly accounts: readonly string[];
  readonly organizations: readonly string[];
}

/** Condition keys whose value is the calling principal's account, and what names it. */
const ACCOUNT_KEYS = ["aws:principalaccount", "kms:calleraccount", "aws:sourceaccount", "aws:sourceowner"];
const ARN_KEYS = ["aws:principalarn", "aws:sourcearn"];
const ORGANIZATION_KEYS = ["aws:principalorgid", "aws:principalorgpaths"];
/** An organization's path in `aws:PrincipalOrgPaths`: the organization id first (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`). */
const ORGANIZATION_PATH = /^(o-[a-z0-9]{10,32})\//;
/** Keys that confine the caller to one principal or network of the owner, naming no account. */
const OTHER_CONFINING_KEYS = ["aws:userid", "aws:sourcevpc", "aws:sourcevpce"];
const EXACT_OPERATORS = [
  "StringEquals",
  "StringEqualsIgnoreCase",
  "StringLike",
  "ArnEquals",
  "ArnLike",
  "ForAnyValue:StringEquals",
  "ForAnyValue:StringLike",
];

/**
 * The accounts and organizations a statement's conditions confine its principals to, as IAM
 * Access Analyzer and Security Hub KMS.5 read them: `aws:PrincipalAccount`, `kms:CallerAccount`
 * (alone, or with `kms:ViaService` as in AWS managed keys' policies), `aws:SourceAccount`,
 * `aws:SourceOwner`, an account in `aws:PrincipalArn` / `aws:SourceArn`, `aws:PrincipalOrgID`, the
 * organization of each path in `aws:PrincipalOrgPaths` (whose wildcards after the organization
 * id only narrow it to organizational units), and
 * (naming no account) `aws:userid`, `aws:SourceVpc`, `aws:SourceVpce`; each with StringEquals,
 * StringLike or their Arn forms and fixed values (not IfExists, not ForAllValues, which let a
 * request without the key through, and no wildcard or policy variable). Undefined when no
 * condition confines the statement.
 */
export function confinementOf(statement: Statement): Confinement | undefined {
  let accounts: string[] | undefined;
  let organizations: string[] | undefined;
  let confined = false;
  const intersect = (current: string[] | undefined, values: string[]) =>
    current ? current.filter((v) => values.includes(v)) : values;
  for (const condition of statement.conditions) {
    if (!EXACT_OPERATORS.includes(condition.test)) continue;
    const key = condition.variable.toLowerCase();
    const values = confiningValues(condition, key);
    if (values === undefined) continue;
    confined = true;
    if (ORGANIZATION_KEYS.includes(key)) organizations = intersect(organizations, values);
    else if (!OTHER_CONFINING_KEYS.includes(key)) accounts = intersect(accounts, values);
  }
  if (!confined) return undefined;
  return { accounts: accounts ?? [], organizations: organizations ?? [] };
}

/** An IAM policy variable (`${aws:username}`), which stands for a value of each request. */
const POLICY_VARIABLE = /\$\{[a-z0-9-]+:[^}]*\}/i;

/** The accounts (or organizations) a condition names; undefined when it does not confine (a wildcard account). */
function confiningValues(condition: Condition, key: string): string[] | undefined {
  const fixed = (value: string) =>
    value.length > 0 && !value.includes("*") && !value.includes("?") && !POLICY_VARIABLE.test(value);
  if (key === "aws:principalorgpaths") {
    const organizations = condition.values.map((value) =>
      POLICY_VARIABLE.test(value) ? undefined : ORGANIZATION_PATH.exec(value)?.[1],
    );
    return organizations.every((organization): organization is string => organization !== undefined)
      ? [...new Set(organizations)]
      : undefined;
  }
  if (ACCOUNT_KEYS.includes(key) || ORGANIZATION_KEYS.includes(key) || OTHER_CONFINING_KEYS.includes(key)) {
    return condition.values.every(fixed) ? [...condition.values] : undefined;
  }
  if (ARN_KEYS.includes(key)) {
    if (!condition.values.every((value) => !POLICY_VARIABLE.test(value))) return undefined;
    const accounts = condition.values.map((value) =>
      isToken(value) && !value.startsWith("arn:")
        ? value
        : /^arn:[^:]*:[^:]*:[^:]*:(\d{12}|\$\{[^}]+\}):/.exec(value)?.[1],
    );
    return accounts.every((account): account is string => account !== undefined) ? accounts : undefined;
  }
  return undefined;
}

/**
 * Whether an Allow statement is open to anyone: a `NotPrincipal`, or a wildcard principal
 * that no condition confines to accounts or organizations (with `strict`, whatever its
 * conditions).
 */
export function isPublicStatement(statement: Statement, context: RuleContext): boolean {
  if (statement.effect !== "Allow") return false;
  if (statement.notPrincipals) return true;
  if (!(statement.principals ?? []).some(isWildcardPrincipal)) return false;
  return context.options.strict || confinementOf(statement) === undefined;
}

/**
 * The accounts outside the owning account and the trusted ones, of a list: none while the
 * owning account is not known, or known only when Terraform reads `data.aws_caller_identity`
 * (a key built without an account id), since an account id written out may then be the own one.
 */
export function untrustedAccounts(accounts: readonly string[], context: RuleContext): string[] {
  const own = ownAccount(context);
  if (own === undefined || own === CALLER_ACCOUNT) return [];
  return accounts.filter(
    (account) => account !== own && !context.options.trustedAccounts.includes(account) && !isToken(account),
  );
}

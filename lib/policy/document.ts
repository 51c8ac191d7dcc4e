/**
 * Key policies as the rules and the access evaluator read them: one model for the statements
 * of an `aws_iam_policy_document` data source, of a literal JSON policy and of KMS's default
 * key policy.
 */
import { entriesOf, isObject, type Json, listOf } from "../json";
import type { StackView } from "./stack-view";
import { ADDRESS_PATTERN, parseReference, type TerraformElement } from "./terraform-json";

/** A principal as a policy names it: `AWS` + an ARN (or `*`), `Service` + a service name... */
export interface Principal {
  readonly type: string;
  /** As written: an ARN, an account id, `*`, or a token such as `${aws_iam_role.app.arn}`. */
  readonly identifier: string;
}

/** One condition: `test` is the operator (`StringEquals`), `variable` the key (`kms:ReplicaRegion`). */
export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** Undefined when the statement uses `NotPrincipal` (or names no principal). */
  readonly principals?: readonly Principal[];
  readonly notPrincipals?: readonly Principal[];
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** `Resource` (`resources`): key policies say `*`; identity policies name the keys. */
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly conditions: readonly Condition[];
}

export interface PolicyDocument {
  readonly statements: readonly Statement[];
  /** Where it was read from: a data source's address, `inline JSON`, or `KMS's default key policy`. */
  readonly origin: string;
}

/** The statement id KMS gives the single statement of its default key policy. */
export const DEFAULT_POLICY_SID = "Enable IAM User Permissions";

/** KMS's default key policy: the account root may do everything, so IAM policies decide. */
export function defaultKeyPolicy(partition: string, accountId: string | undefined): PolicyDocument {
  return {
    origin: "KMS's default key policy",
    statements: [
      {
        sid: DEFAULT_POLICY_SID,
        effect: "Allow",
        principals: [{ type: "AWS", identifier: `arn:${partition}:iam::${accountId ?? "<account>"}:root` }],
        actions: ["kms:*"],
        resources: ["*"],
        conditions: [],
      },
    ],
  };
}

const strings = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => String(item));

/**
 * The statements of an `aws_iam_policy_document` data source, with the documents it builds on
 * (`source_policy_documents`, then its own statements, then `override_policy_documents`; a
 * later statement replaces an earlier one with the same sid, as the data source does).
 */
export function policyFromDataSource(
  source: TerraformElement,
  read: (value: unknown) => PolicyDocument | string,
): PolicyDocument | string {
  const own = listOf(source.config.statement).map(statementFromBlock);
  const layers: Statement[][] = [];
  for (const value of strings(source.config.source_policy_documents ?? source.config.source_json)) {
    const document = read(value);
    if (typeof document === "string") return `${source.address} source_policy_documents: ${document}`;
    layers.push([...document.statements]);
  }
  layers.push(own);
  for (const value of strings(source.config.override_policy_documents ?? source.config.override_json)) {
    const document = read(value);
    if (typeof document === "string") return `${source.address} override_policy_documents: ${document}`;
    layers.push([...document.statements]);
  }
  const merged: Statement[] = [];
  for (const statement of layers.flat()) {
    const same = statement.sid === undefined ? -1 : merged.findIndex((s) => s.sid === statement.sid);
    if (same >= 0) merged[same] = statement;
    else merged.push(statement);
  }
  return { origin: source.address, statements: merged };
}

function statementFromBlock(block: Json): Statement {
  const principals = (value: unknown): Principal[] | undefined => {
    const list = listOf(value);
    if (list.length === 0) return undefined;
    return list.flatMap((p) =>
      strings(p.identifiers).map((identifier) => ({ type: String(p.type ?? "AWS"), identifier })),
    );
  };
  return {
    sid: typeof block.sid === "string" ? block.sid : undefined,
    effect: block.effect === "Deny" ? "Deny" : "Allow",
    principals: principals(block.principals),
    notPrincipals: principals(block.not_principals),
    actions: block.actions === undefined ? undefined : strings(block.actions),
    notActions: block.not_actions === undefined ? undefined : strings(block.not_actions),
    resources: block.resources === undefined ? undefined : strings(block.resources),
    notResources: block.not_resources === undefined ? undefined : strings(block.not_resources),
    conditions: listOf(block.condition).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: strings(c.values),
    })),
  };
}

/** A literal JSON key policy, or why it cannot be read. */
export function policyFromJson(text: string): PolicyDocument | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `the policy is not valid JSON (${(error as Error).message})`;
  }
  if (!isObject(parsed)) return "the policy is not a JSON object";
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  if (!statements.every(isObject)) return "the policy has no Statement list";
  return {
    origin: "inline JSON",
    statements: (statements as Json[]).map((s) => ({
      sid: typeof s.Sid === "string" ? s.Sid : undefined,
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      principals: s.Principal === undefined ? undefined : principalsFromJson(s.Principal),
      notPrincipals: s.NotPrincipal === undefined ? undefined : principalsFromJson(s.NotPrincipal),
      actions: s.Action === undefined ? undefined : strings(s.Action),
      notActions: s.NotAction === undefined ? undefined : strings(s.NotAction),
      resources: s.Resource === undefined ? undefined : strings(s.Resource),
      notResources: s.NotResource === undefined ? undefined : strings(s.NotResource),
      conditions: entriesOf(s.Condition).flatMap(([test, byKey]) =>
        entriesOf(byKey).map(([variable, values]) => ({ test, variable, values: strings(values) })),
      ),
    })),
  };
}

function principalsFromJson(value: unknown): Principal[] {
  if (value === "*") return [{ type: "*", identifier: "*" }];
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([type, ids]) => strings(ids).map((identifier) => ({ type, identifier })));
}

/**
 * The policy as the JSON KMS receives, for its size: the AWS provider sends the data source's
 * `json`, which is indented with two spaces, so this is too. Tokens are replaced by the value
 * they resolve to where the stack says (role ARNs), else kept as written.
 */
export function renderPolicyJson(
  document: PolicyDocument,
  resolve: (identifier: string) => string = (id) => id,
): string {
  const one = (list: readonly string[]) => (list.length === 1 ? list[0] : [...list]);
  const principalJson = (principals: readonly Principal[]) => {
    if (principals.length === 1 && principals[0].type === "*") return "*";
    const byType: Record<string, string[]> = {};
    for (const p of principals) {
      byType[p.type] ??= [];
      byType[p.type].push(resolve(p.identifier));
    }
    return Object.fromEntries(Object.entries(byType).map(([type, ids]) => [type, one(ids)]));
  };
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: document.statements.map((s) => {
        const conditions: Record<string, Record<string, string | string[]>> = {};
        for (const c of s.conditions) {
          conditions[c.test] ??= {};
          conditions[c.test][c.variable] = one(c.values);
        }
        return {
          ...(s.sid !== undefined ? { Sid: s.sid } : {}),
          Effect: s.effect,
          ...(s.actions ? { Action: one(s.actions) } : {}),
          ...(s.notActions ? { NotAction: one(s.notActions) } : {}),
          ...(s.notResources
            ? { NotResource: one(s.notResources) }
            : { Resource: s.resources ? one(s.resources) : "*" }),
          ...(s.principals ? { Principal: principalJson(s.principals) } : {}),
          ...(s.notPrincipals ? { NotPrincipal: principalJson(s.notPrincipals) } : {}),
          ...(s.conditions.length > 0 ? { Condition: conditions } : {}),
        };
      }),
    },
    null,
    2,
  );
}

/**
 * The account id the stack's policies use when the stack reads its account from
 * `data.aws_caller_identity` and no account id is given: every `${data.aws_caller_identity.<name>.account_id}`
 * is read as this one value, so that the principals of the own account compare equal.
 */
export const CALLER_ACCOUNT = "${data.aws_caller_identity.current.account_id}";

/** The caller's own ARN (`${data.aws_caller_identity.<name>.arn}`), an IAM identity of the own account. */
export const CALLER_ARN = "${data.aws_caller_identity.current.arn}";

/** An account id as policies give it: 12 digits, or the caller's account as the stack reads it. */
const ACCOUNT = String.raw`(\d{12}|\$\{data\.aws_caller_identity\.current\.account_id\})`;
const ROOT_ARN = new RegExp(String.raw`^arn:(aws[\w-]*):iam::${ACCOUNT}:root$`);
const IAM_ARN = new RegExp(String.raw`^arn:aws[\w-]*:(?:iam|sts)::${ACCOUNT}:`);

/** `arn:aws:iam::111111111111:root` (or the bare account id): the account's root, which delegates to IAM. */
export function accountRootOf(identifier: string): { partition: string; account: string } | undefined {
  if (/^\d{12}$/.test(identifier) || identifier === CALLER_ACCOUNT) return { partition: "aws", account: identifier };
  const match = ROOT_ARN.exec(identifier);
  return match ? { partition: match[1], account: match[2] } : undefined;
}

/** The account of an IAM or STS ARN (or a bare account id). */
export function accountOf(identifier: string): string | undefined {
  if (/^\d{12}$/.test(identifier) || identifier === CALLER_ACCOUNT) return identifier;
  if (identifier === CALLER_ARN) return CALLER_ACCOUNT;
  return IAM_ARN.exec(identifier)?.[1];
}

/** The document with `map` applied to every principal, resource and condition value. */
export function mapDocument(document: PolicyDocument, map: (text: string) => string): PolicyDocument {
  const list = (values: readonly string[] | undefined) => values?.map(map);
  const principals = (values: readonly Principal[] | undefined) =>
    values?.map((p) => ({ type: p.type, identifier: map(p.identifier) }));
  return {
    origin: document.origin,
    statements: document.statements.map((s) => ({
      ...s,
      principals: principals(s.principals),
      notPrincipals: principals(s.notPrincipals),
      resources: list(s.resources),
      notResources: list(s.notResources),
      conditions: s.conditions.map((c) => ({ ...c, values: c.values.map(map) })),
    })),
  };
}

/**
 * Turns the principal tokens of a stack into ARNs where the stack tells them:
 * `${aws_iam_role.application.arn}` is `arn:aws:iam::<account>:role/<path><name>` when the
 * role's `name` is a literal and the account is known (the config's `accountId`, or the one
 * account whose root the stack's policies name). Anything else stays as written.
 */
export class PrincipalResolver {
  constructor(private readonly stack: StackView) {}

  resolve(identifier: string): string {
    const reference = parseReference(identifier);
    if (reference?.attribute !== "arn") return identifier;
    const element = this.stack.element(reference.address);
    const kind = element?.type === "aws_iam_role" ? "role" : element?.type === "aws_iam_user" ? "user" : undefined;
    if (!element || !kind || !this.stack.accountId) return identifier;
    const name = element.config.name;
    if (typeof name !== "string" || name.includes("${")) return identifier;
    const path = typeof element.config.path === "string" ? element.config.path : "/";
    const region = this.stack.regionOf(element);
    const partition = region?.startsWith("cn-") ? "aws-cn" : region?.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return `arn:${partition}:iam::${this.stack.accountId}:${kind}${path}${name}`;
  }

  /**
   * A principal as a user names it to the evaluator: an ARN, a token, or the address of a
   * role or user of the stack (`aws_iam_role.application`).
   */
  resolveInput(principal: string): string {
    if (ADDRESS_PATTERN.test(principal) && /(^|\.)aws_iam_(role|user)\.[^.]+$/.test(principal))
      return this.resolve(`\${${principal}.arn}`);
    return this.resolve(principal);
  }
}

/**
 * Effective access: may a principal call an action on the key set's key in a region, by the
 * key policies the stack synthesizes?
 *
 * The answer is one of:
 * - `allow`: a statement of the key policy allows it (and no Deny stops it);
 * - `conditional`: a statement allows it only under conditions on request values the question
 *   did not give (e.g. `kms:ReplicaRegion` for ReplicateKey); `conditions` lists them;
 * - `via-iam`: the key policy lets the IAM policies of the principal's account decide, which
 *   this evaluator does not see: only the account root statement covers it, or the principal
 *   is in another account than the key. For the account root itself, that is an `allow`;
 * - `deny`: an explicit Deny matches (Deny wins over every Allow);
 * - `none`: nothing allows it (implicit deny).
 *
 * IAM's rules for a key policy, from the KMS and IAM guides ("Key policies in AWS KMS",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html; "Cross-account policy
 * evaluation logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html;
 * "AWS JSON policy elements: Principal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html):
 * - a principal that a statement names (its ARN, `*`, a service principal, or a role whose
 *   sessions call) is allowed by the key policy alone, in the key's account;
 * - an account (`111122223333` or `arn:aws:iam::111122223333:root`) means the account's root
 *   user and lets the IAM policies of the account's users and roles decide (`via-iam`);
 * - a caller of another account always needs its own account's IAM policies too (`via-iam`),
 *   except its root user, which has every permission in its account; and it can call only the
 *   actions the AWS KMS API Reference marks "Cross-account use: Yes" (cryptographic operations,
 *   DescribeKey, GetPublicKey, GetKeyRotationStatus, grants): anything else is `none` for it
 *   ("Allowing users in other accounts to use a KMS key",
 *   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html);
 * - a Deny that names a principal, its role or its account applies to it; NotPrincipal spares
 *   only a caller it names at every level IAM checks (its account, and the user, or the role or
 *   session), as the NotPrincipal page warns;
 * - conditions as lib/policy/conditions.ts evaluates them, against the request context of
 *   lib/policy/request-context.ts (`aws:PrincipalArn`, `aws:PrincipalAccount`,
 *   `aws:PrincipalOrgID`, `kms:CallerAccount`, `aws:RequestedRegion`...) and the question's
 *   `context`. A KMS condition key the action never carries (`kms:ReplicaRegion` on Decrypt, by
 *   the action catalogue) is absent; any other key the context lacks makes the answer
 *   `conditional`, unless the question says its context is complete.
 *
 * Principals written as tokens (`${aws_iam_role.application.arn}`) are matched by the ARN they
 * resolve to (`arn:aws:iam::<account>:role/<path><name>`) when the role's name is literal and the
 * account is known; a question may also name the role by its address (`aws_iam_role.application`).
 * Resource-side only: IAM policies, grants, SCPs and permission boundaries are out of scope.
 */
import { TerraformStack } from "cdktf";
import type { Json } from "../json";
import { KEY_TYPES } from "../key-types";
import { actionCarriesConditionKey, isCrossAccountAction, kmsAction, statementCoversAction } from "./actions";
import { ABSENT, type ContextValue, evaluateConditions, type KeyFact, UNKNOWN } from "./conditions";
import { accountRootOf, type Condition, type PolicyDocument, type Principal, type Statement } from "./document";
import { describeStatement } from "./key-policies";
import { type Caller, callerOf, requestContextOf } from "./request-context";
import { StackView, type TerraformElement } from "./stack-view";

export type AccessDecision = "allow" | "conditional" | "via-iam" | "deny" | "none";

export interface AccessAnswer {
  readonly decision: AccessDecision;
  readonly principal: string;
  readonly action: string;
  readonly region: string;
  /** The key whose policy decided: `aws_kms_replica_key.eu`. */
  readonly key: string;
  /** The statements that decided, as `statement "AllowEUTeam" of data.aws_iam_policy_document.eu_key_policy`. */
  readonly statements: readonly string[];
  /** For `conditional`: the conditions the request must meet. */
  readonly conditions: readonly Condition[];
  /** One sentence: why. */
  readonly reason: string;
}

/**
 * Request values for conditions: `{ "kms:ReplicaRegion": "eu-west-1" }`. A string is one value
 * of a single-valued key; a list is the values of a multivalued key (`kms:EncryptionContextKeys`),
 * which conditions read through `ForAnyValue:`/`ForAllValues:`.
 */
export type RequestContext = Readonly<Record<string, ContextValue>>;

export interface AccessQuestionOptions {
  /** Request values for the conditions; they take precedence over the values derived from the principal. */
  readonly context?: RequestContext;
  /**
   * Whether `context` (with the values derived from the principal) is all the request carries.
   * @default false: a condition on a key the context lacks makes the answer `conditional`
   */
  readonly completeContext?: boolean;
  /** The key to ask about when a region has several (`aws_kms_key.primary`). */
  readonly key?: string;
}

export interface AccessEvaluatorOptions {
  /**
   * The AWS Organizations id of the key's account (`o-a1b2c3d4e5`): principals of that account
   * carry it as `aws:PrincipalOrgID`. Principals of other accounts carry the one a question's
   * `context` gives.
   * @default unknown: conditions on `aws:PrincipalOrgID` make answers for the account `conditional`
   */
  readonly organizationId?: string;
}

/** A key of the stack with the policy in force on it. */
export interface KeyWithPolicy {
  readonly address: string;
  readonly region: string;
  readonly policy: PolicyDocument;
  /** `argument`, `aws_kms_key_policy`, or `default` (KMS's default key policy). */
  readonly policySource: string;
}

/** How a statement's principals take in a caller: by name (or `*`), or through its account. */
type Match = "named" | "account" | undefined;

export class AccessEvaluator {
  readonly view: StackView;
  readonly keys: readonly KeyWithPolicy[];
  readonly organizationId?: string;
  /** The principal ARNs of the stack, once: the paths of the roles whose sessions call. */
  private knownArns?: readonly string[];

  /** From a stack, its synthesized JSON (object or string). */
  static of(
    stack: TerraformStack | Json | string,
    options: { accountId?: string } & AccessEvaluatorOptions = {},
  ): AccessEvaluator {
    const json =
      typeof stack === "string"
        ? (JSON.parse(stack) as Json)
        : TerraformStack.isStack(stack)
          ? (stack.toTerraform() as Json)
          : stack;
    return new AccessEvaluator(new StackView(json as Json, { accountId: options.accountId }), options);
  }

  constructor(view: StackView, options: AccessEvaluatorOptions = {}) {
    this.view = view;
    this.organizationId = options.organizationId;
    this.keys = view.resources(...KEY_TYPES).flatMap((key: TerraformElement): KeyWithPolicy[] => {
      const region = view.regionOf(key);
      const source = view.policyOf(key);
      if (!region || source.kind === "unreadable") return [];
      return [{ address: key.address, region, policy: source.document, policySource: source.kind }];
    });
  }

  /** The regions that have a key, in the stack's order (the primary first). */
  get regions(): string[] {
    return [...new Set(this.keys.map((key) => key.region))];
  }

  /**
   * Every principal the key policies name, and every IAM role and user the stack declares
   * (resolved where the stack tells), account roots first.
   */
  get principals(): string[] {
    const all = new Set<string>();
    for (const element of this.view.resources("aws_iam_role", "aws_iam_user")) {
      all.add(this.view.principals.resolve(`\${${element.address}.arn}`));
    }
    for (const key of this.keys) {
      for (const statement of key.policy.statements) {
        for (const principal of [...(statement.principals ?? []), ...(statement.notPrincipals ?? [])]) {
          if (principal.type === "AWS" && principal.identifier !== "*")
            all.add(this.view.principals.resolve(principal.identifier));
        }
      }
    }
    return [...all].sort((a, b) => Number(!accountRootOf(a)) - Number(!accountRootOf(b)) || a.localeCompare(b));
  }

  /** May `principal` call `action` on the key in `region`? */
  mayCall(principal: string, action: string, region: string, options: AccessQuestionOptions = {}): AccessAnswer {
    const key = this.keyIn(region, options.key);
    const who = this.view.principals.resolveInput(principal);
    const caller = callerOf(who, (partition, account, roleName) => this.roleArn(partition, account, roleName));
    const base = { principal: who, action, region, key: key.address };
    const factOf = this.requestFacts(caller, action, region, options);
    const keyAccount = this.view.accountId;
    const otherAccount = keyAccount !== undefined && caller.account !== undefined && caller.account !== keyAccount;

    const evaluate = (statement: Statement) => {
      if (!statementCoversAction(statement, action)) return undefined;
      const match = this.principalMatch(statement, caller);
      if (!match) return undefined;
      const { truth, unknown } = evaluateConditions(statement.conditions, factOf);
      return truth === false ? undefined : { match, unknown };
    };
    const describe = (statement: Statement) =>
      describeStatement(statement, key.policy, key.policy.statements.indexOf(statement));

    const denies = key.policy.statements.filter((s) => s.effect === "Deny").map((s) => ({ s, r: evaluate(s) }));
    const firm = denies.find(({ r }) => r && r.unknown.length === 0);
    if (firm) {
      return {
        ...base,
        decision: "deny",
        statements: [describe(firm.s)],
        conditions: [],
        reason: `denied by ${describe(firm.s)}`,
      };
    }
    const maybeDenied = denies.filter(({ r }) => r).map(({ s, r }) => ({ s, unknown: r!.unknown }));
    if (otherAccount && !isCrossAccountAction(action)) {
      const name = kmsAction(action)?.name ?? action;
      const reason = `${name} works only on keys of the caller's own account, and account ${caller.account} is not the key's account ${keyAccount}`;
      return { ...base, decision: "none", statements: [], conditions: [], reason };
    }

    // The key policy alone allows a caller it names (or `*` takes in), in the key's account; the
    // account's root user needs nothing more. Everyone else needs their account's IAM policies too.
    const allows = key.policy.statements
      .filter((s) => s.effect === "Allow")
      .map((s) => ({ s, r: evaluate(s) }))
      .filter(({ r }) => r !== undefined)
      .map(({ s, r }) => ({
        s,
        direct: caller.kind === "root" || (r!.match === "named" && !otherAccount),
        unknown: r!.unknown,
      }));
    const direct = allows.filter((a) => a.direct);
    const unconditional = direct.find((a) => a.unknown.length === 0);
    if (unconditional && maybeDenied.length === 0) {
      return {
        ...base,
        decision: "allow",
        statements: [describe(unconditional.s)],
        conditions: [],
        reason: `allowed by ${describe(unconditional.s)}`,
      };
    }
    if (direct.length > 0) {
      const chosen = unconditional ?? direct[0];
      const conditions = [...chosen.unknown, ...maybeDenied.flatMap((d) => d.unknown)];
      return {
        ...base,
        decision: "conditional",
        statements: [chosen, ...maybeDenied].map((a) => describe(a.s)),
        conditions,
        reason: `allowed by ${describe(chosen.s)} only if ${conditions.map(showCondition).join(" and ")}`,
      };
    }
    const viaIam = allows.find((a) => a.unknown.length === 0) ?? allows[0];
    if (viaIam) {
      const account = caller.account ?? who;
      const why = otherAccount
        ? `${describe(viaIam.s)} covers it, but account ${account} is not the key's account ${keyAccount}, so the IAM policies of account ${account} must allow it too`
        : `no statement names it; ${describe(viaIam.s)} lets the IAM policies of account ${account} decide`;
      const conditions = [...viaIam.unknown, ...maybeDenied.flatMap((d) => d.unknown)];
      return {
        ...base,
        decision: "via-iam",
        statements: [viaIam, ...maybeDenied].map((a) => describe(a.s)),
        conditions,
        reason: conditions.length > 0 ? `${why}, and only if ${conditions.map(showCondition).join(" and ")}` : why,
      };
    }
    return {
      ...base,
      decision: "none",
      statements: [],
      conditions: [],
      reason: `no statement of ${key.policy.origin} allows it`,
    };
  }

  /** The key in a region (the one named by `address` when several are there). */
  keyIn(region: string, address?: string): KeyWithPolicy {
    const candidates = this.keys.filter(
      (key) => key.region === region && (address === undefined || key.address === address),
    );
    if (candidates.length === 1) return candidates[0];
    if (candidates.length === 0) {
      throw new Error(
        `no key${address ? ` ${address}` : ""} in ${region}; the stack's keys are in ${this.regions.join(", ") || "no region"}`,
      );
    }
    throw new Error(
      `${region} has several keys (${candidates.map((k) => k.address).join(", ")}); name one with { key }`,
    );
  }

  /** What is known of each condition key in the request: derived from the caller, given by the question, or absent by the catalogue. */
  private requestFacts(
    caller: Caller,
    action: string,
    region: string,
    options: AccessQuestionOptions,
  ): (key: string) => KeyFact {
    const organizationId =
      caller.account !== undefined && caller.account === this.view.accountId ? this.organizationId : undefined;
    const context = requestContextOf(caller, { region, organizationId });
    for (const [name, value] of Object.entries(options.context ?? {})) context.set(name.toLowerCase(), value);
    return (key) => {
      const value = context.get(key.toLowerCase());
      if (value !== undefined) return value;
      return options.completeContext || !actionCarriesConditionKey(action, key) ? ABSENT : UNKNOWN;
    };
  }

  /** A role's ARN with its path, from the ARNs the stack's roles and key policies name (role names are unique in an account). */
  private roleArn(partition: string, account: string, roleName: string): string | undefined {
    this.knownArns ??= this.principals;
    return this.knownArns.find((arn) => isRoleOf(arn, { partition, account, roleName }));
  }

  /** Whether a statement's Principal (or NotPrincipal) takes in the caller, and how. */
  private principalMatch(statement: Statement, caller: Caller): Match {
    if (statement.notPrincipals) {
      return this.sparedBy(statement.notPrincipals, caller) ? undefined : "named";
    }
    let match: Match;
    for (const principal of statement.principals ?? []) {
      const one = this.principalIs(principal, caller);
      if (one === "named") return "named";
      match = match ?? one;
    }
    return match;
  }

  private principalIs(principal: Principal, caller: Caller): Match {
    if (principal.type === "*" || (principal.type === "AWS" && principal.identifier === "*")) return "named";
    const id = this.view.principals.resolve(principal.identifier);
    if (principal.type === "Service") return caller.kind === "service" && id === caller.id ? "named" : undefined;
    if (principal.type !== "AWS" || caller.kind === "service") return undefined;
    const root = accountRootOf(id);
    if (root) return root.account === caller.account && root.partition === caller.partition ? "account" : undefined;
    if (id === caller.id) return "named";
    if ((caller.kind === "assumed-role" || caller.kind === "role") && isRoleOf(id, caller)) return "named";
    return undefined;
  }

  /**
   * NotPrincipal spares a caller only when it names every identity IAM checks for it: its
   * account, and the user (or the role or the session); an account root, its account; a service, itself.
   */
  private sparedBy(notPrincipals: readonly Principal[], caller: Caller): boolean {
    const matches = notPrincipals.map((p) => this.principalIs(p, caller));
    if (matches.includes("named") && (caller.kind === "service" || caller.kind === "unknown")) return true;
    if (!matches.includes("account")) return false;
    return caller.kind === "root" || matches.includes("named");
  }
}

/** Whether an IAM role ARN is the role of a session: same partition and account, same name (in any case, under any path). */
function isRoleOf(roleArn: string, session: Pick<Caller, "partition" | "account" | "roleName">): boolean {
  const parts = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return (
    parts !== null &&
    parts[1] === session.partition &&
    parts[2] === session.account &&
    parts[3].toLowerCase() === session.roleName?.toLowerCase()
  );
}

/** `kms:ReplicaRegion StringEquals [us-east-1, eu-west-1]` */
export function showCondition(condition: Condition): string {
  return `${condition.variable} ${condition.test} ${condition.values.join(", ")}`;
}

/** Actions `npm run access` shows by default: use, read, manage, and the multi-region operations. */
export const MATRIX_ACTIONS: readonly string[] = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "kms:ReEncryptFrom",
  "kms:DescribeKey",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "kms:ReplicateKey",
  "kms:UpdatePrimaryRegion",
];

export interface AccessMatrix {
  readonly regions: readonly string[];
  readonly rows: readonly { principal: string; action: string; answers: readonly AccessAnswer[] }[];
}

/**
 * Every principal x action x region answer of a stack, or of some of its keys (`keys`: one
 * key set's addresses, one key per region) when a region has several.
 */
export function accessMatrix(
  evaluator: AccessEvaluator,
  options: { principals?: readonly string[]; actions?: readonly string[]; keys?: readonly string[] } = {},
): AccessMatrix {
  const keys = options.keys && evaluator.keys.filter((key) => options.keys!.includes(key.address));
  const regions = keys ? [...new Set(keys.map((key) => key.region))] : evaluator.regions;
  const rows = (options.principals ?? evaluator.principals).flatMap((principal) =>
    (options.actions ?? MATRIX_ACTIONS).map((action) => ({
      principal,
      action,
      answers: regions.map((region) =>
        evaluator.mayCall(principal, action, region, { key: keys?.find((key) => key.region === region)?.address }),
      ),
    })),
  );
  return { regions, rows };
}

const CELL: Record<AccessDecision, string> = {
  allow: "allow",
  conditional: "allow*",
  "via-iam": "iam",
  deny: "DENY",
  none: "-",
};

/** The matrix as a text table, with footnotes for conditional answers and a legend. */
export function formatAccessMatrix(matrix: AccessMatrix, title?: string): string {
  const footnotes: string[] = [];
  const cell = (answer: AccessAnswer) => {
    if (answer.decision !== "conditional") return CELL[answer.decision];
    const note = answer.conditions.map(showCondition).join(" and ");
    let index = footnotes.indexOf(note);
    if (index < 0) index = footnotes.push(note) - 1;
    return `allow*${index + 1}`;
  };
  const header = ["principal", "action", ...matrix.regions];
  const body = matrix.rows.map((row) => [row.principal, row.action, ...row.answers.map(cell)]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((line) => line[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const out = [
    ...(title ? [title, ""] : []),
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map((cells, i) =>
      i > 0 && matrix.rows[i - 1].principal !== matrix.rows[i].principal ? `\n${line(cells)}` : line(cells),
    ),
    "",
    "allow: the key policy allows it   iam: only the account root statement covers it, so the principal's IAM policies decide",
    "DENY: an explicit Deny   -: nothing allows it   allow*N: allowed only if footnote N holds",
    ...footnotes.map((note, i) => `  *${i + 1} ${note}`),
  ];
  return out.join("\n");
}

/**
 * Effective access: may a principal call an action on the key set's key in a region, by the
 * key policies the stack synthesizes?
 *
 * The answer is one of:
 * - `allow`: a statement of the key policy allows it (and no Deny stops it);
 * - `conditional`: a statement allows it only under conditions on request values the question
 *   did not give (e.g. `kms:ReplicaRegion` for ReplicateKey); `conditions` lists them;
 * - `via-iam`: only the account root statement covers it: the key policy delegates to the IAM
 *   policies of the principal's account, which this evaluator does not see. For the account
 *   root itself, that statement is an `allow`;
 * - `deny`: an explicit Deny matches (Deny wins over every Allow);
 * - `none`: nothing allows it (implicit deny).
 *
 * What it reads: Allow and Deny statements, principals (exact ARNs, account roots, `*`,
 * NotPrincipal, an assumed-role session as its role), action wildcards (`kms:*`, `kms:Get*`,
 * NotAction), and conditions with the String*, Arn*, Bool and Null operators (with
 * ForAnyValue/ForAllValues and IfExists). The request context holds `aws:PrincipalArn`,
 * `aws:RequestedRegion` and `kms:CallerAccount`; other keys come from the question's `context`.
 * A condition on a key the context lacks makes the answer `conditional`, except `kms:ReplicaRegion`
 * and `kms:PrimaryRegion`, which requests other than ReplicateKey / UpdatePrimaryRegion never have.
 *
 * Principals written as tokens (`${aws_iam_role.application.arn}`) are matched by the ARN they
 * resolve to (`arn:aws:iam::<account>:role/<path><name>`) when the role's name is literal and the
 * account is known; a question may also name the role by its address (`aws_iam_role.application`).
 * Resource-side only: IAM policies, grants, SCPs and permission boundaries are out of scope.
 */
import { TerraformStack } from "cdktf";
import { MULTI_REGION_ACTIONS, statementCoversAction, wildcardMatch } from "./actions";
import { accountOf, accountRootOf, Condition, PolicyDocument, Principal, Statement } from "./document";
import { describeStatement } from "./key-policies";
import { Json, KEY_TYPES, StackView, TerraformElement } from "./stack-view";

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

/** Request values for conditions: `{ "kms:ReplicaRegion": "eu-west-1" }`. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

export interface AccessQuestionOptions {
  /** Request values for the conditions. */
  readonly context?: RequestContext;
  /** The key to ask about when a region has several (`aws_kms_key.primary`). */
  readonly key?: string;
}

/** A key of the stack with the policy in force on it. */
export interface KeyWithPolicy {
  readonly address: string;
  readonly region: string;
  readonly policy: PolicyDocument;
  /** `argument`, `aws_kms_key_policy`, or `default` (KMS's default key policy). */
  readonly policySource: string;
}

type Match = "direct" | "iam" | undefined;
type Truth = true | false | "unknown";

export class AccessEvaluator {
  readonly view: StackView;
  readonly keys: readonly KeyWithPolicy[];

  /** From a stack, its synthesized JSON (object or string). */
  static of(stack: TerraformStack | Json | string, options: { accountId?: string } = {}): AccessEvaluator {
    const json =
      typeof stack === "string" ? (JSON.parse(stack) as Json) : TerraformStack.isStack(stack) ? (stack.toTerraform() as Json) : stack;
    return new AccessEvaluator(new StackView(json as Json, options));
  }

  constructor(view: StackView) {
    this.view = view;
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
          if (principal.type === "AWS" && principal.identifier !== "*") all.add(this.view.principals.resolve(principal.identifier));
        }
      }
    }
    return [...all].sort((a, b) => Number(!accountRootOf(a)) - Number(!accountRootOf(b)) || a.localeCompare(b));
  }

  /** May `principal` call `action` on the key in `region`? */
  mayCall(principal: string, action: string, region: string, options: AccessQuestionOptions = {}): AccessAnswer {
    const key = this.keyIn(region, options.key);
    const who = this.view.principals.resolveInput(principal);
    const base = { principal: who, action, region, key: key.address };
    const context = this.requestContext(who, region, options.context);

    const evaluate = (statement: Statement) => {
      if (!statementCoversAction(statement, action)) return undefined;
      const match = this.principalMatch(statement, who);
      if (!match) return undefined;
      const unknown: Condition[] = [];
      for (const condition of statement.conditions) {
        const truth = evaluateCondition(condition, context, action);
        if (truth === false) return undefined;
        if (truth === "unknown") unknown.push(condition);
      }
      return { match, unknown };
    };
    const describe = (statement: Statement) => describeStatement(statement, key.policy, key.policy.statements.indexOf(statement));

    const denies = key.policy.statements.filter((s) => s.effect === "Deny").map((s) => ({ s, r: evaluate(s) }));
    const firm = denies.find(({ r }) => r && r.unknown.length === 0);
    if (firm) {
      return { ...base, decision: "deny", statements: [describe(firm.s)], conditions: [], reason: `denied by ${describe(firm.s)}` };
    }
    const maybeDenied = denies.filter(({ r }) => r).map(({ s, r }) => ({ s, unknown: r!.unknown }));

    const allows = key.policy.statements
      .filter((s) => s.effect === "Allow")
      .map((s) => ({ s, r: evaluate(s) }))
      .filter(({ r }) => r !== undefined)
      .map(({ s, r }) => ({ s, match: r!.match, unknown: r!.unknown }));
    const direct = allows.filter((a) => a.match === "direct");
    const unconditional = direct.find((a) => a.unknown.length === 0);
    if (unconditional && maybeDenied.length === 0) {
      return { ...base, decision: "allow", statements: [describe(unconditional.s)], conditions: [], reason: `allowed by ${describe(unconditional.s)}` };
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
    const viaIam = allows.find((a) => a.match === "iam");
    if (viaIam) {
      return {
        ...base,
        decision: "via-iam",
        statements: [describe(viaIam.s)],
        conditions: viaIam.unknown,
        reason: `no statement names it; ${describe(viaIam.s)} lets the IAM policies of account ${accountOf(who)} decide`,
      };
    }
    return { ...base, decision: "none", statements: [], conditions: [], reason: `no statement of ${key.policy.origin} allows it` };
  }

  /** The key in a region (the one named by `address` when several are there). */
  keyIn(region: string, address?: string): KeyWithPolicy {
    const candidates = this.keys.filter((key) => key.region === region && (address === undefined || key.address === address));
    if (candidates.length === 1) return candidates[0];
    if (candidates.length === 0) {
      throw new Error(`no key${address ? ` ${address}` : ""} in ${region}; the stack's keys are in ${this.regions.join(", ") || "no region"}`);
    }
    throw new Error(`${region} has several keys (${candidates.map((k) => k.address).join(", ")}); name one with { key }`);
  }

  private requestContext(principal: string, region: string, given: RequestContext = {}): Map<string, readonly string[]> {
    const context = new Map<string, readonly string[]>();
    context.set("aws:principalarn", [principal]);
    context.set("aws:requestedregion", [region]);
    const account = accountOf(principal);
    if (account) context.set("kms:calleraccount", [account]);
    for (const [name, value] of Object.entries(given)) context.set(name.toLowerCase(), typeof value === "string" ? [value] : value);
    return context;
  }

  private principalMatch(statement: Statement, who: string): Match {
    if (statement.notPrincipals) {
      return statement.notPrincipals.some((p) => this.principalIs(p, who) === "direct") ? undefined : "direct";
    }
    let best: Match;
    for (const principal of statement.principals ?? []) {
      const match = this.principalIs(principal, who);
      if (match === "direct") return "direct";
      best = best ?? match;
    }
    // A Deny to an account root covers every principal of the account.
    if (best === "iam" && statement.effect === "Deny") return "direct";
    return best;
  }

  private principalIs(principal: Principal, who: string): Match {
    if (principal.type === "*" || principal.identifier === "*") return "direct";
    if (principal.type !== "AWS") return undefined;
    const id = this.view.principals.resolve(principal.identifier);
    if (id === who || (id.includes("*") && wildcardMatch(id, who, false))) return "direct";
    const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(who);
    if (session && new RegExp(`^arn:${session[1]}:iam::${session[2]}:role/(.*/)?${escape(session[3])}$`).test(id)) return "direct";
    const root = accountRootOf(id);
    if (root && root.account === accountOf(who)) return accountRootOf(who) ? "direct" : "iam";
    return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `kms:ReplicaRegion StringEquals [us-east-1, eu-west-1]` */
export function showCondition(condition: Condition): string {
  return `${condition.variable} ${condition.test} ${condition.values.join(", ")}`;
}

const NEGATED = /^(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike)$/;

function evaluateCondition(condition: Condition, context: Map<string, readonly string[]>, action: string): Truth {
  let test = condition.test;
  const set = /^(ForAnyValue|ForAllValues):/.exec(test)?.[1];
  if (set) test = test.slice(set.length + 1);
  const ifExists = test.endsWith("IfExists");
  if (ifExists) test = test.slice(0, -"IfExists".length);
  const key = condition.variable.toLowerCase();
  const values = context.get(key);

  if (test === "Null") {
    if (values === undefined && !knownAbsent(key, action)) return "unknown";
    const isNull = values === undefined;
    return condition.values.some((v) => (v === "true") === isNull);
  }
  if (values === undefined) {
    if (ifExists || NEGATED.test(test)) return true;
    return knownAbsent(key, action) ? false : "unknown";
  }
  const one = (value: string): Truth => {
    switch (test) {
      case "StringEquals":
      case "ArnEquals":
        return condition.values.includes(value);
      case "StringNotEquals":
      case "ArnNotEquals":
        return !condition.values.includes(value);
      case "StringEqualsIgnoreCase":
        return condition.values.some((v) => v.toLowerCase() === value.toLowerCase());
      case "StringNotEqualsIgnoreCase":
        return !condition.values.some((v) => v.toLowerCase() === value.toLowerCase());
      case "StringLike":
      case "ArnLike":
        return condition.values.some((v) => wildcardMatch(v, value, false));
      case "StringNotLike":
      case "ArnNotLike":
        return !condition.values.some((v) => wildcardMatch(v, value, false));
      case "Bool":
        return condition.values.some((v) => v.toLowerCase() === value.toLowerCase());
      default:
        return "unknown";
    }
  };
  const results = values.map(one);
  if (results.includes("unknown")) return "unknown";
  return set === "ForAllValues" ? results.every((r) => r === true) : results.some((r) => r === true);
}

/** Condition keys a request for `action` never carries. */
function knownAbsent(key: string, action: string): boolean {
  return Object.entries(MULTI_REGION_ACTIONS).some(
    ([multiRegionAction, conditionKey]) => conditionKey.toLowerCase() === key && multiRegionAction.toLowerCase() !== action.toLowerCase(),
  );
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
      answers: regions.map((region) => evaluator.mayCall(principal, action, region, { key: keys?.find((key) => key.region === region)?.address })),
    })),
  );
  return { regions, rows };
}

const CELL: Record<AccessDecision, string> = { allow: "allow", conditional: "allow*", "via-iam": "iam", deny: "DENY", none: "-" };

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
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const out = [
    ...(title ? [title, ""] : []),
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map((cells, i) => (i > 0 && matrix.rows[i - 1].principal !== matrix.rows[i].principal ? `\n${line(cells)}` : line(cells))),
    "",
    "allow: the key policy allows it   iam: only the account root statement covers it, so the principal's IAM policies decide",
    "DENY: an explicit Deny   -: nothing allows it   allow*N: allowed only if footnote N holds",
    ...footnotes.map((note, i) => `  *${i + 1} ${note}`),
  ];
  return out.join("\n");
}

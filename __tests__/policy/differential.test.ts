/**
 * Our access evaluator against a maintained IAM evaluator, @cloud-copilot/iam-simulate, on
 * random key policies and requests (fast-check, fixed seed): both must reach the same decision
 * (allow, via-iam, deny, none; see ./iam-simulator.ts for how the simulator's answers map).
 *
 * What varies:
 * - callers: roles, assumed-role sessions (of a role with a path too), IAM users and account
 *   roots of the key's account and of another account, and an AWS service principal;
 * - the policy as literal JSON or as an `aws_iam_policy_document` data source;
 * - Principal elements: `*`, `{"AWS": "*"}`, account ids, account root ARNs, role, session and
 *   user ARNs, a service principal; Action and NotAction with wildcards; Allow and Deny;
 * - conditions with the operators both evaluators support: String* (with IgnoreCase, Like and
 *   the negated ones), Arn*, Bool, Null, Numeric*, Date*, IpAddress/NotIpAddress, each with and
 *   without IfExists, and ForAnyValue:/ForAllValues: (or no set operator) on a multivalued
 *   key; policy variables (`${aws:RequestedRegion}`, `${aws:PrincipalAccount, '000000000000'}`...)
 *   in String values;
 * - keys: aws:PrincipalArn, aws:PrincipalAccount, kms:CallerAccount, aws:PrincipalOrgID,
 *   aws:PrincipalType, aws:RequestedRegion, aws:SecureTransport (derived from the caller by our
 *   evaluator; given whole to the simulator, which derives nothing), and kms:ViaService,
 *   aws:PrincipalTag/team, aws:MultiFactorAuthAge, aws:CurrentTime, aws:SourceIp,
 *   kms:ResourceAliases (multivalued) and kms:ReplicaRegion, present or absent in the request.
 *
 * The simulator does not know which KMS actions work across accounts (only those the AWS KMS API
 * Reference marks "Cross-account use: Yes"): for the others, a caller of another account gets
 * `none` (or `deny`), as KMS's guide says, whatever the simulator answers.
 *
 * NotPrincipal is left out: IAM documents that it may check a caller's account, then its role,
 * then its session, and the simulator's authors mark their reading of it as unresearched.
 * `...IfExists` with a set operator is left out too: the simulator ignores IfExists there. So are
 * four inputs where iam-simulate 0.1.173 departs from IAM's documents (conditions.test.ts checks
 * our reading of them): Date values in epoch seconds (it compares them with milliseconds); a bare
 * address (no `/32`) in NotIpAddress against an address of the other IP version; policy
 * variables in ARN operators (it splits the ARN at the colon inside `${aws:...}`); a variable
 * with no value under a negated operator (IAM's page on policy variables: the operator matches;
 * the simulator: it does not), so every variable here has a value or a default.
 */
import fc from "fast-check";
import { isCrossAccountAction, KMS_KEY_ACTIONS } from "../../lib/policy/actions";
import { KEY_ACCOUNT, type KeyRequest, simulateKeyPolicy } from "./iam-simulator";
import { evaluatorOf } from "./literal-key-policy";

const OTHER_ACCOUNT = "222222222222";
const ORGANIZATION = "o-aaaaaaaaaa";
const OTHER_ORGANIZATION = "o-bbbbbbbbbb";
const REGIONS = ["us-east-1", "eu-west-1"];

/** A caller and what IAM knows of it (the simulator's request context derives from this). */
interface Caller {
  readonly arn: string;
  readonly context: Record<string, string>;
}

function caller(arn: string, principalArn: string, type: string, extra: Record<string, string> = {}): Caller {
  const account = /::(\d{12}):/.exec(arn)![1];
  return {
    arn,
    context: {
      "aws:PrincipalArn": principalArn,
      "aws:PrincipalAccount": account,
      "kms:CallerAccount": account,
      "aws:PrincipalType": type,
      "aws:PrincipalIsAWSService": "false",
      ...(account === KEY_ACCOUNT ? { "aws:PrincipalOrgID": ORGANIZATION } : {}),
      ...extra,
    },
  };
}

const CALLERS: readonly Caller[] = [
  caller(`arn:aws:iam::${KEY_ACCOUNT}:role/App`, `arn:aws:iam::${KEY_ACCOUNT}:role/App`, "AssumedRole"),
  caller(
    `arn:aws:sts::${KEY_ACCOUNT}:assumed-role/App/session-1`,
    `arn:aws:iam::${KEY_ACCOUNT}:role/App`,
    "AssumedRole",
  ),
  caller(
    `arn:aws:sts::${KEY_ACCOUNT}:assumed-role/Admin/session-2`,
    `arn:aws:iam::${KEY_ACCOUNT}:role/team/Admin`,
    "AssumedRole",
  ),
  caller(`arn:aws:iam::${KEY_ACCOUNT}:user/alice`, `arn:aws:iam::${KEY_ACCOUNT}:user/alice`, "User", {
    "aws:username": "alice",
  }),
  caller(`arn:aws:iam::${KEY_ACCOUNT}:root`, `arn:aws:iam::${KEY_ACCOUNT}:root`, "Account"),
  caller(
    `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/App/session-3`,
    `arn:aws:iam::${OTHER_ACCOUNT}:role/App`,
    "AssumedRole",
  ),
  caller(`arn:aws:iam::${OTHER_ACCOUNT}:user/bob`, `arn:aws:iam::${OTHER_ACCOUNT}:user/bob`, "User", {
    "aws:username": "bob",
  }),
  caller(`arn:aws:iam::${OTHER_ACCOUNT}:root`, `arn:aws:iam::${OTHER_ACCOUNT}:root`, "Account"),
  {
    arn: "s3.amazonaws.com",
    context: { "aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": "s3.amazonaws.com" },
  },
];

const PRINCIPALS = [
  { AWS: KEY_ACCOUNT },
  { AWS: `arn:aws:iam::${KEY_ACCOUNT}:root` },
  { AWS: OTHER_ACCOUNT },
  { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
  { AWS: `arn:aws:iam::${KEY_ACCOUNT}:role/App` },
  { AWS: `arn:aws:iam::${KEY_ACCOUNT}:role/team/Admin` },
  { AWS: `arn:aws:sts::${KEY_ACCOUNT}:assumed-role/App/session-1` },
  { AWS: `arn:aws:iam::${KEY_ACCOUNT}:user/alice` },
  { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/App` },
  { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:user/bob` },
  { Service: "s3.amazonaws.com" },
];

const ACTIONS = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:DescribeKey",
  "kms:PutKeyPolicy",
  "kms:ReplicateKey",
  "kms:CreateGrant",
];
const ACTION_PATTERNS = [
  "kms:*",
  "kms:Decrypt",
  "kms:*crypt",
  "kms:Describe*",
  "kms:Put*",
  "kms:ReplicateKey",
  "kms:Create*",
  "kms:encrypt",
];

/** Condition keys, the operators that suit each, and the values a policy names. */
const KEYS: readonly { key: string; family: keyof typeof OPERATORS; values: readonly string[] }[] = [
  {
    key: "aws:PrincipalArn",
    family: "arn",
    values: [
      `arn:aws:iam::${KEY_ACCOUNT}:role/App`,
      `arn:aws:iam::${KEY_ACCOUNT}:role/*`,
      `arn:aws:iam::*:role/App`,
      `arn:aws:iam::${KEY_ACCOUNT}:role/team/*`,
      `arn:aws:iam::${KEY_ACCOUNT}:user/alice`,
      `arn:aws:sts::${KEY_ACCOUNT}:assumed-role/App/*`,
      `arn:aws:iam::${OTHER_ACCOUNT}:*`,
    ],
  },
  {
    key: "aws:PrincipalArn",
    family: "string",
    values: [
      `arn:aws:iam::${KEY_ACCOUNT}:role/App`,
      `arn:aws:iam::*:user/*`,
      `ARN:AWS:IAM::${KEY_ACCOUNT}:ROLE/APP`,
      "arn:aws:iam::${aws:PrincipalAccount, '000000000000'}:user/alice",
    ],
  },
  { key: "aws:PrincipalAccount", family: "string", values: [KEY_ACCOUNT, OTHER_ACCOUNT, "1111*"] },
  {
    key: "kms:CallerAccount",
    family: "string",
    values: [KEY_ACCOUNT, OTHER_ACCOUNT, "${aws:PrincipalAccount, 'none'}"],
  },
  { key: "aws:PrincipalOrgID", family: "string", values: [ORGANIZATION, OTHER_ORGANIZATION, "o-*"] },
  { key: "aws:PrincipalType", family: "string", values: ["AssumedRole", "User", "Account", "assumedrole"] },
  { key: "aws:RequestedRegion", family: "string", values: ["us-east-1", "eu-*", "EU-WEST-1"] },
  { key: "aws:SecureTransport", family: "bool", values: ["true", "false", "TRUE"] },
  {
    key: "kms:ViaService",
    family: "string",
    values: [
      "s3.us-east-1.amazonaws.com",
      "ec2.*.amazonaws.com",
      "*.eu-west-1.amazonaws.com",
      "s3.${aws:RequestedRegion}.amazonaws.com",
    ],
  },
  {
    key: "aws:PrincipalTag/team",
    family: "string",
    values: ["payments", "Payments", "pay*", "${aws:PrincipalTag/unit, 'payments'}"],
  },
  { key: "aws:MultiFactorAuthAge", family: "numeric", values: ["3600", "0", "100.5"] },
  {
    key: "aws:CurrentTime",
    family: "date",
    values: ["2026-01-01T00:00:00Z", "2025-06-30", "2025-01-01T12:00:00+00:00"],
  },
  { key: "aws:SourceIp", family: "ip", values: ["10.0.0.0/8", "192.0.2.1/32", "192.0.2.0/24", "2001:db8::/32"] },
  { key: "kms:ResourceAliases", family: "set", values: ["alias/app", "alias/*", "alias/other"] },
  { key: "kms:ReplicaRegion", family: "string", values: ["eu-west-1", "us-*"] },
];

const OPERATORS = {
  string: [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
  ],
  arn: ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
  bool: ["Bool"],
  numeric: [
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
  ],
  date: ["DateEquals", "DateNotEquals", "DateLessThan", "DateGreaterThanEquals"],
  ip: ["IpAddress", "NotIpAddress"],
  // A multivalued key with a set operator, and without one (IAM: it then matches nothing).
  set: [
    "ForAnyValue:StringEquals",
    "ForAllValues:StringEquals",
    "ForAllValues:StringEquals",
    "ForAnyValue:StringLike",
    "ForAllValues:StringLike",
    "ForAnyValue:StringNotEquals",
    "ForAllValues:StringNotLike",
    "StringEquals",
    "StringNotLike",
  ],
} as const;

/** Request values besides those IAM derives from the caller: each key present or absent. */
const requestExtras = fc.record(
  {
    "kms:ViaService": fc.constantFrom("s3.us-east-1.amazonaws.com", "ec2.eu-west-1.amazonaws.com"),
    "aws:PrincipalTag/team": fc.constantFrom("payments", "platform"),
    "aws:MultiFactorAuthAge": fc.constantFrom("0", "100", "3600", "86400"),
    "aws:CurrentTime": fc.constantFrom("2026-01-01T00:00:00Z", "2025-01-01T12:00:00Z"),
    "aws:SourceIp": fc.constantFrom("10.1.2.3", "192.0.2.1", "198.51.100.7", "2001:db8::1"),
    "kms:ResourceAliases": fc.constantFrom<string[]>([], ["alias/app"], ["alias/app", "alias/other"], ["alias/x"]),
    "kms:ReplicaRegion": fc.constantFrom("eu-west-1", "us-west-2"),
  },
  { requiredKeys: [] },
);

/**
 * The keys about the caller come up more often (they are what key policies mostly test), and
 * the multivalued key too (the set operators have the most cases).
 */
const keyNamed = (key: string, family: string) => KEYS.find((k) => k.key === key && k.family === family)!;
const WEIGHTED_KEYS = [
  ...KEYS,
  ...Array<(typeof KEYS)[number]>(3).fill(keyNamed("aws:PrincipalArn", "arn")),
  keyNamed("aws:PrincipalAccount", "string"),
  ...Array<(typeof KEYS)[number]>(2).fill(keyNamed("aws:PrincipalOrgID", "string")),
  ...Array<(typeof KEYS)[number]>(4).fill(keyNamed("kms:ResourceAliases", "set")),
];

const condition = fc
  .constantFrom(...WEIGHTED_KEYS)
  .chain((key) =>
    fc.record({
      key: fc.constant(key.key),
      operator: fc.constantFrom(...OPERATORS[key.family], "Null"),
      ifExists: key.family === "set" ? fc.constant(false) : fc.boolean(),
      values: fc.subarray([...key.values], { minLength: 1 }),
      nullValue: fc.constantFrom("true", "false"),
    }),
  )
  .map(({ key, operator, ifExists, values, nullValue }) =>
    operator === "Null"
      ? { operator, key, values: [nullValue] }
      : { operator: ifExists ? `${operator}IfExists` : operator, key, values },
  );

const statement = fc
  .record({
    effect: fc.constantFrom("Allow", "Allow", "Deny"),
    principal: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom<unknown>("*", { AWS: "*" }) },
      { weight: 4, arbitrary: fc.subarray(PRINCIPALS, { minLength: 1, maxLength: 4 }) },
    ),
    notAction: fc.boolean(),
    actions: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 2 }),
    conditions: fc.oneof(fc.constant([]), fc.array(condition, { minLength: 1, maxLength: 2 })),
  })
  .map(({ effect, principal, notAction, actions, conditions }) => {
    const byOperator: Record<string, Record<string, string[]>> = {};
    for (const c of conditions) {
      byOperator[c.operator] ??= {};
      byOperator[c.operator][c.key] = c.values;
    }
    return {
      Effect: effect,
      Principal: Array.isArray(principal) ? mergePrincipals(principal as Record<string, string>[]) : principal,
      [notAction ? "NotAction" : "Action"]: actions,
      Resource: "*",
      ...(conditions.length > 0 ? { Condition: byOperator } : {}),
    };
  });

function mergePrincipals(list: readonly Record<string, string>[]): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const principal of list) {
    for (const [type, id] of Object.entries(principal)) {
      merged[type] ??= [];
      merged[type].push(id);
    }
  }
  return merged;
}

const policy = fc
  .array(statement, { minLength: 2, maxLength: 4 })
  .map((statements) => ({ Version: "2012-10-17", Statement: statements }));

const request = fc.record({
  caller: fc.constantFrom(...CALLERS),
  action: fc.constantFrom(...ACTIONS),
  region: fc.constantFrom(...REGIONS),
  extras: requestExtras,
  otherOrganization: fc.boolean(),
});

type Question = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** The request the simulator gets: the whole context, as IAM builds it. */
function simulatorRequest(question: Question): KeyRequest {
  const extras = Object.fromEntries(
    Object.entries(question.extras).filter(
      ([key]) => key !== "kms:ReplicaRegion" || question.action === "kms:ReplicateKey",
    ),
  );
  const orgOfOtherAccount =
    question.otherOrganization && question.caller.context["aws:PrincipalAccount"] === OTHER_ACCOUNT;
  return {
    principal: question.caller.arn,
    action: question.action,
    region: question.region,
    context: {
      ...question.caller.context,
      "aws:RequestedRegion": question.region,
      "aws:SecureTransport": "true",
      ...(orgOfOtherAccount ? { "aws:PrincipalOrgID": OTHER_ORGANIZATION } : {}),
      ...extras,
    },
  };
}

describe("the access evaluator and iam-simulate", () => {
  test("checks what the comparison covers", () => {
    expect(ACTIONS.filter((action) => !KMS_KEY_ACTIONS.includes(action))).toEqual([]);
  });

  test("reach the same decision on random key policies and requests", async () => {
    let compared = 0;
    const decisions: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        policy,
        fc.boolean(),
        fc.array(request, { minLength: 3, maxLength: 3 }),
        async (document, asJson, questions) => {
          // Literal JSON or an aws_iam_policy_document; policy variables only through the latter
          // (in a Terraform string, `${` starts an interpolation).
          const form = asJson && !JSON.stringify(document).includes("${") ? "json" : "document";
          const evaluators = new Map(
            REGIONS.map((region) => [
              region,
              evaluatorOf(document, {
                accountId: KEY_ACCOUNT,
                region,
                organizationId: ORGANIZATION,
                roles: [{ name: "Admin", path: "/team/" }],
                form,
              }),
            ]),
          );
          for (const question of questions) {
            const asked = simulatorRequest(question);
            // Our evaluator derives the caller's keys itself; it is given only what the request adds.
            const given = Object.fromEntries(
              Object.entries(asked.context).filter(
                ([key]) =>
                  !(key in question.caller.context) && key !== "aws:RequestedRegion" && key !== "aws:SecureTransport",
              ),
            );
            const ours = evaluators
              .get(question.region)!
              .mayCall(question.caller.arn, question.action, question.region, {
                context: given,
                completeContext: true,
              });
            const simulated = await simulateKeyPolicy(document, asked);
            // KMS lets other accounts call only some actions on a key ("Cross-account use" in the
            // API Reference); the simulator does not know which, so for the others IAM's answer is
            // `none`, unless a Deny says `deny` first.
            const otherAccount = question.caller.context["aws:PrincipalAccount"] === OTHER_ACCOUNT;
            const theirs =
              otherAccount && !isCrossAccountAction(question.action) && simulated !== "deny" ? "none" : simulated;
            if (ours.decision !== theirs) {
              throw new Error(
                `ours: ${ours.decision} (${ours.reason}); iam-simulate: ${theirs}\n` +
                  `policy: ${JSON.stringify(document, null, 1)}\nrequest: ${JSON.stringify(asked, null, 1)}`,
              );
            }
            compared += 1;
            decisions[theirs] = (decisions[theirs] ?? 0) + 1;
          }
        },
      ),
      { seed: 20261201, numRuns: 200 },
    );
    // Every kind of decision comes up often enough to mean something.
    expect(compared).toBe(600);
    const rare = ["allow", "via-iam", "deny", "none"]
      .map((d) => [d, decisions[d] ?? 0])
      .filter(([, n]) => (n as number) < 50);
    expect([rare, decisions]).toEqual([[], decisions]);
  });
});

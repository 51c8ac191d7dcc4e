/**
 * `mrk status [--stack <name>] [--key <name>]` (`npm run status`): the live state of a deployed key set, region by region,
 * read through the AWS SDK (so `AWS_ENDPOINT_URL` points it at an emulator) and compared with
 * what the stack synthesizes.
 *
 * For each region of the key: the key's state, PRIMARY or REPLICA, where the alias points,
 * automatic rotation, and whether the key policy differs from the synthesized one (drift); then
 * the account's symmetric requests in each region against the applied quota (lib/request-usage.ts),
 * for information: they do not change the exit code.
 * Exit code 0 when every region is as the config says, 1 when any is not (drift, a disabled or
 * missing key, an alias elsewhere...), 2 when the key set could not be read at all.
 *
 * The synthesized policy is the key's `aws_iam_policy_document` data source (or literal JSON),
 * rendered to IAM JSON here from the stack's own JSON, with no Terraform run and no state: the
 * only references our key policies hold are IAM role ARNs (`aws_iam_role.application.arn`),
 * which follow from the role's name and path. A key without a policy argument is compared with
 * KMS's default key policy. The comparison is semantic: statements in any order, a single value
 * or a one-element list, action names in any case, an account id or its root ARN.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeKeyCommand, KeyMetadata } from "@aws-sdk/client-kms";
import { App } from "cdktf";
import { MultiRegionKey } from "../multi-region-key";
import { partitionOf } from "../regions";
import { Json } from "../policy/json";
import { InvalidInputError } from "../validation";
import { Command, CommandContext, parseOptions } from "./command";
import { stackNamed as findStack, synthesizeProject } from "./project";
import { selectKey } from "../config";
import { loadStack } from "../config-app";
import { KeySetStack } from "../key-set-stack";
import { aliasTargetInRegion, keyPolicyInRegion, kmsClient, rotationInRegion } from "../key-set-client";
import { readRequestUsage, renderRequestUsage } from "../request-usage";


// ---------------------------------------------------------------------------------------------
// Key policies as sets of statements
// ---------------------------------------------------------------------------------------------

/** One statement in a canonical form: two statements mean the same when their `canonical` are equal. */
export interface CanonicalStatement {
  readonly sid?: string;
  /** Every part of the statement, normalised, by IAM element name. */
  readonly parts: Readonly<Record<string, unknown>>;
  readonly canonical: string;
}

interface StatementInput {
  sid?: string;
  effect?: string;
  actions?: unknown;
  notActions?: unknown;
  resources?: unknown;
  notResources?: unknown;
  principals?: Array<{ type: string; identifiers: string[] }>;
  notPrincipals?: Array<{ type: string; identifiers: string[] }>;
  conditions: Array<{ test: string; variable: string; values: string[] }>;
}

const list = (value: unknown): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map((item) => String(item));
const sortedSet = (values: readonly string[]) => [...new Set(values)].sort();

function canonicalPrincipals(principals: StatementInput["principals"]): Record<string, string[]> | undefined {
  if (!principals) return undefined;
  const byType: Record<string, string[]> = {};
  for (const { type, identifiers } of principals) {
    const kind = type === "*" ? "AWS" : type;
    for (const id of identifiers) {
      // IAM treats an account id as that account's root.
      const identifier = kind === "AWS" && /^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : id;
      (byType[kind] ??= []).push(identifier);
    }
  }
  return Object.fromEntries(Object.keys(byType).sort().map((type) => [type, sortedSet(byType[type])]));
}

function canonicalStatement(input: StatementInput): CanonicalStatement {
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const { test, variable, values } of input.conditions) {
    const byKey = (conditions[test] ??= {});
    const key = variable.toLowerCase(); // condition keys are case-insensitive
    byKey[key] = sortedSet([...(byKey[key] ?? []), ...values]);
  }
  const parts: Record<string, unknown> = {
    Effect: input.effect ?? "Allow",
    Action: input.actions === undefined ? undefined : sortedSet(list(input.actions).map((a) => a.toLowerCase())),
    NotAction: input.notActions === undefined ? undefined : sortedSet(list(input.notActions).map((a) => a.toLowerCase())),
    Resource: input.resources === undefined ? undefined : sortedSet(list(input.resources)),
    NotResource: input.notResources === undefined ? undefined : sortedSet(list(input.notResources)),
    Principal: canonicalPrincipals(input.principals),
    NotPrincipal: canonicalPrincipals(input.notPrincipals),
    Condition: Object.keys(conditions).length === 0 ? undefined : Object.fromEntries(Object.keys(conditions).sort().map((test) => [test, Object.fromEntries(Object.keys(conditions[test]).sort().map((k) => [k, conditions[test][k]]))])),
  };
  const defined = Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined));
  return { sid: input.sid, parts: defined, canonical: JSON.stringify({ Sid: input.sid ?? null, ...defined }) };
}

function principalsFromJson(value: unknown): StatementInput["principals"] {
  if (value === undefined) return undefined;
  if (value === "*") return [{ type: "AWS", identifiers: ["*"] }];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value as Json).map(([type, ids]) => ({ type, identifiers: list(ids) }));
}

/** The statements of a key policy as KMS returns it (JSON), or why it cannot be read. */
export function statementsFromPolicyJson(text: string): CanonicalStatement[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `the policy is not JSON (${(error as Error).message})`;
  }
  const raw = (parsed as Json | null)?.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return statements.map((s: Json) =>
    canonicalStatement({
      sid: typeof s.Sid === "string" ? s.Sid : undefined,
      effect: typeof s.Effect === "string" ? s.Effect : undefined,
      actions: s.Action,
      notActions: s.NotAction,
      resources: s.Resource,
      notResources: s.NotResource,
      principals: principalsFromJson(s.Principal),
      notPrincipals: principalsFromJson(s.NotPrincipal),
      conditions: Object.entries((s.Condition as Json | undefined) ?? {}).flatMap(([test, byKey]) =>
        Object.entries((byKey as Json) ?? {}).map(([variable, values]) => ({ test, variable, values: list(values) })),
      ),
    }),
  );
}

/** Resolves a `${...}` reference of the synthesized JSON to its value, or returns undefined when it cannot. */
export type ReferenceResolver = (reference: string) => string | undefined;

/**
 * The statements of an `aws_iam_policy_document` data source's config, its references resolved,
 * or why they cannot be told before apply (a reference that does not resolve, layered documents).
 */
export function statementsFromDataSource(config: Json, resolve: ReferenceResolver): CanonicalStatement[] | string {
  for (const layered of ["source_policy_documents", "override_policy_documents", "source_json", "override_json"]) {
    if (config[layered] !== undefined) return `it builds on other documents (${layered})`;
  }
  let unresolved: string | undefined;
  const value = (text: string): string => {
    if (!text.includes("${")) return text;
    const resolved = resolve(text);
    if (resolved === undefined) unresolved ??= text;
    return resolved ?? text;
  };
  const blocks = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : v ? [v as Json] : []);
  const principals = (v: unknown) =>
    v === undefined ? undefined : blocks(v).map((p) => ({ type: String(p.type), identifiers: list(p.identifiers).map(value) }));
  const statements = blocks(config.statement).map((s) =>
    canonicalStatement({
      sid: typeof s.sid === "string" ? s.sid : undefined,
      effect: typeof s.effect === "string" ? s.effect : undefined,
      actions: s.actions,
      notActions: s.not_actions,
      resources: s.resources === undefined ? undefined : list(s.resources).map(value),
      notResources: s.not_resources === undefined ? undefined : list(s.not_resources).map(value),
      principals: principals(s.principals),
      notPrincipals: principals(s.not_principals),
      conditions: blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: list(c.values).map(value) })),
    }),
  );
  return unresolved ? `${unresolved} is known only after apply` : statements;
}

/** KMS's default key policy, which a key without a policy argument gets. */
export function defaultKeyPolicyStatements(partition: string, accountId: string): CanonicalStatement[] {
  return [
    canonicalStatement({
      sid: "Enable IAM User Permissions",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
      actions: ["kms:*"],
      resources: ["*"],
      conditions: [],
    }),
  ];
}

/**
 * How a live policy differs from the synthesized one, one line per difference; empty when they
 * mean the same. Statements are matched whole first, then by Sid.
 */
export function policyDifferences(expected: readonly CanonicalStatement[], live: readonly CanonicalStatement[]): string[] {
  const missing = [...expected];
  const extra: CanonicalStatement[] = [];
  for (const statement of live) {
    const same = missing.findIndex((candidate) => candidate.canonical === statement.canonical);
    if (same >= 0) missing.splice(same, 1);
    else extra.push(statement);
  }
  const name = (s: CanonicalStatement) => (s.sid ? `statement "${s.sid}"` : `a statement without Sid (${JSON.stringify(s.parts.Action ?? s.parts.NotAction ?? [])})`);
  const differences: string[] = [];
  for (const statement of [...missing]) {
    const changed = statement.sid === undefined ? -1 : extra.findIndex((candidate) => candidate.sid === statement.sid);
    if (changed < 0) continue;
    const [other] = extra.splice(changed, 1);
    missing.splice(missing.indexOf(statement), 1);
    const fields = [...new Set([...Object.keys(statement.parts), ...Object.keys(other.parts)])].filter(
      (field) => JSON.stringify(statement.parts[field]) !== JSON.stringify(other.parts[field]),
    );
    differences.push(`${name(statement)} differs in ${fields.join(", ")}`);
  }
  differences.push(...missing.map((s) => `${name(s)} is missing`));
  differences.push(...extra.map((s) => `${name(s)} is not in the synthesized policy`));
  return differences;
}

// ---------------------------------------------------------------------------------------------
// What the stack says
// ---------------------------------------------------------------------------------------------

/** The synthesized key policy of one key. */
export type ExpectedPolicy =
  | { readonly kind: "document"; readonly origin: string; readonly statements: readonly CanonicalStatement[] }
  | { readonly kind: "default"; readonly origin: string; readonly statements: readonly CanonicalStatement[] }
  | { readonly kind: "unknown"; readonly origin: string; readonly reason: string };

export interface ExpectedKey {
  readonly region: string;
  /** `aws_kms_key.primary`, `aws_kms_replica_key.eu` */
  readonly address: string;
  readonly type: "PRIMARY" | "REPLICA";
  readonly enabled: boolean;
  readonly policy: ExpectedPolicy;
}

export interface ExpectedKeySet {
  readonly stack: string;
  readonly aliasName: string;
  readonly rotation: { readonly enabled: boolean; readonly periodInDays: number };
  /** The primary first. */
  readonly keys: readonly ExpectedKey[];
}

/** KMS's rotation period when none is given. */
const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/**
 * What the stack declares of one key set (its only key, or one of its `keys`): one entry per
 * region, from the synthesized JSON.
 */
export function expectedKeySet(stack: KeySetStack, keySet: MultiRegionKey = stack.key): ExpectedKeySet {
  const json = stack.toTerraform() as Json;
  const resources = (json.resource ?? {}) as Record<string, Record<string, Json>>;
  const data = (json.data ?? {}) as Record<string, Record<string, Json>>;
  const accountId = stack.config.accountId;
  const resolve = (partition: string): ReferenceResolver => (reference) => {
    const role = /^\$\{aws_iam_role\.([A-Za-z_][\w-]*)\.arn\}$/.exec(reference);
    const config = role && resources.aws_iam_role?.[role[1]];
    if (!config || typeof config.name !== "string") return undefined;
    const path = typeof config.path === "string" ? config.path : "/";
    return `arn:${partition}:iam::${accountId}:role${path}${config.name}`;
  };
  const primary = resources.aws_kms_key?.[`${keySet.addressPrefix}primary`] ?? {};
  const keys = keySet.regionalKeys.map((key): ExpectedKey => {
    const isPrimary = key.name === "primary";
    const type = isPrimary ? "aws_kms_key" : "aws_kms_replica_key";
    const name = `${keySet.addressPrefix}${key.name}`;
    const config = resources[type]?.[name] ?? {};
    const partition = partitionOf(key.region);
    return {
      region: key.region,
      address: `${type}.${name}`,
      type: isPrimary ? "PRIMARY" : "REPLICA",
      enabled: (isPrimary ? config.is_enabled : config.enabled) !== false,
      policy: expectedPolicy(config.policy, data, resolve(partition), partition, accountId),
    };
  });
  return {
    stack: stack.node.id,
    aliasName: keySet.aliasName,
    rotation: {
      enabled: primary.enable_key_rotation === true,
      periodInDays: typeof primary.rotation_period_in_days === "number" ? primary.rotation_period_in_days : DEFAULT_ROTATION_PERIOD_DAYS,
    },
    keys,
  };
}

function expectedPolicy(
  policy: unknown,
  data: Record<string, Record<string, Json>>,
  resolve: ReferenceResolver,
  partition: string,
  accountId: string,
): ExpectedPolicy {
  if (policy === undefined) {
    return { kind: "default", origin: "KMS's default key policy", statements: defaultKeyPolicyStatements(partition, accountId) };
  }
  if (typeof policy !== "string") return { kind: "unknown", origin: "the policy argument", reason: "it is not a string" };
  const document = /^\$\{data\.aws_iam_policy_document\.([A-Za-z_][\w-]*)\.json\}$/.exec(policy);
  if (document) {
    const origin = `data.aws_iam_policy_document.${document[1]}`;
    const config = data.aws_iam_policy_document?.[document[1]];
    if (!config) return { kind: "unknown", origin, reason: "the stack has no such data source" };
    const statements = statementsFromDataSource(config, resolve);
    return typeof statements === "string" ? { kind: "unknown", origin, reason: statements } : { kind: "document", origin, statements };
  }
  if (policy.includes("${")) return { kind: "unknown", origin: "the policy argument", reason: `${policy} is known only after apply` };
  const statements = statementsFromPolicyJson(policy);
  return typeof statements === "string" ? { kind: "unknown", origin: "the policy argument", reason: statements } : { kind: "document", origin: "the policy argument", statements };
}

// ---------------------------------------------------------------------------------------------
// What KMS says
// ---------------------------------------------------------------------------------------------

/** What KMS says of the key set in one region. */
export interface LiveKey {
  readonly region: string;
  /** Undefined when the region has no key with the set's id. */
  readonly metadata?: KeyMetadata;
  /** The key id the alias points to; undefined when the region has no such alias. */
  readonly aliasTarget?: string;
  readonly rotation?: { readonly enabled: boolean; readonly periodInDays?: number } | { readonly error: string };
  readonly policy?: string;
}

export interface LiveKeySet {
  /** The key id of the set: where the alias points in most regions. */
  readonly keyId: string;
  readonly keys: readonly LiveKey[];
}

/** Reads the key set in each region of `expected` through the AWS SDK. */
export async function readLiveKeySet(expected: ExpectedKeySet): Promise<LiveKeySet> {
  const regions = expected.keys.map((key) => key.region);
  const targets = await Promise.all(regions.map((region) => aliasTargetInRegion(expected.aliasName, region)));
  const keyId = mostCommon(targets.filter((t): t is string => t !== undefined));
  if (!keyId) {
    throw new InvalidInputError(
      `${expected.stack}: ${expected.aliasName} exists in none of ${regions.join(", ")}; is the stack deployed, and are the credentials for its account?`,
    );
  }
  const keys = await Promise.all(
    regions.map(async (region, index): Promise<LiveKey> => {
      const metadata = await describeKey(keyId, region);
      if (!metadata) return { region, aliasTarget: targets[index] };
      const [rotation, policy] = await Promise.all([
        rotationInRegion(keyId, region).catch((error: Error) => ({ error: error.name || error.message })),
        keyPolicyInRegion(keyId, region),
      ]);
      return { region, metadata, aliasTarget: targets[index], rotation, policy };
    }),
  );
  return { keyId, keys };
}

async function describeKey(keyId: string, region: string): Promise<KeyMetadata | undefined> {
  try {
    return (await kmsClient(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  } catch (error) {
    if ((error as Error).name === "NotFoundException") return undefined;
    throw error;
  }
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

// ---------------------------------------------------------------------------------------------
// The comparison and the table
// ---------------------------------------------------------------------------------------------

/** One row of the status table, and what is wrong in its region. */
export interface RegionStatus {
  readonly region: string;
  readonly address: string;
  readonly type: string;
  readonly state: string;
  readonly alias: string;
  readonly rotation: string;
  readonly policy: string;
  /** Each problem, naming the region: `eu-west-1: the key is Disabled; the config has it enabled`. */
  readonly problems: readonly string[];
}

/** Key states in which a key of the set works as the config wants it to (Updating: during UpdatePrimaryRegion). */
const WORKING_STATES = ["Enabled", "Updating"];

/** Compares the live key set with the synthesized one, region by region. */
export function compareKeySet(expected: ExpectedKeySet, live: LiveKeySet): RegionStatus[] {
  const rows = expected.keys.map((want): RegionStatus => {
    const got = live.keys.find((key) => key.region === want.region);
    const problems: string[] = [];
    const problem = (text: string) => problems.push(`${want.region}: ${text}`);
    const alias = aliasCell(got?.aliasTarget, live.keyId);
    if (got?.aliasTarget === undefined) problem(`${expected.aliasName} does not exist in the region`);
    else if (got.aliasTarget !== live.keyId) problem(`${expected.aliasName} points to ${got.aliasTarget}, not to the key set's ${live.keyId}`);
    const metadata = got?.metadata;
    if (!metadata) {
      problem(`the region has no key ${live.keyId}`);
      return { region: want.region, address: want.address, type: "-", state: "missing", alias, rotation: "-", policy: "-", problems };
    }

    const type = metadata.MultiRegionConfiguration?.MultiRegionKeyType ?? (metadata.MultiRegion ? "?" : "SINGLE-REGION");
    if (type !== want.type) problem(`the key is ${type}; the config has a ${want.type} here`);

    const state = metadata.KeyState ?? "?";
    const working = WORKING_STATES.includes(state);
    if (want.enabled && !working) problem(`the key is ${state}; the config has it enabled`);
    if (!want.enabled && state !== "Disabled") problem(`the key is ${state}; the config has it disabled (enabled: false)`);

    const rotation = got?.rotation;
    let rotationCell = "?";
    if (rotation && "error" in rotation) {
      rotationCell = `unreadable (${rotation.error})`;
    } else if (rotation) {
      rotationCell = rotation.enabled ? `on${rotation.periodInDays ? `, ${rotation.periodInDays} days` : ""}` : "off";
      if (rotation.enabled !== expected.rotation.enabled) {
        problem(`automatic rotation is ${rotation.enabled ? "on" : "off"}; the config has it ${expected.rotation.enabled ? "on" : "off"}`);
      } else if (rotation.enabled && rotation.periodInDays !== undefined && rotation.periodInDays !== expected.rotation.periodInDays) {
        problem(`rotation happens every ${rotation.periodInDays} days; the config says ${expected.rotation.periodInDays}`);
      }
    }

    let policyCell: string;
    if (want.policy.kind === "unknown") {
      // Not a problem of the key set: the row's policy cell says why it was not compared.
      policyCell = `not compared (${want.policy.origin}: ${want.policy.reason})`;
    } else {
      const livePolicy = statementsFromPolicyJson(got?.policy ?? "");
      const differences = typeof livePolicy === "string" ? [livePolicy] : policyDifferences(want.policy.statements, livePolicy);
      if (differences.length === 0) {
        policyCell = want.policy.kind === "default" ? "as synthesized (KMS default)" : "as synthesized";
      } else {
        policyCell = `DRIFT (${differences.length} difference${differences.length === 1 ? "" : "s"})`;
        problem(`the key policy differs from ${want.policy.origin}: ${differences.join("; ")}`);
      }
    }
    return { region: want.region, address: want.address, type, state, alias, rotation: rotationCell, policy: policyCell, problems };
  });

  const primary = live.keys.find((key) => key.metadata?.MultiRegionConfiguration?.MultiRegionKeyType === "PRIMARY")?.metadata;
  const declared = new Set(expected.keys.map((key) => key.region));
  const undeclared = (primary?.MultiRegionConfiguration?.ReplicaKeys ?? []).map((replica) => replica.Region).filter((region): region is string => !!region && !declared.has(region));
  const extra = undeclared.map((region): RegionStatus => ({
    region,
    address: "(not in the config)",
    type: "REPLICA",
    state: "?",
    alias: "?",
    rotation: "?",
    policy: "?",
    problems: [`${region}: KMS has a replica of the key here, which the config does not declare`],
  }));
  return [...rows, ...extra];
}

function aliasCell(target: string | undefined, keyId: string): string {
  if (target === undefined) return "missing";
  return target === keyId ? "this key" : target;
}

/** The report: a heading, the table, then the problems or "healthy". */
export function renderStatus(expected: ExpectedKeySet, keyId: string, rows: readonly RegionStatus[]): string {
  const header = ["region", "key", "type", "state", `${expected.aliasName} ->`, "rotation", "key policy"];
  const cells = rows.map((r) => [r.region, r.address, r.type, r.state, r.alias, r.rotation, r.policy]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ");
  const problems = rows.flatMap((r) => r.problems);
  return [
    `${expected.stack}: ${expected.aliasName}, key ${keyId}, ${expected.keys.length} regions (read live through the AWS SDK)`,
    "",
    line(header),
    ...cells.map(line),
    "",
    ...(problems.length === 0
      ? ["healthy: every region is as the config says"]
      : [`${problems.length} problem${problems.length === 1 ? "" : "s"}:`, ...problems.map((p) => `  ${p}`)]),
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

/** The stack named `--stack` (default: the project's only stack, or global-encrypt), from its config file. */
export function stackNamed(name: string | undefined, context: CommandContext, configs: readonly string[] = []): KeySetStack {
  const stacks = synthesizeProject(context, { configs });
  const wanted = name ?? (stacks.length === 1 ? stacks[0].name : "global-encrypt");
  const stack = findStack(stacks, wanted);
  if (!stack.configFile) {
    throw new InvalidInputError(`--stack: "${wanted}" is built by code of your own; mrk status reads stacks built from config files`);
  }
  // Only toTerraform() is called: the app never writes to its outdir.
  return loadStack(new App({ outdir: join(tmpdir(), "mrk-status") }), stack.configFile);
}

export const statusCommand: Command = {
  name: "status",
  summary: "the live state of a deployed key set, region by region, against what the stack declares",
  usage: [
    "[--stack <name>] [--key <name>] [--config <file>]...",
    "  --stack  the stack of the key set; default: the only stack, else global-encrypt",
    "  --config a stack config file (repeatable); default: MRK_CONFIG, else the stacks of cdktf.json's app",
    "  --key    the key, when the stack's config lists several",
    "Exit code: 0 when every region is as declared, 1 when any is not, 2 when the key set cannot be read.",
  ].join("\n"),
  async run(argv, context) {
    const { values } = parseOptions(argv, { stack: { type: "string" }, key: { type: "string" }, config: { type: "string", multiple: true } });
    try {
      const stack = stackNamed(values.stack, context, values.config);
      const expected = expectedKeySet(stack, stack.keys[selectKey(stack.config, values.key).index]);
      const live = await readLiveKeySet(expected);
      const rows = compareKeySet(expected, live);
      const usage = await Promise.all(expected.keys.map((key) => readRequestUsage(key.region)));
      context.stdout(renderStatus(expected, live.keyId, rows));
      context.stdout(renderRequestUsage(usage));
      return rows.some((row) => row.problems.length > 0) ? 1 : 0;
    } catch (error) {
      context.stderr(`Error: ${(error as Error).message}\n`);
      return 2;
    }
  },
};

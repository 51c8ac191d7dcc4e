/**
 * `mrk status [--stack <name>] [--key <name>] [--config <file>]...` (`npm run status`): the live
 * state of a deployed key set, region by region, read through the AWS SDK (so `AWS_ENDPOINT_URL`
 * points it at an emulator) and compared with what the stack synthesizes.
 *
 * The stack is any stack of the project, found as `mrk access` finds it (lib/cli/project.ts: the
 * config files `--config` or `MRK_CONFIG` name, else the stacks of cdktf.json's app), and read
 * from its synthesized JSON alone (lib/policy/stack-view.ts): a consumer's own TypeScript stack
 * as well as a config file's.
 *
 * For each region of the key set: the key's state, PRIMARY or REPLICA, where the alias points,
 * automatic rotation, and whether the key policy differs from the synthesized one (drift); then
 * the account's symmetric requests in each region against the applied quota (lib/request-usage.ts),
 * for information: they do not change the exit code.
 * Exit code 0 when every region is as the stack says, 1 when any is not (drift, a disabled or
 * missing key, an alias elsewhere...), 2 when the key set could not be read at all.
 *
 * The synthesized key policy is read with the one policy model (lib/policy/document.ts): an
 * `aws_iam_policy_document` data source with the documents it builds on, literal JSON, a
 * `jsonencode` of literals, an `aws_kms_key_policy`, or KMS's default key policy for a key
 * without one. Its references are read as the live policy will read them: the account that
 * owns the keys is the one KMS reports (`data.aws_caller_identity`'s account, the account of
 * the roles and users the stack declares), a role's ARN follows from its name and path. A
 * reference that cannot be told before apply leaves the policy "not compared", saying which.
 * The comparison is semantic (lib/policy/compare.ts).
 */
import { DescribeKeyCommand, type KeyMetadata } from "@aws-sdk/client-kms";
import { keyAddressPrefix, loadStackConfig } from "../config";
import type { Json } from "../json";
import { aliasTargetInRegion, keyPolicyInRegion, kmsClient, rotationInRegion } from "../key-set-client";
import { policyDifferences } from "../policy/compare";
import { mapDocument, type PolicyDocument, policyFromJson } from "../policy/document";
import { type KeySet, StackView } from "../policy/stack-view";
import { asBoolean, asNumber } from "../policy/terraform-json";
import { readRequestUsage, renderRequestUsage } from "../request-usage";
import { InvalidInputError, KMS_DEFAULT_ROTATION_PERIOD_DAYS } from "../validation";
import { type Command, type CommandContext, parseOptions } from "./command";
import { type ProjectStack, stackNamed, synthesizeProject } from "./project";

// ---------------------------------------------------------------------------------------------
// What the stack says
// ---------------------------------------------------------------------------------------------

/** The synthesized key policy of one key, as KMS will hold it. */
export type ExpectedPolicy =
  | { readonly kind: "document"; readonly origin: string; readonly document: PolicyDocument }
  | { readonly kind: "default"; readonly origin: string; readonly document: PolicyDocument }
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
  /** Undefined when the primary is declared elsewhere (a stack of replicas only). */
  readonly rotation?: { readonly enabled: boolean; readonly periodInDays: number };
  /** The primary first, then the replicas in the order of the stack's JSON. */
  readonly keys: readonly ExpectedKey[];
}

export interface ExpectedKeySetOptions {
  /**
   * The key set, when the stack has several: its name in the config file's `keys`, its alias
   * name, or the address of one of its keys (`aws_kms_key.ledger_primary`).
   * @default the stack's only key set
   */
  readonly key?: string;
  /**
   * The account that owns the keys, as KMS reports it: the caller's account
   * (`data.aws_caller_identity`) and the account of the roles and users the stack declares.
   * @default what the stack tells (lib/policy/stack-view.ts)
   */
  readonly accountId?: string;
  /** The config file the stack was built from, whose `keys` names `key` may be. @default none */
  readonly configFile?: string;
}

/** A Terraform interpolation in a string; `$${` is the escape of a literal `${`. */
const INTERPOLATION = /(?<!\$)\$\{[^}]*\}/;

/**
 * What a stack declares of one key set, from its synthesized JSON (`cdk.tf.json`): one entry
 * per region, the primary first.
 */
export function expectedKeySet(json: Json, options: ExpectedKeySetOptions = {}): ExpectedKeySet {
  const view = new StackView(json, { accountId: options.accountId });
  const set = chooseKeySet(view, options);
  const keys = set.members.map((member): ExpectedKey => {
    const element = view.element(member.address)!;
    if (!member.region) {
      throw new InvalidInputError(
        `${view.name}: ${member.address}: its provider names no region, so the key cannot be read live`,
      );
    }
    const isPrimary = member.role === "primary";
    return {
      region: member.region,
      address: member.address,
      type: isPrimary ? "PRIMARY" : "REPLICA",
      enabled: asBoolean(isPrimary ? element.config.is_enabled : element.config.enabled) !== false,
      policy: expectedPolicy(view, member.address),
    };
  });
  const primary = set.primary === undefined ? undefined : view.element(set.primary);
  return {
    stack: view.name,
    aliasName: aliasNameOf(view, set),
    rotation: primary && {
      enabled: asBoolean(primary.config.enable_key_rotation) === true,
      periodInDays: asNumber(primary.config.rotation_period_in_days) ?? KMS_DEFAULT_ROTATION_PERIOD_DAYS,
    },
    keys,
  };
}

/** The stack's key sets (a primary with its replicas), each once, in the order of the JSON. */
function keySetsOf(view: StackView): KeySet[] {
  const sets: KeySet[] = [];
  for (const key of view.resources()) {
    const set = view.keySetOf(key.address);
    if (set && !sets.includes(set)) sets.push(set);
  }
  return sets;
}

/** `aws_kms_key.ledger_primary (alias/platform/ledger)` */
function describeKeySet(view: StackView, set: KeySet): string {
  const aliases = aliasNamesOf(view, set);
  return `${set.primary ?? set.members[0].address}${aliases.length > 0 ? ` (${aliases[0]})` : ""}`;
}

/** The key set `options.key` names, or the stack's only one. */
function chooseKeySet(view: StackView, options: ExpectedKeySetOptions): KeySet {
  const sets = keySetsOf(view);
  if (sets.length === 0) throw new InvalidInputError(`${view.name}: the stack declares no KMS key`);
  const configKeys = options.configFile
    ? loadStackConfig(options.configFile).keys.filter((key) => key.name !== undefined)
    : [];
  const list = () =>
    sets
      .map((set) => {
        const named = configKeys.find((key) => set.primary === `aws_kms_key.${keyAddressPrefix(key)}primary`);
        return named ? `${named.name}: ${describeKeySet(view, set)}` : describeKeySet(view, set);
      })
      .join(", ");
  if (options.key === undefined) {
    if (sets.length === 1) return sets[0];
    throw new InvalidInputError(`--key: is required: stack ${view.name} has several key sets (${list()})`);
  }
  const wanted = options.key;
  const configKey = configKeys.find((key) => key.name === wanted);
  const chosen = sets.find((set) =>
    configKey
      ? set.primary === `aws_kms_key.${keyAddressPrefix(configKey)}primary`
      : set.members.some((member) => member.address === wanted) || aliasNamesOf(view, set).includes(wanted),
  );
  if (!chosen) {
    throw new InvalidInputError(
      `--key: "${wanted}" names no key set of stack ${view.name}; its key sets are ${list()}`,
    );
  }
  return chosen;
}

/** The literal names of the aliases of a set's keys, the most common first. */
function aliasNamesOf(view: StackView, set: KeySet): string[] {
  const counts = new Map<string, number>();
  for (const member of set.members) {
    const names = new Set(view.aliasesOf(member.address).map((alias) => alias.config.name));
    for (const name of names) {
      if (typeof name === "string" && !INTERPOLATION.test(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
}

/** The alias the set is found by live: the one most of its keys have. */
function aliasNameOf(view: StackView, set: KeySet): string {
  const [name] = aliasNamesOf(view, set);
  if (name === undefined) {
    throw new InvalidInputError(
      `${view.name}: ${describeKeySet(view, set)} has no aws_kms_alias with a literal name; mrk status finds a key set by its alias`,
    );
  }
  return name;
}

/** The key policy in force on a key, its references read as KMS will hold them. */
function expectedPolicy(view: StackView, address: string): ExpectedPolicy {
  const source = view.policyOf(view.element(address)!);
  if (source.kind === "unreadable")
    return { kind: "unknown", origin: `the policy of ${address}`, reason: source.reason };
  const origin =
    source.kind === "aws_kms_key_policy"
      ? source.address
      : source.document.origin === "inline JSON"
        ? `the policy argument of ${address}`
        : source.document.origin;
  const document = asKmsHoldsIt(view, source.document);
  if (typeof document === "string") return { kind: "unknown", origin, reason: document };
  return { kind: source.kind === "default" ? "default" : "document", origin, document };
}

/**
 * The document as the AWS provider sends it to KMS: role and user ARNs resolved where the
 * stack tells them (lib/policy/document.ts's PrincipalResolver), Terraform's escape `$${` and
 * the data source's `&{` as the `${` of an IAM policy variable; or which reference is known
 * only after apply.
 */
function asKmsHoldsIt(view: StackView, document: PolicyDocument): PolicyDocument | string {
  let unresolved: string | undefined;
  const resolved = mapDocument(document, (text) => {
    const value = view.principals.resolve(text);
    const token = INTERPOLATION.exec(value)?.[0];
    if (token) {
      unresolved ??= token;
      return value;
    }
    return value
      .replace(/\$\$\{/g, "${")
      .replace(/%%\{/g, "%{")
      .replace(/&\{/g, "${");
  });
  return unresolved ? `${unresolved} is known only after apply` : resolved;
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

/** The account that owns the live keys, as KMS reports it; undefined when no region has the key. */
export function liveAccountId(live: LiveKeySet): string | undefined {
  for (const { metadata } of live.keys) {
    const account = metadata?.AWSAccountId ?? /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(metadata?.Arn ?? "")?.[1];
    if (account) return account;
  }
  return undefined;
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
    else if (got.aliasTarget !== live.keyId)
      problem(`${expected.aliasName} points to ${got.aliasTarget}, not to the key set's ${live.keyId}`);
    const metadata = got?.metadata;
    if (!metadata) {
      problem(`the region has no key ${live.keyId}`);
      return {
        region: want.region,
        address: want.address,
        type: "-",
        state: "missing",
        alias,
        rotation: "-",
        policy: "-",
        problems,
      };
    }

    const type =
      metadata.MultiRegionConfiguration?.MultiRegionKeyType ?? (metadata.MultiRegion ? "?" : "SINGLE-REGION");
    if (type !== want.type) problem(`the key is ${type}; the config has a ${want.type} here`);

    const state = metadata.KeyState ?? "?";
    const working = WORKING_STATES.includes(state);
    if (want.enabled && !working) problem(`the key is ${state}; the config has it enabled`);
    if (!want.enabled && state !== "Disabled")
      problem(`the key is ${state}; the config has it disabled (enabled: false)`);

    const rotation = got?.rotation;
    let rotationCell = "?";
    if (rotation && "error" in rotation) {
      rotationCell = `unreadable (${rotation.error})`;
    } else if (rotation) {
      rotationCell = rotation.enabled ? `on${rotation.periodInDays ? `, ${rotation.periodInDays} days` : ""}` : "off";
      const declared = expected.rotation;
      if (declared && rotation.enabled !== declared.enabled) {
        problem(
          `automatic rotation is ${rotation.enabled ? "on" : "off"}; the config has it ${declared.enabled ? "on" : "off"}`,
        );
      } else if (
        declared &&
        rotation.enabled &&
        rotation.periodInDays !== undefined &&
        rotation.periodInDays !== declared.periodInDays
      ) {
        problem(`rotation happens every ${rotation.periodInDays} days; the config says ${declared.periodInDays}`);
      }
    }

    let policyCell: string;
    if (want.policy.kind === "unknown") {
      // Not a problem of the key set: the row's policy cell says why it was not compared.
      policyCell = `not compared (${want.policy.origin}: ${want.policy.reason})`;
    } else {
      const livePolicy = policyFromJson(got?.policy ?? "");
      const differences =
        typeof livePolicy === "string" ? [livePolicy] : policyDifferences(want.policy.document, livePolicy);
      if (differences.length === 0) {
        policyCell = want.policy.kind === "default" ? "as synthesized (KMS default)" : "as synthesized";
      } else {
        policyCell = `DRIFT (${differences.length} difference${differences.length === 1 ? "" : "s"})`;
        problem(`the key policy differs from ${want.policy.origin}: ${differences.join("; ")}`);
      }
    }
    return {
      region: want.region,
      address: want.address,
      type,
      state,
      alias,
      rotation: rotationCell,
      policy: policyCell,
      problems,
    };
  });

  const primary = live.keys.find(
    (key) => key.metadata?.MultiRegionConfiguration?.MultiRegionKeyType === "PRIMARY",
  )?.metadata;
  const declared = new Set(expected.keys.map((key) => key.region));
  const undeclared = (primary?.MultiRegionConfiguration?.ReplicaKeys ?? [])
    .map((replica) => replica.Region)
    .filter((region): region is string => !!region && !declared.has(region));
  const extra = undeclared.map(
    (region): RegionStatus => ({
      region,
      address: "(not in the config)",
      type: "REPLICA",
      state: "?",
      alias: "?",
      rotation: "?",
      policy: "?",
      problems: [`${region}: KMS has a replica of the key here, which the config does not declare`],
    }),
  );
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
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ");
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

/** The options of `mrk status` that choose what it compares. */
export interface StatusTarget {
  readonly stack?: string;
  readonly key?: string;
  readonly config?: readonly string[];
}

/** The project's stack that `--stack` names (or its only one), and the key set of it that `--key` names. */
export function statusTarget(
  target: StatusTarget,
  context: CommandContext,
): { stack: ProjectStack; options: ExpectedKeySetOptions; expected: ExpectedKeySet } {
  const stack = stackNamed(synthesizeProject(context, { configs: target.config }), target.stack);
  const options: ExpectedKeySetOptions = { key: target.key, configFile: stack.configFile };
  return { stack, options, expected: expectedKeySet(stack.json, options) };
}

export const statusCommand: Command = {
  name: "status",
  summary: "the live state of a deployed key set, region by region, against what the stack declares",
  usage: [
    "[--stack <name>] [--key <name>] [--config <file>]...",
    "  --stack  the stack of the key set; default: the project's only stack",
    "  --config a stack config file (repeatable); default: MRK_CONFIG, else the stacks of cdktf.json's app",
    "  --key    the key set, when the stack has several: its name in the config's keys, its alias, or a key's address",
    "Exit code: 0 when every region is as declared, 1 when any is not, 2 when the key set cannot be read.",
  ].join("\n"),
  async run(argv, context) {
    const { values } = parseOptions(argv, {
      stack: { type: "string" },
      key: { type: "string" },
      config: { type: "string", multiple: true },
    });
    try {
      const { stack, options, expected: declared } = statusTarget(values, context);
      const live = await readLiveKeySet(declared);
      // The account KMS reports is the one the stack's references resolve in once applied.
      const accountId = liveAccountId(live);
      const expected = accountId ? expectedKeySet(stack.json, { ...options, accountId }) : declared;
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

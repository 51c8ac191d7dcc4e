/**
 * What a Terraform plan would do to KMS keys and aliases that cannot be undone: the plan guard
 * behind `mrk guard` (lib/cli/guard.ts).
 *
 * It reads the JSON of any plan (`terraform show -json <planfile>`, format 1.x): ours, a
 * consumer's, or plain Terraform's, with modules and count or for_each instances, since it
 * works from each change's address, type and actions, never from our stacks. A key that is
 * replaced is data lost for good: whatever was encrypted under it can never be decrypted again.
 *
 * A change is a loss when, for a managed resource of a type in `GUARDED_TYPES`:
 *
 * - its actions hold `delete`: deleted (`["delete"]`), or replaced (`["delete", "create"]`,
 *   `["create", "delete"]`); Terraform's format documents that every action that deletes an
 *   object holds `delete`, so any later combination is caught too. A deposed object's deletion
 *   counts as well;
 * - its actions hold `forget` (`["forget"]`, `["create", "forget"]`): a `removed` block with
 *   `destroy = false` drops it from the state, and the key stays in AWS with no one managing it;
 * - the refresh found it gone (`resource_drift`, actions `["delete"]`: deleted, or pending
 *   deletion, outside Terraform, which the AWS provider reads as gone), whether the plan then
 *   creates it anew or not. Such an object is missing from `prior_state`; only the drift entry's
 *   `before` still holds it;
 *
 * A replica whose `primary_key_arn` changes is replaced (the AWS provider cannot change it in
 * place: `replace_paths` names it); the guard says from which primary to which.
 *
 * A loss can be accepted on purpose, one address at a time, with a reason: `Allowance`.
 */
import { InvalidInputError } from "./invalid-input";
import { isObject, type Json } from "./json";
import { KEY_TYPES, REPLICA_KEY_TYPES } from "./key-types";

/** The resource types whose loss the guard refuses: the AWS provider's KMS keys of every kind, and aliases. */
export const GUARDED_TYPES: readonly string[] = [...KEY_TYPES, "aws_kms_alias"];

/** How a change loses a key or an alias. */
export type LossKind = "deleted" | "replaced" | "forgotten" | "re-created" | "gone";

/** One change of a plan that loses a KMS key, replica or alias. */
export interface PlannedLoss {
  /** The resource instance: `aws_kms_replica_key.apac`, `module.keys.aws_kms_key.team["a"]`. */
  readonly address: string;
  readonly type: string;
  readonly kind: LossKind;
  /** Why, in a few words: "its block is gone from the configuration". */
  readonly why: string;
  /** The ARN of the key or alias that is lost, when the plan knows it. */
  readonly arn?: string;
  /** The deposed key of an object left behind by an earlier replacement, when it is the one lost. */
  readonly deposed?: string;
}

/** What the guard found in a plan. */
export interface PlanGuardReport {
  readonly losses: readonly PlannedLoss[];
  /** The KMS keys and aliases the plan holds (in `resource_changes` or `resource_drift`). */
  readonly guardedResources: number;
}

/** A loss accepted on purpose: its exact address and the reason given. */
export interface Allowance {
  readonly address: string;
  readonly reason: string;
}

/** A loss and the allowance that accepts it, if any. */
export interface JudgedLoss extends PlannedLoss {
  readonly allowedBecause?: string;
}

/** The guard's verdict on a plan with the allowances given. */
export interface PlanGuardVerdict {
  readonly losses: readonly JudgedLoss[];
  /** Allowances that match no loss of the plan: refused, since they would accept a later loss unseen. */
  readonly unusedAllowances: readonly Allowance[];
  /** Whether the plan may be applied: every loss allowed and every allowance used. */
  readonly accepted: boolean;
}

/** An entry of `resource_changes` or `resource_drift`, as far as the guard reads it. */
interface ResourceChange {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly deposed?: string;
  readonly actionReason?: string;
  readonly actions: readonly string[];
  readonly before: Json | undefined;
  readonly after: Json | undefined;
  readonly afterUnknown: Json | undefined;
  readonly replacePaths: readonly unknown[];
}

/** Terraform's `action_reason` values that explain a deletion or a replacement, in words. */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  delete_because_no_resource_config: "its block is gone from the configuration",
  delete_because_no_module: "its module is gone from the configuration",
  delete_because_wrong_repetition: "its block switched between count, for_each and neither",
  delete_because_count_index: "its index is beyond the new count",
  delete_because_each_key: "its key is no longer in for_each",
  delete_because_no_move_target: "a moved block moves it to an address that is not in the configuration",
  replace_because_tainted: "it is tainted",
  replace_by_request: "the plan was asked to replace it (-replace)",
  replace_by_triggers: "replace_triggered_by asks for it",
};

/**
 * Why a refresh does not find a key: the AWS provider reads a key pending deletion as gone, and
 * a resource whose provider changed region is looked for in the new region.
 */
const NOT_FOUND =
  "the refresh did not find it (deleted or pending deletion outside Terraform, or looked for in another region after its provider changed)";

/** A value read from the plan, for a message: strings as they are, unknown values as Terraform says them. */
function shown(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "null");
}

/**
 * Reads the JSON of a plan (`terraform show -json <planfile>`, already parsed) and returns every
 * change that loses a KMS key, replica or alias. `source` names the input in error messages.
 * Throws `InvalidInputError` when the input is not the JSON of a plan Terraform can apply.
 */
export function plannedLosses(plan: unknown, source: string): PlanGuardReport {
  if (!isObject(plan))
    throw new InvalidInputError(`${source}: is not the JSON of a Terraform plan (terraform show -json <planfile>)`);
  const version = plan.format_version;
  if (typeof version !== "string" || !/^1\.\d+$/.test(version)) {
    if (version === undefined && !("planned_values" in plan) && !("resource_changes" in plan)) {
      throw new InvalidInputError(`${source}: is not the JSON of a Terraform plan (terraform show -json <planfile>)`);
    }
    throw new InvalidInputError(
      `${source}: format_version: ${shown(version)} is not a plan format mrk guard reads (1.x)`,
    );
  }
  if (!("planned_values" in plan)) {
    throw new InvalidInputError(
      `${source}: is the JSON of a state, not of a plan; give the output of terraform plan -out=<planfile> then terraform show -json <planfile>`,
    );
  }
  if (plan.errored === true) {
    throw new InvalidInputError(
      `${source}: errored: true: the plan stopped on an error and cannot be applied; fix the error and plan again`,
    );
  }
  const changes = readChanges(plan, "resource_changes", source);
  const drift = readChanges(plan, "resource_drift", source).filter((entry) => entry.deposed === undefined);
  const guarded = (entry: ResourceChange) => entry.mode === "managed" && GUARDED_TYPES.includes(entry.type);

  const goneInRefresh = new Map(
    drift.filter((entry) => guarded(entry) && entry.actions.includes("delete")).map((entry) => [entry.address, entry]),
  );
  const losses: PlannedLoss[] = [];
  for (const change of changes.filter(guarded)) {
    const loss = lossOf(change, goneInRefresh.get(change.address));
    if (loss) losses.push(loss);
  }
  for (const [address, entry] of goneInRefresh) {
    const planned = changes.some(
      (change) => change.address === address && change.deposed === undefined && change.actions.includes("create"),
    );
    if (!planned) {
      losses.push({
        address,
        type: entry.type,
        kind: "gone",
        why: `${NOT_FOUND}, and the plan drops it from the state`,
        arn: arnOf(entry.before),
      });
    }
  }
  return {
    losses,
    guardedResources: new Set([...changes, ...drift].filter(guarded).map((entry) => entry.address)).size,
  };
}

/** The loss a planned change of a guarded resource makes, if any. */
function lossOf(change: ResourceChange, goneInRefresh: ResourceChange | undefined): PlannedLoss | undefined {
  const { address, type, actions, deposed } = change;
  const at = { address, type, arn: arnOf(change.before), ...(deposed === undefined ? {} : { deposed }) };
  if (actions.includes("forget")) {
    return actions.includes("create")
      ? {
          ...at,
          kind: "replaced",
          why: `a new one is created and the old one forgotten: it stays in AWS, managed by no one${because(change)}`,
        }
      : {
          ...at,
          kind: "forgotten",
          why: "a removed block drops it from the state: it stays in AWS, managed by no one",
        };
  }
  if (actions.includes("delete")) {
    if (deposed !== undefined) {
      return { ...at, kind: "deleted", why: `the object deposed (${deposed}) by an earlier replacement is destroyed` };
    }
    if (!actions.includes("create")) {
      return { ...at, kind: "deleted", why: ACTION_REASONS[change.actionReason ?? ""] ?? "the plan destroys it" };
    }
    const order =
      actions.indexOf("delete") < actions.indexOf("create")
        ? "destroyed, then created anew"
        : "created anew, then the old one destroyed";
    return { ...at, kind: "replaced", why: `${order}${because(change)}` };
  }
  if (actions.includes("create") && goneInRefresh) {
    return {
      ...at,
      arn: arnOf(goneInRefresh.before),
      kind: "re-created",
      why: `${NOT_FOUND}, and the plan creates a new one in its place`,
    };
  }
  return undefined;
}

/** ", because <reason>": the action reason, or the arguments that cannot change in place. */
function because(change: ResourceChange): string {
  const paths = change.replacePaths.map((path) => (Array.isArray(path) ? path.map(String).join(".") : String(path)));
  const primary = primaryKeyArnChange(change);
  if (paths.length > 0) {
    const what = paths.map((path) =>
      path === "primary_key_arn" && primary ? primary : `${path} cannot change in place`,
    );
    return `, because ${what.join("; ")}`;
  }
  const reason = ACTION_REASONS[change.actionReason ?? ""];
  return reason ? `, because ${reason}` : "";
}

/** "primary_key_arn changes from <arn> to <arn>" for a replica whose primary changes, else undefined. */
function primaryKeyArnChange(change: ResourceChange): string | undefined {
  if (!REPLICA_KEY_TYPES.includes(change.type) || !change.before) return undefined;
  const before = change.before.primary_key_arn;
  const after = change.afterUnknown?.primary_key_arn === true ? "(known after apply)" : change.after?.primary_key_arn;
  return after === before ? undefined : `primary_key_arn changes from ${shown(before)} to ${shown(after)}`;
}

function arnOf(values: Json | undefined): string | undefined {
  return typeof values?.arn === "string" ? values.arn : undefined;
}

/** The entries of `resource_changes` or `resource_drift`, checked as far as the guard relies on them. */
function readChanges(plan: Json, field: "resource_changes" | "resource_drift", source: string): ResourceChange[] {
  const raw = plan[field];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new InvalidInputError(`${source}: ${field}: is not a list`);
  return raw.map((entry: unknown, index): ResourceChange => {
    const at = `${source}: ${field}[${index}]`;
    if (
      !isObject(entry) ||
      typeof entry.address !== "string" ||
      typeof entry.type !== "string" ||
      !isObject(entry.change)
    ) {
      throw new InvalidInputError(`${at}: is not a resource change (address, type, change)`);
    }
    const { change } = entry;
    if (!Array.isArray(change.actions) || !change.actions.every((action) => typeof action === "string")) {
      throw new InvalidInputError(`${at}.change.actions: is not a list of actions`);
    }
    return {
      address: entry.address,
      mode: typeof entry.mode === "string" ? entry.mode : "managed",
      type: entry.type,
      deposed: typeof entry.deposed === "string" ? entry.deposed : undefined,
      actionReason: typeof entry.action_reason === "string" ? entry.action_reason : undefined,
      actions: change.actions as string[],
      before: isObject(change.before) ? change.before : undefined,
      after: isObject(change.after) ? change.after : undefined,
      afterUnknown: isObject(change.after_unknown) ? change.after_unknown : undefined,
      replacePaths: Array.isArray(change.replace_paths) ? change.replace_paths : [],
    };
  });
}

/**
 * The guard's verdict: each loss with the allowance that accepts it. An allowance names one
 * address exactly (`aws_kms_replica_key.apac`, `module.keys.aws_kms_key.team["a"]`); one that
 * matches no loss makes the verdict a refusal, so that an allowance left in a pipeline never
 * accepts a later loss unseen.
 */
export function judgePlan(report: PlanGuardReport, allowances: readonly Allowance[]): PlanGuardVerdict {
  const reasons = new Map(allowances.map((allowance) => [allowance.address, allowance.reason]));
  const losses = report.losses.map((loss): JudgedLoss => {
    const reason = reasons.get(loss.address);
    return reason === undefined ? loss : { ...loss, allowedBecause: reason };
  });
  const lost = new Set(report.losses.map((loss) => loss.address));
  const unusedAllowances = allowances.filter((allowance) => !lost.has(allowance.address));
  return {
    losses,
    unusedAllowances,
    accepted: unusedAllowances.length === 0 && losses.every((loss) => loss.allowedBecause !== undefined),
  };
}

/**
 * `mrk failover --to <region> [--stack <name>] [--key <name>] [--dry-run]`: promotes the
 * replica in `<region>` to primary and makes the config and the Terraform state follow. `--key`
 * names the key when the stack's config lists several (`keys`). The runbook is docs/failover.md.
 *
 * All or nothing: everything that could stop it after the promotion is checked before it.
 *
 * 1. Checks, changing nothing: that no other failover of the stack runs (it then holds a lock
 *    file beside the config, `<config>.failover.lock`, until it ends); that the config file can
 *    be written; that the config as it will be after the failover synthesizes and passes the rule
 *    pack; that the state is readable and is the key set's state, the one the stack was deployed
 *    with (lib/cli/stack-state.ts: a local state is found from the project, wherever
 *    `MRK_OUTDIR` puts the HCL); and, live, that the current primary and the target are Enabled
 *    and that the target is a replica of the set.
 * 2. Calls UpdatePrimaryRegion (default credential chain; honours AWS_ENDPOINT_URL).
 * 3. Waits until no key of the set is `Updating`, printing progress, and checks that the target
 *    holds the primary.
 * 4. Writes `currentPrimaryRegion` into the stack's config file (formatting kept; written to a
 *    temporary file and renamed over the config, so it is never half written).
 * 5. Writes the stack's HCL and refreshes the Terraform state in `<MRK_OUTDIR>/stacks/<stack>`
 *    (`terraform apply -refresh-only`): the addresses stay put and swap regions
 *    (lib/key-layout.ts), so no import, removal or move is needed. Then `terraform plan` must
 *    show no change.
 *
 * Resumable: step 1 reads where the failover stands, so the same command run again after an
 * interruption at any step does the steps that remain. KMS says the target holds the primary
 * and the config does not: "promoted but not recorded" (also a set promoted outside this tool),
 * steps 4 and 5 remain. The config says so too: "recorded", step 5 remains, and it says whether
 * the state has followed yet. A key still `Updating`: the promotion is under way, step 3 waits.
 *
 * `--dry-run` does the checks of step 1 and prints the other steps without doing them.
 *
 * Test hook: `MRK_FAILOVER_STOP_AFTER=<step>` kills the process (SIGKILL) as soon as that step
 * is done, as a power cut would: the lock stays behind with a pid that runs no more. The
 * end-to-end test uses it to prove that a rerun finishes what was cut off.
 */
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { UpdatePrimaryRegionCommand } from "@aws-sdk/client-kms";
import { App } from "cdktf";
import { applyEdits, modify } from "jsonc-parser";
import { type KeyConfig, keyAddressPrefix, keyRegions, loadStackConfig, selectKey } from "../config";
import { stackFromConfig } from "../config-app";
import type { Json } from "../json";
import { describeKeyInRegions, kmsClient, type RegionalKeyState } from "../key-set-client";
import { reportLines } from "../policy/aspect";
import type { PolicyReport } from "../policy/check";
import { stackFolder } from "../stack-output";
import { terraform } from "../terraform";
import { awsRegionSchema, displayPath, formatValue, InvalidInputError } from "../validation";
import { type Command, type CommandContext, EXIT, parseOptions, UsageError } from "./command";
import { acquireLock, checkLockFree, LockHeldError } from "./lock-file";
import { stackNamed, synthesizeProject } from "./project";
import { backendOf, deployFolder, initArguments, localStateFile, pullState, stateEntry } from "./stack-state";
import { hclOutdir } from "./synth";

/** The KMS calls a failover makes: the AWS SDK's (`SDK_KMS`), or a fake in tests. */
export interface FailoverKms {
  /** What each region says of the key behind `alias`. */
  describe(alias: string, regions: readonly string[]): Promise<RegionalKeyState[]>;
  /** UpdatePrimaryRegion, called in the region of the current primary. */
  updatePrimaryRegion(keyId: string, from: string, to: string): Promise<void>;
}

/** KMS through the AWS SDK: default credential chain, `AWS_ENDPOINT_URL` honoured. */
export const SDK_KMS: FailoverKms = {
  describe: describeKeyInRegions,
  async updatePrimaryRegion(keyId, from, to) {
    await kmsClient(from).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: to }));
  },
};

/** The environment variable of the test hook that stops a failover after a step (see the file comment). */
export const STOP_AFTER_VARIABLE = "MRK_FAILOVER_STOP_AFTER";

export interface FailoverOptions {
  readonly to: string;
  /** The stack of the key set. @default the project's only stack */
  readonly stack?: string;
  /** The key of the stack's `keys` to fail over. @default the stack's only key */
  readonly key?: string;
  readonly dryRun: boolean;
  /** How long to wait for the keys to leave `Updating`. @default 10 minutes */
  readonly timeoutMs?: number;
  /** KMS. @default SDK_KMS */
  readonly kms?: FailoverKms;
  /** The project and where the command writes. */
  readonly context: CommandContext;
}

/** Refuses a target region that is not a region of the key set. */
export function checkTarget(key: KeyConfig, to: string): void {
  const region = awsRegionSchema.safeParse(to);
  if (!region.success) {
    throw new InvalidInputError(`--to: ${formatValue(to)} ${region.error.issues[0].message}`);
  }
  if (!keyRegions(key).includes(to)) {
    throw new InvalidInputError(
      `--to: ${formatValue(to)} holds no key of ${key.alias}; its regions are ${keyRegions(key).join(", ")}`,
    );
  }
}

/**
 * Why UpdatePrimaryRegion must not be called for these two keys, or undefined when it may.
 * Both must be Enabled; `from` must be the primary and `to` a replica.
 */
export function refusal(from: RegionalKeyState, to: RegionalKeyState): string | undefined {
  for (const key of [from, to]) {
    if (key.keyState !== "Enabled") {
      return `${key.region}: the key is ${key.keyState}; UpdatePrimaryRegion needs both keys Enabled (aws kms enable-key --region ${key.region} --key-id ${key.keyId}, or cancel its deletion first)`;
    }
  }
  if (from.multiRegionKeyType !== "PRIMARY") {
    return `${from.region}: the key is a ${from.multiRegionKeyType} (the primary is in ${from.primaryRegion}); the config's currentPrimaryRegion is out of date`;
  }
  if (to.multiRegionKeyType !== "REPLICA") {
    return `${to.region}: the key is a ${to.multiRegionKeyType}, not a replica of the set`;
  }
  return undefined;
}

/**
 * Where a failover to a region stands, from what the config records and what KMS says:
 * - `start`: the primary is where the config says, the target a replica: promote it;
 * - `updating`: a key of the set is `Updating`: a promotion is under way (KMS may show both
 *   keys as replicas meanwhile): wait for it;
 * - `promoted`: the target holds the primary, the config says another region: promoted but not
 *   recorded (cut off, or promoted outside this tool);
 * - `recorded`: the config and KMS both say the target: only the state may be left to follow.
 */
export type FailoverStage = "start" | "updating" | "promoted" | "recorded";

/**
 * The stage of a failover to `to` (`FailoverStage`); `recorded` is the config's primary region,
 * `keys` what KMS says in each region of the set. Throws the reason when it must not go on.
 */
export function failoverStage(recorded: string, to: string, keys: readonly RegionalKeyState[]): FailoverStage {
  const inRegion = (region: string) => {
    const key = keys.find((candidate) => candidate.region === region);
    if (!key) throw new Error(`no key state for ${region}`);
    return key;
  };
  const target = inRegion(to);
  if (keys.some((key) => key.keyState === "Updating")) return "updating";
  if (target.multiRegionKeyType === "PRIMARY") return recorded === to ? "recorded" : "promoted";
  if (recorded === to) {
    throw new InvalidInputError(
      `refused, nothing changed: the config records ${to} as the primary region, but KMS says the primary is in ${target.primaryRegion}; to record where it is, run the failover to ${target.primaryRegion}`,
    );
  }
  const reason = refusal(inRegion(recorded), target);
  if (reason) throw new InvalidInputError(`refused, nothing changed: ${reason}`);
  return "start";
}

/**
 * The config text with `currentPrimaryRegion` set to `region`, or removed when `region` is the
 * region the set was created in. Everything else in the file keeps its formatting. `keyIndex`
 * is the key's entry in `keys`; without it the key is the config's top-level one.
 */
export function withCurrentPrimaryRegion(
  text: string,
  region: string,
  primaryRegion: string,
  keyIndex?: number,
): string {
  const value = region === primaryRegion ? undefined : region;
  const at = keyIndex === undefined ? [] : ["keys", keyIndex];
  const edits = modify(text, [...at, "currentPrimaryRegion"], value, {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
    getInsertionIndex: (properties) => Math.max(properties.indexOf("primaryRegion") + 1, 0),
  });
  return applyEdits(text, edits);
}

/**
 * Why the failover cannot write the config file at `path`, or undefined when it can. A file
 * with no write permission at all is refused even where the user may override it (root): it
 * was marked read-only on purpose. The folder must take the temporary file the config is
 * written through, and the lock.
 */
export function unwritableReason(path: string): string | undefined {
  const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);
  try {
    accessSync(path, constants.W_OK);
  } catch (error) {
    return `cannot be written (${code(error)})`;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o222) === 0) return `is read-only (mode ${mode.toString(8)}); make it writable (chmod u+w)`;
  try {
    accessSync(dirname(realpathSync(path)), constants.W_OK);
  } catch (error) {
    return `its folder cannot be written (${code(error)}); the failover writes the config through a temporary file there, and holds its lock there`;
  }
  return undefined;
}

/** How `waitWhileUpdating` waits. */
export interface WaitOptions {
  /** Gives up after this long; the keys are still promoted, and a rerun goes on waiting. */
  readonly timeoutMs: number;
  /** Between two looks at the keys. @default 2000 */
  readonly intervalMs?: number;
  /** Receives a progress line at each look that finds a key `Updating`. */
  readonly log: (line: string) => void;
  /** Time, to test the wait without waiting. @default the real clock */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
}

const REAL_CLOCK = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * Waits until no key of the set is `Updating` (after UpdatePrimaryRegion, for a few seconds);
 * resolves to what KMS then says of each region, and how long it took.
 */
export async function waitWhileUpdating(
  kms: FailoverKms,
  alias: string,
  regions: readonly string[],
  options: WaitOptions,
): Promise<{ keys: RegionalKeyState[]; waitedMs: number }> {
  const clock = options.clock ?? REAL_CLOCK;
  const started = clock.now();
  for (;;) {
    const keys = await kms.describe(alias, regions);
    const waitedMs = clock.now() - started;
    const updating = keys.filter((key) => key.keyState === "Updating");
    if (updating.length === 0) return { keys, waitedMs };
    if (waitedMs >= options.timeoutMs) {
      throw new FailoverStoppedError(
        3,
        `${updating.map((key) => key.region).join(", ")} still Updating after ${Math.round(waitedMs / 1000)} s`,
      );
    }
    options.log(
      `   waiting: ${updating.map((key) => `${key.region} ${key.multiRegionKeyType} Updating`).join(", ")}; ${Math.round(waitedMs / 1000)} s so far`,
    );
    await clock.sleep(options.intervalMs ?? 2000);
  }
}

/** A step after the checks failed: nothing is lost, and the same command finishes the rest. */
export class FailoverStoppedError extends InvalidInputError {
  constructor(step: number, reason: string) {
    super(
      `the failover stopped at step ${step}: ${reason}\nNothing is lost: run the same command again to finish the steps that remain (docs/failover.md, "Resume").`,
    );
    this.name = "FailoverStoppedError";
  }
}

/** The config after the failover, synthesized in `scratch` and checked by the rule pack. */
interface NewLayout {
  readonly json: Json;
  /** The folder of its HCL, in `scratch`. */
  readonly hclDir: string;
  readonly report: PolicyReport;
}

function synthesizeNewLayout(configPath: string, text: string, scratch: string, to: string): NewLayout {
  const app = new App({ outdir: join(scratch, "json") });
  const reports: PolicyReport[] = [];
  try {
    // The text is the config file's, which was read and checked already, with one field set.
    const stack = stackFromConfig(app, JSON.parse(text), configPath, {
      hclOutdir: scratch,
      report: (report) => reports.push(report),
    });
    app.synth();
    return {
      json: JSON.parse(
        readFileSync(join(stackFolder(join(scratch, "json"), stack.node.id), "cdk.tf.json"), "utf8"),
      ) as Json,
      hclDir: join(scratch, "stacks", stack.node.id),
      report: reports[0],
    };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(
      `refused, nothing changed: the config as the failover would write it (currentPrimaryRegion "${to}": the addresses swap regions, each region keeping its own settings) fails its synth, so no synth of the project would pass until a failback. Fix the config first:\n${error.message}`,
    );
  }
}

/** What `take` returns, or the refusal of a failover that another one holds the lock for. */
function lockedOrRefused<T>(take: () => T): T {
  try {
    return take();
  } catch (error) {
    if (error instanceof LockHeldError) refuse(error.message);
    throw error;
  }
}

/** The closest folder of `path` that exists (the HCL folder may not be there yet). */
function existingFolder(path: string): string {
  return existsSync(path) || dirname(path) === path ? path : existingFolder(dirname(path));
}

/** What step 1 found: the stage of the failover and what the later steps need. */
interface Checked {
  readonly stage: FailoverStage;
  readonly keyId: string;
  /** The config text the failover writes in step 4. */
  readonly newText: string;
  /** The folder step 5 writes the HCL under (`MRK_OUTDIR`). */
  readonly outdir: string;
  /** The stack's local state file, for `terraform init`; undefined for a remote backend. */
  readonly stateFile?: string;
  /** The lines `1. checked:` prints: what KMS says, then each check. */
  readonly lines: string[];
  /** Where an interrupted failover stopped, when it did (`resuming: ...`, `already done: ...`). */
  readonly resuming?: string;
}

/**
 * Step 1: every check, in the order of their cost (local files, the rule pack, KMS, then the
 * state through Terraform). Changes nothing; throws "refused, nothing changed: ..." on the first
 * that fails. `scratch` takes the HCL of the config after the failover.
 */
async function checkBeforePromoting(
  options: FailoverOptions,
  target: { path: string; stackName: string; key: KeyConfig; keyIndex?: number; recorded: string },
  scratch: string,
): Promise<Checked> {
  const { context, to } = options;
  const { path, stackName, key, recorded } = target;
  const lines: string[] = [];

  const outdir = hclOutdir(context);
  const outdirFolder = existingFolder(outdir);
  try {
    accessSync(outdirFolder, constants.W_OK);
  } catch (error) {
    refuse(
      `${displayPath(outdirFolder)}: cannot be written (${(error as NodeJS.ErrnoException).code}); step 5 writes the stack's HCL under ${displayPath(outdir)} (MRK_OUTDIR)`,
    );
  }

  const newText = withCurrentPrimaryRegion(readFileSync(path, "utf8"), to, key.primaryRegion, target.keyIndex);
  const layout = synthesizeNewLayout(path, newText, scratch, to);
  lines.push(`the config after the failover passes the rule pack (${reportLines(layout.report)[0]})`);

  const stateFile = localStateFile(layout.json, stackName, context);
  if (stateFile !== undefined) {
    try {
      accessSync(stateFile, constants.R_OK);
    } catch (error) {
      refuse(
        `${stateFile}: no Terraform state can be read there (${(error as NodeJS.ErrnoException).code}). The stack's local backend path is relative to ${displayPath(deployFolder(context, stackName))}, the folder cdktf deploy runs it in, wherever MRK_OUTDIR puts the HCL: run mrk failover in the project folder the key set was deployed from, or set the config's backend.path`,
      );
    }
  }

  let keys: RegionalKeyState[];
  try {
    keys = await (options.kms ?? SDK_KMS).describe(key.alias, keyRegions(key));
  } catch (error) {
    return refuse(`KMS: could not describe ${key.alias} in ${keyRegions(key).join(", ")}: ${(error as Error).message}`);
  }
  const stage = failoverStage(recorded, to, keys);
  const inRegion = (region: string) => keys.find((candidate) => candidate.region === region)!;
  const keyId = inRegion(to).keyId;

  // The state: readable, and the key set's (its primary's id is the alias's key).
  const shownState = stateFile
    ? displayPath(stateFile)
    : `the state of the stack's ${backendOf(layout.json)?.type} backend`;
  const primaryAddress = `aws_kms_key.${keyAddressPrefix(key)}primary`;
  let state: unknown;
  try {
    terraform(initArguments(stateFile), { cwd: layout.hclDir });
    state = pullState(layout.hclDir);
  } catch (error) {
    refuse(`the Terraform state (${shownState}) cannot be read:\n${(error as Error).message}`);
  }
  const entry = stateEntry(state, "aws_kms_key", `${keyAddressPrefix(key)}primary`);
  if (!entry) {
    return refuse(
      `${shownState} holds no ${primaryAddress}: it is not the state the key set was deployed with (run mrk failover in the project folder it was deployed from)`,
    );
  }
  if (entry.id !== keyId) {
    refuse(
      `${shownState}: ${primaryAddress} is ${entry.id}, but ${key.alias} is ${keyId}: it is not this key set's state`,
    );
  }
  lines.push(`${shownState} holds ${primaryAddress} (${entry.id}), last read in ${entry.region}`);

  const shown = (region: string) => `${region} ${inRegion(region).multiRegionKeyType} ${inRegion(region).keyState}`;
  lines.unshift(recorded === to ? `${shown(to)} (recorded in the config)` : `${shown(recorded)}, ${shown(to)}`);
  const resuming = {
    start: undefined,
    updating: `resuming: a promotion is under way (${keys
      .filter((k) => k.keyState === "Updating")
      .map((k) => `${k.region} Updating`)
      .join(", ")})`,
    promoted: `resuming: promoted but not recorded (KMS: ${to} holds the primary; the config says ${recorded})`,
    recorded:
      entry.region === to
        ? `already done: KMS, the config and the state say ${to}; checking that terraform plan shows no change`
        : `resuming: recorded but not refreshed (KMS and the config say ${to}; the state read ${primaryAddress} in ${entry.region})`,
  }[stage];
  return { stage, keyId, newText, outdir, stateFile, lines, resuming };
}

/** Throws the refusal of a check: nothing has changed. */
function refuse(reason: string): never {
  throw new InvalidInputError(`refused, nothing changed: ${reason}`);
}

/** Runs the failover; see the file comment. Resolves to the exit code; throws InvalidInputError for a refused request. */
export async function failover(options: FailoverOptions): Promise<number> {
  const { context, to } = options;
  const log = (line: string) => context.stdout(`${line}\n`);
  const kms = options.kms ?? SDK_KMS;
  const stack = stackNamed(synthesizeProject(context), options.stack);
  if (!stack.configFile) {
    throw new InvalidInputError(
      `--stack: ${formatValue(stack.name)} is built by code of your own, not from a config file; mrk failover updates config files (set currentPrimaryRegion on the MultiRegionKey in your code instead)`,
    );
  }
  const path = stack.configFile;
  const shownPath = displayPath(path);
  const unwritable = unwritableReason(path);
  if (unwritable) refuse(`${shownPath}: ${unwritable}; the failover records the new primary region there`);
  // Held for the whole run, from before the config is read (a dry run only looks): a second
  // failover of the stack stops here.
  const lockPath = `${realpathSync(path)}.failover.lock`;
  const what = `a failover of ${stack.name}`;
  const command = [
    "mrk failover",
    `--to ${to}`,
    `--stack ${stack.name}`,
    ...(options.key ? [`--key ${options.key}`] : []),
  ].join(" ");
  const lock = options.dryRun ? undefined : lockedOrRefused(() => acquireLock(lockPath, what, command));
  let scratch: string | undefined;
  try {
    const left = lock ? lock.tookOverFrom : lockedOrRefused(() => checkLockFree(lockPath, what));
    const leftBy = left && `left by pid ${left.pid} (${left.command}, since ${left.startedAt}), which runs no more`;
    const lockLine = lock
      ? `lock ${displayPath(lockPath)} taken${leftBy ? `, over one ${leftBy}` : ""}`
      : `lock ${displayPath(lockPath)} ${leftBy ? `${leftBy}: the failover will take it over` : "free"}`;

    const config = loadStackConfig(path);
    const { key, index } = selectKey(config, options.key);
    const keyIndex = key.name === undefined ? undefined : index;
    checkTarget(key, to);
    const recorded = key.currentPrimaryRegion ?? key.primaryRegion;
    const dryRun = options.dryRun ? " (dry run: nothing changes)" : "";
    log(
      recorded === to
        ? `Failover of ${config.name} (${key.alias}) to ${to}, which ${shownPath} records already: finishing it${dryRun}`
        : `Failover of ${config.name} (${key.alias}) from ${recorded} to ${to}${dryRun}`,
    );
    scratch = mkdtempSync(join(tmpdir(), "mrk-failover-"));

    // Step 1
    const checked = await checkBeforePromoting(
      options,
      { path, stackName: config.name, key, keyIndex, recorded },
      scratch,
    );
    const [keys, ...details] = checked.lines;
    log(`1. checked: ${keys}`);
    for (const line of [lockLine, `${shownPath} can be written`, ...details]) log(`   - ${line}`);
    if (checked.resuming) log(`   ${checked.resuming}`);
    stopAfter(1, context);

    const promote = checked.stage === "start";
    const whySkip = checked.stage === "updating" ? "a promotion is under way" : `${to} holds the primary already`;
    if (options.dryRun) {
      log(
        promote
          ? `2. would call UpdatePrimaryRegion(${checked.keyId}, ${to}) in ${recorded}`
          : `2. would skip UpdatePrimaryRegion: ${whySkip}`,
      );
      log(`3. would wait until no key of the set is Updating`);
      log(
        recorded === to
          ? `4. would leave ${shownPath} as it is`
          : `4. would set currentPrimaryRegion to "${to}" in ${shownPath}`,
      );
      log(
        `5. would write the HCL of ${config.name}, refresh its Terraform state and check that terraform plan shows no change`,
      );
      return EXIT.ok;
    }

    // Step 2
    if (promote) {
      try {
        await kms.updatePrimaryRegion(checked.keyId, recorded, to);
      } catch (error) {
        throw new FailoverStoppedError(2, `UpdatePrimaryRegion failed: ${(error as Error).message}`);
      }
      log(`2. UpdatePrimaryRegion: ${to} holds the primary`);
    } else {
      log(`2. skipped UpdatePrimaryRegion: ${whySkip}`);
    }
    stopAfter(2, context);

    // Step 3
    const waited = await waitWhileUpdating(kms, key.alias, keyRegions(key), {
      timeoutMs: options.timeoutMs ?? 600_000,
      log,
    });
    const promoted = waited.keys.find((candidate) => candidate.region === to)!;
    if (promoted.multiRegionKeyType !== "PRIMARY") {
      throw new FailoverStoppedError(
        3,
        `after the update KMS says the primary is in ${promoted.primaryRegion}, not ${to}; the config and the state are as they were. Someone else promoted another region: find out who, then choose`,
      );
    }
    log(`3. no key of the set is Updating (waited ${(waited.waitedMs / 1000).toFixed(1)} s); ${to} holds the primary`);
    stopAfter(3, context);

    // Step 4
    if (recorded === to) {
      log(`4. ${shownPath} records ${to} already`);
    } else {
      writeThroughRename(path, checked.newText);
      log(
        to === key.primaryRegion
          ? `4. ${shownPath}: currentPrimaryRegion removed (${to} is the region the set was created in)`
          : `4. ${shownPath}: currentPrimaryRegion is "${to}"`,
      );
    }
    stopAfter(4, context);

    // Step 5
    const { clean, line } = refreshTerraformState(context, path, config.name, checked.outdir, checked.stateFile);
    log(`5. ${line}`);
    stopAfter(5, context);
    return clean ? EXIT.ok : EXIT.failed;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    lock?.release();
  }
}

/** The test hook (see the file comment). */
function stopAfter(step: number, context: CommandContext): void {
  if (context.env[STOP_AFTER_VARIABLE] === String(step)) process.kill(process.pid, "SIGKILL");
}

/** Replaces the file at `path` (through a symbolic link, if it is one) with `text` in one rename, keeping its mode. */
function writeThroughRename(path: string, text: string): void {
  const target = realpathSync(path);
  const staging = `${target}.${process.pid}.tmp`;
  writeFileSync(staging, text);
  chmodSync(staging, statSync(target).mode & 0o7777);
  renameSync(staging, target);
}

/** Step 5: the stack's HCL, its state refreshed through the swapped providers, and a plan. */
function refreshTerraformState(
  context: CommandContext,
  configPath: string,
  stackName: string,
  outdir: string,
  stateFile: string | undefined,
): { clean: boolean; line: string } {
  const dir = join(outdir, "stacks", stackName);
  const shownDir = displayPath(dir);
  try {
    synthesizeProject(context, { configs: [configPath], hclOutdir: outdir });
    terraform(initArguments(stateFile), { cwd: dir });
    terraform(["apply", "-refresh-only", "-auto-approve", "-no-color", "-input=false"], { cwd: dir });
    // The state was read a moment ago: the plan compares the config with it, without reading every key again.
    const plan = terraform(["plan", "-refresh=false", "-detailed-exitcode", "-no-color", "-input=false"], {
      cwd: dir,
      okStatuses: [0, 2],
    });
    return plan.status === 0
      ? { clean: true, line: `Terraform state in ${shownDir} refreshed; terraform plan: no changes` }
      : {
          clean: false,
          line: `Terraform state in ${shownDir} refreshed: KMS, the config and the state agree, but terraform plan shows changes the failover did not make; review them:\n${plan.stdout}`,
        };
  } catch (error) {
    throw new FailoverStoppedError(
      5,
      `refreshing the Terraform state in ${shownDir} failed:\n${(error as Error).message}`,
    );
  }
}

export const failoverCommand: Command = {
  name: "failover",
  summary: "promote a replica to primary; the config and the Terraform state follow (resumable)",
  usage: [
    "--to <region> [--stack <name>] [--key <name>] [--dry-run]",
    "  --to       the region whose replica becomes the primary",
    "  --stack    the stack of the key set; default: the project's only stack",
    "  --key      the key, when the stack's config lists several",
    "  --dry-run  check, and print the steps without taking them",
    "Run the same command again after an interruption: it finishes the steps that remain (docs/failover.md).",
  ].join("\n"),
  async run(argv, context) {
    const { values } = parseOptions(argv, {
      to: { type: "string" },
      stack: { type: "string" },
      key: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    });
    if (!values.to) throw new UsageError("--to: is required: the region whose replica becomes the primary");
    return failover({ to: values.to, stack: values.stack, key: values.key, dryRun: values["dry-run"]!, context });
  },
};

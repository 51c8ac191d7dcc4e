/**
 * The app: which config files become stacks, how they are synthesized and checked, and how bad
 * input is reported.
 *
 * `MRK_CONFIG` names one config file. Without it, every `*.json` config in `stacks/` is a
 * stack: the default `global-encrypt.json` (the reference document) and the examples.
 */
import { readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { displayPath, InvalidInputError } from "../lib/validation";
import { loadStackConfig } from "./config";
import { PolicyViolationError, printReport } from "../lib/policy/aspect";
import { checkStack, errorsOf } from "../lib/policy/check";
import { Json } from "../lib/policy/stack-view";
import { KeySetStack } from "./key-set-stack";

/**
 * The project's folder. Every file that asks is one folder below it: this one in `stacks/`,
 * the scripts in `scripts/`, and their compiled bundles in `dist/` (scripts/run-compiled.js).
 */
export const PROJECT_ROOT = resolve(__dirname, "..");

/** The folder of the stacks and their config files. */
export const STACKS_DIR = join(PROJECT_ROOT, "stacks");

/** The default config: the reference document's setup. */
export const DEFAULT_CONFIG = join(STACKS_DIR, "global-encrypt.json");

/** The config files the app builds stacks from. */
export function stackConfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.MRK_CONFIG) return [resolve(env.MRK_CONFIG)];
  return readdirSync(STACKS_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => join(STACKS_DIR, file));
}

/** Adds one stack per config file to the app; stack names must be unique. */
export function buildStacks(app: App, configPaths: readonly string[]): KeySetStack[] {
  const stacks: KeySetStack[] = [];
  for (const path of configPaths) {
    const config = loadStackConfig(path);
    const clash = stacks.find((stack) => stack.config.name === config.name);
    if (clash) {
      throw new InvalidInputError(`${path}: name: "${config.name}" is already the name of another config's stack`);
    }
    stacks.push(new KeySetStack(app, config, path));
  }
  return stacks;
}

/**
 * `app.synth()`, then the policy rule pack on each stack's JSON as cdktf wrote it (warnings and
 * suppressions are printed). A stack that breaks a rule has its JSON removed, so nothing is left
 * to apply, and the synth fails with `PolicyViolationError`, one line per error. Returns each
 * stack's JSON, for the HCL writer.
 *
 * The rules read the JSON the synth made (`KeySetStack.synthesized`) instead of running as an
 * aspect (`applyPolicyPack`, for stacks of your own), which would resolve every token of the
 * stack once more: on a stack of thousands of keys that is a second or more of every synth.
 */
export function synthesizeApp(app: App, stacks: readonly KeySetStack[]): Map<KeySetStack, Json> {
  app.synth();
  const synthesized = new Map<KeySetStack, Json>();
  for (const stack of stacks) {
    const file = join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath);
    const json = stack.synthesized ?? (stack.toTerraform() as Json);
    const source = stack.configPath && displayPath(stack.configPath);
    const report = checkStack(stack, { ...stack.config.policy, accountId: stack.config.accountId, source }, json);
    printReport(report);
    if (errorsOf(report).length > 0) {
      rmSync(file, { force: true });
      throw new PolicyViolationError(report, source);
    }
    synthesized.set(stack, json);
  }
  return synthesized;
}


/**
 * Runs `main`; bad input ends the process with its message (one line per problem) and exit
 * code 1, not a stack trace. Anything else is a bug and keeps its stack trace.
 */
export function exitOnInvalidInput(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    process.stderr.write(`Error: ${error.message}\n`);
    process.exit(1);
  }
}

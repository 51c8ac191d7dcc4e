/**
 * The app: which config files become stacks, and how bad input is reported.
 *
 * `MRK_CONFIG` names one config file. Without it, every `*.json` config in `stacks/` is a
 * stack: the default `global-encrypt.json` (the reference document) and the examples.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { InvalidInputError } from "../lib/validation";
import { loadStackConfig } from "./config";
import { applyPolicyPack } from "../lib/policy/aspect";
import { KeySetStack } from "./key-set-stack";

/** The folder of the stacks and their config files. */
export const STACKS_DIR = __dirname;

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
    const stack = new KeySetStack(app, config);
    // The rule pack runs at synth: errors fail it, warnings and suppressions are printed.
    applyPolicyPack(stack, { ...config.policy, accountId: config.accountId, source: path });
    stacks.push(stack);
  }
  return stacks;
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

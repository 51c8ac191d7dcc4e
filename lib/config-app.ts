/**
 * Config files as stacks: one `KeySetStack` per file, how they are synthesized and checked, and
 * how bad input is reported.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadStackConfig } from "./config";
import { KeySetStack } from "./key-set-stack";
import { PolicyViolationError, printReport } from "./policy/aspect";
import { checkStack, errorsOf } from "./policy/check";
import { Json } from "./policy/stack-view";
import { displayPath, InvalidInputError } from "./validation";

/** The `*.json` config files of a folder, sorted by name. */
export function configFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => join(dir, file));
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

/**
 * Config files as stacks: one `KeySetStack` per file, and how bad input is reported.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadStackConfig } from "./config";
import { KeySetStack, KeySetStackOptions } from "./key-set-stack";
import { InvalidInputError } from "./validation";

/** The `*.json` config files of a folder, sorted by name. */
export function configFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => join(dir, file));
}

/**
 * Adds one stack per config file to the app; stack names must be unique. Each stack runs the
 * rule pack when the app synthesizes, and writes its reviewable HCL to `options.hclOutdir`.
 */
export function buildStacks(app: App, configPaths: readonly string[], options: Pick<KeySetStackOptions, "hclOutdir"> = {}): KeySetStack[] {
  const stacks: KeySetStack[] = [];
  for (const path of configPaths) {
    const config = loadStackConfig(path);
    const clash = stacks.find((stack) => stack.config.name === config.name);
    if (clash) {
      throw new InvalidInputError(`${path}: name: "${config.name}" is already the name of another config's stack`);
    }
    stacks.push(new KeySetStack(app, config, { ...options, configPath: path }));
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

/**
 * Config files as stacks: one `KeySetStack` per file, and how bad input is reported.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { App } from "cdktf";
import { parse as parseLeniently } from "jsonc-parser";
import { parseStackConfig, stackNameSchema } from "./config";
import { readConfigJson } from "./config-file";
import { keyLedgerPath } from "./key-ledger";
import { KeySetStack, type KeySetStackOptions } from "./key-set-stack";
import { HCL_OUTDIR_VARIABLE } from "./policy/aspect";
import { removeStackOutput } from "./stack-output";
import { displayPath, InvalidInputError } from "./validation";

/** The `*.json` config files of a folder (not their `*.lock.json` key ledgers), sorted by name. */
export function configFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json") && !file.endsWith(".lock.json"))
    .sort()
    .map((file) => join(dir, file));
}

/**
 * The stack of a config object: its shape checked here, its values by the constructs, every
 * problem reported at the config's field, after `source` (the file's name). A config that is
 * refused leaves nothing of its stack's earlier synth behind (stack-output.ts).
 */
export function stackFromConfig(
  app: App,
  data: unknown,
  source: string,
  options: Omit<KeySetStackOptions, "configPath"> = {},
): KeySetStack {
  try {
    return new KeySetStack(app, parseStackConfig(data, displayPath(source)), { ...options, configPath: source });
  } catch (error) {
    if (error instanceof InvalidInputError)
      removeOutputOfRefused((data as { name?: unknown } | null)?.name, app, options.hclOutdir);
    throw error;
  }
}

/** Removes the earlier output of the stack a refused config names, if it names one. */
function removeOutputOfRefused(name: unknown, app: App, hclOutdir: string | undefined): void {
  if (stackNameSchema.safeParse(name).success) {
    removeStackOutput(name as string, { cdktf: app.outdir, hcl: hclOutdir ?? process.env[HCL_OUTDIR_VARIABLE] });
  }
}

/**
 * A config file's JSON (`readConfigJson`). A file refused before it is JSON a config can be
 * (not JSON, a key given twice, a byte-order mark) still leaves nothing of its stack's earlier
 * synth: the stack is the one its `name` names, read as leniently as it can be.
 */
function readConfigFile(app: App, path: string, hclOutdir: string | undefined): unknown {
  try {
    return readConfigJson(path);
  } catch (error) {
    if (error instanceof InvalidInputError) removeOutputOfRefused(nameReadLeniently(path), app, hclOutdir);
    throw error;
  }
}

function nameReadLeniently(path: string): unknown {
  try {
    return (
      parseLeniently(readFileSync(path, "utf8").replace(/^\uFEFF/, ""), [], { allowTrailingComma: true }) as
        | { name?: unknown }
        | undefined
    )?.name;
  } catch {
    return undefined;
  }
}

/** The stack of a config file (`stackFromConfig`), with its key ledger beside it (`<config>.lock.json`). */
export function loadStack(
  app: App,
  path: string,
  options: Pick<KeySetStackOptions, "hclOutdir" | "report"> = {},
): KeySetStack {
  return stackFromConfig(app, readConfigFile(app, path, options.hclOutdir), path, {
    ...options,
    keyLedger: keyLedgerPath(path),
  });
}

/**
 * Adds one stack per config file to the app; stack names must be unique. Each stack runs the
 * rule pack when the app synthesizes, and writes its reviewable HCL to `options.hclOutdir`.
 */
export function buildStacks(
  app: App,
  configPaths: readonly string[],
  options: Pick<KeySetStackOptions, "hclOutdir" | "report"> = {},
): KeySetStack[] {
  const stacks: KeySetStack[] = [];
  for (const path of configPaths) {
    const data = readConfigFile(app, path, options.hclOutdir);
    const name = (data as { name?: unknown })?.name;
    if (stacks.some((stack) => stack.config.name === name)) {
      throw new InvalidInputError(
        `${displayPath(path)}: name: ${JSON.stringify(name)} is already the name of another config's stack`,
      );
    }
    stacks.push(stackFromConfig(app, data, path, { ...options, keyLedger: keyLedgerPath(path) }));
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

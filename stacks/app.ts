/**
 * This repository's app: which config files become stacks.
 *
 * `MRK_CONFIG` names one config file. Without it, every `*.json` config in `stacks/` is a
 * stack: the default `global-encrypt.json` (the reference document) and the examples.
 */
import { join, resolve } from "node:path";
import { configFilesIn } from "../lib/config-app";

/** The folder of the stacks and their config files. */
export const STACKS_DIR = resolve(__dirname, "..", "stacks");

/** The default config: the reference document's setup. */
export const DEFAULT_CONFIG = join(STACKS_DIR, "global-encrypt.json");

/** The config files the app builds stacks from. */
export function stackConfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  return env.MRK_CONFIG ? [resolve(env.MRK_CONFIG)] : configFilesIn(STACKS_DIR);
}

/**
 * The stacks a command works on, in the project folder it runs in.
 *
 * Config files, when the command names them (`--config <file>`, repeatable) or `MRK_CONFIG`
 * does; else every `*.json` file of the project's `stacks/` folder.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { configFilesIn } from "../config-app";
import { InvalidInputError } from "../validation";
import { CommandContext } from "./command";

/** The config files of the project: `configs` when given, else `MRK_CONFIG`, else `stacks/*.json`. */
export function projectConfigPaths(context: CommandContext, configs: readonly string[] = []): string[] {
  if (configs.length > 0) return configs.map((path) => resolve(context.cwd, path));
  if (context.env.MRK_CONFIG) return [resolve(context.cwd, context.env.MRK_CONFIG)];
  const dir = join(context.cwd, "stacks");
  if (!existsSync(dir)) {
    throw new InvalidInputError(`${context.cwd}: has no stacks/ folder; name a config file with --config <file> or MRK_CONFIG`);
  }
  return configFilesIn(dir);
}

/** Where the HCL goes: `--out`, else `MRK_OUTDIR`, else `cdktf.out` in the project folder. */
export function hclOutdir(context: CommandContext, out?: string): string {
  return resolve(context.cwd, out ?? context.env.MRK_OUTDIR ?? "cdktf.out");
}

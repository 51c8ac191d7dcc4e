/**
 * Running `mrk` in-process, as a user would run it in a project folder, and reading what it
 * printed.
 */
import { join } from "node:path";
import type { CommandContext } from "../lib/cli/command";
import { mrk } from "../lib/cli/main";

/** This repository: a project with `stacks/*.json` and a cdktf.json. */
export const REPO_ROOT = join(__dirname, "..");

/** A context that collects what a command prints. */
export function testContext(
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CommandContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? {},
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    out,
    err,
  };
}

/** Runs `mrk <argv>`; resolves to its exit code and what it printed. */
export async function runMrk(
  argv: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const context = testContext(options);
  const code = await mrk(argv, context);
  return { code, stdout: context.out.join(""), stderr: context.err.join("") };
}

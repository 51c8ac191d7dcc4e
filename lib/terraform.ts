/**
 * Runs the `terraform` command for scripts and tests, offline through the provider mirror
 * when the machine has one (see terraform-env.ts).
 */
import { spawnSync } from "node:child_process";
import { terraformEnv } from "./terraform-env";

export interface TerraformResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TerraformOptions {
  /** The folder to run in. */
  readonly cwd: string;
  /** Variables added to the environment, e.g. an emulator's `AWS_ENDPOINT_URL`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Exit codes that are not failures (`plan -detailed-exitcode` exits 2 for changes). @default [0] */
  readonly okStatuses?: readonly number[];
}

/** Runs `terraform <args>` and throws, with its output, when it fails. */
export function terraform(args: readonly string[], options: TerraformOptions): TerraformResult {
  const result = spawnSync("terraform", [...args], {
    cwd: options.cwd,
    env: { ...terraformEnv(), TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...options.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const status = result.status ?? -1;
  if (!(options.okStatuses ?? [0]).includes(status)) {
    throw new Error(
      `terraform ${args.join(" ")} exited ${status} in ${options.cwd}:\n${result.stderr || result.stdout}`,
    );
  }
  return { status, stdout: result.stdout, stderr: result.stderr };
}

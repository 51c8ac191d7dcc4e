/**
 * Our commands print what they are for and nothing of the tools they run: no cdktf-cli
 * checkpoint or telemetry message ("Could not send telemetry data", "getaddrinfo ENOTFOUND
 * checkpoint-api.hashicorp.com"), no update notice ("Newer version of Terraform CDK is
 * available"), no progress spinner. They run as `npm run synth` runs them (package.json's
 * scripts), in an environment that asks for none of this to be left out (no CHECKPOINT_DISABLE,
 * no DISABLE_VERSION_CHECK), with the project's own app (cdktf.json's, a process of its own) and
 * with a config file built in-process.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG } from "../../stacks/app";

const REPO_ROOT = join(__dirname, "..", "..");
const SCRIPTS = (require("../../package.json") as { scripts: Record<string, string> }).scripts;

/** `npm run <script> -- <args>`, without npm's own lines. */
function run(script: string, args: readonly string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["CHECKPOINT_DISABLE", "DISABLE_VERSION_CHECK", "MRK_CONFIG", "MRK_OUTDIR"]) delete env[name];
  const command = [SCRIPTS[script], ...args.map((arg) => JSON.stringify(arg))].join(" ");
  return spawnSync(command, { cwd: REPO_ROOT, env, shell: true, encoding: "utf8" });
}

/** The lines the rule pack prints for the default stack (lib/policy/aspect.ts `reportLines`). */
const REPORT_LINES = [
  /^policy global-encrypt: \d+ rules, 0 errors, 0 warnings, 1 suppressed$/,
  /^ {2}suppressed \[MRK-KMS-3\] aws_kms_replica_key\.apac: /,
];

/** Each line of `text`, or "as expected" where it matches the pattern of its place: a failure shows the lines that do not. */
const againstPatterns = (text: string, patterns: readonly RegExp[]) =>
  text
    .trimEnd()
    .split("\n")
    .map((line, i) => (patterns[i]?.test(line) ? "as expected" : line));
const asExpected = (patterns: readonly RegExp[]) => patterns.map(() => "as expected");

describe.each([
  ["cdktf.json's app", []],
  ["a config file", ["--config", DEFAULT_CONFIG]],
])("with %s", (_, configArgs) => {
  test("synth prints the report and what it wrote, nothing else", () => {
    const out = mkdtempSync(join(tmpdir(), "mrk-output-"));
    const result = run("synth", [...configArgs, "--out", out]);
    expect(result).toExitWith(0);
    const expected = [...REPORT_LINES, /^wrote .*stacks\/global-encrypt\/cdk\.tf and diagram\.md$/];
    expect(againstPatterns(result.stdout, expected)).toEqual(asExpected(expected));
    expect(result.stderr).toBe("");
  });

  test("access prints the matrix, and on standard error only the report", () => {
    const result = run("access", configArgs);
    expect(result).toExitWith(0);
    expect(againstPatterns(result.stderr, REPORT_LINES)).toEqual(asExpected(REPORT_LINES));
    expect(result.stdout).toMatch(/^Key policies of stack global-encrypt: /);
    expect(result.stdout).not.toMatch(/checkpoint|telemetry|Terraform CDK|Synthesizing/i);
  });
});

/**
 * `cdktf synth --hcl`, then `cdktf synth` (which `cdktf diff` and `cdktf deploy` run too) into
 * one output folder, with this repository's app: the stack's folder holds the last synth's
 * format only, and Terraform accepts it.
 *
 * cdktf writes `cdk.tf` or `cdk.tf.json` and leaves the other from an earlier synth where it
 * is; Terraform reads both and fails ("Duplicate required providers configuration"). The rule
 * pack removes the other format's file at synth (lib/policy/aspect.ts).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraform } from "../../lib/terraform";
import { terraformEnv } from "../../lib/terraform-env";
import { DEFAULT_CONFIG } from "../../stacks/app";

const REPO_ROOT = join(__dirname, "..", "..");
const CDKTF = join(REPO_ROOT, "node_modules", ".bin", "cdktf");
const dir = mkdtempSync(join(tmpdir(), "mrk-cdktf-output-"));
const outdir = join(dir, "cdktf.out");

// The default config, copied so that its key ledger is written beside the copy.
const config = join(dir, "global-encrypt.json");
copyFileSync(DEFAULT_CONFIG, config);
copyFileSync(DEFAULT_CONFIG.replace(/\.json$/, ".lock.json"), join(dir, "global-encrypt.lock.json"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `cdktf synth [--hcl]` of cdktf.json's app, as a user runs it in the project folder. */
function cdktfSynth(...flags: string[]) {
  const env: NodeJS.ProcessEnv = { ...terraformEnv(), MRK_CONFIG: config, CHECKPOINT_DISABLE: "1", CI: "1" };
  delete env.SYNTH_HCL_OUTPUT;
  return spawnSync(CDKTF, ["synth", ...flags, "--output", outdir], { cwd: REPO_ROOT, env, encoding: "utf8" });
}

const stackFiles = () => readdirSync(join(outdir, "stacks", "global-encrypt")).sort();

test("cdktf synth after cdktf synth --hcl leaves only cdk.tf.json, which Terraform accepts", () => {
  expect(cdktfSynth("--hcl")).toExitWith(0);
  expect(stackFiles()).toEqual(["cdk.tf", "metadata.json"]);

  expect(cdktfSynth()).toExitWith(0);
  expect(stackFiles()).toEqual(["cdk.tf.json"]);

  const cwd = join(outdir, "stacks", "global-encrypt");
  terraform(["init", "-backend=false", "-no-color"], { cwd });
  const result = JSON.parse(terraform(["validate", "-json", "-no-color"], { cwd, okStatuses: [0, 1] }).stdout);
  expect(result).toMatchObject({ valid: true, error_count: 0 });
});

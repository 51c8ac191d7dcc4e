/**
 * What a synth writes for a stack, and its removal when a later synth of that stack fails, so
 * that nothing of the earlier synth is left to be applied by mistake (`terraform apply` in the
 * HCL folder, `cdktf deploy --skip-synth`).
 *
 * - cdktf's output: `<outdir>/stacks/<stack>/cdk.tf.json`, or `cdk.tf` when `cdktf synth --hcl`
 *   wrote it (cdktf's `Manifest`).
 * - Ours: `<hcl outdir>/stacks/<stack>/cdk.tf` and `diagram.md` (`mrk synth`).
 *
 * Only those files go: the folder may hold Terraform's own (`.terraform/`, its lock file, a
 * plan file), which a failed synth has no reason to touch.
 *
 * And one format in a stack's folder of cdktf's output: cdktf writes the stack as `cdk.tf`
 * (`cdktf synth --hcl`) or as `cdk.tf.json` (`cdktf synth`, and the synth of `cdktf diff` and
 * `cdktf deploy`), and leaves the other format's file from an earlier synth where it is.
 * Terraform reads every `.tf` and `.tf.json` file of a folder, so the two together fail
 * ("Duplicate required providers configuration"). cdktf runs a stack's validations before it
 * writes the stack's file, by the names of the app's manifest (public API), so a validation
 * can remove the other format's file first (`removeOtherFormat`, RulePack).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { App, Manifest, type TerraformStack } from "cdktf";

/** The reviewable HCL of a stack, in its folder of the HCL outdir. */
export const HCL_FILE = "cdk.tf";
/** The Mermaid picture of the key set beside it. */
export const DIAGRAM_FILE = "diagram.md";
/** The files cdktf synthesizes for a stack: JSON, or HCL under `cdktf synth --hcl`. */
const CDKTF_FILES = ["cdk.tf.json", "cdk.tf"];

/** A stack's folder in an outdir (cdktf's, or the HCL's): `<outdir>/stacks/<stack>`. */
export function stackFolder(outdir: string, stackName: string): string {
  return join(outdir, Manifest.stacksFolder, stackName);
}

/** Where a stack's earlier output may be: cdktf's outdir and the HCL outdir, either unknown. */
export interface StackOutdirs {
  /** cdktf's outdir (the app's). */
  readonly cdktf?: string;
  /** Where `mrk synth` writes the HCL. */
  readonly hcl?: string;
}

/** Removes what a synth wrote for the stack in `outdirs`, if anything. */
export function removeStackOutput(stackName: string, outdirs: StackOutdirs): void {
  const files = [
    ...(outdirs.cdktf ? CDKTF_FILES.map((file) => join(stackFolder(outdirs.cdktf!, stackName), file)) : []),
    ...(outdirs.hcl ? [HCL_FILE, DIAGRAM_FILE].map((file) => join(stackFolder(outdirs.hcl!, stackName), file)) : []),
  ];
  for (const file of files) rmSync(file, { force: true });
}

/**
 * Removes, from the stack's folder of cdktf's output, the file of the format this synth does not
 * write: `cdk.tf` and its `metadata.json` (which only HCL output has) beside a `cdk.tf.json`, or
 * `cdk.tf.json` beside a `cdk.tf`.
 */
export function removeOtherFormat(stack: TerraformStack): void {
  const app = App.of(stack);
  const manifest = app.manifest.forStack(stack);
  const written = join(app.outdir, manifest.synthesizedStackPath);
  const otherFormat = written.endsWith(".json")
    ? [written.slice(0, -".json".length), join(app.outdir, manifest.stackMetadataPath)]
    : [`${written}.json`];
  for (const file of otherFormat) rmSync(file, { force: true });
}

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
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Manifest } from "cdktf";

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

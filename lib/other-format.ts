/**
 * One format in a stack's folder of cdktf's output. cdktf writes the stack as `cdk.tf`
 * (`cdktf synth --hcl`) or as `cdk.tf.json` (`cdktf synth`, and the synth of `cdktf diff` and
 * `cdktf deploy`), and leaves the other format's file from an earlier synth where it is.
 * Terraform reads every `.tf` and `.tf.json` file of a folder, so the two together fail
 * ("Duplicate required providers configuration").
 *
 * cdktf runs a stack's validations before it writes the stack's file, by the names of the app's
 * manifest (public API), so a validation can remove the other format's file first (RulePack).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";

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

/**
 * `npm run synth`: builds every stack of the app (see stacks/app.ts) and writes its HCL to
 * `cdktf.out/stacks/<stack>/cdk.tf`, ready for review and for `terraform plan` in that folder,
 * with a Mermaid picture of the key set beside it (`diagram.md`, lib/diagram.ts).
 *
 * cdktf's JSON is synthesized to a temporary folder and thrown away: the folder a team
 * reviews holds only the HCL, and `cdktf deploy` works in `cdktf.deploy.out` (cdktf.json), so
 * the two never meet in one folder (Terraform would read both and fail).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { App } from "cdktf";
import { diagramMarkdown } from "../diagram";
import { renderStackHcl } from "../hcl";
import { stackConfigPaths } from "../../stacks/app";
import { buildStacks, exitOnInvalidInput, synthesizeApp } from "../config-app";

/** Where `npm run synth` writes the HCL: `cdktf.out` in the project root, or `MRK_OUTDIR`. */
export const HCL_OUTDIR = process.env.MRK_OUTDIR ? resolve(process.env.MRK_OUTDIR) : resolve("cdktf.out");

/**
 * Synthesizes the stacks of the given config files and writes each one's HCL to
 * `<outdir>/stacks/<stack>/cdk.tf`, and its diagram to `diagram.md` there. Returns the folders
 * written, one per stack.
 */
export function synthHcl(configPaths: readonly string[], outdir: string = HCL_OUTDIR): string[] {
  const staging = mkdtempSync(join(tmpdir(), "mrk-synth-"));
  try {
    const app = new App({ outdir: staging });
    // As `cdktf synth` does: aspects, validations, the policy rules; each stack's JSON comes back.
    const synthesized = synthesizeApp(app, buildStacks(app, configPaths));
    return [...synthesized].map(([stack, json]) => {
      const dir = join(outdir, "stacks", stack.node.id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "cdk.tf"), renderStackHcl(stack, json));
      writeFileSync(join(dir, "diagram.md"), diagramMarkdown(stack, json));
      return dir;
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** `npm run synth` (through scripts/run-compiled.js, which calls it). */
export function main(): void {
  exitOnInvalidInput(() => {
    for (const dir of synthHcl(stackConfigPaths())) {
      console.log(`wrote ${relative(process.cwd(), join(dir, "cdk.tf"))} and diagram.md`);
    }
  });
}

if (require.main === module) main();

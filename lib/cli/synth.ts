/**
 * `mrk synth` (`npm run synth`): builds every stack of the project and writes its HCL to
 * `cdktf.out/stacks/<stack>/cdk.tf`, ready for review and for `terraform plan` in that folder,
 * with a Mermaid picture of the key set beside it (`diagram.md`, lib/diagram.ts).
 *
 * cdktf's JSON is synthesized to a temporary folder and thrown away: the folder a team
 * reviews holds only the HCL, and `cdktf deploy` works in `cdktf.deploy.out` (cdktf.json), so
 * the two never meet in one folder (Terraform would read both and fail).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { App } from "cdktf";
import { buildStacks } from "../config-app";
import { Command } from "./command";
import { parseOptions } from "./command";
import { hclOutdir, projectConfigPaths } from "./project";

/**
 * Synthesizes the stacks of the given config files and writes each one's HCL to
 * `<outdir>/stacks/<stack>/cdk.tf`, and its diagram to `diagram.md` there. Returns the folders
 * written, one per stack.
 */
export function synthHcl(configPaths: readonly string[], outdir: string): string[] {
  const staging = mkdtempSync(join(tmpdir(), "mrk-synth-"));
  try {
    const app = new App({ outdir: staging });
    // As `cdktf synth` does: aspects, validations, the rule pack, which writes each stack's HCL.
    const stacks = buildStacks(app, configPaths, { hclOutdir: outdir });
    app.synth();
    return stacks.map((stack) => join(outdir, "stacks", stack.node.id));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export const synthCommand: Command = {
  name: "synth",
  summary: "write the reviewable HCL of every stack: <out>/stacks/<stack>/cdk.tf",
  usage: "[--config <file>]... [--out <dir>]\n  --config  a stack config file (repeatable); default: MRK_CONFIG, else stacks/*.json\n  --out     the output folder; default: MRK_OUTDIR, else cdktf.out",
  async run(argv, context) {
    const { values } = parseOptions(argv, { config: { type: "string", multiple: true }, out: { type: "string" } });
    for (const dir of synthHcl(projectConfigPaths(context, values.config), hclOutdir(context, values.out))) {
      context.stdout(`wrote ${relative(context.cwd, join(dir, "cdk.tf"))} and diagram.md\n`);
    }
    return 0;
  },
};

/**
 * `mrk synth` (`npm run synth`): builds every stack of the project and writes its HCL to
 * `cdktf.out/stacks/<stack>/cdk.tf`, ready for review and for `terraform plan` in that folder,
 * with a Mermaid picture of the key set beside it (`diagram.md`, lib/diagram.ts).
 *
 * cdktf's JSON is synthesized to a temporary folder and thrown away: the folder a team
 * reviews holds only the HCL, and `cdktf deploy` works in `cdktf.deploy.out` (cdktf.json), so
 * the two never meet in one folder (Terraform would read both and fail).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DIAGRAM_FILE, HCL_FILE, stackFolder } from "../stack-output";
import { InvalidInputError } from "../validation";
import { type Command, type CommandContext, parseOptions } from "./command";
import { synthesizeProject } from "./project";

/**
 * Synthesizes the stacks of the given config files and writes each one's HCL to
 * `<outdir>/stacks/<stack>/cdk.tf`, and its diagram to `diagram.md` there. Returns the folders
 * written, one per stack.
 */
export function synthHcl(configPaths: readonly string[], outdir: string): string[] {
  const context: CommandContext = {
    cwd: process.cwd(),
    env: {},
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  };
  return synthesizeProject(context, { configs: configPaths, hclOutdir: outdir, appOutput: "stdout" }).map((stack) =>
    join(outdir, "stacks", stack.name),
  );
}

/** The folder `cdktf synth` and `cdktf deploy` write to: cdktf.json's `output`, cdktf's default `cdktf.out`. */
export function cdktfOutput(context: CommandContext): string {
  const cdktfJson = join(context.cwd, "cdktf.json");
  const output = existsSync(cdktfJson)
    ? (JSON.parse(readFileSync(cdktfJson, "utf8")) as { output?: unknown }).output
    : undefined;
  return resolve(context.cwd, typeof output === "string" ? output : "cdktf.out");
}

/**
 * Where the HCL goes: `--out`, else `MRK_OUTDIR`, else `cdktf.out`, or `hcl.out` when
 * `cdktf.out` is where cdktf writes its JSON. The HCL and cdktf's `cdk.tf.json` never share a
 * folder: Terraform would read both and fail ("Duplicate required providers configuration").
 */
export function hclOutdir(context: CommandContext, out?: string): string {
  const cdktf = cdktfOutput(context);
  const given = out ?? context.env.MRK_OUTDIR;
  const outdir = resolve(context.cwd, given ?? (cdktf === resolve(context.cwd, "cdktf.out") ? "hcl.out" : "cdktf.out"));
  if (outdir === cdktf) {
    throw new InvalidInputError(
      `${out !== undefined ? "--out" : "MRK_OUTDIR"}: ${JSON.stringify(given)} is where cdktf writes its JSON (cdktf.json's output); the HCL needs a folder of its own`,
    );
  }
  return outdir;
}

export const synthCommand: Command = {
  name: "synth",
  summary: "check every stack and write its reviewable HCL: <out>/stacks/<stack>/cdk.tf",
  usage: [
    "[--config <file>]... [--out <dir>]",
    "  --config  a stack config file (repeatable); default: MRK_CONFIG, else the stacks of cdktf.json's app",
    "  --out     the output folder; default: MRK_OUTDIR, else cdktf.out (hcl.out when cdktf writes its JSON to cdktf.out)",
  ].join("\n"),
  async run(argv, context) {
    const { values } = parseOptions(argv, { config: { type: "string", multiple: true }, out: { type: "string" } });
    const outdir = hclOutdir(context, values.out);
    const stacks = synthesizeProject(context, { configs: values.config, hclOutdir: outdir, appOutput: "stdout" });
    const unchecked = stacks.filter((stack) => !existsSync(join(stackFolder(outdir, stack.name), HCL_FILE)));
    if (unchecked.length > 0) {
      throw new InvalidInputError(
        `stack ${unchecked.map((stack) => stack.name).join(", ")}: has no HCL, because the rule pack does not check it; add it to each stack of your app: Aspects.of(stack).add(new RulePack()) (import { RulePack } from "multi-region-kms-keys/policy")`,
      );
    }
    for (const stack of stacks) {
      context.stdout(
        `wrote ${relative(context.cwd, join(stackFolder(outdir, stack.name), HCL_FILE))} and ${DIAGRAM_FILE}\n`,
      );
    }
    return 0;
  },
};

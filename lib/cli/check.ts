/**
 * `mrk check <plan.json> [--format text|sarif|junit] [--output <file>] [--config <policy.json>] [--root <dir>]`
 * (`npm run check`): runs the policy rules on a Terraform plan, the output of
 * `terraform show -json <planfile>` of any configuration, and exits 1 when a rule at level
 * error fails (0 otherwise).
 *
 * - text (the default) prints each finding with its Terraform address, and the file and line
 *   of its block; sarif writes SARIF 2.1.0 for GitHub code scanning; junit writes JUnit XML
 *   for CI test reports. `--output` writes the report to a file and prints the text report.
 * - `--config` names a policy file (lib/cli/policy-file.ts): suppressions, the pack's options,
 *   the account that owns the keys.
 * - `--root` is the Terraform root module's folder, where blocks are looked up for file and
 *   line; by default the plan file's folder when it holds `.tf` files, else the current folder.
 *   Paths in SARIF are relative to the repository (the nearest folder above with `.git`).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { planAsStack } from "../plan/plan-stack";
import { parsePlan, readPlanFile } from "../plan/read-plan";
import { SourceLocator } from "../plan/source-locations";
import type { TerraformPlan } from "../plan/types";
import { checkTerraformJson, errorsOf } from "../policy/check";
import { StackView } from "../policy/stack-view";
import { type CheckedStack, checkedResources, type FileLocation } from "../report/checked-stack";
import { junitXml } from "../report/junit";
import { sarifLog } from "../report/sarif";
import { textReport } from "../report/text";
import { type Command, type CommandContext, EXIT, parseOptions, UsageError } from "./command";
import { planSuppressions, readPolicyFile } from "./policy-file";

const FORMATS = ["text", "sarif", "junit"] as const;

export const checkCommand: Command = {
  name: "check",
  summary: "run the policy rules on a Terraform plan (terraform show -json): text, SARIF or JUnit",
  usage: [
    "<plan.json> [--format text|sarif|junit] [--output <file>] [--config <policy.json>] [--root <dir>]",
    "  <plan.json>  the output of terraform show -json <planfile>; - reads it from stdin",
    "  --format     text (default), sarif (SARIF 2.1.0, GitHub code scanning) or junit (JUnit XML)",
    "  --output     write the report to this file (and print the text report)",
    "  --config     a policy file: { accountId, policy: { suppressions, minimumDeletionWindowInDays, ... } },",
    "               or a stack config file; see docs/plain-terraform.md",
    "  --root       the Terraform root module's folder, for file and line of each finding;",
    "               default: the plan file's folder if it holds .tf files, else the current folder",
  ].join("\n"),
  async run(argv, context) {
    const { values, positionals } = parseOptions(
      argv,
      {
        format: { type: "string", default: "text" },
        output: { type: "string" },
        config: { type: "string" },
        root: { type: "string" },
      },
      true,
    );
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format))
      throw new UsageError(`--format: "${values.format}" is not one of ${FORMATS.join(", ")}`);
    const planPath = onePlanPath(positionals);
    const plan = readPlan(planPath, context);
    const name = planPath === "-" ? "plan" : basename(planPath);
    const policyFile = values.config ? readPolicyFile(resolve(context.cwd, values.config)) : undefined;

    const stack = planAsStack(plan, { name });
    const accountId = policyFile?.accountId ?? stack.accountId;
    const view = new StackView(stack.json, { accountId });
    const suppressions = planSuppressions(policyFile, view.resourceAddresses, name);
    // The file's suppressions are checked and expanded above, so they come in as ready suppressions.
    const report = checkTerraformJson(
      stack.json,
      { ...policyFile?.policy, suppressions: [], accountId, source: policyFile?.source },
      suppressions,
    );
    const root = values.root ? resolve(context.cwd, values.root) : defaultRoot(planPath, context);
    const checked: CheckedStack = {
      report,
      checked: checkedResources(view, report),
      locate: fileLocator(plan, root, context.cwd),
    };

    const text = textReport(checked, stack);
    const output =
      format === "sarif"
        ? `${JSON.stringify(sarifLog(checked), null, 2)}\n`
        : format === "junit"
          ? junitXml(checked, `mrk check ${name}`)
          : text;
    if (values.output) {
      writeFileSync(resolve(context.cwd, values.output), output);
      context.stdout(format === "text" ? `wrote ${values.output}\n` : `${text}wrote ${values.output}\n`);
    } else {
      context.stdout(output);
      if (format !== "text") context.stderr(text);
    }
    return errorsOf(report).length > 0 ? EXIT.failed : EXIT.ok;
  },
};

/** The one positional argument: the plan JSON's path, or `-`. */
export function onePlanPath(positionals: readonly string[]): string {
  if (positionals.length === 0)
    throw new UsageError("<plan.json>: missing; give the output of terraform show -json <planfile>, or - for stdin");
  if (positionals.length > 1) throw new UsageError(`${positionals[1]}: unexpected argument; give one plan file`);
  return positionals[0];
}

/** The plan from a file, or from stdin for `-`. */
export function readPlan(path: string, context: CommandContext): TerraformPlan {
  return path === "-" ? parsePlan(readFileSync(0, "utf8"), "stdin") : readPlanFile(resolve(context.cwd, path), path);
}

function defaultRoot(planPath: string, context: CommandContext): string {
  if (planPath !== "-") {
    const folder = dirname(resolve(context.cwd, planPath));
    if (readdirSync(folder).some((file) => file.endsWith(".tf"))) return folder;
  }
  return context.cwd;
}

/** Blocks' files and lines, relative to the repository that holds the current folder. */
function fileLocator(plan: TerraformPlan, root: string, cwd: string): (address: string) => FileLocation | undefined {
  const locator = new SourceLocator(root, plan);
  const repository = repositoryRoot(cwd);
  return (address) => {
    const found = locator.locate(address);
    return found && { uri: relative(repository, found.file).split(sep).join("/"), line: found.line };
  };
}

/** The nearest folder at or above `dir` with a `.git`, else `dir`. */
function repositoryRoot(dir: string): string {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, ".git"))) return at;
    if (dirname(at) === at) return resolve(dir);
  }
}

/**
 * The rule pack as a cdktf aspect, the one way to run it at synth time, on any stack:
 *
 * ```ts
 * Aspects.of(stack).add(new RulePack());
 * ```
 *
 * (On the stack, not the app: cdktf invokes the aspects of each stack and of what is below it,
 * never those of the app.)
 *
 * On each stack it visits, it checks the stack's Terraform JSON once, after every aspect has run
 * (as a validation of the stack, which cdktf runs before it writes the JSON), annotates each
 * resource with its findings (error, warning, or info for a suppressed one) and prints the
 * report: a passing one to standard output, since cdktf shows standard error as errors. A stack
 * that breaks a rule fails the synth with a `PolicyViolationError` (an `InvalidInputError`) that
 * lists every error, one line each, and nothing of it is left behind to apply: neither its
 * `cdk.tf.json` nor its reviewable HCL from an earlier synth.
 *
 * Before that, it removes the other format's file from the stack's folder of cdktf's output
 * (lib/stack-output.ts), so that a `cdktf synth --hcl` and a `cdktf synth` never leave Terraform
 * two formats to read.
 *
 * When `hclOutdir` is set (`mrk synth` sets `MRK_HCL_OUTDIR` when it runs the app), each stack
 * that passes also gets its reviewable HCL written: `<hclOutdir>/stacks/<stack>/cdk.tf`, with a
 * picture of its key sets beside it (`diagram.md`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Annotations, App, type IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { diagramMarkdown } from "../diagram";
import { renderStackHcl } from "../hcl/render";
import type { Json } from "../json";
import { DIAGRAM_FILE, HCL_FILE, removeOtherFormat, removeStackOutput, stackFolder } from "../stack-output";
import { displayPath, InvalidInputError } from "../validation";
import {
  checkStack,
  constructsByAddress,
  errorsOf,
  type PolicyCheckOptions,
  type PolicyReport,
  warningsOf,
} from "./check";
import { formatFinding } from "./rule";

/** The environment variable through which `mrk synth` asks an app for its HCL. */
export const HCL_OUTDIR_VARIABLE = "MRK_HCL_OUTDIR";

/** The policy errors of a stack, one line each, as the synth prints them. */
export class PolicyViolationError extends InvalidInputError {
  constructor(
    readonly report: PolicyReport,
    source?: string,
  ) {
    const errors = errorsOf(report);
    super(
      [
        `${source ? `${source}: ` : ""}stack ${report.stack} breaks ${errors.length} policy rule${errors.length === 1 ? "" : "s"}:`,
        ...errors.map((finding) => `  ${formatFinding(finding)}`),
        `To accept a finding on purpose, suppress it with a reason: policy.suppressions [{ "rule", "resource", "reason" }] in the config, or suppress(construct, rule, reason).`,
      ].join("\n"),
    );
    this.name = "PolicyViolationError";
  }
}

export interface RulePackOptions extends PolicyCheckOptions {
  /**
   * Receives the report of each stack.
   * @default prints it: to standard output when the stack passes, to standard error when it does not
   */
  readonly report?: (report: PolicyReport) => void;
  /**
   * Whether errors fail the synth with `PolicyViolationError`. When false, they are only error
   * annotations (which make cdktf's own synth fail, unless CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set).
   * @default true
   */
  readonly failOnError?: boolean;
  /**
   * Where to write the reviewable HCL of each stack that passes: `<hclOutdir>/stacks/<stack>/cdk.tf`.
   * @default the MRK_HCL_OUTDIR environment variable (set by `mrk synth`); no HCL when unset
   */
  readonly hclOutdir?: string;
}

/** The JSON the rule pack checked in each stack's synth, until the stack takes it: `takeCheckedJson`. */
const checkedJson = new WeakMap<TerraformStack, Json>();

/**
 * The Terraform JSON the rule pack checked while the synth validated `stack`, once (the next
 * call returns undefined until the rule pack checks it again). cdktf asks the stack for its JSON
 * again right after the validations, to write it; a stack that answers with this one
 * (`KeySetStack.toTerraform()`) spares cdktf resolving every token once more.
 */
export function takeCheckedJson(stack: TerraformStack): Json | undefined {
  const json = checkedJson.get(stack);
  checkedJson.delete(stack);
  return json;
}

/** Runs the rule pack on every stack it visits; see the file comment. */
export class RulePack implements IAspect {
  private readonly stacks = new WeakSet<TerraformStack>();

  constructor(private readonly options: RulePackOptions = {}) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.stacks.has(node)) return;
    this.stacks.add(node);
    node.node.addValidation({
      validate: () => {
        removeOtherFormat(node);
        return [];
      },
    });
    node.node.addValidation({ validate: () => this.check(node) });
  }

  private check(stack: TerraformStack): string[] {
    const source = this.options.source && displayPath(this.options.source);
    const json = stack.toTerraform() as Json;
    const report = checkStack(stack, { ...this.options, source }, json);
    annotate(stack, report);
    const failed = errorsOf(report).length > 0;
    (this.options.report ?? printReport)(report);
    const hclOutdir = this.options.hclOutdir ?? process.env[HCL_OUTDIR_VARIABLE];
    if (failed) {
      const stops = this.options.failOnError ?? true;
      // Nothing of this stack is left to apply by mistake: not its HCL and, when the synth
      // stops here, not its JSON either (cdktf writes none when the synth fails).
      removeStackOutput(stack.node.id, { hcl: hclOutdir, cdktf: stops ? App.of(stack).outdir : undefined });
      if (stops) throw new PolicyViolationError(report, source);
    } else if (hclOutdir) {
      const hclDir = stackFolder(hclOutdir, stack.node.id);
      mkdirSync(hclDir, { recursive: true });
      writeFileSync(join(hclDir, HCL_FILE), renderStackHcl(stack, json));
      writeFileSync(join(hclDir, DIAGRAM_FILE), diagramMarkdown(stack, json));
    }
    checkedJson.set(stack, json);
    return [];
  }
}

function annotate(stack: TerraformStack, report: PolicyReport): void {
  const constructs = constructsByAddress(stack);
  const on = (address: string) => Annotations.of(constructs.get(address) ?? stack);
  for (const finding of report.findings) {
    if (finding.rule.level === "error") on(finding.address).addError(formatFinding(finding));
    else on(finding.address).addWarning(formatFinding(finding));
  }
  for (const finding of report.suppressed) {
    on(finding.address).addInfo(`[${finding.rule.id}] suppressed: ${finding.suppression.reason}`);
  }
}

/** The lines the synth prints for a stack: the tally, warnings, suppressions, unused suppressions. */
export function reportLines(report: PolicyReport): string[] {
  const errors = errorsOf(report).length;
  const warnings = warningsOf(report);
  const lines = [
    `policy ${report.stack}: ${report.rules.length} rules, ${errors} error${errors === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}, ${report.suppressed.length} suppressed`,
  ];
  for (const finding of warnings) lines.push(`  warning ${formatFinding(finding)}`);
  for (const finding of report.suppressed) {
    lines.push(
      `  suppressed [${finding.rule.id}] ${finding.address}: ${finding.suppression.reason} (${finding.suppression.origin})`,
    );
  }
  for (const suppression of report.unusedSuppressions) {
    lines.push(
      `  unused suppression [${suppression.rule}] ${suppression.resource} (${suppression.origin}): the rule finds nothing there; remove the suppression`,
    );
  }
  return lines;
}

/** Prints a report's lines (`reportLines`): to standard output when it has no error, else to standard error. */
export function printReport(report: PolicyReport): void {
  const stream = errorsOf(report).length > 0 ? process.stderr : process.stdout;
  stream.write(`${reportLines(report).join("\n")}\n`);
}

/**
 * The rule pack as a cdktf Aspect: `applyPolicyPack(stack, options)`.
 *
 * cdktf invokes aspects during `app.synth()` (and `Testing.synth`). On the stack it is added
 * to, the aspect checks the synthesized JSON once, annotates each resource with its findings
 * (error, warning, or info for a suppressed one), prints warnings and suppressions, and throws
 * a `PolicyViolationError` (an `InvalidInputError`) that lists every error, one line each. The
 * app's `exitOnInvalidInput` prints that without a stack trace, so `cdktf synth` and
 * `npm run synth` fail alike, whatever CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS says.
 */
import { Annotations, Aspects, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { displayPath, InvalidInputError } from "../validation";
import { checkStack, constructsByAddress, errorsOf, PolicyCheckOptions, PolicyReport, warningsOf } from "./check";
import { formatFinding } from "./rule";

/** The policy errors of a stack, one line each, as the synth prints them. */
export class PolicyViolationError extends InvalidInputError {
  constructor(readonly report: PolicyReport, source?: string) {
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

export interface PolicyAspectOptions extends PolicyCheckOptions {
  /**
   * Receives the report of each check; prints warnings, suppressions and unused suppressions
   * to stderr by default.
   */
  readonly report?: (report: PolicyReport) => void;
  /**
   * Whether errors throw `PolicyViolationError`. When false, they are only error annotations
   * (which make cdktf's own synth fail, unless CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set).
   * @default true
   */
  readonly failOnError?: boolean;
}

/** Runs the rule pack on each stack it visits. */
export class PolicyAspect implements IAspect {
  private readonly checked = new WeakMap<TerraformStack, { json: string; report: PolicyReport }>();

  constructor(private readonly options: PolicyAspectOptions = {}) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const source = this.options.source && displayPath(this.options.source);
    const synthesized = node.toTerraform();
    const json = JSON.stringify(synthesized);
    let entry = this.checked.get(node);
    // A second synth of an unchanged stack (npm run synth renders HCL after app.synth) reports once.
    if (!entry || entry.json !== json) {
      const report = checkStack(node, { ...this.options, source }, synthesized);
      annotate(node, report);
      (this.options.report ?? printReport)(report);
      entry = { json, report };
      this.checked.set(node, entry);
    }
    if ((this.options.failOnError ?? true) && errorsOf(entry.report).length > 0) {
      throw new PolicyViolationError(entry.report, source);
    }
  }
}

/** Adds the rule pack to a stack: it runs when the app synthesizes. */
export function applyPolicyPack(stack: TerraformStack, options: PolicyAspectOptions = {}): PolicyAspect {
  const aspect = new PolicyAspect(options);
  Aspects.of(stack).add(aspect);
  return aspect;
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

/** The lines the synth prints for a stack: warnings, suppressions, unused suppressions. */
export function reportLines(report: PolicyReport): string[] {
  const errors = errorsOf(report).length;
  const warnings = warningsOf(report);
  const lines = [
    `policy ${report.stack}: ${report.rules.length} rules, ${errors} error${errors === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}, ${report.suppressed.length} suppressed`,
  ];
  for (const finding of warnings) lines.push(`  warning ${formatFinding(finding)}`);
  for (const finding of report.suppressed) {
    lines.push(`  suppressed [${finding.rule.id}] ${finding.address}: ${finding.suppression.reason} (${finding.suppression.origin})`);
  }
  for (const suppression of report.unusedSuppressions) {
    lines.push(`  unused suppression [${suppression.rule}] ${suppression.resource} (${suppression.origin}): the rule finds nothing there; remove the suppression`);
  }
  return lines;
}

/** Prints a report's lines (`reportLines`) to stderr. */
export function printReport(report: PolicyReport): void {
  process.stderr.write(`${reportLines(report).join("\n")}\n`);
}


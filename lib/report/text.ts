/**
 * A policy report of a plan as text: one line per finding with its address (and file and
 * line when known), then suppressed findings, unused suppressions, and what the plan leaves
 * unknown until apply, so a reader knows what was not checked.
 */

import type { UnknownArgument } from "../plan/arguments";
import { errorsOf, warningsOf } from "../policy/check";
import { formatFinding } from "../policy/rule";
import { type CheckedStack, showLocation } from "./checked-stack";

export interface PlanGaps {
  /** Arguments known only after apply that name no single resource attribute. */
  readonly unknowns: readonly UnknownArgument[];
  /** AWS resources whose region the plan does not tell. */
  readonly unknownRegions: readonly string[];
}

export function textReport(checked: CheckedStack, gaps: PlanGaps): string {
  const { report } = checked;
  const at = (address: string) => {
    const where = showLocation(checked.locate(address));
    return where ? ` (${where})` : "";
  };
  const resources = new Set([...checked.checked.values()].flat()).size;
  const errors = errorsOf(report);
  const warnings = warningsOf(report);
  const lines = [`${report.stack}: ${report.rules.length} rules on ${resources} resources`];
  for (const [title, findings] of [
    ["Errors", errors],
    ["Warnings", warnings],
  ] as const) {
    if (findings.length === 0) continue;
    lines.push("", `${title}:`, ...findings.map((finding) => `  ${formatFinding(finding)}${at(finding.address)}`));
  }
  if (report.suppressed.length > 0) {
    lines.push(
      "",
      "Suppressed:",
      ...report.suppressed.map(
        (f) => `  [${f.rule.id}] ${f.address}: ${f.suppression.reason} (${f.suppression.origin})`,
      ),
    );
  }
  if (report.unusedSuppressions.length > 0) {
    lines.push(
      "",
      "Suppressions that matched no finding (remove them if the rule now passes):",
      ...report.unusedSuppressions.map((s) => `  [${s.rule}] ${s.resource} (${s.origin})`),
    );
  }
  if (gaps.unknowns.length > 0) {
    lines.push(
      "",
      "Known only after apply, so the rules could not judge them:",
      ...gaps.unknowns.map(
        (u) => `  ${u.address} ${u.argument}${u.references.length > 0 ? ` (from ${u.references.join(", ")})` : ""}`,
      ),
    );
  }
  if (gaps.unknownRegions.length > 0) {
    lines.push(
      "",
      `Region not in the plan (its provider's region is not a constant or a variable): ${gaps.unknownRegions.join(", ")}`,
    );
  }
  lines.push(
    "",
    `${errors.length} error${errors.length === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}, ${report.suppressed.length} suppressed`,
    "",
  );
  return lines.join("\n");
}

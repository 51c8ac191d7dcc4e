/**
 * What the report formats (text, SARIF, JUnit) read: a policy report, the resources each rule
 * checked, and where each resource is written.
 */
import type { PolicyReport } from "../policy/check";
import type { Finding } from "../policy/rule";
import type { StackView } from "../policy/stack-view";

/** A place in a source file, relative to the repository root (`infra/main.tf`, line 12). */
export interface FileLocation {
  /** A relative path with `/` separators. */
  readonly uri: string;
  readonly line: number;
}

export interface CheckedStack {
  readonly report: PolicyReport;
  /** Each rule's id and the addresses of the resources it checked, in the stack's order. */
  readonly checked: ReadonlyMap<string, readonly string[]>;
  /** Where a resource is written, when known. */
  readonly locate: (address: string) => FileLocation | undefined;
}

/** The resources each rule of a report applies to in a stack. */
export function checkedResources(view: StackView, report: PolicyReport): Map<string, string[]> {
  return new Map(
    report.rules.map((rule) => [rule.id, view.resources(...rule.appliesTo).map((resource) => resource.address)]),
  );
}

/** `main.tf:12`, or nothing. */
export function showLocation(location: FileLocation | undefined): string {
  return location ? `${location.uri}:${location.line}` : "";
}

/** The findings of one rule on one resource. */
export function findingsOf(findings: readonly Finding[], rule: string, address: string): Finding[] {
  return findings.filter((finding) => finding.rule.id === rule && finding.address === address);
}

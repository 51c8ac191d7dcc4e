/**
 * The shape of a policy rule, in cdk-nag's style: an id, a level, an explanation, the checks of
 * other tools it covers, and a pure function of one synthesized resource (plus a read-only view
 * of the rest of the stack) that says whether the resource complies.
 */
import type { StackView, TerraformElement } from "./stack-view";

/** Errors fail the synth; warnings are printed. */
export type RuleLevel = "error" | "warning";

/** Settings of the rule pack that rules read. */
export interface RuleOptions {
  /** The shortest deletion window a key may have, in days. @default 30 */
  readonly minimumDeletionWindowInDays: number;
  /** The account that owns the keys; its root is the only principal allowed `kms:*`. @default read from the stack */
  readonly accountId?: string;
}

/** What a rule reads besides the resource it checks. */
export interface RuleContext {
  readonly stack: StackView;
  readonly options: RuleOptions;
}

/** One way a resource breaks a rule. */
export interface Violation {
  /** What is wrong, e.g. `enable_key_rotation is false`. */
  readonly message: string;
  /** How to fix this case; the rule's `fix` when left out. */
  readonly fix?: string;
}

/** `compliant`, `not-applicable`, or the violations found (an empty list is compliant). */
export type RuleResult = "compliant" | "not-applicable" | readonly Violation[];

export interface Rule {
  /** Our id: `MRK-KMS-1`. */
  readonly id: string;
  readonly level: RuleLevel;
  /** One line: what the rule requires. */
  readonly title: string;
  /** Why the rule exists. */
  readonly explanation: string;
  /** How to fix a violation, in general (config field first, Terraform argument second). */
  readonly fix: string;
  /** The checks of other tools this rule covers: `CKV_AWS_7`, `AVD-AWS-0065`, `SecurityHub KMS.4`. */
  readonly anchors: readonly string[];
  /** The resource types it checks. */
  readonly appliesTo: readonly string[];
  check(resource: TerraformElement, context: RuleContext): RuleResult;
}

/** A violation of a rule by one resource. */
export interface Finding {
  readonly rule: Rule;
  readonly address: string;
  readonly message: string;
  readonly fix: string;
}

/** `[MRK-KMS-1] aws_kms_key.primary: <what is wrong>. Fix: <how>` */
export function formatFinding(finding: Finding): string {
  return `[${finding.rule.id}] ${finding.address}: ${sentence(finding.message)} Fix: ${sentence(finding.fix)}`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Small helpers the rules share. */
export const violations = (...list: (Violation | undefined | false)[]): Violation[] =>
  list.filter((v): v is Violation => Boolean(v));

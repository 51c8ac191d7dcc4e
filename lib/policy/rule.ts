/**
 * The shape of a policy rule, in cdk-nag's style: an id, a level, an explanation, the checks of
 * other tools it covers, and a pure function of one synthesized resource (plus a read-only view
 * of the rest of the stack) that says whether the resource complies.
 */
import type { Json } from "../json";
import type { StackView, TerraformElement } from "./stack-view";

/** Errors fail the synth; warnings are printed. */
export type RuleLevel = "error" | "warning";

/** Settings of the rule pack that rules read. */
export interface RuleOptions {
  /** The shortest deletion window a key may have, in days. @default KMS_DEFAULT_DELETION_WINDOW_DAYS, KMS's own window */
  readonly minimumDeletionWindowInDays: number;
  /** The account that owns the keys; its root is the only principal allowed `kms:*`. @default read from the stack */
  readonly accountId?: string;
  /**
   * The stricter readings too: a wildcard principal is refused whatever its conditions (as
   * Checkov's CKV_AWS_33 reads a statement without conditions), multi-region operations must
   * name their regions, and the other strict readings the rules document. @default false
   */
  readonly strict: boolean;
  /** Other AWS accounts the keys may be shared with (MRK-KMS-12). @default none */
  readonly trustedAccounts: readonly string[];
  /** AWS Organizations ids (`o-...`) the keys may be shared with (MRK-KMS-12). @default none */
  readonly trustedOrganizations: readonly string[];
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
  /** A stricter reading: reported only when the pack runs with `strict`. @default false */
  readonly strict?: boolean;
}

/**
 * What a rule accepts and what it refuses, as Terraform JSON (the `cdk.tf.json` cdktf
 * synthesizes, which Terraform also reads as `*.tf.json`). RULES.md shows both; the rule's
 * tests check that the rule finds nothing on the first and something on the second.
 */
export interface RuleExamples {
  readonly compliant: Json;
  readonly nonCompliant: Json;
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
  readonly examples: RuleExamples;
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

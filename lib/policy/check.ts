/**
 * Runs the rule pack on a synthesized stack and applies the suppressions.
 */
import type { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { Json } from "../json";
import { addressOf } from "../stack-json";
import { KMS_DEFAULT_DELETION_WINDOW_DAYS } from "../validation";
import { RULE_PACK } from "./pack";
import type { Finding, Rule, RuleContext, RuleOptions, RuleResult } from "./rule";
import { StackView } from "./stack-view";
import { type Suppression, type SuppressionConfig, suppressionsOf, validateSuppressions } from "./suppressions";

export interface PolicyCheckOptions {
  /** The shortest deletion window a key may have (MRK-KMS-5), {@link MIN_DELETION_WINDOW_DAYS} to {@link MAX_DELETION_WINDOW_DAYS} days. @default {@link KMS_DEFAULT_DELETION_WINDOW_DAYS}, KMS's own window */
  readonly minimumDeletionWindowInDays?: number;
  /** The account that owns the keys. @default read from the stack (`data.aws_caller_identity`, or the account whose root the key policies name) */
  readonly accountId?: string;
  /**
   * The stricter readings too: wildcard principals whatever their conditions, region
   * conditions on multi-region operations, and the others RULES.md lists. @default false
   */
  readonly strict?: boolean;
  /** Other AWS accounts the keys may be shared with (MRK-KMS-12). @default none */
  readonly trustedAccounts?: readonly string[];
  /** AWS Organizations ids (`o-...`) the keys may be shared with (MRK-KMS-12). @default none */
  readonly trustedOrganizations?: readonly string[];
  /** Suppressions from a config file. @default none */
  readonly suppressions?: readonly SuppressionConfig[];
  /** Where the config came from, for messages (`stacks/global-encrypt.json`). @default "the stack's policy settings" */
  readonly source?: string;
  /** The rules to run. @default RULE_PACK */
  readonly rules?: readonly Rule[];
}

/** A finding that a suppression covers. */
export interface SuppressedFinding extends Finding {
  readonly suppression: Suppression;
}

export interface PolicyReport {
  readonly stack: string;
  /** Findings no suppression covers, errors and warnings. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions that matched no finding (probably stale). */
  readonly unusedSuppressions: readonly Suppression[];
  readonly rules: readonly Rule[];
}

export const errorsOf = (report: PolicyReport) => report.findings.filter((f) => f.rule.level === "error");
export const warningsOf = (report: PolicyReport) => report.findings.filter((f) => f.rule.level === "warning");

/** The rule options with their defaults. */
export function ruleOptions(options: PolicyCheckOptions): RuleOptions {
  return {
    minimumDeletionWindowInDays: options.minimumDeletionWindowInDays ?? KMS_DEFAULT_DELETION_WINDOW_DAYS,
    accountId: options.accountId,
    strict: options.strict ?? false,
    trustedAccounts: options.trustedAccounts ?? [],
    trustedOrganizations: options.trustedOrganizations ?? [],
  };
}

/**
 * Runs every rule on every resource it applies to; without `strict`, the rules' strict
 * readings are left out. Never throws for a rule's sake: a rule that
 * fails is a finding.
 */
export function runRules(view: StackView, options: PolicyCheckOptions = {}): Finding[] {
  const context: RuleContext = { stack: view, options: ruleOptions(options) };
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULE_PACK) {
    for (const resource of view.resources(...rule.appliesTo)) {
      let result: RuleResult;
      try {
        result = rule.check(resource, context);
      } catch (error) {
        result = [
          {
            message: `the rule could not check the resource (${(error as Error).message})`,
            fix: "report this as a bug of the rule pack, and suppress the rule for the resource meanwhile",
          },
        ];
      }
      if (result === "compliant" || result === "not-applicable") continue;
      for (const violation of result) {
        if (violation.strict && !context.options.strict) continue;
        findings.push({ rule, address: resource.address, message: violation.message, fix: violation.fix ?? rule.fix });
      }
    }
  }
  return findings;
}

/**
 * Checks synthesized Terraform JSON. `extra` are suppressions declared in code (already
 * resolved to addresses). Throws `InvalidInputError` for a config suppression that names an
 * unknown rule or resource or gives too short a reason.
 */
export function checkTerraformJson(
  json: Json,
  options: PolicyCheckOptions = {},
  extra: readonly Suppression[] = [],
): PolicyReport {
  const view = new StackView(json, { accountId: options.accountId });
  const field = `${options.source ? `${options.source}: ` : ""}policy.suppressions`;
  const suppressions = [
    ...validateSuppressions(options.suppressions ?? [], view.resourceAddresses, view.name, field),
    ...extra,
  ];
  const rules = options.rules ?? RULE_PACK;
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<Suppression>();
  for (const finding of runRules(view, options)) {
    const suppression = suppressions.find((s) => s.rule === finding.rule.id && s.resource === finding.address);
    if (suppression) {
      used.add(suppression);
      suppressed.push({ ...finding, suppression });
    } else {
      findings.push(finding);
    }
  }
  // A suppress() on a scope covers every resource below it: it is unused only if none used it.
  const usedOrigins = new Set([...used].map((s) => `${s.origin} ${s.rule}`));
  const unused = new Map<string, Suppression>();
  for (const s of suppressions) {
    const key = `${s.origin} ${s.rule}`;
    if (!usedOrigins.has(key) && !unused.has(key)) unused.set(key, s);
  }
  return { stack: view.name, findings, suppressed, unusedSuppressions: [...unused.values()], rules };
}

/**
 * Checks a stack as it is now (`stack.toTerraform()`, or `synthesized` when the caller has it),
 * with the suppressions `suppress()` put on its constructs.
 */
export function checkStack(stack: TerraformStack, options: PolicyCheckOptions = {}, synthesized?: Json): PolicyReport {
  return checkTerraformJson(synthesized ?? (stack.toTerraform() as Json), options, codeSuppressions(stack));
}

/** Each resource or data source of a stack by its address. */
export function constructsByAddress(stack: TerraformStack): Map<string, IConstruct> {
  const map = new Map<string, IConstruct>();
  for (const construct of stack.node.findAll()) {
    const address = addressOf(construct);
    if (!address) continue;
    const [kind, type, name] = address;
    map.set(kind === "data" ? `data.${type}.${name}` : `${type}.${name}`, construct);
  }
  return map;
}

function codeSuppressions(stack: TerraformStack): Suppression[] {
  const result: Suppression[] = [];
  for (const [address, construct] of constructsByAddress(stack)) {
    for (const { rule, reason, on } of suppressionsOf(construct, stack)) {
      result.push({ rule, resource: address, reason, origin: `suppress() on ${on}` });
    }
  }
  return result;
}

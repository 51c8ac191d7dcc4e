/// <reference types="jest" />
/**
 * Jest matchers for the rule pack and the access evaluator. Register them in a setup file
 * (Jest's `setupFilesAfterEnv`):
 *
 * ```ts
 * import { policyMatchers } from "multi-region-kms-keys/jest";
 * expect.extend(policyMatchers);
 * ```
 *
 * `expect(stack)` takes a TerraformStack, its synthesized JSON (object or string), or an
 * AccessEvaluator.
 */
import { TerraformStack } from "cdktf";
import type { Json } from "../json";
import { type AccessAnswer, AccessEvaluator, type AccessQuestionOptions } from "./access";
import { checkStack, checkTerraformJson, errorsOf, type PolicyCheckOptions, type PolicyReport } from "./check";
import { formatFinding } from "./rule";

type Subject = TerraformStack | Json | string | AccessEvaluator;

function evaluatorOf(subject: Subject): AccessEvaluator {
  return subject instanceof AccessEvaluator ? subject : AccessEvaluator.of(subject);
}

function reportOf(subject: Subject, options: PolicyCheckOptions): PolicyReport {
  if (subject instanceof AccessEvaluator) return checkTerraformJson(subject.view.json, options);
  if (TerraformStack.isStack(subject)) return checkStack(subject, options);
  return checkTerraformJson(typeof subject === "string" ? JSON.parse(subject) : subject, options);
}

function accessMatcher(
  name: string,
  wanted: AccessAnswer["decision"],
  wording: string,
): (
  this: jest.MatcherContext,
  subject: Subject,
  principal: string,
  action: string,
  region: string,
  options?: AccessQuestionOptions,
) => jest.CustomMatcherResult {
  return function (subject, principal, action, region, options = {}) {
    const answer = evaluatorOf(subject).mayCall(principal, action, region, options);
    const pass = answer.decision === wanted;
    const asked = `${answer.principal} ${action} on ${answer.key} (${region})`;
    return {
      pass,
      message: () =>
        `${this.utils.matcherHint(`${this.isNot ? ".not" : ""}.${name}`, "stack", "principal, action, region")}\n\n` +
        `Expected ${asked} ${this.isNot ? "not " : ""}to be ${wording}, but the answer is "${answer.decision}": ${answer.reason}`,
    };
  };
}

export const policyMatchers = {
  /** The key policy of the region's key itself allows the principal the action (not only through IAM). */
  toAllow: accessMatcher("toAllow", "allow", "allowed by the key policy"),
  /** Only the account root statement covers it: the principal's IAM policies decide. */
  toAllowThroughIam: accessMatcher(
    "toAllowThroughIam",
    "via-iam",
    "left to IAM policies by the account root statement",
  ),

  /** The stack breaks no error-level rule of the pack (suppressed findings aside). */
  toPassPolicyRules(
    this: jest.MatcherContext,
    subject: Subject,
    options: PolicyCheckOptions = {},
  ): jest.CustomMatcherResult {
    const errors = errorsOf(reportOf(subject, options));
    return {
      pass: errors.length === 0,
      message: () =>
        errors.length === 0
          ? "Expected the stack to break a policy rule, but it passes every rule"
          : `Expected the stack to pass every policy rule, but:\n${errors.map((f) => `  ${formatFinding(f)}`).join("\n")}`,
    };
  },

  /** The rule finds something (not suppressed) on the resource at `address`, or anywhere when left out. */
  toFailPolicyRule(
    this: jest.MatcherContext,
    subject: Subject,
    ruleId: string,
    address?: string,
    options: PolicyCheckOptions = {},
  ): jest.CustomMatcherResult {
    const report = reportOf(subject, options);
    const hits = report.findings.filter(
      (f) => f.rule.id === ruleId && (address === undefined || f.address === address),
    );
    const where = address ? ` on ${address}` : "";
    return {
      pass: hits.length > 0,
      message: () =>
        hits.length > 0
          ? `Expected ${ruleId} to find nothing${where}, but:\n${hits.map((f) => `  ${formatFinding(f)}`).join("\n")}`
          : `Expected ${ruleId} to find something${where}, but it found nothing. All findings:\n${
              report.findings.map((f) => `  ${formatFinding(f)}`).join("\n") || "  (none)"
            }`,
    };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The key policy in `region` allows `principal` to call `action` (an ARN, a token, or `aws_iam_role.<name>`). */
      toAllow(principal: string, action: string, region: string, options?: AccessQuestionOptions): R;
      /** Only the account root statement covers it: the principal's IAM policies decide. */
      toAllowThroughIam(principal: string, action: string, region: string, options?: AccessQuestionOptions): R;
      /** No error-level rule of the pack finds anything (suppressed findings aside). */
      toPassPolicyRules(options?: PolicyCheckOptions): R;
      /** `ruleId` finds something on `address` (anywhere, when left out). */
      toFailPolicyRule(ruleId: string, address?: string, options?: PolicyCheckOptions): R;
    }
  }
}

// Types for the policy matchers, which __tests__/policy/setup.ts installs (lib/policy/jest.ts).
import type { AccessQuestionOptions } from "../lib/policy/access";
import type { PolicyCheckOptions } from "../lib/policy/check";

declare global {
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

export {};

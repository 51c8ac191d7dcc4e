/**
 * The smallest stack the access evaluator reads: one key in one region whose key policy is a
 * literal JSON document, as synthesized JSON (no cdktf synth, so thousands of them stay fast).
 */
import { AccessEvaluator, AccessEvaluatorOptions } from "../../lib/policy/access";

export interface LiteralKeyPolicyOptions extends AccessEvaluatorOptions {
  /** The key's account. */
  readonly accountId: string;
  readonly region: string;
  /** IAM roles the stack declares, as `name` and `path` (sessions of these roles carry their full ARN). */
  readonly roles?: readonly { name: string; path: string }[];
}

export function evaluatorOf(policy: object, options: LiteralKeyPolicyOptions): AccessEvaluator {
  const roles = Object.fromEntries(
    (options.roles ?? []).map((role, i) => [`role_${i}`, { name: role.name, path: role.path, assume_role_policy: "{}" }]),
  );
  const json = {
    provider: { aws: [{ region: options.region }] },
    resource: { aws_kms_key: { key: { multi_region: true, policy: JSON.stringify(policy) } }, aws_iam_role: roles },
  };
  return AccessEvaluator.of(json, options);
}

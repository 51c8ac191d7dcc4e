/**
 * The smallest stack the access evaluator reads: one key in one region whose key policy is a
 * JSON policy document, as synthesized JSON (no cdktf synth, so thousands of them stay fast).
 * The policy reaches the key as literal JSON, or as an `aws_iam_policy_document` data source
 * built from it (IAM policy variables written `&{...}`, as the data source wants them).
 */
import { AccessEvaluator, type AccessEvaluatorOptions } from "../../lib/policy/access";

export interface LiteralKeyPolicyOptions extends AccessEvaluatorOptions {
  /** The key's account. */
  readonly accountId: string;
  readonly region: string;
  /** IAM roles the stack declares, as `name` and `path` (sessions of these roles carry their full ARN). */
  readonly roles?: readonly { name: string; path: string }[];
  /**
   * How the key gets its policy.
   * @default "json"
   */
  readonly form?: "json" | "document";
}

type PolicyJson = { Statement: Record<string, unknown>[] };

const list = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

function principalBlocks(principal: unknown): { type: string; identifiers: string[] }[] | undefined {
  if (principal === undefined) return undefined;
  if (principal === "*") return [{ type: "*", identifiers: ["*"] }];
  return Object.entries(principal as Record<string, unknown>).map(([type, ids]) => ({ type, identifiers: list(ids) }));
}

/** The `aws_iam_policy_document` data source that renders the policy. */
export function policyDocumentOf(policy: PolicyJson): Record<string, unknown> {
  return {
    statement: policy.Statement.map((s) => ({
      ...(s.Sid !== undefined ? { sid: s.Sid } : {}),
      effect: s.Effect,
      ...(s.Action !== undefined ? { actions: list(s.Action) } : {}),
      ...(s.NotAction !== undefined ? { not_actions: list(s.NotAction) } : {}),
      resources: ["*"],
      ...(s.Principal !== undefined ? { principals: principalBlocks(s.Principal) } : {}),
      ...(s.NotPrincipal !== undefined ? { not_principals: principalBlocks(s.NotPrincipal) } : {}),
      condition: Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(
        ([test, byKey]) =>
          Object.entries(byKey).map(([variable, values]) => ({
            test,
            variable,
            values: list(values).map((v) => v.replace(/\$\{/g, "&{")),
          })),
      ),
    })),
  };
}

export function evaluatorOf(policy: object, options: LiteralKeyPolicyOptions): AccessEvaluator {
  const roles = Object.fromEntries(
    (options.roles ?? []).map((role, i) => [
      `role_${i}`,
      { name: role.name, path: role.path, assume_role_policy: "{}" },
    ]),
  );
  const document = options.form === "document";
  const json = {
    provider: { aws: [{ region: options.region }] },
    ...(document ? { data: { aws_iam_policy_document: { key_policy: policyDocumentOf(policy as PolicyJson) } } } : {}),
    resource: {
      aws_kms_key: {
        key: {
          multi_region: true,
          policy: document ? "${data.aws_iam_policy_document.key_policy.json}" : JSON.stringify(policy),
        },
      },
      aws_iam_role: roles,
    },
  };
  return AccessEvaluator.of(json, options);
}

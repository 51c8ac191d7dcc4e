import { listOf } from "../../json";
import { statementCoversAction, wildcardMatch } from "../actions";
import type { PolicyDocument, Statement } from "../document";
import { describeStatement } from "../key-policies";
import type { Rule, Violation } from "../rule";
import { stackJson } from "./examples";

/** The decryption actions Security Hub KMS.1 and KMS.2 look for. */
const DECRYPTION_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"];

/** The IAM identity policies a stack can declare, and the argument that holds each policy. */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_iam_role",
];

/** Key ARNs with two different key ids: a resource pattern that matches both (and is KMS) covers every key. */
const SAMPLE_KEY_IDS = ["key/1234abcd-12ab-34cd-56ef-1234567890ab", "key/mrk-1234abcd12ab34cd56ef1234567890ab"];

/** Whether a `Resource` pattern covers every KMS key (of its region and account, when it names them). */
export function coversAllKeys(pattern: string): boolean {
  if (pattern === "*") return true;
  const parts = pattern.split(":");
  if (parts.length < 6 || !wildcardMatch(parts[0], "arn") || !wildcardMatch(parts[2], "kms")) return false;
  const resource = parts.slice(5).join(":");
  return SAMPLE_KEY_IDS.every((id) => wildcardMatch(resource, id, false));
}

/** Whether a statement applies to every key: a Resource that covers them all, or a NotResource that excludes none of them. */
function onAllKeys(statement: Statement): boolean {
  if (statement.notResources) return !statement.notResources.some(coversAllKeys);
  return (statement.resources ?? []).some(coversAllKeys);
}

const policy = (resource: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: resource }],
  });

/**
 * MRK-KMS-15: no IAM identity policy of the stack allows `kms:Decrypt` or `kms:ReEncryptFrom`
 * on all KMS keys: customer managed policies (Security Hub KMS.1) and inline policies of
 * roles, users and groups (KMS.2), as JSON, `jsonencode` or an `aws_iam_policy_document`.
 */
export const identityPolicyDecryptRule: Rule = {
  id: "MRK-KMS-15",
  level: "error",
  title: "No IAM policy allows decryption with all KMS keys",
  explanation:
    'An IAM policy that allows kms:Decrypt or kms:ReEncryptFrom on "*" (or on every key, arn:aws:kms:*:<account>:key/*) lets its principal decrypt with every key whose key policy delegates to IAM, including keys created later, instead of the keys it needs. Security Hub KMS.1 checks customer managed policies (aws_iam_policy) and KMS.2 inline policies (aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, and inline_policy blocks of aws_iam_role); both read only the Resource element and leave conditions aside, and so does this rule.',
  fix: 'name the keys in the statement\'s Resource (resources = [<the key ARNs>], e.g. "${aws_kms_key.primary.arn}"), not "*"',
  anchors: ["SecurityHub KMS.1", "SecurityHub KMS.2"],
  appliesTo: IDENTITY_POLICY_TYPES,
  examples: {
    compliant: stackJson({
      resource: {
        aws_iam_policy: {
          application: {
            name: "application-kms",
            policy: policy("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"),
          },
        },
      },
    }),
    nonCompliant: stackJson({
      resource: { aws_iam_policy: { application: { name: "application-kms", policy: policy("*") } } },
    }),
  },
  check(element, context) {
    const policies =
      element.type === "aws_iam_role"
        ? listOf(element.config.inline_policy).map((block, index) => ({
            value: block.policy,
            where: `inline_policy ${typeof block.name === "string" ? `"${block.name}"` : index + 1}`,
          }))
        : [{ value: element.config.policy, where: "" }];
    const found: Violation[] = [];
    for (const { value, where } of policies) {
      if (value === undefined) continue;
      const document = context.stack.readPolicy(value);
      // Policies only known at apply time (another module's output) are not this rule's to judge.
      if (typeof document === "string") continue;
      found.push(...decryptOnAllKeys(document, where));
    }
    return found;
  },
};

function decryptOnAllKeys(document: PolicyDocument, where: string): Violation[] {
  const denied = (action: string) =>
    document.statements.some(
      (s) => s.effect === "Deny" && s.conditions.length === 0 && statementCoversAction(s, action) && onAllKeys(s),
    );
  return document.statements.flatMap((statement, index): Violation[] => {
    if (statement.effect !== "Allow" || !onAllKeys(statement)) return [];
    const actions = DECRYPTION_ACTIONS.filter((action) => statementCoversAction(statement, action) && !denied(action));
    if (actions.length === 0) return [];
    const resource = statement.notResources
      ? `every resource but ${statement.notResources.join(", ")}`
      : (statement.resources ?? []).filter(coversAllKeys).join(", ");
    return [
      {
        message: `${where ? `${where}: ` : ""}${describeStatement(statement, document, index)} allows ${actions.join(" and ")} on all KMS keys (${resource})`,
      },
    ];
  });
}

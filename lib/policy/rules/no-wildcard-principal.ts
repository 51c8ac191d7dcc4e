import { KEY_TYPES } from "../../key-types";
import {
  checkKeyPolicy,
  confinementOf,
  describeStatement,
  isPublicStatement,
  isWildcardPrincipal,
} from "../key-policies";
import type { Rule, Violation } from "../rule";
import { allow, EXAMPLE_ACCOUNT, policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

const KEY = (policy: string) => ({
  aws_kms_key: { primary: { enable_key_rotation: true, policy: `\${data.aws_iam_policy_document.${policy}.json}` } },
});

/**
 * MRK-KMS-2: no key policy is open to anyone. Every key of a set has its own policy, so every
 * replica's is checked too.
 */
export const noWildcardPrincipalRule: Rule = {
  id: "MRK-KMS-2",
  level: "error",
  title: "No key policy allows a wildcard principal that no condition confines",
  explanation:
    'A statement that allows "*" (or uses NotPrincipal) lets anyone who meets its conditions use or manage the key. Conditions that confine the caller to accounts or an organization (aws:PrincipalAccount, kms:CallerAccount, alone or with kms:ViaService as in AWS managed keys and CloudTrail\'s default policy, aws:SourceAccount, aws:PrincipalOrgID, an account in aws:PrincipalArn or aws:SourceArn) make the statement not public, as IAM Access Analyzer and Security Hub KMS.5 read it; MRK-KMS-12 then checks those accounts. With strict, every wildcard principal is refused, whatever its conditions. An ARN with a wildcard is refused always: IAM does not match principals by pattern.',
  fix: 'name the principals (IAM role, user or account root ARNs) in the statement instead of "*", or confine "*" with a condition on aws:PrincipalAccount or aws:PrincipalOrgID',
  anchors: ["CKV_AWS_33", "SecurityHub KMS.5", "Access Analyzer public access (AWS::KMS::Key)"],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      data: policyDocument("key_policy", [
        ROOT_STATEMENT,
        allow("AccountPrincipalsThroughS3", ["*"], ["kms:Decrypt", "kms:GenerateDataKey*"], {
          condition: [
            { test: "StringEquals", variable: "kms:CallerAccount", values: [EXAMPLE_ACCOUNT] },
            { test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] },
          ],
        }),
      ]),
      resource: KEY("key_policy"),
    }),
    nonCompliant: stackJson({
      data: policyDocument("key_policy", [
        ROOT_STATEMENT,
        allow("AnyoneThroughS3", ["*"], ["kms:Decrypt"], {
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] }],
        }),
      ]),
      resource: KEY("key_policy"),
    }),
  },
  check(key, context) {
    return checkKeyPolicy(key, context, (document) =>
      document.statements.flatMap((statement, index): Violation[] => {
        if (statement.effect !== "Allow") return [];
        const where = describeStatement(statement, document, index);
        if (statement.notPrincipals) {
          return [{ message: `${where} allows everyone but its NotPrincipal list` }];
        }
        const patterns = (statement.principals ?? []).filter(
          (p) => p.type !== "*" && p.identifier !== "*" && isWildcardPrincipal(p),
        );
        if (patterns.length > 0) {
          return [
            {
              message: `${where} names the principal ${patterns.map((p) => JSON.stringify(p.identifier)).join(", ")}, a pattern that IAM does not match as one`,
            },
          ];
        }
        if (!isPublicStatement(statement, context)) return [];
        const confined = confinementOf(statement) !== undefined;
        return [
          {
            message: confined
              ? `${where} allows the wildcard principal "*" (its conditions confine it, but strict refuses every wildcard)`
              : `${where} allows the wildcard principal "*", and no condition confines it to an account or organization`,
            strict: confined,
          },
        ];
      }),
    );
  },
};

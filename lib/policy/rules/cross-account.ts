import { KEY_TYPES } from "../../key-types";
import type { Statement } from "../document";
import {
  checkKeyPolicy,
  confinementOf,
  describeStatement,
  isWildcardPrincipal,
  principalAccount,
  untrustedAccounts,
} from "../key-policies";
import type { Rule, RuleContext, Violation } from "../rule";
import { isToken } from "../terraform-json";
import { allow, EXAMPLE_APP, policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

const EXTERNAL_ROOT = "arn:aws:iam::444455556666:root";
const key = {
  aws_kms_key: { primary: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.key_policy.json}" } },
};
const USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * MRK-KMS-12: no key policy statement and no grant gives access to an AWS account outside the
 * owning account and the trusted ones (`policy.trustedAccounts`, `policy.trustedOrganizations`).
 */
export const crossAccountRule: Rule = {
  id: "MRK-KMS-12",
  level: "error",
  title: "Keys are shared only with trusted accounts and organizations",
  explanation:
    "A key policy statement or a grant that names a principal of another AWS account (its root, a role, a user), or that confines \"*\" to another account or organization by its conditions, lets that account use the key: IAM Access Analyzer reports it as external access. Sharing a key on purpose is fine once the account (or organization) is listed as trusted; anything else is a leak of the key's data. The owning account is the accountId of the config, of MultiRegionKey or of mrk check's policy file, or else the account whose root the key policies let manage the key. When it is data.aws_caller_identity's, known only once Terraform reads it, an account id written out cannot be told from the own one, and the rule reports none: give the key set its accountId. An organization in aws:PrincipalOrgID counts as the own one until policy.trustedOrganizations lists the trusted ones.",
  fix: 'remove the other account from the statement or the grant, or list it in "policy": { "trustedAccounts": [...] } (organizations in "trustedOrganizations") when sharing is intended',
  anchors: ["Access Analyzer external access (AWS::KMS::Key)"],
  appliesTo: [...KEY_TYPES, "aws_kms_grant"],
  examples: {
    compliant: stackJson({
      data: policyDocument("key_policy", [ROOT_STATEMENT, allow("Application", [EXAMPLE_APP], USE)]),
      resource: key,
    }),
    nonCompliant: stackJson({
      data: policyDocument("key_policy", [ROOT_STATEMENT, allow("ExternalAccount", [EXTERNAL_ROOT], USE)]),
      resource: key,
    }),
  },
  check(resource, context) {
    if (resource.type === "aws_kms_grant") {
      const grantee = resource.config.grantee_principal;
      if (typeof grantee !== "string") return "not-applicable";
      const account = principalAccount({ type: "AWS", identifier: context.stack.resolveKnown(grantee) }, context);
      const outside = account ? untrustedAccounts([account], context) : [];
      return outside.length === 0
        ? "compliant"
        : [
            {
              message: `the grant gives ${JSON.stringify(grantee)}, of account ${outside[0]}, ${describeOperations(resource.config.operations)} on the key`,
            },
          ];
    }
    return checkKeyPolicy(resource, context, (document) =>
      document.statements.flatMap((statement, index) =>
        statementViolations(statement, describeStatement(statement, document, index), context),
      ),
    );
  },
};

function statementViolations(statement: Statement, where: string, context: RuleContext): Violation[] {
  if (statement.effect !== "Allow" || statement.notPrincipals) return [];
  const found: Violation[] = [];
  const named = (statement.principals ?? []).filter((p) => p.type === "AWS" && !isWildcardPrincipal(p));
  for (const principal of named) {
    const account = principalAccount(principal, context);
    if (account && untrustedAccounts([account], context).length > 0) {
      found.push({ message: `${where} allows ${principal.identifier}, of account ${account}, to use the key` });
    }
  }
  const confinement = confinementOf(statement);
  const opensToOthers = (statement.principals ?? []).some((p) => isWildcardPrincipal(p) || p.type === "Service");
  if (confinement && opensToOthers) {
    const accounts = untrustedAccounts(confinement.accounts, context);
    if (accounts.length > 0)
      found.push({
        message: `${where} lets principals of account ${accounts.join(", ")} use the key, by its conditions`,
      });
    const trusted = context.options.trustedOrganizations;
    const organizations = confinement.organizations.filter(
      (org) => trusted.length > 0 && !trusted.includes(org) && !isToken(org),
    );
    if (organizations.length > 0)
      found.push({
        message: `${where} lets principals of organization ${organizations.join(", ")} use the key, by its conditions`,
      });
  }
  return found;
}

function describeOperations(operations: unknown): string {
  return Array.isArray(operations) ? operations.join(", ") : "its operations";
}

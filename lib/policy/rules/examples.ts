/**
 * Pieces the rules' examples share, as Terraform JSON: an account, its root statement, and a
 * key policy built with an `aws_iam_policy_document` data source, as cdktf synthesizes them.
 */
import type { Json } from "../../json";

/** The account of AWS's documentation examples. */
export const EXAMPLE_ACCOUNT = "111122223333";
export const EXAMPLE_ROOT = `arn:aws:iam::${EXAMPLE_ACCOUNT}:root`;
export const EXAMPLE_ADMIN = `arn:aws:iam::${EXAMPLE_ACCOUNT}:role/KeyAdministrator`;
export const EXAMPLE_APP = `arn:aws:iam::${EXAMPLE_ACCOUNT}:role/Application`;

/** The statement that gives the account root `kms:*`, so that IAM policies of the account can grant access. */
export const ROOT_STATEMENT: Json = {
  sid: "EnableRootAccountAccess",
  effect: "Allow",
  principals: [{ type: "AWS", identifiers: [EXAMPLE_ROOT] }],
  actions: ["kms:*"],
  resources: ["*"],
};

/** A statement of `actions` for `principals` (AWS principals), in the data source's block form. */
export function allow(sid: string, principals: readonly string[], actions: readonly string[], extra: Json = {}): Json {
  return {
    sid,
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [...principals] }],
    actions: [...actions],
    resources: ["*"],
    ...extra,
  };
}

/** `data.aws_iam_policy_document.<name>` with these statements. */
export function policyDocument(name: string, statements: readonly Json[]): Json {
  return { aws_iam_policy_document: { [name]: { statement: [...statements] } } };
}

/** A stack with one provider per region (`aws.us_east_1`...), and these data sources and resources. */
export function stackJson(
  parts: { data?: Json; resource: Json; removed?: Json[] },
  regions: readonly string[] = [],
): Json {
  return {
    ...(regions.length > 0
      ? { provider: { aws: regions.map((region) => ({ alias: region.replace(/-/g, "_"), region })) } }
      : {}),
    ...(parts.data ? { data: parts.data } : {}),
    resource: parts.resource,
    ...(parts.removed ? { removed: parts.removed } : {}),
  };
}

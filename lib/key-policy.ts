import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { AwsPartition } from "./regions";
import {
  accountIdSchema,
  checkProp,
  InvalidInputError,
  kmsActionSchema,
  principalArnSchema,
  statementIdSchema,
} from "./validation";

/** What key users may do: the reference document's AllowApplicationAccess statement. */
export const KEY_USER_ACTIONS: readonly string[] = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "kms:DescribeKey",
];

/**
 * What key administrators may do: AWS's default key administrator statement, plus the two
 * multi-region operations (replicating the key and promoting a replica). It does not include
 * using the key for cryptography.
 */
export const KEY_ADMINISTRATOR_ACTIONS: readonly string[] = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:ReplicateKey",
  "kms:UpdatePrimaryRegion",
];

/** A set of principals allowed a set of KMS actions on the key: one policy statement. */
export interface KeyPolicyGrant {
  /**
   * The statement id.
   * @default "AllowKeyAdministration" for administrators, "AllowKeyUse" for users
   */
  readonly sid?: string;
  /** IAM principal ARNs (roles, users, account roots), or tokens such as `role.arn`. */
  readonly principals: readonly string[];
  /**
   * The KMS actions allowed.
   * @default KEY_ADMINISTRATOR_ACTIONS for administrators, KEY_USER_ACTIONS for users
   */
  readonly actions?: readonly string[];
}

export interface KeyPolicyProps {
  /** The AWS account that owns the key; its root gets `kms:*` so IAM policies can grant access. */
  readonly accountId: string;
  /**
   * The partition of the key's regions, for the root principal's ARN.
   * @default "aws"
   */
  readonly partition?: AwsPartition;
  /**
   * The id of the statement that gives the account root `kms:*`.
   * @default "EnableRootAccountAccess"
   */
  readonly rootStatementSid?: string;
  /**
   * Who administers the key (and may replicate and promote it), without using it.
   * @default no administrator statement: the account root's IAM policies decide
   */
  readonly administrators?: KeyPolicyGrant;
  /**
   * Who uses the key for cryptography, one statement per grant.
   * @default no user statements
   */
  readonly users?: readonly KeyPolicyGrant[];
  /** The provider of the region whose key this policy is for. */
  readonly provider: TerraformProvider;
}

/**
 * A key policy, built from roles, as an `aws_iam_policy_document` data source.
 *
 * Its Terraform address is the construct id: `new KeyPolicy(stack, "key_policy", ...)` is
 * `data.aws_iam_policy_document.key_policy`, as in the reference document. Statements come in
 * a fixed order: the account root, the administrators, then each group of users.
 */
export class KeyPolicy extends Construct {
  /** The data source that renders the policy. */
  readonly document: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: KeyPolicyProps) {
    super(scope, id);
    checkProp(accountIdSchema, props.accountId, "KeyPolicy accountId");
    const partition = props.partition ?? "aws";

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      allow(props.rootStatementSid ?? "EnableRootAccountAccess", [`arn:${partition}:iam::${props.accountId}:root`], ["kms:*"]),
    ];
    if (props.administrators) {
      statements.push(grantStatement(props.administrators, "administrators", "AllowKeyAdministration", KEY_ADMINISTRATOR_ACTIONS));
    }
    (props.users ?? []).forEach((grant, index) => {
      statements.push(grantStatement(grant, `users[${index}]`, "AllowKeyUse", KEY_USER_ACTIONS));
    });
    rejectDuplicateSids(statements);

    this.document = new DataAwsIamPolicyDocument(this, "document", {
      provider: props.provider,
      statement: statements,
    });
    this.document.overrideLogicalId(id);
  }

  /** The policy as JSON, for a key's `policy` argument. */
  get json(): string {
    return this.document.json;
  }
}

function grantStatement(
  grant: KeyPolicyGrant,
  field: string,
  defaultSid: string,
  defaultActions: readonly string[],
): DataAwsIamPolicyDocumentStatement {
  if (grant.principals.length === 0) {
    throw new InvalidInputError(`KeyPolicy ${field}.principals: [] must name at least one principal`);
  }
  grant.principals.forEach((arn, i) => checkProp(principalArnSchema, arn, `KeyPolicy ${field}.principals[${i}]`));
  grant.actions?.forEach((action, i) => checkProp(kmsActionSchema, action, `KeyPolicy ${field}.actions[${i}]`));
  const sid = grant.sid ?? defaultSid;
  checkProp(statementIdSchema, sid, `KeyPolicy ${field}.sid`);
  return allow(sid, grant.principals, grant.actions ?? defaultActions);
}

function allow(
  sid: string,
  principals: readonly string[],
  actions: readonly string[],
): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [...principals] }],
    actions: [...actions],
    resources: ["*"],
  };
}

function rejectDuplicateSids(statements: readonly DataAwsIamPolicyDocumentStatement[]): void {
  const seen = new Set<string>();
  for (const { sid } of statements) {
    if (sid === undefined) continue;
    if (seen.has(sid)) {
      throw new InvalidInputError(`KeyPolicy sid: "${sid}" is used by two statements; statement ids must be unique`);
    }
    seen.add(sid);
  }
}

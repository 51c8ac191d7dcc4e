import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { AwsPartition } from "./regions";
import {
  accountIdSchema,
  awsRegionSchema,
  checkProp,
  InvalidInputError,
  kmsActionSchema,
  principalArnSchema,
  servicePrincipalSchema,
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

/**
 * What AWS services that write to resources encrypted with the key may do: what EventBridge
 * and CloudWatch need to publish to an SNS topic encrypted with it.
 */
export const KEY_SERVICE_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:GenerateDataKey*"];

/** AWS services (service principals) allowed a set of KMS actions on the key: one policy statement. */
export interface KeyPolicyServiceGrant {
  /**
   * The statement id.
   * @default "AllowServicesToUseKey"
   */
  readonly sid?: string;
  /** Service principals, e.g. `events.amazonaws.com`, `cloudwatch.amazonaws.com`. */
  readonly principals: readonly string[];
  /**
   * The KMS actions allowed.
   * @default KEY_SERVICE_ACTIONS
   */
  readonly actions?: readonly string[];
}

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
  /**
   * AWS services that use the key (an SNS topic encrypted with it, and the services that
   * publish to that topic), one statement per grant, after the users'.
   * @default no service statements
   */
  readonly services?: readonly KeyPolicyServiceGrant[];
  /**
   * The regions of the key set (the primary's and every replica's). When they are known,
   * `kms:ReplicateKey` and `kms:UpdatePrimaryRegion` leave the administrators' statement for
   * statements of their own (`AllowReplicateKey`, `AllowUpdatePrimaryRegion`), limited with a
   * `StringEquals` condition on `kms:ReplicaRegion` / `kms:PrimaryRegion` to these regions
   * (`kms:Update*` then becomes `kms:UpdateAlias` and `kms:UpdateKeyDescription`).
   * @default none: the two actions stay in the administrators' statement, unlimited (the
   * policy rule MRK-KMS-10 reports that)
   */
  readonly keyRegions?: readonly string[];
  /** The provider of the region whose key this policy is for. */
  readonly provider: TerraformProvider;
}

/**
 * A key policy, built from roles, as an `aws_iam_policy_document` data source.
 *
 * Its Terraform address is the construct id: `new KeyPolicy(stack, "key_policy", ...)` is
 * `data.aws_iam_policy_document.key_policy`, as in the reference document. Statements come in
 * a fixed order: the account root, the administrators, each group of users, then each group of
 * services.
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
      const administrators = grantStatement(props.administrators, "administrators", "AllowKeyAdministration", KEY_ADMINISTRATOR_ACTIONS);
      statements.push(
        ...(props.keyRegions
          ? limitMultiRegionActions(administrators, props.administrators.principals, props.keyRegions)
          : [administrators]),
      );
    }
    (props.users ?? []).forEach((grant, index) => {
      statements.push(grantStatement(grant, `users[${index}]`, "AllowKeyUse", KEY_USER_ACTIONS));
    });
    (props.services ?? []).forEach((grant, index) => {
      statements.push(serviceStatement(grant, `services[${index}]`));
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

/** The multi-region actions, the condition key that limits each to regions, and the sid of its statement. */
const MULTI_REGION_ACTIONS = [
  { action: "kms:ReplicateKey", conditionKey: "kms:ReplicaRegion", sid: "AllowReplicateKey" },
  { action: "kms:UpdatePrimaryRegion", conditionKey: "kms:PrimaryRegion", sid: "AllowUpdatePrimaryRegion" },
] as const;

/** Wildcards of the administrators' default actions that cover a multi-region action, and what they stand for without it. */
const WILDCARDS_WITHOUT_MULTI_REGION: Readonly<Record<string, { covers: string; actions: readonly string[] }>> = {
  "kms:Update*": { covers: "kms:UpdatePrimaryRegion", actions: ["kms:UpdateAlias", "kms:UpdateKeyDescription"] },
};

/**
 * Splits the administrators' statement: `kms:ReplicateKey` and `kms:UpdatePrimaryRegion` (also
 * when a wildcard such as `kms:Update*` covers them) go to statements of their own, each limited
 * to the key's regions.
 */
function limitMultiRegionActions(
  administrators: DataAwsIamPolicyDocumentStatement,
  principals: readonly string[],
  keyRegions: readonly string[],
): DataAwsIamPolicyDocumentStatement[] {
  keyRegions.forEach((region, i) => checkProp(awsRegionSchema, region, `KeyPolicy keyRegions[${i}]`));
  if (keyRegions.length === 0) throw new InvalidInputError("KeyPolicy keyRegions: [] must name the key's regions");
  const regions = [...new Set(keyRegions)];
  const granted = new Set<string>();
  const rest: string[] = [];
  for (const action of administrators.actions ?? []) {
    const wildcard = WILDCARDS_WITHOUT_MULTI_REGION[action];
    if (MULTI_REGION_ACTIONS.some((m) => m.action === action)) {
      granted.add(action);
    } else if (wildcard) {
      granted.add(wildcard.covers);
      rest.push(...wildcard.actions.filter((a) => !rest.includes(a)));
    } else {
      rest.push(action);
    }
  }
  return [
    ...(rest.length > 0 ? [{ ...administrators, actions: rest }] : []),
    ...MULTI_REGION_ACTIONS.filter((m) => granted.has(m.action)).map((m) => ({
      ...allow(m.sid, principals, [m.action]),
      condition: [{ test: "StringEquals", variable: m.conditionKey, values: regions }],
    })),
  ];
}

function serviceStatement(grant: KeyPolicyServiceGrant, field: string): DataAwsIamPolicyDocumentStatement {
  if (grant.principals.length === 0) {
    throw new InvalidInputError(`KeyPolicy ${field}.principals: [] must name at least one service principal`);
  }
  grant.principals.forEach((name, i) => checkProp(servicePrincipalSchema, name, `KeyPolicy ${field}.principals[${i}]`));
  grant.actions?.forEach((action, i) => checkProp(kmsActionSchema, action, `KeyPolicy ${field}.actions[${i}]`));
  const sid = grant.sid ?? "AllowServicesToUseKey";
  checkProp(statementIdSchema, sid, `KeyPolicy ${field}.sid`);
  return allow(sid, grant.principals, grant.actions ?? KEY_SERVICE_ACTIONS, "Service");
}

function allow(
  sid: string,
  principals: readonly string[],
  actions: readonly string[],
  principalType: "AWS" | "Service" = "AWS",
): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: "Allow",
    principals: [{ type: principalType, identifiers: [...principals] }],
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

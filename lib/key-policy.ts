import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DEFAULT_KEY_ADMINISTRATOR_ACTIONS, expandActions, MULTI_REGION_ACTIONS } from "./policy/actions";
import type { AwsPartition } from "./regions";
import {
  accountIdSchema,
  awsRegionSchema,
  checkProp,
  InvalidInputError,
  kmsActionSchema,
  principalArnSchema,
  servicePrincipalSchema,
  statementIdSchema,
  within,
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
  ...DEFAULT_KEY_ADMINISTRATOR_ACTIONS,
  "kms:ReplicateKey",
  "kms:UpdatePrimaryRegion",
];

/**
 * What AWS services that write to resources encrypted with the key may do: what EventBridge
 * and CloudWatch need to publish to an SNS topic encrypted with it.
 */
export const KEY_SERVICE_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:GenerateDataKey*"];

/** The actions of each grant method of `MultiRegionKey`, as aws-cdk's `Key` grants them. */
export const GRANT_ACTIONS = {
  /** `grantDecrypt`: read what was encrypted with the key. */
  decrypt: ["kms:Decrypt"],
  /** `grantEncrypt`: encrypt, re-encrypt to the key, and make data keys. */
  encrypt: ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
  /** `grantEncryptDecrypt`: both. */
  encryptDecrypt: ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
} as const satisfies Record<string, readonly string[]>;

/** The statement id of each grant method's statement. */
const GRANT_SIDS: Record<keyof typeof GRANT_ACTIONS, string> = {
  decrypt: "AllowDecrypt",
  encrypt: "AllowEncrypt",
  encryptDecrypt: "AllowEncryptDecrypt",
};

/** Which grant method: the keys of `GRANT_ACTIONS`. */
export type GrantKind = keyof typeof GRANT_ACTIONS;

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

/**
 * AWS services (service principals) allowed a set of KMS actions on the key: one policy
 * statement, with the conditions that keep a service from using the key for another account
 * (the confused-deputy problem): `aws:SourceAccount`, and `aws:SourceArn` when given.
 */
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
  /**
   * The resources on whose behalf the services may use the key (`aws:SourceArn`, matched with
   * `ArnLike`), e.g. `arn:aws:cloudwatch:us-east-1:111111111111:alarm:*`.
   * @default no aws:SourceArn condition
   */
  readonly sourceArns?: readonly string[];
  /**
   * Whether to add `aws:SourceAccount` = the key's account. Turn it off only for a service
   * that does not set the key when it calls KMS.
   * @default true
   */
  readonly sourceAccount?: boolean;
}

/** A principal of a statement, as Terraform writes it: `principals { type identifiers }`. */
export interface KeyPolicyPrincipal {
  /** `AWS` (account roots, roles, users, `*`), `Service`, `Federated`. */
  readonly type: "AWS" | "Service" | "Federated";
  /** The principals of that type: ARNs, account ids, service names, `*`. */
  readonly identifiers: readonly string[];
}

/** A condition of a statement, as Terraform writes it: `condition { test variable values }`. */
export interface KeyPolicyCondition {
  /** The operator: `StringEquals`, `ArnLike`, `Bool`, ... */
  readonly test: string;
  /** The condition key: `kms:ViaService`, `aws:PrincipalOrgID`, ... */
  readonly variable: string;
  /** The values the condition key is compared with (any of them matches). */
  readonly values: readonly string[];
}

/** A statement of your own, with conditions, added after the ones the key builds. */
export interface KeyPolicyStatement {
  /** The statement id; unique in the policy. */
  readonly sid: string;
  /**
   * `Allow` or `Deny`.
   * @default "Allow"
   */
  readonly effect?: "Allow" | "Deny";
  /** Who the statement is about. */
  readonly principals: readonly KeyPolicyPrincipal[];
  /** The KMS actions it allows or denies. */
  readonly actions: readonly string[];
  /**
   * When it applies: every condition must hold.
   * @default no conditions
   */
  readonly conditions?: readonly KeyPolicyCondition[];
}

/**
 * Who may do what with a key, from which the key builds its key policy in a region. Statements
 * come in a fixed order: the account root, the administrators (with the multi-region actions in
 * statements of their own, limited to the key's regions), each group of users, each group of
 * services, what the grant methods added, then your own statements.
 */
export interface KeyPolicySettings {
  /**
   * The id of the statement that gives the account root `kms:*`, so that IAM policies can
   * grant access to the key (KMS's default key policy does the same).
   * @default "EnableRootAccountAccess"
   */
  readonly rootSid?: string;
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
   * AWS services that use the key, one statement per grant, after the users'.
   * @default no service statements
   */
  readonly services?: readonly KeyPolicyServiceGrant[];
  /**
   * Statements of your own, after the ones above.
   * @default none
   */
  readonly statements?: readonly KeyPolicyStatement[];
}

/** `keyPolicy: "kms-default"`: no policy argument, so KMS gives the key its default key policy (the account root only). */
export const KMS_DEFAULT_KEY_POLICY = "kms-default";

export interface KeyPolicyProps extends KeyPolicySettings {
  /**
   * The AWS account that owns the key: its root gets `kms:*`, and it is the `aws:SourceAccount`
   * of service statements. A 12-digit id, or a token such as
   * `data.aws_caller_identity.current.account_id`.
   */
  readonly accountId: string;
  /**
   * The partition of the key's region, for the root principal's ARN.
   * @default "aws"
   */
  readonly partition?: AwsPartition;
  /**
   * The regions of the key set (the primary's and every replica's). `kms:ReplicateKey` and
   * `kms:UpdatePrimaryRegion` leave the administrators' statement for statements of their own
   * (`AllowReplicateKey`, `AllowUpdatePrimaryRegion`), limited with a `StringEquals` condition on
   * `kms:ReplicaRegion` / `kms:PrimaryRegion` to these regions (`kms:Update*` then becomes
   * `kms:UpdateAlias` and `kms:UpdateKeyDescription`).
   * @default none: the two actions stay in the administrators' statement, unlimited
   */
  readonly keyRegions?: readonly string[];
  /** The provider of the region whose key this policy is for. */
  readonly provider: TerraformProvider;
  /**
   * Names the settings in error messages: `MultiRegionKey replicas[1].keyPolicy`.
   * @default "KeyPolicy"
   */
  readonly field?: string;
}

/**
 * A key policy, built from who may do what, as an `aws_iam_policy_document` data source.
 *
 * Its Terraform address is the construct id: `new KeyPolicy(stack, "key_policy", ...)` is
 * `data.aws_iam_policy_document.key_policy`, as in the reference document. `MultiRegionKey`
 * makes one per region; `grant()` adds to it until the app synthesizes.
 */
export class KeyPolicy extends Construct {
  /** The data source that renders the policy. */
  readonly document: DataAwsIamPolicyDocument;
  private readonly built: DataAwsIamPolicyDocumentStatement[];
  private readonly addedServices: DataAwsIamPolicyDocumentStatement[] = [];
  private readonly grants = new Map<GrantKind, string[]>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: KeyPolicyProps,
  ) {
    super(scope, id);
    this.built = keyPolicyStatements(props);
    this.document = new DataAwsIamPolicyDocument(this, "document", {
      provider: props.provider,
      statement: this.built,
    });
    this.document.overrideLogicalId(id);
  }

  /**
   * The policy as JSON, for a key's `policy` argument: one token, however many keys use it
   * (cdktf makes a new token at every read of an attribute, each with the stack trace of where).
   */
  get json(): string {
    this.jsonToken ??= this.document.json;
    return this.jsonToken;
  }

  private jsonToken?: string;

  /** The statements it was built with, before anything was added. */
  get statements(): readonly DataAwsIamPolicyDocumentStatement[] {
    return this.built;
  }

  /** A new key policy `id` built from `props`, with what was granted to this one. */
  copy(scope: Construct, id: string, props: KeyPolicyProps): KeyPolicy {
    const copy = new KeyPolicy(scope, id, props);
    for (const [kind, principals] of this.grants) copy.grants.set(kind, [...principals]);
    copy.addedServices.push(...this.addedServices);
    if (this.grants.size > 0 || this.addedServices.length > 0) copy.update(copy.node.path);
    return copy;
  }

  /**
   * Allows `principal` (an IAM ARN or a token such as `role.arn`) the actions of a grant
   * method, in one statement per kind of grant (`AllowEncryptDecrypt`, ...).
   */
  grant(kind: GrantKind, principal: string, field: string): void {
    checkProp(principalArnSchema, principal, field);
    const principals = this.grants.get(kind) ?? [];
    if (principals.includes(principal)) return;
    this.grants.set(kind, [...principals, principal]);
    this.update(field);
  }

  /**
   * Allows AWS services to use the key, with the confused-deputy conditions (what another
   * construct needs, such as monitoring that publishes to a topic encrypted with the key).
   */
  addServices(grant: KeyPolicyServiceGrant, field: string): void {
    this.addedServices.push(serviceStatement(grant, field, this.props.accountId));
    this.update(field);
  }

  /**
   * The statements in their order: the built ones, with what was added later after the
   * services' statements and before the statements of your own.
   */
  private update(field: string): void {
    const grantStatements = [...this.grants].map(([kind, granted]) =>
      allow(GRANT_SIDS[kind], granted, GRANT_ACTIONS[kind]),
    );
    const statements = [...this.built];
    statements.splice(
      this.built.length - (this.props.statements?.length ?? 0),
      0,
      ...this.addedServices,
      ...grantStatements,
    );
    rejectDuplicateSids(statements, `${field}: the key policy of ${this.node.id}`);
    this.document.putStatement(statements);
  }
}

/**
 * The statements of a key policy, in their fixed order, each checked (an error names
 * `props.field` and the setting).
 */
export function keyPolicyStatements(props: Omit<KeyPolicyProps, "provider">): DataAwsIamPolicyDocumentStatement[] {
  const field = props.field ?? "KeyPolicy";
  const settings: KeyPolicySettings = props;
  checkProp(accountIdSchema, props.accountId, within(field, "accountId"));
  const partition = props.partition ?? "aws";

  const rootSid = settings.rootSid ?? "EnableRootAccountAccess";
  checkProp(statementIdSchema, rootSid, within(field, "rootSid"));
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    allow(rootSid, [`arn:${partition}:iam::${props.accountId}:root`], ["kms:*"]),
  ];
  if (settings.administrators) {
    const administrators = grantStatement(
      settings.administrators,
      within(field, "administrators"),
      "AllowKeyAdministration",
      KEY_ADMINISTRATOR_ACTIONS,
    );
    statements.push(
      ...(props.keyRegions
        ? limitMultiRegionActions(administrators, settings.administrators.principals, props.keyRegions, field)
        : [administrators]),
    );
  }
  (settings.users ?? []).forEach((grant, index) => {
    statements.push(grantStatement(grant, within(field, `users[${index}]`), "AllowKeyUse", KEY_USER_ACTIONS));
  });
  (settings.services ?? []).forEach((grant, index) => {
    statements.push(serviceStatement(grant, within(field, `services[${index}]`), props.accountId));
  });
  (settings.statements ?? []).forEach((statement, index) => {
    statements.push(ownStatement(statement, within(field, `statements[${index}]`)));
  });
  rejectDuplicateSids(statements, field);
  return statements;
}

function grantStatement(
  grant: KeyPolicyGrant,
  field: string,
  defaultSid: string,
  defaultActions: readonly string[],
): DataAwsIamPolicyDocumentStatement {
  if (grant.principals.length === 0) {
    throw new InvalidInputError(`${within(field, "principals")}: [] must name at least one principal`);
  }
  for (const [i, arn] of grant.principals.entries())
    checkProp(principalArnSchema, arn, within(field, `principals[${i}]`));
  checkActions(grant.actions, within(field, "actions"));
  const sid = grant.sid ?? defaultSid;
  checkProp(statementIdSchema, sid, within(field, "sid"));
  return allow(sid, grant.principals, grant.actions ?? defaultActions);
}

function checkActions(actions: readonly string[] | undefined, field: string): void {
  if (actions === undefined) return;
  if (actions.length === 0) throw new InvalidInputError(`${field}: [] must name at least one action`);
  for (const [i, action] of actions.entries()) checkProp(kmsActionSchema, action, `${field}[${i}]`);
}

/** The sid of each multi-region action's statement (the condition key that limits it: `MULTI_REGION_ACTIONS`). */
const MULTI_REGION_SIDS: Readonly<Record<string, string>> = {
  "kms:ReplicateKey": "AllowReplicateKey",
  "kms:UpdatePrimaryRegion": "AllowUpdatePrimaryRegion",
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
  field: string,
): DataAwsIamPolicyDocumentStatement[] {
  for (const [i, region] of keyRegions.entries()) checkProp(awsRegionSchema, region, within(field, `keyRegions[${i}]`));
  if (keyRegions.length === 0)
    throw new InvalidInputError(`${within(field, "keyRegions")}: [] must name the key's regions`);
  const regions = [...new Set(keyRegions)];
  const granted = new Set<string>();
  const rest: string[] = [];
  for (const action of administrators.actions ?? []) {
    // A wildcard that covers a multi-region action (kms:Update*) stands for the other actions it
    // covers. kms:* stays as it is: it is every action, which the rule pack reports (MRK-KMS-8).
    const everything = action === "*" || action.toLowerCase() === "kms:*";
    const covered = action.includes("*") && !everything ? expandActions([action]) : [action];
    const multiRegion = covered.filter((a) => a in MULTI_REGION_ACTIONS);
    for (const a of multiRegion) granted.add(a);
    if (multiRegion.length === 0) rest.push(action);
    else rest.push(...covered.filter((a) => !(a in MULTI_REGION_ACTIONS) && !rest.includes(a)));
  }
  return [
    ...(rest.length > 0 ? [{ ...administrators, actions: rest }] : []),
    ...Object.entries(MULTI_REGION_ACTIONS)
      .filter(([action]) => granted.has(action))
      .map(([action, conditionKey]) => ({
        ...allow(MULTI_REGION_SIDS[action], principals, [action]),
        condition: [{ test: "StringEquals", variable: conditionKey, values: regions }],
      })),
  ];
}

function serviceStatement(
  grant: KeyPolicyServiceGrant,
  field: string,
  accountId: string,
): DataAwsIamPolicyDocumentStatement {
  if (grant.principals.length === 0) {
    throw new InvalidInputError(`${within(field, "principals")}: [] must name at least one service principal`);
  }
  for (const [i, name] of grant.principals.entries())
    checkProp(servicePrincipalSchema, name, within(field, `principals[${i}]`));
  checkActions(grant.actions, within(field, "actions"));
  const sid = grant.sid ?? "AllowServicesToUseKey";
  checkProp(statementIdSchema, sid, within(field, "sid"));
  const condition = [
    ...(grant.sourceAccount === false
      ? []
      : [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }]),
    ...(grant.sourceArns && grant.sourceArns.length > 0
      ? [{ test: "ArnLike", variable: "aws:SourceArn", values: [...grant.sourceArns] }]
      : []),
  ];
  return {
    ...allow(sid, grant.principals, grant.actions ?? KEY_SERVICE_ACTIONS, "Service"),
    ...(condition.length > 0 ? { condition } : {}),
  };
}

function ownStatement(statement: KeyPolicyStatement, field: string): DataAwsIamPolicyDocumentStatement {
  checkProp(statementIdSchema, statement.sid, within(field, "sid"));
  if (statement.principals.length === 0) {
    throw new InvalidInputError(`${within(field, "principals")}: [] must name at least one principal`);
  }
  checkActions(statement.actions, within(field, "actions"));
  statement.principals.forEach((principal, i) => {
    if (principal.identifiers.length === 0) {
      throw new InvalidInputError(
        `${within(field, `principals[${i}].identifiers`)}: [] must name at least one principal`,
      );
    }
  });
  return {
    sid: statement.sid,
    effect: statement.effect ?? "Allow",
    principals: statement.principals.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
    actions: [...statement.actions],
    resources: ["*"],
    ...(statement.conditions && statement.conditions.length > 0
      ? { condition: statement.conditions.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })) }
      : {}),
  };
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

function rejectDuplicateSids(statements: readonly DataAwsIamPolicyDocumentStatement[], field: string): void {
  const seen = new Set<string>();
  for (const { sid } of statements) {
    if (sid === undefined) continue;
    if (seen.has(sid)) {
      throw new InvalidInputError(
        `${within(field, "sid")}: "${sid}" is used by two statements; statement ids must be unique`,
      );
    }
    seen.add(sid);
  }
}

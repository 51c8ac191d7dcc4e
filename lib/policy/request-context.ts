/**
 * Who calls, as IAM sees the caller, and the request context IAM builds for a KMS request from
 * it: the keys a key policy's conditions read.
 *
 * From "AWS global condition context keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * - `aws:PrincipalArn` is the ARN of the IAM user, of the account root
 *   (`arn:aws:iam::ACCOUNT:root`), or, for an assumed-role session
 *   (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), of the role itself
 *   (`arn:aws:iam::ACCOUNT:role/PATH/ROLE`), never the session's;
 * - `aws:PrincipalAccount` is the caller's account, `aws:PrincipalOrgID` its organization's id
 *   (when the account belongs to one), `aws:PrincipalType` `Account`, `User`, `AssumedRole` or
 *   `FederatedUser`, `aws:username` an IAM user's name;
 * - `aws:PrincipalIsAWSService` is true only for an AWS service principal
 *   (`s3.amazonaws.com`), whose name is `aws:PrincipalServiceName`;
 * - `aws:RequestedRegion` is the region called.
 * From the KMS Developer Guide: `kms:CallerAccount` is the caller's account
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account),
 * and every KMS request travels over TLS, so `aws:SecureTransport` is true
 * (https://docs.aws.amazon.com/kms/latest/developerguide/infrastructure-security.html).
 */
import type { ContextValue } from "./conditions";

/** A caller as IAM tells callers apart. */
export interface Caller {
  readonly kind: "root" | "user" | "role" | "assumed-role" | "federated-user" | "service" | "unknown";
  /** As asked about: an ARN, an account id (its root), or a service principal (`s3.amazonaws.com`). */
  readonly id: string;
  readonly partition?: string;
  readonly account?: string;
  /** For a role or an assumed-role session: the role's name (without its path). */
  readonly roleName?: string;
  /** What IAM puts in `aws:PrincipalArn`: for an assumed-role session, its role's ARN. */
  readonly principalArn?: string;
}

/**
 * The role's full ARN (with its path) for a session: IAM knows it, a session ARN does not show
 * it. Returns undefined when the role is not known, and the ARN is then taken without a path.
 */
export type RoleArnLookup = (partition: string, account: string, roleName: string) => string | undefined;

const IAM_ARN = /^arn:(aws[\w-]*):(iam|sts)::(\d{12}):(.+)$/;

/** The caller an identifier names. */
export function callerOf(id: string, roleArnOf: RoleArnLookup = () => undefined): Caller {
  if (/^\d{12}$/.test(id))
    return { kind: "root", id, partition: "aws", account: id, principalArn: `arn:aws:iam::${id}:root` };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(id)) return { kind: "service", id };
  const arn = IAM_ARN.exec(id);
  if (!arn) return { kind: "unknown", id };
  const [, partition, service, account, resource] = arn;
  const base = { id, partition, account };
  if (service === "iam" && resource === "root") return { ...base, kind: "root", principalArn: id };
  if (service === "iam" && resource.startsWith("user/")) return { ...base, kind: "user", principalArn: id };
  if (service === "iam" && resource.startsWith("role/"))
    return { ...base, kind: "role", roleName: resource.split("/").pop(), principalArn: id };
  const session = /^assumed-role\/([^/]+)\/.+$/.exec(resource);
  if (service === "sts" && session) {
    const roleName = session[1];
    const principalArn = roleArnOf(partition, account, roleName) ?? `arn:${partition}:iam::${account}:role/${roleName}`;
    return { ...base, kind: "assumed-role", roleName, principalArn };
  }
  if (service === "sts" && resource.startsWith("federated-user/"))
    return { ...base, kind: "federated-user", principalArn: id };
  return { ...base, kind: "unknown" };
}

const PRINCIPAL_TYPE: Partial<Record<Caller["kind"], string>> = {
  root: "Account",
  user: "User",
  role: "AssumedRole",
  "assumed-role": "AssumedRole",
  "federated-user": "FederatedUser",
};

export interface RequestContextOptions {
  /** The region called. */
  readonly region: string;
  /** The caller's organization, when known: `aws:PrincipalOrgID`. */
  readonly organizationId?: string;
}

/** The context keys (lower case) IAM puts in a KMS request of this caller. Keys left out are not known. */
export function requestContextOf(caller: Caller, options: RequestContextOptions): Map<string, ContextValue> {
  const context = new Map<string, ContextValue>();
  context.set("aws:requestedregion", options.region);
  context.set("aws:securetransport", "true");
  context.set("aws:principalisawsservice", String(caller.kind === "service"));
  if (caller.kind === "service") {
    context.set("aws:principalservicename", caller.id);
    return context;
  }
  if (caller.principalArn) context.set("aws:principalarn", caller.principalArn);
  if (caller.account) {
    context.set("aws:principalaccount", caller.account);
    context.set("kms:calleraccount", caller.account);
  }
  const type = PRINCIPAL_TYPE[caller.kind];
  if (type) context.set("aws:principaltype", type);
  if (caller.kind === "user") context.set("aws:username", caller.id.split("/").pop()!);
  if (options.organizationId) context.set("aws:principalorgid", options.organizationId);
  return context;
}

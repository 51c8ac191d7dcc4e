import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { TerraformOutput, type TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { attributeReference } from "./attribute-references";
import { commentAbove } from "./hcl/comments";
import { keyLayout } from "./key-layout";
import { KeyLedger } from "./key-ledger";
import {
  type GrantKind,
  KeyPolicy,
  type KeyPolicyProps,
  type KeyPolicyServiceGrant,
  type KeyPolicySettings,
  KMS_DEFAULT_KEY_POLICY,
  keyPolicyStatements,
} from "./key-policy";
import type { KeySet, RegionalKey } from "./key-set";
import { MovedBlock } from "./moved-block";
import type { RegionProviders } from "./region-providers";
import { partitionOf, providerAlias } from "./regions";
import { RemovedBlock } from "./removed-block";
import {
  accountIdSchema,
  aliasNameSchema,
  awsRegionSchema,
  checkProp,
  deletionWindowSchema,
  descriptionSchema,
  displayPath,
  InvalidInputError,
  KMS_DEFAULT_DELETION_WINDOW_DAYS,
  KMS_DEFAULT_ROTATION_PERIOD_DAYS,
  MAX_DELETION_WINDOW_DAYS,
  MAX_ROTATION_PERIOD_DAYS,
  MIN_DELETION_WINDOW_DAYS,
  MIN_ROTATION_PERIOD_DAYS,
  ProblemList,
  reasonSchema,
  regionSetProblems,
  replicaNameSchema,
  rotationPeriodSchema,
  tagsSchema,
} from "./validation";

/** A key of the set in one region, with the alias the stack declares there. */
export interface DeclaredRegionalKey extends RegionalKey {
  /** The key resource: the primary key or the replica. */
  readonly resource: KmsKey | KmsReplicaKey;
  readonly alias: KmsAlias;
}

/** A region's key policy: built from settings, KMS's default (`"kms-default"`), or JSON of your own. */
export type KeyPolicyChoice = KeyPolicySettings | typeof KMS_DEFAULT_KEY_POLICY;

/** One replica of a multi-region key. */
export interface ReplicaKeyProps {
  /** The replica's region: not the primary's, one replica per region. */
  readonly region: string;
  /**
   * The name in the replica's Terraform addresses: `aws_kms_replica_key.<name>`, `aws_kms_alias.<name>`.
   * @default the region with "-" as "_" (`eu_west_1`)
   */
  readonly name?: string;
  /**
   * The replica's description; KMS does not copy the primary's.
   * @default the primary key's description
   */
  readonly description?: string;
  /**
   * Whether the replica can be used. Each key of the set is enabled or disabled on its own.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The replica's tags, added to the key's tags (a replica's value wins). KMS does not copy tags.
   * @default the key's tags
   */
  readonly tags?: Record<string, string>;
  /**
   * This replica's whole key policy, in place of the key's: who may do what in this region, or
   * `"kms-default"` for no policy argument (KMS's default key policy: the account root only).
   * KMS never copies the primary's policy to a replica; the key writes one for each region.
   * @default the key's `keyPolicy`
   */
  readonly keyPolicy?: KeyPolicyChoice;
  /**
   * Users, services and statements added to the key's key policy in this region only (a team
   * that works in one region). Not allowed together with `keyPolicy` or `policy`.
   * @default nothing added
   */
  readonly keyPolicyAdditions?: Pick<KeyPolicySettings, "users" | "services" | "statements">;
  /**
   * The replica's key policy as JSON of your own, in place of a built one.
   * @default built from `keyPolicy`
   */
  readonly policy?: string;
  /**
   * Retires the replica: it is no longer declared, and Terraform destroys it, which schedules
   * the key's deletion after its deletion window. Everything encrypted only under this region's
   * key must be re-encrypted first. The rule pack reports every retire.
   * @default not retired
   */
  readonly retire?: ReplicaRetirement;
}

/** A replica retired on purpose: why, and when KMS deletes it. */
export interface ReplicaRetirement {
  /** Why the replica may be destroyed, at least 10 characters: a change ticket, the decision. */
  readonly reason: string;
  /**
   * The days KMS waits, once Terraform destroys the replica, before it deletes the key (until
   * then `aws kms cancel-key-deletion` saves it). Terraform schedules the deletion with the
   * window the replica was last applied with, the key set's `deletionWindowInDays`, so this must
   * say the same: to retire it with another window, change `deletionWindowInDays` and apply
   * that first.
   */
  readonly deletionWindowInDays: number;
}

/** Deletion protection turned off for a key set, and why. */
export interface DeletionProtectionOff {
  /** Why the key set may be destroyed, at least 10 characters: a test key, data re-encrypted elsewhere... */
  readonly off: string;
}

export interface MultiRegionKeyProps {
  /** The AWS providers of the stack; must cover the primary region and every replica region. */
  readonly providers: RegionProviders;
  /** The region of the primary key. */
  readonly primaryRegion: string;
  /** The replicas, at least one, each in another region of the primary's partition. */
  readonly replicas: readonly ReplicaKeyProps[];
  /** The alias created in every region of the key, e.g. `alias/global-encrypt`. */
  readonly aliasName: string;
  /**
   * The primary key's description.
   * @default no description
   */
  readonly description?: string;
  /**
   * The AWS account that owns the key: its root is in every key policy.
   * @default the account of the provider's credentials (`data.aws_caller_identity.current`)
   */
  readonly accountId?: string;
  /**
   * Who may do what with the key: administrators, users, services and statements of your own.
   * The key writes a key policy from them in every region (each replica may replace or add to
   * it), with the key's regions filled in where the multi-region actions need them. Grant
   * methods (`grantEncryptDecrypt`, ...) add to it. `"kms-default"` leaves the policy argument
   * out, so KMS gives each key its default key policy.
   * @default a key policy with the account root statement only (as KMS's default, but explicit)
   */
  readonly keyPolicy?: KeyPolicyChoice;
  /**
   * The primary key's policy as JSON of your own, in place of a built one. Replicas without a
   * policy of their own get it too.
   * @default built from `keyPolicy`
   */
  readonly policy?: string;
  /**
   * Automatic rotation of the key material. It is set on the primary and applies to every replica.
   * @default true
   */
  readonly enableKeyRotation?: boolean;
  /**
   * Days between automatic rotations, {@link MIN_ROTATION_PERIOD_DAYS} to {@link MAX_ROTATION_PERIOD_DAYS}. Needs `enableKeyRotation`.
   * @default KMS's period, {@link KMS_DEFAULT_ROTATION_PERIOD_DAYS} days (the argument is left out)
   */
  readonly rotationPeriodInDays?: number;
  /**
   * Days ({@link MIN_DELETION_WINDOW_DAYS} to {@link MAX_DELETION_WINDOW_DAYS}) that KMS waits before deleting the key, and each replica, once deletion is scheduled.
   * @default {@link KMS_DEFAULT_DELETION_WINDOW_DAYS}, KMS's own default (the argument is left out, so state made without it adopts unchanged)
   */
  readonly deletionWindowInDays?: number;
  /**
   * Tags on the primary key and, unless they say otherwise, every replica.
   * @default no tags
   */
  readonly tags?: Record<string, string>;
  /**
   * The region of the primary key now, when a failover (UpdatePrimaryRegion) promoted the
   * replica there. The Terraform addresses stay put and swap regions (see key-layout.ts):
   * `aws_kms_key.primary` holds the key in this region, and the promoted replica's address holds
   * the key in `primaryRegion`. Each region keeps its own description, policy and tags.
   * @default primaryRegion (no failover)
   */
  readonly currentPrimaryRegion?: string;
  /**
   * Deletion protection: every key of the set carries `lifecycle { prevent_destroy = true }`, so
   * `terraform plan` refuses to destroy or replace one. Turn it off only with the reason:
   * `{ off: "a test key; nothing is encrypted with it" }`.
   * @default "on"
   */
  readonly deletionProtection?: "on" | DeletionProtectionOff;
  /**
   * Put before every Terraform address and output name of this key, to tell several keys in
   * one stack apart: `"sessions_"` gives `aws_kms_key.sessions_primary`.
   * @default "" (the reference document's addresses: `aws_kms_key.primary`, `aws_kms_replica_key.eu`)
   */
  readonly addressPrefix?: string;
}

/**
 * A KMS multi-region key: the primary `aws_kms_key` (multi_region, symmetric, rotated), one
 * `aws_kms_replica_key` per replica region, the same `aws_kms_alias` in every region, a key
 * policy per region (`data.aws_iam_policy_document`), and the Terraform outputs `key_arns`,
 * `key_ids` and `alias_arns` (maps from region) and `alias_name`.
 *
 * The Terraform addresses are those of the reference document: `aws_kms_key.primary`,
 * `aws_kms_alias.primary`, `data.aws_iam_policy_document.key_policy`, then
 * `aws_kms_replica_key.<name>`, `aws_kms_alias.<name>` and
 * `data.aws_iam_policy_document.<name>_key_policy` per replica.
 */
export class MultiRegionKey extends Construct implements KeySet {
  readonly primaryKey: KmsKey;
  readonly replicaKeys: ReadonlyMap<string, KmsReplicaKey>;
  /** Every region's key, the primary first. */
  readonly regionalKeys: readonly DeclaredRegionalKey[];
  readonly aliasName: string;
  /** What starts the key's Terraform addresses (`addressPrefix`): `aws_kms_key.<addressPrefix>primary`. */
  readonly addressPrefix: string;
  /**
   * The key policy built for each region, by region; regions whose policies say the same share
   * one. A region with KMS's default or JSON of its own has none.
   */
  readonly keyPolicies: ReadonlyMap<string, KeyPolicy>;
  /** How each region's key policy was built, to give a region a document of its own later. */
  private readonly policyPlans = new Map<string, { address: string; props: KeyPolicyProps }>();
  /** The key resource that holds each region's key (after a failover, addresses swap regions). */
  private readonly keyByRegion = new Map<string, KmsKey | KmsReplicaKey>();

  constructor(scope: Construct, id: string, props: MultiRegionKeyProps) {
    super(scope, id);
    validate(props);
    const prefix = props.addressPrefix ?? "";
    this.addressPrefix = prefix;
    const enableKeyRotation = props.enableKeyRotation ?? true;
    this.aliasName = props.aliasName;
    // A retired replica is no longer declared (see followLedger for what takes its place).
    const replicas = props.replicas
      .map((replica, index) => ({ replica, index }))
      .filter(({ replica }) => !replica.retire);
    const regions = [props.primaryRegion, ...replicas.map(({ replica }) => replica.region)];
    const lifecycle =
      props.deletionProtection === undefined || props.deletionProtection === "on"
        ? { preventDestroy: true }
        : undefined;

    // The key policy of each region where the key writes one, before the keys that use them.
    // Regions whose policies say the same share one document, as one would write it by hand; a
    // region's document splits off when something is added to it alone (addServiceGrant).
    const keyPolicies = new Map<string, KeyPolicy>();
    /** The statements each key policy was built with, as JSON, to compare a region's with. */
    const statementsOf = new Map<KeyPolicy, string>();
    /**
     * The key policy built from each choice (the very object) in each partition: a region with the
     * same choice in the same partition has the same statements, without building them again.
     */
    const builtFrom = new Map<KeyPolicyChoice | undefined, Map<string, KeyPolicy>>();
    // The caller's account is looked up only when a key policy the key builds needs it.
    let accountId = props.accountId;
    const policyOf = (
      region: string,
      address: string,
      field: string,
      choice: KeyPolicyChoice | undefined,
      raw: string | undefined,
    ) => {
      if (raw !== undefined) return raw;
      const settings = choice ?? {};
      if (settings === KMS_DEFAULT_KEY_POLICY) return undefined;
      accountId ??= callerAccountId(this, props.providers.forRegion(props.primaryRegion));
      const partition = partitionOf(region);
      const policyProps: KeyPolicyProps = {
        ...settings,
        accountId,
        partition,
        keyRegions: regions,
        provider: props.providers.forRegion(region),
        field,
      };
      this.policyPlans.set(region, { address, props: policyProps });
      const byPartition = builtFrom.get(choice) ?? new Map<string, KeyPolicy>();
      builtFrom.set(choice, byPartition);
      let keyPolicy = byPartition.get(partition);
      if (!keyPolicy) {
        const statements = JSON.stringify(keyPolicyStatements(policyProps));
        const same = [...statementsOf].find(([, built]) => built === statements)?.[0];
        keyPolicy = same ?? new KeyPolicy(this, address, policyProps);
        statementsOf.set(keyPolicy, statements);
        byPartition.set(partition, keyPolicy);
      }
      keyPolicies.set(region, keyPolicy);
      return keyPolicy.json;
    };
    const primaryPolicy = policyOf(
      props.primaryRegion,
      `${prefix}key_policy`,
      "MultiRegionKey keyPolicy",
      props.keyPolicy,
      props.policy,
    );
    const replicaPolicies = replicas.map(({ replica, index }) =>
      policyOf(
        replica.region,
        `${prefix}${replicaName(replica)}_key_policy`,
        `MultiRegionKey replicas[${index}].${replica.keyPolicy !== undefined ? "keyPolicy" : "keyPolicyAdditions"}`,
        replicaPolicyChoice(props.keyPolicy, replica),
        replica.policy ?? (replica.keyPolicy === undefined && props.keyPolicy === undefined ? props.policy : undefined),
      ),
    );
    this.keyPolicies = keyPolicies;

    const [primarySlot, ...replicaSlots] = keyLayout({
      primaryRegion: props.primaryRegion,
      currentPrimaryRegion: props.currentPrimaryRegion ?? props.primaryRegion,
      primary: { description: props.description, policy: primaryPolicy, tags: props.tags, enabled: true },
      replicas: replicas.map(({ replica }, i) => ({
        name: replicaName(replica),
        region: replica.region,
        description: replica.description ?? props.description,
        policy: replicaPolicies[i],
        tags: { ...props.tags, ...replica.tags },
        enabled: replica.enabled ?? true,
      })),
    });

    this.primaryKey = new KmsKey(this, "primary", {
      provider: props.providers.forRegion(primarySlot.region),
      description: primarySlot.description,
      multiRegion: true,
      enableKeyRotation,
      rotationPeriodInDays: props.rotationPeriodInDays,
      deletionWindowInDays: props.deletionWindowInDays,
      policy: primarySlot.policy,
      tags: nonEmpty(primarySlot.tags),
      lifecycle,
    });
    this.primaryKey.overrideLogicalId(`${prefix}primary`);
    this.comment(this.primaryKey, `Primary key in ${primarySlot.region}`);
    this.keyByRegion.set(primarySlot.region, this.primaryKey);

    const regionalKeys: DeclaredRegionalKey[] = [
      this.regionalKey(props, primarySlot.region, "primary", this.primaryKey),
    ];

    // One token for the primary's ARN, shared by every replica (cdktf makes a new one per read).
    const primaryKeyArn = this.primaryKey.arn;
    const replicaKeys = new Map<string, KmsReplicaKey>();
    for (const slot of replicaSlots) {
      const replicaKey = new KmsReplicaKey(this, `replica-${slot.name}`, {
        provider: props.providers.forRegion(slot.region),
        description: slot.description,
        primaryKeyArn,
        enabled: slot.enabled,
        deletionWindowInDays: props.deletionWindowInDays,
        policy: slot.policy,
        tags: nonEmpty(slot.tags),
        lifecycle,
      });
      replicaKey.overrideLogicalId(`${prefix}${slot.name}`);
      this.comment(replicaKey, `Replica in ${slot.region}`);
      this.keyByRegion.set(slot.region, replicaKey);
      replicaKeys.set(slot.region, replicaKey);
      regionalKeys.push(this.regionalKey(props, slot.region, slot.name, replicaKey));
    }
    this.replicaKeys = replicaKeys;
    this.regionalKeys = regionalKeys;

    this.commentKeyPolicies();
    this.followLedger(props);

    // The stack's own references, without a token each (lib/attribute-references.ts).
    const byRegion = (reference: (key: DeclaredRegionalKey) => string) =>
      Object.fromEntries(regionalKeys.map((key) => [key.region, reference(key)]));
    const outputs: Array<[string, string, unknown]> = [
      [
        "key_arns",
        `The ARN of ${props.aliasName} in each region`,
        byRegion((key) => attributeReference(key.resource, "arn")),
      ],
      [
        "key_ids",
        `The key id of ${props.aliasName} in each region (the same mrk- id everywhere)`,
        byRegion((key) => attributeReference(key.resource, "key_id")),
      ],
      [
        "alias_arns",
        `The ARN of the alias ${props.aliasName} in each region`,
        byRegion((key) => attributeReference(key.alias, "arn")),
      ],
      ["alias_name", "The alias of the key, the same in every region", props.aliasName],
    ];
    for (const [name, description, value] of outputs) {
      new TerraformOutput(this, name, { description, value }).overrideLogicalId(`${prefix}${name}`);
    }
  }

  /** The key of the set in a region; throws if the key has no key there. */
  inRegion(region: string): DeclaredRegionalKey {
    const key = this.regionalKeys.find((candidate) => candidate.region === region);
    if (!key) {
      throw new InvalidInputError(
        `region: "${region}" holds no key of ${this.aliasName}; its regions are ${this.regions.join(", ")}`,
      );
    }
    return key;
  }

  /** The regions of the key, the primary first. */
  get regions(): string[] {
    return this.regionalKeys.map((key) => key.region);
  }

  /** Lets `principal` (an IAM ARN, or a token such as `role.arn`) decrypt, in every region's key policy. */
  grantDecrypt(principal: string): void {
    this.grant("decrypt", principal);
  }

  /** Lets `principal` encrypt, re-encrypt and make data keys, in every region's key policy. */
  grantEncrypt(principal: string): void {
    this.grant("encrypt", principal);
  }

  /** Lets `principal` encrypt and decrypt, in every region's key policy. */
  grantEncryptDecrypt(principal: string): void {
    this.grant("encryptDecrypt", principal);
  }

  /**
   * Lets AWS services use the key in one region's key policy, with the confused-deputy
   * conditions (`KeyPolicyServiceGrant`): what a construct that uses the key there needs.
   */
  addServiceGrant(region: string, grant: KeyPolicyServiceGrant): void {
    const field = `MultiRegionKey ${this.aliasName} addServiceGrant`;
    const keyPolicy = this.keyPolicies.get(this.inRegion(region).region);
    if (!keyPolicy) {
      throw new InvalidInputError(
        `${field}: ${grant.principals.join(" and ")} cannot be let use the key in ${region}, whose key policy is KMS's default or JSON of your own; give that region a keyPolicy`,
      );
    }
    this.ownKeyPolicy(region, keyPolicy).addServices(grant, field);
  }

  /**
   * Compares the key set with the stack's key ledger (lib/key-ledger.ts), if it has one: refuses
   * what would replace or re-create a key, moves renamed replicas, forgets replicas left out,
   * destroys retired ones; then records the key set as it is declared now.
   */
  private followLedger(props: MultiRegionKeyProps): void {
    const prefix = this.addressPrefix;
    const ledger = KeyLedger.of(this);
    const previous = ledger?.previous[`aws_kms_key.${prefix}primary`];
    const declared = props.replicas.filter((replica) => !replica.retire);
    const names = new Map(props.replicas.map((replica) => [replicaName(replica), replica.region]));
    const forgotten: Record<string, string> = {};
    const retired: Record<string, string> = Object.fromEntries(
      props.replicas.filter((replica) => replica.retire).map((replica) => [replicaName(replica), replica.region]),
    );
    /** Each former name of a replica renamed, with its name now. */
    const renamed: Record<string, string> = {};
    if (previous) {
      const source = displayPath(ledger!.props.path);
      const problems = new ProblemList();
      if (previous.primaryRegion !== props.primaryRegion) {
        problems.add(
          `MultiRegionKey primaryRegion: "${props.primaryRegion}" is not the region the key set was created in, "${previous.primaryRegion}" (${source}): Terraform would create another key set. To make a replica the primary, fail over (mrk failover --to <region>, which sets currentPrimaryRegion); for a key in another region, declare a new key set`,
        );
      }
      props.replicas.forEach((replica, index) => {
        const name = replicaName(replica);
        const before = previous.replicas[name] ?? previous.retired?.[name];
        if (before !== undefined && before !== replica.region) {
          problems.add(
            `MultiRegionKey replicas[${index}].region: "${replica.region}" moves replica ${name} from ${before}, where it was deployed (${source}): Terraform would forget the key there and create another. Add a replica in ${replica.region} under another name, and retire ${name} (retire) or leave it out`,
          );
        }
      });
      problems.throwIfAny();
      Object.assign(renamed, previous.renamed);
      const added = declared.filter((replica) => !(replicaName(replica) in previous.replicas));
      for (const [name, region] of Object.entries(previous.replicas)) {
        if (names.has(name)) continue;
        const renamedTo = added.find((replica) => replica.region === region);
        // The same region under another name: the same key, moved to its new addresses.
        if (renamedTo) renamed[name] = replicaName(renamedTo);
        else forgotten[name] = region;
      }
      for (const [name, region] of Object.entries(previous.forgotten ?? {}))
        if (!names.has(name)) forgotten[name] = region;
      for (const [name, region] of Object.entries(previous.retired ?? {})) if (!names.has(name)) retired[name] = region;
    }
    settleRenames(renamed, names, forgotten, retired);
    for (const [former, next] of Object.entries(renamed)) {
      for (const type of ["aws_kms_replica_key", "aws_kms_alias"]) {
        new MovedBlock(this, `moved-${type}.${prefix}${former}`, {
          from: `${type}.${prefix}${former}`,
          to: `${type}.${prefix}${next}`,
        });
      }
    }
    for (const [name, region, destroy] of [
      ...Object.entries(forgotten).map(([name, region]) => [name, region, false] as const),
      ...Object.entries(retired).map(([name, region]) => [name, region, true] as const),
    ]) {
      if (!props.providers.regions.includes(region)) {
        throw new InvalidInputError(
          `MultiRegionKey replicas: ${region} needs its provider while Terraform ${destroy ? "destroys" : "forgets"} replica ${name} there; keep ${region} in the stack's RegionProviders`,
        );
      }
      for (const from of [`aws_kms_replica_key.${prefix}${name}`, `aws_kms_alias.${prefix}${name}`]) {
        new RemovedBlock(this, `removed-${from}`, { from, destroy });
      }
    }
    ledger?.record(`aws_kms_key.${prefix}primary`, {
      primaryRegion: props.primaryRegion,
      replicas: Object.fromEntries(declared.map((replica) => [replicaName(replica), replica.region])),
      ...(Object.keys(forgotten).length > 0 ? { forgotten } : {}),
      ...(Object.keys(retired).length > 0 ? { retired } : {}),
      ...(Object.keys(renamed).length > 0 ? { renamed } : {}),
    });
  }

  /**
   * The key policy of one region alone: the shared one when no other region uses it; else the
   * region whose name the shared document has keeps it, and each other region gets a copy of its
   * own (`<name>_key_policy`, what the shared one was granted included), which its key now uses.
   */
  private ownKeyPolicy(region: string, shared: KeyPolicy): KeyPolicy {
    const keyPolicies = this.keyPolicies as Map<string, KeyPolicy>;
    const sharing = [...keyPolicies].filter(([, keyPolicy]) => keyPolicy === shared).map(([other]) => other);
    if (sharing.length === 1) return shared;
    const owner = sharing.find((other) => this.policyPlans.get(other)!.address === shared.node.id)!;
    for (const other of sharing.filter(
      (candidate) => candidate !== owner && (region === owner || candidate === region),
    )) {
      const plan = this.policyPlans.get(other)!;
      const own = shared.copy(this, plan.address, plan.props);
      keyPolicies.set(other, own);
      this.keyByRegion.get(other)!.policy = own.json;
    }
    this.commentKeyPolicies();
    return keyPolicies.get(region)!;
  }

  /**
   * `# Key policy` above the primary key's key policy in the HCL, as in the reference document,
   * and `# Key policy of the replicas in <regions>` above one only replicas use.
   */
  private commentKeyPolicies(): void {
    const primaryRegion = [...this.keyByRegion].find(([, key]) => key === this.primaryKey)![0];
    for (const keyPolicy of new Set(this.keyPolicies.values())) {
      const regions = [...this.keyPolicies].filter(([, used]) => used === keyPolicy).map(([region]) => region);
      this.comment(
        keyPolicy.document,
        regions.includes(primaryRegion)
          ? "Key policy"
          : `Key policy of the ${regions.length > 1 ? "replicas" : "replica"} in ${regions.join(", ")}`,
      );
    }
  }

  /**
   * The comment line above an element's block in the HCL: the reference document's words
   * (`Replica in eu-west-1`) for a stack's only key, and after the alias for a key of several
   * (`alias/orders: replica in eu-west-1`), whose addresses have a prefix.
   */
  private comment(element: Construct, text: string): void {
    commentAbove(
      element,
      this.addressPrefix === "" ? text : `${this.aliasName}: ${text[0].toLowerCase()}${text.slice(1)}`,
    );
  }

  private grant(kind: GrantKind, principal: string): void {
    const method = `MultiRegionKey ${this.aliasName} grant${kind[0].toUpperCase()}${kind.slice(1)}`;
    const without = this.regions.filter((region) => !this.keyPolicies.has(region));
    if (without.length > 0) {
      throw new InvalidInputError(
        `${method}: ${JSON.stringify(principal)} cannot be added in ${without.join(", ")}, whose key policy is KMS's default or JSON of your own; give those regions a keyPolicy, or add the statement to their JSON`,
      );
    }
    for (const keyPolicy of new Set(this.keyPolicies.values())) keyPolicy.grant(kind, principal, method);
  }

  private regionalKey(
    props: MultiRegionKeyProps,
    region: string,
    name: string,
    resource: KmsKey | KmsReplicaKey,
  ): DeclaredRegionalKey {
    const address = `${props.addressPrefix ?? ""}${name}`;
    const alias = new KmsAlias(this, `alias-${address}`, {
      provider: props.providers.forRegion(region),
      name: props.aliasName,
      targetKeyId: attributeReference(resource, "key_id"),
    });
    alias.overrideLogicalId(address);
    // The key's ARN and id for other constructs, which may be in other stacks: cdktf's tokens,
    // each made on its first read (cdktf makes one per read, with a stack trace).
    let arn: string | undefined;
    let keyId: string | undefined;
    return {
      region,
      name,
      get arn() {
        arn ??= resource.arn;
        return arn;
      },
      get keyId() {
        keyId ??= resource.keyId;
        return keyId;
      },
      resource,
      alias,
    };
  }
}

/** A replica's key policy: its own, else the key's with its additions. */
function replicaPolicyChoice(
  keyPolicy: KeyPolicyChoice | undefined,
  replica: ReplicaKeyProps,
): KeyPolicyChoice | undefined {
  if (replica.keyPolicy !== undefined) return replica.keyPolicy;
  const additions = replica.keyPolicyAdditions;
  if (!additions) return keyPolicy;
  const base = keyPolicy === KMS_DEFAULT_KEY_POLICY || keyPolicy === undefined ? {} : keyPolicy;
  return {
    ...base,
    users: [...(base.users ?? []), ...(additions.users ?? [])],
    services: [...(base.services ?? []), ...(additions.services ?? [])],
    statements: [...(base.statements ?? []), ...(additions.statements ?? [])],
  };
}

/**
 * The account of the provider's credentials, `data.aws_caller_identity.current`, one per stack
 * whatever number of keys asks for it.
 */
function callerAccountId(scope: Construct, provider: TerraformProvider): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild("current");
  const identity =
    existing instanceof DataAwsCallerIdentity ? existing : new DataAwsCallerIdentity(stack, "current", { provider });
  return identity.accountId;
}

/** Checks the props and reports every problem at once, one line each. */
function validate(props: MultiRegionKeyProps): void {
  const problems = new ProblemList();
  const check = (schema: Parameters<typeof checkProp>[0], value: unknown, path: string) =>
    problems.check(() => checkProp(schema, value, `MultiRegionKey ${path}`));
  const fail = (path: string, text: string) => problems.add(`MultiRegionKey ${path}: ${text}`);
  check(aliasNameSchema, props.aliasName, "aliasName");
  const primaryRegionKnown = check(awsRegionSchema, props.primaryRegion, "primaryRegion");
  check(accountIdSchema, props.accountId, "accountId");
  check(descriptionSchema, props.description, "description");
  check(deletionWindowSchema, props.deletionWindowInDays, "deletionWindowInDays");
  check(rotationPeriodSchema, props.rotationPeriodInDays, "rotationPeriodInDays");
  check(tagsSchema, props.tags, "tags");
  if (props.deletionProtection !== undefined && props.deletionProtection !== "on") {
    check(reasonSchema, props.deletionProtection.off, "deletionProtection.off");
  }
  if (props.keyPolicy !== undefined && props.policy !== undefined) {
    fail("policy", "JSON of your own replaces keyPolicy; give one of them");
  }
  if (props.rotationPeriodInDays !== undefined && props.enableKeyRotation === false) {
    fail("rotationPeriodInDays", `${props.rotationPeriodInDays} needs enableKeyRotation, which is false`);
  }
  if (props.replicas.length === 0) fail("replicas", "[] must name at least one replica region");
  const names = new Set<string>();
  const knownRegions: string[] = [];
  props.replicas.forEach((replica, index) => {
    const at = `replicas[${index}]`;
    if (check(awsRegionSchema, replica.region, `${at}.region`)) knownRegions.push(replica.region);
    check(descriptionSchema, replica.description, `${at}.description`);
    check(tagsSchema, replica.tags, `${at}.tags`);
    if (check(replicaNameSchema, replica.name, `${at}.name`)) {
      const name = replicaName(replica);
      if (names.has(name)) fail(`${at}.name`, `"${name}" is the name of another replica; names must be unique`);
      names.add(name);
    }
    if (replica.retire) {
      check(reasonSchema, replica.retire.reason, `${at}.retire.reason`);
      const window = props.deletionWindowInDays ?? KMS_DEFAULT_DELETION_WINDOW_DAYS;
      if (
        check(deletionWindowSchema, replica.retire.deletionWindowInDays, `${at}.retire.deletionWindowInDays`) &&
        replica.retire.deletionWindowInDays !== window
      ) {
        fail(
          `${at}.retire.deletionWindowInDays`,
          `${replica.retire.deletionWindowInDays} is not the window Terraform schedules the deletion with: the replica's own, ${window} days (the key set's deletionWindowInDays${props.deletionWindowInDays === undefined ? ", KMS's default" : ""}). Say ${window}, or set deletionWindowInDays to ${replica.retire.deletionWindowInDays} and apply that before the retire`,
        );
      }
      if (replica.region === props.currentPrimaryRegion) {
        fail(
          `${at}.retire`,
          `retires the key in ${replica.region}, which is the primary now (currentPrimaryRegion); fail over to another region first`,
        );
      }
    }
    const given = (["keyPolicy", "keyPolicyAdditions", "policy"] as const).filter(
      (choice) => replica[choice] !== undefined,
    );
    if (given.length > 1) fail(at, `${given.join(" and ")} are given; give one of them`);
  });
  const current = props.currentPrimaryRegion;
  if (
    current !== undefined &&
    current !== props.primaryRegion &&
    check(awsRegionSchema, current, "currentPrimaryRegion")
  ) {
    const promoted = props.replicas.find((replica) => replica.region === current);
    if (!promoted) {
      fail(
        "currentPrimaryRegion",
        `"${current}" is not a region of the key set (${[props.primaryRegion, ...props.replicas.map((r) => r.region)].join(", ")})`,
      );
    } else if (promoted.enabled === false) {
      fail(
        "currentPrimaryRegion",
        `"${current}" holds a disabled replica (enabled: false); a disabled key cannot be the primary`,
      );
    }
  }
  if (primaryRegionKnown) {
    for (const problem of regionSetProblems(
      props.primaryRegion,
      props.replicas.map((replica) => replica.region),
    )) {
      fail(`replicas[${problem.index}].region`, `"${problem.region}" ${problem.message}`);
    }
  }
  problems.throwIfAny();
}

/** The name in a replica's Terraform addresses: its own, else its region with "-" as "_". */
export function replicaName(replica: Pick<ReplicaKeyProps, "name" | "region">): string {
  return replica.name ?? providerAlias(replica.region);
}

function nonEmpty(tags: Record<string, string> | undefined): Record<string, string> | undefined {
  return tags && Object.keys(tags).length > 0 ? tags : undefined;
}

/**
 * The renames of a key set's replicas as chains of `moved` blocks, each former name to the name
 * that followed it (`apac` to `asia`, `asia` to `singapore`): Terraform takes a chain, but not
 * two blocks into one address. Edits `renamed` in place:
 *
 * - a name declared now is no former name: when the chain from it comes back to it, the replica
 *   got its old name back and the chain now ends there; else another replica took the name, and
 *   the chain skips it;
 * - a chain that ends at a replica forgotten or retired goes with it: each of its names is
 *   forgotten or retired too, in case a state still holds the key under one of them.
 */
function settleRenames(
  renamed: Record<string, string>,
  declared: ReadonlyMap<string, string>,
  forgotten: Record<string, string>,
  retired: Record<string, string>,
): void {
  const follow = (name: string, stop: string): string => {
    let current = renamed[name];
    for (let steps = 0; current in renamed && current !== stop && steps < Object.keys(renamed).length; steps++)
      current = renamed[current];
    return current;
  };
  for (const name of Object.keys(renamed)) {
    if (!declared.has(name)) continue;
    if (follow(name, name) !== name) {
      for (const [former, next] of Object.entries(renamed)) if (next === name) renamed[former] = renamed[name];
    }
    delete renamed[name];
  }
  for (const former of Object.keys(renamed)) {
    const last = follow(former, former);
    if (last in forgotten) forgotten[former] = forgotten[last];
    else if (last in retired) retired[former] = retired[last];
  }
  for (const former of Object.keys(renamed)) if (former in forgotten || former in retired) delete renamed[former];
}

import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { keyLayout } from "./key-layout";
import { RegionProviders } from "./region-providers";
import { providerAlias } from "./regions";
import {
  aliasNameSchema,
  awsRegionSchema,
  checkProp,
  deletionWindowSchema,
  descriptionSchema,
  InvalidInputError,
  regionSetProblems,
  replicaNameSchema,
  rotationPeriodSchema,
  tagsSchema,
} from "./validation";

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
   * The replica's own key policy (JSON). KMS never copies the primary's policy to a replica.
   * @default no policy argument: KMS gives the replica its default key policy (the account root only)
   */
  readonly policy?: string;
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
   * Automatic rotation of the key material. It is set on the primary and applies to every replica.
   * @default true
   */
  readonly enableKeyRotation?: boolean;
  /**
   * Days between automatic rotations (90 to 2560). Needs `enableKeyRotation`.
   * @default KMS's period, 365 days (the argument is left out)
   */
  readonly rotationPeriodInDays?: number;
  /**
   * Days (7 to 30) that KMS waits before deleting the key, and each replica, once deletion is scheduled.
   * @default 30, KMS's own default (the argument is left out, so state made without it adopts unchanged)
   */
  readonly deletionWindowInDays?: number;
  /**
   * Tags on the primary key and, unless they say otherwise, every replica.
   * @default no tags
   */
  readonly tags?: Record<string, string>;
  /**
   * The primary key's policy (JSON).
   * @default no policy argument: KMS gives the key its default key policy (the account root only)
   */
  readonly policy?: string;
  /**
   * The region of the primary key now, when a failover (UpdatePrimaryRegion) promoted the
   * replica there. The Terraform addresses stay put and swap regions (see key-layout.ts):
   * `aws_kms_key.primary` holds the key in this region, and the promoted replica's address holds
   * the key in `primaryRegion`. Each region keeps its own description, policy and tags.
   * @default primaryRegion (no failover)
   */
  readonly currentPrimaryRegion?: string;
  /**
   * Put before every Terraform address and output name of this key, to tell several keys in
   * one stack apart: `"sessions_"` gives `aws_kms_key.sessions_primary`.
   * @default "" (the reference document's addresses: `aws_kms_key.primary`, `aws_kms_replica_key.eu`)
   */
  readonly addressPrefix?: string;
}

/** A key of the set in one region, with what other constructs need to use it. */
export interface RegionalKey {
  readonly region: string;
  /** `primary` or the replica's name. */
  readonly name: string;
  /** The key's ARN in this region (a token). */
  readonly arn: string;
  /** The key id, `mrk-...`, the same in every region (a token). */
  readonly keyId: string;
  readonly alias: KmsAlias;
}

/**
 * A KMS multi-region key: the primary `aws_kms_key` (multi_region, symmetric, rotated), one
 * `aws_kms_replica_key` per replica region, the same `aws_kms_alias` in every region, and the
 * Terraform outputs `key_arns` and `key_ids` (maps from region to the key's ARN and id).
 *
 * The Terraform addresses are those of the reference document: `aws_kms_key.primary`,
 * `aws_kms_alias.primary`, then `aws_kms_replica_key.<name>` and `aws_kms_alias.<name>`
 * per replica.
 */
export class MultiRegionKey extends Construct {
  readonly primaryKey: KmsKey;
  readonly replicaKeys: ReadonlyMap<string, KmsReplicaKey>;
  /** Every region's key, the primary first. */
  readonly regionalKeys: readonly RegionalKey[];
  readonly aliasName: string;
  /** What starts the key's Terraform addresses (`addressPrefix`): `aws_kms_key.<addressPrefix>primary`. */
  readonly addressPrefix: string;

  constructor(scope: Construct, id: string, props: MultiRegionKeyProps) {
    super(scope, id);
    validate(props);
    const prefix = props.addressPrefix ?? "";
    this.addressPrefix = prefix;
    const enableKeyRotation = props.enableKeyRotation ?? true;
    this.aliasName = props.aliasName;

    const [primarySlot, ...replicaSlots] = keyLayout({
      primaryRegion: props.primaryRegion,
      currentPrimaryRegion: props.currentPrimaryRegion ?? props.primaryRegion,
      primary: { description: props.description, policy: props.policy, tags: props.tags, enabled: true },
      replicas: props.replicas.map((replica) => ({
        name: replicaName(replica),
        region: replica.region,
        description: replica.description ?? props.description,
        policy: replica.policy,
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
    });
    this.primaryKey.overrideLogicalId(`${prefix}primary`);

    const regionalKeys: RegionalKey[] = [
      {
        region: primarySlot.region,
        name: "primary",
        arn: this.primaryKey.arn,
        keyId: this.primaryKey.keyId,
        alias: this.alias(props, `${prefix}primary`, primarySlot.region, this.primaryKey.keyId),
      },
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
      });
      replicaKey.overrideLogicalId(`${prefix}${slot.name}`);
      replicaKeys.set(slot.region, replicaKey);
      const keyId = replicaKey.keyId;
      regionalKeys.push({
        region: slot.region,
        name: slot.name,
        arn: replicaKey.arn,
        keyId,
        alias: this.alias(props, `${prefix}${slot.name}`, slot.region, keyId),
      });
    }
    this.replicaKeys = replicaKeys;
    this.regionalKeys = regionalKeys;

    new TerraformOutput(this, "key-arns", {
      description: `The ARN of ${props.aliasName} in each region`,
      value: Object.fromEntries(regionalKeys.map((key) => [key.region, key.arn])),
    }).overrideLogicalId(`${prefix}key_arns`);
    new TerraformOutput(this, "key-ids", {
      description: `The key id of ${props.aliasName} in each region (the same mrk- id everywhere)`,
      value: Object.fromEntries(regionalKeys.map((key) => [key.region, key.keyId])),
    }).overrideLogicalId(`${prefix}key_ids`);
  }

  /** The key of the set in a region; throws if the key has no key there. */
  inRegion(region: string): RegionalKey {
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

  private alias(props: MultiRegionKeyProps, address: string, region: string, targetKeyId: string): KmsAlias {
    const alias = new KmsAlias(this, `alias-${address}`, {
      provider: props.providers.forRegion(region),
      name: props.aliasName,
      targetKeyId,
    });
    alias.overrideLogicalId(address);
    return alias;
  }
}

function validate(props: MultiRegionKeyProps): void {
  checkProp(aliasNameSchema, props.aliasName, "MultiRegionKey aliasName");
  checkProp(awsRegionSchema, props.primaryRegion, "MultiRegionKey primaryRegion");
  checkProp(descriptionSchema, props.description, "MultiRegionKey description");
  checkProp(deletionWindowSchema, props.deletionWindowInDays, "MultiRegionKey deletionWindowInDays");
  checkProp(rotationPeriodSchema, props.rotationPeriodInDays, "MultiRegionKey rotationPeriodInDays");
  checkProp(tagsSchema, props.tags, "MultiRegionKey tags");
  if (props.rotationPeriodInDays !== undefined && props.enableKeyRotation === false) {
    throw new InvalidInputError(
      `MultiRegionKey rotationPeriodInDays: ${props.rotationPeriodInDays} needs enableKeyRotation, which is false`,
    );
  }
  if (props.replicas.length === 0) {
    throw new InvalidInputError("MultiRegionKey replicas: [] must name at least one replica region");
  }
  const names = new Set<string>();
  props.replicas.forEach((replica, index) => {
    const field = `MultiRegionKey replicas[${index}]`;
    checkProp(awsRegionSchema, replica.region, `${field}.region`);
    checkProp(replicaNameSchema, replica.name, `${field}.name`);
    checkProp(descriptionSchema, replica.description, `${field}.description`);
    checkProp(tagsSchema, replica.tags, `${field}.tags`);
    const name = replicaName(replica);
    if (names.has(name)) {
      throw new InvalidInputError(`${field}.name: "${name}" is the name of another replica; names must be unique`);
    }
    names.add(name);
  });
  const current = props.currentPrimaryRegion;
  if (current !== undefined && current !== props.primaryRegion) {
    const promoted = props.replicas.find((replica) => replica.region === current);
    if (!promoted) {
      throw new InvalidInputError(
        `MultiRegionKey currentPrimaryRegion: "${current}" is not a region of the key set (${[props.primaryRegion, ...props.replicas.map((r) => r.region)].join(", ")})`,
      );
    }
    if (promoted.enabled === false) {
      throw new InvalidInputError(
        `MultiRegionKey currentPrimaryRegion: "${current}" holds a disabled replica; a disabled key cannot be the primary`,
      );
    }
  }
  const [problem] = regionSetProblems(
    props.primaryRegion,
    props.replicas.map((replica) => replica.region),
  );
  if (problem) {
    throw new InvalidInputError(`MultiRegionKey replicas[${problem.index}].region: "${problem.region}" ${problem.message}`);
  }
}

/** The name in a replica's Terraform addresses: its own, else its region with "-" as "_". */
export function replicaName(replica: Pick<ReplicaKeyProps, "name" | "region">): string {
  return replica.name ?? providerAlias(replica.region);
}

function nonEmpty(tags: Record<string, string> | undefined): Record<string, string> | undefined {
  return tags && Object.keys(tags).length > 0 ? tags : undefined;
}

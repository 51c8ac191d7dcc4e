/**
 * Which key of a set each Terraform address holds, before and after a failover.
 *
 * A multi-region key has one key id in every region, so a Terraform state entry is tied to a
 * region only by the provider its resource uses. After UpdatePrimaryRegion promotes the replica
 * in region B over the primary in region A, the set's addresses stay where they are and swap
 * regions: `aws_kms_key.primary` is read through B's provider (B holds the primary now) and
 * the replica address that held B is read through A's provider (A holds a replica now). Each
 * region keeps its own description, key policy, tags and enabled flag, so they swap too.
 *
 * The layout depends only on the config (the regions the set was created with, and the
 * current primary region), never on the history of failovers: failing over A to B to C and
 * failing over A to C lay the addresses out the same way, and failing back restores the
 * original layout. Terraform's state follows on the next refresh, with no import, no removal
 * and no cross-type move (which the AWS provider does not support).
 */

/** The settings KMS keeps for each key of a set separately. */
export interface RegionalKeySettings {
  readonly description?: string;
  readonly policy?: string;
  readonly tags?: Record<string, string>;
  /** Whether the key is enabled; a replica's `enabled` argument. */
  readonly enabled: boolean;
}

/** One address of the set and the key it holds. */
export interface KeySlot extends RegionalKeySettings {
  /** `primary` for `aws_kms_key.primary`, else the replica's name (`aws_kms_replica_key.<name>`). */
  readonly name: string;
  readonly kind: "primary" | "replica";
  /** The region whose key this address holds now. */
  readonly region: string;
}

export interface KeyLayoutInput {
  /** The region the primary key was created in. */
  readonly primaryRegion: string;
  /** The region of the primary key now. */
  readonly currentPrimaryRegion: string;
  /** The settings of the key in `primaryRegion`. */
  readonly primary: RegionalKeySettings;
  /** The replicas as configured, with their names and settings. */
  readonly replicas: ReadonlyArray<RegionalKeySettings & { readonly name: string; readonly region: string }>;
}

/**
 * The addresses of the set in a fixed order, the primary first, each with the region and the
 * settings of the key it holds now.
 */
export function keyLayout(input: KeyLayoutInput): KeySlot[] {
  const promoted = input.replicas.find((replica) => replica.region === input.currentPrimaryRegion);
  const settingsOfPromoted = promoted && settingsOf(promoted);
  return [
    {
      name: "primary",
      kind: "primary",
      region: input.currentPrimaryRegion,
      ...(settingsOfPromoted ?? settingsOf(input.primary)),
    },
    ...input.replicas.map((replica): KeySlot => {
      const heldByFormerPrimary = replica === promoted;
      return {
        name: replica.name,
        kind: "replica",
        region: heldByFormerPrimary ? input.primaryRegion : replica.region,
        ...settingsOf(heldByFormerPrimary ? input.primary : replica),
      };
    }),
  ];
}

function settingsOf(settings: RegionalKeySettings): RegionalKeySettings {
  const { description, policy, tags, enabled } = settings;
  return { description, policy, tags, enabled };
}

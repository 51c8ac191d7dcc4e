/**
 * What other constructs (replicated buckets, global tables, monitoring) need of a multi-region
 * key set: the key in each region. A `MultiRegionKey` declares one; an `ExistingKeySet` refers to
 * one declared elsewhere.
 */
/** A key of the set in one region. */
export interface RegionalKey {
  readonly region: string;
  /** `primary` or the replica's name; for a key set declared elsewhere, the region's address name. */
  readonly name: string;
  /** The key's ARN in this region (a token). */
  readonly arn: string;
  /** The key id, `mrk-...`, the same in every region (a token). */
  readonly keyId: string;
}

/** A multi-region key set, declared in this stack or elsewhere. */
export interface KeySet {
  /** The alias the set has in every region, e.g. `alias/global-encrypt`. */
  readonly aliasName: string;
  /** The regions of the set, the primary first when known. */
  readonly regions: readonly string[];
  /** The key of the set in a region; throws `InvalidInputError` if the set has none there. */
  inRegion(region: string): RegionalKey;
}

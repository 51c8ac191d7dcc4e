/**
 * AWS KMS's request quota for symmetric cryptographic operations, per region: the one table
 * the monitoring alarms take their thresholds from.
 *
 * Source: AWS KMS Developer Guide, "Request quotas", table "Request quotas for each AWS KMS API
 * operation", row "Cryptographic operations (symmetric) request rate"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html), read in
 * November 2026 in the version that already lists ML-DSA keys: 100,000 requests per second
 * (shared) in us-east-1, us-west-2 and eu-west-1; 20,000 in us-east-2, ap-southeast-1,
 * ap-southeast-2, ap-northeast-1, eu-central-1 and eu-west-2; 10,000 in every other region.
 *
 * The quota is per account and region, shared by every operation in `SHARED_QUOTA_OPERATIONS`
 * on every symmetric key (including calls that AWS services make on the account's behalf).
 * Every KMS quota is adjustable: an account with a raised quota gives its own value per region
 * (`quotaOverrides` in the monitoring config).
 */

/** Where the table below comes from. */
export const KMS_QUOTA_SOURCE = "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html";

/** The quota of every region the table does not name, in requests per second. */
export const DEFAULT_SYMMETRIC_REQUESTS_PER_SECOND = 10_000;

/** Regions whose default quota is above `DEFAULT_SYMMETRIC_REQUESTS_PER_SECOND`, in requests per second. */
export const SYMMETRIC_REQUESTS_PER_SECOND: Readonly<Record<string, number>> = {
  "us-east-1": 100_000,
  "us-west-2": 100_000,
  "eu-west-1": 100_000,
  "us-east-2": 20_000,
  "ap-southeast-1": 20_000,
  "ap-southeast-2": 20_000,
  "ap-northeast-1": 20_000,
  "eu-central-1": 20_000,
  "eu-west-2": 20_000,
};

/** The operations that share the symmetric quota, as `AWS/Usage` `CallCount` names them (dimension `Resource`). */
export const SHARED_QUOTA_OPERATIONS: readonly string[] = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateMac",
  "GenerateRandom",
  "ReEncrypt",
  "VerifyMac",
];

/** A region's quota and where the number comes from. */
export interface RegionQuota {
  readonly region: string;
  /** Requests per second, shared by `SHARED_QUOTA_OPERATIONS`. */
  readonly requestsPerSecond: number;
  /** `default`: AWS's default for the region (the table above); `override`: the config's. */
  readonly origin: "default" | "override";
}

/** A region's symmetric cryptographic quota: the override when given, else AWS's default. */
export function symmetricRequestQuota(region: string, overrides: Readonly<Record<string, number>> = {}): RegionQuota {
  const override = overrides[region];
  if (override !== undefined) return { region, requestsPerSecond: override, origin: "override" };
  return {
    region,
    requestsPerSecond: SYMMETRIC_REQUESTS_PER_SECOND[region] ?? DEFAULT_SYMMETRIC_REQUESTS_PER_SECOND,
    origin: "default",
  };
}

/**
 * The alarm threshold for a period: the calls a period holds at `share` of the quota
 * (`CallCount` `Sum` over `periodInSeconds`), rounded down to a whole call.
 */
export function callsPerPeriodAtShare(requestsPerSecond: number, periodInSeconds: number, share: number): number {
  return Math.floor(requestsPerSecond * periodInSeconds * share);
}

/**
 * Talks to a deployed key set through the AWS SDK: encrypt in one region, decrypt in others,
 * and ask each region what its key is. Used by the demo and the end-to-end tests; honours
 * `AWS_ENDPOINT_URL` (an emulator) and the default credential chain like any SDK client.
 */
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
} from "@aws-sdk/client-kms";

/** A KMS client for one region. */
export function kmsClient(region: string): KMSClient {
  return new KMSClient({ region });
}

export interface RoundTrip {
  /** The key id KMS reports for the ciphertext (`arn:...:key/mrk-...`) in the encrypting region. */
  readonly encryptedWith: string;
  readonly ciphertext: Uint8Array;
  /** What each region decrypted the ciphertext to, by region. */
  readonly decrypted: Record<string, string>;
}

/**
 * Encrypts `plaintext` through `alias` in `from`, then decrypts the ciphertext through the
 * same alias in each region of `to`: what a multi-region key is for.
 */
export async function encryptHereDecryptThere(
  alias: string,
  plaintext: string,
  from: string,
  to: readonly string[],
): Promise<RoundTrip> {
  const encrypted = await kmsClient(from).send(
    new EncryptCommand({ KeyId: alias, Plaintext: new TextEncoder().encode(plaintext) }),
  );
  const ciphertext = encrypted.CiphertextBlob!;
  const decrypted: Record<string, string> = {};
  for (const region of to) {
    const result = await kmsClient(region).send(new DecryptCommand({ KeyId: alias, CiphertextBlob: ciphertext }));
    decrypted[region] = new TextDecoder().decode(result.Plaintext);
  }
  return { encryptedWith: encrypted.KeyId!, ciphertext, decrypted };
}

export interface RegionalKeyState {
  readonly region: string;
  readonly keyId: string;
  readonly arn: string;
  /** `PRIMARY` or `REPLICA`. */
  readonly multiRegionKeyType: string | undefined;
  /** `Enabled`, `Disabled`, `PendingDeletion`, `Updating`, ... */
  readonly keyState: string | undefined;
  readonly primaryRegion: string | undefined;
}

/** What KMS says of the key behind `keyIdOrAlias` in each region. */
export async function describeKeyInRegions(
  keyIdOrAlias: string,
  regions: readonly string[],
): Promise<RegionalKeyState[]> {
  return Promise.all(
    regions.map(async (region) => {
      const { KeyMetadata: key } = await kmsClient(region).send(new DescribeKeyCommand({ KeyId: keyIdOrAlias }));
      return {
        region,
        keyId: key!.KeyId!,
        arn: key!.Arn!,
        multiRegionKeyType: key!.MultiRegionConfiguration?.MultiRegionKeyType,
        keyState: key!.KeyState,
        primaryRegion: key!.MultiRegionConfiguration?.PrimaryKey?.Region,
      };
    }),
  );
}

/** The key id an alias points to in a region (`TargetKeyId`), or undefined when the region has no such alias. */
export async function aliasTargetInRegion(aliasName: string, region: string): Promise<string | undefined> {
  for await (const page of paginateListAliases({ client: kmsClient(region) }, {})) {
    const alias = page.Aliases?.find((candidate) => candidate.AliasName === aliasName);
    if (alias) return alias.TargetKeyId;
  }
  return undefined;
}

/** A key's policy in a region (the `default` policy, the only one KMS has), as KMS returns it. */
export async function keyPolicyInRegion(keyId: string, region: string): Promise<string> {
  const { Policy } = await kmsClient(region).send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }));
  return Policy ?? "";
}

/** Whether automatic rotation is on for a key in a region, and its period when KMS reports one. */
export async function rotationInRegion(
  keyId: string,
  region: string,
): Promise<{ enabled: boolean; periodInDays?: number }> {
  const result = await kmsClient(region).send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  return { enabled: result.KeyRotationEnabled === true, periodInDays: result.RotationPeriodInDays };
}

/**
 * Talks to a deployed key set through the AWS SDK: encrypt in one region, decrypt in others,
 * and ask each region what its key is. Used by the demo and the end-to-end tests; honours
 * `AWS_ENDPOINT_URL` (an emulator) and the default credential chain like any SDK client.
 */
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";

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

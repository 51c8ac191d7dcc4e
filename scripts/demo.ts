/**
 * `npm run demo`: the default key set working end to end, with no AWS account.
 *
 * Starts the AWS emulator (moto, on 127.0.0.1), writes the default stack's HCL, applies it
 * with Terraform, encrypts through the alias in us-east-1, decrypts that ciphertext through
 * the same alias in eu-west-1 and ap-southeast-1, prints a summary, and tears everything down:
 * it stops the emulator, with the keys in it, rather than `terraform destroy`, which the keys'
 * deletion protection (`prevent_destroy`) refuses, as it should.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { synthHcl } from "../lib/cli/synth";
import { loadStackConfig } from "../lib/config";
import { describeKeyInRegions, encryptHereDecryptThere } from "../lib/key-set-client";
import { terraform } from "../lib/terraform";
import { DEFAULT_CONFIG } from "../stacks/app";
import { REFERENCE_ACCOUNT_ID, startEmulator } from "./emulator";

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const step = (text: string) => console.log(`[${elapsed().padStart(7)}] ${text}`);

async function main(): Promise<void> {
  const config = loadStackConfig(DEFAULT_CONFIG);
  const [key] = config.keys;
  const replicaRegions = key.replicas.map((replica) => replica.region);
  const work = mkdtempSync(join(tmpdir(), "mrk-demo-"));

  step("starting the AWS emulator (moto) on 127.0.0.1");
  const emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  Object.assign(process.env, emulator.env);
  try {
    step(`emulator at ${emulator.endpoint}; writing the HCL of stack ${config.name}`);
    const [dir] = synthHcl([DEFAULT_CONFIG], join(work, "cdktf.out"));
    step("terraform init");
    terraform(["init", "-no-color"], { cwd: dir, env: emulator.env });
    step("terraform apply (a primary key, two replicas, an alias in each region, a role)");
    const apply = terraform(["apply", "-auto-approve", "-no-color"], { cwd: dir, env: emulator.env });
    step(/Apply complete!.*/.exec(apply.stdout)?.[0] ?? "applied");

    const plaintext = "sensitive data for global application";
    step(`encrypting "${plaintext}" through ${key.alias} in ${key.primaryRegion}`);
    const roundTrip = await encryptHereDecryptThere(key.alias, plaintext, key.primaryRegion, replicaRegions);
    const keys = await describeKeyInRegions(key.alias, [key.primaryRegion, ...replicaRegions]);

    console.log("\nregion          key type  state    decrypts the us-east-1 ciphertext");
    for (const regional of keys) {
      const decrypts =
        regional.region === key.primaryRegion
          ? "(encrypted here)"
          : roundTrip.decrypted[regional.region] === plaintext
            ? "yes"
            : "NO";
      console.log(
        `${regional.region.padEnd(16)}${(regional.multiRegionKeyType ?? "-").padEnd(10)}${(regional.keyState ?? "-").padEnd(9)}${decrypts}`,
      );
    }
    console.log(
      `\nkey id ${keys[0].keyId}, the same in every region; ciphertext ${roundTrip.ciphertext.length} bytes\n`,
    );
    if (replicaRegions.some((region) => roundTrip.decrypted[region] !== plaintext)) {
      process.exitCode = 1;
    }
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
    step(`emulator stopped (the keys with it), temporary files removed; the demo took ${elapsed()}`);
  }
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});

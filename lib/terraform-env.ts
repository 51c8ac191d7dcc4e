/**
 * Runs Terraform offline against the machine's local provider mirror.
 *
 * No registry is reachable from our machines, so `terraform init` must install the AWS
 * provider from a filesystem mirror (a folder holding `registry.terraform.io/hashicorp/aws/...`).
 * This module finds that mirror, writes a Terraform CLI config that points at it, and hands
 * back an environment for child processes. Where no mirror exists, a user's own Terraform
 * setup (their `TF_CLI_CONFIG_FILE`, `~/.terraformrc`) is left alone.
 *
 * The mirror is taken from `TF_PROVIDER_MIRROR` when set, else looked for in the usual places.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROVIDER_DIR = join("registry.terraform.io", "hashicorp", "aws");

/** Folders that commonly hold a provider mirror (the folder above `registry.terraform.io`). */
const CANDIDATE_MIRRORS = [
  "/opt/tf-plugins",
  "/usr/share/terraform/plugins",
  "/usr/local/share/terraform/plugins",
  join(process.env.HOME ?? "/root", ".terraform.d", "plugins"),
  join(process.env.HOME ?? "/root", ".local", "share", "terraform", "plugins"),
];

/** The provider mirror to use, or undefined when the machine has none. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TF_PROVIDER_MIRROR;
  if (explicit) {
    if (!existsSync(join(explicit, PROVIDER_DIR))) {
      throw new Error(
        `TF_PROVIDER_MIRROR: "${explicit}" does not contain ${PROVIDER_DIR}; point it at the folder above registry.terraform.io`,
      );
    }
    return explicit;
  }
  return CANDIDATE_MIRRORS.find((dir) => hasProviderVersions(join(dir, PROVIDER_DIR)));
}

function hasProviderVersions(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/**
 * The environment for a Terraform child process: the given one plus, when a mirror exists,
 * `TF_CLI_CONFIG_FILE` naming a CLI config that installs providers from it. The mirror is an
 * unpacked layout, so `terraform init` symlinks the 700 MB provider binary instead of copying it.
 */
export function terraformEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const mirror = findProviderMirror(base);
  if (!mirror) return { ...base };
  const dir = join(tmpdir(), "mrk-terraform");
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, "terraformrc");
  writeFileSync(
    configFile,
    ["provider_installation {", "  filesystem_mirror {", `    path = ${JSON.stringify(mirror)}`, "  }", "}", ""].join(
      "\n",
    ),
  );
  return { ...base, TF_CLI_CONFIG_FILE: configFile, CHECKPOINT_DISABLE: "1" };
}

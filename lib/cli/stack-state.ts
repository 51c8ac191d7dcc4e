/**
 * Where a stack's Terraform state is, and what it holds, for commands that run Terraform on the
 * stack's HCL (`mrk failover`).
 *
 * A local backend's relative `path` is relative to the folder Terraform runs in. The folder
 * `cdktf deploy` runs in is `<cdktf.json's output>/stacks/<stack>` of the project (cdktf's
 * default output is `cdktf.out`), so that is the folder the state belongs to: the default
 * `../../../terraform.<stack>.tfstate` is `terraform.<stack>.tfstate` in the project folder.
 * The reviewable HCL says the same path, but `MRK_OUTDIR` (or `--out`) may write it anywhere,
 * where the same relative path leads to another file, empty. So the commands resolve the path
 * against the project and hand it to `terraform init -backend-config=path=...`: the state is the
 * one the stack was deployed with, wherever its HCL is.
 */
import { join, resolve } from "node:path";
import { isObject, type Json } from "../json";
import { terraform } from "../terraform";
import type { CommandContext } from "./command";
import { cdktfOutput } from "./synth";

/** The folder `cdktf deploy` runs a stack's Terraform in: `<cdktf.json's output>/stacks/<stack>`. */
export function deployFolder(context: CommandContext, stackName: string): string {
  return join(cdktfOutput(context), "stacks", stackName);
}

/**
 * The state file of a stack with a local backend (its `terraform.backend.local.path`, resolved
 * against the folder `cdktf deploy` runs it in); undefined for a remote backend (S3, HCP
 * Terraform), whose state is wherever Terraform runs.
 */
export function localStateFile(stackJson: Json, stackName: string, context: CommandContext): string | undefined {
  const backend = backendOf(stackJson);
  const local = backend?.type === "local" ? backend.config : undefined;
  if (local === undefined) return undefined;
  // Terraform's own default, for a local backend with no path.
  const path = typeof local.path === "string" ? local.path : "terraform.tfstate";
  return resolve(deployFolder(context, stackName), path);
}

/** The stack's backend: its type (`local`, `s3`, `cloud`...) and its arguments; undefined when it declares none (Terraform's default: local). */
export function backendOf(stackJson: Json): { type: string; config: Json } | undefined {
  const terraformBlock = stackJson.terraform;
  const backend = isObject(terraformBlock) ? terraformBlock.backend : undefined;
  const [type] = isObject(backend) ? Object.keys(backend) : [];
  const config = type === undefined ? undefined : (backend as Json)[type];
  return type === undefined ? undefined : { type, config: isObject(config) ? config : {} };
}

/**
 * `terraform init` for a folder of the stack's HCL, wherever it is: with a local backend, its
 * state file is named (`localStateFile`); `-reconfigure` replaces whatever an earlier `init`
 * in the folder recorded, without copying any state.
 */
export function initArguments(stateFile: string | undefined): string[] {
  return [
    "init",
    "-no-color",
    "-input=false",
    "-reconfigure",
    ...(stateFile ? [`-backend-config=path=${stateFile}`] : []),
  ];
}

/** What the state says of one resource: its id and ARN. */
export interface StateEntry {
  readonly id: string;
  readonly arn: string;
  /** The region in the ARN: the provider the state last read the resource through. */
  readonly region: string;
}

/**
 * The entry of a managed resource of the root module in a state (`terraform state pull`'s JSON,
 * format 4); undefined when the state has none (or when `state` is not a state).
 */
export function stateEntry(state: unknown, type: string, name: string): StateEntry | undefined {
  if (!isObject(state) || !Array.isArray(state.resources)) return undefined;
  const resource = state.resources.find(
    (candidate): candidate is Json =>
      isObject(candidate) &&
      candidate.mode === "managed" &&
      candidate.type === type &&
      candidate.name === name &&
      candidate.module === undefined,
  );
  const [instance] = resource && Array.isArray(resource.instances) ? resource.instances : [];
  const attributes = isObject(instance) ? instance.attributes : undefined;
  if (!isObject(attributes) || typeof attributes.id !== "string" || typeof attributes.arn !== "string")
    return undefined;
  return { id: attributes.id, arn: attributes.arn, region: attributes.arn.split(":")[3] ?? "" };
}

/**
 * The stack's state, as `terraform state pull` prints it, in a folder of its HCL that
 * `terraform init` (`initArguments`) prepared; undefined when the backend holds no state yet.
 */
export function pullState(dir: string): unknown {
  const { stdout } = terraform(["state", "pull"], { cwd: dir });
  return stdout.trim() === "" ? undefined : JSON.parse(stdout);
}

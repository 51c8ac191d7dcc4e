/**
 * Real Terraform plans for the plan guard (`mrk guard`, lib/plan-guard.ts): the edits that lose a
 * KMS key, made as a platform team would make them on a deployed key set, and harmless ones.
 *
 * - `DefaultStackPlans`: the default stack (stacks/global-encrypt.json, our HCL from
 *   `synthHcl`) applied to the emulator; then each of `DEFAULT_STACK_SCENARIOS` is made on a
 *   copy of its config, its HCL or the emulator, planned (`terraform plan -out`, `terraform
 *   show -json`), and undone. No edit is ever applied. The edits are synthesized as the
 *   reference document's plain Terraform has them, without the key ledger and deletion
 *   protection of our synth (which refuse or defuse most of them: `planWithSafeguards`): the
 *   guard is the net for every plan, ours or not.
 * - `ModulePlans`: plain Terraform with a module, for_each and count instances, applied and
 *   then planned with one instance gone and another replaced.
 *
 * Used by __tests__/e2e/guard.test.ts, which runs the guard on each plan as it is made, and by
 * scripts/capture-guard-plans.ts, which writes them to __tests__/fixtures/plans/ for the unit
 * tests (__tests__/plan-guard.test.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CancelKeyDeletionCommand, EnableKeyCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import type { z } from "zod";
import { synthHcl } from "../lib/cli/synth";
import type { CONFIG_FILE_SCHEMAS } from "../lib/config";
import { keyLedgerPath } from "../lib/key-ledger";
import { describeKeyInRegions, kmsClient } from "../lib/key-set-client";
import { terraform } from "../lib/terraform";
import { DEFAULT_CONFIG } from "../stacks/app";
import type { Emulator } from "./emulator";

/** The default stack's config file, as written (one key at its top level). */
type Config = z.input<typeof CONFIG_FILE_SCHEMAS.oneKey>;

/** One edit of the deployed default stack, and how to make it. */
export interface PlanScenario {
  /** The plan's file name, without `.json`: `replica-renamed`. */
  readonly name: string;
  /** The edit as a platform team would say it. */
  readonly edit: string;
  /** Changes the stack's config before the synth. */
  readonly config?: (config: Config) => void;
  /** Changes the synthesized HCL (`cdk.tf`). */
  readonly hcl?: (hcl: string) => string;
  /** More `.tf` files beside `cdk.tf`, by name. */
  readonly files?: Readonly<Record<string, string>>;
  /** Does something outside Terraform before the plan; resolves to what undoes it. */
  readonly outside?: (plans: DefaultStackPlans) => Promise<() => Promise<void>>;
  /** More arguments for `terraform plan`. */
  readonly planArgs?: readonly string[];
}

/** `hcl` without the block that starts with `header` (`resource "aws_kms_alias" "eu"`); throws when there is none. */
export function withoutBlock(hcl: string, header: string): string {
  const start = hcl.indexOf(`\n${header} {\n`);
  const end = hcl.indexOf("\n}\n", start);
  if (start < 0 || end < 0) throw new Error(`the HCL has no block ${header}`);
  return hcl.slice(0, start) + hcl.slice(end + 2);
}

/** `hcl` without the line that holds `text`; throws when there is none. */
export function withoutLine(hcl: string, text: string): string {
  const lines = hcl.split("\n");
  const at = lines.findIndex((line) => line.includes(text));
  if (at < 0) throw new Error(`the HCL has no line with ${text}`);
  return [...lines.slice(0, at), ...lines.slice(at + 1)].join("\n");
}

/** The default stack without its APAC replica (and the suppression that names it). */
function dropApac(config: Config): void {
  config.replicas = config.replicas.filter((replica) => replica.name !== "apac");
  config.policy = { ...config.policy, suppressions: [] };
}

/** The provider block of the APAC replica's region, which Terraform needs to delete or forget what it made. */
const KEEP_APAC_PROVIDER = 'provider "aws" {\n  alias  = "ap_southeast_1"\n  region = "ap-southeast-1"\n}\n';

/** Schedules the APAC replica's deletion (7 days) through the AWS SDK; resolves to what cancels it. */
async function scheduleApacDeletion(): Promise<() => Promise<void>> {
  const [apac] = await describeKeyInRegions("alias/global-encrypt", ["ap-southeast-1"]);
  const kms = kmsClient("ap-southeast-1");
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: apac.keyId, PendingWindowInDays: 7 }));
  return async () => {
    await kms.send(new CancelKeyDeletionCommand({ KeyId: apac.keyId }));
    // A key whose deletion is cancelled is Disabled.
    await kms.send(new EnableKeyCommand({ KeyId: apac.keyId }));
  };
}

/** The edits of the default stack: `unchanged` and `harmless` first, the out-of-band deletion last. */
export const DEFAULT_STACK_SCENARIOS: readonly PlanScenario[] = [
  { name: "unchanged", edit: "no edit" },
  {
    name: "harmless",
    edit: "change the EU replica's description and the primary's tags",
    config: (config) => {
      config.replicas[0].description = "Global encryption key - EU replica (Dublin)";
      config.tags = { team: "platform" };
    },
  },
  {
    name: "primary-region-moved",
    edit: "change primaryRegion from us-east-1 to us-west-2",
    config: (config) => {
      config.primaryRegion = "us-west-2";
    },
  },
  {
    name: "replica-renamed",
    edit: "rename the APAC replica from apac to asia",
    config: (config) => {
      config.replicas[1].name = "asia";
      config.policy!.suppressions![0].resource = "aws_kms_replica_key.asia";
    },
  },
  {
    name: "replica-region-moved",
    edit: "move the APAC replica from ap-southeast-1 to ap-northeast-1",
    config: (config) => {
      config.replicas[1].region = "ap-northeast-1";
    },
  },
  {
    name: "replica-dropped",
    edit: "drop the APAC replica from the config, keeping its region's provider block so that Terraform can plan",
    config: dropApac,
    files: { "keep-provider.tf": KEEP_APAC_PROVIDER },
  },
  {
    name: "alias-deleted",
    edit: "delete the EU alias's block from the HCL, and its line of the alias_arns output",
    hcl: (hcl) =>
      withoutLine(withoutBlock(hcl, 'resource "aws_kms_alias" "eu"'), "eu-west-1      = aws_kms_alias.eu.arn"),
  },
  {
    name: "replica-forgotten",
    edit: "drop the APAC replica from the config and forget it and its alias with removed blocks (destroy = false)",
    config: dropApac,
    // Terraform needs the resources' provider configuration to forget them too.
    files: {
      "keep-provider.tf": KEEP_APAC_PROVIDER,
      "removed.tf": ["aws_kms_replica_key.apac", "aws_kms_alias.apac"]
        .map((address) => `removed {\n  from = ${address}\n\n  lifecycle {\n    destroy = false\n  }\n}\n`)
        .join("\n"),
    },
  },
  {
    name: "alias-replace-requested",
    edit: "plan with -replace=aws_kms_alias.primary",
    planArgs: ["-replace=aws_kms_alias.primary"],
  },
  {
    name: "replica-deleted-outside-and-dropped",
    edit: "schedule the APAC replica's deletion outside Terraform, and drop it from the config",
    config: dropApac,
    files: { "keep-provider.tf": KEEP_APAC_PROVIDER },
    outside: scheduleApacDeletion,
  },
  {
    name: "replica-deleted-outside",
    edit: "schedule the APAC replica's deletion outside Terraform (ScheduleKeyDeletion), then plan",
    outside: scheduleApacDeletion,
  },
];

/** A plan: its JSON (`terraform show -json`) and its text, for messages. */
export interface CapturedPlan {
  readonly json: string;
  readonly text: string;
}

/** Plans `terraform plan -out` in `dir` and returns the plan's JSON and text. */
function planIn(dir: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): CapturedPlan {
  const text = terraform(["plan", "-no-color", "-out=guard.tfplan", ...args], { cwd: dir, env }).stdout;
  const json = terraform(["show", "-json", "guard.tfplan"], { cwd: dir, env }).stdout;
  rmSync(join(dir, "guard.tfplan"));
  return { json, text };
}

/** The default stack, deployed to the emulator from our HCL, and plans of edits of it. */
export class DefaultStackPlans {
  /** The stack's config file (a copy of the default one). */
  readonly configPath: string;
  /** The folder of the HCL (`<work>/cdktf.out/stacks/global-encrypt`); its state is `<work>/terraform.global-encrypt.tfstate`. */
  readonly hclDir: string;

  constructor(
    readonly work: string,
    readonly emulator: Emulator,
  ) {
    this.configPath = join(work, "global-encrypt.json");
    writeFileSync(this.configPath, readFileSync(DEFAULT_CONFIG));
    this.hclDir = this.synth(JSON.parse(readFileSync(DEFAULT_CONFIG, "utf8")));
  }

  /**
   * Writes the config and synthesizes its HCL. `unguarded`: as the reference document's plain
   * Terraform, with no key ledger (its record of the deployed keys is removed first) and no
   * deletion protection.
   */
  private synth(config: Config, { unguarded = false } = {}): string {
    if (unguarded) rmSync(keyLedgerPath(this.configPath), { force: true });
    const written = unguarded
      ? { ...config, deletionProtection: { off: "the reference document's Terraform has none" } }
      : config;
    writeFileSync(this.configPath, `${JSON.stringify(written, null, 2)}\n`);
    const [dir] = synthHcl([this.configPath], join(this.work, "cdktf.out"));
    return dir;
  }

  /** The default config with the scenario's edit. */
  private edited(scenario: PlanScenario): Config {
    const config = JSON.parse(readFileSync(DEFAULT_CONFIG, "utf8")) as Config;
    scenario.config?.(config);
    return config;
  }

  /**
   * The scenario's config edit through our synth, key ledger and deletion protection on: the
   * plan, or the synth's refusal (an `InvalidInputError`). Undone afterwards.
   */
  planWithSafeguards(scenario: PlanScenario): CapturedPlan {
    try {
      return planIn(this.synth(this.edited(scenario)), this.emulator.env);
    } finally {
      this.restore();
    }
  }

  /** The default stack's config, HCL and key ledger as deployed, after an edit. */
  private restore(): void {
    // The edit's synth recorded its keys in the ledger; the deployed ones are the default's.
    rmSync(keyLedgerPath(this.configPath), { force: true });
    this.synth(JSON.parse(readFileSync(DEFAULT_CONFIG, "utf8")));
  }

  /** `terraform init` and `apply` of the default stack's HCL. */
  deploy(): void {
    terraform(["init", "-no-color"], { cwd: this.hclDir, env: this.emulator.env });
    terraform(["apply", "-auto-approve", "-no-color"], { cwd: this.hclDir, env: this.emulator.env });
  }

  /** `terraform show -json` of the state: the JSON of a state, which is not a plan. */
  stateJson(): string {
    return terraform(["show", "-json"], { cwd: this.hclDir, env: this.emulator.env }).stdout;
  }

  /** Makes the scenario's edit, plans, and undoes the edit. */
  async plan(scenario: PlanScenario): Promise<CapturedPlan> {
    const dir = this.synth(this.edited(scenario), { unguarded: true });
    const hclPath = join(dir, "cdk.tf");
    if (scenario.hcl) writeFileSync(hclPath, scenario.hcl(readFileSync(hclPath, "utf8")));
    const files = Object.entries(scenario.files ?? {}).map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    });
    const undo = await scenario.outside?.(this);
    try {
      return planIn(dir, this.emulator.env, scenario.planArgs);
    } finally {
      await undo?.();
      for (const file of files) rmSync(file);
      this.restore();
    }
  }
}

/** Plain Terraform: a module with a key per team (for_each) and an alias per key (count). */
const MODULE_FILES: Readonly<Record<string, string>> = {
  "main.tf": `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "teams" {
  type = map(string)
}

module "keys" {
  source = "./keys"
  teams  = var.teams
}
`,
  "keys/main.tf": `variable "teams" {
  description = "Key usage by team name"
  type        = map(string)
}

resource "aws_kms_key" "team" {
  for_each = var.teams

  description              = "Key of team \${each.key}"
  key_usage                = each.value
  customer_master_key_spec = each.value == "SIGN_VERIFY" ? "RSA_2048" : "SYMMETRIC_DEFAULT"
  deletion_window_in_days  = 7

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_kms_alias" "team" {
  count = length(var.teams)

  name          = "alias/team-\${sort(keys(var.teams))[count.index]}"
  target_key_id = aws_kms_key.team[sort(keys(var.teams))[count.index]].key_id
}
`,
};

/** The teams applied first, and those of the plan: team a's key usage changes (a replacement), team b is gone. */
export const MODULE_TEAMS = {
  applied: { a: "ENCRYPT_DECRYPT", b: "ENCRYPT_DECRYPT" },
  planned: { a: "SIGN_VERIFY" },
} as const;

/** Plain Terraform with a module and count and for_each instances, on the emulator. */
export class ModulePlans {
  readonly dir: string;

  constructor(
    work: string,
    readonly emulator: Emulator,
  ) {
    this.dir = join(work, "plain-terraform");
    for (const [name, text] of Object.entries(MODULE_FILES)) {
      mkdirSync(join(this.dir, name, ".."), { recursive: true });
      writeFileSync(join(this.dir, name), text);
    }
  }

  private teams(teams: Record<string, string>): void {
    writeFileSync(join(this.dir, "terraform.tfvars.json"), JSON.stringify({ teams }));
  }

  /** `terraform init` and `apply` with the teams of `MODULE_TEAMS.applied`. */
  deploy(): void {
    this.teams(MODULE_TEAMS.applied);
    terraform(["init", "-no-color"], { cwd: this.dir, env: this.emulator.env });
    terraform(["apply", "-auto-approve", "-no-color"], { cwd: this.dir, env: this.emulator.env });
  }

  /** The plan with the teams of `MODULE_TEAMS.planned`. */
  plan(): CapturedPlan {
    this.teams(MODULE_TEAMS.planned);
    return planIn(this.dir, this.emulator.env);
  }
}

/**
 * A plan that stopped on an error, saved all the same (`terraform plan -out` writes it, with
 * `"errored": true`, and exits 1): a precondition that fails. Needs no provider.
 */
export function erroredPlan(work: string): CapturedPlan {
  const dir = join(work, "errored");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "main.tf"),
    `variable "ready" {
  type    = bool
  default = false
}

resource "terraform_data" "release" {
  input = "v1"

  lifecycle {
    precondition {
      condition     = var.ready
      error_message = "The release is not ready."
    }
  }
}
`,
  );
  terraform(["init", "-no-color"], { cwd: dir });
  const text = terraform(["plan", "-no-color", "-out=guard.tfplan"], { cwd: dir, okStatuses: [1] }).stderr;
  const json = terraform(["show", "-json", "guard.tfplan"], { cwd: dir }).stdout;
  return { json, text };
}

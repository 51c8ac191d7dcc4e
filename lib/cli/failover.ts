/**
 * `mrk failover --to <region> [--stack <name>] [--key <name>] [--dry-run]`: promotes the
 * replica in `<region>` to primary and makes the config and the Terraform state follow. `--key`
 * names the key when the stack's config lists several (`keys`).
 *
 * 1. Checks, live, that the current primary and the target are Enabled and that the target is
 *    a replica of the set. Anything unsafe stops here, before any change.
 * 2. Calls UpdatePrimaryRegion (default credential chain; honours AWS_ENDPOINT_URL).
 * 3. Waits until neither key is `Updating`.
 * 4. Writes `currentPrimaryRegion` into the stack's config file (formatting kept).
 * 5. Writes the stack's HCL and refreshes the Terraform state in `cdktf.out/stacks/<stack>`
 *    (`terraform apply -refresh-only`): the addresses stay put and swap regions
 *    (lib/key-layout.ts), so no import, removal or move is needed. Then `terraform plan` must
 *    show no change, and the script says so.
 *
 * `--dry-run` does the read-only checks of step 1 and prints the other steps without doing them.
 * A set promoted outside this tool (the console, the CLI) is recognised in step 1: the call is
 * skipped and steps 4 and 5 bring the config and the state in line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { UpdatePrimaryRegionCommand } from "@aws-sdk/client-kms";
import { applyEdits, modify } from "jsonc-parser";
import { awsRegionSchema, formatValue, InvalidInputError } from "../validation";
import { Command, CommandContext, parseOptions, UsageError } from "./command";
import { stackNamed, synthesizeProject } from "./project";
import { hclOutdir } from "./synth";
import { KeyConfig, keyRegions, loadStackConfig, selectKey, StackConfig } from "../config";
import { describeKeyInRegions, kmsClient, RegionalKeyState } from "../key-set-client";
import { synthHcl } from "./synth";
import { terraform } from "../terraform";

export interface FailoverOptions {
  readonly to: string;
  readonly stack: string;
  /** The key of the stack's `keys` to fail over. @default the stack's only key */
  readonly key?: string;
  readonly dryRun: boolean;
  /** How long to wait for the keys to leave `Updating`. @default 10 minutes */
  readonly timeoutMs?: number;
  /** The project and where the command writes. */
  readonly context: CommandContext;
}

/** The config file of a stack of the project (lib/cli/project.ts), read. */
export function findStackConfig(stackName: string, context: CommandContext): { path: string; config: StackConfig } {
  const stack = stackNamed(synthesizeProject(context), stackName);
  if (!stack.configFile) {
    throw new InvalidInputError(
      `--stack: ${formatValue(stackName)} is built by code of your own, not from a config file; mrk failover updates config files (set currentPrimaryRegion on the MultiRegionKey in your code instead)`,
    );
  }
  return { path: stack.configFile, config: loadStackConfig(stack.configFile) };
}

/** Refuses a target region that is not a region of the key set. */
export function checkTarget(key: KeyConfig, to: string): void {
  const region = awsRegionSchema.safeParse(to);
  if (!region.success) {
    throw new InvalidInputError(`--to: ${formatValue(to)} ${region.error.issues[0].message}`);
  }
  if (!keyRegions(key).includes(to)) {
    throw new InvalidInputError(
      `--to: ${formatValue(to)} holds no key of ${key.alias}; its regions are ${keyRegions(key).join(", ")}`,
    );
  }
}

/**
 * Why UpdatePrimaryRegion must not be called for these two keys, or undefined when it may.
 * Both must be Enabled; `from` must be the primary and `to` a replica.
 */
export function refusal(from: RegionalKeyState, to: RegionalKeyState): string | undefined {
  for (const key of [from, to]) {
    if (key.keyState !== "Enabled") {
      return `${key.region}: the key is ${key.keyState}; UpdatePrimaryRegion needs both keys Enabled (aws kms enable-key --region ${key.region} --key-id ${key.keyId}, or cancel its deletion first)`;
    }
  }
  if (from.multiRegionKeyType !== "PRIMARY") {
    return `${from.region}: the key is a ${from.multiRegionKeyType} (the primary is in ${from.primaryRegion}); the config's currentPrimaryRegion is out of date`;
  }
  if (to.multiRegionKeyType !== "REPLICA") {
    return `${to.region}: the key is a ${to.multiRegionKeyType}, not a replica of the set`;
  }
  return undefined;
}

/**
 * The config text with `currentPrimaryRegion` set to `region`, or removed when `region` is the
 * region the set was created in. Everything else in the file keeps its formatting. `keyIndex`
 * is the key's entry in `keys`; without it the key is the config's top-level one.
 */
export function withCurrentPrimaryRegion(text: string, region: string, primaryRegion: string, keyIndex?: number): string {
  const value = region === primaryRegion ? undefined : region;
  const at = keyIndex === undefined ? [] : ["keys", keyIndex];
  const edits = modify(text, [...at, "currentPrimaryRegion"], value, {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
    getInsertionIndex: (properties) => Math.max(properties.indexOf("primaryRegion") + 1, 0),
  });
  return applyEdits(text, edits);
}

async function waitWhileUpdating(keyId: string, regions: string[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const keys = await describeKeyInRegions(keyId, regions);
    if (keys.every((key) => key.keyState !== "Updating")) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`the keys are still Updating after ${timeoutMs / 1000} s; run the failover again to finish`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Runs the failover; see the file comment. Throws InvalidInputError for a refused request. */
export async function failover(options: FailoverOptions): Promise<void> {
  const log = (line: string) => options.context.stdout(`${line}\n`);
  const { path, config } = findStackConfig(options.stack, options.context);
  const { key, index } = selectKey(config, options.key);
  const keyIndex = key.name === undefined ? undefined : index;
  checkTarget(key, options.to);
  const from = key.currentPrimaryRegion ?? key.primaryRegion;
  const shownPath = relative(process.cwd(), path) || path;
  if (options.to === from) {
    throw new InvalidInputError(`--to: ${formatValue(options.to)} is already the primary region of ${config.name} (${shownPath})`);
  }

  const [current, target] = await describeKeyInRegions(key.alias, [from, options.to]);
  const promotedElsewhere = current.multiRegionKeyType === "REPLICA" && target.multiRegionKeyType === "PRIMARY";
  log(`Failover of ${config.name} (${key.alias}, ${current.keyId}) from ${from} to ${options.to}${options.dryRun ? " (dry run: nothing changes)" : ""}`);
  if (!promotedElsewhere) {
    const reason = refusal(current, target);
    if (reason) throw new InvalidInputError(`refused, nothing changed: ${reason}`);
  }
  log(`1. checked: ${from} ${current.multiRegionKeyType} ${current.keyState}, ${options.to} ${target.multiRegionKeyType} ${target.keyState}`);

  const steps: Array<{ plan: string; run: () => Promise<string> | string }> = [
    {
      plan: promotedElsewhere
        ? `skip UpdatePrimaryRegion: ${options.to} holds the primary already (promoted outside this tool)`
        : `call UpdatePrimaryRegion(${current.keyId}, ${options.to}) in ${from}`,
      run: async () => {
        if (promotedElsewhere) return `skipped UpdatePrimaryRegion: ${options.to} holds the primary already`;
        await kmsClient(from).send(new UpdatePrimaryRegionCommand({ KeyId: current.keyId, PrimaryRegion: options.to }));
        return `UpdatePrimaryRegion: ${options.to} holds the primary`;
      },
    },
    {
      plan: "wait until neither key is Updating",
      run: async () => {
        const waited = await waitWhileUpdating(current.keyId, [from, options.to], options.timeoutMs ?? 600_000);
        return `neither key is Updating (waited ${(waited / 1000).toFixed(1)} s)`;
      },
    },
    {
      plan: `set currentPrimaryRegion to "${options.to}" in ${shownPath}`,
      run: () => {
        writeFileSync(path, withCurrentPrimaryRegion(readFileSync(path, "utf8"), options.to, key.primaryRegion, keyIndex));
        return options.to === key.primaryRegion
          ? `${shownPath}: currentPrimaryRegion removed (${options.to} is the region the set was created in)`
          : `${shownPath}: currentPrimaryRegion is "${options.to}"`;
      },
    },
    {
      plan: `write the HCL of ${config.name}, refresh its Terraform state and check that terraform plan shows no change`,
      run: () => refreshTerraformState(path, hclOutdir(options.context)),
    },
  ];
  for (const [index, step] of steps.entries()) {
    log(`${index + 2}. ${options.dryRun ? `would ${step.plan}` : await step.run()}`);
  }
}

/** Step 5: the stack's HCL, its state refreshed through the swapped providers, and a plan. */
function refreshTerraformState(configPath: string, outdir: string): string {
  const [dir] = synthHcl([configPath], outdir);
  const shownDir = relative(process.cwd(), dir) || dir;
  try {
    terraform(["init", "-no-color"], { cwd: dir });
    terraform(["apply", "-refresh-only", "-auto-approve", "-no-color"], { cwd: dir });
    const plan = terraform(["plan", "-detailed-exitcode", "-no-color"], { cwd: dir, okStatuses: [0, 2] });
    return plan.status === 0
      ? `Terraform state in ${shownDir} refreshed; terraform plan: no changes`
      : `Terraform state in ${shownDir} refreshed, but terraform plan shows changes the failover did not make; review them:\n${plan.stdout}`;
  } catch (error) {
    throw new Error(
      `the key set was promoted and the config updated, but refreshing the Terraform state failed; finish with \`npm run synth && cd ${shownDir} && terraform apply -refresh-only\`:\n${(error as Error).message}`,
    );
  }
}

export const failoverCommand: Command = {
  name: "failover",
  summary: "promote a replica to primary; the config and the Terraform state follow",
  usage: [
    "--to <region> [--stack <name>] [--key <name>] [--dry-run]",
    "  --to       the region whose replica becomes the primary",
    "  --stack    the stack of the key set; default: global-encrypt",
    "  --key      the key, when the stack's config lists several",
    "  --dry-run  check, and print the steps without taking them",
  ].join("\n"),
  async run(argv, context) {
    const { values } = parseOptions(argv, {
      to: { type: "string" },
      stack: { type: "string", default: "global-encrypt" },
      key: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    });
    if (!values.to) throw new UsageError("--to: is required: the region whose replica becomes the primary");
    await failover({ to: values.to, stack: values.stack!, key: values.key, dryRun: values["dry-run"]!, context });
    return 0;
  },
};

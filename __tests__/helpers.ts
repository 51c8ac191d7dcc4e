import { join } from "node:path";
import { type App, TerraformStack, Testing } from "cdktf";
import type { z } from "zod";
import type { CONFIG_FILE_SCHEMAS } from "../lib/config";
import { configFilesIn, loadStack, stackFromConfig } from "../lib/config-app";
import type { Json } from "../lib/json";
import type { KeySetStack } from "../lib/key-set-stack";
import { MultiRegionKey } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";
import { DEFAULT_CONFIG } from "../stacks/app";

/** The stack of a config file, in a fresh test app. */
export function stackFromFile(path: string = DEFAULT_CONFIG): KeySetStack {
  return loadStack(Testing.app(), path);
}

/** A config file's JSON in the default config's form (one key at its top level), as written: defaults not applied. */
export type ConfigFileJson = z.input<typeof CONFIG_FILE_SCHEMAS.oneKey>;

/** A config file's JSON with a list of `keys`, as written. */
export type KeyListConfigJson = z.input<typeof CONFIG_FILE_SCHEMAS.keyList>;

/** An entry of a config file's `keys`, as written. */
export type KeyEntryJson = KeyListConfigJson["keys"][number];

/** The default config as an object, to derive variants from in tests. */
export function defaultConfigObject(): ConfigFileJson {
  return structuredClone(require(DEFAULT_CONFIG));
}

/** The stack of a config object (validated as a config file would be). */
export function stackFromObject(config: unknown, app: App = Testing.app()): KeySetStack {
  return stackFromConfig(app, config, "test-config.json");
}

/**
 * A stack's Terraform JSON as cdktf synthesizes it: blocks by kind, type and name, each
 * block's arguments as read (unchecked: a test narrows or casts what it reads further).
 */
export type StackJson = {
  readonly resource: Record<string, Record<string, Json>>;
  readonly data: Record<string, Record<string, Json>>;
  readonly output: Record<string, Json>;
  /** Each provider's configurations: `provider.aws`, one per region, with `alias` and `region`. */
  readonly provider: Record<
    string,
    { readonly alias?: string; readonly region?: string; readonly [argument: string]: unknown }[]
  >;
  readonly terraform: Json;
  readonly moved?: Json[];
  readonly removed?: Json[];
};

/** The synthesized Terraform JSON of a stack, parsed. */
export function synthJson(stack: KeySetStack): StackJson {
  return JSON.parse(Testing.synth(stack));
}

/** A statement of an `aws_iam_policy_document` data source, as cdktf synthesizes it. */
export interface StatementJson {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: string[];
  readonly resources?: string[];
  readonly principals?: { readonly type: string; readonly identifiers: string[] }[];
  readonly condition?: { readonly test: string; readonly variable: string; readonly values: string[] }[];
}

/** The statements of the stack's `data.aws_iam_policy_document.<name>`. */
export function policyStatements(json: StackJson, name: string): StatementJson[] {
  return json.data.aws_iam_policy_document[name].statement as StatementJson[];
}

/**
 * A stack with the reference document's key (us-east-1, replicas eu in eu-west-1 and apac in
 * ap-southeast-1) and a provider in us-west-2 that holds no key, for constructs that use a key.
 */
export function stackWithReferenceKey(): { stack: TerraformStack; providers: RegionProviders; key: MultiRegionKey } {
  const stack = new TerraformStack(Testing.app(), "test");
  const providers = new RegionProviders(stack, "providers", {
    regions: ["us-east-1", "eu-west-1", "ap-southeast-1", "us-west-2"],
  });
  const key = new MultiRegionKey(stack, "key", {
    providers,
    primaryRegion: "us-east-1",
    aliasName: "alias/global-encrypt",
    replicas: [
      { region: "eu-west-1", name: "eu" },
      { region: "ap-southeast-1", name: "apac" },
    ],
  });
  return { stack, providers, key };
}

/**
 * cdktf's `${jsonencode({...})}` expression as the JSON it encodes, references written as
 * `"${aws_x.y.attr}"` strings.
 */
export function decodeJsonencode(expression: unknown): unknown {
  const inner = typeof expression === "string" ? /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression)?.[1] : undefined;
  if (inner === undefined) throw new Error(`not a jsonencode expression: ${JSON.stringify(expression)}`);
  let out = "";
  for (let i = 0; i < inner.length; ) {
    const char = inner[i];
    if (char === '"') {
      const end = /^"(?:[^"\\]|\\.)*"/.exec(inner.slice(i))![0];
      out += end;
      i += end.length;
    } else if (char === "=") {
      out += ":";
      i++;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][\w.-]*/.exec(inner.slice(i))![0];
      out += ["true", "false", "null"].includes(word) ? word : JSON.stringify(`\${${word}}`);
      i += word.length;
    } else {
      out += char;
      i++;
    }
  }
  return JSON.parse(out);
}

/** The config files of the config-file example (examples/config-file-app/keys). */
export const EXAMPLE_CONFIGS_DIR = join(__dirname, "..", "examples", "config-file-app", "keys");

/** Every config file of the repository: the default stack's and the config-file example's. */
export const ALL_CONFIGS: readonly string[] = [DEFAULT_CONFIG, ...configFilesIn(EXAMPLE_CONFIGS_DIR)];

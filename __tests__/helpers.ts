import { join } from "node:path";
import { type App, TerraformStack, Testing } from "cdktf";
import { MultiRegionKey } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";
import { DEFAULT_CONFIG } from "../stacks/app";
import { configFilesIn, loadStack, stackFromConfig } from "../lib/config-app";
import type { KeySetStack } from "../lib/key-set-stack";

/** The stack of a config file, in a fresh test app. */
export function stackFromFile(path: string = DEFAULT_CONFIG): KeySetStack {
  return loadStack(Testing.app(), path);
}

/** The default config as an object, to derive variants from in tests. */
export function defaultConfigObject(): Record<string, any> {
  return structuredClone(require(DEFAULT_CONFIG));
}

/** The stack of a config object (validated as a config file would be). */
export function stackFromObject(config: unknown, app: App = Testing.app()): KeySetStack {
  return stackFromConfig(app, config, "test-config.json");
}

/** The synthesized Terraform JSON of a stack, parsed. */
export function synthJson(stack: KeySetStack): Record<string, any> {
  return JSON.parse(Testing.synth(stack));
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
export function decodeJsonencode(expression: string): any {
  const inner = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression)?.[1];
  if (inner === undefined) throw new Error(`not a jsonencode expression: ${expression}`);
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

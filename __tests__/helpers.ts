import { App, Testing } from "cdktf";
import { DEFAULT_CONFIG } from "../stacks/app";
import { loadStackConfig, parseStackConfig, StackConfig } from "../stacks/config";
import { KeySetStack } from "../stacks/key-set-stack";

/** The stack of a config file, in a fresh test app. */
export function stackFromFile(path: string = DEFAULT_CONFIG): KeySetStack {
  return new KeySetStack(Testing.app(), loadStackConfig(path));
}

/** The default config as an object, to derive variants from in tests. */
export function defaultConfigObject(): Record<string, any> {
  return structuredClone(require(DEFAULT_CONFIG));
}

/** The stack of a config object (validated as a config file would be). */
export function stackFromObject(config: unknown, app: App = Testing.app()): KeySetStack {
  return new KeySetStack(app, parseStackConfig(config, "test-config.json") as StackConfig);
}

/** The synthesized Terraform JSON of a stack, parsed. */
export function synthJson(stack: KeySetStack): Record<string, any> {
  return JSON.parse(Testing.synth(stack));
}

/**
 * lib/stack-json.ts: a stack's Terraform JSON made with each token resolved once is the JSON
 * cdktf's own `toTerraform()` makes, key for key and in the same order.
 */
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Fn, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { toTerraformResolvingOnce } from "../lib/stack-json";
import { scaleConfig } from "../scripts/bench-scale";
import { buildStacks } from "../lib/config-app";
import { ALL_CONFIGS, stackFromObject } from "./helpers";

/** cdktf's own `toTerraform()`, whatever a subclass does with it. */
function cdktfToTerraform(stack: TerraformStack): unknown {
  return TerraformStack.prototype.toTerraform.call(stack);
}

function expectSameJson(ours: unknown, theirs: unknown): void {
  expect(ours).toStrictEqual(theirs);
  // toStrictEqual ignores the order of keys; the written file does not.
  expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
}

/** A stack of plain cdktf with what the app's stacks lack: outputs in nested constructs, element overrides, a stack override. */
function plainStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "plain");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const group = new Construct(new Construct(stack, "outer"), "inner");
  const key = new KmsKey(group, "key", { description: "plain", multiRegion: true });
  key.addOverride("lifecycle.prevent_destroy", true);
  new TerraformOutput(group, "key_arn", { value: key.arn });
  new TerraformOutput(stack, "key_id", { value: Fn.upper(key.keyId) });
  stack.addOverride("terraform.required_version", ">= 1.5");
  return stack;
}

describe("a stack's JSON with each token resolved once", () => {
  const app = new App({ outdir: Testing.app().outdir });
  const appStacks = buildStacks(app, ALL_CONFIGS);
  app.synth();

  test.each(appStacks.map((stack) => [stack.node.id, stack] as const))("is cdktf's own for stack %s", (_, stack) => {
    expectSameJson(toTerraformResolvingOnce(stack), cdktfToTerraform(stack));
  });

  test("is cdktf's own for keys with administrators in every commercial region", () => {
    const stack = stackFromObject(scaleConfig(2, "administrators"));
    expectSameJson(toTerraformResolvingOnce(stack), cdktfToTerraform(stack));
  });

  test("is cdktf's own for outputs in nested constructs, element overrides and stack overrides", () => {
    const stack = plainStack();
    const ours = toTerraformResolvingOnce(stack) as { "//": { outputs: object } };
    expectSameJson(ours, cdktfToTerraform(stack));
    const nested = stack.node.findAll().find((node): node is TerraformOutput => node instanceof TerraformOutput && node.node.id === "key_arn")!;
    expect(ours["//"].outputs).toEqual({ plain: { outer: { inner: { key_arn: nested.friendlyUniqueId } }, key_id: "key_id" } });
  });

  test("gives way to cdktf's own when a stack override holds a token", () => {
    const stack = plainStack();
    const key = stack.node.findAll().find((node): node is KmsKey => node instanceof KmsKey)!;
    stack.addOverride("locals.key_arn", key.arn);
    expect(toTerraformResolvingOnce(stack)).toBeUndefined();
  });
});

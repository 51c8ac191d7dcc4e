/**
 * The HCL writer's output, checked by Terraform itself: `terraform fmt` leaves it as it is, and
 * `terraform validate` (offline, through the provider mirror) finds no error and no warning.
 * Here, not in the unit tests, because each check starts Terraform.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformEnv } from "../../lib/terraform-env";
import { kitchenSinkStack, render, seedStack } from "../hcl-stacks";

function terraform(args: string[], options: { input?: string; cwd?: string } = {}) {
  return spawnSync("terraform", args, { ...options, env: terraformEnv(), encoding: "utf8" });
}

describe("renderStackHcl on the seed document's setup", () => {
  const seed = render(seedStack, "global-encrypt");

  test("is terraform fmt clean", () => {
    const check = terraform(["fmt", "-check", "-"], { input: seed.hcl });
    expect(check).toExitWith(0);
    expect(check.stderr).toBe("");
  });
});

describe("renderStackHcl on every resource type the project uses", () => {
  const sink = render(kitchenSinkStack, "kitchen-sink");

  test("is terraform fmt clean", () => {
    const formatted = terraform(["fmt", "-"], { input: sink.hcl });
    expect(formatted.stdout).toBe(sink.hcl);
    expect(terraform(["fmt", "-check", "-"], { input: sink.hcl })).toExitWith(0);
  });

  test("passes terraform validate with no warnings (offline, through the provider mirror)", () => {
    const dir = mkdtempSync(join(tmpdir(), "hcl-render-"));
    writeFileSync(join(dir, "main.tf"), sink.hcl);
    const init = terraform(["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir });
    expect(init.stderr).toBe("");
    const validate = JSON.parse(terraform(["validate", "-json", "-no-color"], { cwd: dir }).stdout);
    expect(validate).toMatchObject({ valid: true, error_count: 0, warning_count: 0, diagnostics: [] });
  });
});

/**
 * The synthesized stacks are valid Terraform for the AWS provider we pin, checked by
 * Terraform itself (offline, through the machine's provider mirror): cdktf's JSON, and the
 * HCL of `npm run synth`, which must also be `terraform fmt` clean and draw no warning.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Testing } from "cdktf";
import { synthHcl } from "../../lib/cli/synth";
import { terraform } from "../../lib/terraform";
import { terraformEnv } from "../../lib/terraform-env";
import { DEFAULT_CONFIG } from "../../stacks/app";
import { ALL_CONFIGS, stackFromFile } from "../helpers";

// cdktf's matchers run `terraform` with process.env: point it at the provider mirror.
Object.assign(process.env, terraformEnv());

test("cdktf's JSON of the default stack is valid Terraform", () => {
  expect(Testing.fullSynth(stackFromFile(DEFAULT_CONFIG))).toBeValidTerraform();
});

describe.each(ALL_CONFIGS.map((path) => [basename(path), path]))("the HCL of %s", (_, configPath) => {
  let dir: string;

  beforeAll(() => {
    [dir] = synthHcl([configPath], mkdtempSync(join(tmpdir(), "mrk-validate-")));
  });

  test("is terraform fmt clean", () => {
    const fmt = terraform(["fmt", "-check", "-diff", "-no-color"], { cwd: dir, okStatuses: [0, 3] });
    expect({ status: fmt.status, diff: fmt.stdout }).toEqual({ status: 0, diff: "" });
  });

  test("passes terraform validate with no error and no warning", () => {
    terraform(["init", "-backend=false", "-no-color"], { cwd: dir });
    const result = JSON.parse(terraform(["validate", "-json", "-no-color"], { cwd: dir, okStatuses: [0, 1] }).stdout);
    expect(result).toMatchObject({ valid: true, error_count: 0, warning_count: 0, diagnostics: [] });
  });
});

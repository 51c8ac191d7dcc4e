/**
 * The synthesized stacks are valid Terraform for the AWS provider we pin, checked by
 * Terraform itself (offline, through the machine's provider mirror).
 */
import { Testing } from "cdktf";
import { join } from "node:path";
import { STACKS_DIR } from "../../stacks/app";
import { terraformEnv } from "../../scripts/terraform-env";
import { stackFromFile } from "../helpers";

// cdktf's matchers run `terraform` with process.env: point it at the provider mirror.
Object.assign(process.env, terraformEnv());

describe("terraform validate", () => {
  test.each(["global-encrypt.json", "five-regions.json"])("accepts the stack of %s", (file) => {
    expect(Testing.fullSynth(stackFromFile(join(STACKS_DIR, file)))).toBeValidTerraform();
  });
});

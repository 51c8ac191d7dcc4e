/**
 * Checks lib/regions.ts against the pinned AWS provider: every region in the list must pass
 * the provider's own region check (`terraform plan` configures one provider per region,
 * offline, with dummy credentials). Run it when the provider version changes:
 *
 *   npm run check:regions
 *
 * It takes about a minute on 2 cores (one 700 MB provider process per region), which is why
 * it is not part of `npm test`.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { App, TerraformStack } from "cdktf";
import { RegionProviders } from "../lib/region-providers";
import { ALL_REGIONS } from "../lib/regions";
import { terraformEnv } from "../lib/terraform-env";

const outdir = mkdtempSync(join(tmpdir(), "mrk-regions-"));
const app = new App({ outdir });
const stack = new TerraformStack(app, "regions");
const providers = new RegionProviders(stack, "providers", { regions: ALL_REGIONS });
for (const region of ALL_REGIONS) {
  const provider = providers.forRegion(region);
  // No credentials and no network: only the provider's own region check runs.
  provider.skipCredentialsValidation = true;
  provider.skipRequestingAccountId = true;
  provider.skipMetadataApiCheck = "true";
  provider.accessKey = "offline";
  provider.secretKey = "offline";
  new DataAwsRegion(stack, `region_${region}`, { provider });
}
app.synth();

const cwd = join(outdir, "stacks", "regions");
const env = terraformEnv();
const terraform = (args: string[]) => spawnSync("terraform", args, { cwd, env, encoding: "utf8" });
const init = terraform(["init", "-input=false", "-no-color"]);
if (init.status !== 0) {
  process.stderr.write(init.stderr);
  process.exit(2);
}
const plan = terraform(["plan", "-input=false", "-lock=false", "-no-color"]);
const rejected = [...plan.stderr.matchAll(/invalid AWS Region: (\S+)/g)].map((match) => match[1]);
if (plan.status !== 0) {
  console.error(
    rejected.length > 0 ? `lib/regions.ts lists regions the AWS provider rejects: ${rejected.join(", ")}` : plan.stderr,
  );
  process.exit(1);
}
console.log(`All ${ALL_REGIONS.length} regions of lib/regions.ts pass the AWS provider's region check.`);

/**
 * The payments key set of examples/typescript-app, built from the constructs as a consumer's
 * own stack: three regions, an application role that ECS tasks assume, and no account id, so
 * its key policies name the account of `data.aws_caller_identity`. The status tests read it
 * synthesized (status.test.ts) and deployed on the emulator (e2e/payments-keys-app.ts).
 */
import { type App, TerraformStack } from "cdktf";
import { ApplicationRole } from "../lib/application-role";
import { MultiRegionKey } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";

/** The stack `payments-keys` in `app`, its key administrator a role of `administratorAccount`. */
export function paymentsKeysStack(app: App, administratorAccount: string): TerraformStack {
  const stack = new TerraformStack(app, "payments-keys");
  const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-1", "ap-southeast-1"] });
  const application = new ApplicationRole(stack, "application", {
    roleName: "payments-application",
    trustedServices: ["ecs-tasks.amazonaws.com"],
    provider: providers.forRegion("us-east-1"),
  });
  const key = new MultiRegionKey(stack, "payments", {
    providers,
    primaryRegion: "us-east-1",
    aliasName: "alias/payments",
    description: "Payments data key",
    replicas: [
      { region: "eu-west-1", name: "eu" },
      { region: "ap-southeast-1", name: "apac" },
    ],
    keyPolicy: { administrators: { principals: [`arn:aws:iam::${administratorAccount}:role/KeyAdministrator`] } },
  });
  key.grantEncryptDecrypt(application.arn);
  return stack;
}

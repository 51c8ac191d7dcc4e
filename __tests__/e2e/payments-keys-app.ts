/**
 * A consumer's own CDKTF app, as examples/typescript-app builds it from the constructs, for
 * __tests__/e2e/status.test.ts: the key set in three regions with an application role that ECS
 * tasks assume, and no account id, so its key policies name the account of
 * `data.aws_caller_identity`. The e2e runs it as its project's cdktf.json app.
 */
import { App, TerraformStack } from "cdktf";
import { ApplicationRole, MultiRegionKey, RegionProviders } from "../../lib";

const app = new App();
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
  keyPolicy: { administrators: { principals: ["arn:aws:iam::111111111111:role/KeyAdministrator"] } },
});
key.grantEncryptDecrypt(application.arn);
app.synth();

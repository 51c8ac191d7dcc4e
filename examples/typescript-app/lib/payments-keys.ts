import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ApplicationRole, KeyLedger, MultiRegionKey, RegionProviders } from "multi-region-kms-keys";

/** The account that owns the keys. */
export const ACCOUNT_ID = "111111111111";

/**
 * The payments team's key set: a multi-region key in us-east-1 with replicas in eu-west-1 and
 * ap-southeast-1, the same alias in every region, and a key policy in each region that the key
 * writes itself: administrators who cannot use it, and the application, which can.
 */
export class PaymentsKeys extends TerraformStack {
  readonly key: MultiRegionKey;
  readonly application: ApplicationRole;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // #region ledger
    // The stack's key sets as deployed, committed beside the code: the synth refuses an edit that
    // would replace a key, and turns a renamed or dropped replica into moved or removed blocks.
    // It comes before the keys, which read it.
    new KeyLedger(this, "key-ledger", { path: "payments-keys.lock.json" });
    // #endregion ledger

    // #region key-set
    const providers = new RegionProviders(this, "providers", {
      regions: ["us-east-1", "eu-west-1", "ap-southeast-1"],
    });

    // The application runs on ECS; its tasks assume this role.
    this.application = new ApplicationRole(this, "application", {
      roleName: "payments-application",
      trustedServices: ["ecs-tasks.amazonaws.com"],
      provider: providers.forRegion("us-east-1"),
    });

    this.key = new MultiRegionKey(this, "payments", {
      providers,
      accountId: ACCOUNT_ID,
      primaryRegion: "us-east-1",
      aliasName: "alias/payments",
      description: "Payments data key",
      replicas: [
        { region: "eu-west-1", name: "eu" },
        { region: "ap-southeast-1", name: "apac" },
      ],
      keyPolicy: {
        administrators: { principals: [`arn:aws:iam::${ACCOUNT_ID}:role/KeyAdministrator`] },
      },
    });
    this.key.grantEncryptDecrypt(this.application.arn);
    // #endregion key-set
  }
}

import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ApplicationRole } from "../lib/application-role";
import { addBackend } from "../lib/backend";
import { KeyPolicy } from "../lib/key-policy";
import { adoptAddresses } from "../lib/moved-addresses";
import { MultiRegionKey, replicaName } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";
import { partitionOf } from "../lib/regions";
import { KeyPolicyConfig, StackConfig } from "./config";
import { bucketAddressName, ReplicatedBuckets } from "../lib/replicated-buckets";
import { GlobalTable, tableAddressName } from "../lib/global-table";
import { KeyMonitoring } from "../lib/monitoring";

/** The version of the AWS provider the synthesized Terraform requires (the local mirror's). */
export const AWS_PROVIDER_VERSION = "5.100.0";

/**
 * A multi-region key set built from a config file: one provider per region, the application
 * role, the key policies, the key with its replicas and aliases, and the backend.
 *
 * For the default config (`stacks/global-encrypt.json`) it is the reference document's
 * Terraform section, address for address.
 */
export class KeySetStack extends TerraformStack {
  readonly config: StackConfig;
  readonly providers: RegionProviders;
  readonly key: MultiRegionKey;
  /** The config's `replicatedBuckets`, each encrypted with the key of its region. */
  readonly replicatedBuckets: readonly ReplicatedBuckets[];
  /** The config's `globalTables`, each encrypted with the key of each of its regions. */
  readonly globalTables: readonly GlobalTable[];
  readonly applicationRole?: ApplicationRole;
  /** The config's `monitoring`: alarms, rules and a topic in every key region, and a dashboard. */
  readonly monitoring?: KeyMonitoring;

  constructor(scope: Construct, config: StackConfig) {
    super(scope, config.name);
    this.config = config;
    const primaryRegion = config.primaryRegion;

    this.providers = new RegionProviders(this, "providers", {
      regions: [primaryRegion, ...config.replicas.map((replica) => replica.region)],
    });
    const primaryProvider = this.providers.forRegion(primaryRegion);
    const rootArn = `arn:${partitionOf(primaryRegion)}:iam::${config.accountId}:root`;

    if (config.applicationRole) {
      this.applicationRole = new ApplicationRole(this, "application", {
        roleName: config.applicationRole.name,
        trustedPrincipals: config.applicationRole.trustedPrincipals ?? [rootArn],
        provider: primaryProvider,
      });
    }

    const keyPolicy = (id: string, region: string, policy: KeyPolicyConfig | undefined) =>
      policy && this.keyPolicy(id, region, policy);

    this.key = new MultiRegionKey(this, "key", {
      providers: this.providers,
      primaryRegion,
      currentPrimaryRegion: config.currentPrimaryRegion,
      aliasName: config.alias,
      description: config.description,
      enableKeyRotation: config.enableKeyRotation,
      rotationPeriodInDays: config.rotationPeriodInDays,
      deletionWindowInDays: config.deletionWindowInDays,
      tags: config.tags,
      policy: keyPolicy("key_policy", primaryRegion, config.keyPolicy)?.json,
      replicas: config.replicas.map((replica) => ({
        name: replica.name,
        region: replica.region,
        description: replica.description,
        enabled: replica.enabled,
        tags: replica.tags,
        policy: keyPolicy(`${replicaName(replica)}_key_policy`, replica.region, replica.keyPolicy)?.json,
      })),
    });

    const dataServices = { key: this.key, providers: this.providers };
    this.replicatedBuckets = config.replicatedBuckets.map(
      (buckets) => new ReplicatedBuckets(this, `buckets-${bucketAddressName(buckets.source)}`, { ...dataServices, ...buckets }),
    );
    this.globalTables = config.globalTables.map(
      (table) =>
        new GlobalTable(this, `table-${tableAddressName(table)}`, {
          ...dataServices,
          ...table,
          region: table.region ?? primaryRegion,
        }),
    );

    if (config.monitoring) {
      this.monitoring = new KeyMonitoring(this, "monitoring", {
        key: this.key,
        providers: this.providers,
        accountId: config.accountId,
        namePrefix: config.name,
        ...config.monitoring,
        dashboardRegion: primaryRegion,
      });
    }

    adoptAddresses(this, config.movedFrom);
    addBackend(this, config.name, config.backend);
    // cdktf writes the provider's short name; Terraform's canonical source is hashicorp/aws.
    this.addOverride("terraform.required_providers.aws", {
      source: "hashicorp/aws",
      version: AWS_PROVIDER_VERSION,
    });
  }

  private keyPolicy(id: string, region: string, policy: KeyPolicyConfig): KeyPolicy {
    const withApplicationRole = (grant: { principals: string[]; applicationRole: boolean }) => [
      ...(grant.applicationRole && this.applicationRole ? [this.applicationRole.arn] : []),
      ...grant.principals,
    ];
    return new KeyPolicy(this, id, {
      accountId: this.config.accountId,
      partition: partitionOf(region),
      provider: this.providers.forRegion(region),
      rootStatementSid: policy.rootSid,
      administrators: policy.administrators && {
        sid: policy.administrators.sid,
        principals: withApplicationRole(policy.administrators),
        actions: policy.administrators.actions,
      },
      users: policy.users.map((grant) => ({
        sid: grant.sid,
        principals: withApplicationRole(grant),
        actions: grant.actions,
      })),
      services: policy.services,
      keyRegions: [this.config.primaryRegion, ...this.config.replicas.map((replica) => replica.region)],
    });
  }
}

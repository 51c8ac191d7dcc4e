import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ApplicationRole, type ApplicationRoleReference } from "./application-role";
import { addBackend } from "./backend";
import {
  type ApplicationRoleConfig,
  type GrantConfig,
  type KeyConfig,
  type KeyPolicyAdditionsConfig,
  type KeyPolicyConfig,
  type KeyPolicySettingsConfig,
  keyAddressPrefix,
  keyOfEntry,
  keyPath,
  keyRegions,
  monitoringNamePrefix,
  type StackConfig,
} from "./config";
import { ConfigFileRecord } from "./config-file-record";
import type { GlobalTable } from "./global-table";
import { KeyLedger } from "./key-ledger";
import { type KeyPolicySettings, KMS_DEFAULT_KEY_POLICY } from "./key-policy";
import type { KeyMonitoring } from "./monitoring";
import { adoptAddresses } from "./moved-addresses";
import { type KeyPolicyChoice, MultiRegionKey } from "./multi-region-key";
import { RulePack, type RulePackOptions, takeCheckedJson } from "./policy/aspect";
import { RegionProviders } from "./region-providers";
import { isAwsRegion, partitionOf } from "./regions";
import type { ReplicatedBuckets } from "./replicated-buckets";
import { bucketAddressName, tableAddressName } from "./resource-names";
import { accountIdSchema, displayPath, formatPath, InvalidInputError, ProblemList, problemOf } from "./validation";

/**
 * The constructs a config may leave out, loaded when it uses them: the AWS provider bindings they
 * import (S3, DynamoDB, CloudWatch, EventBridge, SNS) take about 45 ms to load, a tenth of the
 * default stack's synth (docs/performance.md).
 */
const onDemand = {
  get ReplicatedBuckets() {
    return (require("./replicated-buckets") as typeof import("./replicated-buckets")).ReplicatedBuckets;
  },
  get GlobalTable() {
    return (require("./global-table") as typeof import("./global-table")).GlobalTable;
  },
  get KeyMonitoring() {
    return (require("./monitoring") as typeof import("./monitoring")).KeyMonitoring;
  },
};

/** The version of the AWS provider the synthesized Terraform requires (the local mirror's). */
export const AWS_PROVIDER_VERSION = "5.100.0";

export interface KeySetStackOptions {
  /**
   * The config file the stack was read from, named in messages.
   * @default none: messages name the stack
   */
  readonly configPath?: string;
  /**
   * Where the rule pack writes the stack's reviewable HCL when the stack passes (see RulePack).
   * @default the MRK_HCL_OUTDIR environment variable; no HCL when unset
   */
  readonly hclOutdir?: string;
  /**
   * The key ledger file (lib/key-ledger.ts), compared with and written when the stack synthesizes.
   * @default no ledger
   */
  readonly keyLedger?: string;
  /**
   * Receives the rule pack's report of the stack.
   * @default printed (see RulePack)
   */
  readonly report?: RulePackOptions["report"];
}

/**
 * The keys of a config file in one stack: one provider per region, the application role, and
 * per key its key policies, the key with its replicas and aliases; then the buckets, tables and
 * monitoring that use the keys, and the backend.
 *
 * For the default config (`stacks/global-encrypt.json`) it is the reference document's
 * Terraform section, address for address. A config that lists its `keys` puts each key's name
 * before its addresses (`aws_kms_key.sessions_primary`), so adding or removing a key leaves
 * every other key's addresses as they are.
 */
export class KeySetStack extends TerraformStack {
  readonly config: StackConfig;
  readonly providers: RegionProviders;
  /** Every key of the config, in its order. */
  readonly keys: readonly MultiRegionKey[];
  /** The config's `replicatedBuckets`, each encrypted with the key of its region. */
  readonly replicatedBuckets: readonly ReplicatedBuckets[];
  /** The config's `globalTables`, each encrypted with the key of each of its regions. */
  readonly globalTables: readonly GlobalTable[];
  readonly applicationRole?: ApplicationRoleReference;
  /** The config's `monitoring` of each key: alarms, rules and a topic in every key region, and a dashboard. */
  readonly monitoring: readonly KeyMonitoring[];

  /** The config file the stack was read from, for messages. */
  readonly configPath?: string;

  constructor(scope: Construct, config: StackConfig, options: KeySetStackOptions = {}) {
    super(scope, config.name);
    this.config = config;
    this.configPath = options.configPath;
    // Every construct checks its own props; each problem is reported at the config's field.
    const problems = new ProblemList();
    const build = <T>(
      make: () => T,
      base: (string | number)[],
      renames: Record<string, string> = {},
    ): T | undefined => {
      let made: T | undefined;
      problems.check(
        () => (made = make()),
        (line) => this.atConfigField(line, base, renames),
      );
      return made;
    };

    // The key ledger beside the config file (lib/key-ledger.ts), read before the keys.
    const ledger = options.keyLedger && new KeyLedger(this, "keys-lock", { path: options.keyLedger });

    // One provider per region of any key, in the order the keys name them, and of the regions
    // the ledger records (Terraform needs them to forget or destroy a key there). A region that
    // is not one is left out here, for the key to report where the config names it.
    this.providers = new RegionProviders(this, "providers", {
      regions: [...new Set([...config.keys.flatMap(keyRegions), ...(ledger ? ledger.regions : [])])].filter(
        isAwsRegion,
      ),
    });

    // IAM is global: the role takes the provider of the first key region (the primary's, when it
    // is one). Without a well-formed account id there is no root to trust: the keys report it.
    const [roleRegion] = this.providers.regions;
    this.applicationRole =
      config.applicationRole && roleRegion !== undefined && accountIdSchema.safeParse(config.accountId).success
        ? build(() => this.addApplicationRole(config.applicationRole!, roleRegion), ["applicationRole"], {
            roleName: "applicationRole.name",
          })
        : undefined;

    const keys = config.keys.map((key) => {
      const base = keyPath(config, key);
      return build(() => this.addKey(key), base, { aliasName: formatPath([...base, "alias"]), accountId: "accountId" });
    });
    const keyOf = (entry: { key?: string }) => {
      const found = keyOfEntry(config, entry);
      return "key" in found ? keys[config.keys.indexOf(found.key)] : undefined;
    };

    const buckets = config.replicatedBuckets.map(({ key, ...set }, i) => {
      const bucketsKey = keyOf({ key });
      return (
        bucketsKey &&
        build(
          () =>
            new onDemand.ReplicatedBuckets(this, `buckets-${bucketAddressName(set.source)}`, {
              key: bucketsKey,
              providers: this.providers,
              ...set,
            }),
          ["replicatedBuckets", i],
        )
      );
    });
    const tables = config.globalTables.map(({ key, ...table }, i) => {
      const tableKey = keyOf({ key });
      return (
        tableKey &&
        build(
          () =>
            new onDemand.GlobalTable(this, `table-${tableAddressName(table)}`, {
              key: tableKey,
              providers: this.providers,
              ...table,
              region: table.region ?? tableKey.regions[0],
            }),
          ["globalTables", i],
        )
      );
    });

    const monitoring = config.monitoring;
    const monitors = monitoring
      ? config.keys.map((key, i) => {
          const monitoredKey = keys[i];
          const base = keyPath(config, key);
          return (
            monitoredKey &&
            build(
              () =>
                new onDemand.KeyMonitoring(this, key.name === undefined ? "monitoring" : `monitoring-${key.name}`, {
                  key: monitoredKey,
                  providers: this.providers,
                  accountId: config.accountId,
                  namePrefix: monitoringNamePrefix(config, key),
                  addressPrefix: keyAddressPrefix(key),
                  ...monitoring,
                  dashboardRegion: key.primaryRegion,
                }),
              ["monitoring"],
              {
                accountId: "accountId",
                namePrefix:
                  key.name === undefined ? "name" : `${formatPath([...base, "name"])} (with the stack's name)`,
                key: "monitoring",
                dashboardRegion: formatPath([...base, "primaryRegion"]),
              },
            )
          );
        })
      : [];

    if (ledger) {
      for (const line of this.keySetsRecreated(ledger, keys)) problems.add(line);
    }
    build(() => addBackend(this, config.name, config.backend), ["backend"]);
    build(() => adoptAddresses(this, config.movedFrom), []);
    problems.throwIfAny();
    this.keys = keys.map((key) => key!);
    this.replicatedBuckets = buckets.map((set) => set!);
    this.globalTables = tables.map((table) => table!);
    this.monitoring = monitors.map((monitor) => monitor!);

    if (options.configPath) new ConfigFileRecord(this, "config-file", options.configPath);
    // The rule pack, with the config's settings: it runs when the app synthesizes.
    Aspects.of(this).add(
      new RulePack({
        ...config.policy,
        accountId: config.accountId,
        source: options.configPath,
        hclOutdir: options.hclOutdir,
        report: options.report,
      }),
    );
    // cdktf writes the provider's short name; Terraform's canonical source is hashicorp/aws.
    this.addOverride("terraform.required_providers.aws", {
      source: "hashicorp/aws",
      version: AWS_PROVIDER_VERSION,
    });
  }

  /** The key of a config in the reference document's form (one key at its top level), or the first of `keys`. */
  get key(): MultiRegionKey {
    return this.keys[0];
  }

  /** The key of the config's `keys` with this name; throws if there is none. */
  keyNamed(name: string): MultiRegionKey {
    const index = this.config.keys.findIndex((key) => key.name === name);
    if (index < 0) {
      throw new InvalidInputError(
        `key: "${name}" is not a key of stack ${this.config.name} (keys: ${this.config.keys.map((key) => key.name ?? "(one key, unnamed)").join(", ")})`,
      );
    }
    return this.keys[index];
  }

  /**
   * The stack's Terraform JSON. In a synth, cdktf asks for it to write `cdk.tf.json` right after
   * the rule pack checked it (lib/policy/aspect.ts): that JSON is the answer, rather than every
   * token resolved once more (a fifth of a large synth: docs/performance.md). Any other call
   * resolves the stack as it is now.
   */
  override toTerraform(): unknown {
    return takeCheckedJson(this) ?? super.toTerraform();
  }

  /**
   * A line of a construct's error as the config says it: the config file, then the field the
   * construct's prop comes from (`base` before the prop's path, or the field `renames` gives for
   * the prop). Other lines keep their text, after the config file.
   */
  private atConfigField(line: string, base: (string | number)[], renames: Record<string, string>): string {
    const source = this.configPath ? displayPath(this.configPath) : `config of stack ${this.config.name}`;
    const problem = problemOf(line);
    if (!problem) return `${source}: ${line}`;
    const [prop] = /^[A-Za-z_$][\w$]*/.exec(problem.path) ?? [""];
    const field = renames[prop] ?? formatPath([...base, prop]);
    return `${source}: ${field}${problem.path.slice(prop.length)}: ${problem.text}`;
  }

  /**
   * The config's application role, `aws_iam_role.application` (trusted by the account root
   * unless the config names who may assume it), or `data.aws_iam_role.application` or an ARN
   * for a role that exists already.
   */
  private addApplicationRole(role: ApplicationRoleConfig, region: string): ApplicationRoleReference {
    const provider = this.providers.forRegion(region);
    if ("arn" in role) return ApplicationRole.fromRoleArn(role.arn);
    if ("existing" in role) return ApplicationRole.fromRoleName(this, "application", role.name, provider);
    const trustsSomeone = role.trustedPrincipals !== undefined || role.trustedServices !== undefined;
    const root = `arn:${partitionOf(region)}:iam::${this.config.accountId}:root`;
    return new ApplicationRole(this, "application", {
      roleName: role.name,
      trustedPrincipals: trustsSomeone ? role.trustedPrincipals : [root],
      trustedServices: role.trustedServices,
      provider,
    });
  }

  /**
   * The keys the config declares at addresses the ledger does not know, while a key set the
   * ledger records in the same primary region is no longer declared: the same key set under
   * other addresses (an entry of `keys` renamed, the top-level key moved into `keys` or out of
   * it). Terraform would forget its keys and create new ones, and fail on the alias, which
   * exists already. One line each, at the key's field.
   */
  private keySetsRecreated(ledger: KeyLedger, keys: ReadonlyArray<MultiRegionKey | undefined>): string[] {
    const source = this.configPath ? displayPath(this.configPath) : `config of stack ${this.config.name}`;
    const leftOut = ledger.keySetsLeftOut();
    return this.config.keys.flatMap((key, i) => {
      const address = keys[i] && `aws_kms_key.${keys[i].addressPrefix}primary`;
      if (!address || address in ledger.previous) return [];
      const recorded = leftOut.find(([, record]) => record.primaryRegion === key.primaryRegion);
      if (!recorded) return [];
      const [oldAddress] = recorded;
      const oldName = /^aws_kms_key\.(.+)_primary$/.exec(oldAddress)?.[1];
      const keep =
        oldName === undefined
          ? "declare it at the top level of the config again"
          : `declare it as the entry of keys named "${oldName}"`;
      const field = key.name === undefined ? "(top level)" : formatPath([...keyPath(this.config, key), "name"]);
      return [
        `${source}: ${field}: declares the key set in ${key.primaryRegion} at ${address}, while the one the key ledger records there, at ${oldAddress}, is no longer declared: Terraform would forget its keys and create new ones. If it is the same key set, ${keep}, so that its addresses stay. To replace it on purpose, leave the old key set out in one change (it is forgotten) and add the new one, with another alias, in another`,
      ];
    });
  }

  /** One key of the config: the key, its replicas and aliases, and their key policies. */
  private addKey(key: KeyConfig): MultiRegionKey {
    return new MultiRegionKey(this, key.name === undefined ? "key" : `key-${key.name}`, {
      providers: this.providers,
      addressPrefix: keyAddressPrefix(key),
      accountId: this.config.accountId,
      primaryRegion: key.primaryRegion,
      currentPrimaryRegion: key.currentPrimaryRegion,
      aliasName: key.alias,
      description: key.description,
      enableKeyRotation: key.enableKeyRotation,
      rotationPeriodInDays: key.rotationPeriodInDays,
      deletionWindowInDays: key.deletionWindowInDays,
      tags: key.tags,
      keyPolicy: key.keyPolicy && this.keyPolicyChoice(key.keyPolicy),
      deletionProtection: key.deletionProtection,
      replicas: key.replicas.map((replica) => ({
        name: replica.name,
        region: replica.region,
        description: replica.description,
        enabled: replica.enabled,
        tags: replica.tags,
        keyPolicy: replica.keyPolicy && this.keyPolicyChoice(replica.keyPolicy),
        keyPolicyAdditions: replica.keyPolicyAdditions && this.keyPolicySettings(replica.keyPolicyAdditions),
        retire: replica.retire,
      })),
    });
  }

  /** A key policy section of the config as the key's choice: KMS's default, or settings. */
  private keyPolicyChoice(policy: KeyPolicyConfig): KeyPolicyChoice {
    return policy === KMS_DEFAULT_KEY_POLICY ? policy : this.keyPolicySettings(policy);
  }

  /** Key policy settings of the config as the key's: `applicationRole: true` becomes the role's ARN. */
  private keyPolicySettings(policy: KeyPolicySettingsConfig | KeyPolicyAdditionsConfig): KeyPolicySettings {
    const grant = ({ applicationRole, principals, ...rest }: GrantConfig) => ({
      ...rest,
      // The role after the config's principals, so that principals[i] is the config's principals[i].
      principals: [...principals, ...(applicationRole && this.applicationRole ? [this.applicationRole.arn] : [])],
    });
    return {
      ...("rootSid" in policy ? { rootSid: policy.rootSid } : {}),
      ...("administrators" in policy && policy.administrators ? { administrators: grant(policy.administrators) } : {}),
      users: policy.users.map(grant),
      services: policy.services,
      statements: policy.statements,
    };
  }
}

/**
 * The stack config file: its schema and how it is read.
 *
 * A config is JSON. Every field, its default and its rule is in the schema below, and the
 * README's config reference follows it. A config that breaks a rule is refused with one line
 * per problem that names the file, the field and the value: `stacks/x.json: replicas[1].region:
 * "eu-west-9" is not an AWS region ...`.
 */
import { z } from "zod";
import { readConfigJson } from "./config-file";
import {
  accountIdSchema,
  aliasNameSchema,
  awsRegionSchema,
  deletionWindowSchema,
  descriptionSchema,
  formatIssue,
  displayPath,
  formatPath,
  InvalidInputError,
  keyNameSchema,
  kmsActionSchema,
  principalArnSchema,
  regionSetProblems,
  replicaNameSchema,
  roleNameSchema,
  rotationPeriodSchema,
  statementIdSchema,
  tagsSchema,
} from "./validation";
import { resourceAddressSchema } from "./moved-addresses";
import { policyConfigSchema } from "./policy/suppressions";
import {
  alarmPeriodSchema,
  alarmShareSchema,
  evaluationPeriodsSchema,
  MAX_ALARM_WINDOW_SECONDS,
  MAX_NAME_PREFIX_LENGTH,
  missingPublishingServices,
  MONITORING_DEFAULTS,
  requestQuotaSchema,
} from "./monitoring";
import { servicePrincipalSchema } from "./validation";
import { globalTableProblems, tableAddressName } from "./global-table";
import { bucketAddressName, defaultReplicationRoleName, replicatedBucketsProblems } from "./replicated-buckets";
import {
  addressNameSchema,
  dynamoDbAttributeNameSchema,
  dynamoDbKeyTypeSchema,
  dynamoDbTableNameSchema,
  s3BucketNameSchema,
} from "./validation";

const grantSchema = z.strictObject({
  sid: statementIdSchema.optional(),
  principals: z.array(principalArnSchema).default([]),
  /** Adds the stack's application role (`aws_iam_role.application`) to the principals. */
  applicationRole: z.boolean().default(false),
  actions: z.array(kmsActionSchema).min(1, { error: "must name at least one action" }).optional(),
});

/** AWS services allowed to use the key (an SNS topic encrypted with it, and who publishes to it). */
const serviceGrantSchema = z.strictObject({
  sid: statementIdSchema.optional(),
  principals: z.array(servicePrincipalSchema).min(1, { error: "must name at least one service principal" }),
  actions: z.array(kmsActionSchema).min(1, { error: "must name at least one action" }).optional(),
});

const keyPolicySchema = z.strictObject({
  rootSid: statementIdSchema.default("EnableRootAccountAccess"),
  administrators: grantSchema.optional(),
  users: z.array(grantSchema).default([]),
  services: z.array(serviceGrantSchema).default([]),
});

/** Alarms, EventBridge rules and an SNS topic in every key region, a dashboard (lib/monitoring.ts). */
const monitoringSchema = z.strictObject({
  alarmAtShareOfQuota: alarmShareSchema.default(MONITORING_DEFAULTS.alarmAtShareOfQuota),
  periodInSeconds: alarmPeriodSchema.default(MONITORING_DEFAULTS.periodInSeconds),
  evaluationPeriods: evaluationPeriodsSchema.default(MONITORING_DEFAULTS.evaluationPeriods),
  /** Requests per second by region, for an account whose quota was raised. */
  quotaOverrides: z.record(awsRegionSchema, requestQuotaSchema).default({}),
});

const replicaSchema = z.strictObject({
  name: replicaNameSchema.optional(),
  region: awsRegionSchema,
  description: descriptionSchema.optional(),
  enabled: z.boolean().default(true),
  tags: tagsSchema.optional(),
  keyPolicy: keyPolicySchema.optional(),
});

const applicationRoleSchema = z.strictObject({
  name: roleNameSchema,
  /** @default the account root */
  trustedPrincipals: z.array(principalArnSchema).optional(),
});

const bucketSchema = z.strictObject({
  bucketName: s3BucketNameSchema,
  region: awsRegionSchema,
  /** @default the bucket name with "-" and "." as "_" */
  name: addressNameSchema.optional(),
});

/** S3 cross-region replication of SSE-KMS objects (lib/replicated-buckets.ts). */
const replicatedBucketsSchema = z.strictObject({
  /** @default the config's only key; required when the config lists several keys */
  key: keyNameSchema.optional(),
  source: bucketSchema,
  destinations: z.array(bucketSchema).min(1, { error: "must name at least one destination bucket" }),
  /** @default "<source bucketName>-replication" */
  replicationRoleName: roleNameSchema.optional(),
});

const tableKeySchema = z.strictObject({ name: dynamoDbAttributeNameSchema, type: dynamoDbKeyTypeSchema.default("S") });

/** A DynamoDB global table encrypted with the key of each region (lib/global-table.ts). */
const globalTableSchema = z.strictObject({
  /** @default the config's only key; required when the config lists several keys */
  key: keyNameSchema.optional(),
  tableName: dynamoDbTableNameSchema,
  /** @default the table name in lower case with other characters than a-z, 0-9 as "_" */
  name: addressNameSchema.optional(),
  /** @default the primary region of its key */
  region: awsRegionSchema.optional(),
  replicaRegions: z.array(awsRegionSchema).min(1, { error: "must name at least one replica region" }),
  hashKey: tableKeySchema,
  rangeKey: tableKeySchema.optional(),
  deletionProtection: z.boolean().default(true),
});

const backendSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("local"), path: z.string().min(1).optional() }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string().min(3, { error: "must be an S3 bucket name" }),
    key: z.string().min(1).optional(),
    region: awsRegionSchema,
    dynamodbTable: z.string().min(3).optional(),
  }),
  z.strictObject({
    type: z.literal("cloud"),
    organization: z.string().min(1),
    workspace: z.string().min(1).optional(),
    hostname: z.string().min(1).optional(),
  }),
]);

/**
 * The settings of one multi-region key. A config holds them at its top level (one key, the
 * reference document's form) or once per entry of `keys` (several keys in one stack).
 */
const keyFields = {
  primaryRegion: awsRegionSchema,
  /** The region of the primary now, after a failover; addresses stay put (lib/key-layout.ts). */
  currentPrimaryRegion: awsRegionSchema.optional(),
  alias: aliasNameSchema,
  description: descriptionSchema.optional(),
  enableKeyRotation: z.boolean().default(true),
  rotationPeriodInDays: rotationPeriodSchema.optional(),
  deletionWindowInDays: deletionWindowSchema.optional(),
  tags: tagsSchema.default({}),
  keyPolicy: keyPolicySchema.optional(),
  replicas: z.array(replicaSchema).min(1, { error: "must name at least one replica region" }),
};

/** The settings of a stack, whatever its keys. */
const stackFields = {
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
    error: 'must be lower-case letters, digits and "-", starting with a letter (it names the stack folder)',
  }),
  accountId: accountIdSchema,
  applicationRole: applicationRoleSchema.optional(),
  backend: backendSchema.default({ type: "local" }),
  /** S3 buckets replicated between the key's regions, each encrypted with its region's key. */
  replicatedBuckets: z.array(replicatedBucketsSchema).default([]),
  /** DynamoDB global tables encrypted with the key of each of their regions. */
  globalTables: z.array(globalTableSchema).default([]),
  /** Monitoring in every region of every key; off when left out. */
  monitoring: monitoringSchema.optional(),
  /** Addresses in a team's existing state, mapped to ours: `{ "aws_kms_key.main": "aws_kms_key.primary" }`. */
  movedFrom: z.record(resourceAddressSchema, z.string()).default({}),
  /** The policy rule pack: the minimum deletion window and the suppressions (lib/policy). */
  policy: policyConfigSchema.prefault({}),
};

/** An entry of `keys`: a key's settings and its name, which starts its Terraform addresses. */
const namedKeySchema = z.strictObject({ name: keyNameSchema, ...keyFields });

/** One key, at the top level: the reference document's form, and its addresses (`aws_kms_key.primary`). */
const singleKeyConfigSchema = z.strictObject({ ...stackFields, ...keyFields });

/** A list of keys, each with its own alias, regions and policies, in one stack. */
const keyListConfigSchema = z.strictObject({
  ...stackFields,
  keys: z.array(namedKeySchema).min(1, { error: "must name at least one key" }),
});

type SingleKeyConfig = z.output<typeof singleKeyConfigSchema>;
type StackFields = Omit<SingleKeyConfig, keyof typeof keyFields>;
type Problem = { path: (string | number)[]; input: unknown; message: string };

/**
 * One multi-region key of a config, defaults applied. `name` is set for an entry of `keys`
 * and starts the key's addresses; a config with one key at its top level leaves it out.
 */
export type KeyConfig = Omit<z.output<typeof namedKeySchema>, "name"> & { readonly name?: string };

/** A config as read from its file, defaults applied, with its keys as a list either way. */
export type StackConfig = StackFields & {
  /** The keys: one for a config in the reference document's form, else the config's `keys`. */
  readonly keys: readonly KeyConfig[];
};

/** A key policy section of a config. */
export type KeyPolicyConfig = z.output<typeof keyPolicySchema>;

/** The names of the key fields, which a config with `keys` holds in each entry, not at its top level. */
const KEY_FIELD_NAMES = Object.keys(keyFields);

/** The Terraform addresses of a config's key start with this: "" for the top-level key, `<name>_` for an entry of `keys`. */
export function keyAddressPrefix(key: Pick<KeyConfig, "name">): string {
  return key.name === undefined ? "" : `${key.name}_`;
}

/** The regions of a key, the primary's first. */
export function keyRegions(key: Pick<KeyConfig, "primaryRegion" | "replicas">): string[] {
  return [key.primaryRegion, ...key.replicas.map((replica) => replica.region)];
}

/**
 * Where one key breaks the rules that span its fields: its region set, its replica names, its
 * current primary region, rotation, and the grants of its key policies. Paths are the key's own.
 */
function keyProblems(key: z.output<z.ZodObject<typeof keyFields>>, hasApplicationRole: boolean): Problem[] {
  const problems: Problem[] = [];
  for (const problem of regionSetProblems(key.primaryRegion, key.replicas.map((r) => r.region))) {
    problems.push({ path: ["replicas", problem.index, "region"], input: problem.region, message: problem.message });
  }
  const names = new Set<string>();
  key.replicas.forEach((replica, index) => {
    if (replica.name === undefined) return;
    if (names.has(replica.name)) {
      problems.push({ path: ["replicas", index, "name"], input: replica.name, message: "is the name of another replica; names must be unique" });
    }
    names.add(replica.name);
  });
  const current = key.currentPrimaryRegion;
  if (current !== undefined && current !== key.primaryRegion) {
    const promoted = key.replicas.find((replica) => replica.region === current);
    if (!promoted || !promoted.enabled) {
      problems.push({
        path: ["currentPrimaryRegion"],
        input: current,
        message: promoted
          ? "holds a disabled replica (enabled: false); a disabled key cannot be the primary"
          : `is not a region of the key set (${keyRegions(key).join(", ")})`,
      });
    }
  }
  if (key.rotationPeriodInDays !== undefined && !key.enableKeyRotation) {
    problems.push({ path: ["rotationPeriodInDays"], input: key.rotationPeriodInDays, message: "needs enableKeyRotation, which is false" });
  }
  const policies = [
    { path: ["keyPolicy"], policy: key.keyPolicy },
    ...key.replicas.map((r, i) => ({ path: ["replicas", i, "keyPolicy"], policy: r.keyPolicy })),
  ];
  for (const { path, policy } of policies) {
    if (!policy) continue;
    const grants = [
      ...(policy.administrators ? [{ grant: policy.administrators, at: ["administrators"] }] : []),
      ...policy.users.map((grant, i) => ({ grant, at: ["users", i] })),
    ];
    for (const { grant, at } of grants) {
      if (grant.applicationRole && !hasApplicationRole) {
        problems.push({ path: [...path, ...at, "applicationRole"], input: true, message: "needs an applicationRole section in the config" });
      } else if (!grant.applicationRole && grant.principals.length === 0) {
        problems.push({
          path: [...path, ...at, "principals"],
          input: grant.principals,
          message: "must name at least one principal (or set applicationRole: true)",
        });
      }
    }
  }
  return problems;
}

/** Where the keys of a list clash: two keys with one name, or one alias (an alias names one key in a region). */
function keyListProblems(keys: readonly z.output<typeof namedKeySchema>[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  const aliases = new Set<string>();
  keys.forEach((key, index) => {
    if (names.has(key.name)) {
      problems.push({ path: ["keys", index, "name"], input: key.name, message: "is the name of another key; key names must be unique" });
    }
    if (aliases.has(key.alias)) {
      problems.push({ path: ["keys", index, "alias"], input: key.alias, message: "is the alias of another key; an alias names one key" });
    }
    names.add(key.name);
    aliases.add(key.alias);
  });
  return problems;
}

/** Checks that span the whole config: its keys, and the buckets, tables and monitoring that use them. */
function stackProblems(config: StackConfig, keyPaths: readonly (string | number)[][]): Problem[] {
  return [
    ...config.keys.flatMap((key, i) =>
      keyProblems(key, config.applicationRole !== undefined).map((p) => ({ ...p, path: [...keyPaths[i], ...p.path] })),
    ),
    ...bucketAndTableProblems(config),
    ...monitoringProblems(config, keyPaths),
  ];
}

/** A config in the reference document's form, with its one key moved into `keys`. */
function fromSingleKey(config: SingleKeyConfig): StackConfig {
  const stack: Record<string, unknown> = { ...config };
  const key: Record<string, unknown> = {};
  for (const field of KEY_FIELD_NAMES) {
    if (field in stack) key[field] = stack[field];
    delete stack[field];
  }
  return { ...(stack as StackFields), keys: [key as KeyConfig] };
}

const stackConfigFromSingleKey = singleKeyConfigSchema
  .superRefine((config, ctx) => {
    for (const problem of stackProblems(fromSingleKey(config), [[]])) ctx.addIssue({ code: "custom", ...problem });
  })
  .transform(fromSingleKey);

const stackConfigFromKeyList = keyListConfigSchema
  .superRefine((config, ctx) => {
    const problems = [
      ...keyListProblems(config.keys),
      ...stackProblems(config, config.keys.map((_, i) => ["keys", i])),
    ];
    for (const problem of problems) ctx.addIssue({ code: "custom", ...problem });
  })
  .transform((config): StackConfig => config);

/**
 * The key a bucket or table entry is encrypted with: the config's only key, or the entry of
 * `keys` its `key` names. A problem (at the entry's `key` field) when there is no such key.
 */
function keyOfEntry(config: StackConfig, entry: { key?: string }): { key: KeyConfig } | { problem: Omit<Problem, "path"> } {
  const names = config.keys.map((k) => k.name).join(", ");
  if (entry.key === undefined) {
    if (config.keys.length === 1) return { key: config.keys[0] };
    return { problem: { input: undefined, message: `is required: the config has several keys (${names}); name the one to encrypt with` } };
  }
  const key = config.keys.find((candidate) => candidate.name === entry.key);
  if (key) return { key };
  const message = config.keys.some((k) => k.name !== undefined)
    ? `is not a key of the config (${names})`
    : "names a key, but the config has one key at its top level; leave key out";
  return { problem: { input: entry.key, message } };
}

/**
 * Where the buckets and tables break the rules of lib/replicated-buckets.ts and lib/global-table.ts
 * (each in a region of its key, ...), and names used twice across them, at the config's paths.
 */
function bucketAndTableProblems(config: StackConfig): Problem[] {
  const problems: Problem[] = [];
  type EntryProblem = { path: readonly (string | number)[]; value: unknown; message: string };
  const at = (prefix: (string | number)[]) => (problem: EntryProblem) =>
    problems.push({ path: [...prefix, ...problem.path], input: problem.value, message: problem.message });
  /** The key of an entry, or undefined after reporting why it has none. */
  const keyOf = (prefix: (string | number)[], entry: { key?: string }): KeyConfig | undefined => {
    const found = keyOfEntry(config, entry);
    if ("key" in found) return found.key;
    problems.push({ path: [...prefix, "key"], ...found.problem });
    return undefined;
  };

  const bucketNames = new Set<string>();
  const bucketAddresses = new Set<string>();
  const roleNames = new Set<string>();
  config.replicatedBuckets.forEach((set, i) => {
    const report = at(["replicatedBuckets", i]);
    const key = keyOf(["replicatedBuckets", i], set);
    if (key) replicatedBucketsProblems(keyRegions(key), key.alias, set).forEach(report);
    const buckets = [set.source, ...set.destinations];
    buckets.forEach((bucket, j) => {
      const path = j === 0 ? ["source"] : ["destinations", j - 1];
      const name = bucketAddressName(bucket);
      if (bucketNames.has(bucket.bucketName)) {
        report({
          path: [...path, "bucketName"],
          value: bucket.bucketName,
          message: "is a bucket of another replicatedBuckets entry; each bucket is declared once",
        });
      } else if (bucketAddresses.has(name)) {
        report({
          path: [...path, "name"],
          value: name,
          message: "is the address name of a bucket of another replicatedBuckets entry; names must be unique",
        });
      }
    });
    for (const bucket of buckets) {
      bucketNames.add(bucket.bucketName);
      bucketAddresses.add(bucketAddressName(bucket));
    }
    const roleName = set.replicationRoleName ?? defaultReplicationRoleName(set.source.bucketName);
    if (roleNames.has(roleName)) {
      report({
        path: ["replicationRoleName"],
        value: roleName,
        message: "is the role of another replicatedBuckets entry; role names must be unique",
      });
    }
    roleNames.add(roleName);
  });

  const tableNames = new Set<string>();
  const tableAddresses = new Set<string>();
  config.globalTables.forEach((table, i) => {
    const report = at(["globalTables", i]);
    const key = keyOf(["globalTables", i], table);
    if (key) {
      const region = table.region ?? key.primaryRegion;
      globalTableProblems(keyRegions(key), key.alias, { ...table, region }).forEach(report);
    }
    const name = tableAddressName(table);
    if (tableNames.has(table.tableName)) {
      report({ path: ["tableName"], value: table.tableName, message: "is the name of another table; each table is declared once" });
    } else if (tableAddresses.has(name)) {
      report({ path: ["name"], value: name, message: "is the address name of another table; names must be unique" });
    }
    tableNames.add(table.tableName);
    tableAddresses.add(name);
  });
  return problems;
}

/**
 * Reads and validates a stack config file. Throws `InvalidInputError` whose message has one
 * line per problem, each naming the file, the field and the value.
 */
export function loadStackConfig(path: string): StackConfig {
  return parseStackConfig(readConfigJson(path), displayPath(path));
}

/**
 * Validates a config object; `source` names it in error messages. A config with `keys` lists
 * its keys; one without holds its only key at its top level (the reference document's form).
 */
export function parseStackConfig(data: unknown, source: string): StackConfig {
  const isObject = typeof data === "object" && data !== null && !Array.isArray(data);
  if (isObject && "keys" in data) {
    const misplaced = KEY_FIELD_NAMES.filter((field) => field in data);
    if (misplaced.length > 0) {
      const lines = misplaced.map(
        (field) => `${source}: ${field}: belongs in each entry of keys, not at the top level, when a config lists its keys`,
      );
      throw new InvalidInputError(lines.join("\n"));
    }
  }
  const schema = isObject && "keys" in data ? stackConfigFromKeyList : stackConfigFromSingleKey;
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${source}: ${formatIssue(formatPath(issue.path), issue)}`);
    throw new InvalidInputError(lines.join("\n"));
  }
  return result.data;
}

/**
 * The key of a config that a command works on: the config's only key, or the entry of `keys`
 * named `name`. `option` names the command-line option that gives `name`, for the error.
 */
export function selectKey(config: StackConfig, name: string | undefined, option = "--key"): { key: KeyConfig; index: number } {
  if (name === undefined) {
    if (config.keys.length === 1) return { key: config.keys[0], index: 0 };
    throw new InvalidInputError(
      `${option}: is required for stack ${config.name}, which has several keys (${config.keys.map((k) => k.name).join(", ")})`,
    );
  }
  const index = config.keys.findIndex((key) => key.name === name);
  if (index < 0) {
    throw new InvalidInputError(
      `${option}: ${JSON.stringify(name)} is not a key of stack ${config.name}` +
        (config.keys.some((k) => k.name !== undefined) ? ` (keys: ${config.keys.map((k) => k.name).join(", ")})` : " (it has one key; leave the option out)"),
    );
  }
  return { key: config.keys[index], index };
}

/**
 * Starts the AWS names of a key's monitoring resources (EventBridge rules, topics, alarms): the
 * stack's name, and the key's name for an entry of `keys` (`platform-sessions`).
 */
export function monitoringNamePrefix(config: Pick<StackConfig, "name">, key: Pick<KeyConfig, "name">): string {
  return key.name === undefined ? config.name : `${config.name}-${key.name}`;
}

/**
 * Where the monitoring section does not fit the rest of the config: the stack's name (and a
 * key's) starts EventBridge rule names, quota overrides name the keys' regions, the alarm window
 * is at most a day, and every region's key policy lets EventBridge and CloudWatch use the key
 * (they publish to an SNS topic encrypted with it). `keyPaths` are the paths of the keys.
 */
function monitoringProblems(config: StackConfig, keyPaths: readonly (string | number)[][]): Problem[] {
  const monitoring = config.monitoring;
  if (!monitoring) return [];
  const problems: Problem[] = [];
  const longest = config.keys
    .map((key, i) => ({ prefix: monitoringNamePrefix(config, key), path: key.name === undefined ? ["name"] : [...keyPaths[i], "name"], key }))
    .find(({ prefix }) => prefix.length > MAX_NAME_PREFIX_LENGTH);
  if (longest) {
    problems.push({
      path: longest.path,
      input: longest.key.name ?? config.name,
      message:
        longest.key.name === undefined
          ? `is longer than ${MAX_NAME_PREFIX_LENGTH} characters; with monitoring on it starts EventBridge rule names (at most 64)`
          : `makes "${longest.prefix}" with the stack's name, longer than ${MAX_NAME_PREFIX_LENGTH} characters; with monitoring on it starts EventBridge rule names (at most 64)`,
    });
  }
  const allRegions = [...new Set(config.keys.flatMap(keyRegions))];
  for (const region of Object.keys(monitoring.quotaOverrides)) {
    if (!allRegions.includes(region)) {
      problems.push({
        path: ["monitoring", "quotaOverrides", region],
        input: monitoring.quotaOverrides[region],
        message: `is for a region without a key of the set (${allRegions.join(", ")})`,
      });
    }
  }
  if (monitoring.periodInSeconds * monitoring.evaluationPeriods > MAX_ALARM_WINDOW_SECONDS) {
    problems.push({
      path: ["monitoring", "evaluationPeriods"],
      input: monitoring.evaluationPeriods,
      message: `periods of ${monitoring.periodInSeconds} s are more than CloudWatch's ${MAX_ALARM_WINDOW_SECONDS} s`,
    });
  }
  const why = "with monitoring on, EventBridge and CloudWatch publish to an SNS topic encrypted with the region's key";
  config.keys.forEach((key, k) => {
    const at = keyPaths[k];
    const policies = [
      { path: [...at, "keyPolicy"], region: key.primaryRegion, regionPath: [...at, "primaryRegion"], policy: key.keyPolicy },
      ...key.replicas.map((r, i) => ({
        path: [...at, "replicas", i, "keyPolicy"],
        region: r.region,
        regionPath: [...at, "replicas", i, "region"],
        policy: r.keyPolicy,
      })),
    ];
    for (const { path, region, regionPath, policy } of policies) {
      if (!policy) {
        problems.push({ path: regionPath, input: region, message: `has no keyPolicy; ${why}, so its key policy must let them use the key (keyPolicy.services)` });
        continue;
      }
      const missing = missingPublishingServices(policy.services);
      if (missing.length > 0) {
        problems.push({
          path: [...path, "services"],
          input: policy.services,
          message: `must let ${missing.join(" and ")} use the key (kms:Decrypt, kms:GenerateDataKey*); ${why}`,
        });
      }
    }
  });
  return problems;
}

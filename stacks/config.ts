/**
 * The stack config file: its schema and how it is read.
 *
 * A config is JSON. Every field, its default and its rule is in the schema below, and the
 * README's config reference follows it. A config that breaks a rule is refused with one line
 * per problem that names the file, the field and the value: `stacks/x.json: replicas[1].region:
 * "eu-west-9" is not an AWS region ...`.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { z } from "zod";
import {
  accountIdSchema,
  aliasNameSchema,
  awsRegionSchema,
  deletionWindowSchema,
  descriptionSchema,
  formatIssue,
  formatPath,
  InvalidInputError,
  kmsActionSchema,
  principalArnSchema,
  regionSetProblems,
  replicaNameSchema,
  roleNameSchema,
  rotationPeriodSchema,
  statementIdSchema,
  tagsSchema,
} from "../lib/validation";
import { resourceAddressSchema } from "../lib/moved-addresses";
import { policyConfigSchema } from "../lib/policy/suppressions";
import {
  alarmPeriodSchema,
  alarmShareSchema,
  evaluationPeriodsSchema,
  MAX_ALARM_WINDOW_SECONDS,
  MAX_NAME_PREFIX_LENGTH,
  missingPublishingServices,
  MONITORING_DEFAULTS,
  requestQuotaSchema,
} from "../lib/monitoring";
import { servicePrincipalSchema } from "../lib/validation";
import { globalTableProblems, tableAddressName } from "../lib/global-table";
import { bucketAddressName, defaultReplicationRoleName, replicatedBucketsProblems } from "../lib/replicated-buckets";
import {
  addressNameSchema,
  dynamoDbAttributeNameSchema,
  dynamoDbKeyTypeSchema,
  dynamoDbTableNameSchema,
  s3BucketNameSchema,
} from "../lib/validation";

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
  source: bucketSchema,
  destinations: z.array(bucketSchema).min(1, { error: "must name at least one destination bucket" }),
  /** @default "<source bucketName>-replication" */
  replicationRoleName: roleNameSchema.optional(),
});

const tableKeySchema = z.strictObject({ name: dynamoDbAttributeNameSchema, type: dynamoDbKeyTypeSchema.default("S") });

/** A DynamoDB global table encrypted with the key of each region (lib/global-table.ts). */
const globalTableSchema = z.strictObject({
  tableName: dynamoDbTableNameSchema,
  /** @default the table name in lower case with other characters than a-z, 0-9 as "_" */
  name: addressNameSchema.optional(),
  /** @default the primary region */
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

export const stackConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
      error: 'must be lower-case letters, digits and "-", starting with a letter (it names the stack folder)',
    }),
    accountId: accountIdSchema,
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
    applicationRole: applicationRoleSchema.optional(),
    replicas: z.array(replicaSchema).min(1, { error: "must name at least one replica region" }),
    backend: backendSchema.default({ type: "local" }),
    /** S3 buckets replicated between the key's regions, each encrypted with its region's key. */
    replicatedBuckets: z.array(replicatedBucketsSchema).default([]),
    /** DynamoDB global tables encrypted with the key of each of their regions. */
    globalTables: z.array(globalTableSchema).default([]),
    /** Monitoring in every region of the key; off when left out. */
    monitoring: monitoringSchema.optional(),
    /** Addresses in a team's existing state, mapped to ours: `{ "aws_kms_key.main": "aws_kms_key.primary" }`. */
    movedFrom: z.record(resourceAddressSchema, z.string()).default({}),
    /** The policy rule pack: the minimum deletion window and the suppressions (lib/policy). */
    policy: policyConfigSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    for (const problem of regionSetProblems(config.primaryRegion, config.replicas.map((r) => r.region))) {
      ctx.addIssue({
        code: "custom",
        path: ["replicas", problem.index, "region"],
        input: problem.region,
        message: problem.message,
      });
    }
    const names = new Set<string>();
    config.replicas.forEach((replica, index) => {
      if (replica.name === undefined) return;
      if (names.has(replica.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["replicas", index, "name"],
          input: replica.name,
          message: "is the name of another replica; names must be unique",
        });
      }
      names.add(replica.name);
    });
    const current = config.currentPrimaryRegion;
    if (current !== undefined && current !== config.primaryRegion) {
      const promoted = config.replicas.find((replica) => replica.region === current);
      if (!promoted || !promoted.enabled) {
        ctx.addIssue({
          code: "custom",
          path: ["currentPrimaryRegion"],
          input: current,
          message: promoted
            ? "holds a disabled replica (enabled: false); a disabled key cannot be the primary"
            : `is not a region of the key set (${[config.primaryRegion, ...config.replicas.map((r) => r.region)].join(", ")})`,
        });
      }
    }
    for (const problem of bucketAndTableProblems(config)) ctx.addIssue({ code: "custom", ...problem });
    for (const problem of monitoringProblems(config)) ctx.addIssue({ code: "custom", ...problem });
    if (config.rotationPeriodInDays !== undefined && !config.enableKeyRotation) {
      ctx.addIssue({
        code: "custom",
        path: ["rotationPeriodInDays"],
        input: config.rotationPeriodInDays,
        message: "needs enableKeyRotation, which is false",
      });
    }
    const policies = [
      { path: ["keyPolicy"], policy: config.keyPolicy },
      ...config.replicas.map((r, i) => ({ path: ["replicas", i, "keyPolicy"], policy: r.keyPolicy })),
    ];
    for (const { path, policy } of policies) {
      if (!policy) continue;
      const grants = [
        ...(policy.administrators ? [{ grant: policy.administrators, at: ["administrators"] }] : []),
        ...policy.users.map((grant, i) => ({ grant, at: ["users", i] })),
      ];
      for (const { grant, at } of grants) {
        if (grant.applicationRole && !config.applicationRole) {
          ctx.addIssue({
            code: "custom",
            path: [...path, ...at, "applicationRole"],
            input: true,
            message: "needs an applicationRole section in the config",
          });
        } else if (!grant.applicationRole && grant.principals.length === 0) {
          ctx.addIssue({
            code: "custom",
            path: [...path, ...at, "principals"],
            input: grant.principals,
            message: "must name at least one principal (or set applicationRole: true)",
          });
        }
      }
    }
  });

/**
 * Where the buckets and tables break the rules of lib/replicated-buckets.ts and lib/global-table.ts
 * (each in a region of the key, ...), and names used twice across them, at the config's paths.
 */
function bucketAndTableProblems(
  config: Pick<StackConfig, "primaryRegion" | "replicas" | "alias" | "replicatedBuckets" | "globalTables">,
): { path: (string | number)[]; input: unknown; message: string }[] {
  const keyRegions = [config.primaryRegion, ...config.replicas.map((replica) => replica.region)];
  const problems: { path: (string | number)[]; input: unknown; message: string }[] = [];
  type Problem = { path: readonly (string | number)[]; value: unknown; message: string };
  const at = (prefix: (string | number)[]) => (problem: Problem) =>
    problems.push({ path: [...prefix, ...problem.path], input: problem.value, message: problem.message });

  const bucketNames = new Set<string>();
  const bucketAddresses = new Set<string>();
  const roleNames = new Set<string>();
  config.replicatedBuckets.forEach((set, i) => {
    const report = at(["replicatedBuckets", i]);
    replicatedBucketsProblems(keyRegions, config.alias, set).forEach(report);
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
    const region = table.region ?? config.primaryRegion;
    globalTableProblems(keyRegions, config.alias, { ...table, region }).forEach(report);
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

/** A config as read from its file, defaults applied. */
export type StackConfig = z.output<typeof stackConfigSchema>;
/** A key policy section of a config. */
export type KeyPolicyConfig = z.output<typeof keyPolicySchema>;

/**
 * Reads and validates a stack config file. Throws `InvalidInputError` whose message has one
 * line per problem, each naming the file, the field and the value.
 */
export function loadStackConfig(path: string): StackConfig {
  const shownPath = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InvalidInputError(`${shownPath}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${shownPath}: is not valid JSON: ${describeJsonError(text, error as Error)}`);
  }
  return parseStackConfig(data, shownPath);
}

/** A path as short as it can be said: relative to the working folder when inside it. */
function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd && !fromCwd.startsWith("..") && !isAbsolute(fromCwd) ? fromCwd : path;
}

/** JSON.parse's message, with the line and column of the position it gives. */
function describeJsonError(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${error.message} (line ${line}, column ${column})`;
}

/** Validates a config object; `source` names it in error messages. */
export function parseStackConfig(data: unknown, source: string): StackConfig {
  const result = stackConfigSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${source}: ${formatIssue(formatPath(issue.path), issue)}`);
    throw new InvalidInputError(lines.join("\n"));
  }
  return result.data;
}

/**
 * Where the monitoring section does not fit the rest of the config: the stack's name starts
 * EventBridge rule names, quota overrides name the key's regions, the alarm window is at most a
 * day, and every region's key policy lets EventBridge and CloudWatch use the key (they publish
 * to an SNS topic encrypted with it).
 */
function monitoringProblems(
  config: Pick<StackConfig, "name" | "primaryRegion" | "keyPolicy" | "replicas" | "monitoring">,
): { path: (string | number)[]; input: unknown; message: string }[] {
  const monitoring = config.monitoring;
  if (!monitoring) return [];
  const problems: { path: (string | number)[]; input: unknown; message: string }[] = [];
  if (config.name.length > MAX_NAME_PREFIX_LENGTH) {
    problems.push({
      path: ["name"],
      input: config.name,
      message: `is longer than ${MAX_NAME_PREFIX_LENGTH} characters; with monitoring on it starts EventBridge rule names (at most 64)`,
    });
  }
  const keyRegions = [config.primaryRegion, ...config.replicas.map((replica) => replica.region)];
  for (const region of Object.keys(monitoring.quotaOverrides)) {
    if (!keyRegions.includes(region)) {
      problems.push({
        path: ["monitoring", "quotaOverrides", region],
        input: monitoring.quotaOverrides[region],
        message: `is for a region without a key of the set (${keyRegions.join(", ")})`,
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
  const policies = [
    { path: ["keyPolicy"], region: config.primaryRegion, regionPath: ["primaryRegion"], policy: config.keyPolicy },
    ...config.replicas.map((r, i) => ({ path: ["replicas", i, "keyPolicy"], region: r.region, regionPath: ["replicas", i, "region"], policy: r.keyPolicy })),
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
  return problems;
}

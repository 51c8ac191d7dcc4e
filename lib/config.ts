/**
 * The stack config file: its shape and how it is read.
 *
 * A config is JSON. Its fields map one to one to the props of the constructs (lib/key-set-stack.ts
 * builds them), and the constructs check the values: a region, an alias, a deletion window are
 * checked in one place, the construct, whether they come from a config file or from TypeScript.
 * This file checks only what a config file adds: its shape (field names and types), the stack's
 * and the keys' names, and the fields that tie the config's parts together (a bucket's `key`,
 * `applicationRole: true` in a grant, names used twice across entries).
 *
 * Every problem is one line that names the file, the field and the value:
 * `stacks/x.json: replicas[1].region: "eu-west-9" is not an AWS region ...`.
 *
 * The config reference (docs/config-reference.md, `npm run docs`) is generated from these
 * schemas, and each field's meaning is written once. A field that maps to a construct's prop is
 * documented by the prop's JSDoc (with its `@default`): its object's `.meta()` names the props
 * interface (`props`), and a field whose prop has another name says which (`prop`: a member of
 * that interface, or `Interface.member`). A field only the config has carries its own
 * `description`, and `defaultText` where the config fills in a default the prop does not have.
 */
import * as z from "zod";
import { readConfigJson } from "./config-file";
import { isObject, type Json } from "./json";
import { KMS_DEFAULT_KEY_POLICY } from "./key-policy";
import { policyConfigSchema } from "./policy/suppressions";
import { bucketAddressName, defaultReplicationRoleName, tableAddressName } from "./resource-names";
import { displayPath, formatIssue, formatPath, InvalidInputError, keyNameSchema } from "./validation";

const strings = z.array(z.string());

const grantSchema = z
  .strictObject({
    sid: z.string().optional(),
    principals: strings.default([]),
    applicationRole: z
      .boolean()
      .default(false)
      .meta({ description: "Adds the stack's application role (the config's `applicationRole`) to the principals." }),
    actions: strings.optional(),
  })
  .meta({ title: "Grant", props: "KeyPolicyGrant" });

/** AWS services allowed to use the key, with the confused-deputy conditions. */
const serviceGrantSchema = z
  .strictObject({
    sid: z.string().optional(),
    principals: strings,
    actions: strings.optional(),
    sourceArns: strings.optional(),
    sourceAccount: z.boolean().optional(),
  })
  .meta({ title: "Service grant", props: "KeyPolicyServiceGrant" });

/** A statement of your own, as Terraform's `statement` block writes it. */
const statementSchema = z
  .strictObject({
    sid: z.string(),
    effect: z.enum(["Allow", "Deny"]).optional(),
    principals: z.array(
      z
        .strictObject({ type: z.enum(["AWS", "Service", "Federated"]), identifiers: strings })
        .meta({ title: "Statement principal", props: "KeyPolicyPrincipal" }),
    ),
    actions: strings,
    conditions: z
      .array(
        z
          .strictObject({ test: z.string(), variable: z.string(), values: strings })
          .meta({ title: "Statement condition", props: "KeyPolicyCondition" }),
      )
      .optional(),
  })
  .meta({ title: "Statement", props: "KeyPolicyStatement" });

/** What a replica adds to the key's key policy in its region. */
const keyPolicyAdditionsSchema = z
  .strictObject({
    users: z.array(grantSchema).default([]),
    services: z.array(serviceGrantSchema).default([]),
    statements: z.array(statementSchema).default([]),
  })
  .meta({ title: "Key policy additions", props: "KeyPolicySettings" });

const keyPolicySettingsSchema = z
  .strictObject({
    rootSid: z.string().optional(),
    administrators: grantSchema.optional(),
    ...keyPolicyAdditionsSchema.shape,
  })
  .meta({ title: "Key policy", props: "KeyPolicySettings" });

/** A key policy: who may do what, or "kms-default" for KMS's default key policy (no policy argument). */
const keyPolicySchema = z.union([z.literal(KMS_DEFAULT_KEY_POLICY), keyPolicySettingsSchema]);

/** Alarms, EventBridge rules and an SNS topic in every key region, a dashboard (lib/monitoring.ts). */
const monitoringSchema = z
  .strictObject({
    alarmAtShareOfQuota: z.number().optional(),
    evaluationPeriods: z.number().optional(),
  })
  .meta({ title: "Monitoring", props: "KeyMonitoringProps" });

const tagsSchema = z.record(z.string(), z.string());

const replicaSchema = z
  .strictObject({
    name: z.string().optional(),
    region: z.string(),
    description: z.string().optional(),
    enabled: z.boolean().optional(),
    tags: tagsSchema.optional(),
    keyPolicy: keyPolicySchema.optional(),
    keyPolicyAdditions: keyPolicyAdditionsSchema.optional(),
    retire: z
      .strictObject({ reason: z.string(), deletionWindowInDays: z.number() })
      .meta({ title: "Retire", props: "ReplicaRetirement" })
      .optional(),
  })
  .meta({ title: "Replica", props: "ReplicaKeyProps" });

/**
 * The application's IAM role: one the stack declares (`name`, who may assume it), or one that
 * exists already and is only referred to (`existing: true` with its name, or its `arn`).
 */
const applicationRoleSchema = z.union(
  [
    z
      .strictObject({
        name: z.string().meta({ prop: "roleName" }),
        trustedPrincipals: strings
          .optional()
          .meta({ defaultText: "the account root, unless trustedServices are given" }),
        trustedServices: strings.optional(),
      })
      .meta({ title: "Application role, declared by the stack", props: "ApplicationRoleProps" }),
    z
      .strictObject({
        name: z.string().meta({
          description:
            "The name of a role that exists already: the stack looks it up (`data.aws_iam_role.application`) and never changes it.",
        }),
        existing: z.literal(true).meta({ description: "Says that the role exists already." }),
      })
      .meta({ title: "Application role that exists, by name" }),
    z
      .strictObject({
        arn: z.string().meta({ description: "The ARN of a role that exists already, used as it is (no look-up)." }),
      })
      .meta({ title: "Application role that exists, by ARN" }),
  ],
  {
    error:
      'must be one of { "name", "trustedPrincipals"?, "trustedServices"? } (a role the stack declares), { "name", "existing": true } or { "arn" } (a role that exists)',
  },
);

const bucketSchema = z
  .strictObject({
    bucketName: z.string(),
    region: z.string(),
    name: z.string().optional(),
  })
  .meta({ title: "Bucket", props: "ReplicatedBucketProps" });

/** The `key` of a bucket set or a table: which key of the config encrypts it. */
const entryKeySchema = z.string().optional().meta({
  description: "The name of the key (its entry of `keys`) that encrypts it, with the key of each region.",
  defaultText: "the config's only key; required when the config lists several keys",
});

/** S3 cross-region replication of SSE-KMS objects (lib/replicated-buckets.ts). */
const replicatedBucketsSchema = z
  .strictObject({
    key: entryKeySchema,
    source: bucketSchema,
    destinations: z.array(bucketSchema),
    replicationRoleName: z.string().optional(),
  })
  .meta({ title: "Replicated buckets", props: "ReplicatedBucketsProps" });

const tableKeySchema = z
  .strictObject({ name: z.string(), type: z.enum(["S", "N", "B"]).default("S") })
  .meta({ title: "Table key attribute", props: "TableKeyAttribute" });

/** A DynamoDB global table encrypted with the key of each region (lib/global-table.ts). */
const globalTableSchema = z
  .strictObject({
    key: entryKeySchema,
    tableName: z.string(),
    name: z.string().optional(),
    region: z.string().optional().meta({ defaultText: "the primary region of its key" }),
    replicaRegions: strings,
    hashKey: tableKeySchema,
    rangeKey: tableKeySchema.optional(),
    deletionProtection: z.boolean().default(true),
  })
  .meta({ title: "Global table", props: "GlobalTableProps" });

const backendSchema = z.discriminatedUnion("type", [
  z
    .strictObject({ type: z.literal("local"), path: z.string().min(1).optional() })
    .meta({ title: "Local backend", props: "LocalBackendConfig" }),
  z
    .strictObject({
      type: z.literal("s3"),
      bucket: z.string(),
      key: z.string().min(1).optional(),
      region: z.string(),
      dynamodbTable: z.string().optional(),
    })
    .meta({ title: "S3 backend", props: "S3BackendConfig" }),
  z
    .strictObject({
      type: z.literal("cloud"),
      organization: z.string().min(1),
      workspace: z.string().min(1).optional(),
      hostname: z.string().min(1).optional(),
    })
    .meta({ title: "HCP Terraform backend", props: "CloudBackendConfig" }),
]);

/**
 * The settings of one multi-region key (`MultiRegionKeyProps`). A config holds them at its top
 * level (one key, the reference document's form) or once per entry of `keys` (several keys in
 * one stack).
 */
const keyFields = {
  primaryRegion: z.string(),
  currentPrimaryRegion: z.string().optional(),
  alias: z.string().meta({ prop: "aliasName" }),
  description: z.string().optional(),
  enableKeyRotation: z.boolean().optional(),
  rotationPeriodInDays: z.number().optional(),
  deletionWindowInDays: z.number().optional(),
  tags: tagsSchema.optional(),
  keyPolicy: keyPolicySchema.optional(),
  deletionProtection: z
    .union([
      z.literal("on"),
      z.strictObject({ off: z.string() }).meta({ title: "Deletion protection off", props: "DeletionProtectionOff" }),
    ])
    .optional(),
  replicas: z.array(replicaSchema),
};

/** A stack's name: it names the stack's folder in cdktf's output and in the HCL's. */
export const stackNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
  error: 'must be lower-case letters, digits and "-", starting with a letter (it names the stack folder)',
});

/** The settings of a stack, whatever its keys. */
const stackFields = {
  $schema: z
    .string()
    .optional()
    .meta({ description: "The address of a JSON Schema, for your editor; the synth does not read it." }),
  name: stackNameSchema.meta({
    description:
      'The stack\'s name, and its folder in the output (`<out>/stacks/<name>`): 1 to 63 lower-case letters, digits and "-", starting with a letter.',
  }),
  accountId: z.string().meta({ prop: "MultiRegionKeyProps.accountId" }),
  applicationRole: applicationRoleSchema.optional().meta({
    description:
      "The application's IAM role: one the stack declares (`aws_iam_role.application`), or one that exists already and is only referred to. A grant with `applicationRole: true` puts it in a key policy.",
    defaultText: "no role",
  }),
  backend: backendSchema.default({ type: "local" }).meta({ description: "Where Terraform keeps the stack's state." }),
  replicatedBuckets: z.array(replicatedBucketsSchema).default([]).meta({
    description:
      "S3 buckets replicated between the key's regions, each encrypted with its region's key (docs/s3-and-dynamodb.md).",
  }),
  globalTables: z.array(globalTableSchema).default([]).meta({
    description: "DynamoDB global tables encrypted with the key of each of their regions (docs/s3-and-dynamodb.md).",
  }),
  monitoring: monitoringSchema.optional().meta({
    description:
      "Alarms, EventBridge rules and an SNS topic in every region of every key, and a dashboard (docs/monitoring.md).",
    defaultText: "no monitoring",
  }),
  movedFrom: z.record(z.string(), z.string()).default({}).meta({
    description:
      'Addresses in a team\'s existing state, mapped to ours: `{ "aws_kms_key.main": "aws_kms_key.primary" }`; the synth writes a `moved` block for each (docs/adopt.md).',
  }),
  policy: policyConfigSchema.prefault({}).meta({
    description:
      "The settings of the policy rule pack: the shortest deletion window, stricter readings, trusted accounts, suppressions (docs/policy-tests.md).",
  }),
};

/** An entry of `keys`: a key's settings and its name, which starts its Terraform addresses. */
const namedKeySchema = z
  .strictObject({
    name: keyNameSchema.meta({
      description:
        "The key's name, which starts each of its Terraform addresses (`aws_kms_key.<name>_primary`): 1 to 32 lower-case letters and digits, starting with a letter.",
    }),
    ...keyFields,
  })
  .meta({ title: "Key", props: "MultiRegionKeyProps" });

/** One key, at the top level: the reference document's form, and its addresses (`aws_kms_key.primary`). */
const singleKeyConfigSchema = z.strictObject({ ...stackFields, ...keyFields }).meta({ props: "MultiRegionKeyProps" });

/** A list of keys, each with its own alias, regions and policies, in one stack. */
const keyListConfigSchema = z.strictObject({
  ...stackFields,
  keys: z.array(namedKeySchema).min(1, { error: "must name at least one key" }).meta({
    description:
      "The keys of the stack, each with its own alias, regions and policies, in place of one key's fields at the top level.",
  }),
});

/**
 * The two forms of a config file, for tools that describe it (scripts/docs.ts writes the config
 * reference from them): one key at the top level, or a list of `keys`. To read a config, use
 * `loadStackConfig`, which also checks what ties its parts together.
 */
export const CONFIG_FILE_SCHEMAS = { oneKey: singleKeyConfigSchema, keyList: keyListConfigSchema } as const;

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

/** A key policy section of a config: "kms-default", or settings. */
export type KeyPolicyConfig = z.output<typeof keyPolicySchema>;

/** The settings of a key policy section. */
export type KeyPolicySettingsConfig = z.output<typeof keyPolicySettingsSchema>;

/** A replica's `keyPolicyAdditions`. */
export type KeyPolicyAdditionsConfig = z.output<typeof keyPolicyAdditionsSchema>;

/** The config's `applicationRole`. */
export type ApplicationRoleConfig = z.output<typeof applicationRoleSchema>;

/** A grant of users or administrators in a key policy section. */
export type GrantConfig = z.output<typeof grantSchema>;

/** The names of the key fields, which a config with `keys` holds in each entry, not at its top level. */
const KEY_FIELD_NAMES = Object.keys(keyFields);

/** The Terraform addresses of a config's key start with this: "" for the top-level key, `<name>_` for an entry of `keys`. */
export function keyAddressPrefix(key: Pick<KeyConfig, "name">): string {
  return key.name === undefined ? "" : `${key.name}_`;
}

/** The path of a key's fields in its config: `[]` for the top-level key, `["keys", i]` for an entry of `keys`. */
export function keyPath(config: StackConfig, key: KeyConfig): (string | number)[] {
  return key.name === undefined ? [] : ["keys", config.keys.indexOf(key)];
}

/** The regions of a key, the primary's first. */
export function keyRegions(key: Pick<KeyConfig, "primaryRegion" | "replicas">): string[] {
  return [key.primaryRegion, ...key.replicas.map((replica) => replica.region)];
}

/**
 * Grants that name the application role (`applicationRole: true`) need the config's
 * `applicationRole` section; the others must name a principal.
 */
function grantProblems(key: KeyConfig, hasApplicationRole: boolean): Problem[] {
  const problems: Problem[] = [];
  const policies = [
    { path: ["keyPolicy"], policy: key.keyPolicy },
    ...key.replicas.map((r, i) => ({ path: ["replicas", i, "keyPolicy"], policy: r.keyPolicy })),
    ...key.replicas.map((r, i) => ({ path: ["replicas", i, "keyPolicyAdditions"], policy: r.keyPolicyAdditions })),
  ];
  for (const { path, policy } of policies) {
    if (!policy || policy === KMS_DEFAULT_KEY_POLICY) continue;
    const grants = [
      ...("administrators" in policy && policy.administrators
        ? [{ grant: policy.administrators, at: ["administrators"] }]
        : []),
      ...policy.users.map((grant, i) => ({ grant, at: ["users", i] as (string | number)[] })),
    ];
    for (const { grant, at } of grants) {
      if (grant.applicationRole && !hasApplicationRole) {
        problems.push({
          path: [...path, ...at, "applicationRole"],
          input: true,
          message: "needs an applicationRole section in the config",
        });
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
      problems.push({
        path: ["keys", index, "name"],
        input: key.name,
        message: "is the name of another key; key names must be unique",
      });
    }
    if (aliases.has(key.alias)) {
      problems.push({
        path: ["keys", index, "alias"],
        input: key.alias,
        message: "is the alias of another key; an alias names one key",
      });
    }
    names.add(key.name);
    aliases.add(key.alias);
  });
  return problems;
}

/** What ties the config's parts together: the grants and the keys, and the buckets and tables that use them. */
function stackProblems(config: StackConfig): Problem[] {
  return [
    ...config.keys.flatMap((key) =>
      grantProblems(key, config.applicationRole !== undefined).map((p) => ({
        ...p,
        path: [...keyPath(config, key), ...p.path],
      })),
    ),
    ...bucketAndTableProblems(config),
  ];
}

/** A config in the reference document's form, with its one key moved into `keys`. */
function fromSingleKey(config: SingleKeyConfig): StackConfig {
  const stack: Json = { ...config };
  const key: Json = {};
  for (const field of KEY_FIELD_NAMES) {
    if (field in stack) key[field] = stack[field];
    delete stack[field];
  }
  return { ...(stack as StackFields), keys: [key as KeyConfig] };
}

const stackConfigFromSingleKey = singleKeyConfigSchema
  .superRefine((config, ctx) => {
    for (const problem of stackProblems(fromSingleKey(config))) ctx.addIssue({ code: "custom", ...problem });
  })
  .transform(fromSingleKey);

const stackConfigFromKeyList = keyListConfigSchema
  .superRefine((config, ctx) => {
    for (const problem of [...keyListProblems(config.keys), ...stackProblems(config)])
      ctx.addIssue({ code: "custom", ...problem });
  })
  .transform((config): StackConfig => config);

/**
 * The key a bucket or table entry is encrypted with: the config's only key, or the entry of
 * `keys` its `key` names. A problem (at the entry's `key` field) when there is no such key.
 */
export function keyOfEntry(
  config: StackConfig,
  entry: { key?: string },
): { key: KeyConfig } | { problem: Omit<Problem, "path"> } {
  const names = config.keys.map((k) => k.name).join(", ");
  if (entry.key === undefined) {
    if (config.keys.length === 1) return { key: config.keys[0] };
    return {
      problem: {
        input: undefined,
        message: `is required: the config has several keys (${names}); name the one to encrypt with`,
      },
    };
  }
  const key = config.keys.find((candidate) => candidate.name === entry.key);
  if (key) return { key };
  const message = config.keys.some((k) => k.name !== undefined)
    ? `is not a key of the config (${names})`
    : "names a key, but the config has one key at its top level; leave key out";
  return { problem: { input: entry.key, message } };
}

/**
 * Where the buckets and tables do not fit the config: an entry's `key` that names no key, and
 * bucket, role and table names used by two entries (each entry checks its own, as a construct).
 */
function bucketAndTableProblems(config: StackConfig): Problem[] {
  const problems: Problem[] = [];
  const checkKey = (prefix: (string | number)[], entry: { key?: string }) => {
    const found = keyOfEntry(config, entry);
    if ("problem" in found) problems.push({ path: [...prefix, "key"], ...found.problem });
  };

  const bucketNames = new Set<string>();
  const bucketAddresses = new Set<string>();
  const roleNames = new Set<string>();
  config.replicatedBuckets.forEach((set, i) => {
    const at = ["replicatedBuckets", i];
    checkKey(at, set);
    const buckets = [set.source, ...set.destinations];
    buckets.forEach((bucket, j) => {
      const path = [...at, ...(j === 0 ? ["source"] : ["destinations", j - 1])];
      const name = bucketAddressName(bucket);
      if (bucketNames.has(bucket.bucketName)) {
        problems.push({
          path: [...path, "bucketName"],
          input: bucket.bucketName,
          message: "is a bucket of another replicatedBuckets entry; each bucket is declared once",
        });
      } else if (bucketAddresses.has(name)) {
        problems.push({
          path: [...path, "name"],
          input: name,
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
      problems.push({
        path: [...at, "replicationRoleName"],
        input: roleName,
        message: "is the role of another replicatedBuckets entry; role names must be unique",
      });
    }
    roleNames.add(roleName);
  });

  const tableNames = new Set<string>();
  const tableAddresses = new Set<string>();
  config.globalTables.forEach((table, i) => {
    const at = ["globalTables", i];
    checkKey(at, table);
    const name = tableAddressName(table);
    if (tableNames.has(table.tableName)) {
      problems.push({
        path: [...at, "tableName"],
        input: table.tableName,
        message: "is the name of another table; each table is declared once",
      });
    } else if (tableAddresses.has(name)) {
      problems.push({
        path: [...at, "name"],
        input: name,
        message: "is the address name of another table; names must be unique",
      });
    }
    tableNames.add(table.tableName);
    tableAddresses.add(name);
  });
  return problems;
}

/**
 * Reads a stack config file and checks its shape (not its values: the constructs check those,
 * see lib/config-app.ts `loadStack`). Throws `InvalidInputError` whose message has one line per
 * problem, each naming the file, the field and the value.
 */
export function loadStackConfig(path: string): StackConfig {
  return parseStackConfig(readConfigJson(path), displayPath(path));
}

/**
 * Checks the shape of a config object; `source` names it in error messages. A config with
 * `keys` lists its keys; one without holds its only key at its top level (the reference
 * document's form).
 */
export function parseStackConfig(data: unknown, source: string): StackConfig {
  if (isObject(data) && "keys" in data) {
    const misplaced = KEY_FIELD_NAMES.filter((field) => field in data);
    if (misplaced.length > 0) {
      const lines = misplaced.map(
        (field) =>
          `${source}: ${field}: belongs in each entry of keys, not at the top level, when a config lists its keys`,
      );
      throw new InvalidInputError(lines.join("\n"));
    }
  }
  const schema = isObject(data) && "keys" in data ? stackConfigFromKeyList : stackConfigFromSingleKey;
  // Parsed once per synth: zod compiling a fast path for each object schema costs more than it saves.
  const result = schema.safeParse(data, { reportInput: true, jitless: true });
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
export function selectKey(
  config: StackConfig,
  name: string | undefined,
  option = "--key",
): { key: KeyConfig; index: number } {
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
        (config.keys.some((k) => k.name !== undefined)
          ? ` (keys: ${config.keys.map((k) => k.name).join(", ")})`
          : " (it has one key; leave the option out)"),
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

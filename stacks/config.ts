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

const grantSchema = z.strictObject({
  sid: statementIdSchema.optional(),
  principals: z.array(principalArnSchema).default([]),
  /** Adds the stack's application role (`aws_iam_role.application`) to the principals. */
  applicationRole: z.boolean().default(false),
  actions: z.array(kmsActionSchema).min(1, { error: "must name at least one action" }).optional(),
});

const keyPolicySchema = z.strictObject({
  rootSid: statementIdSchema.default("EnableRootAccountAccess"),
  administrators: grantSchema.optional(),
  users: z.array(grantSchema).default([]),
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
    /** Addresses in a team's existing state, mapped to ours: `{ "aws_kms_key.main": "aws_kms_key.primary" }`. */
    movedFrom: z.record(resourceAddressSchema, z.string()).default({}),
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

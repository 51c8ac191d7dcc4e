/**
 * The rules for every value a user gives us, written once as zod schemas.
 *
 * The constructs check their props with them (`checkProp`), and the stack config schema
 * (`stacks/config.ts`) is assembled from them, so a rule reads the same wherever it applies.
 * Each message is a predicate ("must be ...", "is not ...") that `formatIssue` puts after the
 * field and the value it got: `aliasName: "alias/aws/x" is reserved for AWS managed keys`.
 */
import { Token } from "cdktf";
import * as z from "zod";
import { InvalidInputError } from "./invalid-input";
import { isObject } from "./json";
import { isAwsRegion, partitionOf } from "./regions";
import { escapeUnsafe, unsafeCharacterProblem } from "./unsafe-characters";

export { displayPath, InvalidInputError } from "./invalid-input";
export { unsafeCharacterProblem } from "./unsafe-characters";

/** One line of a construct's `InvalidInputError`, taken apart. */
export interface PropProblem {
  /** `MultiRegionKey`, `ApplicationRole.fromRoleArn`. */
  readonly construct: string;
  /** The path of the prop: `replicas[1].region`, `keyPolicy.users[0].principals[0]`. */
  readonly path: string;
  /** What is wrong, after the path: `"eu-west-9" is not an AWS region ...`. */
  readonly text: string;
}

const PROP_PROBLEM =
  /^([A-Z][A-Za-z]*(?:\.[A-Za-z]+)?) ((?:[A-Za-z_$][\w$]*|\[[^\]]*\])(?:\.[A-Za-z_$][\w$]*|\[[^\]]*\])*): (.*)$/s;

/** A line of a construct's error as construct, prop path and text; undefined for any other line. */
export function problemOf(line: string): PropProblem | undefined {
  const match = PROP_PROBLEM.exec(line);
  return match ? { construct: match[1], path: match[2], text: match[3] } : undefined;
}

/**
 * Collects the problems of several checks, to report them together: each `check` that throws
 * an `InvalidInputError` adds its lines (mapped by `map`, when given), anything else is a bug
 * and is thrown at once.
 */
export class ProblemList {
  private readonly lines: string[] = [];

  /** Runs `run`; returns whether it passed. */
  check(run: () => void, map: (line: string) => string = (line) => line): boolean {
    try {
      run();
      return true;
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      this.lines.push(...error.message.split("\n").map(map));
      return false;
    }
  }

  /** Adds a problem found without a check. */
  add(line: string): void {
    this.lines.push(line);
  }

  /** Throws one `InvalidInputError` with every problem, one per line (each once), if there is any. */
  throwIfAny(): void {
    if (this.lines.length > 0) throw new InvalidInputError([...new Set(this.lines)].join("\n"));
  }
}

export const awsRegionSchema = z.string().refine(isAwsRegion, {
  error: "is not an AWS region the AWS provider 5.100.0 knows (for example us-east-1, eu-west-1, ap-southeast-1)",
});

export const MAX_ALIAS_NAME_LENGTH = 256;

/** The shortest reason a deliberate exception (deletion protection off, a retire) may give. */
export const MIN_REASON_LENGTH = 10;

/** Why a safeguard is set aside: a sentence a reviewer can judge. */
export const reasonSchema = z.string().refine((reason) => reason.trim().length >= MIN_REASON_LENGTH, {
  error: `must say why, in at least ${MIN_REASON_LENGTH} characters`,
});

/** KMS alias names: `alias/` + letters, digits, `/`, `_`, `-`; never under `alias/aws/`. */
export const aliasNameSchema = z
  .string()
  .startsWith("alias/", { error: 'must start with "alias/"', abort: true })
  .max(MAX_ALIAS_NAME_LENGTH, {
    error: `is longer than ${MAX_ALIAS_NAME_LENGTH} characters`,
    abort: true,
  })
  .regex(/^alias\/[A-Za-z0-9/_-]+$/, {
    error: 'may contain only letters, digits, "/", "_" and "-" after "alias/"',
    abort: true,
  })
  .refine((name) => !name.startsWith("alias/aws/"), {
    error: 'is reserved: names under "alias/aws/" belong to AWS managed keys',
  });

/** The deletion windows KMS accepts (ScheduleKeyDeletion's PendingWindowInDays), in days. */
export const MIN_DELETION_WINDOW_DAYS = 7;
export const MAX_DELETION_WINDOW_DAYS = 30;
/** KMS's deletion window when none is given. */
export const KMS_DEFAULT_DELETION_WINDOW_DAYS = 30;

const DELETION_WINDOW_RANGE = `must be from ${MIN_DELETION_WINDOW_DAYS} to ${MAX_DELETION_WINDOW_DAYS} days`;

export const deletionWindowSchema = z
  .number()
  .int({ error: "must be a whole number of days" })
  .min(MIN_DELETION_WINDOW_DAYS, { error: DELETION_WINDOW_RANGE })
  .max(MAX_DELETION_WINDOW_DAYS, { error: DELETION_WINDOW_RANGE });

/** The rotation periods KMS accepts (EnableKeyRotation's RotationPeriodInDays), in days. */
export const MIN_ROTATION_PERIOD_DAYS = 90;
export const MAX_ROTATION_PERIOD_DAYS = 2560;
/** KMS's rotation period when none is given. */
export const KMS_DEFAULT_ROTATION_PERIOD_DAYS = 365;

const ROTATION_PERIOD_RANGE = `must be from ${MIN_ROTATION_PERIOD_DAYS} to ${MAX_ROTATION_PERIOD_DAYS} days`;

export const rotationPeriodSchema = z
  .number()
  .int({ error: "must be a whole number of days" })
  .min(MIN_ROTATION_PERIOD_DAYS, { error: ROTATION_PERIOD_RANGE })
  .max(MAX_ROTATION_PERIOD_DAYS, { error: ROTATION_PERIOD_RANGE });

export const accountIdSchema = z.string().regex(/^\d{12}$/, {
  error: "must be a 12-digit AWS account id",
});

/** An IAM principal a key policy can name: an account root, a role or a user. */
export const principalArnSchema = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/, {
    error: "must be an IAM role, user or account root ARN, like arn:aws:iam::111111111111:role/Name",
  });

/** An IAM role's ARN: `arn:aws:iam::111111111111:role/path/Name`. */
export const roleArnSchema = z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
  error: "must be an IAM role ARN, like arn:aws:iam::111111111111:role/Name",
});

/** An AWS service principal a key policy can name: `events.amazonaws.com`, `cloudwatch.amazonaws.com`. */
export const servicePrincipalSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/, {
  error: "must be an AWS service principal, like events.amazonaws.com",
});

/** IAM's longest role name. */
export const MAX_ROLE_NAME_LENGTH = 64;

/** IAM role names: 1 to `MAX_ROLE_NAME_LENGTH` of letters, digits and `+=,.@_-`. */
export const roleNameSchema = z.string().regex(new RegExp(String.raw`^[\w+=,.@-]{1,${MAX_ROLE_NAME_LENGTH}}$`), {
  error: `must be 1 to ${MAX_ROLE_NAME_LENGTH} letters, digits or "+=,.@_-" (an IAM role name)`,
});

/** KMS actions as key policies name them: `kms:Decrypt`, `kms:Get*`, `kms:*`. */
export const kmsActionSchema = z.string().regex(/^kms:(\*|[A-Z][A-Za-z]*\*?)$/, {
  error: 'must be a KMS action such as "kms:Decrypt" or "kms:Get*"',
});

/** Statement ids: letters and digits only (IAM's rule for key policies). */
export const statementIdSchema = z.string().regex(/^[A-Za-z0-9]+$/, {
  error: "must be letters and digits only (an IAM statement id)",
});

/** A string with no character `unsafeCharacterProblem` refuses. */
const plainText = () =>
  z.string().check((ctx) => {
    const problem = unsafeCharacterProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });

/** KMS's longest key description. */
const MAX_DESCRIPTION_LENGTH = 8192;

/** Key descriptions: at most `MAX_DESCRIPTION_LENGTH` characters, no control or bidirectional characters. */
export const descriptionSchema = plainText().max(MAX_DESCRIPTION_LENGTH, {
  error: `is longer than ${MAX_DESCRIPTION_LENGTH} characters`,
});

/** The tag key prefix AWS reserves for its own tags, in any case (`aws:`, `AWS:`). */
const RESERVED_TAG_PREFIX = /^aws:/i;

/** What KMS accepts of a key's tags: the longest key, the longest value, the most tags. */
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;
const MAX_TAGS = 50;

/**
 * Resource tags as KMS accepts them: keys 1 to `MAX_TAG_KEY_LENGTH` characters, never starting
 * with `aws:` (reserved by AWS), values up to `MAX_TAG_VALUE_LENGTH`, at most `MAX_TAGS`; no
 * control or bidirectional characters.
 */
export const tagsSchema = z
  .record(
    plainText()
      .min(1, { error: "must not be empty" })
      .max(MAX_TAG_KEY_LENGTH, { error: `is longer than ${MAX_TAG_KEY_LENGTH} characters` })
      .refine((key) => !RESERVED_TAG_PREFIX.test(key), {
        error: 'starts with "aws:", a prefix AWS reserves for its own tags',
      }),
    plainText().max(MAX_TAG_VALUE_LENGTH, { error: `is longer than ${MAX_TAG_VALUE_LENGTH} characters` }),
  )
  .refine((tags) => Object.keys(tags).length <= MAX_TAGS, { error: `has more than ${MAX_TAGS} tags` });

/**
 * Replica names become Terraform addresses (`aws_kms_replica_key.eu`): lower-case letters,
 * digits and `_`, starting with a letter. `primary` names the primary key's resources.
 */
export const replicaNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, {
    error: 'must start with a lower-case letter and contain only a-z, 0-9 and "_" (it becomes a Terraform address)',
    abort: true,
  })
  .refine((name) => name !== "primary", { error: "is reserved for the primary key" });

/** The longest name of a key in a config's list of keys. */
const MAX_KEY_NAME_LENGTH = 32;

/**
 * The name of a key in a config's list of keys. It starts every Terraform address of the key
 * (`aws_kms_key.sessions_primary`, `aws_kms_replica_key.sessions_eu`), so it has no "_": then no
 * two keys' addresses can meet, whatever their replicas are called.
 */
export const keyNameSchema = z.string().regex(new RegExp(`^[a-z][a-z0-9]{0,${MAX_KEY_NAME_LENGTH - 1}}$`), {
  error: `must be 1 to ${MAX_KEY_NAME_LENGTH} lower-case letters and digits, starting with a letter (it starts the key's Terraform addresses)`,
});

/**
 * Names that become the last part of a Terraform address (`aws_s3_bucket.<name>`,
 * `aws_dynamodb_table.<name>`): lower-case letters, digits and `_`, starting with a letter.
 */
export const addressNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, {
  error: 'must start with a lower-case letter and contain only a-z, 0-9 and "_" (it becomes a Terraform address)',
});

/** The lengths of S3 general purpose bucket names. */
const MIN_S3_BUCKET_NAME_LENGTH = 3;
const MAX_S3_BUCKET_NAME_LENGTH = 63;
const S3_BUCKET_NAME_LENGTHS = `must be ${MIN_S3_BUCKET_NAME_LENGTH} to ${MAX_S3_BUCKET_NAME_LENGTH} characters (an S3 bucket name)`;

/** S3 general purpose bucket names, by S3's naming rules. */
export const s3BucketNameSchema = z
  .string()
  .min(MIN_S3_BUCKET_NAME_LENGTH, { error: S3_BUCKET_NAME_LENGTHS, abort: true })
  .max(MAX_S3_BUCKET_NAME_LENGTH, { error: S3_BUCKET_NAME_LENGTHS, abort: true })
  .regex(/^[a-z0-9.-]+$/, {
    error: 'must contain only lower-case letters, digits, "." and "-" (an S3 bucket name)',
    abort: true,
  })
  .regex(/^[a-z0-9].*[a-z0-9]$/, {
    error: "must begin and end with a letter or a digit (an S3 bucket name)",
    abort: true,
  })
  .refine((name) => !name.includes(".."), { error: 'must not contain ".." (an S3 bucket name)', abort: true })
  .refine((name) => !/^\d+\.\d+\.\d+\.\d+$/.test(name), {
    error: "must not look like an IP address (an S3 bucket name)",
    abort: true,
  })
  .refine((name) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(name), {
    error: 'must not start with "xn--", "sthree-" or "amzn-s3-demo-" (reserved by S3)',
    abort: true,
  })
  .refine((name) => !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name), {
    error: 'must not end with "-s3alias", "--ol-s3", ".mrap", "--x-s3" or "--table-s3" (reserved by S3)',
  });

/** The lengths of DynamoDB table names. */
const MIN_DYNAMODB_TABLE_NAME_LENGTH = 3;
const MAX_DYNAMODB_TABLE_NAME_LENGTH = 255;

/** DynamoDB table names: `MIN_DYNAMODB_TABLE_NAME_LENGTH` to `MAX_DYNAMODB_TABLE_NAME_LENGTH` letters, digits, `_`, `-` and `.`. */
export const dynamoDbTableNameSchema = z
  .string()
  .regex(new RegExp(`^[A-Za-z0-9_.-]{${MIN_DYNAMODB_TABLE_NAME_LENGTH},${MAX_DYNAMODB_TABLE_NAME_LENGTH}}$`), {
    error: `must be ${MIN_DYNAMODB_TABLE_NAME_LENGTH} to ${MAX_DYNAMODB_TABLE_NAME_LENGTH} letters, digits, "_", "-" or "." (a DynamoDB table name)`,
  });

/** The longest DynamoDB key attribute name. */
const MAX_DYNAMODB_KEY_ATTRIBUTE_NAME_LENGTH = 255;

/** DynamoDB key attribute names: 1 to `MAX_DYNAMODB_KEY_ATTRIBUTE_NAME_LENGTH` characters. */
export const dynamoDbAttributeNameSchema = plainText()
  .min(1, { error: "must not be empty" })
  .max(MAX_DYNAMODB_KEY_ATTRIBUTE_NAME_LENGTH, {
    error: `is longer than ${MAX_DYNAMODB_KEY_ATTRIBUTE_NAME_LENGTH} characters (a DynamoDB attribute name)`,
  });

/** DynamoDB key attribute types: string, number or binary. */
export const dynamoDbKeyTypeSchema = z.enum(["S", "N", "B"]);

/** One problem with the set of regions of a key, at the index of the replica it concerns. */
export interface RegionSetProblem {
  readonly index: number;
  readonly region: string;
  readonly message: string;
}

/**
 * The rules of a multi-region key's regions: at least one replica, one replica per region,
 * none in the primary's region, all in the primary's partition. Unknown region names are the
 * region schema's business and are skipped here.
 */
export function regionSetProblems(primaryRegion: string, replicaRegions: readonly string[]): RegionSetProblem[] {
  const problems: RegionSetProblem[] = [];
  const seen = new Set<string>();
  replicaRegions.forEach((region, index) => {
    if (region === primaryRegion) {
      problems.push({ index, region, message: "is the primary region; a replica must be in another region" });
    } else if (seen.has(region)) {
      problems.push({ index, region, message: "appears twice; a key has one replica per region" });
    } else if (
      isAwsRegion(region) &&
      isAwsRegion(primaryRegion) &&
      partitionOf(region) !== partitionOf(primaryRegion)
    ) {
      problems.push({
        index,
        region,
        message: `is in partition ${partitionOf(region)}, but the primary is in ${partitionOf(primaryRegion)}; replicas stay in the primary's partition`,
      });
    }
    seen.add(region);
  });
  return problems;
}

/**
 * A field inside another, as messages name it: `within("KeyPolicy", "users[0]")` is
 * `KeyPolicy users[0]`, and `within("MultiRegionKey keyPolicy", "users[0]")` is
 * `MultiRegionKey keyPolicy.users[0]` (the construct, a space, then the path of props).
 */
export function within(field: string, path: string): string {
  if (!field.includes(" ")) return `${field} ${path}`;
  return path.startsWith("[") ? `${field}${path}` : `${field}.${path}`;
}

/** A string quoted for an error message, its unsafe characters escaped. */
export function quoteForMessage(text: string): string {
  return escapeUnsafe(JSON.stringify(text));
}

/** Writes a value for an error message: strings quoted, unsafe characters escaped, long values shortened. */
export function formatValue(value: unknown): string {
  const text = escapeUnsafe(JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A zod issue as one line: `<field>: <value> <predicate>`. */
export function formatIssue(field: string, issue: z.core.$ZodIssue): string {
  const at = field === "" ? "(top level)" : field;
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `${at}: is required (${issue.expected})`;
      // Our schemas' own messages ("must be a whole number of days") beat zod's generic one.
      return issue.message.startsWith("Invalid input")
        ? `${at}: ${formatValue(issue.input)} must be ${article(issue.expected)}`
        : `${at}: ${formatValue(issue.input)} ${issue.message}`;
    case "unrecognized_keys":
      return `${at}: has unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys
        .map((key) => `"${key}"`)
        .join(", ")}`;
    case "invalid_union": {
      // A discriminated union (`backend.type`) names the field it switched on and its options.
      const { discriminator, options } = issue as typeof issue & { discriminator?: string; options?: unknown[] };
      if (discriminator && options && isObject(issue.input)) {
        const value = issue.input[discriminator];
        return `${at}: ${formatValue(value)} must be one of ${options.map((v) => formatValue(v)).join(", ")}`;
      }
      return `${at}: ${formatValue(issue.input)} ${issue.message}`;
    }
    case "invalid_key": {
      // A record key that breaks its rule: the key's own rule says why.
      const [keyIssue] = issue.issues;
      return `${at}: ${formatValue(issue.input)} ${keyIssue?.message ?? issue.message}`;
    }
    case "invalid_value":
      return `${at}: ${formatValue(issue.input)} must be one of ${issue.values.map((v) => formatValue(v)).join(", ")}`;
    default:
      // A rule about a field left out ("is required: ...") has no value to show.
      if (issue.input === undefined) return `${at}: ${issue.message}`;
      return `${at}: ${formatValue(issue.input)} ${issue.message}`;
  }
}

function article(expected: string): string {
  const noun = expected === "int" ? "whole number" : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** A zod path (`["replicas", 1, "region"]`) as users write it: `replicas[1].region`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === "number") return `[${part}]`;
      const name = String(part);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `[${quoteForMessage(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join("");
}

/**
 * Checks one construct prop against its rule and throws `InvalidInputError` naming the prop
 * and the value. Values that are still Terraform tokens are known only at apply time and pass.
 */
export function checkProp(schema: z.ZodType, value: unknown, field: string): void {
  if (value === undefined || acceptedValues.get(schema)?.has(value) || Token.isUnresolved(value)) return;
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatPath(issue.path);
    throw new InvalidInputError(formatIssue(path ? `${field}${path.startsWith("[") ? "" : "."}${path}` : field, issue));
  }
  if (typeof value !== "object") {
    if (!acceptedValues.has(schema)) acceptedValues.set(schema, new Set());
    acceptedValues.get(schema)!.add(value);
  }
}

/**
 * The plain values (strings, numbers) each schema has accepted. A key set repeats the same
 * principals, actions and regions in every region's policy; each is checked once.
 */
const acceptedValues = new WeakMap<z.ZodType, Set<unknown>>();

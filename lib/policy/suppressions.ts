/**
 * Suppressions: a rule that does not apply to one resource, said once, with the reason.
 *
 * From a config file (`policy.suppressions: [{ rule, resource, reason }]`) or from TypeScript
 * (`suppress(construct, ruleId, reason)`, for the construct's resources and those below it).
 * Every suppression is validated (a known rule, a resource of the stack, a reason of at least
 * `MIN_REASON_LENGTH` characters) and listed in the synth output.
 */
import type { IConstruct } from "constructs";
import * as z from "zod";
import {
  accountIdSchema,
  deletionWindowSchema,
  formatValue,
  InvalidInputError,
  KMS_DEFAULT_DELETION_WINDOW_DAYS,
  MIN_REASON_LENGTH,
} from "../validation";
import { RULE_IDS } from "./pack";
import { ADDRESS_PATTERN } from "./terraform-json";

/**
 * The shortest reason a suppression may give: `MIN_REASON_LENGTH`, as for every deliberate exception.
 * @deprecated use `MIN_REASON_LENGTH`
 */
export const MIN_SUPPRESSION_REASON_LENGTH = MIN_REASON_LENGTH;

/** Whether a suppression's reason says why, in at least `MIN_REASON_LENGTH` characters. */
const isReason = (reason: unknown): reason is string =>
  typeof reason === "string" && reason.trim().length >= MIN_REASON_LENGTH;
const REASON_PROBLEM = `must say why the rule does not apply, in at least ${MIN_REASON_LENGTH} characters`;

/** A suppression as a config file writes it. */
export interface SuppressionConfig {
  /** The rule id: `MRK-KMS-3`. */
  readonly rule: string;
  /** The resource's address: `aws_kms_replica_key.apac`. */
  readonly resource: string;
  /** Why the rule does not apply, at least `MIN_REASON_LENGTH` characters. */
  readonly reason: string;
}

/** A suppression, with where it was declared. */
export interface Suppression extends SuppressionConfig {
  /** `stacks/global-encrypt.json policy.suppressions[0]`, or `suppress() on global-encrypt/key` */
  readonly origin: string;
}

const ruleIdSchema = z.string().refine((id) => RULE_IDS.includes(id), {
  error: `is not a rule of the policy pack (${RULE_IDS.join(", ")})`,
});

const reasonSchema = z.string().refine(isReason, { error: REASON_PROBLEM });

/**
 * The `policy` section of a stack config: the options of the rule pack that a config file sets,
 * each documented once, in `PolicyCheckOptions` (the config reference reads it from there).
 */
export const policyConfigSchema = z
  .strictObject({
    minimumDeletionWindowInDays: deletionWindowSchema.default(KMS_DEFAULT_DELETION_WINDOW_DAYS),
    strict: z.boolean().default(false),
    trustedAccounts: z.array(accountIdSchema).default([]),
    trustedOrganizations: z
      .array(
        z.string().regex(/^o-[a-z0-9]{10,32}$/, { error: 'must be an AWS Organizations id, such as "o-a1b2c3d4e5"' }),
      )
      .default([]),
    suppressions: z
      .array(
        z
          .strictObject({
            rule: ruleIdSchema,
            resource: z.string().regex(ADDRESS_PATTERN, {
              error:
                'must be a resource address of the stack, such as "aws_kms_replica_key.apac" or "module.keys["orders"].aws_kms_key.this"',
            }),
            reason: reasonSchema,
          })
          .meta({ title: "Suppression", props: "SuppressionConfig" }),
      )
      .default([]),
  })
  .meta({ title: "Policy", props: "PolicyCheckOptions" });

export type PolicyConfig = z.output<typeof policyConfigSchema>;

const METADATA_TYPE = "mrk-policy/suppression";

/**
 * Suppresses a rule for a construct's resources (the construct itself when it is a resource,
 * and every resource below it), giving the reason. Throws `InvalidInputError` for an unknown
 * rule or a reason shorter than `MIN_REASON_LENGTH` characters.
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  const field = `suppress(${construct.node.path})`;
  if (!RULE_IDS.includes(ruleId)) {
    throw new InvalidInputError(
      `${field} ruleId: ${formatValue(ruleId)} is not a rule of the policy pack (${RULE_IDS.join(", ")})`,
    );
  }
  if (!isReason(reason)) throw new InvalidInputError(`${field} reason: ${formatValue(reason)} ${REASON_PROBLEM}`);
  construct.node.addMetadata(METADATA_TYPE, { rule: ruleId, reason: reason.trim() });
}

/** The suppressions `suppress()` put on a construct and its scopes up to (and with) `root`. */
export function suppressionsOf(
  construct: IConstruct,
  root: IConstruct,
): { rule: string; reason: string; on: string }[] {
  const found: { rule: string; reason: string; on: string }[] = [];
  for (const scope of construct.node.scopes) {
    if (scope.node.scopes.length < root.node.scopes.length) continue;
    for (const entry of scope.node.metadata) {
      if (entry.type === METADATA_TYPE)
        found.push({ ...(entry.data as { rule: string; reason: string }), on: scope.node.path });
    }
  }
  return found;
}

/**
 * Checks config suppressions against the stack: each names a resource the stack has. `field`
 * is how the list is named in messages (`stacks/x.json: policy.suppressions`).
 */
export function validateSuppressions(
  suppressions: readonly SuppressionConfig[],
  addresses: readonly string[],
  stackName: string,
  field: string,
): Suppression[] {
  const problems: string[] = [];
  const result = suppressions.map((suppression, index) => {
    const at = `${field}[${index}]`;
    if (!RULE_IDS.includes(suppression.rule)) {
      problems.push(
        `${at}.rule: ${formatValue(suppression.rule)} is not a rule of the policy pack (${RULE_IDS.join(", ")})`,
      );
    }
    if (!addresses.includes(suppression.resource)) {
      problems.push(
        `${at}.resource: ${formatValue(suppression.resource)} is not a resource of stack ${stackName}; its resources are ${addresses.join(", ")}`,
      );
    }
    if (!isReason(suppression.reason))
      problems.push(`${at}.reason: ${formatValue(suppression.reason)} ${REASON_PROBLEM}`);
    return { ...suppression, origin: at };
  });
  if (problems.length > 0) throw new InvalidInputError(problems.join("\n"));
  return result;
}

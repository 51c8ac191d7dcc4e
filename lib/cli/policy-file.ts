/**
 * The settings of `mrk check --config <file>` for a plan: the `policy` section of a stack
 * config (suppressions, minimum deletion window, and whatever else the pack's options hold)
 * and the account that owns the keys.
 *
 * ```json
 * {
 *   "accountId": "111111111111",
 *   "policy": {
 *     "minimumDeletionWindowInDays": 14,
 *     "suppressions": [
 *       { "rule": "MRK-KMS-3", "resource": "module.keys.aws_kms_replica_key.replica", "reason": "..." }
 *     ]
 *   }
 * }
 * ```
 *
 * A stack config file (`stacks/global-encrypt.json`) works too: its `policy` and `accountId`
 * are used. A suppression names a resource's address as the plan writes it; an address
 * without instance keys (`module.keys.aws_kms_key.this`, `aws_kms_alias.extra`) covers every
 * instance of that block.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { parseStackConfig } from "../config";
import { isObject } from "../json";
import { joinTraversal, splitTraversal } from "../plan/addresses";
import { type PolicyConfig, policyConfigSchema, type Suppression, validateSuppressions } from "../policy/suppressions";
import { accountIdSchema, displayPath, formatIssue, formatPath, InvalidInputError } from "../validation";

export interface PolicyFile {
  readonly source: string;
  readonly accountId?: string;
  readonly policy: PolicyConfig;
}

const policyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  accountId: accountIdSchema.optional(),
  policy: policyConfigSchema.prefault({}),
});

/** The fields of a policy file; a file with others is read as a stack config. */
const POLICY_FILE_FIELDS = ["$schema", "accountId", "policy"];

export function readPolicyFile(path: string): PolicyFile {
  const source = displayPath(path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      `${source}: ${code ? `cannot be read (${code})` : `is not valid JSON: ${(error as Error).message}`}`,
    );
  }
  if (isObject(data) && Object.keys(data).some((key) => !POLICY_FILE_FIELDS.includes(key))) {
    const config = parseStackConfig(data, source);
    return { source, accountId: config.accountId, policy: config.policy };
  }
  // Parsed once: zod's compiled fast path would cost more than it saves (lib/config.ts).
  const result = policyFileSchema.safeParse(data, { reportInput: true, jitless: true });
  if (!result.success) {
    throw new InvalidInputError(
      result.error.issues.map((issue) => `${source}: ${formatIssue(formatPath(issue.path), issue)}`).join("\n"),
    );
  }
  return { source, accountId: result.data.accountId, policy: result.data.policy };
}

/**
 * The file's suppressions, checked against the plan's addresses (a block address without
 * instance keys counts), each turned into one per instance it covers. Each keeps its origin
 * (`policy.json: policy.suppressions[0]`), so an unused one is reported as written.
 */
export function planSuppressions(
  file: PolicyFile | undefined,
  addresses: readonly string[],
  stackName: string,
): Suppression[] {
  if (!file) return [];
  const blocks = [...new Set(addresses.map(withoutKeys))];
  const checked = validateSuppressions(
    file.policy.suppressions,
    [...new Set([...addresses, ...blocks])],
    stackName,
    `${file.source}: policy.suppressions`,
  );
  return checked.flatMap((suppression) => {
    if (addresses.includes(suppression.resource)) return [suppression];
    return addresses
      .filter((address) => withoutKeys(address) === suppression.resource)
      .map((resource) => ({ ...suppression, resource }));
  });
}

function withoutKeys(address: string): string {
  return joinTraversal((splitTraversal(address) ?? []).filter((step) => "name" in step));
}

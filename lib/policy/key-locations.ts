/**
 * What the S3 and DynamoDB rules share: whether a key reference names the key of a region.
 */
import type { Violation } from "./rule";
import type { StackView } from "./stack-view";

/**
 * Checks that `value` (a `kms_master_key_id`, `replica_kms_key_id`, `kms_key_arn`) names a key
 * of `region`. `what` names the argument in the message. With `arnOnly`, only a full ARN will do.
 * Values known only at apply time (variables, other stacks' outputs) are not checked.
 */
export function checkKeyOfRegion(
  stack: StackView,
  value: unknown,
  region: string | undefined,
  what: string,
  options: { arnOnly?: boolean } = {},
): Violation[] {
  const keysThere = region ? stack.keysInRegion(region).map((key) => `\${${key.address}.arn}`) : [];
  const suggestion = keysThere.length > 0 ? ` (${keysThere.join(" or ")})` : "";
  if (value === undefined || value === null || value === "") {
    return [
      {
        message: `${what} is not set`,
        fix: `set ${what} to the ARN of the key set's key in ${region ?? "its region"}${suggestion}`,
      },
    ];
  }
  if (typeof value === "string" && value.startsWith("alias/aws/")) {
    return [
      {
        message: `${what} is the AWS managed key ${value}`,
        fix: `set ${what} to the ARN of the key set's key in ${region ?? "its region"}${suggestion}`,
      },
    ];
  }
  const location = stack.locateKey(value);
  if (options.arnOnly && (location.form === "key-id" || (location.form === "alias" && location.region === undefined))) {
    return [
      {
        message: `${what} is ${JSON.stringify(value)}, not a full key ARN`,
        fix: `use the key's ARN${suggestion}: S3 needs the full ARN of the destination's key`,
      },
    ];
  }
  if (location.region === undefined || region === undefined) return [];
  if (location.region === region) return [];
  return [
    {
      message: `${what} is ${location.address ? `${location.address}, the key of ${location.region}` : `a key of ${location.region}`}, but the resource is in ${region}`,
      fix: `use the key of ${region}${suggestion}`,
    },
  ];
}

import { Rule } from "../rule";

/** MRK-KMS-6: `bypass_policy_lockout_safety_check` is never true. */
export const noLockoutBypassRule: Rule = {
  id: "MRK-KMS-6",
  level: "error",
  title: "The policy lockout safety check is never bypassed",
  explanation:
    "KMS refuses a key policy that would lock the caller out of the key unless bypass_policy_lockout_safety_check is true. A key nobody can manage cannot be fixed without AWS Support.",
  fix: "remove bypass_policy_lockout_safety_check (or set it to false)",
  anchors: [],
  appliesTo: ["aws_kms_key", "aws_kms_replica_key", "aws_kms_key_policy"],
  check(resource) {
    const value = resource.config.bypass_policy_lockout_safety_check;
    if (value === undefined || value === false) return "compliant";
    return [{ message: `bypass_policy_lockout_safety_check is ${JSON.stringify(value)}` }];
  },
};

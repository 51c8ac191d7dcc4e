import { KEY_TYPES } from "../../key-types";
import type { Rule } from "../rule";
import { asBoolean } from "../terraform-json";
import { stackJson } from "./examples";

/** MRK-KMS-6: `bypass_policy_lockout_safety_check` is never true. */
export const noLockoutBypassRule: Rule = {
  id: "MRK-KMS-6",
  level: "error",
  title: "The policy lockout safety check is never bypassed",
  explanation:
    "KMS refuses a key policy that would lock the caller out of the key unless bypass_policy_lockout_safety_check is true. A key nobody can manage cannot be fixed without AWS Support. AWS's own guidance (the kms:BypassPolicyLockoutSafetyCheck condition key) is to deny the bypass.",
  fix: "remove bypass_policy_lockout_safety_check (or set it to false)",
  anchors: [],
  appliesTo: [...KEY_TYPES, "aws_kms_key_policy"],
  examples: {
    compliant: stackJson({ resource: { aws_kms_key: { primary: { enable_key_rotation: true } } } }),
    nonCompliant: stackJson({
      resource: { aws_kms_key: { primary: { enable_key_rotation: true, bypass_policy_lockout_safety_check: "true" } } },
    }),
  },
  check(resource) {
    const value = resource.config.bypass_policy_lockout_safety_check;
    if (value === undefined || asBoolean(value) === false) return "compliant";
    return [{ message: `bypass_policy_lockout_safety_check is ${JSON.stringify(value)}` }];
  },
};

import { asNumber, isToken } from "../terraform-json";
import { Rule } from "../rule";
import { KEY_TYPES } from "../../key-types";
import { stackJson } from "./examples";

/** KMS's deletion window when the argument is left out. */
export const KMS_DEFAULT_DELETION_WINDOW_DAYS = 30;

/** MRK-KMS-5: the deletion window of every key is at least the configured minimum (default 30 days). */
export const deletionWindowRule: Rule = {
  id: "MRK-KMS-5",
  level: "error",
  title: "The deletion window is at least the configured minimum",
  explanation:
    "Deleting a key makes everything encrypted under it unreadable for good; the deletion window is the time left to cancel a mistaken or malicious deletion. KMS's default is 30 days; policy.minimumDeletionWindowInDays lowers our minimum (7 to 30). Terraform reads a number given as a string (\"7\") as that number.",
  fix: 'raise "deletionWindowInDays" in the config (deletion_window_in_days), or leave it out for KMS\'s 30 days',
  anchors: ["SecurityHub KMS.3"],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({ resource: { aws_kms_key: { primary: { enable_key_rotation: true, deletion_window_in_days: 30 } } } }),
    nonCompliant: stackJson({ resource: { aws_kms_key: { primary: { enable_key_rotation: true, deletion_window_in_days: "7" } } } }),
  },
  check(key, { options }) {
    const value = key.config.deletion_window_in_days ?? KMS_DEFAULT_DELETION_WINDOW_DAYS;
    const days = asNumber(value);
    if (days === undefined && isToken(value)) return "compliant";
    const minimum = options.minimumDeletionWindowInDays;
    return days !== undefined && days >= minimum
      ? "compliant"
      : [
          {
            message: `deletion_window_in_days is ${JSON.stringify(value)}, below the minimum of ${minimum} days`,
            fix: `set "deletionWindowInDays" to at least ${minimum} in the config (or leave it out for KMS's 30), or lower policy.minimumDeletionWindowInDays`,
          },
        ];
  },
};

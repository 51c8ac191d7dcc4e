import { isToken } from "../json";
import { Rule } from "../rule";

/** KMS's deletion window when the argument is left out. */
export const KMS_DEFAULT_DELETION_WINDOW_DAYS = 30;

/** MRK-KMS-5: the deletion window of every key is at least the configured minimum (default 30 days). */
export const deletionWindowRule: Rule = {
  id: "MRK-KMS-5",
  level: "error",
  title: "The deletion window is at least the configured minimum",
  explanation:
    "Deleting a key makes everything encrypted under it unreadable for good; the deletion window is the time left to cancel a mistaken or malicious deletion. KMS's default is 30 days; policy.minimumDeletionWindowInDays lowers our minimum (7 to 30).",
  fix: 'raise "deletionWindowInDays" in the config (deletion_window_in_days), or leave it out for KMS\'s 30 days',
  anchors: ["SecurityHub KMS.3"],
  appliesTo: ["aws_kms_key", "aws_kms_replica_key"],
  check(key, { options }) {
    const days = key.config.deletion_window_in_days ?? KMS_DEFAULT_DELETION_WINDOW_DAYS;
    if (isToken(days)) return "compliant";
    const minimum = options.minimumDeletionWindowInDays;
    return typeof days === "number" && days >= minimum
      ? "compliant"
      : [
          {
            message: `deletion_window_in_days is ${JSON.stringify(days)}, below the minimum of ${minimum} days`,
            fix: `set "deletionWindowInDays" to at least ${minimum} in the config (or leave it out for KMS's 30), or lower policy.minimumDeletionWindowInDays`,
          },
        ];
  },
};

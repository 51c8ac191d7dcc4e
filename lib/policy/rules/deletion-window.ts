import { KEY_TYPES } from "../../key-types";
import { KMS_DEFAULT_DELETION_WINDOW_DAYS, MAX_DELETION_WINDOW_DAYS, MIN_DELETION_WINDOW_DAYS } from "../../validation";
import type { Rule } from "../rule";
import { asNumber, isToken } from "../terraform-json";
import { stackJson } from "./examples";

/** MRK-KMS-5: the deletion window of every key is at least the configured minimum (by default KMS's own window). */
export const deletionWindowRule: Rule = {
  id: "MRK-KMS-5",
  level: "error",
  title: "The deletion window is at least the configured minimum",
  explanation: `Deleting a key makes everything encrypted under it unreadable for good; the deletion window is the time left to cancel a mistaken or malicious deletion. KMS's default is ${KMS_DEFAULT_DELETION_WINDOW_DAYS} days; policy.minimumDeletionWindowInDays lowers our minimum (${MIN_DELETION_WINDOW_DAYS} to ${MAX_DELETION_WINDOW_DAYS}). Terraform reads a number given as a string ("7") as that number.`,
  fix: `raise "deletionWindowInDays" in the config (deletion_window_in_days), or leave it out for KMS's ${KMS_DEFAULT_DELETION_WINDOW_DAYS} days`,
  anchors: [],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      resource: {
        aws_kms_key: {
          primary: { enable_key_rotation: true, deletion_window_in_days: KMS_DEFAULT_DELETION_WINDOW_DAYS },
        },
      },
    }),
    nonCompliant: stackJson({
      resource: { aws_kms_key: { primary: { enable_key_rotation: true, deletion_window_in_days: "7" } } },
    }),
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
            fix: `set "deletionWindowInDays" to at least ${minimum} in the config (or leave it out for KMS's ${KMS_DEFAULT_DELETION_WINDOW_DAYS}), or lower policy.minimumDeletionWindowInDays`,
          },
        ];
  },
};

import { KEY_TYPES } from "../../key-types";
import type { Rule } from "../rule";
import { asBoolean } from "../terraform-json";
import { stackJson } from "./examples";

/** MRK-KMS-4 (warning): every key of the set is enabled. Each key is enabled or disabled on its own. */
export const keyEnabledRule: Rule = {
  id: "MRK-KMS-4",
  level: "warning",
  title: "Every key is enabled",
  explanation:
    "A disabled key cannot encrypt or decrypt: data encrypted under the key set cannot be read in that region, and UpdatePrimaryRegion refuses disabled keys. Disabling a replica on purpose (an incident, a region being retired) is legitimate, so this is a warning.",
  fix: 'set "enabled": true on the replica in the config (enabled = true on aws_kms_replica_key, aws_kms_external_key and aws_kms_replica_external_key, is_enabled = true on aws_kms_key), or suppress the rule for the key with the reason',
  anchors: ["CKV_AWS_227"],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      resource: { aws_kms_replica_key: { eu: { primary_key_arn: "${aws_kms_key.primary.arn}", enabled: true } } },
    }),
    nonCompliant: stackJson({
      resource: { aws_kms_replica_key: { eu: { primary_key_arn: "${aws_kms_key.primary.arn}", enabled: "false" } } },
    }),
  },
  check(key) {
    const argument = key.type === "aws_kms_key" ? "is_enabled" : "enabled";
    return asBoolean(key.config[argument]) === false
      ? [{ message: `${argument} is ${JSON.stringify(key.config[argument])}, so the key cannot be used` }]
      : "compliant";
  },
};

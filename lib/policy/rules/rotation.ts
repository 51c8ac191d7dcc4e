import type { Rule } from "../rule";
import { asBoolean, isToken } from "../terraform-json";
import { stackJson } from "./examples";

/** Key specs whose keys KMS rotates automatically: symmetric encryption keys only. */
const ROTATABLE_SPEC = "SYMMETRIC_DEFAULT";

/**
 * MRK-KMS-1: automatic rotation is on for every symmetric encryption key. A multi-region key
 * rotates as a set: rotation is set on the primary and applies to every replica, so replicas
 * are checked through their primary.
 */
export const keyRotationRule: Rule = {
  id: "MRK-KMS-1",
  level: "error",
  title: "Rotation is on for every symmetric encryption key",
  explanation:
    'Key material that never rotates stays in use for the life of the key. KMS rotates a symmetric encryption key automatically only when enable_key_rotation is true (Terraform also reads the string "true"); a multi-region primary rotates for all its replicas. Asymmetric, HMAC, imported-material and custom key store keys cannot rotate automatically and are not checked.',
  fix: 'set "enableKeyRotation": true in the config (enable_key_rotation = true on the aws_kms_key)',
  anchors: ["CKV_AWS_7", "AVD-AWS-0065", "SecurityHub KMS.4", "AwsSolutions-KMS5", "CIS AWS 3.6"],
  appliesTo: ["aws_kms_key"],
  examples: {
    compliant: stackJson({ resource: { aws_kms_key: { primary: { enable_key_rotation: true, multi_region: true } } } }),
    nonCompliant: stackJson({ resource: { aws_kms_key: { primary: { multi_region: true } } } }),
  },
  check(key) {
    const spec = key.config.customer_master_key_spec ?? key.config.key_spec ?? ROTATABLE_SPEC;
    const usage = key.config.key_usage ?? "ENCRYPT_DECRYPT";
    if (isToken(spec) || isToken(usage)) return "not-applicable";
    if (spec !== ROTATABLE_SPEC || usage !== "ENCRYPT_DECRYPT") return "not-applicable";
    if (key.config.custom_key_store_id !== undefined || key.config.xks_key_id !== undefined) return "not-applicable";
    const rotation = key.config.enable_key_rotation;
    if (asBoolean(rotation) === true || (isToken(rotation) && asBoolean(rotation) === undefined)) return "compliant";
    return [
      {
        message:
          rotation === undefined
            ? "enable_key_rotation is not set, so the key material is never rotated"
            : `enable_key_rotation is ${JSON.stringify(rotation)}, so the key material is never rotated`,
      },
    ];
  },
};

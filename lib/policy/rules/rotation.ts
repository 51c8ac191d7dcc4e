import { isToken } from "../json";
import { Rule } from "../rule";

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
    "Key material that never rotates stays in use for the life of the key. KMS rotates a symmetric encryption key automatically only when enable_key_rotation is true; a multi-region primary rotates for all its replicas.",
  fix: 'set "enableKeyRotation": true in the config (enable_key_rotation = true on the aws_kms_key)',
  anchors: ["CKV_AWS_7", "AVD-AWS-0065", "SecurityHub KMS.4", "CIS AWS 3.6"],
  appliesTo: ["aws_kms_key"],
  check(key) {
    const spec = key.config.customer_master_key_spec ?? key.config.key_spec ?? "SYMMETRIC_DEFAULT";
    const usage = key.config.key_usage ?? "ENCRYPT_DECRYPT";
    // Asymmetric, HMAC and custom key store keys cannot rotate automatically.
    if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") return "not-applicable";
    if (key.config.custom_key_store_id !== undefined || key.config.xks_key_id !== undefined) return "not-applicable";
    const rotation = key.config.enable_key_rotation;
    if (rotation === true || isToken(rotation)) return "compliant";
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

import { isObject } from "../../json";
import { KEY_TYPES } from "../../key-types";
import type { Rule } from "../rule";
import { REMOVED_TYPE } from "../terraform-json";
import { stackJson } from "./examples";

/**
 * MRK-KMS-16 (warning): a key leaves the configuration only to be forgotten, unless it is
 * retired on purpose. A `removed` block with `destroy = true` (what a replica's `retire` writes)
 * makes `terraform apply` destroy the key, which schedules its deletion: after the deletion
 * window, whatever was encrypted only under it can never be decrypted again.
 */
export const retiredKeysRule: Rule = {
  id: "MRK-KMS-16",
  level: "warning",
  title: "A key is destroyed only when it is retired on purpose",
  explanation:
    "Terraform destroys a key that a removed block names with destroy = true, and destroying a KMS key schedules its deletion: once the deletion window has passed, every ciphertext made with it is lost. Retiring a replica is a deliberate procedure, so each retire is reported for the reviewer to see; a key left out of the configuration is forgotten instead (destroy = false), which loses nothing.",
  fix: 'if the key must stay, take "retire" off the replica (or set lifecycle { destroy = false } on the removed block); if it goes, re-encrypt what only it encrypts before the deletion window ends, and accept the finding with a suppression or in review',
  anchors: [],
  appliesTo: [REMOVED_TYPE],
  examples: {
    compliant: stackJson({
      resource: {},
      removed: [{ from: "aws_kms_replica_key.apac", lifecycle: { destroy: false } }],
    }),
    nonCompliant: stackJson({
      resource: {},
      removed: [{ from: "aws_kms_replica_key.apac", lifecycle: { destroy: true } }],
    }),
  },
  check(block) {
    const type = block.address
      .replace(/\[[^\]]*\]$/, "")
      .split(".")
      .slice(-2)[0];
    if (!KEY_TYPES.includes(type)) return "not-applicable";
    const lifecycle = isObject(block.config.lifecycle) ? block.config.lifecycle : {};
    return lifecycle.destroy === false
      ? "compliant"
      : [
          {
            message: `a removed block destroys ${block.address}: terraform apply schedules the key's deletion, after which whatever only it encrypted cannot be decrypted`,
          },
        ];
  },
};

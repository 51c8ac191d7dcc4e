/**
 * AWS KMS multi-region keys as CDK for Terraform constructs. The rule pack is on the
 * `multi-region-kms-keys/policy` subpath, the Jest matchers on `/jest`, the HCL writer on `/hcl`
 * and the plan reader on `/plan`.
 */
// The key set

export * from "./application-role";
export * from "./backend";
// Stacks from config files
export * from "./config";
export * from "./config-app";
// Helpers
export * from "./diagram";
export * from "./existing-key-set";
export * from "./global-table";
export * from "./key-ledger";
export * from "./key-policy";
export * from "./key-set";
export * from "./key-set-stack";
export * from "./monitoring";
export * from "./moved-addresses";
export * from "./multi-region-key";
export * from "./region-providers";
export * from "./regions";
// What uses the keys
export * from "./replicated-buckets";
export * from "./resource-names";
export * from "./validation";

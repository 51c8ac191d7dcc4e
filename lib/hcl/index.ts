/**
 * Clean HCL for a cdktf stack: what a Terraform team would write by hand, `terraform fmt`
 * clean, equal in meaning to the JSON cdktf synthesizes.
 */
export { renderStackHcl } from "./render";
export { hclToJson } from "./hcl-to-json";
export { normaliseForComparison } from "./normalise";
export { commentAbove } from "./comments";

/**
 * Clean HCL for a cdktf stack: what a Terraform team would write by hand, `terraform fmt`
 * clean, equal in meaning to the JSON cdktf synthesizes.
 */

export { commentAbove } from "./comments";
export { hclToJson } from "./hcl-to-json";
export { normaliseForComparison } from "./normalise";
export { renderStackHcl } from "./render";

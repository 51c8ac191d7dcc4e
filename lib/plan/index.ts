/**
 * Plain Terraform plans for the rule pack and the access evaluator: `terraform show -json` of
 * any plan read as the stack JSON they take.
 */
export * from "./addresses";
export * from "./arguments";
export * from "./plan-index";
export * from "./plan-stack";
export * from "./read-plan";
export * from "./references";
export * from "./regions";
export * from "./source-locations";
export * from "./types";

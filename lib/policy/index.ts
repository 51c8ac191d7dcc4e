/**
 * The policy rule pack, its synth-time aspect, suppressions, and the access evaluator.
 */
export * from "./access";
export * from "./actions";
export * from "./aspect";
export * from "./check";
export * from "./compare";
export * from "./document";
export * from "./pack";
export * from "./rule";
export * from "./stack-view";
export * from "./suppressions";

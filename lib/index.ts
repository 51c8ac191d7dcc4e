export * from "./application-role";
export * from "./backend";
export * from "./key-policy";
export * from "./multi-region-key";
export * from "./region-providers";
export * from "./regions";
export * from "./validation";
export * from "./moved-addresses";

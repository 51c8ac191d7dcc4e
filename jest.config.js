/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `npm run build`; tests only transpile, which is several times faster.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts", "<rootDir>/__tests__/policy/setup.ts"],
  // Suites that run terraform or the emulator take seconds per step, mostly waiting on the
  // AWS provider's own delays; two workers on our two cores cut the end-to-end wall time by a third.
  testTimeout: 120000,
  maxWorkers: 2,
};

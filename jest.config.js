/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `npm run typecheck` (npm test runs it first); tests only transpile. swc does that per file, as
  // tsconfig.json's isolatedModules allows, with tsconfig's target and class-field semantics
  // (ES2022 defines class fields), and loads in a fraction of ts-jest's time in every worker.
  // Explicit options, so that no .swcrc in the working directory changes them.
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript" },
          target: "es2022",
          transform: { useDefineForClassFields: true },
        },
        module: { type: "commonjs" },
        sourceMaps: "inline",
      },
    ],
  },
  // A temporary folder for the run, removed at its end (scripts/jest-tmpdir.js).
  globalSetup: "<rootDir>/scripts/jest-global-setup.js",
  globalTeardown: "<rootDir>/scripts/jest-global-teardown.js",
  // token-traces.ts first: it must be in place before cdktf loads (see that file).
  setupFilesAfterEnv: [
    "<rootDir>/__tests__/token-traces.ts",
    "<rootDir>/__tests__/setup.ts",
    "<rootDir>/__tests__/policy/setup.ts",
    "<rootDir>/__tests__/process-matchers.ts",
  ],
  // Suites that run terraform or the emulator take seconds per step, mostly waiting on the
  // AWS provider's own delays, and minutes on a busy machine: the timeout only catches hangs.
  // Jest's timer starts with the test, so an async test that awaits after a long synchronous
  // step (a failover, a terraform apply) fails at the await once the step took longer than it.
  // Two workers on our two cores cut the end-to-end wall time by a third.
  testTimeout: 600000,
  maxWorkers: 2,
  // Workers as processes, not threads. Under Jest 29's worker threads, a failing assertion that
  // holds a value structured clone cannot copy (an asymmetric matcher such as
  // expect.stringContaining, a function) loses the whole file's results to "DataCloneError:
  // ... could not be cloned"; process workers report the failure. Measured on the unit suite,
  // 5 runs in turns: 20.2 s of CPU against 19.2 s with threads (Jest 30, which fixes the
  // clone, takes 23.0 s with threads).
  workerThreads: false,
};

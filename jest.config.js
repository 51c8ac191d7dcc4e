const { moduleNameMapper } = require("./scripts/jest-libraries");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `npm run build`; tests only transpile. swc does that per file, as
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
  // A temporary folder for the run, removed at its end (scripts/jest-tmpdir.js); cdktf and zod
  // from one bundle, built before the first test file runs (scripts/jest-libraries.js).
  globalSetup: "<rootDir>/scripts/jest-global-setup.js",
  globalTeardown: "<rootDir>/scripts/jest-global-teardown.js",
  moduleNameMapper,
  // token-traces.ts first: it must be in place before cdktf loads (see that file).
  setupFilesAfterEnv: [
    "<rootDir>/__tests__/token-traces.ts",
    "<rootDir>/__tests__/setup.ts",
    "<rootDir>/__tests__/policy/setup.ts",
    "<rootDir>/__tests__/process-matchers.ts",
  ],
  // Suites that run terraform or the emulator take seconds per step, mostly waiting on the
  // AWS provider's own delays; two workers on our two cores cut the end-to-end wall time by a third.
  testTimeout: 120000,
  maxWorkers: 2,
  // Workers as threads of one process, not processes: the unit suite takes about a second
  // less on two cores. No test changes the working directory or needs a process of its own;
  // each thread has its own copy of process.env.
  workerThreads: true,
};

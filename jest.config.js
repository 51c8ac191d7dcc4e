/**
 * Two projects, one per way of running a test file:
 *
 * - `unit` (`npm run test:unit`): the tests that start no Terraform and no emulator, under
 *   jest-light-runner. Jest's own runner gives every test file a fresh module registry in a
 *   fresh vm context, so each of our 61 unit files loaded cdktf, the provider bindings, zod and
 *   the whole lib again, with Jest's per-file machinery: about 0.4 s of CPU per file before its
 *   first test, 24 of the suite's 41 s. The light runner runs the files in plain node, in two
 *   worker threads, each loading the libraries once for all its files. What it does not do, and
 *   our unit tests must not need: module mocks (`jest.mock`), a fresh global object per file (a
 *   test that changes process.env, a global or a spy puts it back, as they all do), per-test
 *   timeouts. TypeScript comes through tsx (scripts/jest-typescript.js), which node source-maps,
 *   so failures point at the TypeScript lines.
 * - `processes`: the suites that run the app, terraform, the emulator or the examples as
 *   processes, under Jest's own runner with swc: their time is the processes', and they keep
 *   Jest's per-file isolation; no TypeScript loader reaches the processes they start.
 *
 * `npm run test:unit`, Jest's runner for every file against these projects, in turns on 2 shared
 * cores, medians of 3: 28.1 s wall and 53.4 s of CPU against 15.3 s and 28.5 s (load 2.4 to
 * 4.3); 23.1 s and 43.7 s against 11.8 s and 21.8 s (load 3.5 to 4.2). The processes suites
 * take the time they took. See docs/performance.md "The tests".
 */
/** The tests that start processes (the `processes` project): these folders of __tests__, and emulator.test.ts. */
const PROCESS_FOLDERS = ["e2e", "terraform", "commands", "examples"];

/** What both projects share. */
const shared = {
  rootDir: __dirname,
  roots: ["<rootDir>/__tests__"],
  // A temporary folder for the run, removed at its end (scripts/jest-tmpdir.js). Jest runs
  // each module once even when both projects name it.
  globalSetup: "<rootDir>/scripts/jest-global-setup.js",
  globalTeardown: "<rootDir>/scripts/jest-global-teardown.js",
  // token-traces.ts first: it must be in place before cdktf loads (see that file).
  setupFilesAfterEnv: [
    "<rootDir>/__tests__/token-traces.ts",
    "<rootDir>/__tests__/setup.ts",
    "<rootDir>/__tests__/policy/setup.ts",
    "<rootDir>/__tests__/process-matchers.ts",
  ],
};

// Suites that run terraform or the emulator take seconds per step, mostly waiting on the
// AWS provider's own delays, and minutes on a busy machine: the timeout only catches hangs.
// Jest's timer starts with the test, so an async test that awaits after a long synchronous
// step (a failover, a terraform apply) fails at the await once the step took longer than it.
const testTimeout = 600000;

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: [
        "/node_modules/",
        ...PROCESS_FOLDERS.map((folder) => `<rootDir>/__tests__/${folder}/`),
        "<rootDir>/__tests__/emulator\\.test\\.ts$",
      ],
      runner: "jest-light-runner",
      // The runner loads test files itself, through tsx's loader; Jest transforms nothing.
      transform: {},
      setupFiles: ["<rootDir>/scripts/jest-typescript.js"],
    },
    {
      ...shared,
      displayName: "processes",
      testMatch: [
        ...PROCESS_FOLDERS.map((folder) => `<rootDir>/__tests__/${folder}/**/*.test.ts`),
        "<rootDir>/__tests__/emulator.test.ts",
      ],
      testTimeout,
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
    },
  ],
  testTimeout,
  // Two workers on our two cores cut the end-to-end wall time by a third.
  maxWorkers: 2,
  // The `processes` project's workers as processes, not threads. Under Jest's worker threads, a
  // failing assertion that holds a value structured clone cannot copy (an asymmetric matcher such
  // as expect.stringContaining, a function) lost the whole file's results to "DataCloneError:
  // ... could not be cloned" (Jest 29); process workers report the failure. (The light runner
  // sends back only text: a failure there shows its diff.)
  workerThreads: false,
};

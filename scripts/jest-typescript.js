/**
 * The `unit` project's first setup file (jest.config.js): TypeScript for jest-light-runner's
 * workers, which load test files with `import()` and their modules with `require()`, through
 * tsx's loader (both hooks), which compiles with esbuild and has node source-map the stack
 * traces of errors.
 *
 * Registered here, in the worker, rather than with NODE_OPTIONS, so that the processes tests
 * start (node, the app, terraform) do not inherit a loader.
 *
 * tsx keeps what it compiled in `<tmpdir>/tsx-<user>`, where `npx tsx` and the npm scripts keep
 * it too. The run's TMPDIR is its own folder, removed at its end (jest-tmpdir.js), so tsx is
 * loaded with the machine's temporary folder: compiled once, a file is read back from there in
 * the next run, as long as it is unchanged.
 */
"use strict";
const { PARENT } = require("./jest-tmpdir");

const runTmpdir = process.env.TMPDIR;
if (process.env[PARENT]) process.env.TMPDIR = process.env[PARENT];
try {
  require("tsx/cjs/api").register();
  require("tsx/esm/api").register();
} finally {
  process.env.TMPDIR = runTmpdir;
}

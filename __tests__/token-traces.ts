/**
 * Setup (the first of setupFilesAfterEnv): cdktf's token traces, formatted without source maps.
 *
 * cdktf records where each token was made: it captures a full stack trace, with
 * Error.stackTraceLimit raised to infinity, into a plain object (`{ stack: "" }`), some 8,000
 * times in the unit tests and once more as it loads, in every test file. Under Jest,
 * source-map-support maps every frame of each of those traces back to its source, and parses
 * the inline source map of every file on the stack again in each test file: a fifth of the unit
 * tests' CPU time. The traces are only read in the message of a token that fails to resolve, so
 * here they are formatted as Node formats them outside Jest, with the positions of the code
 * that ran. Everything else, every Error above all, keeps its source-mapped stack, so a failing
 * test still points at TypeScript lines.
 *
 * It must be in place before cdktf loads, hence first in jest.config.js.
 */
const sourceMapped = Error.prepareStackTrace;
if (sourceMapped) {
  Error.prepareStackTrace = (error, frames) =>
    Object.getPrototypeOf(error) === Object.prototype
      ? ["Error", ...frames.map((frame) => `    at ${frame}`)].join("\n")
      : sourceMapped(error, frames);
}

export {};

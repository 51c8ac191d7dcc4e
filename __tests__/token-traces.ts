/**
 * Setup (the first of setupFilesAfterEnv): cdktf's token traces, formatted without source maps.
 *
 * cdktf records where each token was made: it captures a full stack trace, with
 * Error.stackTraceLimit raised to infinity, into a plain object (`{ stack: "" }`), some 8,000
 * times in the unit tests. With source-mapped stack traces (node's, which tsx turns on in the
 * unit tests; source-map-support under Jest's own runner), every frame of each of those traces
 * is mapped back to its source, with the inline source map of every file on the stack parsed:
 * once a fifth of the unit tests' CPU time. The traces are only read in the message of a token
 * that fails to resolve, so here they are formatted as node formats them without source maps,
 * with the positions of the code that ran, and only their innermost frames
 * (TOKEN_TRACE_FRAMES). Everything else, every Error above all, keeps its source-mapped stack,
 * so a failing test still points at TypeScript lines.
 *
 * It must be in place before cdktf loads, hence first in jest.config.js.
 */
const sourceMapped = Error.prepareStackTrace;

/**
 * How many frames of a token's trace are kept: the innermost, as many as node keeps of any
 * error by default; they are those that made the token, cdktf's and then the construct's.
 * cdktf asks V8 for every frame, 30 and more under Jest: in a unit test's worker, a token's
 * trace of 27 frames took 64 µs to capture and format, 13 µs with 10 frames.
 */
const TOKEN_TRACE_FRAMES = 10;

if (sourceMapped) {
  Error.prepareStackTrace = (error, frames) =>
    Object.getPrototypeOf(error) === Object.prototype
      ? ["Error", ...frames.slice(0, TOKEN_TRACE_FRAMES).map((frame) => `    at ${frame}`)].join("\n")
      : sourceMapped(error, frames);
}

export {};

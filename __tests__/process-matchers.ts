/**
 * `expect(result).toExitWith(code)`: a process (a `spawnSync` result) or a command run in-process
 * (`runMrk`'s result) exits with `code`; when it does not, the failure shows how it ended and
 * the end of its standard error and output, so that CI says why. (`toMatchObject({ status: 0 })`
 * shows only the status, and `expect(result.status).toBe(0)` only the number.)
 *
 * A setup file (jest.config.js `setupFilesAfterEnv`) registers it for every test file.
 */

/** What a finished process, or a command run in-process, leaves. */
export interface Outcome {
  /** `spawnSync`'s exit code; null when a signal ended it. */
  readonly status?: number | null;
  /** `runMrk`'s exit code. */
  readonly code?: number;
  readonly signal?: NodeJS.Signals | string | null;
  readonly stdout?: string | Buffer | null;
  readonly stderr?: string | Buffer | null;
  /** Set by `spawnSync` when the process could not start or timed out. */
  readonly error?: Error;
}

/** The last characters of an output shown in a failure. */
const TAIL = 3000;

function exitCodeOf(outcome: Outcome): number | null {
  if (typeof outcome.code === "number") return outcome.code;
  return typeof outcome.status === "number" ? outcome.status : null;
}

function howItEnded(outcome: Outcome): string {
  if (outcome.error) return `failed: ${outcome.error.message}`;
  const code = exitCodeOf(outcome);
  if (code !== null) return `exited with ${code}`;
  return outcome.signal ? `was ended by ${outcome.signal}` : "did not report an exit code";
}

function tail(name: string, text: string | Buffer | null | undefined): string {
  const value = text === undefined || text === null ? "" : String(text);
  if (value.trim() === "") return `--- ${name}: (empty)`;
  const shown = value.length > TAIL ? `...${value.slice(-TAIL)}` : value;
  return `--- ${name} ---\n${shown.replace(/\s+$/, "")}`;
}

export const processMatchers = {
  toExitWith(this: jest.MatcherContext, outcome: Outcome, expected: number): jest.CustomMatcherResult {
    const pass = !outcome.error && exitCodeOf(outcome) === expected;
    return {
      pass,
      message: () =>
        [
          `expected the process ${this.isNot ? "not " : ""}to exit with ${expected}; it ${howItEnded(outcome)}`,
          tail("stderr", outcome.stderr),
          tail("stdout", outcome.stdout),
        ].join("\n"),
    };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The process (`spawnSync`'s result, or `runMrk`'s) exits with `code`; a failure shows its stderr and stdout. */
      toExitWith(code: number): R;
    }
  }
}

expect.extend(processMatchers);

/**
 * What every `mrk` command is: a name, a one-line summary, its usage, and a function from the
 * arguments after the command's name to an exit code. Commands write through the context, never
 * to the process directly, so tests run them in-process and read what they printed.
 */
import { parseArgs } from "node:util";
import { InvalidInputError } from "../invalid-input";

/** Where a command runs and where it writes. */
export interface CommandContext {
  /** The project folder: the one holding `cdktf.json` or the config files. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Results: reports, HCL paths, SARIF. */
  readonly stdout: (text: string) => void;
  /** Progress, warnings and errors. */
  readonly stderr: (text: string) => void;
}

export interface Command {
  /** `synth`, `check`, ... */
  readonly name: string;
  /** One line for `mrk --help`. */
  readonly summary: string;
  /** The options, one per line, for `mrk <name> --help` and usage errors. */
  readonly usage: string;
  /**
   * Runs the command. Resolves to the exit code: 0 when all is well, 1 when the command found
   * what it looks for (a rule error, a lost key, drift) or refused its input. Bad input throws
   * `InvalidInputError`, which `mrk` prints as one line and exits 1 with.
   */
  run(argv: readonly string[], context: CommandContext): Promise<number>;
}

/** Exit codes every command shares. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A wrong option or argument: `mrk` prints it with the command's usage and exits 2. */
export class UsageError extends InvalidInputError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Options as `node:util` `parseArgs` takes them. */
export type Options = Record<
  string,
  { type: "string" | "boolean"; multiple?: boolean; short?: string; default?: string | boolean | string[] | boolean[] }
>;

/** The values `parseOptions` gives for `T`: strings, booleans, or lists of them with `multiple`. */
export type OptionValues<T extends Options> = {
  -readonly [K in keyof T]?: T[K]["type"] extends "string"
    ? T[K]["multiple"] extends true
      ? string[]
      : string
    : T[K]["multiple"] extends true
      ? boolean[]
      : boolean;
};

/**
 * `node:util` `parseArgs`, strict, with its errors as `UsageError`s that name the option:
 * `--verbose: unknown option`.
 */
export function parseOptions<T extends Options>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): { values: OptionValues<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals, strict: true });
    return { values: values as OptionValues<T>, positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`${unknown[1]}: unknown option`);
    const missing = /Option '(?:-\w, )?([^ ']+)[^']*' argument missing/.exec(message);
    if (missing) throw new UsageError(`${missing[1]}: needs a value`);
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional) throw new UsageError(`${positional[1]}: unexpected argument`);
    throw new UsageError(message);
  }
}

/**
 * Bad input, and how a message names the file it came from. Apart from lib/validation.ts (the
 * rules, which need zod and cdktf) so that `mrk` and its commands that need neither, such as
 * `mrk guard`, start without loading them.
 */
import { isAbsolute, relative } from "node:path";

/** A file's path as short as it can be said in a message: relative to the working folder when inside it. */
export function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd && !fromCwd.startsWith("..") && !isAbsolute(fromCwd) ? fromCwd : path;
}

/**
 * A value a user gave us that breaks a rule; the message names the field and the value, one
 * line per problem. A construct names its props as `<Construct> <path>: <what is wrong>`
 * (`MultiRegionKey replicas[1].region: "eu-west-9" is not an AWS region ...`), which lets the
 * config file layer say the same of its own fields (`problemOf` in lib/validation.ts).
 */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidInputError";
  }
}

/**
 * Reading a stack config file's text, before its schema (lib/config.ts) sees the values: what
 * `JSON.parse` would let through silently, or report unclearly, is refused here with one line
 * per problem that names the file and the field.
 *
 * - A byte-order mark (UTF-8 `EF BB BF`, or UTF-16's): `JSON.parse` fails on it with an
 *   "Unexpected token" that does not say what is wrong. Text that is not UTF-8 at all.
 * - A key given twice in one object: `JSON.parse` keeps the last one and drops the first
 *   without a word (two `primaryRegion`s move the primary). jsonc-parser's `visit` sees both.
 * - A control, bidirectional or invisible character in any string, field names included
 *   (`unsafeCharacterProblem`): every string of a config ends up in a resource argument, a
 *   Terraform address or a message a reviewer reads.
 */
import { readFileSync } from "node:fs";
import { visit } from "jsonc-parser";
import {
  displayPath,
  formatPath,
  formatValue,
  InvalidInputError,
  quoteForMessage,
  unsafeCharacterProblem,
} from "./validation";

/** Byte-order marks, by the encoding they announce. */
const BYTE_ORDER_MARKS: ReadonlyArray<{ bytes: readonly number[]; says: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], says: "starts with a UTF-8 byte-order mark (EF BB BF)" },
  { bytes: [0xff, 0xfe], says: "is UTF-16 (byte-order mark FF FE)" },
  { bytes: [0xfe, 0xff], says: "is UTF-16 (byte-order mark FE FF)" },
];

/** The line (from 1) of a position in a text. */
const lineAt = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/**
 * Reads a config file and parses its JSON. Throws `InvalidInputError` whose message has one
 * line per problem, each starting with the file's path.
 */
export function readConfigJson(path: string): unknown {
  const file = displayPath(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InvalidInputError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const mark = BYTE_ORDER_MARKS.find((candidate) => candidate.bytes.every((byte, i) => bytes[i] === byte));
  if (mark) throw new InvalidInputError(`${file}: ${mark.says}; save it as UTF-8 without a byte-order mark`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = bytes.toString("utf8");
    throw new InvalidInputError(
      `${file}: is not UTF-8 text (line ${lineAt(lossy, lossy.indexOf("\uFFFD"))}); save it as UTF-8`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${file}: is not valid JSON: ${describeJsonError(text, error as Error)}`);
  }
  const problems = textProblems(text).map((problem) => `${file}: ${problem}`);
  if (problems.length > 0) throw new InvalidInputError(problems.join("\n"));
  return data;
}

/** Keys given twice in one object, and strings with unsafe characters, of a text that is valid JSON. */
function textProblems(text: string): string[] {
  const problems: string[] = [];
  /** The keys of each object being read, innermost last, with the line each was given on. */
  const objects: Array<Map<string, number>> = [];
  visit(text, {
    onObjectBegin: () => {
      objects.push(new Map());
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (property, _offset, _length, startLine, _startCharacter, pathSupplier) => {
      const keys = objects[objects.length - 1];
      const line = startLine + 1;
      const field = formatPath([...pathSupplier(), property]);
      const first = keys.get(property);
      if (first !== undefined) {
        problems.push(
          `${field}: is given twice in one object (lines ${first} and ${line}); JSON keeps only the last one, so keep one`,
        );
      } else {
        keys.set(property, line);
      }
      const unsafe = unsafeCharacterProblem(property);
      if (unsafe)
        problems.push(
          `${formatPath(pathSupplier()) || "(top level)"}: the field name ${quoteForMessage(property)} ${unsafe}`,
        );
    },
    onLiteralValue: (value, _offset, _length, _startLine, _startCharacter, pathSupplier) => {
      if (typeof value !== "string") return;
      const unsafe = unsafeCharacterProblem(value);
      if (unsafe) problems.push(`${formatPath(pathSupplier())}: ${formatValue(value)} ${unsafe}`);
    },
  });
  return problems;
}

/** JSON.parse's message, with the line and column of the position it gives. */
function describeJsonError(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${error.message} (line ${line}, column ${column})`;
}

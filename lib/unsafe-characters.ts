/**
 * Characters we refuse in any string a user gives us, and how a message shows them: control
 * characters, and those that make text read otherwise than it is. Apart from lib/validation.ts,
 * which needs zod and cdktf, so that `mrk guard` can escape them in its report too.
 */

/**
 * Characters that make text read otherwise than it is, by name: the bidirectional controls
 * (the "Trojan Source" characters, CVE-2021-42574), which reorder what a reviewer sees, and
 * invisible ones. Control characters (C0, DEL, C1) are refused too (`UNSAFE_CHARACTER`).
 */
const UNSAFE_CHARACTER_NAMES: ReadonlyMap<number, string> = new Map([
  [0x061c, "ARABIC LETTER MARK"],
  [0x200e, "LEFT-TO-RIGHT MARK"],
  [0x200f, "RIGHT-TO-LEFT MARK"],
  [0x202a, "LEFT-TO-RIGHT EMBEDDING"],
  [0x202b, "RIGHT-TO-LEFT EMBEDDING"],
  [0x202c, "POP DIRECTIONAL FORMATTING"],
  [0x202d, "LEFT-TO-RIGHT OVERRIDE"],
  [0x202e, "RIGHT-TO-LEFT OVERRIDE"],
  [0x2066, "LEFT-TO-RIGHT ISOLATE"],
  [0x2067, "RIGHT-TO-LEFT ISOLATE"],
  [0x2068, "FIRST STRONG ISOLATE"],
  [0x2069, "POP DIRECTIONAL ISOLATE"],
  [0x200b, "ZERO WIDTH SPACE"],
  [0x2060, "WORD JOINER"],
  [0xfeff, "ZERO WIDTH NO-BREAK SPACE"],
  [0x2028, "LINE SEPARATOR"],
  [0x2029, "PARAGRAPH SEPARATOR"],
]);

/** One character of a string a user gives us that we refuse: a control character, or one of `UNSAFE_CHARACTER_NAMES`. */
// biome-ignore-start lint/suspicious/noControlCharactersInRegex: control characters (C0, DEL, C1) are what this pattern finds, to refuse them
const UNSAFE_CHARACTER =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]/;
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: the pattern ends here
const UNSAFE_CHARACTERS = new RegExp(UNSAFE_CHARACTER.source, "g");

/** `U+202E`: how a message names a character. */
const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Why a string a user gives us is refused for the characters in it (a predicate such as
 * "contains U+202E RIGHT-TO-LEFT OVERRIDE, ..."), or undefined when it has none of them.
 * Config files are checked for it in every string (lib/config-file.ts), construct props where
 * free text ends up in a resource argument (descriptions, tags, attribute names).
 */
export function unsafeCharacterProblem(text: string): string | undefined {
  const match = UNSAFE_CHARACTER.exec(text);
  if (!match) return undefined;
  const char = match[0];
  const code = char.codePointAt(0)!;
  const name = UNSAFE_CHARACTER_NAMES.get(code);
  if (!name) return `contains ${codePoint(char)}, a control character; remove it`;
  const bidirectional =
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069);
  return bidirectional
    ? `contains ${codePoint(char)} ${name}, a bidirectional control character that makes text display in another order than it is stored; remove it`
    : `contains ${codePoint(char)} ${name}, an invisible character; remove it`;
}

/** Writes the characters `unsafeCharacterProblem` refuses as escapes (`\\u202e`), so that no message carries them to a terminal or a log. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

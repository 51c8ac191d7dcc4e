/**
 * Lines of HCL and their layout: indentation and the alignment of `=` that `terraform fmt`
 * applies (hclwrite's `formatIndent` and `formatCells`).
 */

/** One line of HCL before layout. */
export interface Line {
  /** Nesting depth; the line is indented by two spaces per level. */
  readonly depth: number;
  /** The text after the indentation or, on an attribute line, the value after `=`. */
  readonly text: string;
  /**
   * The name of a single-line `name = value` attribute. terraform fmt aligns the `=` of every
   * run of consecutive such lines; any other line (a blank line, a block header, the first
   * line of a value spanning several lines) ends the run.
   */
  readonly key?: string;
}

/** The blank line between top-level blocks and between the groups of a block's body. */
export const BLANK_LINE: Line = { depth: 0, text: "" };

/** Lays out lines as terraform fmt would: indented, `=` aligned, ending in a newline. */
export function layoutLines(lines: readonly Line[]): string {
  const widths = lines.map((line) => (line.key === undefined ? 0 : 2 * line.depth + columns(line.key)));
  const aligned = alignedKeyWidths(lines, widths);
  return `${lines.map((line, i) => layoutLine(line, widths[i], aligned[i])).join("\n")}\n`;
}

/** A line as text; an attribute's `=` goes one column after `alignedWidth` (`width` is its own). */
function layoutLine(line: Line, width: number, alignedWidth: number): string {
  if (line.key === undefined) return line.text === "" ? "" : indent(line) + line.text;
  return `${indent(line)}${line.key}${" ".repeat(alignedWidth - width + 1)}= ${line.text}`;
}

function indent(line: Line): string {
  return "  ".repeat(line.depth);
}

/**
 * For each attribute line, the width its indentation and name are padded to: the widest in
 * its run of consecutive attribute lines (`widths`: each line's own). hclwrite counts grapheme
 * clusters.
 */
function alignedKeyWidths(lines: readonly Line[], widths: readonly number[]): number[] {
  const aligned = [...widths];
  let runStart = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && lines[i].key !== undefined) continue;
    let widest = 0;
    for (let j = runStart; j < i; j++) widest = Math.max(widest, widths[j]);
    aligned.fill(widest, runStart, i);
    runStart = i + 1;
  }
  return aligned;
}

/** Printable ASCII: one column per character, the case of nearly every line. */
const ASCII = /^[\x20-\x7e]*$/;

/** Made on the first line that needs it: creating one loads ICU's data, about 20 ms. */
let graphemes: Intl.Segmenter | undefined;

function columns(text: string): number {
  if (ASCII.test(text)) return text.length;
  graphemes ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  return [...graphemes.segment(text)].length;
}

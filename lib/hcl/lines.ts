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

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Lays out lines as terraform fmt would: indented, `=` aligned, ending in a newline. */
export function layoutLines(lines: readonly Line[]): string {
  const keyWidths = alignedKeyWidths(lines);
  return lines.map((line, i) => layoutLine(line, keyWidths[i])).join("\n") + "\n";
}

function layoutLine(line: Line, alignedWidth: number): string {
  if (line.key === undefined) return line.text === "" ? "" : indent(line) + line.text;
  const padding = " ".repeat(alignedWidth - columns(indent(line) + line.key) + 1);
  return `${indent(line)}${line.key}${padding}= ${line.text}`;
}

function indent(line: Line): string {
  return "  ".repeat(line.depth);
}

/**
 * For each attribute line, the width its indentation and name are padded to: the widest in
 * its run of consecutive attribute lines. hclwrite counts grapheme clusters.
 */
function alignedKeyWidths(lines: readonly Line[]): number[] {
  const widths = lines.map((line) => (line.key === undefined ? 0 : columns(indent(line) + line.key)));
  const aligned = [...widths];
  let runStart = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && lines[i].key !== undefined) continue;
    const widest = Math.max(0, ...widths.slice(runStart, i));
    aligned.fill(widest, runStart, i);
    runStart = i + 1;
  }
  return aligned;
}

/** Printable ASCII: one column per character, the case of nearly every line. */
const ASCII = /^[\x20-\x7e]*$/;

function columns(text: string): number {
  if (ASCII.test(text)) return text.length;
  return [...graphemes.segment(text)].length;
}

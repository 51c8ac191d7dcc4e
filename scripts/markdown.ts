/**
 * What the generated docs share (RULES.md, docs/config-reference.md, the snippets).
 */

/** The command that writes every generated doc (scripts/docs.ts). */
export const DOCS_COMMAND = "npm run docs";

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as "-". */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

/** Text for a table cell: `|` escaped, on one line. */
export function tableCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

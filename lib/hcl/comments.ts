/**
 * A comment line above a resource's or data source's block in the HCL, as the reference
 * document has one above each key: `# Replica in eu-west-1`.
 *
 * The construct that makes the element says it (`commentAbove`), as construct metadata, which
 * the HCL renderer reads; cdktf's JSON does not carry it, so the JSON and the plan stay as they
 * are.
 */
import type { IConstruct } from "constructs";

/** The metadata entry type that holds the comment. */
const HCL_COMMENT = "mrk:hcl-comment";

/** Writes `# <text>` above the element's block in the HCL; one line, replacing any earlier comment. */
export function commentAbove(element: IConstruct, text: string): void {
  if (/[\r\n]/.test(text)) throw new Error(`an HCL comment is one line: ${JSON.stringify(text)}`);
  element.node.addMetadata(HCL_COMMENT, text);
}

/** The comment `commentAbove` set on the element, the last one if several. */
export function commentOf(element: IConstruct): string | undefined {
  const entries = element.node.metadata.filter((entry) => entry.type === HCL_COMMENT);
  return entries.length > 0 ? String(entries[entries.length - 1].data) : undefined;
}

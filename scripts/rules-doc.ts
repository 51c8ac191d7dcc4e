/**
 * RULES.md, written from the rule pack by `npm run docs` (scripts/docs.ts): for each rule its
 * id, level, what it checks and why, the fix, the checks of other tools it covers, and its
 * compliant and non-compliant examples.
 */
import { join } from "node:path";
import { isObject } from "../lib/json";
import { RULE_PACK } from "../lib/policy/pack";
import type { Rule } from "../lib/policy/rule";
import { DOCS_COMMAND, headingAnchor, tableCell } from "./markdown";

/** Where RULES.md lives: the repo's root. */
export const RULES_DOC_PATH = join(__dirname, "..", "RULES.md");

/** Lists longer than this are shortened in the examples, with a note of how many items were left out. */
const LONGEST_LIST = 8;

/** RULES.md's text. */
export function renderRulesDoc(rules: readonly Rule[] = RULE_PACK): string {
  const lines = [
    "# Policy rules",
    "",
    `<!-- Generated from lib/policy/rules/ by \`${DOCS_COMMAND}\`; do not edit by hand. -->`,
    "",
    "The rule pack runs on every synth (`npm run synth`, `applyPolicyPack(stack)`), in Jest",
    "(`toPassPolicyRules`, `toFailPolicyRule`) and on any Terraform JSON. An error fails the",
    "synth; a warning is printed. The strict readings some rules describe run only with",
    '`"policy": { "strict": true }` in the config (`strict: true` in the options).',
    "A rule does not apply to a resource with a suppression (`policy.suppressions`) that gives",
    "the reason.",
    "",
    "The examples are Terraform JSON, as cdktf synthesizes it into `cdk.tf.json` (Terraform",
    "reads the same as `*.tf.json`).",
    "",
    "| id | level | requires | anchors |",
    "|---|---|---|---|",
    ...rules.map(
      (rule) =>
        `| [${rule.id}](#${anchorOf(rule)}) | ${rule.level} | ${tableCell(rule.title)} | ${tableCell(rule.anchors.join(", ") || "none")} |`,
    ),
    "",
  ];
  for (const rule of rules) {
    lines.push(
      `## ${rule.id}: ${rule.title}`,
      "",
      `Level: ${rule.level}. Applies to: ${rule.appliesTo.map((type) => `\`${type}\``).join(", ")}.`,
      `Anchors: ${rule.anchors.length > 0 ? rule.anchors.join(", ") : "none (no other tool checks this)"}.`,
      "",
      rule.explanation,
      "",
      `Fix: ${rule.fix}.`,
      "",
    );
    lines.push("Compliant:", "", "```json", example(rule.examples.compliant), "```", "");
    lines.push("Non-compliant:", "", "```json", example(rule.examples.nonCompliant), "```", "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** GitHub's heading anchor for a rule's section. */
function anchorOf(rule: Rule): string {
  return headingAnchor(`${rule.id}: ${rule.title}`);
}

/** An example as indented JSON, long lists shortened. */
function example(json: unknown): string {
  return JSON.stringify(shorten(json), null, 2);
}

function shorten(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(shorten);
    return items.length > LONGEST_LIST ? [...items.slice(0, 3), `... ${items.length - 3} more like these`] : items;
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shorten(inner)]));
  }
  return value;
}

/**
 * RULES.md is generated from the rule pack; it must say what the pack says.
 */
import { readFileSync } from "node:fs";
import { RULE_PACK } from "../../lib/policy/pack";
import { renderRulesDoc, RULES_DOC_COMMAND, RULES_DOC_PATH } from "../../scripts/rules-doc";

describe("RULES.md", () => {
  test("is what the rule pack renders", () => {
    const committed = readFileSync(RULES_DOC_PATH, "utf8");
    // Compared as one value with the command, so that a stale file says how to regenerate it.
    expect({ stale: committed !== renderRulesDoc(), regenerateWith: RULES_DOC_COMMAND }).toEqual({ stale: false, regenerateWith: RULES_DOC_COMMAND });
  });

  test("has a section with both examples for every rule", () => {
    const doc = renderRulesDoc();
    const missing = RULE_PACK.filter((rule) => {
      const section = doc.split(`## ${rule.id}: `)[1]?.split("\n## ")[0] ?? "";
      return !(section.includes("Compliant") && section.includes("Non-compliant") && section.includes(rule.fix));
    });
    expect(missing.map((rule) => rule.id)).toEqual([]);
  });
});

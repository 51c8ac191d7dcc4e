/**
 * RULES.md is generated from the rule pack; it must say what the pack says. Whether the file in
 * the repository is current is checked with the other generated docs (__tests__/docs.test.ts).
 */
import { RULE_PACK } from "../../lib/policy/pack";
import { renderRulesDoc } from "../../scripts/rules-doc";

describe("RULES.md", () => {
  test("has a section with both examples for every rule", () => {
    const doc = renderRulesDoc();
    const missing = RULE_PACK.filter((rule) => {
      const section = doc.split(`## ${rule.id}: `)[1]?.split("\n## ")[0] ?? "";
      return !(section.includes("Compliant") && section.includes("Non-compliant") && section.includes(rule.fix));
    });
    expect(missing.map((rule) => rule.id)).toEqual([]);
  });
});

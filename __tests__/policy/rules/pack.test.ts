/**
 * The rule pack as a whole: one test file per rule here (each checks its rule's examples and
 * its cases), unique ids, and a compliant key set that breaks nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULE_IDS, RULE_PACK } from "../../../lib/policy/pack";
import { findingIds, keySet } from "../fixtures";

const RULES_DIR = join(__dirname, "..", "..", "..", "lib", "policy", "rules");

/** Each rule's id, by the file that defines it (`rotation` → MRK-KMS-1). */
function ruleFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts"))) {
    const id = /\bid: "(MRK-[A-Z0-9]+-\d+)"/.exec(readFileSync(join(RULES_DIR, file), "utf8"))?.[1];
    if (id) files.set(file.replace(/\.ts$/, ""), id);
  }
  return files;
}

describe("the rule pack", () => {
  test("defines each rule in a file of its own", () => {
    expect([...ruleFiles().values()].sort()).toEqual([...RULE_IDS].sort());
  });

  test("has a test file here for every rule, which checks that rule", () => {
    const tests = readdirSync(__dirname).filter((f) => f.endsWith(".test.ts") && f !== "pack.test.ts");
    const missing = [...ruleFiles()].filter(
      ([file]) =>
        !tests.includes(`${file}.test.ts`) ||
        !readFileSync(join(__dirname, `${file}.test.ts`), "utf8").includes("describeRule("),
    );
    expect(missing.map(([file, id]) => `${id} (${file}.test.ts)`)).toEqual([]);
    expect(tests.length).toBe(RULE_PACK.length);
  });

  test("rule ids are unique", () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });

  test("the compliant key set breaks no rule and has no warning, in the strict reading too", () => {
    expect(findingIds(keySet().stack)).toEqual([]);
    expect(findingIds(keySet().stack, { strict: true })).toEqual([]);
  });
});

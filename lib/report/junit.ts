/**
 * A policy report as JUnit XML, for CI test reports (GitHub Actions test reporters, GitLab,
 * Jenkins, Azure DevOps).
 *
 * One test suite per rule and one test case per resource the rule checked, so a report shows
 * what passed as well as what failed. A test case fails (`<failure>`) when the resource breaks
 * an error-level rule: failures are exactly what makes `mrk check` exit 1. A warning keeps its
 * test case passing and is written to the case's `<system-out>`; a suppressed finding is a
 * skipped case whose message is the suppression's reason.
 *
 * The XML keeps to the JUnit schema that Jenkins' xUnit plugin validates against
 * (junit-10.xsd): test cases carry only `name`, `classname` and `time`, so the file and line go
 * in the failure's text.
 */
import { type Finding, formatFinding } from "../policy/rule";
import { type CheckedStack, findingsOf, showLocation } from "./checked-stack";

export function junitXml(checked: CheckedStack, name: string): string {
  const { report } = checked;
  const suites = report.rules.map((rule) => {
    const addresses = checked.checked.get(rule.id) ?? [];
    let failures = 0;
    let skipped = 0;
    const cases = addresses.map((address) => {
      const found = findingsOf(report.findings, rule.id, address);
      const suppressed = report.suppressed.find((s) => s.rule.id === rule.id && s.address === address);
      const where = showLocation(checked.locate(address));
      const open = `    <testcase name="${xml(address)}" classname="${xml(rule.id)}" time="0">`;
      if (found.length > 0 && rule.level === "error") {
        failures += 1;
        return [
          open,
          `      <failure type="${xml(rule.id)}" message="${xml(summary(found))}">${xml(details(found, where))}</failure>`,
          "    </testcase>",
        ].join("\n");
      }
      if (found.length > 0) {
        return [
          open,
          `      <system-out>${xml(`warning: ${details(found, where)}`)}</system-out>`,
          "    </testcase>",
        ].join("\n");
      }
      if (suppressed) {
        skipped += 1;
        return [
          open,
          `      <skipped message="${xml(`suppressed: ${suppressed.suppression.reason}`)}"/>`,
          "    </testcase>",
        ].join("\n");
      }
      return `${open.slice(0, -1)}/>`;
    });
    const attributes = `name="${xml(`${rule.id} ${rule.title}`)}" tests="${addresses.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0"`;
    return {
      failures,
      tests: addresses.length,
      text: [`  <testsuite ${attributes}>`, ...cases, "  </testsuite>"].join("\n"),
    };
  });
  const tests = suites.reduce((sum, suite) => sum + suite.tests, 0);
  const failures = suites.reduce((sum, suite) => sum + suite.failures, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    ...suites.map((suite) => suite.text),
    "</testsuites>",
    "",
  ].join("\n");
}

function summary(findings: readonly Finding[]): string {
  return findings.length === 1 ? findings[0].message : `${findings[0].message} (and ${findings.length - 1} more)`;
}

function details(findings: readonly Finding[], where: string): string {
  return [...findings.map(formatFinding), ...(where ? [`at ${where}`] : [])].join("\n");
}

/** Text for an XML attribute or element; characters XML 1.0 forbids are dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;");
}

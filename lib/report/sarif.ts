/**
 * A policy report as SARIF 2.1.0, for GitHub code scanning (github/codeql-action/upload-sarif)
 * and other SARIF viewers.
 *
 * Follows GitHub's "SARIF support for code scanning": every rule of the pack is a
 * `reportingDescriptor` with its id, short and full description (at most `DESCRIPTION_LIMIT` characters each),
 * help text and markdown (the explanation, the fix and the checks of other tools it covers),
 * its level, and `security-severity` (errors 7.5, "high"; warnings 5.0, "medium") with the tag
 * `security`. Each finding is a result with the rule's level, a message that starts with the
 * resource's rule id and address (formatFinding), the `.tf` file and line when known (GitHub shows only results with a
 * file location), the Terraform address as a logical location, and a fingerprint of rule,
 * address and message.
 *
 * Suppressed findings are left out: GitHub code scanning ignores SARIF's `suppressions` and
 * would open an alert for each; they stay in the text and JUnit reports.
 */
import { createHash } from "node:crypto";
import type { Log, ReportingDescriptor, Result } from "sarif";
import { formatFinding, type Rule } from "../policy/rule";
import type { CheckedStack } from "./checked-stack";
import { packageVersion } from "./package-version";

/** The schema URI GitHub's documentation gives for SARIF 2.1.0. */
export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub's limit on a rule's short and full description. */
const DESCRIPTION_LIMIT = 1024;

const SECURITY_SEVERITY: Record<Rule["level"], string> = { error: "7.5", warning: "5.0" };

export function sarifLog(checked: CheckedStack): Log {
  const { report } = checked;
  const rules = [...report.rules];
  const results = report.findings.map((finding): Result => {
    const location = checked.locate(finding.address);
    return {
      ruleId: finding.rule.id,
      ruleIndex: rules.indexOf(finding.rule),
      level: finding.rule.level,
      message: { text: formatFinding(finding) },
      locations: [
        {
          ...(location
            ? { physicalLocation: { artifactLocation: { uri: location.uri }, region: { startLine: location.line } } }
            : {}),
          logicalLocations: [{ fullyQualifiedName: finding.address, kind: "resource" }],
        },
      ],
      partialFingerprints: {
        "mrkFinding/v1": createHash("sha256")
          .update(`${finding.rule.id}\n${finding.address}\n${finding.message}`)
          .digest("hex"),
      },
    };
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "mrk", semanticVersion: packageVersion(), rules: rules.map(reportingDescriptor) } },
        results,
      },
    ],
  };
}

function reportingDescriptor(rule: Rule): ReportingDescriptor {
  const covers = rule.anchors.length > 0 ? `Covers: ${rule.anchors.join(", ")}.` : "";
  return {
    id: rule.id,
    shortDescription: { text: limit(rule.title) },
    fullDescription: { text: limit(rule.explanation) },
    help: {
      text: [rule.explanation, `Fix: ${rule.fix}`, covers].filter(Boolean).join("\n\n"),
      markdown: [
        rule.explanation,
        `**Fix:** ${rule.fix}`,
        covers && `**Covers:** ${rule.anchors.map((a) => `\`${a}\``).join(", ")}`,
      ]
        .filter(Boolean)
        .join("\n\n"),
    },
    defaultConfiguration: { level: rule.level },
    properties: {
      tags: ["security", "terraform", "kms"],
      "security-severity": SECURITY_SEVERITY[rule.level],
      anchors: [...rule.anchors],
    },
  };
}

function limit(text: string): string {
  return text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 3)}...`;
}

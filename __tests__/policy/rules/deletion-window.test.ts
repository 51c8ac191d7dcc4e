import { deletionWindowRule } from "../../../lib/policy/rules/deletion-window";
import { findingIds, keySet } from "../fixtures";
import { describeRule, PRIMARY_KEY, REPLICA_KEY, ruleFindings } from "./cases";

describeRule(deletionWindowRule, {
  compliant: () => keySet({ key: { deletionWindowInDays: 30 } }).stack,
  nonCompliant: () => keySet({ key: { deletionWindowInDays: 7 } }).stack,
  address: PRIMARY_KEY,
});

describe("MRK-KMS-5 deletion window", () => {
  test("reports every key of the set", () => {
    expect(findingIds(keySet({ key: { deletionWindowInDays: 7 } }).stack)).toEqual([
      `MRK-KMS-5 @ ${PRIMARY_KEY}`,
      `MRK-KMS-5 @ ${REPLICA_KEY}`,
    ]);
  });

  test("takes its minimum from the options", () => {
    expect(keySet({ key: { deletionWindowInDays: 7 } }).stack).toPassPolicyRules({ minimumDeletionWindowInDays: 7 });
    expect(keySet({ key: { deletionWindowInDays: 14 } }).stack).toFailPolicyRule("MRK-KMS-5", PRIMARY_KEY, {
      minimumDeletionWindowInDays: 20,
    });
  });

  test("counts a window left out as KMS's 30 days", () => {
    expect(keySet().stack).not.toFailPolicyRule("MRK-KMS-5");
  });

  test("reads a number given as a string, as Terraform does", () => {
    const json = {
      resource: {
        aws_kms_key: { a: { deletion_window_in_days: "30" }, b: { deletion_window_in_days: "7" } },
        aws_kms_external_key: { c: { deletion_window_in_days: 10 } },
      },
    };
    expect(ruleFindings(json, deletionWindowRule)).toEqual([
      'aws_kms_key.b: deletion_window_in_days is "7", below the minimum of 30 days',
      "aws_kms_external_key.c: deletion_window_in_days is 10, below the minimum of 30 days",
    ]);
  });
});

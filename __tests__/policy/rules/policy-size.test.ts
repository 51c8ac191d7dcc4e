import { policySizeRule } from "../../../lib/policy/rules/policy-size";
import { keySet, PRIMARY, report } from "../fixtures";
import { describeRule, PRIMARY_KEY } from "./cases";

const cases = {
  compliant: () => keySet().stack,
  nonCompliant: () =>
    keySet({
      policy: (region: string) =>
        region === PRIMARY
          ? {
              users: [
                {
                  principals: Array.from(
                    { length: 600 },
                    (_, i) => `arn:aws:iam::111111111111:role/application-role-number-${i}`,
                  ),
                },
              ],
            }
          : {},
    }).stack,
  address: PRIMARY_KEY,
};

describeRule(policySizeRule, cases);

describe("MRK-KMS-7 policy size", () => {
  test("says how big the policy is", () => {
    const finding = report(cases.nonCompliant()).findings.find((f) => f.rule.id === "MRK-KMS-7")!;
    expect(finding.message).toMatch(/is \d+ bytes; KMS allows at most 32768/);
  });
});

import { retiredKeysRule } from "../../../lib/policy/rules/retired-keys";
import { RemovedBlock } from "../../../lib/removed-block";
import { keySet, report } from "../fixtures";
import { describeRule, ruleFindings } from "./cases";

const removing = (destroy: boolean) => () => {
  const fixture = keySet();
  new RemovedBlock(fixture.stack, "removed-apac", { from: "aws_kms_replica_key.apac", destroy });
  return fixture.stack;
};

describeRule(retiredKeysRule, {
  compliant: removing(false),
  nonCompliant: removing(true),
  address: "aws_kms_replica_key.apac",
});

describe("MRK-KMS-16 retired keys", () => {
  test("is a warning: a deliberate retire still synthesizes", () => {
    const stack = removing(true)();
    expect(stack).toPassPolicyRules();
    expect(report(stack).findings.map((f) => `${f.rule.id} ${f.rule.level} @ ${f.address}`)).toEqual([
      "MRK-KMS-16 warning @ aws_kms_replica_key.apac",
    ]);
  });

  test("reads a removed block without lifecycle as Terraform does: it destroys", () => {
    const json = { resource: {}, removed: [{ from: "aws_kms_key.old" }, { from: "aws_s3_bucket.logs" }] };
    expect(ruleFindings(json, retiredKeysRule)).toEqual([
      "aws_kms_key.old: a removed block destroys aws_kms_key.old: terraform apply schedules the key's deletion, after which whatever only it encrypted cannot be decrypted",
    ]);
  });
});

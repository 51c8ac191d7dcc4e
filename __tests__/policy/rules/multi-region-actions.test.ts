import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { multiRegionActionsRule } from "../../../lib/policy/rules/multi-region-actions";
import { ADMIN, APP, findingIds, keySet, PRIMARY, REPLICA, rawPolicy, report, rootStatement } from "../fixtures";
import { describeRule, PRIMARY_KEY } from "./cases";

const STRICT = { strict: true };

describeRule(multiRegionActionsRule, {
  compliant: () => keySet().stack,
  nonCompliant: () =>
    keySet({ policy: (region) => (region === PRIMARY ? { keyRegions: [PRIMARY, REPLICA, "ap-southeast-1"] } : {}) })
      .stack,
  address: PRIMARY_KEY,
  options: STRICT,
});

describe("MRK-KMS-10 multi-region operations", () => {
  test("refuses ReplicateKey and UpdatePrimaryRegion without a region condition, with strict", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "unlimited", PRIMARY, [
      rootStatement,
      {
        sid: "Admins",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [ADMIN] }],
        actions: ["kms:Describe*", "kms:Update*", "kms:ReplicateKey"],
        resources: ["*"],
      },
    ]);
    fixture.key.primaryKey.addOverride("policy", policy.json);
    const messages = report(fixture.stack, STRICT)
      .findings.filter((f) => f.rule.id === "MRK-KMS-10")
      .map((f) => f.message);
    expect(messages).toEqual([
      'statement "Admins" of data.aws_iam_policy_document.unlimited allows kms:ReplicateKey without a StringEquals condition on kms:ReplicaRegion',
      'statement "Admins" of data.aws_iam_policy_document.unlimited allows kms:UpdatePrimaryRegion without a StringEquals condition on kms:PrimaryRegion',
    ]);
    // AWS's own multi-Region example has no region condition: not an error by default.
    expect(report(fixture.stack).findings.filter((f) => f.rule.id === "MRK-KMS-10")).toEqual([]);
  });

  test("names regions outside the key set, with strict", () => {
    const stack = keySet({
      policy: (region) => (region === PRIMARY ? { keyRegions: [PRIMARY, REPLICA, "ap-southeast-1"] } : {}),
    }).stack;
    const finding = report(stack, STRICT).findings.find((f) => f.rule.id === "MRK-KMS-10")!;
    expect(finding.message).toContain("ap-southeast-1 is not a region of the key (us-east-1, eu-west-1)");
  });

  test("refuses the operations to key users, even with the condition", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "users_replicate", PRIMARY, [
      rootStatement,
      {
        sid: "AppReplicates",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:Decrypt", "kms:ReplicateKey"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "kms:ReplicaRegion", values: [REPLICA] }],
      },
    ]);
    fixture.key.primaryKey.addOverride("policy", policy.json);
    expect(
      report(fixture.stack)
        .findings.filter((f) => f.rule.id === "MRK-KMS-10")
        .map((f) => f.message),
    ).toEqual([
      `statement "AppReplicates" of data.aws_iam_policy_document.users_replicate allows kms:ReplicateKey to key users (${APP}), who also encrypt or decrypt with the key`,
    ]);
  });

  test("leaves the account root statement alone and does not apply to single-region keys", () => {
    const fixture = keySet();
    new KmsKey(fixture.stack, "regional", {
      provider: fixture.providers.forRegion(PRIMARY),
      enableKeyRotation: true,
      policy: rawPolicy(fixture, "regional_policy", PRIMARY, [
        rootStatement,
        {
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [ADMIN] }],
          actions: ["kms:ReplicateKey"],
          resources: ["*"],
        },
      ]).json,
    });
    expect(findingIds(fixture.stack)).toEqual([]);
    expect(findingIds(fixture.stack, STRICT)).toEqual([]);
  });
});

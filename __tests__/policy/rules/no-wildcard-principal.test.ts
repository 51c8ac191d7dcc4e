import { noWildcardPrincipalRule } from "../../../lib/policy/rules/no-wildcard-principal";
import { findingIds, keySet, REPLICA, ROOT, rawPolicy, report, rootStatement } from "../fixtures";
import { describeRule, PRIMARY_KEY, REPLICA_KEY, ruleFindings } from "./cases";

/** A key with a literal JSON key policy of the root statement and `statement`. */
const withStatement = (statement: object) => ({
  resource: {
    aws_kms_key: {
      k: {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Root",
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::111122223333:root" },
              Action: "kms:*",
              Resource: "*",
            },
            statement,
          ],
        }),
      },
    },
  },
});

describeRule(noWildcardPrincipalRule, {
  compliant: () => keySet().stack,
  // "*" confined by kms:CallerAccount alone: public only in the strict reading.
  nonCompliant: () => {
    const fixture = keySet();
    const open = rawPolicy(fixture, "open_policy", REPLICA, [
      rootStatement,
      {
        sid: "AnyoneInTheAccount",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: ["*"] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "kms:CallerAccount", values: ["111111111111"] }],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", open.json);
    return fixture.stack;
  },
  address: REPLICA_KEY,
  options: { strict: true },
});

describe("MRK-KMS-2 wildcard principals", () => {
  test('refuses a literal JSON policy that allows Principal "*"', () => {
    const fixture = keySet();
    fixture.key.primaryKey.addOverride(
      "policy",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "Root", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" },
          { Sid: "Public", Effect: "Allow", Principal: "*", Action: "kms:Encrypt", Resource: "*" },
        ],
      }),
    );
    expect(findingIds(fixture.stack)).toEqual([`MRK-KMS-2 @ ${PRIMARY_KEY}`]);
  });

  test("allows a Deny to everyone", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "deny_policy", REPLICA, [
      rootStatement,
      {
        effect: "Deny",
        principals: [{ type: "AWS", identifiers: ["*"] }],
        actions: ["kms:ScheduleKeyDeletion"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).not.toFailPolicyRule("MRK-KMS-2");
  });

  test("fails closed on a policy it cannot read before apply", () => {
    const fixture = keySet();
    fixture.key.primaryKey.addOverride("policy", '${file("policy.json")}');
    expect(report(fixture.stack).findings.find((f) => f.rule.id === "MRK-KMS-2")?.message).toMatch(/cannot be checked/);
  });

  test.each<[string, Record<string, Record<string, string | string[]>>]>([
    ["aws:PrincipalAccount", { StringEquals: { "aws:PrincipalAccount": "111122223333" } }],
    ["aws:PrincipalOrgID", { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
    // The EC2 User Guide's "Allow organizations and OUs to use a KMS key".
    [
      "organizational units in aws:PrincipalOrgPaths",
      {
        "ForAnyValue:StringLike": {
          "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/*"],
        },
      },
    ],
    [
      "kms:CallerAccount with kms:ViaService",
      { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.us-west-2.amazonaws.com" } },
    ],
    [
      "kms:CallerAccount with an encryption context (CloudTrail's default policy)",
      {
        StringEquals: { "kms:CallerAccount": "111122223333" },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*" },
      },
    ],
    ["an account in aws:PrincipalArn", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" } }],
  ])('accepts "*" confined by %s, and refuses it with strict', (_, condition) => {
    const json = withStatement({
      Sid: "Confined",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: condition,
    });
    expect(ruleFindings(json, noWildcardPrincipalRule)).toEqual([]);
    expect(ruleFindings(json, noWildcardPrincipalRule, { strict: true })).toEqual([
      'aws_kms_key.k: statement "Confined" of inline JSON allows the wildcard principal "*" (its conditions confine it, but strict refuses every wildcard)',
    ]);
  });

  test.each<[string, Record<string, Record<string, string | string[]>>]>([
    ["kms:ViaService alone", { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } }],
    ["aws:PrincipalAccount with IfExists", { StringEqualsIfExists: { "aws:PrincipalAccount": "111122223333" } }],
    ["a wildcard account", { StringLike: { "aws:PrincipalAccount": "*" } }],
    [
      "a path in aws:PrincipalOrgPaths that names no organization",
      { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "*/ou-ab12-11111111/*" } },
    ],
  ])('refuses "*" with %s, which confines nothing', (_, condition) => {
    const json = withStatement({
      Sid: "Open",
      Effect: "Allow",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: condition,
    });
    expect(ruleFindings(json, noWildcardPrincipalRule)).toEqual([
      'aws_kms_key.k: statement "Open" of inline JSON allows the wildcard principal "*", and no condition confines it to an account or organization',
    ]);
  });

  test("refuses an Allow with NotPrincipal and a principal ARN with a wildcard", () => {
    expect(
      ruleFindings(
        withStatement({
          Sid: "AllBut",
          Effect: "Allow",
          NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/x" },
          Action: "kms:Decrypt",
          Resource: "*",
        }),
        noWildcardPrincipalRule,
      ),
    ).toEqual(['aws_kms_key.k: statement "AllBut" of inline JSON allows everyone but its NotPrincipal list']);
    expect(
      ruleFindings(
        withStatement({
          Sid: "Pattern",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:role/app-*" },
          Action: "kms:Decrypt",
          Resource: "*",
        }),
        noWildcardPrincipalRule,
      ),
    ).toEqual([
      'aws_kms_key.k: statement "Pattern" of inline JSON names the principal "arn:aws:iam::111122223333:role/app-*", a pattern that IAM does not match as one',
    ]);
  });
});

describe("MRK-KMS-2 conditions that confine no account", () => {
  const json = (condition: object) => ({
    resource: {
      aws_kms_key: {
        k: {
          policy: JSON.stringify({
            Statement: [
              { Sid: "S", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: condition },
            ],
          }),
        },
      },
    },
  });

  test("accepts a fixed VPC endpoint, VPC or user id", () => {
    expect(
      ruleFindings(json({ StringEquals: { "aws:SourceVpce": "vpce-1234abcdf5678c90a" } }), noWildcardPrincipalRule),
    ).toEqual([]);
    expect(ruleFindings(json({ StringEquals: { "aws:SourceVpc": "vpc-12345678" } }), noWildcardPrincipalRule)).toEqual(
      [],
    );
  });

  test("refuses a policy variable or a negated operator", () => {
    expect(
      ruleFindings(
        json({ StringEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount}" } }),
        noWildcardPrincipalRule,
      ).length,
    ).toBe(1);
    expect(
      ruleFindings(json({ StringNotEquals: { "aws:PrincipalAccount": "444455556666" } }), noWildcardPrincipalRule)
        .length,
    ).toBe(1);
  });
});

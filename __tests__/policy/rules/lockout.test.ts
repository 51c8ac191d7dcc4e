import { lockoutRule } from "../../../lib/policy/rules/lockout";
import { ADMIN, APP, keySet, REPLICA, rawPolicy } from "../fixtures";
import { describeRule, REPLICA_KEY, ruleFindings } from "./cases";

describeRule(lockoutRule, {
  compliant: () => keySet().stack,
  nonCompliant: () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "no_admin", REPLICA, [
      {
        sid: "Users",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:Encrypt", "kms:Decrypt"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    return fixture.stack;
  },
  address: REPLICA_KEY,
});

/** A key with a literal JSON policy of these statements. */
const keyWith = (...statements: object[]) => ({
  resource: { aws_kms_key: { k: { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) } } },
});
const LOCKED =
  "aws_kms_key.k: no statement of inline JSON lets the account root or an administrator of the account call kms:PutKeyPolicy, so nobody could change the key policy again";

describe("MRK-KMS-14 lockout", () => {
  test("accepts an administrator role with kms:Put*, the account root, and KMS's default key policy", () => {
    expect(
      ruleFindings(
        keyWith({ Effect: "Allow", Principal: { AWS: ADMIN }, Action: ["kms:Put*", "kms:Describe*"], Resource: "*" }),
        lockoutRule,
      ),
    ).toEqual([]);
    expect(
      ruleFindings(
        keyWith({ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "kms:*", Resource: "*" }),
        lockoutRule,
      ),
    ).toEqual([]);
    expect(ruleFindings({ resource: { aws_kms_key: { k: {} } } }, lockoutRule)).toEqual([]);
  });

  test("does not count another account's root, a service or a Deny to everyone", () => {
    const root = {
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:root" },
      Action: "kms:*",
      Resource: "*",
    };
    const user = {
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:role/App" },
      Action: "kms:Decrypt",
      Resource: "*",
    };
    expect(
      ruleFindings(
        keyWith(user, {
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:*",
          Resource: "*",
        }),
        lockoutRule,
        { accountId: "111111111111" },
      ),
    ).toEqual([LOCKED.replace("account root", "account root of 111111111111")]);
    expect(
      ruleFindings(
        keyWith(root, { Effect: "Deny", Principal: "*", Action: "kms:PutKeyPolicy", Resource: "*" }),
        lockoutRule,
      ),
    ).toEqual([LOCKED.replace("account root", "account root of 111111111111")]);
    expect(
      ruleFindings(
        keyWith(user, {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::444455556666:root" },
          Action: "kms:*",
          Resource: "*",
        }),
        lockoutRule,
        { accountId: "111111111111" },
      ),
    ).toEqual([LOCKED.replace("account root", "account root of 111111111111")]);
  });

  test("accepts a conditional administrator statement, as AWS's VPC example writes it", () => {
    const statement = {
      Effect: "Allow",
      Principal: { AWS: "111122223333" },
      Action: ["kms:Put*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:sourceVpc": "vpc-12345678" } },
    };
    expect(ruleFindings(keyWith(statement), lockoutRule)).toEqual([]);
  });

  test("accepts the caller of data.aws_caller_identity as administrator", () => {
    const json = {
      data: { aws_caller_identity: { current: {} } },
      resource: {
        aws_kms_key: {
          k: {
            policy: JSON.stringify({
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { AWS: "${data.aws_caller_identity.current.arn}" },
                  Action: "kms:*",
                  Resource: "*",
                },
              ],
            }),
          },
        },
      },
    };
    expect(ruleFindings(json, lockoutRule)).toEqual([]);
  });
});

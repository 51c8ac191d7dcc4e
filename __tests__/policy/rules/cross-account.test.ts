import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { crossAccountRule } from "../../../lib/policy/rules/cross-account";
import { APP, keySet, PRIMARY, REPLICA, rawPolicy, rootStatement } from "../fixtures";
import { describeRule, REPLICA_KEY, ruleFindings } from "./cases";

const EXTERNAL = "arn:aws:iam::444455556666:root";

describeRule(crossAccountRule, {
  compliant: () => keySet().stack,
  nonCompliant: () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "shared", REPLICA, [
      rootStatement,
      {
        sid: "Partner",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [EXTERNAL] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    return fixture.stack;
  },
  address: REPLICA_KEY,
});

/** A key whose policy has the root statement of `root` and `statement`, as literal JSON. */
const keyWith = (statement: object, root = "arn:aws:iam::111122223333:root", extra: object = {}) => ({
  resource: {
    aws_kms_key: {
      k: {
        policy: JSON.stringify({
          Statement: [
            { Sid: "Root", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
            statement,
          ],
        }),
      },
    },
    ...extra,
  },
});
const decryptFor = (principal: unknown, condition?: object) => ({
  Sid: "Share",
  Effect: "Allow",
  Principal: principal,
  Action: "kms:Decrypt",
  Resource: "*",
  ...(condition ? { Condition: condition } : {}),
});

describe("MRK-KMS-12 cross-account access", () => {
  test("reports a role of another account, and accepts it once the account is trusted", () => {
    const json = keyWith(decryptFor({ AWS: "arn:aws:iam::444455556666:role/Reader" }));
    expect(ruleFindings(json, crossAccountRule)).toEqual([
      'aws_kms_key.k: statement "Share" of inline JSON allows arn:aws:iam::444455556666:role/Reader, of account 444455556666, to use the key',
    ]);
    expect(ruleFindings(json, crossAccountRule, { trustedAccounts: ["444455556666"] })).toEqual([]);
  });

  test("cannot tell an account written out from data.aws_caller_identity's, known only at plan: reports none until the account id is given", () => {
    // A MultiRegionKey without accountId: its root is the caller's, its administrator written out.
    const json = keyWith(
      decryptFor({ AWS: "arn:aws:iam::444455556666:role/Admin" }),
      "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
    );
    (json as { data?: object }).data = { aws_caller_identity: { current: {} } };
    expect(ruleFindings(json, crossAccountRule)).toEqual([]);
    expect(ruleFindings(json, crossAccountRule, { accountId: "444455556666" })).toEqual([]);
    expect(ruleFindings(json, crossAccountRule, { accountId: "111122223333" })).toEqual([
      'aws_kms_key.k: statement "Share" of inline JSON allows arn:aws:iam::444455556666:role/Admin, of account 444455556666, to use the key',
    ]);
  });

  test("takes the owner of two accounts named to be the one whose root may change the policy", () => {
    expect(ruleFindings(keyWith(decryptFor({ AWS: ["arn:aws:iam::444455556666:root"] })), crossAccountRule)).toEqual([
      'aws_kms_key.k: statement "Share" of inline JSON allows arn:aws:iam::444455556666:root, of account 444455556666, to use the key',
    ]);
    expect(ruleFindings(keyWith(decryptFor({ AWS: "444455556666" })), crossAccountRule).length).toBe(1);
  });

  test('reports "*" confined to another account or an untrusted organization', () => {
    expect(
      ruleFindings(
        keyWith(decryptFor({ AWS: "*" }, { StringEquals: { "kms:CallerAccount": "444455556666" } })),
        crossAccountRule,
      ),
    ).toEqual([
      'aws_kms_key.k: statement "Share" of inline JSON lets principals of account 444455556666 use the key, by its conditions',
    ]);
    const org = keyWith(decryptFor({ AWS: "*" }, { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }));
    expect(ruleFindings(org, crossAccountRule)).toEqual([]);
    expect(ruleFindings(org, crossAccountRule, { trustedOrganizations: ["o-a1b2c3d4e5"] })).toEqual([]);
    expect(ruleFindings(org, crossAccountRule, { trustedOrganizations: ["o-zzzzzzzzzz"] })).toEqual([
      'aws_kms_key.k: statement "Share" of inline JSON lets principals of organization o-a1b2c3d4e5 use the key, by its conditions',
    ]);
    const units = keyWith(
      decryptFor(
        { AWS: "*" },
        { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" } },
      ),
    );
    expect(ruleFindings(units, crossAccountRule, { trustedOrganizations: ["o-a1b2c3d4e5"] })).toEqual([]);
    expect(ruleFindings(units, crossAccountRule, { trustedOrganizations: ["o-zzzzzzzzzz"] })).toEqual([
      'aws_kms_key.k: statement "Share" of inline JSON lets principals of organization o-a1b2c3d4e5 use the key, by its conditions',
    ]);
  });

  test("accepts principals of the own account, services and a Deny to others", () => {
    expect(ruleFindings(keyWith(decryptFor({ AWS: "arn:aws:iam::111122223333:role/App" })), crossAccountRule)).toEqual(
      [],
    );
    expect(ruleFindings(keyWith(decryptFor({ Service: "cloudtrail.amazonaws.com" })), crossAccountRule)).toEqual([]);
    expect(
      ruleFindings(
        keyWith({ ...decryptFor({ AWS: "arn:aws:iam::444455556666:root" }), Effect: "Deny" }),
        crossAccountRule,
      ),
    ).toEqual([]);
  });

  test("reports a grant to another account's principal", () => {
    const fixture = keySet();
    new KmsGrant(fixture.stack, "partner", {
      provider: fixture.providers.forRegion(PRIMARY),
      name: "partner",
      keyId: fixture.key.primaryKey.keyId,
      granteePrincipal: "arn:aws:iam::444455556666:role/Partner",
      operations: ["Decrypt"],
    });
    new KmsGrant(fixture.stack, "own", {
      provider: fixture.providers.forRegion(PRIMARY),
      name: "own",
      keyId: fixture.key.primaryKey.keyId,
      granteePrincipal: APP,
      operations: ["Decrypt"],
    });
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-12", "aws_kms_grant.partner");
    expect(fixture.stack).not.toFailPolicyRule("MRK-KMS-12", "aws_kms_grant.own");
  });
});

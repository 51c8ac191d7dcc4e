/**
 * Effective access: who may call what on the key in which region, by the synthesized key
 * policies, and the Jest matchers on it.
 */
import { join } from "node:path";
import { accessReport } from "../../lib/cli/access";
import { AccessEvaluator, accessMatrix, formatAccessMatrix } from "../../lib/policy/access";
import { DEFAULT_CONFIG } from "../../stacks/app";
import { runMrk, testContext } from "../cli";
import { EXAMPLE_CONFIGS_DIR, stackFromFile } from "../helpers";
import { ADMIN, APP, keySet, PRIMARY, REPLICA, ROOT, rawPolicy, rootStatement } from "./fixtures";
import { evaluatorOf } from "./literal-key-policy";

const EU_ROLE = "arn:aws:iam::111111111111:role/EUApplicationRole";
const APPLICATION_ROLE = "arn:aws:iam::111111111111:role/global-encrypt-application";

describe("the default stack's key policies", () => {
  const stack = stackFromFile();

  test("let the EU team use the EU replica, and leave the other regions to IAM", () => {
    expect(stack).toAllow(EU_ROLE, "kms:Decrypt", "eu-west-1");
    expect(stack).toAllow(EU_ROLE, "kms:GenerateDataKey", "eu-west-1");
    expect(stack).not.toAllow(EU_ROLE, "kms:Decrypt", "ap-southeast-1");
    expect(stack).not.toAllow(EU_ROLE, "kms:Decrypt", "us-east-1");
    expect(stack).toAllowThroughIam(EU_ROLE, "kms:Decrypt", "us-east-1");
  });

  test("give the EU team only the three actions the document names", () => {
    expect(stack).not.toAllow(EU_ROLE, "kms:DescribeKey", "eu-west-1");
    expect(stack).not.toAllow(EU_ROLE, "kms:PutKeyPolicy", "eu-west-1");
  });

  test("match the application role's token by the ARN it resolves to, or by its address", () => {
    expect(stack).toAllow(APPLICATION_ROLE, "kms:Encrypt", "us-east-1");
    expect(stack).toAllow("aws_iam_role.application", "kms:DescribeKey", "us-east-1");
    expect(stack).toAllow("${aws_iam_role.application.arn}", "kms:Decrypt", "us-east-1");
    // The replicas' policies do not name it: KMS never copies the primary's policy.
    expect(stack).not.toAllow(APPLICATION_ROLE, "kms:Decrypt", "eu-west-1");
  });

  test("give the account root everything in every region, the APAC replica through KMS's default policy", () => {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"])
      expect(stack).toAllow(ROOT, "kms:ScheduleKeyDeletion", region);
    const answer = AccessEvaluator.of(stack).mayCall(ROOT, "kms:Decrypt", "ap-southeast-1");
    expect(answer).toMatchObject({
      decision: "allow",
      key: "aws_kms_replica_key.apac",
      statements: ['statement "Enable IAM User Permissions" of KMS\'s default key policy'],
    });
  });

  test("allow nothing to another account", () => {
    const answer = AccessEvaluator.of(stack).mayCall(
      "arn:aws:iam::222222222222:role/EUApplicationRole",
      "kms:Decrypt",
      "eu-west-1",
    );
    expect(answer.decision).toBe("none");
    expect(answer.reason).toBe("no statement of data.aws_iam_policy_document.eu_key_policy allows it");
  });

  test("treat an assumed-role session as its role", () => {
    expect(stack).toAllow(
      "arn:aws:sts::111111111111:assumed-role/EUApplicationRole/session-1",
      "kms:Decrypt",
      "eu-west-1",
    );
  });

  test("explain a failed expectation", () => {
    expect(() => expect(stack).toAllow(EU_ROLE, "kms:Decrypt", "ap-southeast-1")).toThrow(
      /to be allowed by the key policy, but the answer is "via-iam": no statement names it; statement "Enable IAM User Permissions" of KMS's default key policy lets the IAM policies of account 111111111111 decide/,
    );
  });
});

describe("the multi-region operations", () => {
  const stack = stackFromFile(join(EXAMPLE_CONFIGS_DIR, "five-regions.json"));
  const admin = "arn:aws:iam::111111111111:role/KeyAdministrator";
  const evaluator = AccessEvaluator.of(stack);

  test("are allowed to administrators only towards the key's regions", () => {
    expect(stack).toAllow(admin, "kms:ReplicateKey", "us-east-1", { context: { "kms:ReplicaRegion": "eu-west-1" } });
    expect(stack).not.toAllow(admin, "kms:ReplicateKey", "us-east-1", {
      context: { "kms:ReplicaRegion": "sa-east-1" },
    });
    expect(stack).toAllow(admin, "kms:UpdatePrimaryRegion", "eu-west-1", {
      context: { "kms:PrimaryRegion": "eu-west-1" },
    });
  });

  test("are conditional when the question does not say towards which region", () => {
    const answer = evaluator.mayCall(admin, "kms:ReplicateKey", "us-east-1");
    expect(answer.decision).toBe("conditional");
    expect(answer.conditions).toEqual([
      {
        test: "StringEquals",
        variable: "kms:ReplicaRegion",
        values: ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"],
      },
    ]);
  });

  test("are not given to key users by the key policy", () => {
    expect(stack).not.toAllow("arn:aws:iam::111111111111:role/payments-application", "kms:ReplicateKey", "us-east-1", {
      context: { "kms:ReplicaRegion": "eu-west-1" },
    });
  });

  test("administrators may manage but not use the key", () => {
    expect(stack).toAllow(admin, "kms:PutKeyPolicy", "eu-central-1");
    expect(stack).toAllow(admin, "kms:UpdateAlias", "eu-central-1");
    expect(stack).not.toAllow(admin, "kms:Decrypt", "eu-central-1");
  });
});

describe("the evaluator", () => {
  test("lets an explicit Deny win over every Allow", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "with_deny", REPLICA, [
      rootStatement,
      {
        sid: "Use",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:*crypt"],
        resources: ["*"],
      },
      {
        sid: "NoDecrypt",
        effect: "Deny",
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toAllow(APP, "kms:Encrypt", REPLICA);
    const answer = AccessEvaluator.of(fixture.stack).mayCall(APP, "kms:Decrypt", REPLICA);
    expect(answer).toMatchObject({
      decision: "deny",
      reason: 'denied by statement "NoDecrypt" of data.aws_iam_policy_document.with_deny',
    });
  });

  test("applies a Deny to an account root to every principal of the account", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "deny_account", REPLICA, [
      rootStatement,
      {
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
      },
      {
        effect: "Deny",
        principals: [{ type: "AWS", identifiers: [ROOT] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(AccessEvaluator.of(fixture.stack).mayCall(APP, "kms:Decrypt", REPLICA).decision).toBe("deny");
  });

  test("matches action wildcards and NotAction, case-insensitively", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "wildcards", REPLICA, [
      rootStatement,
      {
        sid: "Read",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:Get*", "kms:describekey"],
        resources: ["*"],
      },
      {
        sid: "AllButDelete",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [ADMIN] }],
        notActions: ["kms:ScheduleKeyDeletion"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toAllow(APP, "kms:GetKeyPolicy", REPLICA);
    expect(fixture.stack).toAllow(APP, "kms:DescribeKey", REPLICA);
    expect(fixture.stack).not.toAllow(APP, "kms:Decrypt", REPLICA);
    expect(fixture.stack).toAllow(ADMIN, "kms:Decrypt", REPLICA);
    expect(fixture.stack).not.toAllow(ADMIN, "kms:ScheduleKeyDeletion", REPLICA);
  });

  test("evaluates conditions against the request context", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "via_s3", REPLICA, [
      rootStatement,
      {
        sid: "ThroughS3",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] }],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toAllow(APP, "kms:Decrypt", REPLICA, {
      context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
    });
    expect(fixture.stack).not.toAllow(APP, "kms:Decrypt", REPLICA, {
      context: { "kms:ViaService": "ec2.eu-west-1.amazonaws.com" },
    });
    expect(AccessEvaluator.of(fixture.stack).mayCall(APP, "kms:Decrypt", REPLICA).decision).toBe("conditional");
  });

  test("takes a wildcard principal as everyone: the key's account by the key policy alone, other accounts through their IAM policies", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "open", REPLICA, [
      rootStatement,
      {
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: ["*"] }],
        actions: ["kms:Encrypt"],
        resources: ["*"],
      },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toAllow("arn:aws:iam::111111111111:user/anyone", "kms:Encrypt", REPLICA);
    expect(fixture.stack).toAllowThroughIam("arn:aws:iam::999999999999:user/anyone", "kms:Encrypt", REPLICA);
  });

  test("names the principals of the policies, account roots first", () => {
    expect(AccessEvaluator.of(keySet().stack).principals).toEqual([ROOT, APP, ADMIN]);
  });

  test("refuses a region without a key", () => {
    expect(() => AccessEvaluator.of(keySet().stack).mayCall(APP, "kms:Decrypt", "sa-east-1")).toThrow(
      "no key in sa-east-1; the stack's keys are in us-east-1, eu-west-1",
    );
  });

  test("reads synthesized JSON as well as stacks", () => {
    const { Testing } = require("cdktf") as typeof import("cdktf");
    expect(Testing.synth(keySet().stack)).toAllow(APP, "kms:Encrypt", PRIMARY);
  });
});

describe("mrk access", () => {
  test("prints the principal x action x region matrix of the default stack", () => {
    const text = accessReport([], testContext({ env: { MRK_CONFIG: DEFAULT_CONFIG } }));
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      // The stack's JSON as cdktf writes it, its resources in the order of their addresses.
      "Key policies of stack global-encrypt: us-east-1 aws_kms_key.primary, ap-southeast-1 aws_kms_replica_key.apac (KMS's default key policy), eu-west-1 aws_kms_replica_key.eu",
    );
    expect(lines[2]).toMatch(/^principal +action +us-east-1 +ap-southeast-1 +eu-west-1$/);
    const row = (principal: string, action: string) =>
      lines.find((line) => line.startsWith(`${principal} `) && line.split(/ +/)[1] === action);
    expect(row("arn:aws:iam::111111111111:role/EUApplicationRole", "kms:Decrypt")?.split(/ +/).slice(2)).toEqual([
      "iam",
      "iam",
      "allow",
    ]);
    expect(
      row("arn:aws:iam::111111111111:role/global-encrypt-application", "kms:Encrypt")?.split(/ +/).slice(2),
    ).toEqual(["allow", "iam", "iam"]);
  });

  test("shows conditional answers with footnotes, for another stack and chosen actions", () => {
    const config = join(EXAMPLE_CONFIGS_DIR, "five-regions.json");
    const text = accessReport(
      [
        "--config",
        config,
        "--actions",
        "kms:ReplicateKey",
        "--principal",
        "arn:aws:iam::111111111111:role/KeyAdministrator",
      ],
      testContext(),
    );
    expect(text).toContain("kms:ReplicateKey  allow*1    allow*1");
    expect(text).toContain(
      "*1 kms:ReplicaRegion StringEquals us-east-1, us-west-2, eu-west-1, eu-central-1, ap-southeast-1",
    );
  });

  test("refuses an unknown stack or option with a clear message", () => {
    const configs = ["--config", DEFAULT_CONFIG, "--config", join(EXAMPLE_CONFIGS_DIR, "five-regions.json")];
    expect(() => accessReport(["--stack", "nope", ...configs], testContext())).toThrow(
      /^--stack: "nope" is not a stack of the project; its stacks are five-regions, global-encrypt$/,
    );
    expect(() => accessReport(["--verbose"], testContext())).toThrow("--verbose: unknown option");
  });

  // With no --config, the stacks come from cdktf.json's app, a process of its own: that is
  // commands/command-output.test.ts's "access prints the matrix" (the processes project).
  test("as a command, reads a config's stacks, prints the matrix and exits 0; a wrong option exits 2 with the usage", async () => {
    const ok = await runMrk([
      "access",
      "--config",
      DEFAULT_CONFIG,
      "--stack",
      "global-encrypt",
      "--actions",
      "kms:Encrypt",
    ]);
    expect(ok).toExitWith(0);
    // The rule pack's reports of the stacks go to standard error; the matrix is the output.
    expect(ok.stderr).toMatch(/^policy global-encrypt: 19 rules, 0 errors/);
    expect(ok.stdout).toMatch(/^Key policies of stack global-encrypt: us-east-1 aws_kms_key\.primary/);
    const wrong = await runMrk(["access", "--verbose"]);
    expect(wrong).toExitWith(2);
    expect(wrong.stderr).toMatch(
      /^Error: --verbose: unknown option\nUsage: mrk access \[<plan\.json>\] \[--stack <name>\]/,
    );
  });

  test("formats any matrix", () => {
    const evaluator = AccessEvaluator.of(keySet().stack);
    const lines = formatAccessMatrix(
      accessMatrix(evaluator, { principals: [APP], actions: ["kms:Decrypt", "kms:PutKeyPolicy"] }),
    ).split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "principal                                   action            us-east-1  eu-west-1",
      "------------------------------------------  ----------------  ---------  ---------",
      "arn:aws:iam::111111111111:role/Application  kms:Decrypt       allow      allow",
      "arn:aws:iam::111111111111:role/Application  kms:PutKeyPolicy  iam        iam",
    ]);
  });
});

describe("the evaluator, as IAM reads a key policy", () => {
  const ACCOUNT = "111122223333";
  const OTHER = "444455556666";
  const REGION = "us-west-2";
  const statement = (fields: Record<string, unknown>) => ({
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: "*",
    ...fields,
  });
  const evaluator = (
    statements: object[],
    options: { organizationId?: string; roles?: { name: string; path: string }[] } = {},
  ) =>
    evaluatorOf({ Version: "2012-10-17", Statement: statements }, { accountId: ACCOUNT, region: REGION, ...options });
  const decide = (e: AccessEvaluator, principal: string, action = "kms:Decrypt", options = {}) =>
    e.mayCall(principal, action, REGION, options).decision;
  const session = (role: string, account = ACCOUNT) => `arn:aws:sts::${account}:assumed-role/${role}/session-1`;

  test("gives an assumed-role session its role's ARN, with the role's path, as aws:PrincipalArn", () => {
    const onlyAdmins = evaluator(
      [
        statement({
          Principal: "*",
          Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/team/Admin` } },
        }),
      ],
      { roles: [{ name: "Admin", path: "/team/" }] },
    );
    expect(decide(onlyAdmins, session("Admin"))).toBe("allow");
    expect(decide(onlyAdmins, session("Other"))).toBe("none");
    // Not the session's own ARN.
    const bySession = evaluator([
      statement({ Principal: "*", Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:sts::*" } } }),
    ]);
    expect(decide(bySession, session("Admin"))).toBe("none");
  });

  test("gives a session of a role it knows nothing of the role's ARN without a path", () => {
    const byRole = evaluator([
      statement({
        Principal: "*",
        Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/App` } },
      }),
    ]);
    expect(decide(byRole, session("App"))).toBe("allow");
  });

  test("puts the caller's account in aws:PrincipalAccount and kms:CallerAccount", () => {
    for (const key of ["aws:PrincipalAccount", "kms:CallerAccount"]) {
      const ownAccount = evaluator([
        statement({ Principal: { AWS: "*" }, Condition: { StringEquals: { [key]: ACCOUNT } } }),
      ]);
      expect([
        key,
        decide(ownAccount, session("App")),
        decide(ownAccount, `arn:aws:iam::${ACCOUNT}:user/alice`),
      ]).toEqual([key, "allow", "allow"]);
      expect([key, decide(ownAccount, session("App", OTHER))]).toEqual([key, "none"]);
    }
  });

  test("puts the organization in aws:PrincipalOrgID for the key's account, and takes it from the context for others", () => {
    const organization = evaluator(
      [statement({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } })],
      { organizationId: "o-a1b2c3d4e5" },
    );
    expect(decide(organization, session("App"))).toBe("allow");
    // Another account's organization is not known: its IAM policies decide, if the condition holds.
    const unknown = organization.mayCall(session("App", OTHER), "kms:Decrypt", REGION);
    expect([unknown.decision, unknown.conditions]).toEqual([
      "via-iam",
      [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-a1b2c3d4e5"] }],
    ]);
    expect(
      decide(organization, session("App", OTHER), "kms:Decrypt", { context: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }),
    ).toBe("via-iam");
    expect(
      decide(organization, session("App", OTHER), "kms:Decrypt", { context: { "aws:PrincipalOrgID": "o-other" } }),
    ).toBe("none");
    expect(decide(organization, session("App", OTHER), "kms:Decrypt", { completeContext: true })).toBe("none");
  });

  test("reads an account id and an account root ARN as the account, which leaves its users and roles to IAM", () => {
    for (const account of [ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`]) {
      const e = evaluator([statement({ Principal: { AWS: account } })]);
      expect([
        account,
        decide(e, session("App")),
        decide(e, `arn:aws:iam::${ACCOUNT}:root`),
        decide(e, ACCOUNT),
      ]).toEqual([account, "via-iam", "allow", "allow"]);
    }
  });

  test("matches a role ARN with the role's sessions (any path, the name in any case), a session ARN with that session only", () => {
    const role = evaluator([statement({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/team/App` } })]);
    expect(decide(role, session("App"))).toBe("allow");
    expect(decide(role, session("app"))).toBe("allow");
    // Asked by the role's ARN without its path: role names are unique in an account.
    expect(decide(role, `arn:aws:iam::${ACCOUNT}:role/App`)).toBe("allow");
    expect(decide(role, session("App", OTHER))).toBe("none");
    const oneSession = evaluator([statement({ Principal: { AWS: session("App") } })]);
    expect(decide(oneSession, session("App"))).toBe("allow");
    expect(decide(oneSession, `arn:aws:sts::${ACCOUNT}:assumed-role/App/session-2`)).toBe("none");
  });

  test("takes no wildcard inside a principal's ARN (IAM allows `*` alone)", () => {
    const partial = evaluator([statement({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/*` } })]);
    expect(decide(partial, `arn:aws:iam::${ACCOUNT}:role/App`)).toBe("none");
  });

  test("matches a service principal by its name", () => {
    const s3 = evaluator([statement({ Principal: { Service: "s3.amazonaws.com" } })]);
    expect(decide(s3, "s3.amazonaws.com")).toBe("allow");
    expect(decide(s3, "ec2.amazonaws.com")).toBe("none");
  });

  test("leaves a principal of another account that a statement names to its account's IAM policies, and says why", () => {
    const external = evaluator([
      statement({
        Principal: { AWS: `arn:aws:iam::${OTHER}:role/ExampleRole` },
        Action: ["kms:Decrypt", "kms:ScheduleKeyDeletion"],
      }),
    ]);
    const answer = external.mayCall(session("ExampleRole", OTHER), "kms:Decrypt", REGION);
    expect([answer.decision, answer.reason]).toEqual([
      "via-iam",
      `statement 1 of inline JSON covers it, but account ${OTHER} is not the key's account ${ACCOUNT}, so the IAM policies of account ${OTHER} must allow it too`,
    ]);
    const deletion = external.mayCall(session("ExampleRole", OTHER), "kms:ScheduleKeyDeletion", REGION);
    expect([deletion.decision, deletion.reason]).toEqual([
      "none",
      `kms:ScheduleKeyDeletion works only on keys of the caller's own account, and account ${OTHER} is not the key's account ${ACCOUNT}`,
    ]);
  });

  test("spares from a NotPrincipal Deny only a caller named at every level IAM checks: the account, and the role or session", () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    const allowAll = statement({ Principal: { AWS: "*" } });
    const denyAllBut = (...spared: string[]) =>
      evaluator([allowAll, { Effect: "Deny", NotPrincipal: { AWS: spared }, Action: "kms:*", Resource: "*" }]);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/App`;
    const root = `arn:aws:iam::${ACCOUNT}:root`;
    expect(decide(denyAllBut(session("App"), roleArn, root), session("App"))).toBe("allow");
    expect(decide(denyAllBut(roleArn, root), session("App"))).toBe("allow");
    expect(decide(denyAllBut(roleArn), session("App"))).toBe("deny");
    expect(decide(denyAllBut(root), root)).toBe("allow");
    expect(decide(denyAllBut(root), session("Other"))).toBe("deny");
  });

  test("says conditional for a key the question does not give, unless it says its context is complete", () => {
    const viaS3 = evaluator([
      statement({ Principal: "*", Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } } }),
    ]);
    expect(decide(viaS3, session("App"))).toBe("conditional");
    expect(decide(viaS3, session("App"), "kms:Decrypt", { completeContext: true })).toBe("none");
    expect(
      decide(viaS3, session("App"), "kms:Decrypt", { context: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } }),
    ).toBe("allow");
  });

  test("knows from the action catalogue which KMS keys a request never carries, so a negated condition on them holds", () => {
    const denyOutsideRegions = evaluator([
      statement({ Principal: "*", Action: "kms:*" }),
      {
        Effect: "Deny",
        Principal: "*",
        Action: "kms:*",
        Resource: "*",
        Condition: { StringNotEquals: { "kms:ReplicaRegion": ["eu-west-1"] } },
      },
    ]);
    // Decrypt never carries kms:ReplicaRegion: StringNotEquals on an absent key is true, so the Deny applies.
    expect(decide(denyOutsideRegions, session("App"))).toBe("deny");
    expect(
      decide(denyOutsideRegions, session("App"), "kms:ReplicateKey", { context: { "kms:ReplicaRegion": "eu-west-1" } }),
    ).toBe("allow");
  });
});

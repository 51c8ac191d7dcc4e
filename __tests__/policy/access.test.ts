/**
 * Effective access: who may call what on the key in which region, by the synthesized key
 * policies, and the Jest matchers on it.
 */
import { join } from "node:path";
import { AccessEvaluator, accessMatrix, formatAccessMatrix } from "../../lib/policy/access";
import { DEFAULT_CONFIG, STACKS_DIR } from "../../stacks/app";
import { accessReport } from "../../lib/cli/access";
import { runMrk, testContext } from "../cli";
import { stackFromFile } from "../helpers";
import { ADMIN, APP, keySet, PRIMARY, rawPolicy, REPLICA, ROOT, rootStatement } from "./fixtures";

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
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"]) expect(stack).toAllow(ROOT, "kms:ScheduleKeyDeletion", region);
    const answer = AccessEvaluator.of(stack).mayCall(ROOT, "kms:Decrypt", "ap-southeast-1");
    expect(answer).toMatchObject({ decision: "allow", key: "aws_kms_replica_key.apac", statements: ['statement "Enable IAM User Permissions" of KMS\'s default key policy'] });
  });

  test("allow nothing to another account", () => {
    const answer = AccessEvaluator.of(stack).mayCall("arn:aws:iam::222222222222:role/EUApplicationRole", "kms:Decrypt", "eu-west-1");
    expect(answer.decision).toBe("none");
    expect(answer.reason).toBe("no statement of data.aws_iam_policy_document.eu_key_policy allows it");
  });

  test("treat an assumed-role session as its role", () => {
    expect(stack).toAllow("arn:aws:sts::111111111111:assumed-role/EUApplicationRole/session-1", "kms:Decrypt", "eu-west-1");
  });

  test("explain a failed expectation", () => {
    expect(() => expect(stack).toAllow(EU_ROLE, "kms:Decrypt", "ap-southeast-1")).toThrow(
      /to be allowed by the key policy, but the answer is "via-iam": no statement names it; statement "Enable IAM User Permissions" of KMS's default key policy lets the IAM policies of account 111111111111 decide/,
    );
  });
});

describe("the multi-region operations", () => {
  const stack = stackFromFile(join(STACKS_DIR, "five-regions.json"));
  const admin = "arn:aws:iam::111111111111:role/KeyAdministrator";
  const evaluator = AccessEvaluator.of(stack);

  test("are allowed to administrators only towards the key's regions", () => {
    expect(stack).toAllow(admin, "kms:ReplicateKey", "us-east-1", { context: { "kms:ReplicaRegion": "eu-west-1" } });
    expect(stack).not.toAllow(admin, "kms:ReplicateKey", "us-east-1", { context: { "kms:ReplicaRegion": "sa-east-1" } });
    expect(stack).toAllow(admin, "kms:UpdatePrimaryRegion", "eu-west-1", { context: { "kms:PrimaryRegion": "eu-west-1" } });
  });

  test("are conditional when the question does not say towards which region", () => {
    const answer = evaluator.mayCall(admin, "kms:ReplicateKey", "us-east-1");
    expect(answer.decision).toBe("conditional");
    expect(answer.conditions).toEqual([
      { test: "StringEquals", variable: "kms:ReplicaRegion", values: ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"] },
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
      { sid: "Use", effect: "Allow", principals: [{ type: "AWS", identifiers: [APP] }], actions: ["kms:*crypt"], resources: ["*"] },
      { sid: "NoDecrypt", effect: "Deny", principals: [{ type: "AWS", identifiers: [APP] }], actions: ["kms:Decrypt"], resources: ["*"] },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toAllow(APP, "kms:Encrypt", REPLICA);
    const answer = AccessEvaluator.of(fixture.stack).mayCall(APP, "kms:Decrypt", REPLICA);
    expect(answer).toMatchObject({ decision: "deny", reason: 'denied by statement "NoDecrypt" of data.aws_iam_policy_document.with_deny' });
  });

  test("applies a Deny to an account root to every principal of the account", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "deny_account", REPLICA, [
      rootStatement,
      { effect: "Allow", principals: [{ type: "AWS", identifiers: [APP] }], actions: ["kms:Decrypt"], resources: ["*"] },
      { effect: "Deny", principals: [{ type: "AWS", identifiers: [ROOT] }], actions: ["kms:Decrypt"], resources: ["*"] },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(AccessEvaluator.of(fixture.stack).mayCall(APP, "kms:Decrypt", REPLICA).decision).toBe("deny");
  });

  test("matches action wildcards and NotAction, case-insensitively", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "wildcards", REPLICA, [
      rootStatement,
      { sid: "Read", effect: "Allow", principals: [{ type: "AWS", identifiers: [APP] }], actions: ["kms:Get*", "kms:describekey"], resources: ["*"] },
      { sid: "AllButDelete", effect: "Allow", principals: [{ type: "AWS", identifiers: [ADMIN] }], notActions: ["kms:ScheduleKeyDeletion"], resources: ["*"] },
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
    expect(fixture.stack).toAllow(APP, "kms:Decrypt", REPLICA, { context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
    expect(fixture.stack).not.toAllow(APP, "kms:Decrypt", REPLICA, { context: { "kms:ViaService": "ec2.eu-west-1.amazonaws.com" } });
    expect(AccessEvaluator.of(fixture.stack).mayCall(APP, "kms:Decrypt", REPLICA).decision).toBe("conditional");
  });

  test("takes a wildcard principal as everyone", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "open", REPLICA, [
      rootStatement,
      { effect: "Allow", principals: [{ type: "AWS", identifiers: ["*"] }], actions: ["kms:Encrypt"], resources: ["*"] },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toAllow("arn:aws:iam::999999999999:user/anyone", "kms:Encrypt", REPLICA);
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
      "Key policies of stack global-encrypt: us-east-1 aws_kms_key.primary, eu-west-1 aws_kms_replica_key.eu, ap-southeast-1 aws_kms_replica_key.apac (KMS's default key policy)",
    );
    expect(lines[2]).toMatch(/^principal +action +us-east-1 +eu-west-1 +ap-southeast-1$/);
    expect(lines).toContainEqual(expect.stringMatching(/^arn:aws:iam::111111111111:role\/EUApplicationRole +kms:Decrypt +iam +allow +iam$/));
    expect(lines).toContainEqual(expect.stringMatching(/^arn:aws:iam::111111111111:role\/global-encrypt-application +kms:Encrypt +allow +iam +iam$/));
  });

  test("shows conditional answers with footnotes, for another stack and chosen actions", () => {
    const text = accessReport(["--stack", "five-regions", "--actions", "kms:ReplicateKey", "--principal", "arn:aws:iam::111111111111:role/KeyAdministrator"], testContext());
    expect(text).toContain("kms:ReplicateKey  allow*1    allow*1");
    expect(text).toContain("*1 kms:ReplicaRegion StringEquals us-east-1, us-west-2, eu-west-1, eu-central-1, ap-southeast-1");
  });

  test("refuses an unknown stack or option with a clear message", () => {
    expect(() => accessReport(["--stack", "nope"], testContext())).toThrow(/^--stack: "nope" is not a stack of the project; its stacks are .*five-regions, .*global-encrypt/);
    expect(() => accessReport(["--verbose"], testContext())).toThrow("--verbose: unknown option");
  });

  test("as a command, prints the matrix and exits 0; a wrong option exits 2 with the usage", async () => {
    const ok = await runMrk(["access", "--stack", "global-encrypt", "--actions", "kms:Encrypt"]);
    expect(ok).toExitWith(0);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/^Key policies of stack global-encrypt: /);
    const wrong = await runMrk(["access", "--verbose"]);
    expect(wrong).toExitWith(2);
    expect(wrong.stderr).toMatch(/^Error: --verbose: unknown option\nUsage: mrk access \[--stack <name>\]/);
  });

  test("formats any matrix", () => {
    const evaluator = AccessEvaluator.of(keySet().stack);
    const lines = formatAccessMatrix(accessMatrix(evaluator, { principals: [APP], actions: ["kms:Decrypt", "kms:PutKeyPolicy"] })).split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "principal                                   action            us-east-1  eu-west-1",
      "------------------------------------------  ----------------  ---------  ---------",
      "arn:aws:iam::111111111111:role/Application  kms:Decrypt       allow      allow",
      "arn:aws:iam::111111111111:role/Application  kms:PutKeyPolicy  iam        iam",
    ]);
  });
});

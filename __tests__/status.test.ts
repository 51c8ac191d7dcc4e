/**
 * `npm run status` without AWS: what the stack says of its key set, the semantic comparison of
 * key policies, and the comparison of a live key set (given here as data) with the stack.
 * The same command against the emulator is in __tests__/e2e/status.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KeyMetadata } from "@aws-sdk/client-kms";
import { InvalidInputError } from "../lib/validation";
import { STACKS_DIR } from "../stacks/app";
import { runMrk, testContext } from "./cli";
import {
  compareKeySet,
  ExpectedPolicy,
  expectedKeySet,
  LiveKey,
  policyDifferences,
  renderStatus,
  stackNamed,
  statementsFromDataSource,
  statementsFromPolicyJson,
} from "../lib/cli/status";
import { defaultConfigObject, stackFromFile, stackFromObject } from "./helpers";

const KEY_ID = "mrk-1234abcd12ab34cd56ef1234567890ab";
const SEED_EU_POLICY = readFileSync(join(__dirname, "fixtures", "seed-eu-key-policy.json"), "utf8");

/** The primary's policy as aws_iam_policy_document renders data.aws_iam_policy_document.key_policy. */
const PRIMARY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Sid: "EnableRootAccountAccess", Effect: "Allow", Action: "kms:*", Resource: "*", Principal: { AWS: "arn:aws:iam::111111111111:root" } },
    {
      Sid: "AllowApplicationAccess",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: "*",
      Principal: { AWS: "arn:aws:iam::111111111111:role/global-encrypt-application" },
    },
  ],
});

/** KMS's default key policy, as KMS (and moto) write it. */
const DEFAULT_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Id: "key-default-1",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }],
});

/** The statements of a synthesized policy that can be compared. */
const statementsOf = (policy: ExpectedPolicy) => {
  if (policy.kind === "unknown") throw new Error(policy.reason);
  return policy.statements;
};

const statements = (text: string) => {
  const result = statementsFromPolicyJson(text);
  if (typeof result === "string") throw new Error(result);
  return result;
};

describe("key policies compared as sets of statements", () => {
  const seed = statements(SEED_EU_POLICY);

  test("a policy equals itself with statements reordered, one-element lists as strings, action names in another case", () => {
    const reordered = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AllowEUTeam", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111111111111:role/EUApplicationRole"] }, Action: ["kms:generatedatakey", "KMS:Decrypt", "kms:Encrypt"], Resource: ["*"] },
        { Sid: "EnableRootAccess", Effect: "Allow", Principal: { AWS: "111111111111" }, Action: ["kms:*"], Resource: "*" },
      ],
    });
    expect(policyDifferences(seed, statements(reordered))).toEqual([]);
  });

  test("a statement added to the live policy is drift", () => {
    const added = JSON.parse(SEED_EU_POLICY);
    added.Statement.push({ Sid: "Sneaky", Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "kms:Decrypt", Resource: "*" });
    expect(policyDifferences(seed, statements(JSON.stringify(added)))).toEqual(['statement "Sneaky" is not in the synthesized policy']);
  });

  test("a statement removed from the live policy is drift", () => {
    const removed = JSON.parse(SEED_EU_POLICY);
    removed.Statement.pop();
    expect(policyDifferences(seed, statements(JSON.stringify(removed)))).toEqual(['statement "AllowEUTeam" is missing']);
  });

  test("a statement changed in place is drift, naming what changed", () => {
    const changed = JSON.parse(SEED_EU_POLICY);
    changed.Statement[1].Action.push("kms:ReEncrypt*");
    changed.Statement[1].Principal.AWS = "arn:aws:iam::111111111111:role/Other";
    expect(policyDifferences(seed, statements(JSON.stringify(changed)))).toEqual(['statement "AllowEUTeam" differs in Action, Principal']);
  });

  test("conditions compare with their keys in any case and their values in any order", () => {
    const withCondition = (variable: string, values: string[]) =>
      statements(JSON.stringify({ Statement: [{ Sid: "A", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { [variable]: values } } }] }));
    expect(policyDifferences(withCondition("kms:ViaService", ["s3.eu-west-1.amazonaws.com", "sns.eu-west-1.amazonaws.com"]), withCondition("KMS:ViaService", ["sns.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"]))).toEqual([]);
    expect(policyDifferences(withCondition("kms:ViaService", ["s3.eu-west-1.amazonaws.com"]), withCondition("kms:ViaService", ["s3.us-east-1.amazonaws.com"]))).toEqual(['statement "A" differs in Condition']);
  });

  test("a policy that is not JSON cannot be read", () => {
    expect(statementsFromPolicyJson("{nope")).toMatch(/^the policy is not JSON/);
  });
});

describe("the synthesized policy of a data source", () => {
  const source = {
    statement: [
      { sid: "Root", effect: "Allow", principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }], actions: ["kms:*"], resources: ["*"] },
      { sid: "App", effect: "Allow", principals: [{ type: "AWS", identifiers: ["${aws_iam_role.app.arn}"] }], actions: ["kms:Decrypt"], resources: ["*"] },
    ],
  };

  test("resolves the references it can and equals the JSON KMS holds", () => {
    const rendered = statementsFromDataSource(source, (ref) => (ref === "${aws_iam_role.app.arn}" ? "arn:aws:iam::111111111111:role/app" : undefined));
    const live = JSON.stringify({
      Statement: [
        { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" },
        { Sid: "App", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/app" }, Action: "kms:Decrypt", Resource: "*" },
      ],
    });
    if (typeof rendered === "string") throw new Error(rendered);
    expect(policyDifferences(rendered, statements(live))).toEqual([]);
  });

  test("says which reference is known only after apply", () => {
    expect(statementsFromDataSource(source, () => undefined)).toBe("${aws_iam_role.app.arn} is known only after apply");
  });
});

describe("what a stack says of its key set", () => {
  test("the default stack: one key per region, the primary first, rotation on for 365 days", () => {
    const expected = expectedKeySet(stackFromFile());
    expect(expected).toMatchObject({ stack: "global-encrypt", aliasName: "alias/global-encrypt", rotation: { enabled: true, periodInDays: 365 } });
    expect(expected.keys.map(({ region, address, type, enabled }) => ({ region, address, type, enabled }))).toEqual([
      { region: "us-east-1", address: "aws_kms_key.primary", type: "PRIMARY", enabled: true },
      { region: "eu-west-1", address: "aws_kms_replica_key.eu", type: "REPLICA", enabled: true },
      { region: "ap-southeast-1", address: "aws_kms_replica_key.apac", type: "REPLICA", enabled: true },
    ]);
  });

  test("a key of a list: its own addresses, alias, regions, rotation and policies", () => {
    const stack = stackFromFile(join(STACKS_DIR, "platform-keys.json"));
    const expected = expectedKeySet(stack, stack.keyNamed("ledger"));
    expect(expected).toMatchObject({ aliasName: "alias/platform/ledger", rotation: { enabled: true, periodInDays: 180 } });
    expect(expected.keys.map(({ region, address, type, policy }) => ({ region, address, type, origin: policy.origin }))).toEqual([
      { region: "eu-central-1", address: "aws_kms_key.ledger_primary", type: "PRIMARY", origin: "data.aws_iam_policy_document.ledger_key_policy" },
      { region: "us-east-1", address: "aws_kms_replica_key.ledger_us", type: "REPLICA", origin: "data.aws_iam_policy_document.ledger_us_key_policy" },
    ]);
  });

  test("the primary's policy is its data source, with the application role's ARN resolved from the role's name", () => {
    const [primary] = expectedKeySet(stackFromFile()).keys;
    expect(primary.policy).toMatchObject({ kind: "document", origin: "data.aws_iam_policy_document.key_policy" });
    expect(policyDifferences(statementsOf(primary.policy), statements(PRIMARY_POLICY))).toEqual([]);
  });

  test("a key without a policy argument is expected to have KMS's default key policy", () => {
    const apac = expectedKeySet(stackFromFile()).keys[2];
    expect(apac.policy).toMatchObject({ kind: "default" });
    expect(policyDifferences(statementsOf(apac.policy), statements(DEFAULT_POLICY))).toEqual([]);
  });

  test("the monitored stack's policies include the statement for EventBridge and CloudWatch", () => {
    const [primary] = expectedKeySet(stackFromFile(join(STACKS_DIR, "monitored.json"))).keys;
    const synthesized = statementsOf(primary.policy);
    expect(synthesized.find((s) => s.sid === "AllowMonitoringToPublish")?.parts).toEqual({
      Effect: "Allow",
      Action: ["kms:decrypt", "kms:generatedatakey*"],
      Resource: ["*"],
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
    });
  });

  test("after a failover, the primary is expected in the region that holds it now", () => {
    const config = defaultConfigObject();
    config.currentPrimaryRegion = "eu-west-1";
    const keys = expectedKeySet(stackFromObject(config)).keys;
    expect(keys.slice(0, 2).map(({ region, address, type }) => ({ region, address, type }))).toEqual([
      { region: "eu-west-1", address: "aws_kms_key.primary", type: "PRIMARY" },
      { region: "us-east-1", address: "aws_kms_replica_key.eu", type: "REPLICA" },
    ]);
  });
});

describe("the live key set against the stack", () => {
  const expected = expectedKeySet(stackFromFile());
  const arn = (region: string) => `arn:aws:kms:${region}:111111111111:key/${KEY_ID}`;
  const metadata = (region: string, type: string, state = "Enabled"): KeyMetadata => ({
    KeyId: KEY_ID,
    Arn: arn(region),
    KeyState: state as KeyMetadata["KeyState"],
    MultiRegion: true,
    MultiRegionConfiguration: {
      MultiRegionKeyType: type as "PRIMARY",
      PrimaryKey: { Arn: arn("us-east-1"), Region: "us-east-1" },
      ReplicaKeys: [{ Arn: arn("eu-west-1"), Region: "eu-west-1" }, { Arn: arn("ap-southeast-1"), Region: "ap-southeast-1" }],
    },
  });
  const healthy = (): LiveKey[] => [
    { region: "us-east-1", metadata: metadata("us-east-1", "PRIMARY"), aliasTarget: KEY_ID, rotation: { enabled: true }, policy: PRIMARY_POLICY },
    { region: "eu-west-1", metadata: metadata("eu-west-1", "REPLICA"), aliasTarget: KEY_ID, rotation: { enabled: true }, policy: SEED_EU_POLICY },
    { region: "ap-southeast-1", metadata: metadata("ap-southeast-1", "REPLICA"), aliasTarget: KEY_ID, rotation: { enabled: true }, policy: DEFAULT_POLICY },
  ];
  const compare = (change: (keys: LiveKey[]) => void = () => undefined) => {
    const keys = healthy();
    change(keys);
    return compareKeySet(expected, { keyId: KEY_ID, keys });
  };
  const problems = (change: (keys: LiveKey[]) => void) => compare(change).flatMap((row) => row.problems);
  const replace = (keys: LiveKey[], region: string, change: Partial<LiveKey>) => {
    const index = keys.findIndex((key) => key.region === region);
    keys[index] = { ...keys[index], ...change };
  };

  test("a deployed set as the config says has no problem, and the report says healthy", () => {
    const rows = compare();
    expect(rows.map(({ region, type, state, alias, rotation, policy }) => ({ region, type, state, alias, rotation, policy }))).toEqual([
      { region: "us-east-1", type: "PRIMARY", state: "Enabled", alias: "this key", rotation: "on", policy: "as synthesized" },
      { region: "eu-west-1", type: "REPLICA", state: "Enabled", alias: "this key", rotation: "on", policy: "as synthesized" },
      { region: "ap-southeast-1", type: "REPLICA", state: "Enabled", alias: "this key", rotation: "on", policy: "as synthesized (KMS default)" },
    ]);
    expect(renderStatus(expected, KEY_ID, rows)).toMatch(/\nhealthy: every region is as the config says\n$/);
  });

  test("a disabled replica is a problem of its region", () => {
    expect(problems((keys) => replace(keys, "eu-west-1", { metadata: metadata("eu-west-1", "REPLICA", "Disabled") }))).toEqual([
      "eu-west-1: the key is Disabled; the config has it enabled",
    ]);
  });

  test("a key pending deletion is a problem of its region", () => {
    expect(problems((keys) => replace(keys, "ap-southeast-1", { metadata: metadata("ap-southeast-1", "REPLICA", "PendingDeletion") }))).toEqual([
      "ap-southeast-1: the key is PendingDeletion; the config has it enabled",
    ]);
  });

  test("a key Updating during UpdatePrimaryRegion is working, not a problem", () => {
    expect(problems((keys) => replace(keys, "us-east-1", { metadata: metadata("us-east-1", "PRIMARY", "Updating") }))).toEqual([]);
  });

  test("a replica the config disables is as it should be when Disabled", () => {
    const config = defaultConfigObject();
    config.replicas[1].enabled = false;
    const rows = compareKeySet(expectedKeySet(stackFromObject(config)), {
      keyId: KEY_ID,
      keys: healthy().map((key) => (key.region === "ap-southeast-1" ? { ...key, metadata: metadata("ap-southeast-1", "REPLICA", "Disabled") } : key)),
    });
    expect(rows.flatMap((row) => row.problems)).toEqual([]);
  });

  test("a drifted key policy is a problem that says how it differs", () => {
    const drifted = JSON.parse(SEED_EU_POLICY);
    drifted.Statement[1].Action = "kms:*";
    const rows = compare((keys) => replace(keys, "eu-west-1", { policy: JSON.stringify(drifted) }));
    expect(rows[1].policy).toBe("DRIFT (1 difference)");
    expect(rows.flatMap((row) => row.problems)).toEqual([
      'eu-west-1: the key policy differs from data.aws_iam_policy_document.eu_key_policy: statement "AllowEUTeam" differs in Action',
    ]);
  });

  test("a policy put on a key that should have KMS's default is drift", () => {
    expect(problems((keys) => replace(keys, "ap-southeast-1", { policy: SEED_EU_POLICY }))).toEqual([
      'ap-southeast-1: the key policy differs from KMS\'s default key policy: statement "Enable IAM User Permissions" is missing; statement "EnableRootAccess" is not in the synthesized policy; statement "AllowEUTeam" is not in the synthesized policy',
    ]);
  });

  test("an alias that is missing or points to another key is a problem", () => {
    expect(
      problems((keys) => {
        replace(keys, "eu-west-1", { aliasTarget: undefined });
        replace(keys, "ap-southeast-1", { aliasTarget: "1234abcd-0000-0000-0000-000000000000" });
      }),
    ).toEqual([
      "eu-west-1: alias/global-encrypt does not exist in the region",
      `ap-southeast-1: alias/global-encrypt points to 1234abcd-0000-0000-0000-000000000000, not to the key set's ${KEY_ID}`,
    ]);
  });

  test("a region without the key is a problem", () => {
    const rows = compare((keys) => replace(keys, "ap-southeast-1", { metadata: undefined, aliasTarget: undefined }));
    expect(rows[2]).toMatchObject({ state: "missing", alias: "missing" });
    expect(rows[2].problems).toContain(`ap-southeast-1: the region has no key ${KEY_ID}`);
  });

  test("a primary that reads as a replica is a problem", () => {
    expect(problems((keys) => replace(keys, "us-east-1", { metadata: metadata("us-east-1", "REPLICA") }))).toEqual([
      "us-east-1: the key is REPLICA; the config has a PRIMARY here",
    ]);
  });

  test("rotation off is a problem in every region that reports it", () => {
    expect(problems((keys) => keys.forEach((key) => replace(keys, key.region, { rotation: { enabled: false } })))).toEqual([
      "us-east-1: automatic rotation is off; the config has it on",
      "eu-west-1: automatic rotation is off; the config has it on",
      "ap-southeast-1: automatic rotation is off; the config has it on",
    ]);
  });

  test("a replica KMS has in a region the config does not name is a problem", () => {
    const rows = compare((keys) =>
      replace(keys, "us-east-1", {
        metadata: {
          ...metadata("us-east-1", "PRIMARY"),
          MultiRegionConfiguration: { ...metadata("us-east-1", "PRIMARY").MultiRegionConfiguration, ReplicaKeys: [{ Arn: arn("sa-east-1"), Region: "sa-east-1" }] },
        },
      }),
    );
    expect(rows.at(-1)).toMatchObject({ region: "sa-east-1", problems: ["sa-east-1: KMS has a replica of the key here, which the config does not declare"] });
  });

  test("the report has one row per region and lists each problem under the table", () => {
    const rows = compare((keys) => replace(keys, "eu-west-1", { metadata: metadata("eu-west-1", "REPLICA", "Disabled") }));
    const report = renderStatus(expected, KEY_ID, rows);
    const lines = report.split("\n");
    expect(lines[0]).toBe(`global-encrypt: alias/global-encrypt, key ${KEY_ID}, 3 regions (read live through the AWS SDK)`);
    expect(lines[2].split(/\s{2,}/)).toEqual(["region", "key", "type", "state", "alias/global-encrypt ->", "rotation", "key policy"]);
    expect(lines[4].split(/\s{2,}/)).toEqual(["eu-west-1", "aws_kms_replica_key.eu", "REPLICA", "Disabled", "this key", "on", "as synthesized"]);
    expect(lines.slice(7)).toEqual(["1 problem:", "  eu-west-1: the key is Disabled; the config has it enabled", ""]);
  });
});

describe("the command line", () => {
  test("without --stack, checks the default stack", () => {
    expect(stackNamed(undefined, testContext()).node.id).toBe("global-encrypt");
  });

  test("--stack picks a stack of the app by name", () => {
    expect(stackNamed("monitored", testContext()).node.id).toBe("monitored");
  });

  test("refuses a stack the app does not have, naming those it has", () => {
    expect(() => stackNamed("nope", testContext())).toThrow(InvalidInputError);
    expect(() => stackNamed("nope", testContext())).toThrow(/^--stack: "nope" is not the name of a stack; the stacks are .*global-encrypt/);
  });

  test("refuses an unknown option with the command's usage, exit 2", async () => {
    const result = await runMrk(["status", "--json"]);
    expect(result).toExitWith(2);
    expect(result.stderr).toBe(
      "Error: --json: unknown option\nUsage: mrk status [--stack <name>] [--key <name>]\n" +
        "  --stack  the stack of the key set; default: the only stack, else global-encrypt\n" +
        "  --key    the key, when the stack's config lists several\n" +
        "Exit code: 0 when every region is as declared, 1 when any is not, 2 when the key set cannot be read.\n",
    );
  });
});

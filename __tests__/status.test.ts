/**
 * `npm run status` without AWS: what a stack's synthesized JSON says of its key set (a config
 * file's stack or a TypeScript stack of your own), the semantic comparison of key policies
 * (lib/policy/compare.ts), and the comparison of a live key set (given here as data) with the
 * stack. The same command against the emulator is in __tests__/e2e/status.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyMetadata } from "@aws-sdk/client-kms";
import { type TerraformStack, Testing } from "cdktf";
import {
  compareKeySet,
  type ExpectedPolicy,
  expectedKeySet,
  type LiveKey,
  liveAccountId,
  renderStatus,
  statusTarget,
} from "../lib/cli/status";
import type { Json } from "../lib/json";
import { canonicalStatement, policyDifferences } from "../lib/policy/compare";
import { type PolicyDocument, policyFromJson } from "../lib/policy/document";
import { InvalidInputError } from "../lib/validation";
import { DEFAULT_CONFIG } from "../stacks/app";
import { runMrk, testContext } from "./cli";
import { defaultConfigObject, EXAMPLE_CONFIGS_DIR, stackFromObject } from "./helpers";
import { paymentsKeysStack } from "./payments-keys-stack";

const KEY_ID = "mrk-1234abcd12ab34cd56ef1234567890ab";
const SEED_EU_POLICY = readFileSync(join(__dirname, "fixtures", "seed-eu-key-policy.json"), "utf8");

/** The primary's policy as aws_iam_policy_document renders data.aws_iam_policy_document.key_policy. */
const PRIMARY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "EnableRootAccountAccess",
      Effect: "Allow",
      Action: "kms:*",
      Resource: "*",
      Principal: { AWS: "arn:aws:iam::111111111111:root" },
    },
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
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:root" },
      Action: "kms:*",
      Resource: "*",
    },
  ],
});

/** A policy as KMS returns it, read with the policy model. */
const policy = (text: string): PolicyDocument => {
  const result = policyFromJson(text);
  if (typeof result === "string") throw new Error(result);
  return result;
};

/** The synthesized policy of a key, which must be comparable. */
const documentOf = (expected: ExpectedPolicy): PolicyDocument => {
  if (expected.kind === "unknown") throw new Error(`${expected.origin}: ${expected.reason}`);
  return expected.document;
};

/** A stack's JSON as cdktf writes it to cdk.tf.json (object keys sorted, so resources by address). */
function cdkTfJson(stack: TerraformStack): Json {
  const outdir = Testing.fullSynth(stack);
  return JSON.parse(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8"));
}

/** A config file's stack as `mrk status` reads it: synthesized as the project's stacks are. */
const configJson = (path: string = DEFAULT_CONFIG): Json => statusTarget({ config: [path] }, testContext()).stack.json;

/**
 * A small stack's JSON, written as cdktf writes it: a primary in us-east-1 and a replica in
 * eu-west-1 with one alias, the primary's policy `policy` (a value of its policy argument), and
 * any other `data` and `resource` blocks.
 */
function stackJson(options: { policy?: string; data?: Json; resource?: Json } = {}): Json {
  return {
    "//": { metadata: { stackName: "hand-written" } },
    provider: {
      aws: [
        { alias: "us_east_1", region: "us-east-1" },
        { alias: "eu_west_1", region: "eu-west-1" },
      ],
    },
    data: options.data ?? {},
    resource: {
      ...options.resource,
      aws_kms_key: {
        primary: {
          provider: "aws.us_east_1",
          multi_region: true,
          enable_key_rotation: true,
          ...(options.policy ? { policy: options.policy } : {}),
        },
      },
      aws_kms_replica_key: { eu: { provider: "aws.eu_west_1", primary_key_arn: "${aws_kms_key.primary.arn}" } },
      aws_kms_alias: {
        primary: { provider: "aws.us_east_1", name: "alias/hand", target_key_id: "${aws_kms_key.primary.key_id}" },
        eu: { provider: "aws.eu_west_1", name: "alias/hand", target_key_id: "${aws_kms_replica_key.eu.key_id}" },
      },
    },
  };
}

/** The primary's synthesized policy in a hand-written stack, read with the owning account `accountId`. */
const primaryPolicyOf = (json: Json, accountId = "111111111111") => expectedKeySet(json, { accountId }).keys[0].policy;

describe("key policies compared as sets of statements", () => {
  const seed = policy(SEED_EU_POLICY);

  test("a policy equals itself with statements reordered, one-element lists as strings, action names in another case, an account id for its root", () => {
    const reordered = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowEUTeam",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::111111111111:role/EUApplicationRole"] },
          Action: ["kms:generatedatakey", "KMS:Decrypt", "kms:Encrypt"],
          Resource: ["*"],
        },
        {
          Sid: "EnableRootAccess",
          Effect: "Allow",
          Principal: { AWS: "111111111111" },
          Action: ["kms:*"],
          Resource: "*",
        },
      ],
    });
    expect(policyDifferences(seed, policy(reordered))).toEqual([]);
  });

  test("a statement added to the live policy is drift", () => {
    const added = JSON.parse(SEED_EU_POLICY);
    added.Statement.push({
      Sid: "Sneaky",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    expect(policyDifferences(seed, policy(JSON.stringify(added)))).toEqual([
      'statement "Sneaky" is not in the synthesized policy',
    ]);
  });

  test("a statement removed from the live policy is drift", () => {
    const removed = JSON.parse(SEED_EU_POLICY);
    removed.Statement.pop();
    expect(policyDifferences(seed, policy(JSON.stringify(removed)))).toEqual(['statement "AllowEUTeam" is missing']);
  });

  test("a statement changed in place is drift, naming what changed", () => {
    const changed = JSON.parse(SEED_EU_POLICY);
    changed.Statement[1].Action.push("kms:ReEncrypt*");
    changed.Statement[1].Principal.AWS = "arn:aws:iam::111111111111:role/Other";
    expect(policyDifferences(seed, policy(JSON.stringify(changed)))).toEqual([
      'statement "AllowEUTeam" differs in Action, Principal',
    ]);
  });

  test("another account's root is not the own account's", () => {
    const other = JSON.parse(SEED_EU_POLICY);
    other.Statement[0].Principal.AWS = "222222222222";
    expect(policyDifferences(seed, policy(JSON.stringify(other)))).toEqual([
      'statement "EnableRootAccess" differs in Principal',
    ]);
  });

  const withCondition = (operator: string, variable: string, values: string[], principal: unknown = "*") =>
    policy(
      JSON.stringify({
        Statement: [
          {
            Sid: "A",
            Effect: "Allow",
            Principal: principal,
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { [operator]: { [variable]: values } },
          },
        ],
      }),
    );

  test("conditions compare with their keys and operators in any case and their values in any order", () => {
    expect(
      policyDifferences(
        withCondition("StringEquals", "kms:ViaService", ["s3.eu-west-1.amazonaws.com", "sns.eu-west-1.amazonaws.com"]),
        withCondition("stringequals", "KMS:ViaService", ["sns.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"]),
      ),
    ).toEqual([]);
    expect(
      policyDifferences(
        withCondition("StringEquals", "kms:ViaService", ["s3.eu-west-1.amazonaws.com"]),
        withCondition("StringEquals", "kms:ViaService", ["s3.us-east-1.amazonaws.com"]),
      ),
    ).toEqual(['statement "A" differs in Condition']);
    expect(
      policyDifferences(
        withCondition("StringEquals", "kms:ViaService", ["s3.eu-west-1.amazonaws.com"]),
        withCondition("StringLike", "kms:ViaService", ["s3.eu-west-1.amazonaws.com"]),
      ),
    ).toEqual(['statement "A" differs in Condition']);
  });

  test('"Principal": "*" is {"AWS": "*"}', () => {
    const values = ["111111111111"];
    expect(
      policyDifferences(
        withCondition("StringEquals", "kms:CallerAccount", values, "*"),
        withCondition("StringEquals", "kms:CallerAccount", values, { AWS: "*" }),
      ),
    ).toEqual([]);
  });

  test("a policy that is not JSON cannot be read", () => {
    expect(policyFromJson("{nope")).toMatch(/^the policy is not valid JSON/);
  });
});

describe("the synthesized policy, read from the stack's JSON as KMS will hold it", () => {
  const ROLE = {
    aws_iam_role: { app: { provider: "aws.us_east_1", name: "app", path: "/service/", assume_role_policy: "{}" } },
  };
  const document = (statement: Json[], extra: Json = {}) => ({
    aws_iam_policy_document: { key_policy: { statement, ...extra } },
  });
  const ROOT = {
    sid: "Root",
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
    actions: ["kms:*"],
    resources: ["*"],
  };
  const APP = {
    sid: "App",
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: ["${aws_iam_role.app.arn}"] }],
    actions: ["kms:Decrypt"],
    resources: ["*"],
  };
  const LIVE = JSON.stringify({
    Statement: [
      {
        Sid: "Root",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "App",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:role/service/app" },
        Action: "kms:Decrypt",
        Resource: "*",
      },
    ],
  });

  test("a role's ARN follows from its name and path, in the account that owns the keys", () => {
    const json = stackJson({
      policy: "${data.aws_iam_policy_document.key_policy.json}",
      data: document([ROOT, APP]),
      resource: ROLE,
    });
    const expected = primaryPolicyOf(json);
    expect(expected).toMatchObject({ kind: "document", origin: "data.aws_iam_policy_document.key_policy" });
    expect(policyDifferences(documentOf(expected), policy(LIVE))).toEqual([]);
  });

  test("says which reference is known only after apply", () => {
    const role = { aws_iam_role: { app: { ...ROLE.aws_iam_role.app, name: "${var.role_name}" } } };
    const json = stackJson({
      policy: "${data.aws_iam_policy_document.key_policy.json}",
      data: document([ROOT, APP]),
      resource: role,
    });
    expect(primaryPolicyOf(json)).toEqual({
      kind: "unknown",
      origin: "data.aws_iam_policy_document.key_policy",
      reason: "${aws_iam_role.app.arn} is known only after apply",
    });
  });

  test("the caller's account (data.aws_caller_identity) is the account KMS reports, and unknown before", () => {
    const root = {
      ...ROOT,
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"] }],
    };
    const data = { ...document([root, APP]), aws_caller_identity: { current: { provider: "aws.us_east_1" } } };
    const json = stackJson({ policy: "${data.aws_iam_policy_document.key_policy.json}", data, resource: ROLE });
    expect(policyDifferences(documentOf(primaryPolicyOf(json, "111111111111")), policy(LIVE))).toEqual([]);
    expect(policyDifferences(documentOf(primaryPolicyOf(json, "222222222222")), policy(LIVE))).toEqual([
      'statement "Root" differs in Principal',
      'statement "App" differs in Principal',
    ]);
    expect(expectedKeySet(json).keys[0].policy).toMatchObject({
      kind: "unknown",
      reason: "${data.aws_caller_identity.current.account_id} is known only after apply",
    });
  });

  test("a document built on others: source_policy_documents first, its own statements, then override_policy_documents replacing by Sid", () => {
    const data = {
      aws_iam_policy_document: {
        base: { statement: [ROOT, { ...APP, actions: ["kms:Encrypt"] }] },
        narrower: { statement: [{ ...APP, actions: ["kms:Decrypt"] }] },
        key_policy: {
          source_policy_documents: ["${data.aws_iam_policy_document.base.json}"],
          override_policy_documents: ["${data.aws_iam_policy_document.narrower.json}"],
          statement: [
            {
              sid: "Audit",
              effect: "Allow",
              principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/Audit"] }],
              actions: ["kms:DescribeKey"],
              resources: ["*"],
            },
          ],
        },
      },
    };
    const json = stackJson({ policy: "${data.aws_iam_policy_document.key_policy.json}", data, resource: ROLE });
    const live = JSON.parse(LIVE);
    live.Statement.push({
      Sid: "Audit",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:role/Audit" },
      Action: "kms:DescribeKey",
      Resource: "*",
    });
    expect(policyDifferences(documentOf(primaryPolicyOf(json)), policy(JSON.stringify(live)))).toEqual([]);
    live.Statement[1].Action = "kms:Encrypt";
    expect(policyDifferences(documentOf(primaryPolicyOf(json)), policy(JSON.stringify(live)))).toEqual([
      'statement "App" differs in Action',
    ]);
  });

  test("IAM policy variables as Terraform writes them (&{...} in the data source, $${...} in strings) are the ${...} KMS holds", () => {
    const statement = (values: string[]) => ({
      ...ROOT,
      sid: "Self",
      condition: [{ test: "StringLike", variable: "aws:PrincipalArn", values }],
    });
    const json = stackJson({
      policy: "${data.aws_iam_policy_document.key_policy.json}",
      data: document([
        statement([
          "arn:aws:iam::111111111111:user/&{aws:username}",
          "arn:aws:iam::111111111111:role/$${aws:PrincipalTag/team}-*",
        ]),
      ]),
    });
    const live = {
      Statement: [
        {
          Sid: "Self",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Action: "kms:*",
          Resource: "*",
          Condition: {
            StringLike: {
              "aws:PrincipalArn": [
                "arn:aws:iam::111111111111:user/${aws:username}",
                "arn:aws:iam::111111111111:role/${aws:PrincipalTag/team}-*",
              ],
            },
          },
        },
      ],
    };
    expect(policyDifferences(documentOf(primaryPolicyOf(json)), policy(JSON.stringify(live)))).toEqual([]);
  });

  test("literal JSON in the policy argument, and an aws_kms_key_policy in its place", () => {
    expect(primaryPolicyOf(stackJson({ policy: LIVE.replace("role/service/app", "role/other") }))).toMatchObject({
      kind: "document",
      origin: "the policy argument of aws_kms_key.primary",
    });
    const attached = stackJson({
      resource: {
        aws_kms_key_policy: {
          primary: { provider: "aws.us_east_1", key_id: "${aws_kms_key.primary.id}", policy: LIVE },
        },
      },
    });
    const expected = primaryPolicyOf(attached);
    expect(expected).toMatchObject({ kind: "document", origin: "aws_kms_key_policy.primary" });
    expect(policyDifferences(documentOf(expected), policy(LIVE))).toEqual([]);
  });

  test("a key without a policy argument has KMS's default key policy, Resource included", () => {
    const expected = primaryPolicyOf(stackJson());
    expect(expected).toMatchObject({ kind: "default", origin: "KMS's default key policy" });
    expect(policyDifferences(documentOf(expected), policy(DEFAULT_POLICY))).toEqual([]);
  });
});

describe("what a stack says of its key set", () => {
  test("the default stack: one key per region, the primary first, then the replicas by address as cdk.tf.json sorts them; rotation on for 365 days", () => {
    const expected = expectedKeySet(configJson());
    expect(expected).toMatchObject({
      stack: "global-encrypt",
      aliasName: "alias/global-encrypt",
      rotation: { enabled: true, periodInDays: 365 },
    });
    expect(expected.keys.map(({ region, address, type, enabled }) => ({ region, address, type, enabled }))).toEqual([
      { region: "us-east-1", address: "aws_kms_key.primary", type: "PRIMARY", enabled: true },
      { region: "ap-southeast-1", address: "aws_kms_replica_key.apac", type: "REPLICA", enabled: true },
      { region: "eu-west-1", address: "aws_kms_replica_key.eu", type: "REPLICA", enabled: true },
    ]);
  });

  test("a key of a config's list, named as in the config, by its alias or by a key's address: its own addresses, alias, regions, rotation and policies", () => {
    const config = join(EXAMPLE_CONFIGS_DIR, "platform-keys.json");
    for (const key of ["ledger", "alias/platform/ledger", "aws_kms_replica_key.ledger_us"]) {
      const { expected } = statusTarget({ config: [config], key }, testContext());
      expect(expected).toMatchObject({
        aliasName: "alias/platform/ledger",
        rotation: { enabled: true, periodInDays: 180 },
      });
      expect(
        expected.keys.map(({ region, address, type, policy }) => ({ region, address, type, origin: policy.origin })),
      ).toEqual([
        {
          region: "eu-central-1",
          address: "aws_kms_key.ledger_primary",
          type: "PRIMARY",
          origin: "data.aws_iam_policy_document.ledger_key_policy",
        },
        {
          region: "us-east-1",
          address: "aws_kms_replica_key.ledger_us",
          type: "REPLICA",
          origin: "data.aws_iam_policy_document.ledger_us_key_policy",
        },
      ]);
    }
  });

  test("a stack of several key sets needs --key, and a --key that names none lists them", () => {
    const config = join(EXAMPLE_CONFIGS_DIR, "platform-keys.json");
    expect(() => statusTarget({ config: [config] }, testContext())).toThrow(InvalidInputError);
    expect(() => statusTarget({ config: [config] }, testContext())).toThrow(
      /^--key: is required: stack platform-keys has several key sets \(.*ledger: aws_kms_key\.ledger_primary \(alias\/platform\/ledger\)/,
    );
    expect(() => statusTarget({ config: [config], key: "nope" }, testContext())).toThrow(
      /^--key: "nope" names no key set of stack platform-keys; its key sets are /,
    );
  });

  test("the primary's policy is its data source, with the application role's ARN resolved from the role's name", () => {
    const [primary] = expectedKeySet(configJson()).keys;
    expect(primary.policy).toMatchObject({ kind: "document", origin: "data.aws_iam_policy_document.key_policy" });
    expect(policyDifferences(documentOf(primary.policy), policy(PRIMARY_POLICY))).toEqual([]);
  });

  test("a key without a policy argument is expected to have KMS's default key policy", () => {
    const apac = expectedKeySet(configJson()).keys.find((key) => key.region === "ap-southeast-1")!;
    expect(apac.policy).toMatchObject({ kind: "default" });
    expect(policyDifferences(documentOf(apac.policy), policy(DEFAULT_POLICY))).toEqual([]);
  });

  test("the monitored stack's policies include the statements monitoring adds for EventBridge and CloudWatch", () => {
    const [primary] = expectedKeySet(configJson(join(EXAMPLE_CONFIGS_DIR, "monitored.json"))).keys;
    const synthesized = documentOf(primary.policy).statements.map(canonicalStatement);
    expect(synthesized.find((s) => s.sid === "AllowEventBridgeToPublish")?.parts).toEqual({
      Effect: "Allow",
      Action: ["kms:decrypt", "kms:generatedatakey*"],
      Resource: ["*"],
      Principal: { Service: ["events.amazonaws.com"] },
    });
    expect(synthesized.find((s) => s.sid === "AllowCloudWatchAlarmsToPublish")?.parts).toMatchObject({
      Principal: { Service: ["cloudwatch.amazonaws.com"] },
    });
  });

  test("after a failover, the primary is expected in the region that holds it now", () => {
    const config = defaultConfigObject();
    config.currentPrimaryRegion = "eu-west-1";
    const keys = expectedKeySet(cdkTfJson(stackFromObject(config))).keys;
    expect(keys.map(({ region, address, type }) => ({ region, address, type }))).toEqual([
      { region: "eu-west-1", address: "aws_kms_key.primary", type: "PRIMARY" },
      { region: "ap-southeast-1", address: "aws_kms_replica_key.apac", type: "REPLICA" },
      { region: "us-east-1", address: "aws_kms_replica_key.eu", type: "REPLICA" },
    ]);
  });

  describe("a TypeScript stack of your own (as examples/typescript-app)", () => {
    const json = cdkTfJson(paymentsKeysStack(Testing.app(), "222222222222"));
    const regionsAndAddresses = (keys: readonly { region: string; address: string; type: string }[]) =>
      keys.map(({ region, address, type }) => ({ region, address, type }));

    test("its key set, alias and regions come from its JSON", () => {
      const expected = expectedKeySet(json);
      expect({ stack: expected.stack, aliasName: expected.aliasName, rotation: expected.rotation }).toEqual({
        stack: "payments-keys",
        aliasName: "alias/payments",
        rotation: { enabled: true, periodInDays: 365 },
      });
      expect(regionsAndAddresses(expected.keys)).toEqual([
        { region: "us-east-1", address: "aws_kms_key.primary", type: "PRIMARY" },
        { region: "ap-southeast-1", address: "aws_kms_replica_key.apac", type: "REPLICA" },
        { region: "eu-west-1", address: "aws_kms_replica_key.eu", type: "REPLICA" },
      ]);
    });

    test("its policies name the caller's account: not comparable before the live account is known, then equal to what KMS holds", () => {
      expect(expectedKeySet(json).keys.map((key) => key.policy.kind)).toEqual(["unknown", "unknown", "unknown"]);
      const [primary] = expectedKeySet(json, { accountId: "222222222222" }).keys;
      const admin = { AWS: "arn:aws:iam::222222222222:role/KeyAdministrator" };
      const regions = { "kms:ReplicaRegion": ["us-east-1", "eu-west-1", "ap-southeast-1"] };
      const live = {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EnableRootAccountAccess",
            Effect: "Allow",
            Action: "kms:*",
            Resource: "*",
            Principal: { AWS: "arn:aws:iam::222222222222:root" },
          },
          {
            Sid: "AllowKeyAdministration",
            Effect: "Allow",
            Action: [
              "kms:Create*",
              "kms:Describe*",
              "kms:Enable*",
              "kms:List*",
              "kms:Put*",
              "kms:UpdateAlias",
              "kms:UpdateKeyDescription",
              "kms:Revoke*",
              "kms:Disable*",
              "kms:Get*",
              "kms:Delete*",
              "kms:TagResource",
              "kms:UntagResource",
              "kms:ScheduleKeyDeletion",
              "kms:CancelKeyDeletion",
            ],
            Resource: "*",
            Principal: admin,
          },
          {
            Sid: "AllowReplicateKey",
            Effect: "Allow",
            Action: "kms:ReplicateKey",
            Resource: "*",
            Principal: admin,
            Condition: { StringEquals: regions },
          },
          {
            Sid: "AllowUpdatePrimaryRegion",
            Effect: "Allow",
            Action: "kms:UpdatePrimaryRegion",
            Resource: "*",
            Principal: admin,
            Condition: { StringEquals: { "kms:PrimaryRegion": regions["kms:ReplicaRegion"] } },
          },
          {
            Sid: "AllowEncryptDecrypt",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            Resource: "*",
            Principal: { AWS: "arn:aws:iam::222222222222:role/payments-application" },
          },
        ],
      };
      expect(policyDifferences(documentOf(primary.policy), policy(JSON.stringify(live)))).toEqual([]);
    });
  });
});

describe("the live key set against the stack", () => {
  const expected = expectedKeySet(configJson());
  const arn = (region: string) => `arn:aws:kms:${region}:111111111111:key/${KEY_ID}`;
  const metadata = (region: string, type: string, state = "Enabled"): KeyMetadata => ({
    KeyId: KEY_ID,
    Arn: arn(region),
    KeyState: state as KeyMetadata["KeyState"],
    MultiRegion: true,
    MultiRegionConfiguration: {
      MultiRegionKeyType: type as "PRIMARY",
      PrimaryKey: { Arn: arn("us-east-1"), Region: "us-east-1" },
      ReplicaKeys: [
        { Arn: arn("eu-west-1"), Region: "eu-west-1" },
        { Arn: arn("ap-southeast-1"), Region: "ap-southeast-1" },
      ],
    },
  });
  const healthy = (): LiveKey[] => [
    {
      region: "us-east-1",
      metadata: metadata("us-east-1", "PRIMARY"),
      aliasTarget: KEY_ID,
      rotation: { enabled: true },
      policy: PRIMARY_POLICY,
    },
    {
      region: "eu-west-1",
      metadata: metadata("eu-west-1", "REPLICA"),
      aliasTarget: KEY_ID,
      rotation: { enabled: true },
      policy: SEED_EU_POLICY,
    },
    {
      region: "ap-southeast-1",
      metadata: metadata("ap-southeast-1", "REPLICA"),
      aliasTarget: KEY_ID,
      rotation: { enabled: true },
      policy: DEFAULT_POLICY,
    },
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
    expect(
      rows.map(({ region, type, state, alias, rotation, policy }) => ({
        region,
        type,
        state,
        alias,
        rotation,
        policy,
      })),
    ).toEqual([
      {
        region: "us-east-1",
        type: "PRIMARY",
        state: "Enabled",
        alias: "this key",
        rotation: "on",
        policy: "as synthesized",
      },
      {
        region: "ap-southeast-1",
        type: "REPLICA",
        state: "Enabled",
        alias: "this key",
        rotation: "on",
        policy: "as synthesized (KMS default)",
      },
      {
        region: "eu-west-1",
        type: "REPLICA",
        state: "Enabled",
        alias: "this key",
        rotation: "on",
        policy: "as synthesized",
      },
    ]);
    expect(renderStatus(expected, KEY_ID, rows)).toMatch(/\nhealthy: every region is as the config says\n$/);
  });

  test("a disabled replica is a problem of its region", () => {
    expect(
      problems((keys) => replace(keys, "eu-west-1", { metadata: metadata("eu-west-1", "REPLICA", "Disabled") })),
    ).toEqual(["eu-west-1: the key is Disabled; the config has it enabled"]);
  });

  test("a key pending deletion is a problem of its region", () => {
    expect(
      problems((keys) =>
        replace(keys, "ap-southeast-1", { metadata: metadata("ap-southeast-1", "REPLICA", "PendingDeletion") }),
      ),
    ).toEqual(["ap-southeast-1: the key is PendingDeletion; the config has it enabled"]);
  });

  test("a key Updating during UpdatePrimaryRegion is working, not a problem", () => {
    expect(
      problems((keys) => replace(keys, "us-east-1", { metadata: metadata("us-east-1", "PRIMARY", "Updating") })),
    ).toEqual([]);
  });

  test("a replica the config disables is as it should be when Disabled", () => {
    const config = defaultConfigObject();
    config.replicas[1].enabled = false;
    const rows = compareKeySet(expectedKeySet(cdkTfJson(stackFromObject(config))), {
      keyId: KEY_ID,
      keys: healthy().map((key) =>
        key.region === "ap-southeast-1" ? { ...key, metadata: metadata("ap-southeast-1", "REPLICA", "Disabled") } : key,
      ),
    });
    expect(rows.flatMap((row) => row.problems)).toEqual([]);
  });

  test("a drifted key policy is a problem that says how it differs", () => {
    const drifted = JSON.parse(SEED_EU_POLICY);
    drifted.Statement[1].Action = "kms:*";
    const rows = compare((keys) => replace(keys, "eu-west-1", { policy: JSON.stringify(drifted) }));
    expect(rows.find((row) => row.region === "eu-west-1")?.policy).toBe("DRIFT (1 difference)");
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
      `ap-southeast-1: alias/global-encrypt points to 1234abcd-0000-0000-0000-000000000000, not to the key set's ${KEY_ID}`,
      "eu-west-1: alias/global-encrypt does not exist in the region",
    ]);
  });

  test("a region without the key is a problem", () => {
    const rows = compare((keys) => replace(keys, "ap-southeast-1", { metadata: undefined, aliasTarget: undefined }));
    const apac = rows.find((row) => row.region === "ap-southeast-1")!;
    expect(apac).toMatchObject({ state: "missing", alias: "missing" });
    expect(apac.problems).toContain(`ap-southeast-1: the region has no key ${KEY_ID}`);
  });

  test("a primary that reads as a replica is a problem", () => {
    expect(problems((keys) => replace(keys, "us-east-1", { metadata: metadata("us-east-1", "REPLICA") }))).toEqual([
      "us-east-1: the key is REPLICA; the config has a PRIMARY here",
    ]);
  });

  test("rotation off is a problem in every region that reports it", () => {
    expect(
      problems((keys) => {
        for (const key of keys) replace(keys, key.region, { rotation: { enabled: false } });
      }),
    ).toEqual([
      "us-east-1: automatic rotation is off; the config has it on",
      "ap-southeast-1: automatic rotation is off; the config has it on",
      "eu-west-1: automatic rotation is off; the config has it on",
    ]);
  });

  test("a replica KMS has in a region the config does not name is a problem", () => {
    const rows = compare((keys) =>
      replace(keys, "us-east-1", {
        metadata: {
          ...metadata("us-east-1", "PRIMARY"),
          MultiRegionConfiguration: {
            ...metadata("us-east-1", "PRIMARY").MultiRegionConfiguration,
            ReplicaKeys: [{ Arn: arn("sa-east-1"), Region: "sa-east-1" }],
          },
        },
      }),
    );
    expect(rows.at(-1)).toMatchObject({
      region: "sa-east-1",
      problems: ["sa-east-1: KMS has a replica of the key here, which the config does not declare"],
    });
  });

  test("the report has one row per region and lists each problem under the table", () => {
    const rows = compare((keys) =>
      replace(keys, "eu-west-1", { metadata: metadata("eu-west-1", "REPLICA", "Disabled") }),
    );
    const report = renderStatus(expected, KEY_ID, rows);
    const lines = report.split("\n");
    expect(lines[0]).toBe(
      `global-encrypt: alias/global-encrypt, key ${KEY_ID}, 3 regions (read live through the AWS SDK)`,
    );
    expect(lines[2].split(/\s{2,}/)).toEqual([
      "region",
      "key",
      "type",
      "state",
      "alias/global-encrypt ->",
      "rotation",
      "key policy",
    ]);
    expect(lines[5].split(/\s{2,}/)).toEqual([
      "eu-west-1",
      "aws_kms_replica_key.eu",
      "REPLICA",
      "Disabled",
      "this key",
      "on",
      "as synthesized",
    ]);
    expect(lines.slice(7)).toEqual(["1 problem:", "  eu-west-1: the key is Disabled; the config has it enabled", ""]);
  });

  test("the account that owns the keys is the one KMS reports", () => {
    expect(liveAccountId({ keyId: KEY_ID, keys: healthy() })).toBe("111111111111");
    expect(
      liveAccountId({
        keyId: KEY_ID,
        keys: [
          { region: "us-east-1", metadata: { ...metadata("us-east-1", "PRIMARY"), AWSAccountId: "333333333333" } },
        ],
      }),
    ).toBe("333333333333");
    expect(liveAccountId({ keyId: KEY_ID, keys: [{ region: "us-east-1" }] })).toBeUndefined();
  });
});

describe("the command line", () => {
  test("--stack picks a stack of the project by name", () => {
    expect(
      statusTarget(
        { stack: "monitored", config: [DEFAULT_CONFIG, join(EXAMPLE_CONFIGS_DIR, "monitored.json")] },
        testContext(),
      ).expected.stack,
    ).toBe("monitored");
  });

  test("refuses a stack the project does not have, naming those it has", () => {
    expect(() => statusTarget({ stack: "nope", config: [DEFAULT_CONFIG] }, testContext())).toThrow(InvalidInputError);
    expect(() => statusTarget({ stack: "nope", config: [DEFAULT_CONFIG] }, testContext())).toThrow(
      /^--stack: "nope" is not a stack of the project; its stacks are global-encrypt$/,
    );
  });

  test("refuses an unknown option with the command's usage, exit 2", async () => {
    const result = await runMrk(["status", "--json"]);
    expect(result).toExitWith(2);
    expect(result.stderr).toBe(
      "Error: --json: unknown option\nUsage: mrk status [--stack <name>] [--key <name>] [--config <file>]...\n" +
        "  --stack  the stack of the key set; default: the project's only stack\n" +
        "  --config a stack config file (repeatable); default: MRK_CONFIG, else the stacks of cdktf.json's app\n" +
        "  --key    the key set, when the stack has several: its name in the config's keys, its alias, or a key's address\n" +
        "Exit code: 0 when every region is as declared, 1 when any is not, 2 when the key set cannot be read.\n",
    );
  });
});

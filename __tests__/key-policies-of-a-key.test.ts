/**
 * A MultiRegionKey owns its key policies: it writes one per region from who may do what
 * (administrators, users, services, statements of your own, grants), with its own regions
 * filled in, and the result passes the rule pack with no extra work.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { TerraformStack, Testing } from "cdktf";
import { MultiRegionKey, type MultiRegionKeyProps } from "../lib/multi-region-key";
import { checkStack, errorsOf, warningsOf } from "../lib/policy/check";
import { formatFinding } from "../lib/policy/rule";
import { RegionProviders } from "../lib/region-providers";
import type { StackJson, StatementJson } from "./helpers";

const ACCOUNT = "111111111111";
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdministrator`;
const APP = `arn:aws:iam::${ACCOUNT}:role/Application`;
const EU_TEAM = `arn:aws:iam::${ACCOUNT}:role/EUApplicationRole`;

type Props = Omit<MultiRegionKeyProps, "providers">;

const base: Props = {
  primaryRegion: "us-east-1",
  aliasName: "alias/orders",
  accountId: ACCOUNT,
  replicas: [
    { region: "eu-west-1", name: "eu" },
    { region: "ap-southeast-1", name: "apac" },
  ],
};

function build(props: Props) {
  const stack = new TerraformStack(Testing.app(), "test");
  const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-1", "ap-southeast-1"] });
  const key = new MultiRegionKey(stack, "key", { providers, ...props });
  return { stack, key };
}

function synth(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack));
}

/** The statements of each region's key policy, by data source address. */
function statementsByPolicy(stack: TerraformStack): Record<string, StatementJson[]> {
  const documents = synth(stack).data?.aws_iam_policy_document ?? {};
  return Object.fromEntries(
    Object.entries(documents).map(([name, document]) => [name, document.statement as StatementJson[]]),
  );
}

const sids = (statements: StatementJson[]) => statements.map((statement) => statement.sid);

/** Every finding of the rule pack, one line each: empty when the stack is clean. */
function findings(stack: TerraformStack): string[] {
  const report = checkStack(stack, { accountId: ACCOUNT });
  return [...errorsOf(report), ...warningsOf(report)].map(formatFinding);
}

describe("the key policies a MultiRegionKey writes", () => {
  test("without settings: an explicit policy in every region that keeps the account root in charge, in one document", () => {
    const { stack } = build(base);
    const policies = statementsByPolicy(stack);
    // The regions' policies say the same, so they share one document, as one would write it.
    expect(Object.keys(policies)).toEqual(["key_policy"]);
    for (const statements of Object.values(policies)) {
      expect(statements).toEqual([
        {
          sid: "EnableRootAccountAccess",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${ACCOUNT}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
      ]);
    }
    const json = synth(stack);
    expect(json.resource.aws_kms_replica_key.eu.policy).toBe("${data.aws_iam_policy_document.key_policy.json}");
  });

  test("a region whose policy differs has its own document, in its region's provider", () => {
    const { stack } = build({
      ...base,
      replicas: [{ region: "eu-west-1", name: "eu", keyPolicyAdditions: { users: [{ principals: [EU_TEAM] }] } }],
    });
    const json = synth(stack);
    expect(json.resource.aws_kms_replica_key.eu.policy).toBe("${data.aws_iam_policy_document.eu_key_policy.json}");
    expect(json.data.aws_iam_policy_document.eu_key_policy.provider).toBe("aws.eu_west_1");
  });

  test("a statement added to one region's policy gives that region a document of its own, grants included", () => {
    const { stack, key } = build(base);
    key.grantDecrypt(APP);
    key.addServiceGrant("eu-west-1", { sid: "AllowLogs", principals: ["logs.amazonaws.com"] });
    key.grantEncrypt(EU_TEAM);
    const json = synth(stack);
    expect(json.resource.aws_kms_key.primary.policy).toBe("${data.aws_iam_policy_document.key_policy.json}");
    expect(json.resource.aws_kms_replica_key.apac.policy).toBe("${data.aws_iam_policy_document.key_policy.json}");
    expect(json.resource.aws_kms_replica_key.eu.policy).toBe("${data.aws_iam_policy_document.eu_key_policy.json}");
    const policies = statementsByPolicy(stack);
    expect(sids(policies.key_policy)).toEqual(["EnableRootAccountAccess", "AllowDecrypt", "AllowEncrypt"]);
    expect(sids(policies.eu_key_policy)).toEqual([
      "EnableRootAccountAccess",
      "AllowLogs",
      "AllowDecrypt",
      "AllowEncrypt",
    ]);
  });

  test("the region that names the shared document keeps it when a statement is added to it alone", () => {
    const { stack, key } = build(base);
    key.addServiceGrant("us-east-1", { sid: "AllowLogs", principals: ["logs.amazonaws.com"] });
    const json = synth(stack);
    expect(json.resource.aws_kms_key.primary.policy).toBe("${data.aws_iam_policy_document.key_policy.json}");
    expect(json.resource.aws_kms_replica_key.eu.policy).toBe("${data.aws_iam_policy_document.eu_key_policy.json}");
    const policies = statementsByPolicy(stack);
    expect(sids(policies.key_policy)).toEqual(["EnableRootAccountAccess", "AllowLogs"]);
    expect(sids(policies.eu_key_policy)).toEqual(["EnableRootAccountAccess"]);
    expect(sids(policies.apac_key_policy)).toEqual(["EnableRootAccountAccess"]);
  });

  test("without an account id: the root of the account of the provider's credentials", () => {
    const { stack } = build({ ...base, accountId: undefined });
    const json = synth(stack);
    expect(Object.keys(json.data.aws_caller_identity)).toEqual(["current"]);
    expect(statementsByPolicy(stack).key_policy[0].principals?.[0].identifiers).toEqual([
      "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
    ]);
  });

  test("without an account id, administrators and grants written out pass the rule pack: they may be of the caller's account", () => {
    const { stack, key } = build({
      ...base,
      accountId: undefined,
      keyPolicy: { administrators: { principals: [ADMIN] } },
    });
    key.grantDecrypt(APP);
    const report = checkStack(stack);
    expect([...errorsOf(report), ...warningsOf(report)].map(formatFinding)).toEqual([]);
  });

  test("two keys without an account id share one data.aws_caller_identity.current", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-1"] });
    const props = { providers, primaryRegion: "us-east-1", replicas: [{ region: "eu-west-1" }] };
    new MultiRegionKey(stack, "a", { ...props, aliasName: "alias/a", addressPrefix: "a_" });
    new MultiRegionKey(stack, "b", { ...props, aliasName: "alias/b", addressPrefix: "b_" });
    expect(Object.keys(synth(stack).data.aws_caller_identity)).toEqual(["current"]);
  });

  test("the key's settings go to every region, with the key's regions in the multi-region statements", () => {
    const { stack } = build({
      ...base,
      keyPolicy: { administrators: { principals: [ADMIN] }, users: [{ principals: [APP] }] },
    });
    const policies = statementsByPolicy(stack);
    for (const statements of Object.values(policies)) {
      expect(sids(statements)).toEqual([
        "EnableRootAccountAccess",
        "AllowKeyAdministration",
        "AllowReplicateKey",
        "AllowUpdatePrimaryRegion",
        "AllowKeyUse",
      ]);
      expect(statements[2].condition).toEqual([
        { test: "StringEquals", variable: "kms:ReplicaRegion", values: ["us-east-1", "eu-west-1", "ap-southeast-1"] },
      ]);
    }
    expect(findings(stack)).toEqual([]);
  });

  test("a replica's keyPolicy replaces the key's in its region; keyPolicyAdditions add to it", () => {
    const { stack } = build({
      ...base,
      keyPolicy: { users: [{ sid: "AllowApplicationAccess", principals: [APP] }] },
      replicas: [
        {
          region: "eu-west-1",
          name: "eu",
          keyPolicy: { rootSid: "EnableRootAccess", users: [{ sid: "AllowEUTeam", principals: [EU_TEAM] }] },
        },
        {
          region: "ap-southeast-1",
          name: "apac",
          keyPolicyAdditions: { users: [{ sid: "AllowAPACTeam", principals: [EU_TEAM] }] },
        },
      ],
    });
    const policies = statementsByPolicy(stack);
    expect(sids(policies.key_policy)).toEqual(["EnableRootAccountAccess", "AllowApplicationAccess"]);
    expect(sids(policies.eu_key_policy)).toEqual(["EnableRootAccess", "AllowEUTeam"]);
    expect(sids(policies.apac_key_policy)).toEqual([
      "EnableRootAccountAccess",
      "AllowApplicationAccess",
      "AllowAPACTeam",
    ]);
  });

  test('"kms-default" leaves the policy argument out, as the reference document does for its APAC replica', () => {
    const { stack } = build({ ...base, replicas: [{ region: "eu-west-1", name: "eu", keyPolicy: "kms-default" }] });
    const json = synth(stack);
    expect(json.resource.aws_kms_replica_key.eu.policy).toBeUndefined();
    expect(Object.keys(json.data.aws_iam_policy_document)).toEqual(["key_policy"]);
  });

  test("JSON of your own is used as it is", () => {
    const own = JSON.stringify({ Version: "2012-10-17", Statement: [] });
    const { stack } = build({ ...base, replicas: [{ region: "eu-west-1", name: "eu", policy: own }] });
    expect(synth(stack).resource.aws_kms_replica_key.eu.policy).toBe(own);
  });

  test("service statements carry the confused-deputy conditions", () => {
    const { stack } = build({
      ...base,
      keyPolicy: {
        services: [
          {
            sid: "AllowCloudWatchAlarms",
            principals: ["cloudwatch.amazonaws.com"],
            sourceArns: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:*`],
          },
          { sid: "AllowEventBridge", principals: ["events.amazonaws.com"], sourceAccount: false },
        ],
      },
    });
    const [, alarms, events] = statementsByPolicy(stack).key_policy;
    expect(alarms).toEqual({
      sid: "AllowCloudWatchAlarms",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:*`] },
      ],
    });
    expect(events.condition).toBeUndefined();
  });

  test("statements of your own keep their conditions and come last", () => {
    const { stack } = build({
      ...base,
      keyPolicy: {
        users: [{ principals: [APP] }],
        statements: [
          {
            sid: "AllowViaS3Only",
            principals: [{ type: "AWS", identifiers: [EU_TEAM] }],
            actions: ["kms:Decrypt"],
            conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] }],
          },
        ],
      },
    });
    const statements = statementsByPolicy(stack).key_policy;
    expect(sids(statements)).toEqual(["EnableRootAccountAccess", "AllowKeyUse", "AllowViaS3Only"]);
    expect(statements[2].condition).toEqual([
      { test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] },
    ]);
  });
});

describe("grant methods", () => {
  test("add the principal to one statement per kind of grant, in every region, before your own statements", () => {
    const { stack, key } = build({
      ...base,
      keyPolicy: {
        statements: [
          { sid: "Mine", principals: [{ type: "AWS", identifiers: [ADMIN] }], actions: ["kms:DescribeKey"] },
        ],
      },
    });
    key.grantEncryptDecrypt(APP);
    key.grantEncryptDecrypt(APP);
    key.grantDecrypt(EU_TEAM);
    const writer = new IamRole(stack, "writer", { name: "writer", assumeRolePolicy: "{}" });
    key.grantEncrypt(writer.arn);
    for (const statements of Object.values(statementsByPolicy(stack))) {
      expect(sids(statements)).toEqual([
        "EnableRootAccountAccess",
        "AllowEncryptDecrypt",
        "AllowDecrypt",
        "AllowEncrypt",
        "Mine",
      ]);
      expect(statements[1]).toMatchObject({
        principals: [{ type: "AWS", identifiers: [APP] }],
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
      });
      expect(statements[2].actions).toEqual(["kms:Decrypt"]);
      expect(statements[3].principals).toEqual([{ type: "AWS", identifiers: ["${aws_iam_role.writer.arn}"] }]);
    }
    expect(findings(stack)).toEqual([]);
  });

  test("refuse a region whose key policy is KMS's default, naming it", () => {
    const { key } = build({ ...base, replicas: [{ region: "eu-west-1", name: "eu", keyPolicy: "kms-default" }] });
    expect(() => key.grantDecrypt(APP)).toThrow(
      `MultiRegionKey alias/orders grantDecrypt: "${APP}" cannot be added in eu-west-1, whose key policy is KMS's default or JSON of your own`,
    );
  });

  test("refuse a principal that is not an IAM ARN", () => {
    const { key } = build(base);
    expect(() => key.grantEncrypt("role/App")).toThrow(
      'MultiRegionKey alias/orders grantEncrypt: "role/App" must be an IAM role, user or account root ARN',
    );
  });
});

describe("outputs", () => {
  test("each region's key ARN and id, alias ARN, and the alias name", () => {
    const { stack } = build(base);
    const outputs = synth(stack).output;
    expect(outputs.alias_arns.value).toEqual({
      "us-east-1": "${aws_kms_alias.primary.arn}",
      "eu-west-1": "${aws_kms_alias.eu.arn}",
      "ap-southeast-1": "${aws_kms_alias.apac.arn}",
    });
    expect(outputs.alias_name.value).toBe("alias/orders");
    expect(outputs.key_ids.value).toHaveProperty(["eu-west-1"], "${aws_kms_replica_key.eu.key_id}");
  });
});

describe("bad key policy input", () => {
  test.each<[string, Partial<Props>, string]>([
    [
      "a replica with both its own keyPolicy and additions",
      { replicas: [{ region: "eu-west-1", keyPolicy: {}, keyPolicyAdditions: {} }] },
      "MultiRegionKey replicas[0]: keyPolicy and keyPolicyAdditions are given; give one of them",
    ],
    [
      "both keyPolicy and JSON of your own",
      { keyPolicy: {}, policy: "{}" },
      "MultiRegionKey policy: JSON of your own replaces keyPolicy; give one of them",
    ],
    [
      "a user that is not an IAM principal, in a replica's additions",
      { replicas: [{ region: "eu-west-1", keyPolicyAdditions: { users: [{ principals: ["EUTeam"] }] } }] },
      'MultiRegionKey replicas[0].keyPolicyAdditions.users[0].principals[0]: "EUTeam" must be an IAM role, user or account root ARN',
    ],
    [
      "a statement id used twice",
      { keyPolicy: { users: [{ principals: [APP] }, { principals: [EU_TEAM] }] } },
      'MultiRegionKey keyPolicy.sid: "AllowKeyUse" is used by two statements; statement ids must be unique',
    ],
    [
      "a statement of your own with no principal",
      { keyPolicy: { statements: [{ sid: "Nobody", principals: [], actions: ["kms:Decrypt"] }] } },
      "MultiRegionKey keyPolicy.statements[0].principals: [] must name at least one principal",
    ],
  ])("refuses %s", (_, props, message) => {
    expect(() => build({ ...base, ...props })).toThrow(message);
  });
});

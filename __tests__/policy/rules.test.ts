/**
 * Every rule of the pack: a compliant and a non-compliant case each, on small stacks built from
 * the constructs and the AWS provider's classes, plus the edge cases each rule decides.
 */
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { DynamodbTableReplicaA } from "@cdktf/provider-aws/lib/dynamodb-table-replica";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { TerraformStack } from "cdktf";
import { KeyPolicy } from "../../lib/key-policy";
import { RULE_IDS, RULE_PACK } from "../../lib/policy/pack";
import { ADMIN, APP, findingIds, KeySetFixture, keySet, PRIMARY, rawPolicy, REPLICA, report, ROOT, rootStatement } from "./fixtures";

const PRIMARY_KEY = "aws_kms_key.primary";
const REPLICA_KEY = "aws_kms_replica_key.eu";

// --- builders for the S3 and DynamoDB cases -------------------------------------------------

/** An SSE-KMS bucket in `region` using `keyArn` (the key of its region unless told otherwise). */
function bucket(fixture: KeySetFixture, name: string, region: string, keyArn?: string, algorithm = "aws:kms") {
  const provider = fixture.providers.forRegion(region);
  const b = new S3Bucket(fixture.stack, name, { provider, bucket: `test-${name}` });
  new S3BucketServerSideEncryptionConfigurationA(fixture.stack, `${name}_encryption`, {
    provider,
    bucket: b.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, kmsMasterKeyId: keyArn ?? fixture.key.inRegion(region).arn } }],
  });
  return b;
}

function versioning(fixture: KeySetFixture, b: S3Bucket, region: string) {
  new S3BucketVersioningA(fixture.stack, `${b.friendlyUniqueId}_versioning`, {
    provider: fixture.providers.forRegion(region),
    bucket: b.id,
    versioningConfiguration: { status: "Enabled" },
  });
}

interface ReplicationChanges {
  sseKmsObjects?: "Enabled" | "Disabled" | null;
  replicaKey?: (fixture: KeySetFixture) => string | undefined;
  destinationVersioning?: boolean;
}

/** Source bucket in us-east-1 replicated to a destination bucket in eu-west-1. */
function replication(changes: ReplicationChanges = {}): TerraformStack {
  const fixture = keySet();
  const source = bucket(fixture, "source", PRIMARY);
  const destination = bucket(fixture, "destination", REPLICA);
  versioning(fixture, source, PRIMARY);
  if (changes.destinationVersioning ?? true) versioning(fixture, destination, REPLICA);
  const sse = changes.sseKmsObjects === undefined ? "Enabled" : changes.sseKmsObjects;
  const replicaKey = changes.replicaKey ? changes.replicaKey(fixture) : fixture.key.inRegion(REPLICA).arn;
  new S3BucketReplicationConfigurationA(fixture.stack, "replication", {
    provider: fixture.providers.forRegion(PRIMARY),
    bucket: source.id,
    role: "arn:aws:iam::111111111111:role/replication",
    rule: [
      {
        id: "everything",
        status: "Enabled",
        ...(sse ? { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: sse } } } : {}),
        destination: { bucket: destination.arn, ...(replicaKey ? { encryptionConfiguration: { replicaKmsKeyId: replicaKey } } : {}) },
      },
    ],
  });
  return fixture.stack;
}

interface TableChanges {
  encryption?: "none" | "aws-managed" | "customer";
  tableKey?: (fixture: KeySetFixture) => string;
  replicaKey?: (fixture: KeySetFixture) => string | undefined;
}

/** A global table in us-east-1 with a replica in eu-west-1. */
function table(changes: TableChanges = {}): TerraformStack {
  const fixture = keySet();
  const encryption = changes.encryption ?? "customer";
  const replicaKey = changes.replicaKey ? changes.replicaKey(fixture) : fixture.key.inRegion(REPLICA).arn;
  new DynamodbTable(fixture.stack, "orders", {
    provider: fixture.providers.forRegion(PRIMARY),
    name: "orders",
    hashKey: "id",
    attribute: [{ name: "id", type: "S" }],
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    ...(encryption === "none"
      ? {}
      : {
          serverSideEncryption: {
            enabled: true,
            ...(encryption === "customer" ? { kmsKeyArn: changes.tableKey?.(fixture) ?? fixture.key.inRegion(PRIMARY).arn } : {}),
          },
        }),
    replica: [{ regionName: REPLICA, ...(replicaKey ? { kmsKeyArn: replicaKey } : {}) }],
  });
  return fixture.stack;
}

// --- one compliant and one non-compliant case per rule -------------------------------------

interface RuleCases {
  compliant: () => TerraformStack;
  nonCompliant: () => TerraformStack;
  /** The resource the non-compliant case is reported on. */
  address: string;
}

const cases: Record<string, RuleCases> = {
  "MRK-KMS-1": {
    compliant: () => keySet().stack,
    nonCompliant: () => keySet({ key: { enableKeyRotation: false } }).stack,
    address: PRIMARY_KEY,
  },
  "MRK-KMS-2": {
    compliant: () => keySet().stack,
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
  },
  "MRK-KMS-3": {
    compliant: () => keySet().stack,
    nonCompliant: () => keySet({ key: { replicas: [{ region: REPLICA, name: "eu", keyPolicy: "kms-default" }] } }).stack,
    address: REPLICA_KEY,
  },
  "MRK-KMS-4": {
    compliant: () => keySet().stack,
    nonCompliant: () => {
      const fixture = keySet();
      fixture.key.replicaKeys.get(REPLICA)!.addOverride("enabled", false);
      return fixture.stack;
    },
    address: REPLICA_KEY,
  },
  "MRK-KMS-5": {
    compliant: () => keySet({ key: { deletionWindowInDays: 30 } }).stack,
    nonCompliant: () => keySet({ key: { deletionWindowInDays: 7 } }).stack,
    address: PRIMARY_KEY,
  },
  "MRK-KMS-6": {
    compliant: () => keySet().stack,
    nonCompliant: () => {
      const fixture = keySet();
      fixture.key.primaryKey.addOverride("bypass_policy_lockout_safety_check", true);
      return fixture.stack;
    },
    address: PRIMARY_KEY,
  },
  "MRK-KMS-7": {
    compliant: () => keySet().stack,
    nonCompliant: () =>
      keySet({
        policy: (region) =>
          region === PRIMARY
            ? { users: [{ principals: Array.from({ length: 600 }, (_, i) => `arn:aws:iam::111111111111:role/application-role-number-${i}`) }] }
            : {},
      }).stack,
    address: PRIMARY_KEY,
  },
  "MRK-KMS-8": {
    compliant: () => keySet().stack,
    nonCompliant: () => keySet({ policy: (region) => (region === PRIMARY ? { administrators: { principals: [ADMIN], actions: ["kms:*"] } } : {}) }).stack,
    address: PRIMARY_KEY,
  },
  "MRK-KMS-9": {
    compliant: () => keySet().stack,
    nonCompliant: () =>
      keySet({ policy: (region) => (region === REPLICA ? { users: [{ sid: "AllowApplication", principals: [APP, ADMIN] }] } : {}) }).stack,
    address: REPLICA_KEY,
  },
  "MRK-KMS-10": {
    compliant: () => keySet().stack,
    nonCompliant: () =>
      keySet({ policy: (region) => (region === PRIMARY ? { keyRegions: [PRIMARY, REPLICA, "ap-southeast-1"] } : {}) }).stack,
    address: PRIMARY_KEY,
  },
  "MRK-KMS-11": {
    compliant: () => keySet().stack,
    nonCompliant: () => {
      const fixture = keySet();
      fixture.key.node.tryRemoveChild("alias-eu");
      return fixture.stack;
    },
    address: REPLICA_KEY,
  },
  "MRK-S3-1": {
    compliant: () => {
      const fixture = keySet();
      bucket(fixture, "logs", REPLICA);
      return fixture.stack;
    },
    nonCompliant: () => {
      const fixture = keySet();
      bucket(fixture, "logs", REPLICA, fixture.key.inRegion(PRIMARY).arn);
      return fixture.stack;
    },
    address: "aws_s3_bucket_server_side_encryption_configuration.logs_encryption",
  },
  "MRK-S3-2": {
    compliant: () => replication(),
    nonCompliant: () => replication({ sseKmsObjects: null }),
    address: "aws_s3_bucket_replication_configuration.replication",
  },
  "MRK-DDB-1": {
    compliant: () => table(),
    nonCompliant: () => table({ replicaKey: (fixture) => fixture.key.inRegion(PRIMARY).arn }),
    address: "aws_dynamodb_table.orders",
  },
};

describe("the rule pack", () => {
  test("has a compliant and a non-compliant case here for every rule", () => {
    expect(Object.keys(cases).sort()).toEqual([...RULE_IDS].sort());
  });

  test.each(RULE_PACK.map((rule) => [rule.id, rule] as const))("%s has an id, a level, an explanation, a fix and what it applies to", (_, rule) => {
    expect(rule.id).toMatch(/^MRK-(KMS|S3|DDB)-\d+$/);
    expect(["error", "warning"]).toContain(rule.level);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.explanation.length).toBeGreaterThan(40);
    expect(rule.fix.length).toBeGreaterThan(10);
    expect(rule.appliesTo.length).toBeGreaterThan(0);
    expect(Array.isArray(rule.anchors)).toBe(true);
  });

  test("rule ids are unique", () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });

  describe.each(Object.entries(cases))("%s", (ruleId, { compliant, nonCompliant, address }) => {
    test("finds nothing on the compliant case", () => {
      expect(compliant()).not.toFailPolicyRule(ruleId);
    });

    test("reports the non-compliant case on its resource, with the rule id and a fix", () => {
      const stack = nonCompliant();
      expect(stack).toFailPolicyRule(ruleId, address);
      const finding = report(stack).findings.find((f) => f.rule.id === ruleId && f.address === address)!;
      expect(finding.fix.length).toBeGreaterThan(10);
    });
  });

  test("the compliant key set breaks no rule and has no warning", () => {
    expect(findingIds(keySet().stack)).toEqual([]);
  });
});

describe("MRK-KMS-1 rotation", () => {
  test("is the only finding when rotation is off", () => {
    expect(findingIds(keySet({ key: { enableKeyRotation: false } }).stack)).toEqual([`MRK-KMS-1 @ ${PRIMARY_KEY}`]);
  });

  test("does not apply to asymmetric keys, which cannot rotate automatically", () => {
    const fixture = keySet();
    const policy = new KeyPolicy(fixture.stack, "signing_policy", { accountId: "111111111111", provider: fixture.providers.forRegion(PRIMARY) });
    new KmsKey(fixture.stack, "signing", {
      provider: fixture.providers.forRegion(PRIMARY),
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
      policy: policy.json,
    });
    expect(findingIds(fixture.stack)).toEqual([]);
  });
});

describe("MRK-KMS-2 wildcard principals", () => {
  test("refuses a literal JSON policy that allows Principal \"*\"", () => {
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
      { effect: "Deny", principals: [{ type: "AWS", identifiers: ["*"] }], actions: ["kms:ScheduleKeyDeletion"], resources: ["*"] },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).not.toFailPolicyRule("MRK-KMS-2");
  });

  test("fails closed on a policy it cannot read before apply", () => {
    const fixture = keySet();
    fixture.key.primaryKey.addOverride("policy", "${file(\"policy.json\")}");
    expect(report(fixture.stack).findings.find((f) => f.rule.id === "MRK-KMS-2")?.message).toMatch(/cannot be checked/);
  });
});

describe("MRK-KMS-3 explicit policies", () => {
  test("accepts a policy attached with aws_kms_key_policy", () => {
    const fixture = keySet({ key: { replicas: [{ region: REPLICA, name: "eu", keyPolicy: "kms-default" }] } });
    new KmsKeyPolicy(fixture.stack, "eu_policy", {
      provider: fixture.providers.forRegion(REPLICA),
      keyId: fixture.key.inRegion(REPLICA).keyId,
      policy: new KeyPolicy(fixture.stack, "attached", { accountId: "111111111111", provider: fixture.providers.forRegion(REPLICA) }).json,
    });
    expect(fixture.stack).not.toFailPolicyRule("MRK-KMS-3");
  });
});

describe("MRK-KMS-4 enabled keys", () => {
  test("is a warning: the stack still passes", () => {
    const stack = cases["MRK-KMS-4"].nonCompliant();
    expect(stack).toPassPolicyRules();
    expect(report(stack).findings.map((f) => f.rule.level)).toEqual(["warning"]);
  });
});

describe("MRK-KMS-5 deletion window", () => {
  test("reports every key of the set", () => {
    expect(findingIds(keySet({ key: { deletionWindowInDays: 7 } }).stack)).toEqual([`MRK-KMS-5 @ ${PRIMARY_KEY}`, `MRK-KMS-5 @ ${REPLICA_KEY}`]);
  });

  test("takes its minimum from the options", () => {
    expect(keySet({ key: { deletionWindowInDays: 7 } }).stack).toPassPolicyRules({ minimumDeletionWindowInDays: 7 });
    expect(keySet({ key: { deletionWindowInDays: 14 } }).stack).toFailPolicyRule("MRK-KMS-5", PRIMARY_KEY, { minimumDeletionWindowInDays: 20 });
  });

  test("counts a window left out as KMS's 30 days", () => {
    expect(keySet().stack).not.toFailPolicyRule("MRK-KMS-5");
  });
});

describe("MRK-KMS-6 policy lockout safety check", () => {
  test("also checks aws_kms_key_policy", () => {
    const fixture = keySet();
    new KmsKeyPolicy(fixture.stack, "primary_policy", {
      provider: fixture.providers.forRegion(PRIMARY),
      keyId: fixture.key.primaryKey.keyId,
      policy: new KeyPolicy(fixture.stack, "attached", { accountId: "111111111111", provider: fixture.providers.forRegion(PRIMARY) }).json,
      bypassPolicyLockoutSafetyCheck: true,
    });
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-6", "aws_kms_key_policy.primary_policy");
  });

  test("accepts an explicit false", () => {
    const fixture = keySet();
    fixture.key.primaryKey.addOverride("bypass_policy_lockout_safety_check", false);
    expect(fixture.stack).not.toFailPolicyRule("MRK-KMS-6");
  });
});

describe("MRK-KMS-7 policy size", () => {
  test("says how big the policy is", () => {
    const finding = report(cases["MRK-KMS-7"].nonCompliant()).findings.find((f) => f.rule.id === "MRK-KMS-7")!;
    expect(finding.message).toMatch(/is \d+ bytes; KMS allows at most 32768/);
  });
});

describe("MRK-KMS-8 kms:* only for the root", () => {
  test("refuses kms:* to another account's root", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "cross_account", REPLICA, [
      rootStatement,
      { sid: "OtherAccount", effect: "Allow", principals: [{ type: "AWS", identifiers: ["arn:aws:iam::222222222222:root"] }], actions: ["kms:*"], resources: ["*"] },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-8", REPLICA_KEY, { accountId: "111111111111" });
  });

  test("treats an Allow with NotAction as kms:*", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "not_action", REPLICA, [
      rootStatement,
      { effect: "Allow", principals: [{ type: "AWS", identifiers: [APP] }], notActions: ["kms:ScheduleKeyDeletion"], resources: ["*"] },
    ]);
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("policy", policy.json);
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-8", REPLICA_KEY);
  });
});

describe("MRK-KMS-9 separate administrators and users", () => {
  test("names the principal and both kinds of actions", () => {
    const finding = report(cases["MRK-KMS-9"].nonCompliant()).findings.find((f) => f.rule.id === "MRK-KMS-9")!;
    expect(finding.message).toContain(`${ADMIN} in data.aws_iam_policy_document.eu_key_policy is both a key administrator`);
    expect(finding.message).toContain("kms:Encrypt");
  });

  test("lets administrators and users share read-only actions", () => {
    expect(
      keySet({ policy: () => ({ users: [{ sid: "AllowApplication", principals: [APP] }, { sid: "AdminsRead", principals: [ADMIN], actions: ["kms:DescribeKey", "kms:GetKeyPolicy"] }] }) })
        .stack,
    ).not.toFailPolicyRule("MRK-KMS-9");
  });
});

describe("MRK-KMS-10 multi-region operations", () => {
  test("refuses ReplicateKey and UpdatePrimaryRegion without a region condition", () => {
    const fixture = keySet();
    const policy = rawPolicy(fixture, "unlimited", PRIMARY, [
      rootStatement,
      { sid: "Admins", effect: "Allow", principals: [{ type: "AWS", identifiers: [ADMIN] }], actions: ["kms:Describe*", "kms:Update*", "kms:ReplicateKey"], resources: ["*"] },
    ]);
    fixture.key.primaryKey.addOverride("policy", policy.json);
    const messages = report(fixture.stack).findings.filter((f) => f.rule.id === "MRK-KMS-10").map((f) => f.message);
    expect(messages).toEqual([
      'statement "Admins" of data.aws_iam_policy_document.unlimited allows kms:ReplicateKey without a StringEquals condition on kms:ReplicaRegion',
      'statement "Admins" of data.aws_iam_policy_document.unlimited allows kms:UpdatePrimaryRegion without a StringEquals condition on kms:PrimaryRegion',
    ]);
  });

  test("names regions outside the key set", () => {
    const finding = report(cases["MRK-KMS-10"].nonCompliant()).findings.find((f) => f.rule.id === "MRK-KMS-10")!;
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
    expect(report(fixture.stack).findings.filter((f) => f.rule.id === "MRK-KMS-10").map((f) => f.message)).toEqual([
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
        { effect: "Allow", principals: [{ type: "AWS", identifiers: [ADMIN] }], actions: ["kms:ReplicateKey"], resources: ["*"] },
      ]).json,
    });
    expect(findingIds(fixture.stack)).toEqual([]);
  });
});

describe("MRK-KMS-11 alias in every region", () => {
  test("reports both keys when their aliases differ", () => {
    const fixture = keySet();
    fixture.key.inRegion(REPLICA).alias.addOverride("name", "alias/other");
    expect(findingIds(fixture.stack)).toEqual([`MRK-KMS-11 @ ${PRIMARY_KEY}`, `MRK-KMS-11 @ ${REPLICA_KEY}`]);
  });

  test("does not count an alias declared in another region", () => {
    const fixture = keySet();
    fixture.key.inRegion(REPLICA).alias.addOverride("provider", "aws.us_east_1");
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-11", REPLICA_KEY);
  });
});

describe("MRK-S3-1 S3 default encryption", () => {
  test("reports a bucket without default encryption", () => {
    const fixture = keySet();
    new S3Bucket(fixture.stack, "plain", { provider: fixture.providers.forRegion(REPLICA), bucket: "plain" });
    expect(findingIds(fixture.stack)).toEqual(["MRK-S3-1 @ aws_s3_bucket.plain"]);
  });

  test("reports SSE-S3 and the AWS managed key", () => {
    const fixture = keySet();
    bucket(fixture, "sse_s3", REPLICA, undefined, "AES256");
    bucket(fixture, "managed", REPLICA, "alias/aws/s3");
    expect(report(fixture.stack).findings.map((f) => `${f.address}: ${f.message}`)).toEqual([
      'aws_s3_bucket_server_side_encryption_configuration.sse_s3_encryption: sse_algorithm is "AES256", not "aws:kms"',
      "aws_s3_bucket_server_side_encryption_configuration.managed_encryption: kms_master_key_id is the AWS managed key alias/aws/s3",
    ]);
  });

  test("says which key the bucket's region has", () => {
    const finding = report(cases["MRK-S3-1"].nonCompliant()).findings[0];
    expect(finding.message).toBe("kms_master_key_id is aws_kms_key.primary, the key of us-east-1, but the resource is in eu-west-1");
    expect(finding.fix).toBe("use the key of eu-west-1 (${aws_kms_replica_key.eu.arn})");
  });

  test("checks an inline server_side_encryption_configuration on the bucket", () => {
    const fixture = keySet();
    const b = new S3Bucket(fixture.stack, "legacy", { provider: fixture.providers.forRegion(PRIMARY), bucket: "legacy" });
    b.addOverride("server_side_encryption_configuration", { rule: { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: fixture.key.inRegion(REPLICA).arn } } });
    expect(fixture.stack).toFailPolicyRule("MRK-S3-1", "aws_s3_bucket.legacy");
  });
});

describe("MRK-S3-2 replication of SSE-KMS objects", () => {
  test("is the only finding when SSE-KMS objects are not selected", () => {
    expect(findingIds(replication({ sseKmsObjects: "Disabled" }))).toEqual(["MRK-S3-2 @ aws_s3_bucket_replication_configuration.replication"]);
  });

  test.each<[string, ReplicationChanges, RegExp]>([
    ["the source region's key", { replicaKey: (f) => f.key.inRegion(PRIMARY).arn }, /is aws_kms_key\.primary, the key of us-east-1, but the resource is in eu-west-1/],
    ["a key id instead of an ARN", { replicaKey: (f) => f.key.inRegion(REPLICA).keyId }, /not a full key ARN/],
    ["no destination key", { replicaKey: () => undefined }, /replica_kms_key_id is not set/],
    ["a destination without versioning", { destinationVersioning: false }, /aws_s3_bucket\.destination has no versioning/],
  ])("reports %s", (_, changes, message) => {
    const messages = report(replication(changes)).findings.map((f) => f.message);
    expect(messages).toEqual([expect.stringMatching(message)]);
  });
});

describe("MRK-DDB-1 DynamoDB encryption", () => {
  test.each<[string, TableChanges, RegExp]>([
    ["a table with an AWS owned key", { encryption: "none" }, /server_side_encryption is not enabled/],
    ["a table with the AWS managed key", { encryption: "aws-managed" }, /server_side_encryption\.kms_key_arn is not set/],
    ["a table with another region's key", { tableKey: (f) => f.key.inRegion(REPLICA).arn }, /is aws_kms_replica_key\.eu, the key of eu-west-1, but the resource is in us-east-1/],
    ["a replica without a key", { replicaKey: () => undefined }, /replica eu-west-1 kms_key_arn is not set/],
  ])("reports %s", (_, changes, message) => {
    expect(report(table(changes)).findings.map((f) => f.message)).toEqual([expect.stringMatching(message)]);
  });

  test("checks aws_dynamodb_table_replica against its own region", () => {
    const fixture = keySet();
    new DynamodbTableReplicaA(fixture.stack, "orders_eu", {
      provider: fixture.providers.forRegion(REPLICA),
      globalTableArn: "arn:aws:dynamodb:us-east-1:111111111111:table/orders",
      kmsKeyArn: fixture.key.inRegion(PRIMARY).arn,
    });
    expect(findingIds(fixture.stack)).toEqual(["MRK-DDB-1 @ aws_dynamodb_table_replica.orders_eu"]);
  });
});

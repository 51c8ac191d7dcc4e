/**
 * A config that lists its keys: several multi-region keys in one stack, each with its own
 * alias, regions and key policies, and addresses that stay put when keys come and go.
 */
import { join } from "node:path";
import { Testing } from "cdktf";
import { withCurrentPrimaryRegion } from "../lib/cli/failover";
import { parseStackConfig, selectKey } from "../lib/config";
import { stackFromConfig } from "../lib/config-app";
import type { Json } from "../lib/json";
import {
  EXAMPLE_CONFIGS_DIR,
  type KeyEntryJson,
  policyStatements,
  type StackJson,
  stackFromFile,
  stackFromObject,
  synthJson,
} from "./helpers";

const ACCOUNT = "111111111111";

/** A key of a list: its name, primary region and replica regions; each region gets a key policy. */
function keyEntry(name: string, primaryRegion: string, replicaRegions: string[]) {
  const keyPolicy = { users: [{ principals: [`arn:aws:iam::${ACCOUNT}:role/${name}-app`] }] };
  return {
    name,
    alias: `alias/${name}`,
    primaryRegion,
    keyPolicy,
    replicas: replicaRegions.map((region) => ({ region, keyPolicy })),
  } satisfies KeyEntryJson;
}

type KeyEntry = ReturnType<typeof keyEntry>;

/** A config with a list of keys, its entries as given (a test of refusals gives wrong ones). */
function keyList(...keys: unknown[]) {
  return { name: "platform", accountId: ACCOUNT, keys };
}

/** Every resource and data source of a synthesized stack, by address, with its arguments. */
function blocksByAddress(json: StackJson): Map<string, unknown> {
  const blocks = new Map<string, unknown>();
  for (const [kind, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const { "//": _metadata, ...args } = block;
        blocks.set(`${prefix}${type}.${name}`, args);
      }
    }
  }
  return blocks;
}

/** The blocks of one key: those whose address name starts with the key's name. */
function blocksOfKey(json: StackJson, name: string): Map<string, unknown> {
  return new Map([...blocksByAddress(json)].filter(([address]) => address.split(".").at(-1)!.startsWith(`${name}_`)));
}

const sessions = keyEntry("sessions", "us-east-1", ["eu-west-1", "ap-southeast-1"]);
const ledger = keyEntry("ledger", "eu-central-1", ["us-east-1"]);
const audit = keyEntry("audit", "us-west-2", ["eu-west-1"]);

describe("a config with a list of keys", () => {
  const json = synthJson(stackFromObject(keyList(sessions, ledger)));

  test("puts each key's name before its addresses", () => {
    const names = (blocks: Record<string, unknown>) => Object.keys(blocks).sort();
    expect(names(json.resource.aws_kms_key)).toEqual(["ledger_primary", "sessions_primary"]);
    expect(names(json.resource.aws_kms_replica_key)).toEqual([
      "ledger_us_east_1",
      "sessions_ap_southeast_1",
      "sessions_eu_west_1",
    ]);
    expect(names(json.resource.aws_kms_alias)).toEqual([
      "ledger_primary",
      "ledger_us_east_1",
      "sessions_ap_southeast_1",
      "sessions_eu_west_1",
      "sessions_primary",
    ]);
    expect(names(json.output)).toEqual([
      ...["ledger_alias_arns", "ledger_alias_name", "ledger_key_arns", "ledger_key_ids"],
      ...["sessions_alias_arns", "sessions_alias_name", "sessions_key_arns", "sessions_key_ids"],
    ]);
  });

  test("gives each key its own alias in each of its own regions", () => {
    const aliases = json.resource.aws_kms_alias;
    expect(aliases.sessions_eu_west_1).toMatchObject({ name: "alias/sessions", provider: "aws.eu_west_1" });
    expect(aliases.ledger_us_east_1).toMatchObject({ name: "alias/ledger", provider: "aws.us_east_1" });
    expect(json.resource.aws_kms_key.ledger_primary.provider).toBe("aws.eu_central_1");
  });

  test("declares one provider per region, shared by the keys that use it", () => {
    expect(json.provider.aws.map((provider) => provider.region)).toEqual([
      "us-east-1",
      "eu-west-1",
      "ap-southeast-1",
      "eu-central-1",
    ]);
  });

  test("gives each key a key policy in each region: one document, when the regions' policies say the same", () => {
    expect(json.resource.aws_kms_key.ledger_primary.policy).toBe(
      "${data.aws_iam_policy_document.ledger_key_policy.json}",
    );
    expect(json.resource.aws_kms_replica_key.ledger_us_east_1.policy).toBe(
      "${data.aws_iam_policy_document.ledger_key_policy.json}",
    );
    expect(policyStatements(json, "ledger_key_policy")[1].principals?.[0].identifiers).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/ledger-app`,
    ]);
  });

  test("limits each key's administrators to replicate and promote within that key's own regions", () => {
    const withAdmins = (entry: KeyEntry) => ({
      ...entry,
      keyPolicy: { administrators: { principals: [`arn:aws:iam::${ACCOUNT}:role/Admin`] } },
      replicas: entry.replicas.map((replica) => ({
        ...replica,
        keyPolicy: { administrators: { principals: [`arn:aws:iam::${ACCOUNT}:role/Admin`] } },
      })),
    });
    const json = synthJson(stackFromObject(keyList(withAdmins(sessions), withAdmins(ledger))));
    const replicateRegions = (name: string) =>
      policyStatements(json, name).find((s) => s.sid === "AllowReplicateKey")?.condition?.[0].values;
    expect(replicateRegions("ledger_key_policy")).toEqual(["eu-central-1", "us-east-1"]);
    expect(replicateRegions("sessions_key_policy")).toEqual(["us-east-1", "eu-west-1", "ap-southeast-1"]);
  });
});

describe("monitoring of a list of keys", () => {
  const services = [{ principals: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }];
  const monitorable = (entry: KeyEntry) => ({
    ...entry,
    keyPolicy: { ...entry.keyPolicy, services },
    replicas: entry.replicas.map((replica) => ({ ...replica, keyPolicy: { ...replica.keyPolicy, services } })),
  });
  const json = synthJson(stackFromObject({ ...keyList(monitorable(sessions), monitorable(ledger)), monitoring: {} }));

  test("monitors each key in its own regions, under its own addresses and AWS names", () => {
    expect(Object.keys(json.resource.aws_cloudwatch_dashboard).sort()).toEqual([
      "ledger_key_usage",
      "sessions_key_usage",
    ]);
    expect(json.resource.aws_cloudwatch_dashboard.ledger_key_usage).toMatchObject({
      dashboard_name: "platform-ledger-kms-usage",
      provider: "aws.eu_central_1",
    });
    expect(Object.keys(json.resource.aws_sns_topic).sort()).toEqual([
      "ledger_key_events_eu_central_1",
      "ledger_key_events_us_east_1",
      "sessions_key_events_ap_southeast_1",
      "sessions_key_events_eu_west_1",
      "sessions_key_events_us_east_1",
    ]);
    expect(json.resource.aws_sns_topic.ledger_key_events_us_east_1).toMatchObject({
      name: "platform-ledger-key-events",
      kms_master_key_id: "${aws_kms_replica_key.ledger_us_east_1.arn}",
    });
  });

  test("refuses a key name that makes the monitoring names too long", () => {
    expect(() =>
      stackFromConfig(
        Testing.app(),
        { ...keyList(monitorable({ ...ledger, name: "l".repeat(32) })), name: "p".repeat(20), monitoring: {} },
        "test.json",
      ),
    ).toThrow(
      /^test\.json: keys\[0\]\.name \(with the stack's name\): "p{20}-l{32}" is longer than 50 characters \(it starts EventBridge rule names, at most 64\)$/,
    );
  });
});

describe("addresses when keys are added or removed", () => {
  const ledgerBlocks = (keys: KeyEntry[]) => blocksOfKey(synthJson(stackFromObject(keyList(...keys))), "ledger");
  const alone = ledgerBlocks([ledger]);

  test("a key's blocks hold their addresses and arguments whatever keys come before or after it", () => {
    expect(alone.size).toBe(5); // primary, replica, two aliases, and the key policy both regions share
    expect(ledgerBlocks([sessions, ledger])).toEqual(alone);
    expect(ledgerBlocks([audit, ledger, sessions])).toEqual(alone);
  });

  test("removing a key removes only its own blocks", () => {
    const all = blocksByAddress(synthJson(stackFromObject(keyList(sessions, ledger, audit))));
    const withoutSessions = blocksByAddress(synthJson(stackFromObject(keyList(ledger, audit))));
    const removed = [...all.keys()].filter((address) => !withoutSessions.has(address));
    expect(removed.every((address) => address.split(".").at(-1)!.startsWith("sessions_"))).toBe(true);
    for (const [address, block] of withoutSessions) expect(all.get(address)).toEqual(block);
  });
});

describe("the platform-keys example", () => {
  const stack = stackFromFile(join(EXAMPLE_CONFIGS_DIR, "platform-keys.json"));
  const json = synthJson(stack);

  test("encrypts its table with the key its entry names, in each of the table's regions", () => {
    const table = json.resource.aws_dynamodb_table.ledger_entries;
    expect(table.server_side_encryption).toHaveProperty("kms_key_arn", "${aws_kms_key.ledger_primary.arn}");
    expect((table.replica as Json[])[0]).toMatchObject({
      region_name: "us-east-1",
      kms_key_arn: "${aws_kms_replica_key.ledger_us.arn}",
    });
  });

  test("finds a key by its name", () => {
    expect(stack.keyNamed("ledger").aliasName).toBe("alias/platform/ledger");
    expect(() => stack.keyNamed("billing")).toThrow(
      'key: "billing" is not a key of stack platform-keys (keys: sessions, ledger)',
    );
  });
});

describe("refused lists of keys", () => {
  const refuses = (config: unknown) => {
    try {
      stackFromConfig(Testing.app(), config, "test.json");
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("the config was accepted");
  };

  test.each([
    ["an empty list", keyList(), "test.json: keys: [] must name at least one key"],
    [
      "a key name with an underscore",
      keyList({ ...ledger, name: "ledger_eu" }),
      'test.json: keys[0].name: "ledger_eu" must be 1 to 32 lower-case letters and digits, starting with a letter (it starts the key\'s Terraform addresses)',
    ],
    [
      "two keys with one name",
      keyList(ledger, { ...sessions, name: "ledger" }),
      'test.json: keys[1].name: "ledger" is the name of another key; key names must be unique',
    ],
    [
      "two keys with one alias",
      keyList(ledger, { ...sessions, alias: "alias/ledger" }),
      'test.json: keys[1].alias: "alias/ledger" is the alias of another key; an alias names one key',
    ],
    [
      "a key without its name",
      keyList({ ...ledger, name: undefined }),
      "test.json: keys[0].name: is required (string)",
    ],
    [
      "a replica region repeated within a key",
      keyList({ ...ledger, replicas: [...ledger.replicas, ...ledger.replicas] }),
      'test.json: keys[0].replicas[1].region: "us-east-1"',
    ],
  ])("refuses %s", (_, config, message) => {
    expect(refuses(config)).toContain(message);
  });

  test("refuses key fields at the top level beside keys, one line per field", () => {
    expect(refuses({ ...keyList(ledger), alias: "alias/x", primaryRegion: "us-east-1" })).toBe(
      [
        "test.json: primaryRegion: belongs in each entry of keys, not at the top level, when a config lists its keys",
        "test.json: alias: belongs in each entry of keys, not at the top level, when a config lists its keys",
      ].join("\n"),
    );
  });

  const table = { tableName: "entries", replicaRegions: ["us-east-1"], hashKey: { name: "id" } };

  test("refuses a table that does not name its key when there are several", () => {
    expect(refuses({ ...keyList(ledger, sessions), globalTables: [table] })).toBe(
      "test.json: globalTables[0].key: is required: the config has several keys (ledger, sessions); name the one to encrypt with",
    );
  });

  test("refuses a table whose key is not in the list", () => {
    expect(refuses({ ...keyList(ledger, sessions), globalTables: [{ ...table, key: "billing" }] })).toBe(
      'test.json: globalTables[0].key: "billing" is not a key of the config (ledger, sessions)',
    );
  });

  test("checks a table's regions against the key it names", () => {
    expect(
      refuses({ ...keyList(ledger, sessions), globalTables: [{ ...table, key: "sessions", region: "eu-central-1" }] }),
    ).toContain('test.json: globalTables[0].region: "eu-central-1"');
  });

  test("refuses a key name on a table of a config with one key at its top level", () => {
    const { name: _name, ...ledgerSettings } = ledger;
    const single = { name: "one", accountId: ACCOUNT, ...ledgerSettings };
    expect(refuses({ ...single, globalTables: [{ ...table, key: "ledger" }] })).toBe(
      'test.json: globalTables[0].key: "ledger" names a key, but the config has one key at its top level; leave key out',
    );
  });
});

describe("commands on one key of a list", () => {
  const config = parseStackConfig(keyList(sessions, ledger), "test.json");

  test("select the key by its name", () => {
    expect(selectKey(config, "ledger")).toMatchObject({ index: 1, key: { alias: "alias/ledger" } });
  });

  test("need the key's name when the stack has several", () => {
    expect(() => selectKey(config, undefined)).toThrow(
      "--key: is required for stack platform, which has several keys (sessions, ledger)",
    );
    expect(() => selectKey(config, "audit")).toThrow(
      '--key: "audit" is not a key of stack platform (keys: sessions, ledger)',
    );
  });

  test("failover writes currentPrimaryRegion into the key's own entry and nowhere else", () => {
    const text = JSON.stringify(keyList(sessions, ledger), null, 2);
    const edited = JSON.parse(withCurrentPrimaryRegion(text, "us-east-1", "eu-central-1", 1));
    expect(edited.keys[1].currentPrimaryRegion).toBe("us-east-1");
    expect(edited.keys[0].currentPrimaryRegion).toBeUndefined();
    expect(edited.currentPrimaryRegion).toBeUndefined();
    expect(parseStackConfig(edited, "test.json").keys[1].currentPrimaryRegion).toBe("us-east-1");
  });
});

/**
 * The EventBridge rules of KeyMonitoring (lib/monitoring.ts) against what AWS emits: the AWS KMS
 * Developer Guide's CloudTrail log entries (__tests__/fixtures/kms-events, each with its source)
 * in EventBridge's "AWS API Call via CloudTrail" envelope, and KMS's own events, judged with
 * EventBridge's pattern semantics (__tests__/event-pattern.ts).
 *
 * The rules are the synthesized ones: their `event_pattern` with the key's references resolved
 * to a deployed key. "The set's key" is the key the documented entry names (its key id, and its
 * ARN in each region of the set), with the entry's alias as the set's alias; "another key set"
 * has another id and alias, and must hear nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import type { Json } from "../lib/json";
import { KeyMonitoring, WATCHED_API_CALLS } from "../lib/monitoring";
import { MultiRegionKey } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";
import { matchesEventPattern } from "./event-pattern";
import { decodeJsonencode } from "./helpers";

const FIXTURES = join(__dirname, "fixtures", "kms-events");
const ACCOUNT = "111122223333";
/** The regions of the documented entries; the set's primary is in us-west-2, as in the guide's multi-Region examples. */
const REGIONS = ["us-west-2", "us-east-1", "ap-northeast-1"];

/** A documented record or event, parsed as published (the guide's samples carry trailing commas). */
function fixture(name: string): Json {
  const errors: ParseError[] = [];
  const value = parse(readFileSync(join(FIXTURES, `${name}.jsonc`), "utf8"), errors, { allowTrailingComma: true });
  if (errors.length > 0)
    throw new Error(`${name}.jsonc: ${errors.map((e) => `${printParseErrorCode(e.error)} at ${e.offset}`).join(", ")}`);
  return value;
}

/**
 * A CloudTrail record as EventBridge delivers it (EventBridge User Guide, "Amazon EventBridge
 * events", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events.html):
 * `detail-type` "AWS API Call via CloudTrail", `source` "aws." + the service prefix, the
 * record's Region and account, no resource ARNs at the top level, the record as `detail`.
 */
function viaCloudTrail(record: Json): Json {
  return {
    version: "0",
    id: record.eventID,
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.kms",
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/** A deployed key set: its key id (the same in every region) and its alias. */
interface World {
  readonly keyId: string;
  readonly aliasName: string;
}

const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;

type Rules = Record<string, { apiCalls: unknown; lifecycle: unknown }>;
const synthesized = new Map<string, Rules>();

/** The synthesized rules of a key set monitored in REGIONS, by region, with the key's references resolved in `world`. */
function rulesOf(world: World): Rules {
  const known = synthesized.get(JSON.stringify(world));
  if (known) return known;
  const stack = new TerraformStack(Testing.app(), "events");
  const providers = new RegionProviders(stack, "providers", { regions: REGIONS });
  const key = new MultiRegionKey(stack, "key", {
    providers,
    primaryRegion: REGIONS[0],
    aliasName: world.aliasName,
    replicas: REGIONS.slice(1).map((region) => ({ region, name: region.replace(/-/g, "_") })),
  });
  new KeyMonitoring(stack, "monitoring", { key, providers, accountId: ACCOUNT, namePrefix: "docs" });
  const json = JSON.parse(Testing.synth(stack));
  const regionOf = (type: string, name: string) => {
    const alias: string = json.resource[type][name].provider; // aws.us_west_2
    return REGIONS.find((region) => `aws.${region.replace(/-/g, "_")}` === alias)!;
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    if (typeof value !== "string" || !value.includes("${")) return value;
    const reference = /^\$\{(aws_kms_key|aws_kms_replica_key)\.(\w+)\.(arn|key_id)\}$/.exec(value);
    if (!reference) throw new Error(`a reference the test cannot resolve: ${value}`);
    const [, type, name, attribute] = reference;
    return attribute === "key_id" ? world.keyId : arnIn(regionOf(type, name), world.keyId);
  };
  const rules = json.resource.aws_cloudwatch_event_rule;
  const byRegion: Rules = Object.fromEntries(
    REGIONS.map((region) => {
      const suffix = region.replace(/-/g, "_");
      return [
        region,
        {
          apiCalls: resolve(decodeJsonencode(rules[`key_api_calls_${suffix}`].event_pattern)),
          lifecycle: resolve(decodeJsonencode(rules[`key_lifecycle_${suffix}`].event_pattern)),
        },
      ];
    }),
  );
  synthesized.set(JSON.stringify(world), byRegion);
  return byRegion;
}

/** The rule of the event's Region (EventBridge rules see only their own Region's events) that it matches, if any. */
function matchingRules(event: Json, world: World): string[] {
  const region = event.region as string;
  const rules = rulesOf(world)[region];
  if (!rules) throw new Error(`no key of the set in ${region}`);
  return Object.entries(rules)
    .filter(([, pattern]) => matchesEventPattern(pattern, event))
    .map(([name]) => name);
}

const DOC_KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
const DOC_MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";
const DOC_CUSTOM_STORE_KEY = "0987dcba-09fe-87dc-65ba-ab0987654321";
const DOC_ALIAS = "alias/my_alias";
const ANOTHER_SET: World = { keyId: "mrk-00000000000000000000000000000000", aliasName: "alias/orders" };

/**
 * Each documented CloudTrail entry, the key id it names, and the rule of the set's key that must
 * hear it (none: a call the rules do not watch).
 */
const CLOUDTRAIL_CASES: ReadonlyArray<{ file: string; keyId: string; heardBy: "apiCalls" | "none"; shows: string }> = [
  {
    file: "disable-key",
    keyId: DOC_KEY,
    heardBy: "apiCalls",
    shows: "the key id form of keyId (its resources name another Region)",
  },
  { file: "schedule-key-deletion-single-region", keyId: DOC_KEY, heardBy: "apiCalls", shows: "the key id form" },
  {
    file: "schedule-key-deletion-multi-region",
    keyId: DOC_MRK,
    heardBy: "apiCalls",
    shows: "a multi-Region key's mrk- id",
  },
  {
    file: "schedule-key-deletion-custom-key-store",
    keyId: DOC_CUSTOM_STORE_KEY,
    heardBy: "apiCalls",
    shows: "the key ARN form of keyId",
  },
  { file: "disable-key-rotation", keyId: DOC_KEY, heardBy: "apiCalls", shows: "rotation turned off, key ARN form" },
  { file: "put-key-policy", keyId: DOC_KEY, heardBy: "apiCalls", shows: "a new key policy" },
  {
    file: "replicate-key",
    keyId: DOC_KEY,
    heardBy: "apiCalls",
    shows: "a replica made, logged in the primary's Region",
  },
  {
    file: "update-primary-region-to-replica",
    keyId: DOC_MRK,
    heardBy: "apiCalls",
    shows: "failover, the Region whose primary became a replica",
  },
  {
    file: "update-primary-region-to-primary",
    keyId: DOC_MRK,
    heardBy: "apiCalls",
    shows: "failover, the Region whose replica became the primary (no resources)",
  },
  { file: "update-alias", keyId: DOC_KEY, heardBy: "apiCalls", shows: "the set's alias re-pointed" },
  { file: "delete-alias", keyId: DOC_KEY, heardBy: "apiCalls", shows: "the set's alias deleted" },
  { file: "enable-key-rotation", keyId: DOC_KEY, heardBy: "none", shows: "rotation turned on" },
  { file: "cancel-key-deletion", keyId: DOC_KEY, heardBy: "none", shows: "a deletion cancelled" },
  { file: "enable-key", keyId: DOC_KEY, heardBy: "none", shows: "a key enabled" },
  { file: "create-alias", keyId: DOC_KEY, heardBy: "none", shows: "another alias created for the key" },
  { file: "encrypt", keyId: DOC_KEY, heardBy: "none", shows: "a cryptographic call (key ARN form)" },
  { file: "decrypt", keyId: DOC_KEY, heardBy: "none", shows: "a cryptographic call" },
  { file: "generate-data-key", keyId: DOC_KEY, heardBy: "none", shows: "a cryptographic call" },
];

const KMS_EVENT_CASES: ReadonlyArray<{ file: string; heardBy: "lifecycle" | "none" }> = [
  { file: "kms-cmk-rotation", heardBy: "lifecycle" },
  { file: "kms-cmk-deletion", heardBy: "lifecycle" },
  { file: "kms-imported-key-material-expiration", heardBy: "none" },
];

describe("the documented CloudTrail entries, as EventBridge delivers them", () => {
  test.each(CLOUDTRAIL_CASES)("$file ($shows): heard by the set's rule: $heardBy", ({ file, keyId, heardBy }) => {
    const event = viaCloudTrail(fixture(file));
    expect({ file, heardBy: matchingRules(event, { keyId, aliasName: DOC_ALIAS }) }).toEqual({
      file,
      heardBy: heardBy === "none" ? [] : [heardBy],
    });
  });

  test.each(CLOUDTRAIL_CASES)("$file: another key set's rules hear nothing", ({ file }) => {
    expect({ file, heardBy: matchingRules(viaCloudTrail(fixture(file)), ANOTHER_SET) }).toEqual({ file, heardBy: [] });
  });

  test("UpdateAlias of another alias onto the set's key is heard: its resources name the key", () => {
    const event = viaCloudTrail(fixture("update-alias"));
    expect(matchingRules(event, { keyId: DOC_KEY, aliasName: "alias/orders" })).toEqual(["apiCalls"]);
  });

  test("the set's alias re-pointed from the set's key to another key is heard by its alias name alone", () => {
    const event = viaCloudTrail(fixture("update-alias"));
    expect(matchingRules(event, { keyId: ANOTHER_SET.keyId, aliasName: DOC_ALIAS })).toEqual(["apiCalls"]);
  });

  test("every watched call has a documented entry here that is heard", () => {
    const heard = new Set(CLOUDTRAIL_CASES.filter((c) => c.heardBy !== "none").map((c) => fixture(c.file).eventName));
    expect([...WATCHED_API_CALLS].sort()).toEqual([...heard].sort());
  });
});

describe("KMS's own events", () => {
  test.each(KMS_EVENT_CASES)("$file: heard by the set's rule: $heardBy", ({ file, heardBy }) => {
    expect({ file, heardBy: matchingRules(fixture(file), { keyId: DOC_KEY, aliasName: DOC_ALIAS }) }).toEqual({
      file,
      heardBy: heardBy === "none" ? [] : [heardBy],
    });
  });

  test.each(KMS_EVENT_CASES)("$file: another key set's rules hear nothing", ({ file }) => {
    expect({ file, heardBy: matchingRules(fixture(file), ANOTHER_SET) }).toEqual({ file, heardBy: [] });
  });
});

describe("the fixtures", () => {
  test("are every documented sample in the folder, each with its source URL", () => {
    const files = readdirSync(FIXTURES)
      .map((f) => f.replace(/\.jsonc$/, ""))
      .sort();
    expect(files).toEqual([...CLOUDTRAIL_CASES.map((c) => c.file), ...KMS_EVENT_CASES.map((c) => c.file)].sort());
    for (const file of files) {
      expect({
        file,
        source: /^\/\/ https:\/\/docs\.aws\.amazon\.com\/kms\/latest\/developerguide\/[\w-]+\.html$/m.test(
          readFileSync(join(FIXTURES, `${file}.jsonc`), "utf8"),
        ),
      }).toEqual({ file, source: true });
    }
  });
});

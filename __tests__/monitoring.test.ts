/**
 * Monitoring in every key region (lib/monitoring.ts, lib/kms-quotas.ts), as the monitored
 * example config (stacks/monitored.json) and variants of it declare it.
 */
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { KeyPolicy } from "../lib/key-policy";
import {
  callsPerPeriodAtShare,
  DEFAULT_SYMMETRIC_REQUESTS_PER_SECOND,
  SHARED_QUOTA_OPERATIONS,
  symmetricRequestQuota,
  SYMMETRIC_REQUESTS_PER_SECOND,
} from "../lib/kms-quotas";
import { KeyMonitoring, missingPublishingServices, WATCHED_API_CALLS } from "../lib/monitoring";
import { MultiRegionKey } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";
import { InvalidInputError } from "../lib/validation";
import { STACKS_DIR } from "../stacks/app";
import { parseStackConfig } from "../lib/config";
import { stackFromFile, stackFromObject, synthJson } from "./helpers";

const MONITORED_CONFIG = join(STACKS_DIR, "monitored.json");
const json = synthJson(stackFromFile(MONITORED_CONFIG));

/** The monitored config as an object, to derive variants from. */
function monitoredConfig(): Record<string, any> {
  return structuredClone(require(MONITORED_CONFIG));
}

/**
 * cdktf's `${jsonencode({...})}` expression as the JSON it encodes, references written as
 * `"${aws_x.y.attr}"` strings.
 */
function decodeJsonencode(expression: string): any {
  const inner = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression)?.[1];
  if (inner === undefined) throw new Error(`not a jsonencode expression: ${expression}`);
  let out = "";
  for (let i = 0; i < inner.length; ) {
    const char = inner[i];
    if (char === '"') {
      const end = /^"(?:[^"\\]|\\.)*"/.exec(inner.slice(i))![0];
      out += end;
      i += end.length;
    } else if (char === "=") {
      out += ":";
      i++;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][\w.-]*/.exec(inner.slice(i))![0];
      out += ["true", "false", "null"].includes(word) ? word : JSON.stringify(`\${${word}}`);
      i += word.length;
    } else {
      out += char;
      i++;
    }
  }
  return JSON.parse(out);
}

const REGIONS = [
  { region: "us-east-1", alias: "us_east_1", key: "aws_kms_key.primary", quota: 100_000 },
  { region: "eu-west-1", alias: "eu_west_1", key: "aws_kms_replica_key.eu", quota: 150_000 }, // the config's override
  { region: "ap-southeast-1", alias: "ap_southeast_1", key: "aws_kms_replica_key.apac", quota: 20_000 },
];

describe.each(REGIONS)("monitoring of the monitored example in $region", ({ region, alias, key, quota }) => {
  const provider = `aws.${alias}`;
  const topic = `aws_sns_topic.key_events_${alias}`;

  test("an SNS topic encrypted with the region's key", () => {
    expect(json.resource.aws_sns_topic[`key_events_${alias}`]).toEqual({
      provider,
      name: "monitored-key-events",
      kms_master_key_id: `\${${key}.arn}`,
    });
  });

  test("a topic policy letting the region's EventBridge rules and the account's CloudWatch alarms publish", () => {
    expect(json.resource.aws_sns_topic_policy[`key_events_${alias}`]).toEqual({
      provider,
      arn: `\${${topic}.arn}`,
      policy: `\${data.aws_iam_policy_document.key_events_${alias}.json}`,
    });
    expect(json.data.aws_iam_policy_document[`key_events_${alias}`].statement).toEqual([
      {
        sid: "AllowEventBridgeRulesToPublish",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        actions: ["sns:Publish"],
        resources: [`\${${topic}.arn}`],
        condition: [
          {
            test: "ArnEquals",
            variable: "aws:SourceArn",
            values: [`\${aws_cloudwatch_event_rule.key_api_calls_${alias}.arn}`, `\${aws_cloudwatch_event_rule.key_lifecycle_${alias}.arn}`],
          },
        ],
      },
      {
        sid: "AllowCloudWatchAlarmsToPublish",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["sns:Publish"],
        resources: [`\${${topic}.arn}`],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:cloudwatch:${region}:111111111111:alarm:*`] },
        ],
      },
    ]);
  });

  test.each([
    ["Encrypt", "encrypt"],
    ["Decrypt", "decrypt"],
    ["GenerateDataKey", "generate_data_key"],
  ])("an alarm on AWS/Usage CallCount of %s at 80%% of the region's quota, notifying the topic", (operation, name) => {
    expect(json.resource.aws_cloudwatch_metric_alarm[`${name}_calls_${alias}`]).toMatchObject({
      provider,
      alarm_name: `monitored-kms-${name.replace(/_/g, "-")}-calls`,
      namespace: "AWS/Usage",
      metric_name: "CallCount",
      dimensions: { Service: "KMS", Type: "API", Resource: operation, Class: "None" },
      statistic: "Sum",
      period: 60,
      evaluation_periods: 3,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: quota * 60 * 0.8,
      treat_missing_data: "notBreaching",
      alarm_actions: [`\${${topic}.arn}`],
      ok_actions: [`\${${topic}.arn}`],
    });
  });

  test("an alarm on the sum of every operation that shares the quota, at the same threshold", () => {
    const alarm = json.resource.aws_cloudwatch_metric_alarm[`symmetric_calls_${alias}`];
    expect(alarm).toMatchObject({ provider, threshold: quota * 60 * 0.8, alarm_actions: [`\${${topic}.arn}`] });
    const metrics = alarm.metric_query.filter((q: any) => q.metric);
    expect(metrics.map((q: any) => q.metric.dimensions.Resource)).toEqual(SHARED_QUOTA_OPERATIONS);
    expect(metrics.every((q: any) => q.return_data === false && q.metric.stat === "Sum" && q.metric.period === 60)).toBe(true);
    expect(alarm.metric_query.at(-1)).toEqual({
      id: "symmetric_calls",
      label: "Symmetric cryptographic calls",
      expression: metrics.map((q: any) => q.id).join(" + "),
      return_data: true,
    });
  });

  test("an EventBridge rule for the watched CloudTrail events on the region's key", () => {
    const rule = json.resource.aws_cloudwatch_event_rule[`key_api_calls_${alias}`];
    expect(rule).toMatchObject({ provider, name: "monitored-key-api-calls" });
    expect(decodeJsonencode(rule.event_pattern)).toEqual({
      source: ["aws.kms"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["kms.amazonaws.com"],
        eventName: ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "UpdatePrimaryRegion", "ReplicateKey", "DeleteAlias"],
        $or: [
          { resources: { ARN: [`\${${key}.arn}`] } },
          { requestParameters: { keyId: [`\${${key}.key_id}`, `\${${key}.arn}`] } },
          { requestParameters: { aliasName: ["alias/orders"] } },
        ],
      },
    });
  });

  test("an EventBridge rule for KMS's rotation and deletion events of the region's key", () => {
    const rule = json.resource.aws_cloudwatch_event_rule[`key_lifecycle_${alias}`];
    expect(rule).toMatchObject({ provider, name: "monitored-key-lifecycle" });
    expect(decodeJsonencode(rule.event_pattern)).toEqual({
      source: ["aws.kms"],
      "detail-type": ["KMS CMK Rotation", "KMS CMK Deletion"],
      resources: [`\${${key}.arn}`],
    });
  });

  test.each(["key_api_calls", "key_lifecycle"])("a target sending rule %s to the region's topic", (name) => {
    expect(json.resource.aws_cloudwatch_event_target[`${name}_${alias}`]).toEqual({
      provider,
      rule: `\${aws_cloudwatch_event_rule.${name}_${alias}.name}`,
      target_id: "key-events-topic",
      arn: `\${${topic}.arn}`,
    });
  });

  test("a dashboard widget of the region's Encrypt, Decrypt and GenerateDataKey calls against the threshold", () => {
    const { widgets } = decodeJsonencode(json.resource.aws_cloudwatch_dashboard.key_usage.dashboard_body);
    const widget = widgets.find((w: any) => w.type === "metric" && w.properties.region === region);
    expect(widget.properties).toMatchObject({ stat: "Sum", period: 60 });
    expect(widget.properties.metrics.map((m: any[]) => m[7])).toEqual(["Encrypt", "Decrypt", "GenerateDataKey"]);
    expect(widget.properties.metrics[0].slice(0, 10)).toEqual(["AWS/Usage", "CallCount", "Service", "KMS", "Type", "API", "Resource", "Encrypt", "Class", "None"]);
    expect(widget.properties.annotations.horizontal).toEqual([{ label: `80% of the quota (${quota}/s)`, value: quota * 60 * 0.8 }]);
  });

  test("the region's key policy lets EventBridge and CloudWatch use the key", () => {
    const policy = key === "aws_kms_key.primary" ? "key_policy" : `${key.split(".")[1]}_key_policy`;
    expect(json.data.aws_iam_policy_document[policy].statement).toContainEqual({
      sid: "AllowMonitoringToPublish",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
    });
  });
});

describe("the monitored example, once for the key set", () => {
  test("one dashboard, in the primary region, with the alarms of every region", () => {
    expect(Object.keys(json.resource.aws_cloudwatch_dashboard)).toEqual(["key_usage"]);
    const dashboard = json.resource.aws_cloudwatch_dashboard.key_usage;
    expect(dashboard).toMatchObject({ provider: "aws.us_east_1", dashboard_name: "monitored-kms-usage" });
    const [alarms] = decodeJsonencode(dashboard.dashboard_body).widgets;
    expect(alarms.type).toBe("alarm");
    expect([...alarms.properties.alarms].sort()).toEqual(
      Object.keys(json.resource.aws_cloudwatch_metric_alarm).map((name) => `\${aws_cloudwatch_metric_alarm.${name}.arn}`).sort(),
    );
    expect(alarms.properties.alarms).toHaveLength(12);
  });

  test("outputs the topic of every region", () => {
    expect(json.output.key_event_topic_arns.value).toEqual({
      "us-east-1": "${aws_sns_topic.key_events_us_east_1.arn}",
      "eu-west-1": "${aws_sns_topic.key_events_eu_west_1.arn}",
      "ap-southeast-1": "${aws_sns_topic.key_events_ap_southeast_1.arn}",
    });
  });

  test("the watched CloudTrail events are the issue's six", () => {
    expect(WATCHED_API_CALLS).toEqual(["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "UpdatePrimaryRegion", "ReplicateKey", "DeleteAlias"]);
  });
});

describe("the monitoring config", () => {
  const variant = (change: (config: Record<string, any>) => void) => {
    const config = monitoredConfig();
    change(config);
    return config;
  };

  test("is off unless the config has a monitoring section: the default stack has none of its resources", () => {
    const defaultJson = synthJson(stackFromFile());
    const types = Object.keys(defaultJson.resource);
    for (const type of ["aws_sns_topic", "aws_sns_topic_policy", "aws_cloudwatch_metric_alarm", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_cloudwatch_dashboard"]) {
      expect(types).not.toContain(type);
    }
    expect(defaultJson.output).not.toHaveProperty("key_event_topic_arns");
  });

  test("an empty section turns it on with the defaults: 80% of the quota, 60 s periods, 3 of them", () => {
    const config = parseStackConfig(variant((c) => (c.monitoring = {})), "test.json");
    expect(config.monitoring).toEqual({ alarmAtShareOfQuota: 0.8, periodInSeconds: 60, evaluationPeriods: 3, quotaOverrides: {} });
    const alarm = synthJson(stackFromObject(variant((c) => (c.monitoring = {})))).resource.aws_cloudwatch_metric_alarm.encrypt_calls_eu_west_1;
    expect(alarm).toMatchObject({ threshold: 100_000 * 60 * 0.8, period: 60, evaluation_periods: 3 });
  });

  test("thresholds follow the share and the period: quota per second x period x share", () => {
    const alarms = synthJson(
      stackFromObject(variant((c) => (c.monitoring = { alarmAtShareOfQuota: 0.5, periodInSeconds: 300, evaluationPeriods: 1 }))),
    ).resource.aws_cloudwatch_metric_alarm;
    expect(alarms.decrypt_calls_us_east_1).toMatchObject({ threshold: 100_000 * 300 * 0.5, period: 300, evaluation_periods: 1 });
    expect(alarms.decrypt_calls_ap_southeast_1).toMatchObject({ threshold: 20_000 * 300 * 0.5 });
  });

  test.each([
    [{ alarmAtShareOfQuota: 1.5 }, "monitoring.alarmAtShareOfQuota: 1.5 must be more than 0 and at most 1"],
    [{ alarmAtShareOfQuota: 0 }, "monitoring.alarmAtShareOfQuota: 0 must be more than 0 and at most 1"],
    [{ periodInSeconds: 90 }, "monitoring.periodInSeconds: 90 must be a multiple of 60 seconds from 60 to 86400"],
    [{ periodInSeconds: 30 }, "monitoring.periodInSeconds: 30 must be a multiple of 60 seconds from 60 to 86400"],
    [{ evaluationPeriods: 0 }, "monitoring.evaluationPeriods: 0 must be at least 1"],
    [{ periodInSeconds: 3600, evaluationPeriods: 25 }, "monitoring.evaluationPeriods: 25 periods of 3600 s are more than CloudWatch's 86400 s"],
    [{ quotaOverrides: { "eu-west-1": -5 } }, 'monitoring.quotaOverrides["eu-west-1"]: -5 must be a whole number of requests per second above 0'],
    [{ quotaOverrides: { "sa-east-1": 50000 } }, 'monitoring.quotaOverrides["sa-east-1"]: 50000 is for a region without a key of the set (us-east-1, eu-west-1, ap-southeast-1)'],
    [{ dashboard: true }, 'monitoring: has unknown field "dashboard"'],
  ])("refuses %j: %s", (monitoring, message) => {
    expect(() => parseStackConfig(variant((c) => (c.monitoring = monitoring)), "test.json")).toThrow(`test.json: ${message}`);
  });

  test("refuses a region whose key has no key policy: EventBridge and CloudWatch could not use its key", () => {
    expect(() => parseStackConfig(variant((c) => delete c.replicas[1].keyPolicy), "test.json")).toThrow(
      'test.json: replicas[1].region: "ap-southeast-1" has no keyPolicy; with monitoring on, EventBridge and CloudWatch publish to an SNS topic encrypted with the region\'s key, so its key policy must let them use the key (keyPolicy.services)',
    );
  });

  test("refuses a key policy that does not let CloudWatch use the key", () => {
    expect(() =>
      parseStackConfig(variant((c) => (c.keyPolicy.services = [{ principals: ["events.amazonaws.com"] }])), "test.json"),
    ).toThrow("test.json: keyPolicy.services: [{\"principals\":[\"events.amazonaws.com\"]}] must let cloudwatch.amazonaws.com use the key (kms:Decrypt, kms:GenerateDataKey*)");
  });

  test("refuses a stack name too long to start EventBridge rule names", () => {
    expect(() => parseStackConfig(variant((c) => (c.name = `m${"o".repeat(50)}`)), "test.json")).toThrow(
      `test.json: name: "m${"o".repeat(50)}" is longer than 50 characters; with monitoring on it starts EventBridge rule names (at most 64)`,
    );
  });

  test("refuses a service principal that is not one", () => {
    expect(() => parseStackConfig(variant((c) => (c.keyPolicy.services[0].principals = ["arn:aws:iam::111111111111:root"])), "test.json")).toThrow(
      'test.json: keyPolicy.services[0].principals[0]: "arn:aws:iam::111111111111:root" must be an AWS service principal, like events.amazonaws.com',
    );
  });
});

describe("missingPublishingServices", () => {
  test("nothing is missing when both services have the default actions", () => {
    expect(missingPublishingServices([{ principals: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }])).toEqual([]);
  });

  test("wildcard actions cover what the services need", () => {
    expect(missingPublishingServices([{ principals: ["events.amazonaws.com", "cloudwatch.amazonaws.com"], actions: ["kms:Decrypt", "kms:Generate*"] }])).toEqual([]);
  });

  test("a service without kms:Decrypt is missing", () => {
    expect(
      missingPublishingServices([
        { principals: ["events.amazonaws.com"] },
        { principals: ["cloudwatch.amazonaws.com"], actions: ["kms:GenerateDataKey"] },
      ]),
    ).toEqual(["cloudwatch.amazonaws.com"]);
  });
});

describe("KeyPolicy services", () => {
  const policyJson = (props: Partial<ConstructorParameters<typeof KeyPolicy>[2]>) => {
    const stack = new TerraformStack(Testing.app(), "s");
    const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1"] });
    new KeyPolicy(stack, "key_policy", { accountId: "111111111111", provider: providers.forRegion("us-east-1"), ...props });
    return JSON.parse(Testing.synth(stack)).data.aws_iam_policy_document.key_policy;
  };

  test("come after the users, one statement per grant, Service principals with kms:Decrypt and kms:GenerateDataKey*", () => {
    const { statement } = policyJson({
      users: [{ principals: ["arn:aws:iam::111111111111:role/App"] }],
      services: [{ principals: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }],
    });
    expect(statement.map((s: any) => s.sid)).toEqual(["EnableRootAccountAccess", "AllowKeyUse", "AllowServicesToUseKey"]);
    expect(statement[2]).toEqual({
      sid: "AllowServicesToUseKey",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }],
    });
  });

  test("refuse a principal that is not a service", () => {
    expect(() => policyJson({ services: [{ principals: ["arn:aws:iam::111111111111:root"] }] })).toThrow(
      'KeyPolicy services[0].principals[0]: "arn:aws:iam::111111111111:root" must be an AWS service principal, like events.amazonaws.com',
    );
  });

  test("refuse an empty principal list", () => {
    expect(() => policyJson({ services: [{ principals: [] }] })).toThrow("KeyPolicy services[0].principals: [] must name at least one service principal");
  });
});

describe("the KeyMonitoring construct", () => {
  const keyStack = () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-2"] });
    const key = new MultiRegionKey(stack, "key", { providers, primaryRegion: "us-east-1", aliasName: "alias/k", replicas: [{ region: "eu-west-2" }] });
    return { stack, providers, key };
  };

  test("prefixes its addresses and output with addressPrefix, as MultiRegionKey does", () => {
    const { stack, providers, key } = keyStack();
    new KeyMonitoring(stack, "monitoring", { key, providers, accountId: "111111111111", namePrefix: "k", addressPrefix: "sessions_" });
    const out = JSON.parse(Testing.synth(stack));
    expect(Object.keys(out.resource.aws_sns_topic).sort()).toEqual(["sessions_key_events_eu_west_2", "sessions_key_events_us_east_1"]);
    expect(Object.keys(out.resource.aws_cloudwatch_dashboard)).toEqual(["sessions_key_usage"]);
    expect(out.output).toHaveProperty("sessions_key_event_topic_arns");
  });

  test("puts the dashboard in the region it is given", () => {
    const { stack, providers, key } = keyStack();
    new KeyMonitoring(stack, "monitoring", { key, providers, accountId: "111111111111", namePrefix: "k", dashboardRegion: "eu-west-2" });
    expect(JSON.parse(Testing.synth(stack)).resource.aws_cloudwatch_dashboard.key_usage.provider).toBe("aws.eu_west_2");
  });

  test("takes each region's quota from the table: 20,000/s in eu-west-2", () => {
    const { stack, providers, key } = keyStack();
    const monitoring = new KeyMonitoring(stack, "monitoring", { key, providers, accountId: "111111111111", namePrefix: "k" });
    expect(monitoring.inRegion("eu-west-2")).toMatchObject({ quota: { requestsPerSecond: 20_000, origin: "default" }, threshold: 20_000 * 60 * 0.8 });
  });

  test.each([
    [{ quotaOverrides: { "sa-east-1": 1000 } }, 'KeyMonitoring quotaOverrides["sa-east-1"]: "sa-east-1" is not a region of alias/k (us-east-1, eu-west-2)'],
    [{ dashboardRegion: "sa-east-1" }, 'KeyMonitoring dashboardRegion: "sa-east-1" is not a region of alias/k (us-east-1, eu-west-2)'],
    [{ alarmAtShareOfQuota: 2 }, "KeyMonitoring alarmAtShareOfQuota: 2 must be more than 0 and at most 1"],
    [{ namePrefix: "x".repeat(51) }, `KeyMonitoring namePrefix: "${"x".repeat(51)}" is longer than 50 characters`],
  ])("refuses %j", (props, message) => {
    const { stack, providers, key } = keyStack();
    expect(() => new KeyMonitoring(stack, "monitoring", { key, providers, accountId: "111111111111", namePrefix: "k", ...props })).toThrow(InvalidInputError);
    expect(() => new KeyMonitoring(stack, "monitoring2", { key, providers, accountId: "111111111111", namePrefix: "k", ...props })).toThrow(message);
  });
});

describe("the KMS quota table (lib/kms-quotas.ts)", () => {
  test.each([
    ["us-east-1", 100_000],
    ["us-west-2", 100_000],
    ["eu-west-1", 100_000],
    ["us-east-2", 20_000],
    ["ap-southeast-1", 20_000],
    ["ap-southeast-2", 20_000],
    ["ap-northeast-1", 20_000],
    ["eu-central-1", 20_000],
    ["eu-west-2", 20_000],
    ["sa-east-1", 10_000],
    ["ca-central-1", 10_000],
  ])("%s: %d requests per second by default", (region, requestsPerSecond) => {
    expect(symmetricRequestQuota(region)).toEqual({ region, requestsPerSecond, origin: "default" });
  });

  test("names only regions above the default", () => {
    expect(Object.values(SYMMETRIC_REQUESTS_PER_SECOND).every((rps) => rps > DEFAULT_SYMMETRIC_REQUESTS_PER_SECOND)).toBe(true);
  });

  test("an override replaces the region's default", () => {
    expect(symmetricRequestQuota("us-east-1", { "us-east-1": 250_000 })).toEqual({ region: "us-east-1", requestsPerSecond: 250_000, origin: "override" });
  });

  test("a threshold is the calls of one period at the share, rounded down", () => {
    expect(callsPerPeriodAtShare(10_000, 60, 0.333)).toBe(199_800);
    expect(callsPerPeriodAtShare(20_000, 60, 0.0001)).toBe(120);
    expect(callsPerPeriodAtShare(10_000, 1, 0.00015)).toBe(1);
  });
});

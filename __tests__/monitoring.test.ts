/**
 * Monitoring in every key region (lib/monitoring.ts), as the monitored example config
 * (stacks/monitored.json) and variants of it declare it. The rules against AWS's documented
 * events are in __tests__/monitoring-events.test.ts.
 */
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { stackFromConfig } from "../lib/config-app";
import type { Json } from "../lib/json";
import { KeyPolicy } from "../lib/key-policy";
import { KeyMonitoring, percentOfQuota, WATCHED_API_CALLS } from "../lib/monitoring";
import { MultiRegionKey } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";
import { InvalidInputError } from "../lib/validation";
import {
  type ConfigFileJson,
  decodeJsonencode,
  EXAMPLE_CONFIGS_DIR,
  type StatementJson,
  stackFromFile,
  stackFromObject,
  synthJson,
} from "./helpers";

const MONITORED_CONFIG = join(EXAMPLE_CONFIGS_DIR, "monitored.json");
const json = synthJson(stackFromFile(MONITORED_CONFIG));

/** The monitored config as an object, to derive variants from. */
function monitoredConfig(): ConfigFileJson {
  return structuredClone(require(MONITORED_CONFIG));
}

/** A widget of a dashboard, as CloudWatch's dashboard body structure writes it. */
type Widget = {
  readonly type: string;
  readonly properties: {
    readonly region?: string;
    readonly alarms?: string[];
    readonly metrics?: unknown[][];
    readonly annotations?: { readonly horizontal?: unknown[] };
  };
};

/** The widgets of an `aws_cloudwatch_dashboard`, from its `dashboard_body`. */
const widgetsOf = (dashboard: Json) => (decodeJsonencode(dashboard.dashboard_body) as { widgets: Widget[] }).widgets;

const REGIONS = [
  { region: "us-east-1", alias: "us_east_1", key: "aws_kms_key.primary" },
  { region: "eu-west-1", alias: "eu_west_1", key: "aws_kms_replica_key.eu" },
  { region: "ap-southeast-1", alias: "ap_southeast_1", key: "aws_kms_replica_key.apac" },
];

/** The usage metric of KMS's symmetric request quota, as the alarms and the dashboard name it. */
const USAGE_DIMENSIONS = { Service: "KMS", Type: "API", Resource: "CryptographicOperationsSymmetric", Class: "None" };

describe.each(REGIONS)("monitoring of the monitored example in $region", ({ region, alias, key }) => {
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
            values: [
              `\${aws_cloudwatch_event_rule.key_api_calls_${alias}.arn}`,
              `\${aws_cloudwatch_event_rule.key_lifecycle_${alias}.arn}`,
            ],
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

  test("one request alarm: the account's symmetric requests as a percentage of the applied quota, 80% for 3 minutes", () => {
    expect(Object.keys(json.resource.aws_cloudwatch_metric_alarm).filter((name) => name.endsWith(alias))).toEqual([
      `symmetric_calls_${alias}`,
    ]);
    const alarm = json.resource.aws_cloudwatch_metric_alarm[`symmetric_calls_${alias}`];
    expect(alarm).toMatchObject({
      provider,
      alarm_name: "monitored-kms-symmetric-calls",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 80,
      evaluation_periods: 3,
      treat_missing_data: "notBreaching",
      alarm_actions: [`\${${topic}.arn}`],
      ok_actions: [`\${${topic}.arn}`],
    });
    expect(alarm.metric_query).toEqual([
      {
        id: "usage",
        label: "Symmetric cryptographic requests",
        return_data: false,
        metric: {
          namespace: "AWS/Usage",
          metric_name: "CallCount",
          dimensions: USAGE_DIMENSIONS,
          stat: "Sum",
          period: 60,
        },
      },
      {
        id: "percent_of_quota",
        label: "% of the applied quota",
        expression: "usage / SERVICE_QUOTA(usage) * 100",
        return_data: true,
      },
    ]);
    // The alarm watches the expression only, not a metric of its own.
    expect([alarm.metric_name, alarm.namespace, alarm.period, alarm.statistic]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test("an EventBridge rule for the watched CloudTrail events on the region's key", () => {
    const rule = json.resource.aws_cloudwatch_event_rule[`key_api_calls_${alias}`];
    expect(rule).toMatchObject({ provider, name: "monitored-key-api-calls" });
    expect(decodeJsonencode(rule.event_pattern)).toEqual({
      source: ["aws.kms"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["kms.amazonaws.com"],
        eventName: [
          "DisableKey",
          "ScheduleKeyDeletion",
          "DisableKeyRotation",
          "PutKeyPolicy",
          "UpdatePrimaryRegion",
          "ReplicateKey",
          "UpdateAlias",
          "DeleteAlias",
        ],
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

  test("a dashboard widget of the region's symmetric requests with the applied quota, and their share against the alarm threshold", () => {
    const widget = widgetsOf(json.resource.aws_cloudwatch_dashboard.key_usage).find(
      (w) => w.type === "metric" && w.properties.region === region,
    );
    expect(widget?.properties.metrics).toEqual([
      [
        "AWS/Usage",
        "CallCount",
        ...Object.entries(USAGE_DIMENSIONS).flat(),
        { id: "usage", stat: "Sum", period: 60, label: "Requests per minute" },
      ],
      [{ id: "quota", expression: "SERVICE_QUOTA(usage)", label: "Applied quota" }],
      [
        {
          id: "percent_of_quota",
          expression: "usage / SERVICE_QUOTA(usage) * 100",
          label: "% of the applied quota",
          yAxis: "right",
        },
      ],
    ]);
    expect(widget?.properties.annotations?.horizontal).toEqual([
      { label: "alarm at 80% of the quota", value: 80, yAxis: "right" },
    ]);
  });

  test("the region's key policy lets EventBridge and this alarm (only) use the key, to publish to the encrypted topic", () => {
    const policy = key === "aws_kms_key.primary" ? "key_policy" : `${key.split(".")[1]}_key_policy`;
    const statements = json.data.aws_iam_policy_document[policy].statement;
    expect(statements).toContainEqual({
      sid: "AllowEventBridgeToPublish",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
    });
    expect(statements).toContainEqual({
      sid: "AllowCloudWatchAlarmsToPublish",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      condition: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] },
        {
          test: "ArnLike",
          variable: "aws:SourceArn",
          values: [`arn:aws:cloudwatch:${region}:111111111111:alarm:monitored-kms-symmetric-calls`],
        },
      ],
    });
  });
});

describe("the monitored example, once for the key set", () => {
  test("one dashboard, in the primary region, with the alarms of every region", () => {
    expect(Object.keys(json.resource.aws_cloudwatch_dashboard)).toEqual(["key_usage"]);
    const dashboard = json.resource.aws_cloudwatch_dashboard.key_usage;
    expect(dashboard).toMatchObject({ provider: "aws.us_east_1", dashboard_name: "monitored-kms-usage" });
    const [alarms] = widgetsOf(dashboard);
    expect(alarms.type).toBe("alarm");
    expect(alarms.properties.alarms?.slice().sort()).toEqual(
      Object.keys(json.resource.aws_cloudwatch_metric_alarm)
        .map((name) => `\${aws_cloudwatch_metric_alarm.${name}.arn}`)
        .sort(),
    );
    expect(alarms.properties.alarms).toHaveLength(3);
  });

  test("outputs the topic of every region", () => {
    expect(json.output.key_event_topic_arns.value).toEqual({
      "us-east-1": "${aws_sns_topic.key_events_us_east_1.arn}",
      "eu-west-1": "${aws_sns_topic.key_events_eu_west_1.arn}",
      "ap-southeast-1": "${aws_sns_topic.key_events_ap_southeast_1.arn}",
    });
  });

  test("the watched CloudTrail events: the key's deletion, disabling, rotation off, policy, failover, replication, and the alias", () => {
    expect(WATCHED_API_CALLS).toEqual([
      "DisableKey",
      "ScheduleKeyDeletion",
      "DisableKeyRotation",
      "PutKeyPolicy",
      "UpdatePrimaryRegion",
      "ReplicateKey",
      "UpdateAlias",
      "DeleteAlias",
    ]);
  });
});

/**
 * The metrics AWS documents that monitoring may name. `AWS/Usage` `CallCount` with the
 * dimensions Service, Type, Resource and Class: CloudWatch User Guide, "AWS usage metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Service-Quota-Integration.html),
 * KMS's Service value "KMS" in its "AWS API usage metrics" table. The Resource
 * "CryptographicOperationsSymmetric" is the usage metric that Service Quotas gives for KMS's quota
 * "Cryptographic operations (symmetric) request rate" (L-6E3AF000, GetServiceQuota `UsageMetric`);
 * KMS publishes no CallCount per cryptographic operation (Resource=Encrypt, Decrypt...).
 */
const DOCUMENTED_METRICS = [{ namespace: "AWS/Usage", metricName: "CallCount", dimensions: USAGE_DIMENSIONS }];

describe("every metric the monitoring names is one AWS documents", () => {
  type Metric = { namespace: string; metricName: string; dimensions: Record<string, string> };
  const canonical = (m: Metric) => JSON.stringify([m.namespace, m.metricName, Object.entries(m.dimensions).sort()]);
  const isDocumented = (metric: Metric) =>
    DOCUMENTED_METRICS.some((documented) => canonical(documented) === canonical(metric));

  /** A `metric_query` of an alarm: a metric, or an expression over the other queries' ids. */
  type MetricQuery =
    | {
        readonly id: string;
        readonly metric: {
          readonly namespace: string;
          readonly metric_name: string;
          readonly dimensions?: Record<string, string>;
        };
      }
    | { readonly id: string; readonly metric?: undefined; readonly expression: string };

  test("in the alarms: each metric query names a documented metric, and expressions use only the alarm's own ids", () => {
    for (const [name, alarm] of Object.entries(json.resource.aws_cloudwatch_metric_alarm)) {
      if (alarm.metric_name !== undefined) {
        expect({
          name,
          metric: { namespace: alarm.namespace, metricName: alarm.metric_name, dimensions: alarm.dimensions ?? {} },
        }).toEqual({ name, metric: DOCUMENTED_METRICS[0] });
      }
      const queries = alarm.metric_query as MetricQuery[];
      const ids = queries.map((q) => q.id);
      for (const query of queries) {
        if (query.metric) {
          const metric = {
            namespace: query.metric.namespace,
            metricName: query.metric.metric_name,
            dimensions: query.metric.dimensions ?? {},
          };
          expect({ name, metric, documented: isDocumented(metric) }).toEqual({ name, metric, documented: true });
        } else {
          const referenced = [...query.expression.matchAll(/\b([a-z][a-z0-9_]*)\b/g)]
            .map((m) => m[1])
            .filter((word) => !/^[A-Z_]+$/.test(word));
          expect({ name, expression: query.expression, unknown: referenced.filter((id) => !ids.includes(id)) }).toEqual(
            { name, expression: query.expression, unknown: [] },
          );
        }
      }
    }
  });

  test("in the dashboard: each graphed metric is documented", () => {
    const graphed = widgetsOf(json.resource.aws_cloudwatch_dashboard.key_usage)
      .filter((w) => w.type === "metric")
      .flatMap((w) => w.properties.metrics ?? [])
      .filter((row) => typeof row[0] === "string")
      .map((row) => {
        const [namespace, metricName, ...rest] = row.filter((cell) => typeof cell === "string");
        return {
          namespace,
          metricName,
          dimensions: Object.fromEntries(
            Array.from({ length: rest.length / 2 }, (_, i) => [rest[2 * i], rest[2 * i + 1]]),
          ),
        };
      });
    expect(graphed).toHaveLength(REGIONS.length);
    expect(graphed.filter((metric) => !isDocumented(metric))).toEqual([]);
  });

  test("the per-operation series an earlier version alarmed on are not in the stack", () => {
    const text = JSON.stringify(json);
    for (const operation of ["Encrypt", "Decrypt", "GenerateDataKey"]) {
      expect({ operation, named: text.includes(`"Resource":"${operation}"`) }).toEqual({ operation, named: false });
    }
  });
});

describe("the monitoring config", () => {
  const variant = (change: (config: ConfigFileJson) => void) => {
    const config = monitoredConfig();
    change(config);
    return config;
  };

  test("is off unless the config has a monitoring section: the default stack has none of its resources", () => {
    const defaultJson = synthJson(stackFromFile());
    const types = Object.keys(defaultJson.resource);
    for (const type of [
      "aws_sns_topic",
      "aws_sns_topic_policy",
      "aws_cloudwatch_metric_alarm",
      "aws_cloudwatch_event_rule",
      "aws_cloudwatch_event_target",
      "aws_cloudwatch_dashboard",
    ]) {
      expect(types).not.toContain(type);
    }
    expect(defaultJson.output).not.toHaveProperty("key_event_topic_arns");
  });

  test("an empty section turns it on with the defaults: 80% of the quota, 3 one-minute periods", () => {
    const alarm = synthJson(stackFromObject(variant((c) => (c.monitoring = {})))).resource.aws_cloudwatch_metric_alarm
      .symmetric_calls_eu_west_1;
    expect(alarm).toMatchObject({ threshold: 80, evaluation_periods: 3 });
  });

  test("the threshold is the share as a percentage, in every region alike: CloudWatch reads each region's quota", () => {
    const alarms = synthJson(
      stackFromObject(variant((c) => (c.monitoring = { alarmAtShareOfQuota: 0.7, evaluationPeriods: 1 }))),
    ).resource.aws_cloudwatch_metric_alarm;
    for (const { alias } of REGIONS) {
      expect(alarms[`symmetric_calls_${alias}`]).toMatchObject({ threshold: 70, evaluation_periods: 1 });
    }
  });

  test.each([
    [{ alarmAtShareOfQuota: 1.5 }, "monitoring.alarmAtShareOfQuota: 1.5 must be more than 0 and at most 1"],
    [{ alarmAtShareOfQuota: 0 }, "monitoring.alarmAtShareOfQuota: 0 must be more than 0 and at most 1"],
    [{ evaluationPeriods: 0 }, "monitoring.evaluationPeriods: 0 must be at least 1"],
    [{ evaluationPeriods: 2.5 }, "monitoring.evaluationPeriods: 2.5 must be a whole number of periods"],
    [
      { evaluationPeriods: 1441 },
      "monitoring.evaluationPeriods: 1441 must be at most 1440 (one-minute periods; CloudWatch looks back at most a day)",
    ],
    [{ periodInSeconds: 300 }, 'monitoring: has unknown field "periodInSeconds"'],
    [{ quotaOverrides: { "eu-west-1": 150000 } }, 'monitoring: has unknown field "quotaOverrides"'],
    [{ dashboard: true }, 'monitoring: has unknown field "dashboard"'],
  ])("refuses %j: %s", (monitoring, message) => {
    expect(() => stackFromConfig(Testing.app(), { ...monitoredConfig(), monitoring }, "test.json")).toThrow(
      `test.json: ${message}`,
    );
  });

  test("refuses a region whose key policy is KMS's default: EventBridge and CloudWatch could not use its key", () => {
    expect(() =>
      stackFromConfig(
        Testing.app(),
        variant((c) => (c.replicas[1].keyPolicy = "kms-default")),
        "test.json",
      ),
    ).toThrow(
      'test.json: monitoring: "ap-southeast-1" has KMS\'s default key policy or JSON of your own; monitoring must let EventBridge and CloudWatch use the key in its key policy (they publish to an SNS topic encrypted with it), so give that region a keyPolicy',
    );
  });

  test("refuses a stack name too long to start EventBridge rule names", () => {
    expect(() =>
      stackFromConfig(
        Testing.app(),
        variant((c) => (c.name = `m${"o".repeat(50)}`)),
        "test.json",
      ),
    ).toThrow(
      `test.json: name: "m${"o".repeat(50)}" is longer than 50 characters (it starts EventBridge rule names, at most 64)`,
    );
  });
});

describe("KeyPolicy services", () => {
  const policyJson = (props: Partial<ConstructorParameters<typeof KeyPolicy>[2]>) => {
    const stack = new TerraformStack(Testing.app(), "s");
    const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1"] });
    new KeyPolicy(stack, "key_policy", {
      accountId: "111111111111",
      provider: providers.forRegion("us-east-1"),
      ...props,
    });
    return JSON.parse(Testing.synth(stack)).data.aws_iam_policy_document.key_policy as { statement: StatementJson[] };
  };

  test("come after the users, one statement per grant, Service principals with kms:Decrypt and kms:GenerateDataKey*", () => {
    const { statement } = policyJson({
      users: [{ principals: ["arn:aws:iam::111111111111:role/App"] }],
      services: [{ principals: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }],
    });
    expect(statement.map((s) => s.sid)).toEqual(["EnableRootAccountAccess", "AllowKeyUse", "AllowServicesToUseKey"]);
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
    expect(() => policyJson({ services: [{ principals: [] }] })).toThrow(
      "KeyPolicy services[0].principals: [] must name at least one service principal",
    );
  });
});

describe("the KeyMonitoring construct", () => {
  const keyStack = () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-2"] });
    const key = new MultiRegionKey(stack, "key", {
      providers,
      primaryRegion: "us-east-1",
      aliasName: "alias/k",
      replicas: [{ region: "eu-west-2" }],
    });
    return { stack, providers, key };
  };

  test("prefixes its addresses and output with addressPrefix, as MultiRegionKey does", () => {
    const { stack, providers, key } = keyStack();
    new KeyMonitoring(stack, "monitoring", {
      key,
      providers,
      accountId: "111111111111",
      namePrefix: "k",
      addressPrefix: "sessions_",
    });
    const out = JSON.parse(Testing.synth(stack));
    expect(Object.keys(out.resource.aws_sns_topic).sort()).toEqual([
      "sessions_key_events_eu_west_2",
      "sessions_key_events_us_east_1",
    ]);
    expect(Object.keys(out.resource.aws_cloudwatch_dashboard)).toEqual(["sessions_key_usage"]);
    expect(out.output).toHaveProperty("sessions_key_event_topic_arns");
  });

  test("puts the dashboard in the region it is given", () => {
    const { stack, providers, key } = keyStack();
    new KeyMonitoring(stack, "monitoring", {
      key,
      providers,
      accountId: "111111111111",
      namePrefix: "k",
      dashboardRegion: "eu-west-2",
    });
    expect(JSON.parse(Testing.synth(stack)).resource.aws_cloudwatch_dashboard.key_usage.provider).toBe("aws.eu_west_2");
  });

  test("the same alarm in every region: the quota comes from CloudWatch, not from a table", () => {
    const { stack, providers, key } = keyStack();
    const monitoring = new KeyMonitoring(stack, "monitoring", {
      key,
      providers,
      accountId: "111111111111",
      namePrefix: "k",
      alarmAtShareOfQuota: 0.9,
    });
    const alarms = JSON.parse(Testing.synth(stack)).resource.aws_cloudwatch_metric_alarm;
    const [east, west] = monitoring.regions.map((r) => alarms[`symmetric_calls_${r.region.replace(/-/g, "_")}`]);
    expect({
      ...east,
      provider: undefined,
      alarm_actions: undefined,
      ok_actions: undefined,
      alarm_description: undefined,
    }).toEqual({
      ...west,
      provider: undefined,
      alarm_actions: undefined,
      ok_actions: undefined,
      alarm_description: undefined,
    });
    expect(east.threshold).toBe(90);
  });

  test.each([
    [{ evaluationPeriods: 0 }, "KeyMonitoring evaluationPeriods: 0 must be at least 1"],
    [
      { dashboardRegion: "sa-east-1" },
      'KeyMonitoring dashboardRegion: "sa-east-1" is not a region of alias/k (us-east-1, eu-west-2)',
    ],
    [{ alarmAtShareOfQuota: 2 }, "KeyMonitoring alarmAtShareOfQuota: 2 must be more than 0 and at most 1"],
    [{ namePrefix: "x".repeat(51) }, `KeyMonitoring namePrefix: "${"x".repeat(51)}" is longer than 50 characters`],
  ])("refuses %j", (props, message) => {
    const { stack, providers, key } = keyStack();
    expect(
      () =>
        new KeyMonitoring(stack, "monitoring", {
          key,
          providers,
          accountId: "111111111111",
          namePrefix: "k",
          ...props,
        }),
    ).toThrow(InvalidInputError);
    expect(
      () =>
        new KeyMonitoring(stack, "monitoring2", {
          key,
          providers,
          accountId: "111111111111",
          namePrefix: "k",
          ...props,
        }),
    ).toThrow(message);
  });
});

describe("percentOfQuota", () => {
  test.each([
    [0.8, 80],
    [0.7, 70],
    [0.333, 33.3],
    [1, 100],
    [0.0001, 0.01],
  ])("%d of the quota is %d%%", (share, percent) => {
    expect(percentOfQuota(share)).toBe(percent);
  });
});

import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import * as z from "zod";
import type { Json } from "./json";
import type { RegionalKey } from "./key-set";
import type { MultiRegionKey } from "./multi-region-key";
import type { RegionProviders } from "./region-providers";
import { partitionOf, providerAlias } from "./regions";
import { accountIdSchema, checkProp, InvalidInputError, ProblemList } from "./validation";

/**
 * The metric KMS publishes for its shared request quota "Cryptographic operations (symmetric)
 * request rate" (Service Quotas code L-6E3AF000): the account's Decrypt, Encrypt,
 * GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateMac, GenerateRandom, ReEncrypt and
 * VerifyMac requests in the region, counted together under the quota's name, one value a
 * minute. KMS publishes no per-operation series for these calls, and no per-key one in
 * `AWS/Usage`. The keys of this project are symmetric (SYMMETRIC_DEFAULT), so the RSA and ECC
 * quotas (`CryptographicOperationsRsa`, `CryptographicOperationsEcc`) never count their calls.
 */
export const SYMMETRIC_REQUEST_USAGE = {
  namespace: "AWS/Usage",
  metricName: "CallCount",
  dimensions: { Service: "KMS", Type: "API", Resource: "CryptographicOperationsSymmetric", Class: "None" },
  stat: "Sum",
  /** `AWS/Usage` publishes one value a minute; the usage recipe sums one minute at a time. */
  periodInSeconds: 60,
} as const;

/**
 * The request usage as a percentage of the quota applied to the account in the region, as the
 * CloudWatch User Guide ("Visualizing your service quotas and setting alarms") and the AWS
 * Security Blog ("Manage your AWS KMS API request rates using Service Quotas and Amazon
 * CloudWatch") write it: CloudWatch reads the applied quota itself (`SERVICE_QUOTA`), so a
 * raised quota needs no change here. `usage` is the id of `SYMMETRIC_REQUEST_USAGE`.
 */
export const PERCENT_OF_QUOTA_EXPRESSION = "usage / SERVICE_QUOTA(usage) * 100";

/** The defaults of the monitoring options, in one place for the construct and the config. */
export const MONITORING_DEFAULTS = {
  alarmAtShareOfQuota: 0.8,
  evaluationPeriods: 3,
} as const;

/**
 * The most one-minute periods an alarm may look back: CloudWatch allows at most a day
 * (86,400 s) of evaluation periods x period.
 */
export const MAX_EVALUATION_PERIODS = 86_400 / SYMMETRIC_REQUEST_USAGE.periodInSeconds;

/** The share of the quota at which the request alarm goes off: more than 0, at most 1. */
export const alarmShareSchema = z
  .number()
  .gt(0, { error: "must be more than 0 and at most 1" })
  .max(1, { error: "must be more than 0 and at most 1" });

/** How many one-minute periods in a row must breach before the alarm goes off. */
export const evaluationPeriodsSchema = z
  .number()
  .int({ error: "must be a whole number of periods" })
  .min(1, { error: "must be at least 1" })
  .max(MAX_EVALUATION_PERIODS, {
    error: `must be at most ${MAX_EVALUATION_PERIODS} (one-minute periods; CloudWatch looks back at most a day)`,
  });

/** EventBridge's longest rule name. */
const MAX_EVENT_RULE_NAME_LENGTH = 64;

/**
 * The prefix of the monitoring resources' names: it starts EventBridge rule names, and leaves
 * room for the longest suffix (`-key-api-calls`) within `MAX_EVENT_RULE_NAME_LENGTH`.
 */
export const MAX_NAME_PREFIX_LENGTH = 50;
export const namePrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be letters, digits, "_" and "-"', abort: true })
  .max(MAX_NAME_PREFIX_LENGTH, {
    error: `is longer than ${MAX_NAME_PREFIX_LENGTH} characters (it starts EventBridge rule names, at most ${MAX_EVENT_RULE_NAME_LENGTH})`,
  });

/**
 * The KMS API calls that reach EventBridge through CloudTrail and notify the topic when they
 * concern the region's key or the set's alias: each can destroy the key, lock its users out, or
 * send data encrypted "with the alias" to a key the set does not own.
 */
export const WATCHED_API_CALLS: readonly string[] = [
  "DisableKey",
  "ScheduleKeyDeletion",
  "DisableKeyRotation",
  "PutKeyPolicy",
  "UpdatePrimaryRegion",
  "ReplicateKey",
  "UpdateAlias",
  "DeleteAlias",
];

/** The events KMS sends to EventBridge itself (not through CloudTrail) that notify the topic. */
export const WATCHED_KMS_EVENTS: readonly string[] = ["KMS CMK Rotation", "KMS CMK Deletion"];

export interface KeyMonitoringProps {
  /** The key set to monitor: every region that holds a key of it gets the monitoring. */
  readonly key: MultiRegionKey;
  /** The providers of the stack; must cover every region of the key. */
  readonly providers: RegionProviders;
  /** The AWS account that owns the key (for the topic policies' conditions). */
  readonly accountId: string;
  /**
   * Starts the AWS names of the monitoring resources: `<prefix>-key-events` (SNS topics),
   * `<prefix>-key-api-calls` and `<prefix>-key-lifecycle` (EventBridge rules),
   * `<prefix>-kms-symmetric-calls` (alarms), `<prefix>-kms-usage` (the dashboard).
   */
  readonly namePrefix: string;
  /**
   * The share of the region's applied request quota at which the request alarm goes off (more
   * than 0, at most 1): the alarm's threshold is this x 100 on `PERCENT_OF_QUOTA_EXPRESSION`.
   * @default 0.8
   */
  readonly alarmAtShareOfQuota?: number;
  /**
   * One-minute periods in a row at or over the threshold before the alarm goes off (1 to {@link MAX_EVALUATION_PERIODS}).
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * The region of the dashboard that shows every region's use.
   * @default the key's first region (its primary)
   */
  readonly dashboardRegion?: string;
  /**
   * Put before every Terraform address and output name of the monitoring, as MultiRegionKey's
   * `addressPrefix`, to tell several keys in one stack apart.
   * @default ""
   */
  readonly addressPrefix?: string;
}

/** The monitoring of the key in one region. */
export interface RegionalMonitoring {
  readonly region: string;
  readonly topic: SnsTopic;
  /** The symmetric cryptographic requests of the account in the region, as a share of the applied quota. */
  readonly requestAlarm: CloudwatchMetricAlarm;
  readonly apiCallsRule: CloudwatchEventRule;
  readonly lifecycleRule: CloudwatchEventRule;
}

/**
 * Monitoring of a multi-region key in every region that holds it, with what AWS publishes: the
 * `AWS/Usage` `CallCount` of the symmetric request quota (KMS publishes no per-operation series
 * for cryptographic calls), the CloudTrail events of the calls that change the key or its
 * alias, and the events KMS sends to EventBridge.
 *
 * Per region `<r>` (the region with `_`, `eu_west_1`):
 * - `aws_sns_topic.key_events_<r>`, encrypted with the region's key, and its policy
 *   (`aws_sns_topic_policy.key_events_<r>`, `data.aws_iam_policy_document.key_events_<r>`)
 *   letting EventBridge (this stack's rules) and CloudWatch (this account's alarms) publish;
 * - `aws_cloudwatch_metric_alarm.symmetric_calls_<r>`: `PERCENT_OF_QUOTA_EXPRESSION` on
 *   `SYMMETRIC_REQUEST_USAGE` at or over `alarmAtShareOfQuota` x 100 for `evaluationPeriods`
 *   minutes, notifying the topic on alarm and on recovery;
 * - `aws_cloudwatch_event_rule.key_api_calls_<r>` (CloudTrail: `WATCHED_API_CALLS` on the key
 *   or the alias) and `aws_cloudwatch_event_rule.key_lifecycle_<r>` (KMS: rotation and
 *   deletion of the key), each with an `aws_cloudwatch_event_target` of the same name sending
 *   to the topic.
 *
 * Once: `aws_cloudwatch_dashboard.key_usage` in `dashboardRegion`, and the output
 * `key_event_topic_arns` (region to topic ARN) to subscribe to.
 *
 * In each region, it lets EventBridge and CloudWatch use the key in its key policy
 * (`addServiceGrant`: `AllowEventBridgeToPublish`, `AllowCloudWatchAlarmsToPublish`), or the
 * encrypted topic could not receive their messages; a region whose key policy is KMS's default
 * or JSON of your own is refused.
 */
export class KeyMonitoring extends Construct {
  /** The monitoring of each region of the key, in the key's order (the primary first). */
  readonly regions: readonly RegionalMonitoring[];
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: KeyMonitoringProps) {
    super(scope, id);
    const share = props.alarmAtShareOfQuota ?? MONITORING_DEFAULTS.alarmAtShareOfQuota;
    const evaluationPeriods = props.evaluationPeriods ?? MONITORING_DEFAULTS.evaluationPeriods;
    const prefix = props.addressPrefix ?? "";
    const dashboardRegion = props.dashboardRegion ?? props.key.regions[0];
    validate(props, { share, evaluationPeriods, dashboardRegion });
    const percent = percentOfQuota(share);

    this.regions = props.key.regionalKeys.map((key) =>
      this.monitorRegion(key, props, { percent, evaluationPeriods, prefix }),
    );

    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      provider: props.providers.forRegion(dashboardRegion),
      dashboardName: `${props.namePrefix}-kms-usage`,
      dashboardBody: Fn.jsonencode(dashboardBody(this.regions, { percent, aliasName: props.key.aliasName })),
    });
    this.dashboard.overrideLogicalId(`${prefix}key_usage`);

    new TerraformOutput(this, "topic-arns", {
      description: `The SNS topic of the alarms and key events of ${props.key.aliasName} in each region`,
      value: Object.fromEntries(this.regions.map((r) => [r.region, r.topic.arn])),
    }).overrideLogicalId(`${prefix}key_event_topic_arns`);
  }

  /** The monitoring of a region; throws if the key has no key there. */
  inRegion(region: string): RegionalMonitoring {
    const found = this.regions.find((r) => r.region === region);
    if (!found) {
      throw new InvalidInputError(
        `region: "${region}" is not monitored; the monitored regions are ${this.regions.map((r) => r.region).join(", ")}`,
      );
    }
    return found;
  }

  private monitorRegion(
    key: RegionalKey,
    props: KeyMonitoringProps,
    options: { percent: number; evaluationPeriods: number; prefix: string },
  ): RegionalMonitoring {
    const { region } = key;
    const provider = props.providers.forRegion(region);
    const suffix = providerAlias(region);
    const address = (name: string) => `${options.prefix}${name}_${suffix}`;
    const partition = partitionOf(region);

    const topic = new SnsTopic(this, `topic-${region}`, {
      provider,
      name: `${props.namePrefix}-key-events`,
      kmsMasterKeyId: key.arn,
    });
    topic.overrideLogicalId(address("key_events"));

    const apiCallsRule = new CloudwatchEventRule(this, `api-calls-${region}`, {
      provider,
      name: `${props.namePrefix}-key-api-calls`,
      description: `${WATCHED_API_CALLS.join(", ")} on the key or ${props.key.aliasName} in ${region} (CloudTrail)`,
      eventPattern: Fn.jsonencode(apiCallsPattern(key, props.key.aliasName)),
    });
    apiCallsRule.overrideLogicalId(address("key_api_calls"));

    const lifecycleRule = new CloudwatchEventRule(this, `lifecycle-${region}`, {
      provider,
      name: `${props.namePrefix}-key-lifecycle`,
      description: `Rotation and deletion of the key of ${props.key.aliasName} in ${region} (KMS events)`,
      eventPattern: Fn.jsonencode(lifecyclePattern(key)),
    });
    lifecycleRule.overrideLogicalId(address("key_lifecycle"));

    const topicPolicy = new DataAwsIamPolicyDocument(this, `topic-policy-document-${region}`, {
      provider,
      statement: [
        {
          sid: "AllowEventBridgeRulesToPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [topic.arn],
          condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [apiCallsRule.arn, lifecycleRule.arn] }],
        },
        {
          sid: "AllowCloudWatchAlarmsToPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [topic.arn],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
            {
              test: "ArnLike",
              variable: "aws:SourceArn",
              values: [`arn:${partition}:cloudwatch:${region}:${props.accountId}:alarm:*`],
            },
          ],
        },
      ],
    });
    topicPolicy.overrideLogicalId(address("key_events"));
    new SnsTopicPolicy(this, `topic-policy-${region}`, {
      provider,
      arn: topic.arn,
      policy: topicPolicy.json,
    }).overrideLogicalId(address("key_events"));

    for (const [rule, name] of [
      [apiCallsRule, "key_api_calls"],
      [lifecycleRule, "key_lifecycle"],
    ] as const) {
      new CloudwatchEventTarget(this, `target-${name}-${region}`, {
        provider,
        rule: rule.name,
        targetId: "key-events-topic",
        arn: topic.arn,
      }).overrideLogicalId(address(name));
    }

    const alarmName = `${props.namePrefix}-kms-symmetric-calls`;
    // The topic is encrypted with the region's key: both publishers must be let use the key.
    props.key.addServiceGrant(region, {
      sid: "AllowEventBridgeToPublish",
      principals: ["events.amazonaws.com"],
      // EventBridge's documented key policy for encrypted SNS targets has no condition, and
      // does not say that it sets aws:SourceAccount when it calls KMS (eb-troubleshooting).
      sourceAccount: false,
    });
    props.key.addServiceGrant(region, {
      sid: "AllowCloudWatchAlarmsToPublish",
      principals: ["cloudwatch.amazonaws.com"],
      sourceArns: [`arn:${partition}:cloudwatch:${region}:${props.accountId}:alarm:${alarmName}`],
    });

    const requestAlarm = new CloudwatchMetricAlarm(this, `symmetric-calls-${region}`, {
      provider,
      alarmName,
      alarmDescription:
        `The account's symmetric cryptographic KMS requests in ${region} (Decrypt, Encrypt, GenerateDataKey...: ` +
        `AWS/Usage CallCount, Resource=CryptographicOperationsSymmetric) reached ${options.percent}% of the applied quota ` +
        `for ${options.evaluationPeriods} minute${options.evaluationPeriods === 1 ? "" : "s"} in a row; over the quota, KMS throttles. ` +
        `The count is the whole account's in the region, not only ${props.key.aliasName}'s.`,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: options.percent,
      evaluationPeriods: options.evaluationPeriods,
      treatMissingData: "notBreaching",
      alarmActions: [topic.arn],
      okActions: [topic.arn],
      metricQuery: [
        {
          id: "usage",
          label: "Symmetric cryptographic requests",
          returnData: false,
          metric: {
            namespace: SYMMETRIC_REQUEST_USAGE.namespace,
            metricName: SYMMETRIC_REQUEST_USAGE.metricName,
            dimensions: { ...SYMMETRIC_REQUEST_USAGE.dimensions },
            stat: SYMMETRIC_REQUEST_USAGE.stat,
            period: SYMMETRIC_REQUEST_USAGE.periodInSeconds,
          },
        },
        {
          id: "percent_of_quota",
          label: "% of the applied quota",
          expression: PERCENT_OF_QUOTA_EXPRESSION,
          returnData: true,
        },
      ],
    });
    requestAlarm.overrideLogicalId(address("symmetric_calls"));

    return { region, topic, requestAlarm, apiCallsRule, lifecycleRule };
  }
}

/** The alarm threshold for a share of the quota: a percentage, without float noise (0.7 -> 70). */
export function percentOfQuota(share: number): number {
  return Number((share * 100).toFixed(6));
}

/**
 * The CloudTrail events of `WATCHED_API_CALLS` on the region's key or the set's alias. A key
 * call logs the key id or ARN as the caller gave it in `requestParameters.keyId` and, in most
 * records, the key's ARN in `resources`; an alias call (UpdateAlias, DeleteAlias) logs
 * `requestParameters.aliasName`. Any of them matches.
 */
export function apiCallsPattern(key: Pick<RegionalKey, "arn" | "keyId">, aliasName: string): Json {
  return {
    source: ["aws.kms"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: {
      eventSource: ["kms.amazonaws.com"],
      eventName: [...WATCHED_API_CALLS],
      $or: [
        { resources: { ARN: [key.arn] } },
        { requestParameters: { keyId: [key.keyId, key.arn] } },
        { requestParameters: { aliasName: [aliasName] } },
      ],
    },
  };
}

/** KMS's own `WATCHED_KMS_EVENTS` of the region's key: they name its ARN in `resources`. */
export function lifecyclePattern(key: Pick<RegionalKey, "arn">): Json {
  return { source: ["aws.kms"], "detail-type": [...WATCHED_KMS_EVENTS], resources: [key.arn] };
}

/** The `metrics` of a dashboard widget for `SYMMETRIC_REQUEST_USAGE`: the usage, the applied quota and the share. */
function requestUsageSeries(): unknown[] {
  const { namespace, metricName, dimensions, stat, periodInSeconds } = SYMMETRIC_REQUEST_USAGE;
  return [
    [
      namespace,
      metricName,
      ...Object.entries(dimensions).flat(),
      { id: "usage", stat, period: periodInSeconds, label: "Requests per minute" },
    ],
    [{ id: "quota", expression: "SERVICE_QUOTA(usage)", label: "Applied quota" }],
    [
      {
        id: "percent_of_quota",
        expression: PERCENT_OF_QUOTA_EXPRESSION,
        label: "% of the applied quota",
        yAxis: "right",
      },
    ],
  ];
}

/**
 * The dashboard: the alarms' states, then per region the symmetric requests with the applied
 * quota (left axis) and their share of it with the alarm threshold (right axis).
 */
function dashboardBody(regions: readonly RegionalMonitoring[], options: { percent: number; aliasName: string }): Json {
  const alarmWidget = {
    type: "alarm",
    x: 0,
    y: 0,
    width: 24,
    height: 4,
    properties: {
      title: `${options.aliasName}: KMS request alarms in every region`,
      alarms: regions.map((r) => r.requestAlarm.arn),
    },
  };
  const regionWidgets = regions.map((r, index) => ({
    type: "metric",
    x: (index % 2) * 12,
    y: 4 + Math.floor(index / 2) * 6,
    width: 12,
    height: 6,
    properties: {
      title: `Symmetric KMS requests in ${r.region} against the applied quota (the account's)`,
      region: r.region,
      view: "timeSeries",
      stacked: false,
      period: SYMMETRIC_REQUEST_USAGE.periodInSeconds,
      metrics: requestUsageSeries(),
      yAxis: { left: { min: 0 }, right: { min: 0, label: "% of quota" } },
      annotations: {
        horizontal: [{ label: `alarm at ${options.percent}% of the quota`, value: options.percent, yAxis: "right" }],
      },
    },
  }));
  return { widgets: [alarmWidget, ...regionWidgets] };
}

function validate(
  props: KeyMonitoringProps,
  options: { share: number; evaluationPeriods: number; dashboardRegion: string },
): void {
  const problems = new ProblemList();
  const check = (schema: Parameters<typeof checkProp>[0], value: unknown, path: string) =>
    problems.check(() => checkProp(schema, value, `KeyMonitoring ${path}`));
  check(accountIdSchema, props.accountId, "accountId");
  check(namePrefixSchema, props.namePrefix, "namePrefix");
  check(alarmShareSchema, options.share, "alarmAtShareOfQuota");
  check(evaluationPeriodsSchema, options.evaluationPeriods, "evaluationPeriods");
  for (const region of props.key.regions) {
    if (!props.key.keyPolicies.has(region)) {
      problems.add(
        `KeyMonitoring key: "${region}" has KMS's default key policy or JSON of your own; monitoring must let EventBridge and CloudWatch use the key in its key policy (they publish to an SNS topic encrypted with it), so give that region a keyPolicy`,
      );
    }
  }
  if (!props.key.regions.includes(options.dashboardRegion)) {
    problems.add(
      `KeyMonitoring dashboardRegion: "${options.dashboardRegion}" is not a region of ${props.key.aliasName} (${props.key.regions.join(", ")})`,
    );
  }
  problems.throwIfAny();
}

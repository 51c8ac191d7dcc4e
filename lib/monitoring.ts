import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { callsPerPeriodAtShare, KMS_QUOTA_SOURCE, RegionQuota, SHARED_QUOTA_OPERATIONS, symmetricRequestQuota } from "./kms-quotas";
import { KEY_SERVICE_ACTIONS } from "./key-policy";
import { MultiRegionKey, RegionalKey } from "./multi-region-key";
import { RegionProviders } from "./region-providers";
import { wildcardMatch } from "./policy/actions";
import { partitionOf, providerAlias } from "./regions";
import { accountIdSchema, awsRegionSchema, checkProp, InvalidInputError } from "./validation";

/** The defaults of the monitoring options, in one place for the construct and the config. */
export const MONITORING_DEFAULTS = {
  alarmAtShareOfQuota: 0.8,
  periodInSeconds: 60,
  evaluationPeriods: 3,
} as const;

/** The longest period times evaluation periods a CloudWatch alarm may look back: one day. */
export const MAX_ALARM_WINDOW_SECONDS = 86_400;

/** The share of the quota at which the usage alarms go off: more than 0, at most 1. */
export const alarmShareSchema = z
  .number()
  .gt(0, { error: "must be more than 0 and at most 1" })
  .max(1, { error: "must be more than 0 and at most 1" });

/** The alarm period: whole minutes, as `AWS/Usage` publishes one value a minute. */
export const alarmPeriodSchema = z
  .number()
  .int({ error: "must be a whole number of seconds" })
  .min(60, { error: "must be a multiple of 60 seconds from 60 to 86400", abort: true })
  .max(MAX_ALARM_WINDOW_SECONDS, { error: "must be a multiple of 60 seconds from 60 to 86400", abort: true })
  .refine((seconds) => seconds % 60 === 0, { error: "must be a multiple of 60 seconds from 60 to 86400" });

/** How many periods in a row must breach before the alarm goes off. */
export const evaluationPeriodsSchema = z
  .number()
  .int({ error: "must be a whole number of periods" })
  .min(1, { error: "must be at least 1" });

/** A region's symmetric cryptographic request quota, for an account whose quota was raised. */
export const requestQuotaSchema = z
  .number()
  .int({ error: "must be a whole number of requests per second" })
  .positive({ error: "must be a whole number of requests per second above 0" });

/** The prefix of the monitoring resources' names: EventBridge rule names are at most 64 characters. */
export const MAX_NAME_PREFIX_LENGTH = 50;
export const namePrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be letters, digits, "_" and "-"', abort: true })
  .max(MAX_NAME_PREFIX_LENGTH, {
    error: `is longer than ${MAX_NAME_PREFIX_LENGTH} characters (it starts EventBridge rule names, at most 64)`,
  });

/** The KMS operations with a usage alarm of their own in every region. */
export const ALARMED_OPERATIONS = ["Encrypt", "Decrypt", "GenerateDataKey"] as const;

/** The KMS API calls on the key that reach EventBridge through CloudTrail and notify the topic. */
export const WATCHED_API_CALLS: readonly string[] = [
  "DisableKey",
  "ScheduleKeyDeletion",
  "PutKeyPolicy",
  "UpdatePrimaryRegion",
  "ReplicateKey",
  "DeleteAlias",
];

/** The events KMS sends to EventBridge itself (not through CloudTrail) that notify the topic. */
export const WATCHED_KMS_EVENTS: readonly string[] = ["KMS CMK Rotation", "KMS CMK Deletion"];

/** The service principals that publish to the topics, and so must be allowed to use the key. */
export const PUBLISHING_SERVICES: readonly string[] = ["events.amazonaws.com", "cloudwatch.amazonaws.com"];

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
   * `<prefix>-kms-encrypt-calls` (alarms), `<prefix>-kms-usage` (the dashboard).
   */
  readonly namePrefix: string;
  /**
   * The share of a region's symmetric request quota at which the usage alarms go off (more than
   * 0, at most 1). Each alarm's threshold is the calls one period holds at that share:
   * quota per second x `periodInSeconds` x share.
   * @default 0.8
   */
  readonly alarmAtShareOfQuota?: number;
  /**
   * The alarms' period, in seconds: a multiple of 60 from 60 to 86400.
   * @default 60
   */
  readonly periodInSeconds?: number;
  /**
   * Periods in a row over the threshold before an alarm goes off; `periodInSeconds` x this is
   * at most 86400.
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Requests per second of an account whose symmetric quota was raised, by region (only the
   * key's regions).
   * @default AWS's default quota of each region (lib/kms-quotas.ts)
   */
  readonly quotaOverrides?: Readonly<Record<string, number>>;
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
  readonly quota: RegionQuota;
  /** The calls per period at which the usage alarms of the region go off. */
  readonly threshold: number;
  readonly topic: SnsTopic;
  /** One alarm per operation of `ALARMED_OPERATIONS`, plus `symmetric`: every operation that shares the quota. */
  readonly alarms: Readonly<Record<(typeof ALARMED_OPERATIONS)[number] | "symmetric", CloudwatchMetricAlarm>>;
  readonly apiCallsRule: CloudwatchEventRule;
  readonly lifecycleRule: CloudwatchEventRule;
}

/**
 * Monitoring of a multi-region key in every region that holds it, with what exists: the
 * `AWS/Usage` `CallCount` metrics (KMS publishes no per-key request metric) and the events
 * KMS sends to EventBridge.
 *
 * Per region `<r>` (the region with `_`, `eu_west_1`):
 * - `aws_sns_topic.key_events_<r>`, encrypted with the region's key, and its policy
 *   (`aws_sns_topic_policy.key_events_<r>`, `data.aws_iam_policy_document.key_events_<r>`)
 *   letting EventBridge (this stack's rules) and CloudWatch (this account's alarms) publish;
 * - `aws_cloudwatch_metric_alarm.encrypt_calls_<r>`, `decrypt_calls_<r>`,
 *   `generate_data_key_calls_<r>` and `symmetric_calls_<r>` (the sum of every operation that
 *   shares the quota), at `alarmAtShareOfQuota` of the region's quota, notifying the topic;
 * - `aws_cloudwatch_event_rule.key_api_calls_<r>` (CloudTrail: `WATCHED_API_CALLS` on the key)
 *   and `aws_cloudwatch_event_rule.key_lifecycle_<r>` (KMS: rotation and deletion of the key),
 *   each with an `aws_cloudwatch_event_target` of the same name sending to the topic.
 *
 * Once: `aws_cloudwatch_dashboard.key_usage` in `dashboardRegion`, and the output
 * `key_event_topic_arns` (region to topic ARN) to subscribe to.
 *
 * The key policy of every region must let `PUBLISHING_SERVICES` use the key
 * (`KeyPolicy` `services`), or the encrypted topic cannot receive their messages.
 */
export class KeyMonitoring extends Construct {
  /** The monitoring of each region of the key, in the key's order (the primary first). */
  readonly regions: readonly RegionalMonitoring[];
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: KeyMonitoringProps) {
    super(scope, id);
    const share = props.alarmAtShareOfQuota ?? MONITORING_DEFAULTS.alarmAtShareOfQuota;
    const period = props.periodInSeconds ?? MONITORING_DEFAULTS.periodInSeconds;
    const evaluationPeriods = props.evaluationPeriods ?? MONITORING_DEFAULTS.evaluationPeriods;
    const overrides = props.quotaOverrides ?? {};
    const prefix = props.addressPrefix ?? "";
    const dashboardRegion = props.dashboardRegion ?? props.key.regions[0];
    validate(props, { share, period, evaluationPeriods, overrides, dashboardRegion });

    this.regions = props.key.regionalKeys.map((key) =>
      this.monitorRegion(key, props, { share, period, evaluationPeriods, quota: symmetricRequestQuota(key.region, overrides), prefix }),
    );

    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      provider: props.providers.forRegion(dashboardRegion),
      dashboardName: `${props.namePrefix}-kms-usage`,
      dashboardBody: Fn.jsonencode(dashboardBody(this.regions, { share, period, aliasName: props.key.aliasName })),
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
      throw new InvalidInputError(`region: "${region}" is not monitored; the monitored regions are ${this.regions.map((r) => r.region).join(", ")}`);
    }
    return found;
  }

  private monitorRegion(
    key: RegionalKey,
    props: KeyMonitoringProps,
    options: { share: number; period: number; evaluationPeriods: number; quota: RegionQuota; prefix: string },
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
      description: `${WATCHED_API_CALLS.join(", ")} on the key of ${props.key.aliasName} in ${region} (CloudTrail)`,
      eventPattern: Fn.jsonencode(apiCallsPattern(key, props.key.aliasName)),
    });
    apiCallsRule.overrideLogicalId(address("key_api_calls"));

    const lifecycleRule = new CloudwatchEventRule(this, `lifecycle-${region}`, {
      provider,
      name: `${props.namePrefix}-key-lifecycle`,
      description: `Rotation and deletion of the key of ${props.key.aliasName} in ${region} (KMS events)`,
      eventPattern: Fn.jsonencode({ source: ["aws.kms"], "detail-type": [...WATCHED_KMS_EVENTS], resources: [key.arn] }),
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
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition}:cloudwatch:${region}:${props.accountId}:alarm:*`] },
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

    const threshold = callsPerPeriodAtShare(options.quota.requestsPerSecond, options.period, options.share);
    const quotaText =
      `${Math.round(options.share * 100)}% of the KMS request quota for symmetric cryptographic operations in ${region} ` +
      `(${options.quota.requestsPerSecond}/s, ${options.quota.origin === "override" ? "the config's override" : `AWS's default: ${KMS_QUOTA_SOURCE}`}): ` +
      `${threshold} calls in ${options.period} s. AWS/Usage CallCount counts the whole account's calls in the region, not only this key's.`;
    const alarmCommon = {
      provider,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold,
      evaluationPeriods: options.evaluationPeriods,
      treatMissingData: "notBreaching",
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    };
    const alarms = {} as Record<(typeof ALARMED_OPERATIONS)[number] | "symmetric", CloudwatchMetricAlarm>;
    for (const operation of ALARMED_OPERATIONS) {
      const alarm = new CloudwatchMetricAlarm(this, `${operation}-calls-${region}`, {
        ...alarmCommon,
        alarmName: `${props.namePrefix}-kms-${kebab(operation)}-calls`,
        alarmDescription: `${operation} calls reached ${quotaText}`,
        namespace: "AWS/Usage",
        metricName: "CallCount",
        dimensions: callCountDimensions(operation),
        statistic: "Sum",
        period: options.period,
      });
      alarm.overrideLogicalId(address(`${snake(operation)}_calls`));
      alarms[operation] = alarm;
    }
    const symmetric = new CloudwatchMetricAlarm(this, `symmetric-calls-${region}`, {
      ...alarmCommon,
      alarmName: `${props.namePrefix}-kms-symmetric-calls`,
      alarmDescription: `The operations that share the quota (${SHARED_QUOTA_OPERATIONS.join(", ")}) reached ${quotaText}`,
      metricQuery: [
        ...SHARED_QUOTA_OPERATIONS.map((operation) => ({
          id: snake(operation),
          returnData: false,
          metric: {
            namespace: "AWS/Usage",
            metricName: "CallCount",
            dimensions: callCountDimensions(operation),
            stat: "Sum",
            period: options.period,
          },
        })),
        {
          id: "symmetric_calls",
          label: "Symmetric cryptographic calls",
          expression: SHARED_QUOTA_OPERATIONS.map(snake).join(" + "),
          returnData: true,
        },
      ],
    });
    symmetric.overrideLogicalId(address("symmetric_calls"));
    alarms.symmetric = symmetric;

    return { region, quota: options.quota, threshold, topic, alarms, apiCallsRule, lifecycleRule };
  }
}

/** The dimensions of `AWS/Usage` `CallCount` for a KMS operation. */
export function callCountDimensions(operation: string): Record<string, string> {
  return { Service: "KMS", Type: "API", Resource: operation, Class: "None" };
}

/**
 * The CloudTrail events of `WATCHED_API_CALLS` on the key: CloudTrail names the key's ARN in
 * `resources` (DeleteAlias names the alias and the key it pointed to) and the caller's key id or
 * ARN in `requestParameters.keyId`; either matches.
 */
function apiCallsPattern(key: RegionalKey, aliasName: string): Record<string, unknown> {
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

/** The dashboard: the alarms' states, then each region's calls against the alarm threshold. */
function dashboardBody(
  regions: readonly RegionalMonitoring[],
  options: { share: number; period: number; aliasName: string },
): Record<string, unknown> {
  const alarmWidget = {
    type: "alarm",
    x: 0,
    y: 0,
    width: 24,
    height: 4,
    properties: {
      title: `${options.aliasName}: KMS usage alarms in every region`,
      alarms: regions.flatMap((r) => Object.values(r.alarms).map((alarm) => alarm.arn)),
    },
  };
  const regionWidgets = regions.map((r, index) => ({
    type: "metric",
    x: (index % 2) * 12,
    y: 4 + Math.floor(index / 2) * 6,
    width: 12,
    height: 6,
    properties: {
      title: `KMS calls in ${r.region} (the account's, per ${options.period} s)`,
      region: r.region,
      view: "timeSeries",
      stacked: false,
      stat: "Sum",
      period: options.period,
      metrics: ALARMED_OPERATIONS.map((operation) => [
        "AWS/Usage",
        "CallCount",
        ...Object.entries(callCountDimensions(operation)).flat(),
        { label: operation },
      ]),
      annotations: {
        horizontal: [{ label: `${Math.round(options.share * 100)}% of the quota (${r.quota.requestsPerSecond}/s)`, value: r.threshold }],
      },
    },
  }));
  return { widgets: [alarmWidget, ...regionWidgets] };
}

function validate(
  props: KeyMonitoringProps,
  options: { share: number; period: number; evaluationPeriods: number; overrides: Readonly<Record<string, number>>; dashboardRegion: string },
): void {
  checkProp(accountIdSchema, props.accountId, "KeyMonitoring accountId");
  checkProp(namePrefixSchema, props.namePrefix, "KeyMonitoring namePrefix");
  checkProp(alarmShareSchema, options.share, "KeyMonitoring alarmAtShareOfQuota");
  checkProp(alarmPeriodSchema, options.period, "KeyMonitoring periodInSeconds");
  checkProp(evaluationPeriodsSchema, options.evaluationPeriods, "KeyMonitoring evaluationPeriods");
  if (options.period * options.evaluationPeriods > MAX_ALARM_WINDOW_SECONDS) {
    throw new InvalidInputError(
      `KeyMonitoring evaluationPeriods: ${options.evaluationPeriods} periods of ${options.period} s is more than CloudWatch's ${MAX_ALARM_WINDOW_SECONDS} s`,
    );
  }
  for (const [region, quota] of Object.entries(options.overrides)) {
    checkProp(awsRegionSchema, region, `KeyMonitoring quotaOverrides["${region}"]`);
    checkProp(requestQuotaSchema, quota, `KeyMonitoring quotaOverrides["${region}"]`);
    if (!props.key.regions.includes(region)) {
      throw new InvalidInputError(
        `KeyMonitoring quotaOverrides["${region}"]: "${region}" is not a region of ${props.key.aliasName} (${props.key.regions.join(", ")})`,
      );
    }
  }
  if (!props.key.regions.includes(options.dashboardRegion)) {
    throw new InvalidInputError(
      `KeyMonitoring dashboardRegion: "${options.dashboardRegion}" is not a region of ${props.key.aliasName} (${props.key.regions.join(", ")})`,
    );
  }
}

/**
 * What a key policy's service grants lack for monitoring: the publishing services that are not
 * allowed both kms:Decrypt and kms:GenerateDataKey (an action list left out means
 * `KEY_SERVICE_ACTIONS`). Empty when nothing is missing.
 */
export function missingPublishingServices(
  services: ReadonlyArray<{ readonly principals: readonly string[]; readonly actions?: readonly string[] }>,
): string[] {
  const allows = (actions: readonly string[] | undefined, action: string) =>
    (actions ?? KEY_SERVICE_ACTIONS).some((granted) => wildcardMatch(granted, action));
  return PUBLISHING_SERVICES.filter(
    (service) =>
      !["kms:Decrypt", "kms:GenerateDataKey"].every((action) =>
        services.some((grant) => grant.principals.includes(service) && allows(grant.actions, action)),
      ),
  );
}

function snake(operation: string): string {
  return operation.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

function kebab(operation: string): string {
  return snake(operation).replace(/_/g, "-");
}

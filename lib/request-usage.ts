/**
 * How close each region runs to KMS's symmetric request quota, read live through the AWS SDK's
 * CloudWatch client (so `AWS_ENDPOINT_URL` points it at an emulator, as for KMS): the metric
 * and the expression the monitoring alarms watch (`SYMMETRIC_REQUEST_USAGE`,
 * `PERCENT_OF_QUOTA_EXPRESSION` in lib/monitoring.ts), over the last minutes.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { PERCENT_OF_QUOTA_EXPRESSION, SYMMETRIC_REQUEST_USAGE } from "./monitoring";

/** How far back a reading looks for the latest minute with data. */
export const USAGE_LOOKBACK_MINUTES = 15;

/** One region's latest minute of symmetric cryptographic requests, or why there is none. */
export type RequestUsage =
  | {
      readonly region: string;
      readonly kind: "reading";
      /** The start of the minute. */
      readonly at: Date;
      /** Requests in that minute (the account's, every key in the region). */
      readonly requests: number;
      /** What `SERVICE_QUOTA` gives for the metric; undefined when CloudWatch returned none. */
      readonly quota?: number;
      /** `PERCENT_OF_QUOTA_EXPRESSION`; undefined when CloudWatch returned none. */
      readonly percentOfQuota?: number;
    }
  | { readonly region: string; readonly kind: "no-data" }
  | { readonly region: string; readonly kind: "unreadable"; readonly reason: string };

/** Reads one region's usage; never throws: an error becomes an `unreadable` reading. */
export async function readRequestUsage(region: string, now: Date = new Date()): Promise<RequestUsage> {
  const { namespace, metricName, dimensions, stat, periodInSeconds } = SYMMETRIC_REQUEST_USAGE;
  try {
    const response = await new CloudWatchClient({ region }).send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - USAGE_LOOKBACK_MINUTES * 60_000),
        EndTime: now,
        ScanBy: "TimestampDescending",
        MetricDataQueries: [
          {
            Id: "usage",
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: namespace,
                MetricName: metricName,
                Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
              },
              Period: periodInSeconds,
              Stat: stat,
            },
          },
          { Id: "quota", ReturnData: true, Expression: "SERVICE_QUOTA(usage)" },
          { Id: "percent_of_quota", ReturnData: true, Expression: PERCENT_OF_QUOTA_EXPRESSION },
        ],
      }),
    );
    return latestReading(region, response.MetricDataResults ?? []);
  } catch (error) {
    return { region, kind: "unreadable", reason: (error as Error).name || (error as Error).message };
  }
}

/** The latest minute that has a request count, with the quota and percentage of that minute when CloudWatch gave them. */
export function latestReading(region: string, results: readonly MetricDataResult[]): RequestUsage {
  const series = (id: string) => {
    const result = results.find((r) => r.Id === id);
    const points = new Map<number, number>();
    (result?.Timestamps ?? []).forEach((at, i) => {
      const value = result?.Values?.[i];
      if (value !== undefined) points.set(new Date(at).getTime(), value);
    });
    return points;
  };
  const usage = series("usage");
  if (usage.size === 0) return { region, kind: "no-data" };
  const latest = Math.max(...usage.keys());
  return {
    region,
    kind: "reading",
    at: new Date(latest),
    requests: usage.get(latest)!,
    quota: series("quota").get(latest),
    percentOfQuota: series("percent_of_quota").get(latest),
  };
}

/** The section `mrk status` prints: one line per region. */
export function renderRequestUsage(readings: readonly RequestUsage[]): string {
  const { dimensions, metricName, namespace } = SYMMETRIC_REQUEST_USAGE;
  const width = Math.max(...readings.map((r) => r.region.length));
  const line = (reading: RequestUsage): string => {
    const region = reading.region.padEnd(width);
    switch (reading.kind) {
      case "no-data":
        return `${region}  no datapoints in the last ${USAGE_LOOKBACK_MINUTES} minutes (no symmetric requests, or CloudWatch holds no usage data here)`;
      case "unreadable":
        return `${region}  not read: ${reading.reason}`;
      case "reading": {
        const minute = reading.at.toISOString().slice(11, 16);
        const quota =
          reading.quota === undefined ? "quota not returned by CloudWatch" : `quota ${formatCount(reading.quota)}`;
        const percent =
          reading.percentOfQuota === undefined ? "" : `, ${formatPercent(reading.percentOfQuota)} of the quota`;
        return `${region}  ${formatCount(reading.requests)} requests in the minute from ${minute} UTC; ${quota}${percent}`;
      }
    }
  };
  return [
    `Symmetric cryptographic requests of the account (${namespace} ${metricName}, Resource=${dimensions.Resource}; what the request alarms watch):`,
    ...readings.map((reading) => `  ${line(reading)}`),
    "",
  ].join("\n");
}

const formatCount = (n: number) => Math.round(n).toLocaleString("en-US");
const formatPercent = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)}%`;

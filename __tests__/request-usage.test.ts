/**
 * `mrk status`'s request usage (lib/request-usage.ts): the latest minute of the metric the
 * request alarms watch, read from GetMetricData results, and the lines it prints. The live read
 * against the emulator is in __tests__/e2e/status.test.ts (moto returns no datapoints).
 */
import type { MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { latestReading, type RequestUsage, renderRequestUsage } from "../lib/request-usage";

const minute = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);
const result = (Id: string, points: Array<[string, number]>): MetricDataResult => ({
  Id,
  Timestamps: points.map(([at]) => minute(at)),
  Values: points.map(([, value]) => value),
  StatusCode: "Complete",
});

describe("latestReading", () => {
  test("takes the latest minute with a request count, and that minute's quota and percentage", () => {
    const reading = latestReading("eu-west-1", [
      result("usage", [
        ["10:02", 120_000],
        ["10:03", 150_000],
        ["10:01", 90_000],
      ]),
      result("quota", [
        ["10:03", 600_000],
        ["10:02", 600_000],
      ]),
      result("percent_of_quota", [
        ["10:03", 25],
        ["10:02", 20],
      ]),
    ]);
    expect(reading).toEqual({
      region: "eu-west-1",
      kind: "reading",
      at: minute("10:03"),
      requests: 150_000,
      quota: 600_000,
      percentOfQuota: 25,
    });
  });

  test("leaves out a quota or percentage CloudWatch did not return for that minute", () => {
    const reading = latestReading("eu-west-1", [
      result("usage", [["10:03", 7]]),
      result("quota", []),
      result("percent_of_quota", [["10:02", 1]]),
    ]);
    expect(reading).toEqual({
      region: "eu-west-1",
      kind: "reading",
      at: minute("10:03"),
      requests: 7,
      quota: undefined,
      percentOfQuota: undefined,
    });
  });

  test("no request count at all is no data (what moto returns)", () => {
    const empty = ["usage", "quota", "percent_of_quota"].map((id) => result(id, []));
    expect(latestReading("us-east-1", empty)).toEqual({ region: "us-east-1", kind: "no-data" });
    expect(latestReading("us-east-1", [])).toEqual({ region: "us-east-1", kind: "no-data" });
  });
});

describe("renderRequestUsage", () => {
  const readings: RequestUsage[] = [
    {
      region: "us-east-1",
      kind: "reading",
      at: minute("10:03"),
      requests: 150_000,
      quota: 600_000,
      percentOfQuota: 25,
    },
    {
      region: "eu-west-1",
      kind: "reading",
      at: minute("10:03"),
      requests: 42,
      quota: undefined,
      percentOfQuota: undefined,
    },
    { region: "ap-southeast-1", kind: "no-data" },
    { region: "us-west-2", kind: "unreadable", reason: "AccessDeniedException" },
  ];

  test("says per region what it read, or plainly that there was nothing to read", () => {
    expect(renderRequestUsage(readings).split("\n")).toEqual([
      "Symmetric cryptographic requests of the account (AWS/Usage CallCount, Resource=CryptographicOperationsSymmetric; what the request alarms watch):",
      "  us-east-1       150,000 requests in the minute from 10:03 UTC; quota 600,000, 25.0% of the quota",
      "  eu-west-1       42 requests in the minute from 10:03 UTC; quota not returned by CloudWatch",
      "  ap-southeast-1  no datapoints in the last 15 minutes (no symmetric requests, or CloudWatch holds no usage data here)",
      "  us-west-2       not read: AccessDeniedException",
      "",
    ]);
  });

  test("small shares keep two decimals", () => {
    expect(
      renderRequestUsage([
        {
          region: "us-east-1",
          kind: "reading",
          at: minute("10:03"),
          requests: 60,
          quota: 600_000,
          percentOfQuota: 0.01,
        },
      ]),
    ).toContain("60 requests in the minute from 10:03 UTC; quota 600,000, 0.01% of the quota");
  });
});

/**
 * The test matcher of EventBridge patterns (__tests__/event-pattern.ts) against the examples
 * its sources publish: the EventBridge User Guide ("Arrays in Amazon EventBridge event
 * patterns", "Amazon EventBridge events") and the Event Ruler README (JSON Array Matching,
 * And and Or, Exists matching).
 */
import { matchesEventPattern } from "./event-pattern";

/** The EventBridge User Guide's EC2 event ("Amazon EventBridge events"), with its resources as in "Arrays in ... event patterns". */
const ec2Event = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: [
    "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
    "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
  ],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

describe("arrays (EventBridge User Guide)", () => {
  test("a pattern's array matches an event's array when they share a value", () => {
    const pattern = {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
      ],
    };
    expect(matchesEventPattern(pattern, ec2Event)).toBe(true);
  });

  test("and not when they share none", () => {
    expect(
      matchesEventPattern({ resources: ["arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"] }, ec2Event),
    ).toBe(false);
  });

  test("a scalar matches one of the pattern's values; every field must match", () => {
    expect(matchesEventPattern({ source: ["aws.ec2"], detail: { state: ["running", "terminated"] } }, ec2Event)).toBe(
      true,
    );
    expect(matchesEventPattern({ source: ["aws.ec2"], detail: { state: ["running"] } }, ec2Event)).toBe(false);
  });

  test("a field the event lacks matches no value", () => {
    expect(matchesEventPattern({ detail: { "instance-type": ["t3.micro"] } }, ec2Event)).toBe(false);
  });
});

describe("arrays of objects (Event Ruler README, JSON Array Matching)", () => {
  const employees = {
    employees: [
      { firstName: "John", lastName: "Doe" },
      { firstName: "Anna", lastName: "Smith" },
      { firstName: "Peter", lastName: "Jones" },
    ],
  };

  test("the array is crushed out: a field of one element matches", () => {
    expect(matchesEventPattern({ employees: { firstName: ["Anna"] } }, employees)).toBe(true);
  });

  test("but two fields must match within the same element", () => {
    expect(matchesEventPattern({ employees: { firstName: ["Anna"], lastName: ["Jones"] } }, employees)).toBe(false);
    expect(matchesEventPattern({ employees: { firstName: ["Anna"], lastName: ["Smith"] } }, employees)).toBe(true);
  });

  test("arrays of arrays of objects too", () => {
    const nested = {
      employees: [
        [
          { firstName: "John", lastName: "Doe" },
          { firstName: "Anna", lastName: "Smith" },
        ],
        [{ firstName: "Peter", lastName: "Jones" }],
      ],
    };
    expect(matchesEventPattern({ employees: { firstName: ["Peter"] } }, nested)).toBe(true);
    expect(matchesEventPattern({ employees: { firstName: ["Anna"], lastName: ["Jones"] } }, nested)).toBe(false);
  });
});

describe("$or (Event Ruler README, And and Or)", () => {
  // "source" && ("metricName" || "namespace")
  const pattern = {
    source: ["aws.cloudwatch"],
    $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
  };

  test("matches when one alternative does, and the other fields too", () => {
    expect(matchesEventPattern(pattern, { source: "aws.cloudwatch", namespace: "AWS/EC2" })).toBe(true);
    expect(matchesEventPattern(pattern, { source: "aws.cloudwatch", metricName: "ReadLatency" })).toBe(true);
  });

  test("not when no alternative does, or another field does not", () => {
    expect(matchesEventPattern(pattern, { source: "aws.cloudwatch", namespace: "AWS/Lambda" })).toBe(false);
    expect(matchesEventPattern(pattern, { source: "aws.ec2", namespace: "AWS/EC2" })).toBe(false);
  });

  test("nested in a field, an alternative may reach into an array of objects", () => {
    const nested = { detail: { $or: [{ resources: { ARN: ["arn:b"] } }, { requestParameters: { keyId: ["k"] } }] } };
    expect(matchesEventPattern(nested, { detail: { resources: [{ ARN: "arn:a" }, { ARN: "arn:b" }] } })).toBe(true);
    expect(
      matchesEventPattern(nested, { detail: { resources: [{ ARN: "arn:a" }], requestParameters: { keyId: "k" } } }),
    ).toBe(true);
    expect(
      matchesEventPattern(nested, { detail: { resources: [{ ARN: "arn:a" }], requestParameters: { keyId: "j" } } }),
    ).toBe(false);
  });
});

describe("exists and prefix (Event Ruler README)", () => {
  test("exists looks at leaves: an object in the event's place counts as absent", () => {
    expect(matchesEventPattern({ detail: { "c-count": [{ exists: false }] } }, { detail: { state: "running" } })).toBe(
      true,
    );
    expect(
      matchesEventPattern({ detail: { "c-count": [{ exists: false }] } }, { detail: { "c-count": { c1: 100 } } }),
    ).toBe(true);
    expect(matchesEventPattern({ detail: { "c-count": [{ exists: true }] } }, { detail: { "c-count": 5 } })).toBe(true);
  });

  test("prefix matches the start of a string", () => {
    expect(matchesEventPattern({ time: [{ prefix: "2017-12-22" }] }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ time: [{ prefix: "2017-10-02" }] }, ec2Event)).toBe(false);
  });
});

describe("patterns it cannot judge", () => {
  test.each([
    [{ source: "aws.ec2" }, 'source: a pattern\'s values are arrays, not "aws.ec2"'],
    [{ $or: [{ source: ["aws.ec2"] }] }, '$or: "$or" takes an array of two or more patterns'],
    [
      { detail: { state: [{ "anything-but": "running" }] } },
      'detail.state: the operator "anything-but" is not implemented by this test matcher',
    ],
  ])("%j throws rather than answering", (pattern, message) => {
    expect(() => matchesEventPattern(pattern, ec2Event)).toThrow(message);
  });
});

/**
 * Condition operators as IAM documents them:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { ABSENT, evaluateCondition, type KeyFact, parseOperator, UNKNOWN } from "../../lib/policy/conditions";

const check = (test: string, values: string[], fact: KeyFact, others: Record<string, KeyFact> = {}) =>
  evaluateCondition({ test, variable: "k", values }, (key) =>
    key === "k" ? fact : (others[key.toLowerCase()] ?? ABSENT),
  );

describe("a key absent from the request", () => {
  test("makes a condition false, a negated one true", () => {
    expect(check("StringEquals", ["a"], ABSENT)).toBe(false);
    expect(check("StringLike", ["*"], ABSENT)).toBe(false);
    expect(check("ArnLike", ["arn:*:*:*:*:*"], ABSENT)).toBe(false);
    expect(check("Bool", ["false"], ABSENT)).toBe(false);
    expect(check("NumericLessThan", ["10"], ABSENT)).toBe(false);
    expect(check("StringNotEquals", ["a"], ABSENT)).toBe(true);
    expect(check("StringNotLike", ["a*"], ABSENT)).toBe(true);
    expect(check("ArnNotLike", ["arn:aws:iam::*:role/x"], ABSENT)).toBe(true);
    expect(check("NotIpAddress", ["10.0.0.0/8"], ABSENT)).toBe(true);
  });

  test("makes ...IfExists true, whatever the operator", () => {
    expect(check("StringEqualsIfExists", ["a"], ABSENT)).toBe(true);
    expect(check("BoolIfExists", ["true"], ABSENT)).toBe(true);
    expect(check("ArnLikeIfExists", ["arn:aws:iam::*:role/x"], ABSENT)).toBe(true);
  });

  test("is what Null tests: true means absent, false means present, in any case", () => {
    expect(check("Null", ["true"], ABSENT)).toBe(true);
    expect(check("Null", ["false"], ABSENT)).toBe(false);
    expect(check("Null", ["TRUE"], ABSENT)).toBe(true);
    expect(check("Null", ["false"], "x")).toBe(true);
    expect(check("Null", ["true"], ["x"])).toBe(false);
  });

  test("fails ForAnyValue and passes ForAllValues", () => {
    expect(check("ForAnyValue:StringEquals", ["a"], ABSENT)).toBe(false);
    expect(check("ForAnyValue:StringNotEquals", ["a"], ABSENT)).toBe(false);
    expect(check("ForAllValues:StringEquals", ["a"], ABSENT)).toBe(true);
    expect(check("ForAllValues:StringEquals", ["a"], [])).toBe(true);
    expect(check("ForAnyValue:StringEquals", ["a"], [])).toBe(false);
  });
});

describe("a key the question does not know", () => {
  test("leaves every operator unknown, Null and the negated ones too", () => {
    for (const test of [
      "StringEquals",
      "StringNotEquals",
      "StringEqualsIfExists",
      "Null",
      "ForAllValues:StringEquals",
      "Bool",
    ]) {
      expect([test, check(test, ["a"], UNKNOWN)]).toEqual([test, "unknown"]);
    }
  });
});

describe("String operators", () => {
  test("compare case-sensitively, unless IgnoreCase; any value may match, none for the negated", () => {
    expect(check("StringEquals", ["Payments"], "payments")).toBe(false);
    expect(check("StringEquals", ["a", "payments"], "payments")).toBe(true);
    expect(check("StringEqualsIgnoreCase", ["Payments"], "payments")).toBe(true);
    expect(check("StringNotEquals", ["a", "b"], "b")).toBe(false);
    expect(check("StringNotEquals", ["a", "b"], "c")).toBe(true);
    expect(check("StringNotEqualsIgnoreCase", ["A"], "a")).toBe(false);
  });

  test("StringLike takes * for any run and ? for one character, case-sensitively; StringEquals takes them literally", () => {
    expect(check("StringLike", ["eu-*"], "eu-west-1")).toBe(true);
    expect(check("StringLike", ["eu-west-?"], "eu-west-1")).toBe(true);
    expect(check("StringLike", ["eu-west-?"], "eu-west-10")).toBe(false);
    expect(check("StringLike", ["EU-*"], "eu-west-1")).toBe(false);
    expect(check("StringEquals", ["eu-*"], "eu-west-1")).toBe(false);
    expect(check("StringNotLike", ["eu-*"], "us-east-1")).toBe(true);
  });
});

describe("ARN operators", () => {
  const role = "arn:aws:iam::111122223333:role/team/Admin";

  test("match each of the six parts on its own, with wildcards in ArnEquals as in ArnLike", () => {
    expect(check("ArnLike", ["arn:aws:iam::*:role/team/*"], role)).toBe(true);
    expect(check("ArnEquals", ["arn:aws:iam::*:role/team/*"], role)).toBe(true);
    expect(check("ArnEquals", ["arn:aws:iam::111122223333:role/team/Admin"], role)).toBe(true);
    expect(check("ArnLike", ["arn:aws:iam::111122223333:role/*"], role)).toBe(true);
    // A wildcard does not reach over a colon into the next part: this pattern has five parts.
    expect(check("ArnLike", ["arn:aws:iam::*"], role)).toBe(false);
    expect(check("ArnLike", ["arn:aws:iam::111122223333:role/team/admin"], role)).toBe(false);
    expect(check("ArnNotLike", ["arn:aws:iam::111122223333:role/*"], role)).toBe(false);
    expect(check("ArnNotEquals", ["arn:aws:iam::444455556666:*"], role)).toBe(true);
  });

  test("never match what is not an ARN", () => {
    expect(check("ArnLike", ["*"], role)).toBe(false);
    expect(check("ArnLike", ["arn:aws:iam::*:role/*"], "not-an-arn")).toBe(false);
  });
});

describe("Bool, Numeric, Date and IpAddress", () => {
  test("Bool compares true and false in any case, and nothing else", () => {
    expect(check("Bool", ["true"], "TRUE")).toBe(true);
    expect(check("Bool", ["false"], "true")).toBe(false);
    expect(check("Bool", ["yes"], "yes")).toBe(false);
  });

  test("Numeric compares numbers", () => {
    expect(check("NumericLessThan", ["3600"], "100")).toBe(true);
    expect(check("NumericLessThanEquals", ["100.5"], "100.5")).toBe(true);
    expect(check("NumericGreaterThan", ["7"], "30")).toBe(true);
    expect(check("NumericEquals", ["30"], "030")).toBe(true);
    expect(check("NumericNotEquals", ["30"], "7")).toBe(true);
    expect(check("NumericEquals", ["30"], "thirty")).toBe(false);
  });

  test("Date compares ISO 8601 times and epoch seconds", () => {
    expect(check("DateLessThan", ["2026-01-01T00:00:00Z"], "2025-12-31T23:59:59Z")).toBe(true);
    expect(check("DateEquals", ["1767225600"], "2026-01-01T00:00:00Z")).toBe(true);
    expect(check("DateGreaterThanEquals", ["2026-01-01"], "2026-01-01T00:00:00Z")).toBe(true);
    expect(check("DateNotEquals", ["2026-01-01T00:00:00Z"], "2026-01-01T00:00:00Z")).toBe(false);
    expect(check("DateLessThan", ["2026-01-01T00:00:00Z"], "someday")).toBe(false);
  });

  test("IpAddress takes IPv4 and IPv6 ranges and single addresses", () => {
    expect(check("IpAddress", ["203.0.113.0/24"], "203.0.113.7")).toBe(true);
    expect(check("IpAddress", ["203.0.113.0/24"], "203.0.114.7")).toBe(false);
    expect(check("IpAddress", ["203.0.113.7"], "203.0.113.7")).toBe(true);
    expect(check("IpAddress", ["2001:db8::/32"], "2001:db8:1234::1")).toBe(true);
    expect(check("IpAddress", ["2001:db8::/32"], "2001:db9::1")).toBe(false);
    expect(check("IpAddress", ["203.0.113.0/24"], "2001:db8::1")).toBe(false);
    // An address of the other IP version is outside the range, so NotIpAddress holds.
    expect(check("NotIpAddress", ["203.0.113.7"], "2001:db8::1")).toBe(true);
    expect(check("NotIpAddress", ["203.0.113.0/24", "10.0.0.0/8"], "10.1.2.3")).toBe(false);
  });
});

describe("multivalued keys", () => {
  const keys = ["AppName", "Project"];

  test("need a set operator: ForAnyValue when one request value matches, ForAllValues when all do", () => {
    expect(check("ForAnyValue:StringEquals", ["AppName"], keys)).toBe(true);
    expect(check("ForAllValues:StringEquals", ["AppName"], keys)).toBe(false);
    expect(check("ForAllValues:StringEquals", ["AppName", "Project", "Other"], keys)).toBe(true);
    expect(check("ForAllValues:StringNotLike", ["Secret*"], keys)).toBe(true);
    expect(check("ForAnyValue:StringNotEquals", ["AppName"], keys)).toBe(true);
  });

  test("match nothing through an operator without a set operator", () => {
    expect(check("StringEquals", ["AppName"], keys)).toBe(false);
    expect(check("StringNotEquals", ["Other"], keys)).toBe(false);
  });

  test("are values like any other when they read absent or unknown", () => {
    expect(check("StringEquals", ["absent"], "absent")).toBe(true);
    expect(check("StringEquals", ["unknown"], "unknown")).toBe(true);
    expect(check("StringEquals", ["${aws:PrincipalTag/team}"], "unknown", { "aws:principaltag/team": "unknown" })).toBe(
      true,
    );
  });

  test("set operators read a single value as a set of one", () => {
    expect(check("ForAnyValue:StringEquals", ["AppName"], "AppName")).toBe(true);
    expect(check("ForAllValues:StringEquals", ["Other"], "AppName")).toBe(false);
  });
});

describe("policy variables", () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
  test("take the request's value of their key, for String, ARN and Bool operators", () => {
    const alice = { "aws:username": "alice" };
    expect(check("StringEquals", ["${aws:username}"], "alice", alice)).toBe(true);
    expect(check("StringEquals", ["${aws:username}"], "bob", alice)).toBe(false);
    expect(check("StringLike", ["home/${aws:username}/*"], "home/alice/notes", alice)).toBe(true);
    expect(
      check("ArnLike", ["arn:aws:iam::*:user/${aws:username}"], "arn:aws:iam::111122223333:user/alice", alice),
    ).toBe(true);
    const account = { "aws:principalaccount": "111122223333" };
    expect(
      check(
        "ArnEquals",
        ["arn:aws:iam::${aws:PrincipalAccount}:role/*"],
        "arn:aws:iam::111122223333:role/App",
        account,
      ),
    ).toBe(true);
    expect(
      check(
        "ArnEquals",
        ["arn:aws:iam::${aws:PrincipalAccount}:role/*"],
        "arn:aws:iam::444455556666:role/App",
        account,
      ),
    ).toBe(false);
    expect(check("StringEquals", ["${AWS:USERNAME}"], "alice", alice)).toBe(true);
  });

  test("with no value match nothing, so that a negated operator holds", () => {
    expect(check("StringEquals", ["${aws:username}"], "alice")).toBe(false);
    expect(check("StringNotEquals", ["${aws:username}"], "alice")).toBe(true);
    expect(check("StringEquals", ["${aws:username}", "bob"], "bob")).toBe(true);
  });

  test("take their default when their key has no value", () => {
    expect(check("StringEquals", ["${aws:PrincipalTag/team, 'company-wide'}"], "company-wide")).toBe(true);
    expect(
      check("StringEquals", ["${aws:PrincipalTag/team, 'company-wide'}"], "yellow", {
        "aws:principaltag/team": "yellow",
      }),
    ).toBe(true);
  });

  test("${*}, ${?} and ${$} stand for the characters themselves", () => {
    expect(check("StringLike", ["a${*}"], "a*")).toBe(true);
    expect(check("StringLike", ["a${*}"], "ab")).toBe(false);
    expect(check("StringLike", ["a*"], "a*")).toBe(true);
    expect(check("StringEquals", ["${$}5${?}"], "$5?")).toBe(true);
  });

  test("are read as Terraform writes them too: &{...} in aws_iam_policy_document, $${...} in strings", () => {
    expect(check("StringEquals", ["&{aws:username}"], "alice", { "aws:username": "alice" })).toBe(true);
    expect(check("StringEquals", ["$${aws:username}"], "alice", { "aws:username": "alice" })).toBe(true);
  });

  test("of a key the question does not know leave the condition unknown", () => {
    expect(check("StringEquals", ["${aws:PrincipalTag/team}"], "yellow", { "aws:principaltag/team": UNKNOWN })).toBe(
      "unknown",
    );
  });

  test("are text to the operators that do not take them", () => {
    expect(check("NumericEquals", ["${aws:MultiFactorAuthAge}"], "10", { "aws:multifactorauthage": "10" })).toBe(false);
  });
});

describe("what the evaluator does not evaluate", () => {
  test("BinaryEquals is unknown, never guessed", () => {
    expect(check("BinaryEquals", ["QmluYXJ5"], "QmluYXJ5")).toBe("unknown");
    expect(check("SomeFutureOperator", ["x"], "x")).toBe("unknown");
  });

  test("operator names are read in any case, with their set operator and IfExists", () => {
    expect(parseOperator("forallvalues:stringlikeifexists")).toEqual({
      set: "ForAllValues",
      base: "stringlike",
      ifExists: true,
    });
    expect(parseOperator("Null")).toEqual({ set: undefined, base: "Null", ifExists: false });
    expect(check("stringequals", ["a"], "a")).toBe(true);
  });
});

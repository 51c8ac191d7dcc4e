/**
 * The application's role: declared with who may assume it (IAM principals, AWS services), or a
 * role that exists already, referred to by name or ARN and never changed.
 */
import { defaultConfigObject, policyStatements, type StackJson, stackFromObject, synthJson } from "./helpers";

function withRole(applicationRole: unknown) {
  return synthJson(stackFromObject({ ...defaultConfigObject(), applicationRole }));
}

const APP_ROLE_USERS = (json: StackJson) =>
  policyStatements(json, "key_policy").find((s) => s.sid === "AllowApplicationAccess")?.principals?.[0].identifiers;

describe("the application role", () => {
  test("by default, the account root may assume it", () => {
    const json = withRole({ name: "global-encrypt-application" });
    expect(json.data.aws_iam_policy_document.application_assume_role.statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
      },
    ]);
  });

  test("AWS services and IAM principals may be trusted together, in one statement", () => {
    const json = withRole({
      name: "global-encrypt-application",
      trustedServices: ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"],
      trustedPrincipals: ["arn:aws:iam::111111111111:role/Deployer"],
    });
    expect(policyStatements(json, "application_assume_role")[0].principals).toEqual([
      { type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/Deployer"] },
      { type: "Service", identifiers: ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] },
    ]);
  });

  test("a role that exists, by name, is looked up and not declared", () => {
    const json = withRole({ name: "team-application", existing: true });
    expect(json.resource.aws_iam_role).toBeUndefined();
    expect(json.data.aws_iam_role.application).toEqual({ name: "team-application", provider: "aws.us_east_1" });
    expect(APP_ROLE_USERS(json)).toEqual(["${data.aws_iam_role.application.arn}"]);
  });

  test("a role that exists, by ARN, is named in the key policy as it is", () => {
    const json = withRole({ arn: "arn:aws:iam::111111111111:role/team/application" });
    expect(json.resource.aws_iam_role).toBeUndefined();
    expect(json.data.aws_iam_role).toBeUndefined();
    expect(APP_ROLE_USERS(json)).toEqual(["arn:aws:iam::111111111111:role/team/application"]);
  });

  test.each<[string, unknown, string]>([
    [
      "a trusted service that is not a service principal",
      { name: "app", trustedServices: ["ec2"] },
      'applicationRole.trustedServices[0]: "ec2" must be an AWS service principal, like events.amazonaws.com',
    ],
    ["an ARN that is not a role's", { arn: "arn:aws:iam::111111111111:user/app" }, "must be an IAM role ARN"],
  ])("refuses %s", (_, role, message) => {
    expect(() => withRole(role)).toThrow(message);
  });
});

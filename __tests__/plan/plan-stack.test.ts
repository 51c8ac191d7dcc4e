/**
 * Reading `terraform show -json` plans as the stack the rule pack reads (lib/plan), on real
 * plans of the reference document, a module-based configuration and bad setups.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Json } from "../../lib/json";
import { planAsStack } from "../../lib/plan/plan-stack";
import { parsePlan, readPlanFile } from "../../lib/plan/read-plan";
import { AccessEvaluator } from "../../lib/policy/access";
import { checkTerraformJson } from "../../lib/policy/check";
import { StackView } from "../../lib/policy/stack-view";
import { loadPlan } from "./fixtures";

/** An element's arguments without the metadata, by its Terraform address. */
function argumentsAt(json: Json, address: string): Json | undefined {
  const view = new StackView(json);
  const element = view.element(address);
  if (!element) return undefined;
  const { "//": _metadata, ...rest } = element.config;
  return rest;
}

describe("the reference document's plan, before apply", () => {
  const stack = planAsStack(loadPlan("seed"));
  const view = new StackView(stack.json);

  test("has every resource and data source of the seed at its Terraform address", () => {
    expect(stack.addresses).toEqual([
      "aws_iam_role.application",
      "aws_kms_alias.apac",
      "aws_kms_alias.eu",
      "aws_kms_alias.primary",
      "aws_kms_key.primary",
      "aws_kms_replica_key.apac",
      "aws_kms_replica_key.eu",
      "data.aws_iam_policy_document.key_policy",
    ]);
  });

  test("reads the arguments the configuration sets, with references where they are references", () => {
    expect(argumentsAt(stack.json, "aws_kms_key.primary")).toEqual({
      description: "Multi-region key for global encryption",
      multi_region: true,
      enable_key_rotation: true,
      policy: "${data.aws_iam_policy_document.key_policy.json}",
      provider: "aws.us_east_1",
    });
    expect(argumentsAt(stack.json, "aws_kms_alias.eu")).toEqual({
      name: "alias/global-encrypt",
      target_key_id: "${aws_kms_replica_key.eu.key_id}",
      provider: "aws.eu_west_1",
    });
  });

  test("a role ARN known only after apply, inside a policy document's principals, is the role's reference", () => {
    const statements = argumentsAt(stack.json, "data.aws_iam_policy_document.key_policy")?.statement as Json[];
    expect(statements.map((s) => s.principals)).toEqual([
      [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
      [{ type: "AWS", identifiers: ["${aws_iam_role.application.arn}"] }],
    ]);
  });

  test("places each key in its provider's region, and forms the key set from primary_key_arn", () => {
    expect(view.keySetOf("aws_kms_replica_key.apac")).toEqual({
      primary: "aws_kms_key.primary",
      members: [
        { address: "aws_kms_key.primary", role: "primary", region: "us-east-1" },
        { address: "aws_kms_replica_key.apac", role: "replica", region: "ap-southeast-1" },
        { address: "aws_kms_replica_key.eu", role: "replica", region: "eu-west-1" },
      ],
      regions: ["us-east-1", "ap-southeast-1", "eu-west-1"],
    });
    expect(view.aliasesOf("aws_kms_replica_key.eu").map((alias) => alias.address)).toEqual(["aws_kms_alias.eu"]);
  });

  test("leaves nothing unknown that the rules read", () => {
    expect({ unknowns: stack.unknowns, unknownRegions: stack.unknownRegions }).toEqual({
      unknowns: [],
      unknownRegions: [],
    });
  });

  test("gives the rule pack the findings the seed has: both replicas without a key policy", () => {
    const report = checkTerraformJson(stack.json);
    expect(report.findings.map((f) => `${f.rule.id} ${f.address}`)).toEqual([
      "MRK-KMS-3 aws_kms_replica_key.apac",
      "MRK-KMS-3 aws_kms_replica_key.eu",
    ]);
  });
});

describe("the reference document's plan after apply, every value known", () => {
  const stack = planAsStack(loadPlan("seed-applied"));

  test("still reads references, from values that equal the referenced attribute", () => {
    expect(argumentsAt(stack.json, "aws_kms_alias.primary")?.target_key_id).toBe("${aws_kms_key.primary.key_id}");
    expect(argumentsAt(stack.json, "aws_kms_replica_key.eu")?.primary_key_arn).toBe("${aws_kms_key.primary.arn}");
    // The provider normalises the policy JSON; it still equals the data source's json.
    expect(argumentsAt(stack.json, "aws_kms_key.primary")?.policy).toBe(
      "${data.aws_iam_policy_document.key_policy.json}",
    );
  });

  test("does not take what the provider read back for an argument the configuration leaves out", () => {
    // KMS gave the replicas its default key policy; the configuration declares none.
    expect(argumentsAt(stack.json, "aws_kms_replica_key.eu")?.policy).toBeUndefined();
    const report = checkTerraformJson(stack.json);
    expect(report.findings.map((f) => `${f.rule.id} ${f.address}`)).toEqual([
      "MRK-KMS-3 aws_kms_replica_key.apac",
      "MRK-KMS-3 aws_kms_replica_key.eu",
    ]);
  });
});

describe("a configuration built from a child module with for_each, and count", () => {
  const stack = planAsStack(loadPlan("module-keys"));
  const view = new StackView(stack.json);

  test("addresses instances of modules and of count as Terraform does", () => {
    expect(view.resources("aws_kms_key", "aws_kms_replica_key").map((r) => r.address)).toEqual([
      "aws_kms_key.batch[0]",
      "aws_kms_key.batch[1]",
      'module.keys["orders"].aws_kms_key.this',
      'module.keys["payments"].aws_kms_key.this',
      'module.keys["orders"].aws_kms_replica_key.replica',
      'module.keys["payments"].aws_kms_replica_key.replica',
    ]);
  });

  test("resolves references inside a module instance to that instance", () => {
    expect(argumentsAt(stack.json, 'module.keys["payments"].aws_kms_replica_key.replica')).toMatchObject({
      primary_key_arn: '${module.keys["payments"].aws_kms_key.this.arn}',
      policy: '${module.keys["payments"].data.aws_iam_policy_document.key.json}',
      provider: "aws.eu_west_1",
    });
    expect(view.keySetOf('module.keys["payments"].aws_kms_replica_key.replica')?.regions).toEqual([
      "us-east-1",
      "eu-west-1",
    ]);
  });

  test("follows a module output to the resource attribute it is", () => {
    const rule = (
      argumentsAt(stack.json, "aws_s3_bucket_server_side_encryption_configuration.orders")?.rule as Json[] | undefined
    )?.[0];
    expect(rule?.apply_server_side_encryption_by_default).toEqual([
      { sse_algorithm: "aws:kms", kms_master_key_id: '${module.keys["orders"].aws_kms_key.this.arn}' },
    ]);
  });

  test("takes a provider's region from a root variable, through the module's passed provider", () => {
    expect(view.regionOf(view.element('module.keys["orders"].aws_kms_replica_key.replica')!)).toBe("eu-west-1");
    expect(
      view.aliasesOf('module.keys["orders"].aws_kms_replica_key.replica').map((a) => `${a.address} ${a.config.name}`),
    ).toEqual([
      'module.keys["orders"].aws_kms_alias.replica[0] alias/orders',
      'module.keys["orders"].aws_kms_alias.replica[1] alias/orders-primary',
    ]);
  });

  test("reads a policy document whose account comes from data.aws_caller_identity, and that account", () => {
    expect(stack.accountId).toBe("111111111111");
    const policy = view.policyOf(view.element('module.keys["orders"].aws_kms_key.this')!);
    expect(policy.kind === "argument" && policy.document.statements.map((s) => s.principals)).toEqual([
      [{ type: "AWS", identifier: "arn:aws:iam::111111111111:root" }],
    ]);
  });

  test("says which arguments are known only after apply instead of guessing the instance count.index picks", () => {
    expect(stack.unknowns).toEqual([
      {
        address: "aws_kms_alias.batch[0]",
        argument: "target_key_id",
        references: ["aws_kms_key.batch", "count.index"],
      },
      {
        address: "aws_kms_alias.batch[1]",
        argument: "target_key_id",
        references: ["aws_kms_key.batch", "count.index"],
      },
    ]);
    expect(argumentsAt(stack.json, "aws_kms_alias.batch[1]")?.target_key_id).toBe(
      "${known after apply: aws_kms_key.batch, count.index}",
    );
  });

  test("gives the access evaluator one key set per module instance", () => {
    const evaluator = new AccessEvaluator(new StackView(stack.json, { accountId: stack.accountId }));
    const answer = evaluator.mayCall("arn:aws:iam::111111111111:root", "kms:Decrypt", "eu-west-1", {
      key: 'module.keys["orders"].aws_kms_replica_key.replica',
    });
    expect(answer).toMatchObject({ decision: "allow", key: 'module.keys["orders"].aws_kms_replica_key.replica' });
  });
});

describe("bad setups", () => {
  test.each([
    ["bad-public-policy", ["MRK-KMS-2 aws_kms_key.shared"]],
    ["bad-rotation-off", ["MRK-KMS-1 aws_kms_key.primary"]],
    ["bad-deletion-window", ["MRK-KMS-5 aws_kms_key.short_window"]],
  ] as const)("%s breaks the rule it was made to break, and only that one", (name, expected) => {
    const report = checkTerraformJson(planAsStack(loadPlan(name)).json);
    expect(report.findings.map((f) => `${f.rule.id} ${f.address}`)).toEqual(expected);
  });

  test("a jsonencode() key policy of constants is read as the literal JSON it is", () => {
    const policy = argumentsAt(planAsStack(loadPlan("bad-public-policy")).json, "aws_kms_key.shared")?.policy;
    expect(JSON.parse(String(policy)).Statement[1]).toEqual({
      Sid: "AllowEveryone",
      Effect: "Allow",
      Principal: "*",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
    });
  });
});

describe("what is not a plan", () => {
  const dir = mkdtempSync(join(tmpdir(), "mrk-not-a-plan-"));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test.each([
    [
      "a binary plan",
      "PK\u0003\u0004....",
      "tfplan: is a binary plan file; give its JSON: terraform show -json tfplan > plan.json",
    ],
    [
      "text",
      "Plan: 6 to add",
      "tfplan: is not JSON (Unexpected token 'P', \"Plan: 6 to add\" is not valid JSON); give the output of terraform show -json <planfile>",
    ],
    [
      "a state",
      JSON.stringify({ format_version: "1.0", values: {} }),
      "tfplan: is not a plan (it has no planned_values), perhaps a state; give the output of terraform show -json <planfile>",
    ],
    [
      "another format",
      JSON.stringify({ format_version: "0.1", planned_values: {} }),
      'tfplan: format_version "0.1" is not one mrk reads (1.x, Terraform 1.0 and later)',
    ],
  ])("%s is refused with one line", (_, text, message) => {
    expect(() => parsePlan(text, "tfplan")).toThrow(message);
  });

  test("a missing file is named", () => {
    expect(() => readPlanFile(join(dir, "nope.json"), "nope.json")).toThrow("nope.json: cannot be read (ENOENT)");
    expect(
      readPlanFile(write("ok.json", JSON.stringify({ format_version: "1.2", planned_values: {} }))).format_version,
    ).toBe("1.2");
  });
});

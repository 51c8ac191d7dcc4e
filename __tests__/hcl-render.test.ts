/**
 * lib/hcl: the HCL we write for a stack means what cdktf's JSON means and reads like the seed
 * document's Terraform section. That Terraform finds it fmt clean and valid without warnings is
 * checked in __tests__/terraform/hcl-terraform.test.ts, which starts Terraform.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import {
  CloudBackend,
  Fn,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformLocal,
  TerraformOutput,
  TerraformVariable,
  VariableType,
} from "cdktf";
import { commentAbove, hclToJson, normaliseForComparison, renderStackHcl } from "../lib/hcl";
import { SEED_BLOCKS } from "./fixtures/seed";
import { kitchenSinkStack, type Rendered, render, seedStack, usEast1 } from "./hcl-stacks";

/** The seed document's Terraform section (seed/cross-region-kms-keys.md), verbatim. */
const SEED_TERRAFORM = readFileSync(join(__dirname, "fixtures", "seed.tf"), "utf8");

/** The top-level block whose first line is `header {`, up to its closing brace. */
function topLevelBlock(hcl: string, header: string): string {
  const lines = hcl.split("\n");
  const start = lines.indexOf(`${header} {`);
  if (start < 0) throw new Error(`no block "${header}" in:\n${hcl}`);
  return lines.slice(start, lines.indexOf("}", start) + 1).join("\n");
}

/** `value` and everything in it made read-only: a write to it throws (test files are strict mode). */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A block's lines with whitespace runs collapsed, blank lines dropped, sorted: its content regardless of order and alignment. */
function linesOf(block: string): string[] {
  return block
    .split("\n")
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter((line) => line !== "" && !line.startsWith("#"))
    .sort();
}

/** Asserts the HCL parses back (with hcl2json) to what cdktf's JSON says. */
async function expectSameAsJson({ hcl, json }: Rendered): Promise<void> {
  expect(normaliseForComparison(await hclToJson(hcl))).toEqual(normaliseForComparison(json));
}

describe("renderStackHcl on the seed document's setup", () => {
  const seed = render(seedStack, "global-encrypt");

  test("writes the aliases exactly as the seed does", () => {
    for (const name of ["primary", "eu", "apac"]) {
      const header = `resource "aws_kms_alias" "${name}"`;
      expect(topLevelBlock(seed.hcl, header)).toEqual(topLevelBlock(SEED_TERRAFORM, header));
    }
  });

  test("writes the keys and the key policy with the seed's lines, in argument order and aligned by terraform fmt", () => {
    const headers = [
      'resource "aws_kms_key" "primary"',
      'resource "aws_kms_replica_key" "eu"',
      'resource "aws_kms_replica_key" "apac"',
      'data "aws_iam_policy_document" "key_policy"',
    ];
    for (const header of headers) {
      expect(linesOf(topLevelBlock(seed.hcl, header))).toEqual(linesOf(topLevelBlock(SEED_TERRAFORM, header)));
    }
    expect(topLevelBlock(seed.hcl, 'resource "aws_kms_key" "primary"')).toBe(
      [
        'resource "aws_kms_key" "primary" {',
        "  provider = aws.us_east_1",
        "",
        '  description         = "Multi-region key for global encryption"',
        "  multi_region        = true",
        "  enable_key_rotation = true",
        "",
        "  policy = data.aws_iam_policy_document.key_policy.json",
        "}",
      ].join("\n"),
    );
  });

  test("parses to the seed's configuration for every KMS address", async () => {
    const ours = normaliseForComparison(await hclToJson(seed.hcl)) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    const theirs = normaliseForComparison(await hclToJson(SEED_TERRAFORM)) as typeof ours;
    for (const [kind, type, name] of SEED_BLOCKS) {
      expect(ours[kind][type][name]).toEqual(theirs[kind][type][name]);
    }
  });

  test("writes the terraform block and the providers first, with the source the stack sets", () => {
    const start = [
      "terraform {",
      "  required_providers {",
      "    aws = {",
      '      source  = "hashicorp/aws"',
      '      version = "5.100.0"',
      "    }",
      "  }",
      "",
      '  backend "local" {',
      '    path = "../../../terraform.global-encrypt.tfstate"',
      "  }",
      "}",
      "",
      'provider "aws" {',
      '  alias  = "us_east_1"',
      '  region = "us-east-1"',
      "}",
      "",
    ].join("\n");
    expect(seed.hcl.slice(0, start.length)).toBe(start);
  });

  test("writes resources, then data sources, each in construct order, as the document does", () => {
    const headers = seed.hcl.split("\n").filter((line) => /^(resource|data) /.test(line));
    expect(headers).toEqual([
      'resource "aws_iam_role" "application" {',
      'resource "aws_kms_key" "primary" {',
      'resource "aws_kms_alias" "primary" {',
      'resource "aws_kms_replica_key" "eu" {',
      'resource "aws_kms_alias" "eu" {',
      'resource "aws_kms_replica_key" "apac" {',
      'resource "aws_kms_alias" "apac" {',
      'data "aws_iam_policy_document" "key_policy" {',
    ]);
  });

  test("means what cdk.tf.json means", async () => {
    await expectSameAsJson(seed);
  });

  test("renders byte for byte the same each time", () => {
    expect(render(seedStack, "global-encrypt").hcl).toBe(seed.hcl);
  });
});

describe("renderStackHcl on every resource type the project uses", () => {
  const sink = render(kitchenSinkStack, "kitchen-sink");

  test("means what cdk.tf.json means", async () => {
    await expectSameAsJson(sink);
  });

  test("leaves the JSON it is given as it was", () => {
    expect(renderStackHcl(sink.stack, deepFreeze(sink.stack.toTerraform()))).toBe(sink.hcl);
  });

  test("writes map arguments as maps and nested blocks as blocks", () => {
    expect(
      topLevelBlock(sink.hcl, 'resource "aws_s3_bucket_replication_configuration" "replication-configuration"'),
    ).toBe(
      [
        'resource "aws_s3_bucket_replication_configuration" "replication-configuration" {',
        "  provider   = aws.us_east_1",
        "  depends_on = [aws_s3_bucket_versioning.source-versioning]",
        "",
        "  bucket = aws_s3_bucket.source.id",
        "  role   = aws_iam_role.replication.arn",
        "",
        "  rule {",
        '    id     = "all"',
        '    status = "Enabled"',
        "",
        "    delete_marker_replication {",
        '      status = "Disabled"',
        "    }",
        "",
        "    destination {",
        '      bucket = "arn:aws:s3:::destination"',
        "",
        "      encryption_configuration {",
        "        replica_kms_key_id = aws_kms_key.key.arn",
        "      }",
        "    }",
        "",
        "    filter {}",
        "",
        "    source_selection_criteria {",
        "      sse_kms_encrypted_objects {",
        '        status = "Enabled"',
        "      }",
        "    }",
        "  }",
        "}",
      ].join("\n"),
    );
    const table = topLevelBlock(sink.hcl, 'resource "aws_dynamodb_table" "table"');
    expect(table.match(/^ {2}replica \{$/gm)).toHaveLength(2);
    expect(table).toContain("  point_in_time_recovery {\n    enabled = true\n  }");
    expect(table).toContain(
      "  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.key.arn\n  }",
    );
    expect(table).toContain('  attribute {\n    name = "id"\n    type = "S"\n  }');
    expect(topLevelBlock(sink.hcl, 'resource "aws_kms_key" "key"')).toContain(
      '  tags = {\n    Name          = "key"\n    "aws:purpose" = "test"\n  }',
    );
    const alarm = topLevelBlock(sink.hcl, 'resource "aws_cloudwatch_metric_alarm" "encrypt-calls"');
    expect(alarm).toContain("  metric_query {\n");
    expect(alarm).toContain(
      '    metric {\n      dimensions = {\n        Service  = "KMS"\n        Type     = "API"\n        Resource = "Encrypt"\n        Class    = "None"\n      }\n',
    );
    const policy = topLevelBlock(sink.hcl, 'data "aws_iam_policy_document" "topic-policy"');
    expect(policy).toContain(
      '    principals {\n      type        = "Service"\n      identifiers = ["events.amazonaws.com"]\n    }',
    );
    expect(policy).toContain(
      '    condition {\n      test     = "StringEquals"\n      variable = "aws:SourceAccount"\n      values   = ["111111111111"]\n    }',
    );
    expect(sink.hcl).toContain(
      'provider "aws" {\n  alias  = "tagged"\n  region = "us-east-1"\n\n  default_tags {\n    tags = {\n      Project = "mrk"\n    }\n  }\n}',
    );
    expect(topLevelBlock(sink.hcl, 'resource "aws_s3_bucket_versioning" "source-versioning"')).toContain(
      '  versioning_configuration {\n    status = "Enabled"\n  }',
    );
    expect(
      topLevelBlock(sink.hcl, 'resource "aws_s3_bucket_server_side_encryption_configuration" "source-encryption"'),
    ).toContain(
      '    apply_server_side_encryption_by_default {\n      kms_master_key_id = aws_kms_key.key.arn\n      sse_algorithm     = "aws:kms"\n    }',
    );
  });

  test("writes policies built with Fn.jsonencode and JSON strings holding tokens as valid, equal HCL (cdktf #3911)", async () => {
    expect(sink.hcl).toContain(
      '  policy = jsonencode({ "Version" = "2012-10-17", "Statement" = [{ "Effect" = "Allow", "Action" = ["kms:Decrypt"], "Resource" = aws_kms_key.key.arn }] })\n',
    );
    expect(sink.hcl).toContain('  name               = "${local.prefix}-replication"\n');
    const parsed = (await hclToJson(sink.hcl)) as {
      resource: Record<string, Record<string, Array<Record<string, string>>>>;
    };
    const assumeRolePolicy = parsed.resource.aws_iam_role.replication[0].assume_role_policy;
    expect(JSON.parse(assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  test("spaces expressions as terraform fmt does", () => {
    expect(topLevelBlock(sink.hcl, "locals")).toBe(
      [
        "locals {",
        '  prefix = "mrk-${var.environment}"',
        "  expressions = {",
        '    first  = element(tolist([var.environment, "b"]), 0)',
        "    sum    = (1 + -2)",
        '    long   = ((length(var.environment) >= 1) && (var.environment != "x"))',
        '    chosen = (var.environment == "prod") ? "p" : "np"',
        "  }",
        "}",
      ].join("\n"),
    );
  });
});

describe("renderStackHcl's blocks and strings", () => {
  test("writes the nested blocks of each element, whatever the other elements of its type hold", () => {
    const { hcl } = render((stack) => {
      const provider = usEast1(stack);
      const statement = {
        actions: ["kms:Decrypt"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
      };
      new DataAwsIamPolicyDocument(stack, "plain", { provider, statement: [statement] });
      new DataAwsIamPolicyDocument(stack, "conditioned", {
        provider,
        statement: [
          {
            ...statement,
            condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: ["111111111111"] }],
          },
        ],
      });
    });
    expect(topLevelBlock(hcl, 'data "aws_iam_policy_document" "conditioned"')).toContain(
      [
        "    condition {",
        '      test     = "StringEquals"',
        '      variable = "aws:PrincipalAccount"',
        '      values   = ["111111111111"]',
        "    }",
      ].join("\n"),
    );
  });

  test("writes meta-arguments first, then a blank line, the arguments, nested blocks, and lifecycle last", () => {
    const { hcl } = render((stack) => {
      const us = usEast1(stack);
      const first = new KmsKey(stack, "first", { provider: us });
      new KmsKey(stack, "second", {
        provider: us,
        count: 2,
        dependsOn: [first],
        description: "second",
        lifecycle: { preventDestroy: true, ignoreChanges: ["tags", "description"] },
        timeouts: { create: "5m" },
      });
    });
    expect(topLevelBlock(hcl, 'resource "aws_kms_key" "second"')).toBe(
      [
        'resource "aws_kms_key" "second" {',
        "  provider   = aws.us_east_1",
        "  count      = 2",
        "  depends_on = [aws_kms_key.first]",
        "",
        '  description = "second"',
        "",
        "  timeouts {",
        '    create = "5m"',
        "  }",
        "",
        "  lifecycle {",
        "    prevent_destroy = true",
        "    ignore_changes  = [tags, description]",
        "  }",
        "}",
      ].join("\n"),
    );
  });

  test("writes a statement as IAM documents it: sid, effect, principals, actions, resources, conditions", () => {
    const { hcl } = render((stack) => {
      new DataAwsIamPolicyDocument(stack, "policy", {
        provider: usEast1(stack),
        statement: [
          {
            sid: "DenyOutsideTheOrganization",
            effect: "Deny",
            notPrincipals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
            notActions: ["kms:DescribeKey"],
            resources: ["*"],
            condition: [{ test: "StringNotEquals", variable: "aws:PrincipalOrgID", values: ["o-abc123"] }],
          },
        ],
      });
    });
    expect(topLevelBlock(hcl, 'data "aws_iam_policy_document" "policy"')).toBe(
      [
        'data "aws_iam_policy_document" "policy" {',
        "  provider = aws.us_east_1",
        "",
        "  statement {",
        '    sid    = "DenyOutsideTheOrganization"',
        '    effect = "Deny"',
        "    not_principals {",
        '      type        = "AWS"',
        '      identifiers = ["arn:aws:iam::111111111111:root"]',
        "    }",
        '    not_actions = ["kms:DescribeKey"]',
        '    resources   = ["*"]',
        "    condition {",
        '      test     = "StringNotEquals"',
        '      variable = "aws:PrincipalOrgID"',
        '      values   = ["o-abc123"]',
        "    }",
        "  }",
        "}",
      ].join("\n"),
    );
  });

  test("writes a key's settings, then its policy, then its tags, settings it does not list in the JSON's order", () => {
    const { hcl } = render((stack) => {
      new KmsKey(stack, "key", {
        provider: usEast1(stack),
        tags: { Team: "payments" },
        policy: "{}",
        xksKeyId: "xks-1",
        customKeyStoreId: "cks-1",
        deletionWindowInDays: 30,
        description: "payments",
      });
    });
    expect(topLevelBlock(hcl, 'resource "aws_kms_key" "key"')).toBe(
      [
        'resource "aws_kms_key" "key" {',
        "  provider = aws.us_east_1",
        "",
        '  description             = "payments"',
        "  deletion_window_in_days = 30",
        '  custom_key_store_id     = "cks-1"',
        '  xks_key_id              = "xks-1"',
        "",
        '  policy = "{}"',
        "",
        "  tags = {",
        '    Team = "payments"',
        "  }",
        "}",
      ].join("\n"),
    );
  });

  test("writes the comment a construct set above its block, and no other", () => {
    const { hcl } = render((stack) => {
      const provider = usEast1(stack);
      commentAbove(new KmsKey(stack, "commented", { provider }), "Primary key in us-east-1");
      new KmsKey(stack, "plain", { provider });
    });
    expect(hcl.split("\n").flatMap((line, i, lines) => (line.startsWith("#") ? [line, lines[i + 1]] : []))).toEqual([
      "# Primary key in us-east-1",
      'resource "aws_kms_key" "commented" {',
    ]);
  });

  test("escapes quotes, backslashes and control characters, and keeps $${ and %%{ escapes", async () => {
    const description = 'say "hi" \\ back\nline\ttab é $${literal} %%{literal} 100% $5';
    const rendered = render((stack) => {
      const environment = new TerraformVariable(stack, "environment", { type: VariableType.STRING });
      new KmsKey(stack, "key", {
        provider: usEast1(stack),
        description,
        tags: { Name: `key-${environment.stringValue}` },
      });
    });
    const key = topLevelBlock(rendered.hcl, 'resource "aws_kms_key" "key"');
    expect(key).toContain('  description = "say \\"hi\\" \\\\ back\\nline\\ttab é $${literal} %%{literal} 100% $5"\n');
    expect(key).toContain('    Name = "key-${var.environment}"\n');
    await expectSameAsJson(rendered);
    const parsed = (await hclToJson(rendered.hcl)) as {
      resource: { aws_kms_key: { key: Array<{ description: string }> } };
    };
    expect(parsed.resource.aws_kms_key.key[0].description).toBe(description);
  });

  test("writes no interpolation-only string", () => {
    const { hcl } = render(seedStack);
    expect(hcl).not.toMatch(/= "\$\{[^"]*\}"$/m);
    expect(hcl).not.toMatch(/provider += "/);
  });

  test("writes outputs with depends_on first and references bare", async () => {
    const rendered = render((stack) => {
      const key = new KmsKey(stack, "key", { provider: usEast1(stack) });
      new TerraformOutput(stack, "key_arn", {
        value: key.arn,
        description: "The key's ARN",
        sensitive: true,
        dependsOn: [key],
      });
      new TerraformOutput(stack, "key_ids", { value: { arn: key.arn, id: key.keyId } });
    });
    expect(topLevelBlock(rendered.hcl, 'output "key_arn"')).toBe(
      [
        'output "key_arn" {',
        "  depends_on = [aws_kms_key.key]",
        "",
        "  value       = aws_kms_key.key.arn",
        '  description = "The key\'s ARN"',
        "  sensitive   = true",
        "}",
      ].join("\n"),
    );
    expect(topLevelBlock(rendered.hcl, 'output "key_ids"')).toBe(
      [
        'output "key_ids" {',
        "  value = {",
        "    arn = aws_kms_key.key.arn",
        "    id  = aws_kms_key.key.key_id",
        "  }",
        "}",
      ].join("\n"),
    );
    await expectSameAsJson(rendered);
  });

  test("writes variables with bare types and one locals block", async () => {
    const rendered = render((stack) => {
      const regions = new TerraformVariable(stack, "regions", {
        type: VariableType.list(VariableType.STRING),
        default: ["eu-west-1"],
        validation: [{ condition: "${length(var.regions) > 0}", errorMessage: "name at least one region" }],
      });
      new TerraformLocal(stack, "region_count", Fn.lengthOf(regions.listValue));
      new TerraformLocal(stack, "first_region", Fn.element(regions.listValue, 0));
      usEast1(stack);
    });
    expect(topLevelBlock(rendered.hcl, 'variable "regions"')).toBe(
      [
        'variable "regions" {',
        '  default = ["eu-west-1"]',
        "  type    = list(string)",
        "",
        "  validation {",
        '    error_message = "name at least one region"',
        "    condition     = length(var.regions) > 0",
        "  }",
        "}",
      ].join("\n"),
    );
    expect(topLevelBlock(rendered.hcl, "locals")).toBe(
      ["locals {", "  region_count = length(var.regions)", "  first_region = element(var.regions, 0)", "}"].join("\n"),
    );
    await expectSameAsJson(rendered);
  });

  test("writes import, moved and removed blocks with bare addresses", async () => {
    // Without cdktf's validations: for a moved block they run `terraform version`, and unit
    // tests start no Terraform.
    const rendered = render(
      (stack) => {
        const us = usEast1(stack);
        new KmsKey(stack, "old", { provider: us }).moveToId("aws_kms_key.new");
        new KmsKey(stack, "new", { provider: us }).importFrom("mrk-1234abcd", us);
        stack.addOverride("removed", [{ from: "aws_kms_replica_key.eu", lifecycle: { destroy: false } }]);
      },
      "test",
      { skipValidation: true },
    );
    const end = [
      "moved {",
      "  from = aws_kms_key.old",
      "  to   = aws_kms_key.new",
      "}",
      "",
      "import {",
      "  provider = aws.us_east_1",
      '  id       = "mrk-1234abcd"',
      "  to       = aws_kms_key.new",
      "}",
      "",
      "removed {",
      "  from = aws_kms_replica_key.eu",
      "",
      "  lifecycle {",
      "    destroy = false",
      "  }",
      "}",
      "",
    ].join("\n");
    expect(rendered.hcl.slice(-end.length)).toBe(end);
    await expectSameAsJson(rendered);
  });

  test("rejects what it cannot write instead of writing it wrong", () => {
    expect(() =>
      render((stack) => {
        usEast1(stack);
        stack.addOverride("check.health", { assert: [{ condition: true, error_message: "x" }] });
      }),
    ).toThrow('the HCL renderer does not write "check"');
    expect(() =>
      render((stack) => {
        new KmsKey(stack, "key", {
          provider: usEast1(stack),
          provisioners: [{ type: "local-exec", command: "echo hi" }],
        });
      }),
    ).toThrow("resource.aws_kms_key.key: the HCL renderer does not write provisioner");
  });
});

describe("renderStackHcl's backends", () => {
  test("writes the local backend's path as the stack gives it, and nothing absolute", () => {
    const { hcl } = render((stack) => {
      usEast1(stack);
      new LocalBackend(stack, { path: "../../../terraform.test.tfstate" });
    });
    expect(topLevelBlock(hcl, "terraform")).toContain(
      '  backend "local" {\n    path = "../../../terraform.test.tfstate"\n  }\n',
    );
    expect(hcl).not.toMatch(/"\//);
  });

  test("writes an s3 backend with the stack's overrides", () => {
    const { hcl } = render((stack) => {
      usEast1(stack);
      new S3Backend(stack, { bucket: "state", key: "keys/terraform.tfstate", region: "us-east-1", encrypt: true });
      stack.addOverride("terraform.backend.s3.use_lockfile", true);
    });
    expect(topLevelBlock(hcl, "terraform")).toContain(
      [
        '  backend "s3" {',
        '    bucket       = "state"',
        '    key          = "keys/terraform.tfstate"',
        '    region       = "us-east-1"',
        "    encrypt      = true",
        "    use_lockfile = true",
        "  }",
      ].join("\n"),
    );
  });

  test("writes the cloud block's workspaces as a nested block", () => {
    // Without cdktf's validations, which run `terraform version` for a cloud block.
    const { hcl } = render(
      (stack) => {
        usEast1(stack);
        new CloudBackend(stack, { organization: "acme", workspaces: new NamedCloudWorkspace("keys") });
      },
      "test",
      { skipValidation: true },
    );
    expect(topLevelBlock(hcl, "terraform")).toContain(
      '  cloud {\n    organization = "acme"\n\n    workspaces {\n      name = "keys"\n    }\n  }\n',
    );
  });
});

describe("normaliseForComparison", () => {
  test("tells HCL that says something else from the JSON", async () => {
    const seed = render(seedStack);
    const changed = seed.hcl.replace(
      "target_key_id = aws_kms_replica_key.eu.key_id",
      "target_key_id = aws_kms_replica_key.apac.key_id",
    );
    expect(changed).not.toBe(seed.hcl);
    expect(normaliseForComparison(await hclToJson(changed))).not.toEqual(normaliseForComparison(seed.json));
  });

  test("drops metadata, unwraps single blocks, respaces expressions and unwraps references, nothing else", () => {
    const fromCdktf = {
      "//": { metadata: {} },
      resource: {
        aws_kms_key: {
          key: {
            "//": { metadata: {} },
            provider: "aws.us_east_1",
            policy: '${jsonencode({"a" = "${var.b}"})}',
            timeouts: { create: "5m" },
            tags: { Name: "${var.name}" },
          },
        },
      },
      variable: { name: { type: "string" } },
    };
    const fromHcl = {
      resource: {
        aws_kms_key: {
          key: [
            {
              provider: "${aws.us_east_1}",
              policy: '${jsonencode({ "a" = "${var.b}" })}',
              timeouts: [{ create: "5m" }],
              tags: { Name: "${var.name}" },
            },
          ],
        },
      },
      variable: { name: [{ type: "${string}" }] },
    };
    expect(normaliseForComparison(fromHcl)).toEqual(normaliseForComparison(fromCdktf));
    expect(normaliseForComparison(fromCdktf)).toEqual({
      resource: {
        aws_kms_key: {
          key: {
            provider: "aws.us_east_1",
            policy: '${jsonencode({ "a" = "${var.b}" })}',
            timeouts: { create: "5m" },
            tags: { Name: "${var.name}" },
          },
        },
      },
      variable: { name: { type: "string" } },
    });
  });
});

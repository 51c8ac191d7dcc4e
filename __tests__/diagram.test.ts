/**
 * The Mermaid picture of a key set (lib/diagram.ts) that `npm run synth` writes beside each
 * stack's HCL, and docs/review-hcl.md's copy of the default stack's.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthHcl } from "../lib/cli/synth";
import { diagramMarkdown, renderDiagram, renderDiagramFromJson } from "../lib/diagram";
import { DEFAULT_CONFIG } from "../stacks/app";
import { defaultConfigObject, EXAMPLE_CONFIGS_DIR, stackFromFile, stackFromObject } from "./helpers";

const defaultDiagram = renderDiagram(stackFromFile());
const monitoredDiagram = renderDiagram(stackFromFile(join(EXAMPLE_CONFIGS_DIR, "monitored.json")));

/** The lines of a subgraph, by region. */
function subgraph(diagram: string, region: string): string[] {
  const lines = diagram.split("\n");
  const start = lines.findIndex((line) => line.includes(`["${region}"]`) && line.trim().startsWith("subgraph"));
  if (start < 0) return [];
  const end = lines.indexOf("    end", start);
  return lines.slice(start + 1, end).map((line) => line.trim());
}

/** Two provider-aware elements of a stack JSON, for the generic cases. */
const providers = {
  aws: [
    { alias: "us_east_1", region: "us-east-1" },
    { alias: "eu_west_1", region: "eu-west-1" },
  ],
};
const keySet = {
  aws_kms_key: { primary: { provider: "aws.us_east_1", multi_region: true } },
  aws_kms_replica_key: { eu: { provider: "aws.eu_west_1", primary_key_arn: "${aws_kms_key.primary.arn}" } },
  aws_kms_alias: {
    primary: { provider: "aws.us_east_1", name: "alias/k", target_key_id: "${aws_kms_key.primary.key_id}" },
    eu: { provider: "aws.eu_west_1", name: "alias/k", target_key_id: "${aws_kms_replica_key.eu.key_id}" },
  },
};
const diagramOf = (resources: Record<string, Record<string, unknown>>, data: Record<string, unknown> = {}) =>
  renderDiagramFromJson({ provider: providers, resource: { ...keySet, ...resources }, data });

describe("the default stack's diagram", () => {
  test("is the reference document's key set: a primary replicated to two regions, the alias in each", () => {
    expect(defaultDiagram).toBe(
      [
        "graph TD",
        '    subgraph region_us_east_1["us-east-1"]',
        '        aws_kms_key__primary["Primary key<br/>aws_kms_key.primary"]',
        '        aws_kms_alias__primary(["alias/global-encrypt"])',
        "    end",
        '    subgraph region_eu_west_1["eu-west-1"]',
        '        aws_kms_replica_key__eu["Replica key<br/>aws_kms_replica_key.eu"]',
        '        aws_kms_alias__eu(["alias/global-encrypt"])',
        "    end",
        '    subgraph region_ap_southeast_1["ap-southeast-1"]',
        '        aws_kms_replica_key__apac["Replica key<br/>aws_kms_replica_key.apac"]',
        '        aws_kms_alias__apac(["alias/global-encrypt"])',
        "    end",
        "    aws_kms_key__primary -->|Replicate| aws_kms_replica_key__eu",
        "    aws_kms_key__primary -->|Replicate| aws_kms_replica_key__apac",
        "    aws_kms_alias__primary -.->|alias of| aws_kms_key__primary",
        "    aws_kms_alias__eu -.->|alias of| aws_kms_replica_key__eu",
        "    aws_kms_alias__apac -.->|alias of| aws_kms_replica_key__apac",
      ].join("\n"),
    );
  });

  test("leaves out what does not use a key: the application role, the key policy data sources", () => {
    expect(defaultDiagram).not.toMatch(/aws_iam_role|aws_iam_policy_document/);
  });

  test("puts the primary in the region that holds it after a failover", () => {
    const config = defaultConfigObject();
    config.currentPrimaryRegion = "eu-west-1";
    const diagram = renderDiagram(stackFromObject(config));
    expect(subgraph(diagram, "eu-west-1")).toContain('aws_kms_key__primary["Primary key<br/>aws_kms_key.primary"]');
    expect(subgraph(diagram, "us-east-1")).toContain(
      'aws_kms_replica_key__eu["Replica key<br/>aws_kms_replica_key.eu"]',
    );
  });
});

describe("the monitored stack's diagram", () => {
  test.each([
    ["us-east-1", "aws_kms_key__primary"],
    ["eu-west-1", "aws_kms_replica_key__eu"],
    ["ap-southeast-1", "aws_kms_replica_key__apac"],
  ])("in %s, the topic is encrypted with the region's key", (region, key) => {
    const alias = region.replace(/-/g, "_");
    expect(subgraph(monitoredDiagram, region)).toContain(
      `aws_sns_topic__key_events_${alias}["SNS topic<br/>aws_sns_topic.key_events_${alias}"]`,
    );
    expect(monitoredDiagram).toContain(`    aws_sns_topic__key_events_${alias} -->|encrypts with| ${key}`);
  });

  test.each(["us-east-1", "eu-west-1", "ap-southeast-1"])(
    "in %s, the request alarm notifies the region's topic",
    (region) => {
      const alias = region.replace(/-/g, "_");
      const node = `aws_cloudwatch_metric_alarm__symmetric_calls_${alias}`;
      expect(subgraph(monitoredDiagram, region)).toContain(
        `${node}["CloudWatch alarm<br/>aws_cloudwatch_metric_alarm.symmetric_calls_${alias}"]`,
      );
      expect(monitoredDiagram).toContain(`    ${node} -->|notifies| aws_sns_topic__key_events_${alias}`);
    },
  );

  test("the EventBridge rules watch the key of their region and notify its topic through their targets", () => {
    const rules = "aws_cloudwatch_event_rule__key_api_calls_eu_west_1_and_1";
    expect(subgraph(monitoredDiagram, "eu-west-1")).toContain(
      `${rules}["2 EventBridge rules<br/>key_api_calls_eu_west_1<br/>key_lifecycle_eu_west_1"]`,
    );
    expect(monitoredDiagram).toContain(`    ${rules} -->|watches| aws_kms_replica_key__eu`);
    expect(monitoredDiagram).toContain(`    ${rules} -->|notifies| aws_sns_topic__key_events_eu_west_1`);
  });

  test("leaves out the dashboard, the topic policies and the event targets as nodes", () => {
    expect(monitoredDiagram).not.toMatch(
      /aws_cloudwatch_dashboard|aws_sns_topic_policy__|aws_cloudwatch_event_target__/,
    );
  });
});

describe("any resource that references a key", () => {
  test("appears in its region with an edge to the key, labelled by the argument", () => {
    const diagram = diagramOf({
      aws_sqs_queue: { jobs: { provider: "aws.eu_west_1", kms_master_key_id: "${aws_kms_replica_key.eu.arn}" } },
    });
    expect(subgraph(diagram, "eu-west-1")).toContain('aws_sqs_queue__jobs["SQS queue<br/>aws_sqs_queue.jobs"]');
    expect(diagram).toContain("    aws_sqs_queue__jobs -->|encrypts with| aws_kms_replica_key__eu");
  });

  test("an S3 bucket's encryption and replication configurations are drawn as the bucket", () => {
    const diagram = diagramOf({
      aws_s3_bucket: {
        east: { provider: "aws.us_east_1", bucket: "east" },
        west: { provider: "aws.eu_west_1", bucket: "west" },
      },
      aws_s3_bucket_server_side_encryption_configuration: {
        east: {
          provider: "aws.us_east_1",
          bucket: "${aws_s3_bucket.east.id}",
          rule: [
            {
              apply_server_side_encryption_by_default: {
                sse_algorithm: "aws:kms",
                kms_master_key_id: "${aws_kms_key.primary.arn}",
              },
            },
          ],
        },
      },
      aws_s3_bucket_replication_configuration: {
        east: {
          provider: "aws.us_east_1",
          bucket: "${aws_s3_bucket.east.id}",
          rule: [
            {
              destination: {
                bucket: "${aws_s3_bucket.west.arn}",
                encryption_configuration: { replica_kms_key_id: "${aws_kms_replica_key.eu.arn}" },
              },
            },
          ],
        },
      },
    });
    expect(subgraph(diagram, "us-east-1")).toContain('aws_s3_bucket__east["S3 bucket<br/>aws_s3_bucket.east"]');
    expect(diagram).toContain("    aws_s3_bucket__east -->|encrypts with| aws_kms_key__primary");
    expect(diagram).toContain("    aws_s3_bucket__east -->|replicates with| aws_kms_replica_key__eu");
    expect(diagram).not.toMatch(
      /aws_s3_bucket_server_side_encryption_configuration__|aws_s3_bucket_replication_configuration__/,
    );
  });

  test("a DynamoDB table's replica blocks are edges to the key of each replica's region", () => {
    const diagram = diagramOf({
      aws_dynamodb_table: {
        sessions: {
          provider: "aws.us_east_1",
          server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.primary.arn}" },
          replica: [{ region_name: "eu-west-1", kms_key_arn: "${aws_kms_replica_key.eu.arn}" }],
        },
      },
    });
    expect(diagram).toContain("    aws_dynamodb_table__sessions -->|encrypts with| aws_kms_key__primary");
    expect(diagram).toContain("    aws_dynamodb_table__sessions -->|replica encrypts with| aws_kms_replica_key__eu");
  });

  test("a reference to an alias is an edge to the alias", () => {
    const diagram = diagramOf({
      aws_sns_topic: { t: { provider: "aws.us_east_1", kms_master_key_id: "${aws_kms_alias.primary.arn}" } },
    });
    expect(diagram).toContain("    aws_sns_topic__t -->|encrypts with| aws_kms_alias__primary");
  });

  test("a reference inside jsonencode counts; an address in plain text does not", () => {
    const diagram = diagramOf({
      aws_cloudwatch_event_rule: {
        watch: { provider: "aws.us_east_1", event_pattern: '${jsonencode({"resources" = [aws_kms_key.primary.arn]})}' },
      },
      aws_sqs_queue: { mention: { provider: "aws.us_east_1", name: "about aws_kms_key.primary.arn" } },
    });
    expect(diagram).toContain("    aws_cloudwatch_event_rule__watch -->|watches| aws_kms_key__primary");
    expect(diagram).not.toContain("aws_sqs_queue__mention");
  });

  test("resources of one type in one region with the same edges share a node", () => {
    const diagram = diagramOf({
      aws_sqs_queue: {
        a: { provider: "aws.us_east_1", kms_master_key_id: "${aws_kms_key.primary.arn}" },
        b: { provider: "aws.us_east_1", kms_master_key_id: "${aws_kms_key.primary.arn}" },
        c: { provider: "aws.eu_west_1", kms_master_key_id: "${aws_kms_replica_key.eu.arn}" },
      },
    });
    expect(subgraph(diagram, "us-east-1")).toContain('aws_sqs_queue__a_and_1["2 SQS queues<br/>a<br/>b"]');
    expect(subgraph(diagram, "eu-west-1")).toContain('aws_sqs_queue__c["SQS queue<br/>aws_sqs_queue.c"]');
  });

  test("data sources are not drawn, even when they name a key", () => {
    const diagram = diagramOf(
      {},
      { aws_iam_policy_document: { p: { statement: [{ resources: ["${aws_kms_key.primary.arn}"] }] } } },
    );
    expect(diagram).not.toContain("aws_iam_policy_document");
  });
});

describe("npm run synth", () => {
  test("writes diagram.md beside each stack's cdk.tf, with the diagram in a mermaid block", () => {
    const outdir = mkdtempSync(join(tmpdir(), "mrk-diagram-"));
    try {
      const [dir] = synthHcl([DEFAULT_CONFIG], outdir);
      const written = readFileSync(join(dir, "diagram.md"), "utf8");
      expect(written).toBe(diagramMarkdown(stackFromFile()));
      expect(written).toContain(`\`\`\`mermaid\n${defaultDiagram}\n\`\`\``);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

test("docs/review-hcl.md shows the default stack's diagram as the synth draws it", () => {
  const page = readFileSync(join(__dirname, "..", "docs", "review-hcl.md"), "utf8");
  expect(page).toContain(`\`\`\`mermaid\n${defaultDiagram}\n\`\`\``);
});

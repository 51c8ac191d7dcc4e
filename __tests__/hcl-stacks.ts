/**
 * Stacks for the HCL writer's tests, and how they are rendered: the seed document's setup, and
 * a stack with every resource type the project uses (__tests__/hcl-render.test.ts, and
 * __tests__/terraform/hcl-terraform.test.ts, which runs Terraform on them).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import {
  App,
  Fn,
  LocalBackend,
  Op,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  VariableType,
} from "cdktf";
import { renderStackHcl } from "../lib/hcl";

export interface Rendered {
  readonly stack: TerraformStack;
  /** What renderStackHcl wrote. */
  readonly hcl: string;
  /** The cdk.tf.json app.synth() wrote for the stack. */
  readonly json: Record<string, unknown>;
}

/** Builds a stack, synthesizes its app (which runs aspects and adds the default backend), renders it. */
export function render(
  build: (stack: TerraformStack) => void,
  name = "test",
  options: { skipValidation?: boolean } = {},
): Rendered {
  const app = options.skipValidation ? new App({ outdir: Testing.app().outdir, skipValidation: true }) : Testing.app();
  const stack = new TerraformStack(app, name);
  build(stack);
  app.synth();
  const json = JSON.parse(readFileSync(join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  return { stack, hcl: renderStackHcl(stack), json };
}

/** The provider for us-east-1 as the seed names it. */
export function usEast1(stack: TerraformStack): AwsProvider {
  return new AwsProvider(stack, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
}

/** The seed document's setup: primary, two replicas, an alias in each region, the key policy. */
export function seedStack(stack: TerraformStack): { us: AwsProvider } {
  stack.addOverride("terraform.required_providers.aws.source", "hashicorp/aws");
  new LocalBackend(stack, { path: "../../../terraform.global-encrypt.tfstate" });
  const us = usEast1(stack);
  const eu = new AwsProvider(stack, "eu-west-1", { region: "eu-west-1", alias: "eu_west_1" });
  const apac = new AwsProvider(stack, "ap-southeast-1", { region: "ap-southeast-1", alias: "ap_southeast_1" });
  const application = new IamRole(stack, "application", {
    provider: us,
    name: "application",
    assumeRolePolicy: Fn.jsonencode({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  const keyPolicy = new DataAwsIamPolicyDocument(stack, "key_policy", {
    statement: [
      {
        sid: "EnableRootAccountAccess",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      {
        sid: "AllowApplicationAccess",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [application.arn] }],
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: ["*"],
      },
    ],
  });
  const primary = new KmsKey(stack, "primary-key", {
    provider: us,
    description: "Multi-region key for global encryption",
    multiRegion: true,
    enableKeyRotation: true,
    policy: keyPolicy.json,
  });
  primary.overrideLogicalId("primary");
  new KmsAlias(stack, "primary-alias", {
    provider: us,
    name: "alias/global-encrypt",
    targetKeyId: primary.keyId,
  }).overrideLogicalId("primary");
  const replicas = [
    { id: "eu", provider: eu, description: "Global encryption key - EU replica" },
    { id: "apac", provider: apac, description: "Global encryption key - APAC replica" },
  ];
  for (const { id, provider, description } of replicas) {
    const replica = new KmsReplicaKey(stack, id, { provider, description, primaryKeyArn: primary.arn, enabled: true });
    new KmsAlias(stack, `${id}-alias`, {
      provider,
      name: "alias/global-encrypt",
      targetKeyId: replica.keyId,
    }).overrideLogicalId(id);
  }
  return { us };
}

/** The seed's setup plus every other resource type the project uses, with the shapes that are easy to get wrong. */
export function kitchenSinkStack(stack: TerraformStack): void {
  const { us } = seedStack(stack);
  new AwsProvider(stack, "tagged", {
    region: "us-east-1",
    alias: "tagged",
    defaultTags: [{ tags: { Project: "mrk" } }],
  });
  const environment = new TerraformVariable(stack, "environment", { type: VariableType.STRING, default: "prod" });
  const prefix = new TerraformLocal(stack, "prefix", `mrk-${environment.stringValue}`);
  new TerraformLocal(stack, "expressions", {
    first: Fn.element(Fn.tolist([environment.stringValue, "b"]), 0),
    sum: Op.add(1, Op.negate(2)),
    long: Op.and(Op.gte(Fn.lengthOf(environment.stringValue), 1), Op.neq(environment.stringValue, "x")),
    chosen: Fn.conditional(Op.eq(environment.stringValue, "prod"), "p", "np"),
  });
  const key = new KmsKey(stack, "key", {
    provider: us,
    multiRegion: true,
    tags: { Name: "key", "aws:purpose": "test" },
  });
  const role = new IamRole(stack, "replication", {
    provider: us,
    name: `${prefix.asString}-replication`,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  new IamRolePolicy(stack, "replication-policy", {
    provider: us,
    role: role.id,
    policy: Fn.jsonencode({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: key.arn }],
    }),
  });
  const topicPolicy = new DataAwsIamPolicyDocument(stack, "topic-policy", {
    provider: us,
    statement: [
      {
        actions: ["sns:Publish"],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }],
      },
    ],
  });
  const source = new S3Bucket(stack, "source", { provider: us, bucket: "source", dependsOn: [key] });
  const versioning = new S3BucketVersioningA(stack, "source-versioning", {
    provider: us,
    bucket: source.id,
    versioningConfiguration: { status: "Enabled" },
  });
  new S3BucketServerSideEncryptionConfigurationA(stack, "source-encryption", {
    provider: us,
    bucket: source.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
        bucketKeyEnabled: true,
      },
    ],
  });
  new S3BucketPublicAccessBlock(stack, "source-public-access", {
    provider: us,
    bucket: source.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketReplicationConfigurationA(stack, "replication-configuration", {
    provider: us,
    dependsOn: [versioning],
    role: role.arn,
    bucket: source.id,
    rule: [
      {
        id: "all",
        status: "Enabled",
        filter: {},
        deleteMarkerReplication: { status: "Disabled" },
        destination: { bucket: "arn:aws:s3:::destination", encryptionConfiguration: { replicaKmsKeyId: key.arn } },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
      },
    ],
  });
  new DynamodbTable(stack, "table", {
    provider: us,
    name: "table",
    hashKey: "id",
    billingMode: "PAY_PER_REQUEST",
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    attribute: [{ name: "id", type: "S" }],
    replica: [
      { regionName: "eu-west-1", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/mrk-1" },
      { regionName: "ap-southeast-1", kmsKeyArn: "arn:aws:kms:ap-southeast-1:111111111111:key/mrk-1" },
    ],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
  });
  const topic = new SnsTopic(stack, "alerts", { provider: us, name: "alerts", kmsMasterKeyId: key.id });
  new SnsTopicPolicy(stack, "alerts-policy", { provider: us, arn: topic.arn, policy: topicPolicy.json });
  new CloudwatchMetricAlarm(stack, "encrypt-calls", {
    provider: us,
    alarmName: "encrypt-calls",
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 1,
    threshold: 100,
    alarmActions: [topic.arn],
    metricQuery: [
      {
        id: "calls",
        returnData: true,
        metric: {
          metricName: "CallCount",
          namespace: "AWS/Usage",
          period: 300,
          stat: "Sum",
          dimensions: { Service: "KMS", Type: "API", Resource: "Encrypt", Class: "None" },
        },
      },
    ],
  });
  const rule = new CloudwatchEventRule(stack, "key-events", {
    provider: us,
    name: "key-events",
    eventPattern: JSON.stringify({ source: ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"] }),
  });
  new CloudwatchEventTarget(stack, "key-events-target", { provider: us, rule: rule.name, arn: topic.arn });
  new CloudwatchDashboard(stack, "dashboard", {
    provider: us,
    dashboardName: "keys",
    dashboardBody: Fn.jsonencode({
      widgets: [{ type: "metric", properties: { metrics: [["AWS/Usage", "CallCount"]], region: "us-east-1" } }],
    }),
  });
  new TerraformOutput(stack, "key_arn", { value: key.arn, description: "The primary key's ARN" });
}

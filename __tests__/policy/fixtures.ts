/**
 * Small stacks for the policy tests, built from the constructs and the AWS provider's classes:
 * a compliant key set in us-east-1 (primary) and eu-west-1 (replica), which each test changes
 * in one way.
 */
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { TerraformStack, Testing } from "cdktf";
import { KeyPolicy, type KeyPolicyProps } from "../../lib/key-policy";
import { MultiRegionKey, type MultiRegionKeyProps } from "../../lib/multi-region-key";
import { checkStack, type PolicyCheckOptions, type PolicyReport } from "../../lib/policy/check";
import { RegionProviders } from "../../lib/region-providers";

export const ACCOUNT = "111111111111";
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
export const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdministrator`;
export const APP = `arn:aws:iam::${ACCOUNT}:role/Application`;
export const PRIMARY = "us-east-1";
export const REPLICA = "eu-west-1";

export interface KeySetFixture {
  readonly stack: TerraformStack;
  readonly providers: RegionProviders;
  readonly key: MultiRegionKey;
}

export interface KeySetChanges {
  /** Changes to the key policy of each region (`us-east-1`, `eu-west-1`). */
  readonly policy?: (region: string) => Partial<KeyPolicyProps>;
  /** Changes to the key's props. */
  readonly key?: Partial<MultiRegionKeyProps>;
  /** Regions of the providers. @default us-east-1, eu-west-1 */
  readonly regions?: readonly string[];
}

/**
 * A compliant key set: rotation on, a key policy per region (root, administrators, users),
 * the alias in both regions.
 */
export function keySet(changes: KeySetChanges = {}): KeySetFixture {
  const stack = new TerraformStack(Testing.app(), "test");
  const providers = new RegionProviders(stack, "providers", { regions: changes.regions ?? [PRIMARY, REPLICA] });
  const policy = (id: string, region: string) =>
    new KeyPolicy(stack, id, {
      accountId: ACCOUNT,
      provider: providers.forRegion(region),
      administrators: { principals: [ADMIN] },
      users: [{ sid: "AllowApplication", principals: [APP] }],
      keyRegions: providers.regions,
      ...changes.policy?.(region),
    });
  const key = new MultiRegionKey(stack, "key", {
    providers,
    primaryRegion: PRIMARY,
    aliasName: "alias/test",
    description: "test key",
    policy: policy("key_policy", PRIMARY).json,
    replicas: [{ region: REPLICA, name: "eu", policy: policy("eu_key_policy", REPLICA).json }],
    ...changes.key,
  });
  return { stack, providers, key };
}

/** A policy document of literal statements in a region, for policies KeyPolicy would refuse to build. */
export function rawPolicy(
  fixture: KeySetFixture,
  id: string,
  region: string,
  statements: DataAwsIamPolicyDocumentStatement[],
): DataAwsIamPolicyDocument {
  const document = new DataAwsIamPolicyDocument(fixture.stack, id, {
    provider: fixture.providers.forRegion(region),
    statement: statements,
  });
  document.overrideLogicalId(id);
  return document;
}

/** The account root statement every key policy starts with. */
export const rootStatement: DataAwsIamPolicyDocumentStatement = {
  sid: "EnableRootAccountAccess",
  effect: "Allow",
  principals: [{ type: "AWS", identifiers: [ROOT] }],
  actions: ["kms:*"],
  resources: ["*"],
};

/** The report of the rule pack on a stack. */
export function report(stack: TerraformStack, options: PolicyCheckOptions = {}): PolicyReport {
  return checkStack(stack, options);
}

/** `rule id @ address` of every finding, for compact expectations. */
export function findingIds(stack: TerraformStack, options: PolicyCheckOptions = {}): string[] {
  return report(stack, options).findings.map((f) => `${f.rule.id} @ ${f.address}`);
}

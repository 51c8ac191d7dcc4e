/**
 * Property-based tests (fast-check): random valid configs synthesize to well-formed Terraform
 * and pass every rule; random invalid configs always fail with an InvalidInputError that names
 * the field, never another exception; configs that break a rule fail the synth with its id.
 *
 * "Well-formed Terraform" is checked in process (no terraform binary, to keep `npm test` fast):
 * every reference names a declared resource or data source, every provider reference a
 * declared provider, the KMS resources have their required arguments, and every policy
 * statement is complete. `__tests__/terraform/` runs `terraform validate` on the examples.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import fc from "fast-check";
import { stackFromConfig } from "../../lib/config-app";
import type { Json } from "../../lib/json";
import type { KeySetStack } from "../../lib/key-set-stack";
import { PolicyViolationError } from "../../lib/policy/aspect";
import { checkStack, errorsOf } from "../../lib/policy/check";
import { COMMERCIAL_REGIONS } from "../../lib/regions";
import { InvalidInputError } from "../../lib/validation";
import type { ConfigFileJson as Config, StackJson, StatementJson } from "../helpers";

/** The settings of a key policy section (the generators never write "kms-default"). */
type KeyPolicySettings = Exclude<Config["keyPolicy"], string | undefined>;

/** A generated key policy section's settings, to change them in place. */
function settingsOf(keyPolicy: Config["keyPolicy"]): KeyPolicySettings {
  if (typeof keyPolicy !== "object")
    throw new Error(`not a generated key policy section: ${JSON.stringify(keyPolicy)}`);
  return keyPolicy;
}

// Stacks are only read in memory (toTerraform, Testing.synth): nothing is written here.
const OUTDIR = mkdtempSync(join(tmpdir(), "mrk-properties-"));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

// --- generators -----------------------------------------------------------------------------

const roleArn = (account: string, prefix: string) =>
  fc
    .stringMatching(/^[A-Za-z0-9][A-Za-z0-9+=,.@_-]{0,15}$/)
    .map((name) => `arn:aws:iam::${account}:role/${prefix}${name}`);

const userActions = fc.subarray(
  ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ReEncrypt*"],
  { minLength: 1 },
);

/** A key policy section: users (and maybe administrators) from disjoint pools of roles. */
const keyPolicy = (account: string, hasApplicationRole: boolean) =>
  fc.record(
    {
      rootSid: fc.constantFrom("EnableRootAccountAccess", "EnableRootAccess", "Root"),
      administrators: fc.record({
        principals: fc.uniqueArray(roleArn(account, "Admin"), { minLength: 1, maxLength: 2 }),
      }),
      users: fc
        .array(
          fc.record({
            principals: fc.uniqueArray(roleArn(account, "User"), {
              minLength: hasApplicationRole ? 0 : 1,
              maxLength: 3,
            }),
            applicationRole: fc.constant(hasApplicationRole),
            actions: userActions,
          }),
          { minLength: 1, maxLength: 3 },
        )
        .map((users) => users.map((user, i) => ({ ...user, sid: `Users${i}` }))),
    },
    { requiredKeys: ["rootSid", "users"] },
  );

const aliasName = fc
  .stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9/_-]{0,40}$/)
  .filter((name) => !name.startsWith("aws/"))
  .map((name) => `alias/${name}`);

/** A valid config: 2 to 5 regions, an alias, windows, rotation, key policies for every key. */
const validConfig: fc.Arbitrary<Config> = fc
  .record({
    account: fc.stringMatching(/^\d{12}$/),
    regions: fc.shuffledSubarray([...COMMERCIAL_REGIONS], { minLength: 2, maxLength: 5 }),
    alias: aliasName,
    window: fc.option(fc.integer({ min: 7, max: 30 }), { nil: undefined }),
    rotationPeriod: fc.option(fc.integer({ min: 90, max: 2560 }), { nil: undefined }),
    applicationRole: fc.boolean(),
    replicaNames: fc.boolean(),
    disabledReplica: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .chain((base) =>
    fc
      .record({
        primaryPolicy: keyPolicy(base.account, base.applicationRole),
        replicaPolicies: fc.array(keyPolicy(base.account, base.applicationRole), {
          minLength: base.regions.length - 1,
          maxLength: base.regions.length - 1,
        }),
        minimumWindow: fc.integer({ min: 7, max: base.window ?? 30 }),
      })
      .map(({ primaryPolicy, replicaPolicies, minimumWindow }): Config => {
        const [primaryRegion, ...replicaRegions] = base.regions;
        return {
          name: "prop",
          accountId: base.account,
          primaryRegion,
          alias: base.alias,
          description: "property test key",
          enableKeyRotation: true,
          ...(base.rotationPeriod ? { rotationPeriodInDays: base.rotationPeriod } : {}),
          ...(base.window ? { deletionWindowInDays: base.window } : {}),
          ...(base.applicationRole ? { applicationRole: { name: "prop-application" } } : {}),
          keyPolicy: primaryPolicy,
          replicas: replicaRegions.map((region, i) => ({
            region,
            ...(base.replicaNames ? { name: `r${i}` } : {}),
            ...(base.disabledReplica && i === 0 ? { enabled: false } : {}),
            keyPolicy: replicaPolicies[i],
          })),
          policy: { minimumDeletionWindowInDays: minimumWindow },
        };
      }),
  );

/** One change that makes a valid config invalid, with the field the error must name. */
type Mutation = { apply: (config: Config) => void; field: (config: Config) => string };

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom("xx-nowhere-1", "us-east-10", "EU-WEST-1", "").map((region) => ({
    apply: (c: Config) => (c.replicas[c.replicas.length - 1].region = region),
    field: (c: Config) => `replicas[${c.replicas.length - 1}].region`,
  })),
  fc.constant<Mutation>({
    apply: (c) =>
      (c.replicas[c.replicas.length - 1].region =
        c.replicas[0].region === c.replicas[c.replicas.length - 1].region ? c.primaryRegion : c.replicas[0].region),
    field: (c) => `replicas[${c.replicas.length - 1}].region`,
  }),
  fc.constant<Mutation>({ apply: (c) => (c.replicas[0].region = c.primaryRegion), field: () => "replicas[0].region" }),
  fc.constant<Mutation>({ apply: (c) => (c.replicas = []), field: () => "replicas" }),
  fc.constantFrom("global", "alias/aws/ebs", "alias/has space", "alias/", `alias/${"x".repeat(251)}`).map((alias) => ({
    apply: (c: Config) => (c.alias = alias),
    field: () => "alias",
  })),
  fc.oneof(fc.integer({ min: -5, max: 6 }), fc.integer({ min: 31, max: 400 }), fc.constant(7.5)).map((days) => ({
    apply: (c: Config) => (c.deletionWindowInDays = days),
    field: () => "deletionWindowInDays",
  })),
  fc.oneof(fc.integer({ min: 0, max: 89 }), fc.integer({ min: 2561, max: 9999 })).map((days) => ({
    apply: (c: Config) => (c.rotationPeriodInDays = days),
    field: () => "rotationPeriodInDays",
  })),
  fc
    .constantFrom("12345", "abcdefghijkl", "1111111111111")
    .map((id) => ({ apply: (c: Config) => (c.accountId = id), field: () => "accountId" })),
  fc.constantFrom("yes", 1, null).map((value) => ({
    apply: (c: Config) => ((c as Json).enableKeyRotation = value),
    field: () => "enableKeyRotation",
  })),
  fc.constantFrom("role/App", "*", "arn:aws:iam::*:root").map((principal) => ({
    apply: (c: Config) => (settingsOf(c.keyPolicy).users![0].principals = [principal]),
    field: () => "keyPolicy.users[0].principals[0]",
  })),
  fc.constantFrom("s3:GetObject", "kms:", "*").map((action) => ({
    apply: (c: Config) => (settingsOf(c.replicas[0].keyPolicy).users![0].actions = [action]),
    field: () => "replicas[0].keyPolicy.users[0].actions[0]",
  })),
  fc.constantFrom("short", "", "         x").map((reason) => ({
    apply: (c: Config) =>
      (c.policy = { ...c.policy, suppressions: [{ rule: "MRK-KMS-3", resource: "aws_kms_key.primary", reason }] }),
    field: () => "policy.suppressions[0].reason",
  })),
  fc.constantFrom("MRK-KMS-0", "CKV_AWS_7", "mrk-kms-1").map((rule) => ({
    apply: (c: Config) =>
      (c.policy = {
        ...c.policy,
        suppressions: [{ rule, resource: "aws_kms_key.primary", reason: "a reason long enough" }],
      }),
    field: () => "policy.suppressions[0].rule",
  })),
  fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 31, max: 90 })).map((days) => ({
    apply: (c: Config) => (c.policy = { ...c.policy, minimumDeletionWindowInDays: days }),
    field: () => "policy.minimumDeletionWindowInDays",
  })),
  fc
    .constantFrom("keyPolicies", "rotation", "Alias")
    .map((key) => ({ apply: (c: Config) => ((c as Json)[key] = true), field: () => `"${key}"` })),
);

// --- what a config becomes ------------------------------------------------------------------

function build(config: Config): KeySetStack {
  return stackFromConfig(new App({ outdir: OUTDIR }), config, "prop.json");
}

/** Problems that would make the synthesized JSON fail `terraform validate`, found without terraform. */
function terraformProblems(json: StackJson): string[] {
  const problems: string[] = [];
  const declared = new Set<string>();
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const name of Object.keys(byName)) declared.add(`${kind === "data" ? "data." : ""}${type}.${name}`);
    }
  }
  const providers = new Set((json.provider?.aws ?? []).map((p) => (p.alias ? `aws.${p.alias}` : "aws")));
  const text = JSON.stringify({ resource: json.resource, data: json.data, output: json.output });
  for (const [, expression] of text.matchAll(/\$\{([^}]*)\}/g)) {
    const parts = expression.split(".");
    const address = parts[0] === "data" ? parts.slice(0, 3).join(".") : parts.slice(0, 2).join(".");
    if (!declared.has(address)) problems.push(`\${${expression}} refers to ${address}, which is not declared`);
  }
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, config] of Object.entries(byName)) {
        if (typeof config.provider === "string" && !providers.has(config.provider))
          problems.push(`${type}.${name}: provider ${config.provider} is not declared`);
      }
    }
  }
  const required: Record<string, string[]> = {
    aws_kms_key: ["multi_region"],
    aws_kms_replica_key: ["primary_key_arn"],
    aws_kms_alias: ["name", "target_key_id"],
    aws_iam_role: ["assume_role_policy"],
  };
  for (const [type, names] of Object.entries(required)) {
    for (const [name, config] of Object.entries<Record<string, unknown>>(json.resource?.[type] ?? {})) {
      for (const argument of names)
        if (config[argument] === undefined) problems.push(`${type}.${name}: ${argument} is missing`);
    }
  }
  for (const [name, document] of Object.entries(json.data?.aws_iam_policy_document ?? {})) {
    (document.statement as StatementJson[]).forEach((statement, i) => {
      if (statement.effect !== "Allow" && statement.effect !== "Deny")
        problems.push(`${name}.statement[${i}]: effect ${statement.effect}`);
      if (!statement.actions?.length) problems.push(`${name}.statement[${i}]: no actions`);
      if (!statement.principals?.every((p) => p.identifiers.length > 0))
        problems.push(`${name}.statement[${i}]: empty principals`);
    });
  }
  const requiredProviders = json.terraform?.required_providers as { aws?: { source?: string } } | undefined;
  if (requiredProviders?.aws?.source !== "hashicorp/aws") problems.push("terraform.required_providers.aws is missing");
  return problems;
}

// --- the properties -------------------------------------------------------------------------

describe("random valid configs", () => {
  test("synthesize to well-formed Terraform with a key and the alias in every region, and pass every rule", () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        const stack = build(config);
        const json = stack.toTerraform() as StackJson;
        expect(terraformProblems(json)).toEqual([]);
        // A key and the alias in every region the config names.
        const regions = [config.primaryRegion, ...config.replicas.map((r) => r.region)];
        expect(Object.keys(json.output.key_arns.value as Record<string, string>).sort()).toEqual([...regions].sort());
        expect(Object.values(json.resource.aws_kms_alias).map((a) => a.name)).toEqual(regions.map(() => config.alias));
        const report = checkStack(stack, { ...stack.config.policy, accountId: stack.config.accountId }, json);
        expect(errorsOf(report).map((f) => f.rule.id)).toEqual([]);
        expect(report.suppressed).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});

describe("random invalid configs", () => {
  test("always fail with an InvalidInputError that names the field, never a crash", () => {
    fc.assert(
      fc.property(validConfig, mutations, (generated, mutation) => {
        const config = structuredClone(generated);
        mutation.apply(config);
        let thrown: unknown;
        try {
          build(config);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidInputError);
        const message = (thrown as Error).message;
        expect(message).toContain(mutation.field(config));
        expect(message.startsWith("prop.json: ")).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe("random configs that break a rule", () => {
  const breaks: fc.Arbitrary<{ apply: (c: Config) => void; rule: string }> = fc.constantFrom(
    {
      apply: (c: Config) => {
        c.enableKeyRotation = false;
        delete c.rotationPeriodInDays;
      },
      rule: "[MRK-KMS-1] aws_kms_key.primary",
    },
    { apply: (c: Config) => (c.replicas[0].keyPolicy = "kms-default"), rule: "[MRK-KMS-3] aws_kms_replica_key." },
    {
      apply: (c: Config) => {
        c.deletionWindowInDays = 7;
        c.policy = { ...c.policy, minimumDeletionWindowInDays: 8 };
      },
      rule: "[MRK-KMS-5] aws_kms_key.primary",
    },
    {
      // One role both administers and decrypts with the primary key.
      apply: (c: Config) => {
        const both = `arn:aws:iam::${c.accountId}:role/Both`;
        const keyPolicy = settingsOf(c.keyPolicy);
        keyPolicy.administrators = { principals: [both] };
        keyPolicy.users![0].principals!.push(both);
        keyPolicy.users![0].actions = ["kms:Decrypt"];
      },
      rule: "[MRK-KMS-9] aws_kms_key.primary",
    },
  );

  test("fail the synth with the rule id, the address and a fix", () => {
    fc.assert(
      fc.property(validConfig, breaks, (generated, change) => {
        // fast-check reuses generated values while shrinking: change a copy.
        const config = structuredClone(generated);
        change.apply(config);
        // A config stack runs the rule pack itself when it synthesizes (with its validations).
        const stack = build(config);
        let thrown: unknown;
        const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
        try {
          Testing.synth(stack, true);
        } catch (error) {
          thrown = error;
        } finally {
          stderr.mockRestore();
        }
        expect(thrown).toBeInstanceOf(PolicyViolationError);
        expect((thrown as Error).message).toContain(change.rule);
        expect((thrown as Error).message).toMatch(/ Fix: /);
      }),
      { numRuns: 20 },
    );
  });
});

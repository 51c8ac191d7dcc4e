/**
 * The rule pack at synth time, as an aspect (RulePack): every config stack adds it to itself,
 * and a stack of your own adds it in one line. Errors fail the synth with the rule id, the
 * address and the fix; a passing report (warnings, suppressions) goes to standard output.
 */

import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { App, Aspects, type IAspect, Testing } from "cdktf";
import { buildStacks, exitOnInvalidInput } from "../../lib/config-app";
import { PolicyViolationError, RulePack } from "../../lib/policy/aspect";
import { checkStack, errorsOf, type PolicyReport } from "../../lib/policy/check";
import { suppress } from "../../lib/policy/suppressions";
import { InvalidInputError } from "../../lib/validation";
import { DEFAULT_CONFIG } from "../../stacks/app";
import { defaultConfigObject, EXAMPLE_CONFIGS_DIR, stackFromFile, stackFromObject } from "../helpers";
import { keySet, REPLICA } from "./fixtures";

const FIVE_REGIONS = join(EXAMPLE_CONFIGS_DIR, "five-regions.json");

/** Writes a config object to a temporary file, as a user's config file. */
function configFile(config: Record<string, unknown>, name = "test-config.json"): string {
  const path = join(tmpdir(), `mrk-policy-${process.pid}-${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** Runs `synth` with standard output and error captured; returns what each got and the error thrown. */
function captured(synth: () => void): { stdout: string; stderr: string; error?: Error } {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((text) => Boolean(out.push(String(text))));
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((text) => Boolean(err.push(String(text))));
  try {
    synth();
    return { stdout: out.join(""), stderr: err.join("") };
  } catch (error) {
    return { stdout: out.join(""), stderr: err.join(""), error: error as Error };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/**
 * Builds the app's stacks from config files and synthesizes them, as `cdktf synth` does (and as
 * `mrk synth` does when `hclOutdir` is given: the HCL written there).
 */
function synthApp(paths: string[], outdir = Testing.app().outdir, hclOutdir?: string) {
  return captured(() => {
    const app = new App({ outdir });
    buildStacks(app, paths, { hclOutdir });
    app.synth();
  });
}

/** `synthApp` as `cdktf synth --hcl` runs the app (SYNTH_HCL_OUTPUT=true), or as `cdktf synth` does. */
function synthAppAs(format: "hcl" | "json", paths: string[], outdir: string) {
  const before = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(format === "hcl");
  try {
    return synthApp(paths, outdir);
  } finally {
    if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = before;
  }
}

const withoutRotation = () => {
  const config = defaultConfigObject();
  config.enableKeyRotation = false;
  return config;
};

describe("the default stack", () => {
  test("breaks only the explicit-policy rule on the APAC replica, which its config suppresses with the reason", () => {
    const report = checkStack(stackFromFile(), {
      ...stackFromFile().config.policy,
      source: "stacks/global-encrypt.json",
    });
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((f) => `${f.rule.id} @ ${f.address}`)).toEqual([
      "MRK-KMS-3 @ aws_kms_replica_key.apac",
    ]);
    expect(report.suppressed[0].suppression.reason).toMatch(/reference document leaves the APAC replica/);
    expect(report.unusedSuppressions).toEqual([]);
  });

  test("synthesizes, and the synth prints the suppression to standard output", () => {
    const { stdout, stderr, error } = synthApp([DEFAULT_CONFIG]);
    expect(error).toBeUndefined();
    expect(stderr).toBe("");
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("policy global-encrypt: 19 rules, 0 errors, 0 warnings, 1 suppressed");
    expect(lines[1]).toMatch(
      /^ {2}suppressed \[MRK-KMS-3\] aws_kms_replica_key\.apac: The reference document .* \(.*global-encrypt\.json: policy\.suppressions\[0\]\)$/,
    );
  });

  test("fails the synth with the rule id, the address and the fix when rotation is off", () => {
    const { error } = synthApp([configFile(withoutRotation())]);
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error!.message).toMatch(/stack global-encrypt breaks 1 policy rule:/);
    expect(error!.message).toContain(
      '  [MRK-KMS-1] aws_kms_key.primary: enable_key_rotation is false, so the key material is never rotated. Fix: set "enableKeyRotation": true in the config',
    );
  });

  test("leaves no Terraform JSON or HCL of a stack that breaks a rule, from this synth or an earlier one", () => {
    const outdir = Testing.app().outdir;
    const hclOutdir = join(outdir, "hcl");
    const synth = (paths: string[]) => synthApp(paths, outdir, hclOutdir);
    const good = configFile(defaultConfigObject());
    expect(synth([FIVE_REGIONS, good]).error).toBeUndefined();
    expect(existsSync(join(outdir, "stacks", "global-encrypt", "cdk.tf.json"))).toBe(true);
    expect(existsSync(join(hclOutdir, "stacks", "global-encrypt", "cdk.tf"))).toBe(true);

    writeFileSync(good, JSON.stringify(withoutRotation()));
    expect(synth([FIVE_REGIONS, good]).error).toBeInstanceOf(PolicyViolationError);
    expect(existsSync(join(outdir, "stacks", "five-regions", "cdk.tf.json"))).toBe(true);
    expect(existsSync(join(hclOutdir, "stacks", "five-regions", "cdk.tf"))).toBe(true);
    expect(existsSync(join(outdir, "stacks", "global-encrypt", "cdk.tf.json"))).toBe(false);
    expect(existsSync(join(hclOutdir, "stacks", "global-encrypt", "cdk.tf"))).toBe(false);
    expect(existsSync(join(hclOutdir, "stacks", "global-encrypt", "diagram.md"))).toBe(false);
  });

  test("leaves none of an earlier synth of a config its constructs refuse, but Terraform's own files stay", () => {
    const outdir = Testing.app().outdir;
    const hclOutdir = join(outdir, "hcl");
    const synth = (path: string) => synthApp([path], outdir, hclOutdir);
    const config = configFile(defaultConfigObject());
    expect(synth(config).error).toBeUndefined();
    const hclDir = join(hclOutdir, "stacks", "global-encrypt");
    writeFileSync(join(hclDir, ".terraform.lock.hcl"), "# terraform init wrote this\n");

    writeFileSync(config, JSON.stringify({ ...defaultConfigObject(), primaryRegion: "us-east-9" }));
    const refused = synth(config).error;
    expect(refused?.message).toMatch(/primaryRegion: "us-east-9" is not an AWS region/);
    expect(readdirSync(join(outdir, "stacks", "global-encrypt"))).toEqual([]);
    expect(readdirSync(hclDir)).toEqual([".terraform.lock.hcl"]);
  });

  test.each([
    ["not JSON", (text: string) => text.replace(/}\s*$/, "")],
    ["a key given twice", (text: string) => text.replace(/^{/, '{ "primaryRegion": "eu-west-1",')],
    ["a byte-order mark", (text: string) => `\uFEFF${text}`],
  ])(
    "leaves none of an earlier synth of a config file refused before it is a config (%s), the stack named by its name",
    (_, spoil) => {
      const outdir = Testing.app().outdir;
      const hclOutdir = join(outdir, "hcl");
      const synth = (path: string) => synthApp([path], outdir, hclOutdir);
      const config = configFile(defaultConfigObject());
      expect(synth(config).error).toBeUndefined();
      writeFileSync(config, spoil(JSON.stringify(defaultConfigObject(), null, 2)));
      expect(synth(config).error).toBeInstanceOf(InvalidInputError);
      expect(readdirSync(join(outdir, "stacks", "global-encrypt"))).toEqual([]);
      expect(readdirSync(join(hclOutdir, "stacks", "global-encrypt"))).toEqual([]);
    },
  );

  test("keeps one format in the stack's folder of cdktf's output, after synths with and without --hcl in either order", () => {
    // Terraform reads cdk.tf and cdk.tf.json together: "Duplicate required providers configuration".
    const outdir = Testing.app().outdir;
    const files = () => readdirSync(join(outdir, "stacks", "global-encrypt")).sort();
    expect(synthAppAs("hcl", [DEFAULT_CONFIG], outdir).error).toBeUndefined();
    expect(files()).toEqual(["cdk.tf", "metadata.json"]);
    expect(synthAppAs("json", [DEFAULT_CONFIG], outdir).error).toBeUndefined();
    expect(files()).toEqual(["cdk.tf.json"]);
    expect(synthAppAs("hcl", [DEFAULT_CONFIG], outdir).error).toBeUndefined();
    expect(files()).toEqual(["cdk.tf", "metadata.json"]);
  });

  test("leaves neither format of a stack that breaks a rule, whichever an earlier synth wrote", () => {
    const outdir = Testing.app().outdir;
    const config = configFile(defaultConfigObject());
    expect(synthAppAs("hcl", [config], outdir).error).toBeUndefined();
    writeFileSync(config, JSON.stringify(withoutRotation()));
    expect(synthAppAs("json", [config], outdir).error).toBeInstanceOf(PolicyViolationError);
    expect(readdirSync(join(outdir, "stacks", "global-encrypt")).filter((file) => file.startsWith("cdk.tf"))).toEqual(
      [],
    );
  });

  test("fails `npm run synth` the same way (lib/cli/synth.ts)", () => {
    const { synthHcl } = require("../../lib/cli/synth") as typeof import("../../lib/cli/synth");
    const out = join(tmpdir(), `mrk-policy-hcl-${process.pid}`);
    const { error } = captured(() => synthHcl([configFile(withoutRotation())], out));
    expect(error?.message).toMatch(/\[MRK-KMS-1\] aws_kms_key\.primary: .* Fix: /);
  });

  test("is printed as one clean message, not a stack trace (exitOnInvalidInput)", () => {
    const written: string[] = [];
    const stderr = jest
      .spyOn(process.stderr, "write")
      .mockImplementation((text) => Boolean(written.push(String(text))));
    const exit = jest.spyOn(process, "exit").mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const path = configFile(withoutRotation());
    try {
      // main.ts, as `cdktf synth` runs it.
      expect(() =>
        exitOnInvalidInput(() => {
          const app = new App({ outdir: Testing.app().outdir });
          buildStacks(app, [path]);
          app.synth();
        }),
      ).toThrow("exit 1");
    } finally {
      stderr.mockRestore();
      exit.mockRestore();
    }
    const message = written.join("");
    expect(message).toMatch(
      /\nError: .*stack global-encrypt breaks 1 policy rule:\n {2}\[MRK-KMS-1\] aws_kms_key\.primary: /,
    );
    expect(message).not.toMatch(/\n\s+at /);
  });
});

describe("the five-regions example", () => {
  test("passes every rule without a suppression or a warning", () => {
    const { stdout, stderr, error } = synthApp([FIVE_REGIONS]);
    expect(error).toBeUndefined();
    expect(stderr).toBe("");
    expect(stdout).toBe("policy five-regions: 19 rules, 0 errors, 0 warnings, 0 suppressed\n");
  });
});

describe("warnings", () => {
  test("are printed and do not fail the synth", () => {
    const config = defaultConfigObject();
    config.replicas[0].enabled = false;
    const { stdout, error } = synthApp([configFile(config)]);
    expect(error).toBeUndefined();
    expect(stdout).toMatch(
      /^policy global-encrypt: 19 rules, 0 errors, 1 warning, 1 suppressed\n {2}warning \[MRK-KMS-4\] aws_kms_replica_key\.eu: enabled is false, .* Fix: /,
    );
  });
});

describe("suppressions in the config", () => {
  const withSuppressions = (suppressions: unknown[]) => ({ ...defaultConfigObject(), policy: { suppressions } });

  test("silence the finding they name and are listed", () => {
    const config = withoutRotation();
    config.policy!.suppressions!.push({
      rule: "MRK-KMS-1",
      resource: "aws_kms_key.primary",
      reason: "Rotation is handled by our own re-encryption job.",
    });
    const { stdout, error } = synthApp([configFile(config)]);
    expect(error).toBeUndefined();
    expect(stdout).toMatch(
      / 2 suppressed\n {2}suppressed \[MRK-KMS-1\] aws_kms_key\.primary: Rotation is handled by our own re-encryption job\. \(.*: policy\.suppressions\[1\]\)\n {2}suppressed \[MRK-KMS-3\] /,
    );
  });

  test.each<[string, unknown, RegExp]>([
    [
      "an unknown rule",
      { rule: "MRK-KMS-99", resource: "aws_kms_replica_key.apac", reason: "a long enough reason" },
      /policy\.suppressions\[0\]\.rule: "MRK-KMS-99" is not a rule of the policy pack \(MRK-KMS-1, /,
    ],
    [
      "a short reason",
      { rule: "MRK-KMS-3", resource: "aws_kms_replica_key.apac", reason: "legacy" },
      /policy\.suppressions\[0\]\.reason: "legacy" must say why the rule does not apply, in at least 10 characters/,
    ],
    [
      "no reason",
      { rule: "MRK-KMS-3", resource: "aws_kms_replica_key.apac" },
      /policy\.suppressions\[0\]\.reason: is required/,
    ],
    [
      "a malformed address",
      { rule: "MRK-KMS-3", resource: "apac", reason: "a long enough reason" },
      /policy\.suppressions\[0\]\.resource: "apac" must be a resource address/,
    ],
  ])("refuse %s when the config is read", (_, suppression, message) => {
    expect(() => stackFromObject(withSuppressions([suppression]))).toThrow(InvalidInputError);
    expect(() => stackFromObject(withSuppressions([suppression]))).toThrow(message);
  });

  test("refuse an address the stack does not have, naming the stack's resources", () => {
    const { error } = synthApp([
      configFile(
        withSuppressions([{ rule: "MRK-KMS-3", resource: "aws_kms_replica_key.asia", reason: "a long enough reason" }]),
      ),
    ]);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error!.message).toMatch(
      /policy\.suppressions\[0\]\.resource: "aws_kms_replica_key\.asia" is not a resource of stack global-encrypt; its resources are .*aws_kms_replica_key\.apac/,
    );
  });

  test("that match nothing are listed as unused", () => {
    const config = defaultConfigObject();
    config.policy!.suppressions!.push({
      rule: "MRK-KMS-1",
      resource: "aws_kms_key.primary",
      reason: "Kept from an older setup on purpose.",
    });
    const { stdout } = synthApp([configFile(config)]);
    expect(stdout.split("\n")).toContainEqual(
      expect.stringMatching(/unused suppression \[MRK-KMS-1\] aws_kms_key\.primary .*remove the suppression/),
    );
  });

  test("set the minimum deletion window", () => {
    const config = defaultConfigObject();
    config.deletionWindowInDays = 10;
    expect(synthApp([configFile(config)]).error?.message).toMatch(
      /\[MRK-KMS-5\] aws_kms_key\.primary: deletion_window_in_days is 10, below the minimum of 30 days/,
    );
    config.policy = { ...config.policy, minimumDeletionWindowInDays: 10 };
    expect(synthApp([configFile(config)]).error).toBeUndefined();
  });

  test("refuse a minimum deletion window out of KMS's range", () => {
    const config = defaultConfigObject();
    config.policy = { ...config.policy, minimumDeletionWindowInDays: 3 };
    expect(() => stackFromObject(config)).toThrow("policy.minimumDeletionWindowInDays: 3 must be from 7 to 30 days");
  });
});

describe("suppress() from TypeScript", () => {
  test("silences the rule on the construct's resources and says where it was declared", () => {
    const fixture = keySet({ key: { replicas: [{ region: REPLICA, name: "eu", keyPolicy: "kms-default" }] } });
    suppress(fixture.key, "MRK-KMS-3", "The EU replica gets its policy from the security team's pipeline.");
    const report = checkStack(fixture.stack);
    expect(errorsOf(report)).toEqual([]);
    expect(report.suppressed.map((f) => [f.address, f.suppression.origin])).toEqual([
      ["aws_kms_replica_key.eu", "suppress() on test/key"],
    ]);
  });

  test.each<[string, string, string]>([
    ["an unknown rule", "MRK-NOPE", 'suppress(test/key) ruleId: "MRK-NOPE" is not a rule of the policy pack'],
    [
      "a short reason",
      "MRK-KMS-3",
      'suppress(test/key) reason: "because" must say why the rule does not apply, in at least 10 characters',
    ],
  ])("refuses %s", (_, rule, message) => {
    const fixture = keySet();
    expect(() => suppress(fixture.key, rule, "because")).toThrow(message);
  });
});

describe("RulePack on a stack of your own", () => {
  test("annotates each resource with its findings (error, warning, info for a suppressed one)", () => {
    const fixture = keySet({ key: { enableKeyRotation: false } });
    fixture.key.replicaKeys.get(REPLICA)!.addOverride("enabled", false);
    suppress(fixture.key.replicaKeys.get(REPLICA)!, "MRK-KMS-4", "Disabled while the EU region is being retired.");
    Aspects.of(fixture.stack).add(new RulePack({ failOnError: false, report: () => undefined }));
    Testing.synth(fixture.stack, true);
    const annotations = (construct: { node: { metadata: { type: string; data: unknown }[] } }) =>
      construct.node.metadata.filter((m) => m.type.startsWith("@cdktf/")).map((m) => `${m.type} ${m.data}`);
    expect(annotations(fixture.key.primaryKey)).toEqual([
      expect.stringMatching(/^@cdktf\/error \[MRK-KMS-1\] aws_kms_key\.primary: /),
    ]);
    expect(annotations(fixture.key.replicaKeys.get(REPLICA)!)).toEqual([
      "@cdktf/info [MRK-KMS-4] suppressed: Disabled while the EU region is being retired.",
    ]);
  });

  test("checks the stack after every other aspect, so it sees what a later aspect changed", () => {
    const reports: PolicyReport[] = [];
    const fixture = keySet();
    Aspects.of(fixture.stack).add(new RulePack({ report: (report) => reports.push(report), failOnError: false }));
    const rotationOff: IAspect = {
      visit: (node) => {
        if (node instanceof KmsKey) node.enableKeyRotation = false;
      },
    };
    Aspects.of(fixture.stack).add(rotationOff);
    Testing.synth(fixture.stack, true);
    expect(reports.map((report) => report.findings.map((f) => `${f.rule.id} @ ${f.address}`))).toEqual([
      ["MRK-KMS-1 @ aws_kms_key.primary"],
    ]);
  });

  test("fails the synth of a stack that breaks a rule", () => {
    const fixture = keySet({ key: { enableKeyRotation: false } });
    Aspects.of(fixture.stack).add(new RulePack({ report: () => undefined }));
    expect(() => Testing.synth(fixture.stack, true)).toThrow(
      /stack test breaks 1 policy rule:\n {2}\[MRK-KMS-1\] aws_kms_key\.primary: /,
    );
  });
});

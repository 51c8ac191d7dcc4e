/**
 * `mrk check <plan.json>` and `mrk access <plan.json>` on real plans: findings with their
 * addresses and files, exit codes, the policy file, and reports that the official SARIF 2.1.0
 * schema and the JUnit schema CI readers use accept.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Ajv, { type ValidateFunction } from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import { SourceLocator } from "../../lib/plan/source-locations";
import { REPO_ROOT, runMrk } from "../cli";
import { xsdComplaints } from "../schemas/xsd";
import { loadPlan, PLANS_DIR, planPath } from "./fixtures";

const SCHEMAS = join(__dirname, "..", "schemas");
const FIXTURES = join(__dirname, "..", "fixtures");
const work = mkdtempSync(join(tmpdir(), "mrk-check-"));
const inRepo = (path: string) => relative(REPO_ROOT, path);

function writeJson(name: string, value: unknown): string {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe("mrk check, text", () => {
  test("prints each finding with its address and the file and line of its block, and exits 1 on errors", async () => {
    const result = await runMrk(["check", inRepo(planPath("bad-rotation-off"))]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: "" });
    expect(result.stdout).toContain(
      '[MRK-KMS-1] aws_kms_key.primary: enable_key_rotation is false, so the key material is never rotated. Fix: set "enableKeyRotation": true in the config (enable_key_rotation = true on the aws_kms_key). (__tests__/fixtures/plans/bad-rotation-off/main.tf:29)',
    );
    expect(result.stdout).toMatch(/\n1 error, 0 warnings, 0 suppressed\n$/);
  });

  test("lists what the plan knows only after apply", async () => {
    const result = await runMrk(["check", inRepo(planPath("module-keys"))]);
    expect(result.stdout).toContain("[MRK-KMS-3] aws_kms_key.batch[0]:");
    expect(result.stdout).toContain("(__tests__/fixtures/plans/module-keys/main.tf:40)");
    expect(result.stdout).toContain(
      "Known only after apply, so the rules could not judge them:\n  aws_kms_alias.batch[0] target_key_id (from aws_kms_key.batch, count.index)",
    );
  });

  test("the seed's plan, checked with --root where its .tf files are, points at seed.tf", async () => {
    const result = await runMrk(["check", inRepo(planPath("seed")), "--root", inRepo(FIXTURES)]);
    expect(result.stdout).toContain("[MRK-KMS-3] aws_kms_replica_key.eu: the replica has no key policy");
    expect(result.stdout).toContain("(__tests__/fixtures/seed.tf:24)");
    expect(result).toExitWith(1);
  });

  test("the default stack's plan passes with the default stack's config file (its suppression)", async () => {
    const result = await runMrk(["check", inRepo(planPath("default-stack")), "--config", "stacks/global-encrypt.json"]);
    expect({ code: result.code, summary: result.stdout.trim().split("\n").pop() }).toEqual({
      code: 0,
      summary: "0 errors, 0 warnings, 1 suppressed",
    });
    expect(result.stdout).toContain(
      "Suppressed:\n  [MRK-KMS-3] aws_kms_replica_key.apac: The reference document leaves the APAC replica",
    );
  });

  test("a policy file's suppression of a block address covers each of its instances", async () => {
    const policy = writeJson("policy.json", {
      policy: {
        suppressions: [
          {
            rule: "MRK-KMS-3",
            resource: "aws_kms_key.batch",
            reason: "batch keys use KMS's default key policy on purpose",
          },
        ],
      },
    });
    const result = await runMrk(["check", inRepo(planPath("module-keys")), "--config", policy]);
    expect({ code: result.code, summary: result.stdout.trim().split("\n").pop() }).toEqual({
      code: 0,
      summary: "0 errors, 0 warnings, 2 suppressed",
    });
  });

  test("a policy file's options reach the rules: a lower minimum deletion window", async () => {
    const policy = writeJson("window.json", { policy: { minimumDeletionWindowInDays: 7 } });
    const result = await runMrk(["check", inRepo(planPath("bad-deletion-window")), "--config", policy]);
    expect(result).toExitWith(0);
  });

  test("a suppression naming no resource of the plan is refused with one line naming the file and the field", async () => {
    const policy = writeJson("wrong.json", {
      policy: { suppressions: [{ rule: "MRK-KMS-1", resource: "aws_kms_key.nope", reason: "a reason long enough" }] },
    });
    const result = await runMrk(["check", inRepo(planPath("bad-rotation-off")), "--config", policy]);
    expect(result).toExitWith(1);
    expect(result.stderr).toMatch(
      /^Error: .*wrong\.json: policy\.suppressions\[0\]\.resource: "aws_kms_key\.nope" is not a resource of stack plan\.json/,
    );
  });

  test.each([
    [[], "Error: <plan.json>: missing; give the output of terraform show -json <planfile>, or - for stdin"],
    [["a.json", "b.json"], "Error: b.json: unexpected argument; give one plan file"],
    [["a.json", "--format", "html"], 'Error: --format: "html" is not one of text, sarif, junit'],
  ])("usage errors exit 2: %j", async (args, message) => {
    const result = await runMrk(["check", ...args]);
    expect({ code: result.code, first: result.stderr.split("\n")[0] }).toEqual({ code: 2, first: message });
  });
});

describe("where a resource is written", () => {
  const root = join(PLANS_DIR, "module-keys");
  const locator = new SourceLocator(root, loadPlan("module-keys"));
  const at = (address: string) => {
    const found = locator.locate(address);
    return found && `${relative(root, found.file)}:${found.line}`;
  };

  test("a resource of a local child module is in the module's file, whichever instance", () => {
    expect(at('module.keys["orders"].aws_kms_replica_key.replica')).toBe(
      join("modules", "multi-region-key", "main.tf:51"),
    );
    expect(at('module.keys["payments"].aws_kms_key.this')).toBe(join("modules", "multi-region-key", "main.tf:37"));
    expect(at("aws_kms_key.batch[1]")).toBe("main.tf:40");
  });

  test("a resource of a module that is not in the project is at the module call", () => {
    const plan = loadPlan("module-keys");
    const registry = {
      ...plan,
      configuration: {
        ...plan.configuration,
        root_module: {
          ...plan.configuration!.root_module,
          module_calls: {
            keys: { ...plan.configuration!.root_module!.module_calls!.keys, source: "terraform-aws-modules/kms/aws" },
          },
        },
      },
    };
    expect(new SourceLocator(root, registry).locate('module.keys["orders"].aws_kms_key.this')).toEqual({
      file: join(root, "main.tf"),
      line: 28,
    });
  });
});

describe("mrk check --format sarif", () => {
  let log: Log;
  let stdout: string;
  let code: number;

  /** The official schema, compiled once for the tests below. */
  let validate: ValidateFunction;

  beforeAll(async () => {
    // No optimizing pass over the code ajv generates: the schema is compiled for a few
    // validations (0.22 s against 0.37 s to compile); what it accepts is the same.
    const ajv = new Ajv({ allErrors: true, strict: false, code: { optimize: false } });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, "sarif-schema-2.1.0.json"), "utf8")));
    const output = join(work, "results.sarif");
    ({ code, stdout } = await runMrk([
      "check",
      inRepo(planPath("module-keys")),
      "--format",
      "sarif",
      "--output",
      output,
    ]));
    log = JSON.parse(readFileSync(output, "utf8"));
  });

  test("is valid against the official SARIF 2.1.0 JSON schema", () => {
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
  });

  test("the schema check can fail: a result without a message is refused", () => {
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
  });

  test("describes every rule with what GitHub code scanning requires", () => {
    const rules = log.runs[0].tool.driver.rules ?? [];
    expect(rules.length).toBeGreaterThanOrEqual(14);
    for (const rule of rules) {
      expect({
        id: rule.id,
        short: Boolean(rule.shortDescription?.text) && rule.shortDescription!.text.length <= 1024,
        full: Boolean(rule.fullDescription?.text) && rule.fullDescription!.text.length <= 1024,
        help: Boolean(rule.help?.text),
        level: ["error", "warning"].includes(String(rule.defaultConfiguration?.level)),
        severity: rule.properties?.["security-severity"],
      }).toEqual({
        id: rule.id,
        short: true,
        full: true,
        help: true,
        level: true,
        severity: rule.defaultConfiguration?.level === "error" ? "7.5" : "5.0",
      });
    }
  });

  test("gives each finding its rule, level, message and a repository-relative file and line", () => {
    const rules = log.runs[0].tool.driver.rules ?? [];
    const results = log.runs[0].results ?? [];
    expect(
      results.map((r) => ({
        rule: r.ruleId,
        indexed: rules[r.ruleIndex ?? -1]?.id,
        level: r.level,
        address: r.locations?.[0].logicalLocations?.[0].fullyQualifiedName,
        file: r.locations?.[0].physicalLocation?.artifactLocation?.uri,
        line: r.locations?.[0].physicalLocation?.region?.startLine,
      })),
    ).toEqual([
      {
        rule: "MRK-KMS-3",
        indexed: "MRK-KMS-3",
        level: "error",
        address: "aws_kms_key.batch[0]",
        file: "__tests__/fixtures/plans/module-keys/main.tf",
        line: 40,
      },
      {
        rule: "MRK-KMS-3",
        indexed: "MRK-KMS-3",
        level: "error",
        address: "aws_kms_key.batch[1]",
        file: "__tests__/fixtures/plans/module-keys/main.tf",
        line: 40,
      },
    ]);
    expect(results[0].message.text).toMatch(/^\[MRK-KMS-3\] aws_kms_key\.batch\[0\]: the key has no key policy/);
  });

  test("prints the text report when it writes the SARIF to a file, and keeps the exit code", () => {
    expect({ code, tail: stdout.trim().split("\n").slice(-2) }).toEqual({
      code: 1,
      tail: ["2 errors, 0 warnings, 0 suppressed", `wrote ${join(work, "results.sarif")}`],
    });
  });
});

describe("mrk check --format junit", () => {
  const reports = ["module-keys", "default-stack", "seed"] as const;
  /** A report with a `file` attribute, which the schema does not allow. */
  const withFile =
    '<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x" file="main.tf"/></testsuite></testsuites>';
  /** The schema's complaints about each report, then about `withFile`: one validator for all. */
  let complaints: Map<string, string[]>;

  beforeAll(async () => {
    const documents = new Map<string, string>();
    for (const name of reports)
      documents.set(name, (await runMrk(["check", inRepo(planPath(name)), "--format", "junit"])).stdout);
    documents.set("withFile", withFile);
    const lists = await xsdComplaints(join(SCHEMAS, "junit-10.xsd"), [...documents.values()]);
    complaints = new Map([...documents.keys()].map((name, i) => [name, lists[i]]));
  });

  test.each(reports)("the report of %s is valid against the JUnit schema Jenkins validates with", (name) => {
    expect(complaints.get(name)).toEqual([]);
  });

  test("the schema check can fail: a test case with a file attribute is refused", () => {
    expect(complaints.get("withFile")).toEqual([
      "line 1: Element 'testcase', attribute 'file': The attribute 'file' is not allowed.",
    ]);
  });

  test("one failing test case per resource that breaks an error rule; suppressed ones are skipped; counts add up", async () => {
    const { stdout, code } = await runMrk([
      "check",
      inRepo(planPath("default-stack")),
      "--format",
      "junit",
      "--config",
      "stacks/global-encrypt.json",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      '<testcase name="aws_kms_replica_key.apac" classname="MRK-KMS-3" time="0">\n      <skipped message="suppressed: The reference document leaves the APAC replica',
    );
    const suite = /<testsuite name="MRK-KMS-3 [^"]*" tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)"/.exec(
      stdout,
    );
    expect(suite?.slice(1)).toEqual(["3", "0", "1"]);
    const failing = await runMrk(["check", inRepo(planPath("bad-public-policy")), "--format", "junit"]);
    expect(failing.stdout).toMatch(/<testsuites name="mrk check plan\.json" tests="\d+" failures="1" errors="0"/);
    expect(failing.stdout).toMatch(
      /<testcase name="aws_kms_key\.shared" classname="MRK-KMS-2" time="0">\n {6}<failure type="MRK-KMS-2" message="statement &quot;AllowEveryone&quot; of inline JSON allows the wildcard principal &quot;\*&quot;, and no condition confines it to an account or organization">/,
    );
  });
});

describe("mrk access <plan.json>", () => {
  test("answers who may do what, and where, for each key set of the plan", async () => {
    const result = await runMrk(["access", inRepo(planPath("seed")), "--actions", "kms:Decrypt,kms:PutKeyPolicy"]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(
      "Key policies of plan.json: us-east-1 aws_kms_key.primary, ap-southeast-1 aws_kms_replica_key.apac (KMS's default key policy), eu-west-1 aws_kms_replica_key.eu (KMS's default key policy)",
    );
    expect(lines.filter((line) => line.includes("global-encrypt-application"))).toEqual([
      "arn:aws:iam::111111111111:role/global-encrypt-application  kms:Decrypt       allow      iam             iam",
      "arn:aws:iam::111111111111:role/global-encrypt-application  kms:PutKeyPolicy  iam        iam             iam",
    ]);
  });

  test("shows one key set with --key, in a plan of several", async () => {
    const result = await runMrk([
      "access",
      inRepo(planPath("module-keys")),
      "--key",
      'module.keys["orders"].aws_kms_key.this',
      "--json",
    ]);
    const matrix = JSON.parse(result.stdout);
    expect({
      code: result.code,
      regions: matrix.regions,
      keys: [...new Set(matrix.rows.flatMap((r: { answers: { key: string }[] }) => r.answers.map((a) => a.key)))],
    }).toEqual({
      code: 0,
      regions: ["us-east-1", "eu-west-1"],
      keys: ['module.keys["orders"].aws_kms_key.this', 'module.keys["orders"].aws_kms_replica_key.replica'],
    });
  });

  test("a plans folder that does not hold the file is named", async () => {
    const result = await runMrk(["access", join(PLANS_DIR, "nope.json")]);
    expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({
      code: 1,
      stderr: `Error: ${join(PLANS_DIR, "nope.json")}: cannot be read (ENOENT)`,
    });
  });
});

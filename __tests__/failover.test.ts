/**
 * The failover command's safety checks, how it tells where an interrupted failover stands, its
 * wait, and its edit of the config file (no AWS, no Terraform: the end-to-end drill is
 * __tests__/e2e/failover.test.ts).
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkTarget,
  type FailoverKms,
  failoverStage,
  refusal,
  unwritableReason,
  waitWhileUpdating,
  withCurrentPrimaryRegion,
} from "../lib/cli/failover";
import type { LockOwner } from "../lib/cli/lock-file";
import { loadStackConfig } from "../lib/config";
import { keyLedgerPath } from "../lib/key-ledger";
import type { RegionalKeyState } from "../lib/key-set-client";
import { DEFAULT_CONFIG } from "../stacks/app";
import { runMrk } from "./cli";

const key = (region: string, multiRegionKeyType: string, keyState = "Enabled"): RegionalKeyState => ({
  region,
  keyId: "mrk-1234",
  arn: `arn:aws:kms:${region}:111111111111:key/mrk-1234`,
  multiRegionKeyType,
  keyState,
  primaryRegion: "us-east-1",
});

describe("refusal", () => {
  test("allows an Enabled primary and an Enabled replica", () => {
    expect(refusal(key("us-east-1", "PRIMARY"), key("eu-west-1", "REPLICA"))).toBeUndefined();
  });

  test.each([
    [
      "a disabled target",
      key("us-east-1", "PRIMARY"),
      key("eu-west-1", "REPLICA", "Disabled"),
      /^eu-west-1: the key is Disabled; UpdatePrimaryRegion needs both keys Enabled/,
    ],
    [
      "a target pending deletion",
      key("us-east-1", "PRIMARY"),
      key("eu-west-1", "REPLICA", "PendingDeletion"),
      /^eu-west-1: the key is PendingDeletion/,
    ],
    [
      "a disabled primary",
      key("us-east-1", "PRIMARY", "Disabled"),
      key("eu-west-1", "REPLICA"),
      /^us-east-1: the key is Disabled/,
    ],
    [
      "a current primary that is a replica",
      key("us-east-1", "REPLICA"),
      key("eu-west-1", "REPLICA"),
      /^us-east-1: the key is a REPLICA .* currentPrimaryRegion is out of date/,
    ],
  ])("refuses %s", (_, from, to, message) => {
    expect(refusal(from, to)).toMatch(message);
  });
});

describe("checkTarget", () => {
  const [config] = loadStackConfig(DEFAULT_CONFIG).keys;

  test("accepts a replica region of the set", () => {
    expect(() => checkTarget(config, "eu-west-1")).not.toThrow();
  });

  test("refuses an unknown region", () => {
    expect(() => checkTarget(config, "eu-west-9")).toThrow('--to: "eu-west-9" is not an AWS region');
  });

  test("refuses a region outside the set", () => {
    expect(() => checkTarget(config, "us-west-2")).toThrow(
      '--to: "us-west-2" holds no key of alias/global-encrypt; its regions are us-east-1, eu-west-1, ap-southeast-1',
    );
  });
});

describe("withCurrentPrimaryRegion", () => {
  const text = [
    "{",
    '  "name": "x",',
    '  "primaryRegion": "us-east-1",',
    '  "replicas": [{ "region": "eu-west-1" }]',
    "}",
    "",
  ].join("\n");

  test("adds the field after primaryRegion and keeps the rest of the file as it was", () => {
    expect(withCurrentPrimaryRegion(text, "eu-west-1", "us-east-1")).toBe(
      [
        "{",
        '  "name": "x",',
        '  "primaryRegion": "us-east-1",',
        '  "currentPrimaryRegion": "eu-west-1",',
        '  "replicas": [{ "region": "eu-west-1" }]',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("removes the field when failing back to the region the set was created in", () => {
    const failedOver = withCurrentPrimaryRegion(text, "eu-west-1", "us-east-1");
    expect(withCurrentPrimaryRegion(failedOver, "us-east-1", "us-east-1")).toBe(text);
  });
});

describe("failoverStage: where a failover stands, so that a rerun finishes it", () => {
  const set = (keys: Record<string, [type: string, state?: string]>) =>
    Object.entries(keys).map(([region, [type, state]]) => key(region, type, state));

  test("start: the primary is where the config says, the target a replica", () => {
    expect(
      failoverStage(
        "us-east-1",
        "eu-west-1",
        set({ "us-east-1": ["PRIMARY"], "eu-west-1": ["REPLICA"], "ap-southeast-1": ["REPLICA"] }),
      ),
    ).toBe("start");
  });

  test("promoted: KMS says the target holds the primary, the config does not (promoted but not recorded)", () => {
    expect(
      failoverStage(
        "us-east-1",
        "eu-west-1",
        set({ "us-east-1": ["REPLICA"], "eu-west-1": ["PRIMARY"], "ap-southeast-1": ["REPLICA"] }),
      ),
    ).toBe("promoted");
  });

  test("recorded: the config and KMS both say the target", () => {
    expect(
      failoverStage(
        "eu-west-1",
        "eu-west-1",
        set({ "us-east-1": ["REPLICA"], "eu-west-1": ["PRIMARY"], "ap-southeast-1": ["REPLICA"] }),
      ),
    ).toBe("recorded");
  });

  test("updating: a promotion is under way, even while KMS shows both keys as replicas", () => {
    const keys = set({
      "us-east-1": ["REPLICA", "Updating"],
      "eu-west-1": ["REPLICA", "Updating"],
      "ap-southeast-1": ["REPLICA"],
    });
    expect([failoverStage("us-east-1", "eu-west-1", keys), failoverStage("eu-west-1", "eu-west-1", keys)]).toEqual([
      "updating",
      "updating",
    ]);
  });

  test("refuses a config that records the target while KMS says the primary is elsewhere", () => {
    const keys = set({ "us-east-1": ["PRIMARY"], "eu-west-1": ["REPLICA"] });
    expect(() => failoverStage("eu-west-1", "eu-west-1", keys)).toThrow(
      "refused, nothing changed: the config records eu-west-1 as the primary region, but KMS says the primary is in us-east-1; to record where it is, run the failover to us-east-1",
    );
  });

  test("refuses what refusal() refuses, before any change", () => {
    expect(() =>
      failoverStage("us-east-1", "eu-west-1", set({ "us-east-1": ["PRIMARY"], "eu-west-1": ["REPLICA", "Disabled"] })),
    ).toThrow(/^refused, nothing changed: eu-west-1: the key is Disabled/);
  });
});

describe("waitWhileUpdating, with a fake KMS (moto never shows Updating)", () => {
  /** KMS that answers Updating for the first `updatingLooks` looks, then the promoted set. */
  function fakeKms(updatingLooks: number) {
    let looks = 0;
    const kms: FailoverKms = {
      async describe(_alias, regions) {
        looks++;
        const updating = looks <= updatingLooks;
        return regions.map((region) =>
          key(
            region,
            updating && region !== "ap-southeast-1" ? "REPLICA" : region === "eu-west-1" ? "PRIMARY" : "REPLICA",
            updating && region !== "ap-southeast-1" ? "Updating" : "Enabled",
          ),
        );
      },
      async updatePrimaryRegion() {
        throw new Error("not called by the wait");
      },
    };
    return { kms, looks: () => looks };
  }
  /** A clock that moves only when the wait sleeps. */
  function fakeClock() {
    let now = 1_000_000;
    return {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
  }
  const regions = ["us-east-1", "eu-west-1", "ap-southeast-1"];

  test("prints each look that finds a key Updating, with the time waited, then resolves to what KMS says", async () => {
    const { kms, looks } = fakeKms(3);
    const lines: string[] = [];
    const result = await waitWhileUpdating(kms, "alias/x", regions, {
      timeoutMs: 60_000,
      intervalMs: 5000,
      log: (line) => lines.push(line),
      clock: fakeClock(),
    });
    expect(lines).toEqual([
      "   waiting: us-east-1 REPLICA Updating, eu-west-1 REPLICA Updating; 0 s so far",
      "   waiting: us-east-1 REPLICA Updating, eu-west-1 REPLICA Updating; 5 s so far",
      "   waiting: us-east-1 REPLICA Updating, eu-west-1 REPLICA Updating; 10 s so far",
    ]);
    expect({
      looks: looks(),
      waitedMs: result.waitedMs,
      primary: result.keys.find((k) => k.multiRegionKeyType === "PRIMARY")?.region,
    }).toEqual({
      looks: 4,
      waitedMs: 15_000,
      primary: "eu-west-1",
    });
  });

  test("prints nothing and does not sleep when no key is Updating", async () => {
    const lines: string[] = [];
    const result = await waitWhileUpdating(fakeKms(0).kms, "alias/x", regions, {
      timeoutMs: 60_000,
      log: (line) => lines.push(line),
      clock: fakeClock(),
    });
    expect({ lines, waitedMs: result.waitedMs }).toEqual({ lines: [], waitedMs: 0 });
  });

  test("gives up after the timeout, saying that a rerun goes on", async () => {
    const wait = waitWhileUpdating(fakeKms(Infinity).kms, "alias/x", regions, {
      timeoutMs: 20_000,
      intervalMs: 5000,
      log: () => {},
      clock: fakeClock(),
    });
    await expect(wait).rejects.toThrow(
      'the failover stopped at step 3: us-east-1, eu-west-1 still Updating after 20 s\nNothing is lost: run the same command again to finish the steps that remain (docs/failover.md, "Resume").',
    );
  });
});

describe("unwritableReason", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mrk-failover-unit-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("accepts a file the failover can replace", () => {
    const path = join(dir, "keys.json");
    writeFileSync(path, "{}");
    expect(unwritableReason(path)).toBeUndefined();
  });

  test("refuses a read-only file, even for a user who could override it", () => {
    const path = join(dir, "keys.json");
    writeFileSync(path, "{}");
    chmodSync(path, 0o444);
    expect(unwritableReason(path)).toBe("is read-only (mode 444); make it writable (chmod u+w)");
  });
});

/**
 * `mrk failover` in a project of its own, refused by the checks it makes before it calls AWS:
 * the command exits 1 with the reason, and the config, the state and the lock are as they were.
 */
describe("mrk failover refuses, before any change,", () => {
  let project: string;
  let configPath: string;
  const original = readFileSync(DEFAULT_CONFIG, "utf8");
  const lockPath = () => `${configPath}.failover.lock`;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runMrk(["failover", ...args], { cwd: project, env: { MRK_CONFIG: configPath, ...env } });
  /** What a refused failover leaves: the exit code, the last line of its error, the config and the files of the project. */
  const outcome = (result: { code: number; stderr: string }) => ({
    code: result.code,
    error: result.stderr
      .trim()
      .split("\n")
      .find((line) => line.startsWith("Error: ")),
    configUnchanged: readFileSync(configPath, "utf8") === original,
    files: readdirSync(project).sort(),
  });

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), "mrk-failover-project-"));
    configPath = join(project, "global-encrypt.json");
    writeFileSync(configPath, original);
    // The key ledger is committed beside its config, as in any project that has synthesized once.
    writeFileSync(keyLedgerPath(configPath), readFileSync(keyLedgerPath(DEFAULT_CONFIG)));
    writeFileSync(join(project, "terraform.global-encrypt.tfstate"), "{}");
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  test("a read-only config file", async () => {
    chmodSync(configPath, 0o444);
    expect(outcome(await run(["--to", "eu-west-1"]))).toEqual({
      code: 1,
      error: `Error: refused, nothing changed: ${configPath}: is read-only (mode 444); make it writable (chmod u+w); the failover records the new primary region there`,
      configUnchanged: true,
      files: ["global-encrypt.json", "global-encrypt.lock.json", "terraform.global-encrypt.tfstate"],
    });
  });

  test("a read-only config file of the project's only stack, found by no --stack whatever its name", async () => {
    const renamed = join(project, "payments.json");
    writeFileSync(renamed, original.replace('"name": "global-encrypt"', '"name": "payments"'));
    rmSync(configPath);
    chmodSync(renamed, 0o444);
    const result = await runMrk(["failover", "--to", "eu-west-1"], { cwd: project, env: { MRK_CONFIG: renamed } });
    expect({ code: result.code, error: result.stderr.split("\n").find((line) => line.startsWith("Error: ")) }).toEqual({
      code: 1,
      error: `Error: refused, nothing changed: ${renamed}: is read-only (mode 444); make it writable (chmod u+w); the failover records the new primary region there`,
    });
  });

  test("a target whose key policy the rule pack refuses once the addresses swap (the apac replica has none)", async () => {
    const result = await run(["--to", "ap-southeast-1"]);
    expect(outcome(result)).toEqual({
      code: 1,
      error: `Error: refused, nothing changed: the config as the failover would write it (currentPrimaryRegion "ap-southeast-1": the addresses swap regions, each region keeping its own settings) fails its synth, so no synth of the project would pass until a failback. Fix the config first:`,
      configUnchanged: true,
      files: ["global-encrypt.json", "global-encrypt.lock.json", "terraform.global-encrypt.tfstate"],
    });
    expect(result.stderr).toMatch(/^ {2}\[MRK-KMS-3\] aws_kms_key\.primary: the key has no key policy/m);
  });

  test("a state that is not where the stack's backend keeps it, naming where it looked (MRK_OUTDIR moves the HCL, not the state)", async () => {
    rmSync(join(project, "terraform.global-encrypt.tfstate"));
    writeFileSync(join(project, "elsewhere.tfstate"), "{}");
    const result = await run(["--to", "eu-west-1"], { MRK_OUTDIR: join(project, "review", "hcl") });
    expect(outcome(result)).toEqual({
      code: 1,
      error: `Error: refused, nothing changed: ${join(project, "terraform.global-encrypt.tfstate")}: no Terraform state can be read there (ENOENT). The stack's local backend path is relative to ${join(project, "cdktf.out", "stacks", "global-encrypt")}, the folder cdktf deploy runs it in, wherever MRK_OUTDIR puts the HCL: run mrk failover in the project folder the key set was deployed from, or set the config's backend.path`,
      configUnchanged: true,
      files: ["elsewhere.tfstate", "global-encrypt.json", "global-encrypt.lock.json"],
    });
  });

  test("a second failover of the stack while one runs, naming its pid and the lock file", async () => {
    const holder: LockOwner = {
      pid: process.pid,
      hostname: hostname(),
      startedAt: "2026-01-01T00:00:00.000Z",
      command: "mrk failover --to eu-west-1 --stack global-encrypt",
    };
    writeFileSync(lockPath(), JSON.stringify(holder));
    for (const args of [
      ["--to", "eu-west-1"],
      ["--to", "eu-west-1", "--dry-run"],
    ]) {
      expect(outcome(await run(args))).toEqual({
        code: 1,
        error: `Error: refused, nothing changed: ${lockPath()}: a failover of global-encrypt is running: pid ${process.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z (mrk failover --to eu-west-1 --stack global-encrypt). Wait for it to finish; if it is not running, delete the lock file`,
        configUnchanged: true,
        files: [
          "global-encrypt.json",
          "global-encrypt.json.failover.lock",
          "global-encrypt.lock.json",
          "terraform.global-encrypt.tfstate",
        ],
      });
      expect(JSON.parse(readFileSync(lockPath(), "utf8"))).toEqual(holder);
    }
  });
});

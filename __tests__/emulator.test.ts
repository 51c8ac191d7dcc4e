/**
 * The emulator harness: a patched moto on 127.0.0.1 that behaves like AWS for multi-Region
 * KMS keys (see scripts/emulator/README.md for the moto defects each patch fixes).
 *
 * One emulator serves the whole file; the tests build on each other in order: a primary in
 * us-east-1, replicas in eu-west-1 and ap-southeast-1, aliases, cross-region decrypt, then a
 * promotion of eu-west-1 to primary.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListResourceTagsCommand,
  type MultiRegionConfiguration,
  ReplicateKeyCommand,
  type Tag,
  UpdatePrimaryRegionCommand,
} from "@aws-sdk/client-kms";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator, TEST_CREDENTIALS } from "../scripts/emulator";

const PRIMARY = "us-east-1";
const EU = "eu-west-1";
const APAC = "ap-southeast-1";
const REGIONS = [PRIMARY, EU, APAC] as const;
const ALIAS = "alias/global-encrypt";
const ACCOUNT = REFERENCE_ACCOUNT_ID;

const policyFor = (sid: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  });

const SETUP: Record<string, { description: string; policy: string; tags: Tag[] }> = {
  [PRIMARY]: {
    description: "Global encryption key - primary",
    policy: policyFor("PrimaryAdmins"),
    tags: [{ TagKey: "Region", TagValue: "primary" }],
  },
  [EU]: {
    description: "Global encryption key - EU replica",
    policy: policyFor("EuAdmins"),
    tags: [{ TagKey: "Region", TagValue: "eu" }],
  },
  [APAC]: {
    description: "Global encryption key - APAC replica",
    policy: policyFor("ApacAdmins"),
    tags: [{ TagKey: "Region", TagValue: "apac" }],
  },
};

let emulator: Emulator;
const kms: Record<string, KMSClient> = {};
let keyId: string;
let ciphertextFromPrimary: Uint8Array;

const arnIn = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;

async function multiRegionConfig(region: string): Promise<MultiRegionConfiguration> {
  const { KeyMetadata } = await kms[region].send(new DescribeKeyCommand({ KeyId: keyId }));
  return KeyMetadata!.MultiRegionConfiguration!;
}

async function decryptIn(region: string, blob: Uint8Array): Promise<string> {
  const out = await kms[region].send(new DecryptCommand({ CiphertextBlob: blob, KeyId: ALIAS }));
  return Buffer.from(out.Plaintext!).toString("utf8");
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail, it succeeded");
}

beforeAll(async () => {
  emulator = await startEmulator({ accountId: ACCOUNT });
  for (const region of REGIONS) {
    kms[region] = new KMSClient({
      region,
      endpoint: emulator.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  }
});

afterAll(async () => {
  for (const client of Object.values(kms)) client.destroy();
  await emulator?.stop();
});

describe("startEmulator", () => {
  test("serves on a loopback port and hands out the environment for child processes", () => {
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.env).toEqual(
      expect.objectContaining({
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_REGION: "us-east-1",
        AWS_DEFAULT_REGION: "us-east-1",
      }),
    );
    expect(() => process.kill(emulator.pid, 0)).not.toThrow();
  });

  test("fails with the launcher's message when the port is taken", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen(0, "127.0.0.1", res));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await errorOf(startEmulator({ port }));
      expect(err.message).toMatch(/did not start/);
      expect(err.message).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
    } finally {
      await new Promise((res) => blocker.close(res));
    }
  });
});

describe("multi-Region keys", () => {
  test("the primary is created in the reference account with its policy, description and tags", async () => {
    const { KeyMetadata } = await kms[PRIMARY].send(
      new CreateKeyCommand({
        MultiRegion: true,
        Description: SETUP[PRIMARY].description,
        Policy: SETUP[PRIMARY].policy,
        Tags: SETUP[PRIMARY].tags,
      }),
    );
    keyId = KeyMetadata!.KeyId!;
    expect(keyId).toMatch(/^mrk-/);
    expect(KeyMetadata!.Arn).toBe(arnIn(PRIMARY));
  });

  test("each replica keeps the Description, Policy and Tags given to ReplicateKey", async () => {
    for (const region of [EU, APAC]) {
      const out = await kms[PRIMARY].send(
        new ReplicateKeyCommand({
          KeyId: keyId,
          ReplicaRegion: region,
          Description: SETUP[region].description,
          Policy: SETUP[region].policy,
          Tags: SETUP[region].tags,
        }),
      );
      expect(out.ReplicaKeyMetadata!.Arn).toBe(arnIn(region));
      expect(out.ReplicaPolicy).toBe(SETUP[region].policy);
    }
    for (const region of REGIONS) {
      const { KeyMetadata } = await kms[region].send(new DescribeKeyCommand({ KeyId: keyId }));
      const { Policy } = await kms[region].send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }));
      const { Tags } = await kms[region].send(new ListResourceTagsCommand({ KeyId: keyId }));
      expect({ region, description: KeyMetadata!.Description, policy: Policy, tags: Tags }).toEqual({
        region,
        description: SETUP[region].description,
        policy: SETUP[region].policy,
        tags: SETUP[region].tags,
      });
    }
  });

  test("a replica created without a policy gets the default key policy, not the primary's", async () => {
    const { KeyMetadata } = await kms[PRIMARY].send(
      new CreateKeyCommand({ MultiRegion: true, Policy: policyFor("PrimaryOnly") }),
    );
    await kms[PRIMARY].send(new ReplicateKeyCommand({ KeyId: KeyMetadata!.KeyId!, ReplicaRegion: EU }));
    const { Policy } = await kms[EU].send(
      new GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId!, PolicyName: "default" }),
    );
    expect(JSON.parse(Policy!).Statement).toEqual([
      expect.objectContaining({
        Sid: "Enable IAM User Permissions",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: "kms:*",
      }),
    ]);
  });

  test("ReplicateKey to a region that already holds a replica is rejected", async () => {
    const err = await errorOf(kms[PRIMARY].send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: EU })));
    expect(err.name).toBe("AlreadyExistsException");
  });

  test("the same alias name is created in every region, each pointing at its own key", async () => {
    for (const region of REGIONS) {
      await kms[region].send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: keyId }));
    }
    for (const region of REGIONS) {
      const { Aliases } = await kms[region].send(new ListAliasesCommand({ KeyId: keyId }));
      expect(Aliases!.map((a) => [a.AliasName, a.AliasArn])).toEqual([
        [ALIAS, `arn:aws:kms:${region}:${ACCOUNT}:${ALIAS}`],
      ]);
    }
  });

  test("a ciphertext from the primary decrypts with the replica in every other region", async () => {
    const out = await kms[PRIMARY].send(
      new EncryptCommand({ KeyId: ALIAS, Plaintext: Buffer.from("payment-record-42") }),
    );
    expect(out.KeyId).toBe(arnIn(PRIMARY));
    ciphertextFromPrimary = out.CiphertextBlob!;
    for (const region of [EU, APAC]) {
      const decrypted = await kms[region].send(new DecryptCommand({ CiphertextBlob: ciphertextFromPrimary }));
      expect(Buffer.from(decrypted.Plaintext!).toString("utf8")).toBe("payment-record-42");
      expect(decrypted.KeyId).toBe(arnIn(region));
    }
  });

  test("a ciphertext from a replica decrypts with the primary", async () => {
    const out = await kms[APAC].send(new EncryptCommand({ KeyId: ALIAS, Plaintext: Buffer.from("from-apac") }));
    expect(await decryptIn(PRIMARY, out.CiphertextBlob!)).toBe("from-apac");
  });

  test("DescribeKey reports PRIMARY in us-east-1 and REPLICA elsewhere, also after describing the replicas", async () => {
    const expected = (region: string) => ({
      MultiRegionKeyType: region === PRIMARY ? "PRIMARY" : "REPLICA",
      PrimaryKey: { Arn: arnIn(PRIMARY), Region: PRIMARY },
      ReplicaKeys: [
        { Arn: arnIn(EU), Region: EU },
        { Arn: arnIn(APAC), Region: APAC },
      ],
    });
    // Replicas first: moto 5.2.1 turned the primary into a replica at this point.
    for (const region of [EU, APAC, PRIMARY]) {
      expect(await multiRegionConfig(region)).toEqual(expected(region));
    }
  });
});

describe("UpdatePrimaryRegion", () => {
  test("rejects a region that holds no replica", async () => {
    const err = await errorOf(
      kms[PRIMARY].send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: "us-west-2" })),
    );
    expect(err.name).toBe("NotFoundException");
  });

  test("rejects a single-Region key", async () => {
    const { KeyMetadata } = await kms[PRIMARY].send(new CreateKeyCommand({}));
    const err = await errorOf(
      kms[PRIMARY].send(new UpdatePrimaryRegionCommand({ KeyId: KeyMetadata!.KeyId!, PrimaryRegion: EU })),
    );
    expect(err.name).toBe("UnsupportedOperationException");
  });

  test("rejects a key ARN of another region", async () => {
    const err = await errorOf(
      kms[PRIMARY].send(new UpdatePrimaryRegionCommand({ KeyId: arnIn(EU), PrimaryRegion: EU })),
    );
    expect(err.name).toBe("InvalidArnException");
  });

  test("rejects a disabled replica as the new primary", async () => {
    const { KeyMetadata } = await kms[PRIMARY].send(new CreateKeyCommand({ MultiRegion: true }));
    const id = KeyMetadata!.KeyId!;
    await kms[PRIMARY].send(new ReplicateKeyCommand({ KeyId: id, ReplicaRegion: EU }));
    await kms[EU].send(new DisableKeyCommand({ KeyId: id }));
    const err = await errorOf(kms[PRIMARY].send(new UpdatePrimaryRegionCommand({ KeyId: id, PrimaryRegion: EU })));
    expect(err.name).toBe("DisabledException");
  });

  test("promotes the eu-west-1 replica: every region reports the new primary and replicas", async () => {
    await kms[PRIMARY].send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: EU }));
    for (const region of REGIONS) {
      expect(await multiRegionConfig(region)).toEqual({
        MultiRegionKeyType: region === EU ? "PRIMARY" : "REPLICA",
        PrimaryKey: { Arn: arnIn(EU), Region: EU },
        ReplicaKeys: expect.arrayContaining([
          { Arn: arnIn(PRIMARY), Region: PRIMARY },
          { Arn: arnIn(APAC), Region: APAC },
        ]),
      });
      expect((await multiRegionConfig(region)).ReplicaKeys).toHaveLength(2);
    }
  });

  test("the old primary is now a replica and cannot be promoted from", async () => {
    const err = await errorOf(kms[PRIMARY].send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: APAC })));
    expect(err.name).toBe("UnsupportedOperationException");
  });

  test("old ciphertexts still decrypt everywhere and new ones from eu-west-1 decrypt in us-east-1", async () => {
    for (const region of REGIONS) {
      expect(await decryptIn(region, ciphertextFromPrimary)).toBe("payment-record-42");
    }
    const out = await kms[EU].send(new EncryptCommand({ KeyId: ALIAS, Plaintext: Buffer.from("after-failover") }));
    expect(out.KeyId).toBe(arnIn(EU));
    expect(await decryptIn(PRIMARY, out.CiphertextBlob!)).toBe("after-failover");
  });
});

describe("S3 replication and DynamoDB replicas (boto3 checks)", () => {
  test("every check of scripts/emulator/check_s3_dynamodb.py passes", async () => {
    const script = join(__dirname, "..", "scripts", "emulator", "check_s3_dynamodb.py");
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolveRun, reject) => {
        const child = spawn(process.env.EMULATOR_PYTHON ?? "python3", [script, "--endpoint", emulator.endpoint], {
          env: { ...process.env, ...emulator.env },
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (exitCode) => resolveRun({ code: exitCode, stdout: out, stderr: err }));
      },
    );
    const passed = stdout.split("\n").filter((line) => line.startsWith("PASS "));
    expect({ code, failures: stdout.split("\n").filter((l) => l.startsWith("FAIL ")), stderr }).toEqual({
      code: 0,
      failures: [],
      stderr: "",
    });
    expect(passed.map((line) => line.slice(5))).toEqual([
      "s3_source_selection_criteria_round_trip",
      "s3_delete_marker_replication_round_trip",
      "s3_filter_prefix_round_trip",
      "s3_replica_kms_key_id_round_trip",
      "dynamodb_replica_active_with_its_kms_key",
      "dynamodb_replica_table_in_replica_region",
      "dynamodb_items_visible_in_every_region",
      "dynamodb_replica_rejects_key_of_another_region",
      "dynamodb_duplicate_replica_says_already_exist",
      "dynamodb_delete_replica_removes_it",
    ]);
  });
});

describe("stop", () => {
  test("ends the server process: its pid is gone", async () => {
    const { pid } = emulator;
    await emulator.stop();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    await expect(emulator.stop()).resolves.toBeUndefined();
  });
});

describe("scripts/emulator.sh, the shell's front end of the same launcher", () => {
  const script = join(__dirname, "..", "scripts", "emulator.sh");
  const stateDir = mkdtempSync(join(tmpdir(), "mrk-emulator-sh-"));
  const env = { ...process.env, EMULATOR_STATE_DIR: stateDir, MOTO_ACCOUNT_ID: ACCOUNT, AWS_REGION: EU };
  const run = (...args: string[]) => {
    const result = spawnSync(script, args, { env, encoding: "utf8", timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  let exported: Record<string, string> = {};

  afterAll(() => {
    run("stop");
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("start prints only export lines, to eval, and records the server in the state folder", async () => {
    const { code, stdout, stderr } = run("start");
    const lines = stdout.trimEnd().split("\n");
    expect({
      code,
      nonExports: lines.filter((line) => !/^export [A-Z0-9_]+=\S+$/.test(line)),
      listening: /^emulator: listening on http:\/\/127\.0\.0\.1:\d+ /.test(stderr),
      stderr,
    }).toEqual({
      code: 0,
      nonExports: [],
      listening: true,
      stderr,
    });
    exported = Object.fromEntries(lines.map((line) => line.slice("export ".length).split("=") as [string, string]));
    const port = readFileSync(join(stateDir, "moto.port"), "utf8").trim();
    expect(exported).toEqual({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_REGION: EU,
      AWS_DEFAULT_REGION: EU,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    const pid = Number(readFileSync(join(stateDir, "moto.pid"), "utf8"));
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain("moto_launcher.py");
    expect(readFileSync(join(stateDir, "moto.log"), "utf8")).toMatch(new RegExp(`^READY ${port}$`, "m"));
  });

  test("the server outlived the command and serves the account MOTO_ACCOUNT_ID names", async () => {
    const client = new KMSClient({
      region: EU,
      endpoint: exported.AWS_ENDPOINT_URL,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
      expect(KeyMetadata!.Arn).toMatch(new RegExp(`^arn:aws:kms:${EU}:${ACCOUNT}:key/`));
    } finally {
      client.destroy();
    }
  });

  test("status and a second start print the same exports and start nothing", () => {
    const pid = readFileSync(join(stateDir, "moto.pid"), "utf8").trim();
    const status = run("status");
    expect({ code: status.code, stderr: status.stderr }).toEqual({
      code: 0,
      stderr: `emulator: running (pid ${pid})\n`,
    });
    const again = run("start");
    expect({ code: again.code, stderr: again.stderr }).toEqual({
      code: 0,
      stderr: `emulator: already running (pid ${pid}); 'scripts/emulator.sh stop' first to restart it\n`,
    });
    expect([status.stdout, again.stdout]).toEqual([
      again.stdout,
      Object.entries(exported)
        .map(([name, value]) => `export ${name}=${value}\n`)
        .join(""),
    ]);
  });

  test("stop ends the server and clears its pid and port; status then exits 1", () => {
    const pid = Number(readFileSync(join(stateDir, "moto.pid"), "utf8"));
    const stop = run("stop");
    expect({ code: stop.code, stderr: stop.stderr }).toEqual({ code: 0, stderr: `emulator: stopped (pid ${pid})\n` });
    const state = (() => {
      try {
        return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "")[0];
      } catch {
        return "gone";
      }
    })();
    // Gone, or a zombie that its new parent has not reaped yet: either way no longer running.
    expect(["gone", "Z"]).toContain(state);
    expect([existsSync(join(stateDir, "moto.pid")), existsSync(join(stateDir, "moto.port"))]).toEqual([false, false]);
    expect(run("status")).toEqual({ code: 1, stdout: "", stderr: "emulator: not running\n" });
  });

  test("a port that is taken: exit 1, with the launcher's message from its log", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen(0, "127.0.0.1", res));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = run("start", String(port));
      expect({ code, stdout, cannotListen: stderr.includes(`cannot listen on 127.0.0.1:${port}`), stderr }).toEqual({
        code: 1,
        stdout: "",
        cannotListen: true,
        stderr,
      });
      expect(existsSync(join(stateDir, "moto.pid"))).toBe(false);
    } finally {
      await new Promise((res) => blocker.close(res));
    }
  });

  test("refuses a port that is not a number, and an unknown command, with exit 2", () => {
    expect(run("start", "abc")).toEqual({
      code: 2,
      stdout: "",
      stderr: "emulator: PORT must be a number, got 'abc'\n",
    });
    expect(run("restart")).toEqual({
      code: 2,
      stdout: "",
      stderr: "usage: scripts/emulator.sh start [PORT] | stop | status\n",
    });
  });
});

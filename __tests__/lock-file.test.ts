/**
 * The lock file a failover holds (lib/cli/lock-file.ts): one holder at a time, a clear message
 * naming the holder, and a lock left by a process that runs no more taken over.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock, checkLockFree, isRunning, type LockOwner } from "../lib/cli/lock-file";

let dir: string;
let lockPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mrk-lock-"));
  lockPath = join(dir, "keys.json.failover.lock");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The pid of a process that ran and is gone: one such process for the file, started when a
 * test first asks. Any ended process will do: `node --version` prints and exits before node
 * starts its JavaScript (about 20 ms, against 0.12 s for `node -e ""`).
 */
let ended: number | undefined;
function deadPid(): number {
  ended ??= spawnSync(process.execPath, ["--version"]).pid!;
  return ended;
}

const owner = (pid: number, host = hostname()): LockOwner => ({
  pid,
  hostname: host,
  startedAt: "2026-01-01T00:00:00.000Z",
  command: "mrk failover --to eu-west-1 --stack keys",
});
const writeLock = (lock: LockOwner) => writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const messageOf = (take: () => unknown) => {
  try {
    take();
    return "taken";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("acquireLock", () => {
  test("writes the owner's pid, host and command, and leaves no other file", () => {
    const lock = acquireLock(lockPath, "a failover of keys", "mrk failover --to eu-west-1");
    expect(JSON.parse(readFileSync(lockPath, "utf8"))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: lock.owner.startedAt,
      command: "mrk failover --to eu-west-1",
    });
    expect(readdirSync(dir)).toEqual(["keys.json.failover.lock"]);
    expect(lock.tookOverFrom).toBeUndefined();
  });

  test("refuses a second taker while the first holds it, naming the holder and the file", () => {
    acquireLock(lockPath, "a failover of keys", "mrk failover --to eu-west-1");
    expect(messageOf(() => acquireLock(lockPath, "a failover of keys", "mrk failover --to ap-southeast-1"))).toMatch(
      new RegExp(
        `^${escapeRegExp(lockPath)}: a failover of keys is running: pid ${process.pid} on ${hostname()}, since \\S+ \\(mrk failover --to eu-west-1\\)\\. Wait for it to finish; if it is not running, delete the lock file$`,
      ),
    );
    expect(JSON.parse(readFileSync(lockPath, "utf8")).command).toBe("mrk failover --to eu-west-1");
  });

  test("takes over a lock whose process runs no more, and says whose it was", () => {
    const left = owner(deadPid());
    writeLock(left);
    const lock = acquireLock(lockPath, "a failover of keys", "mrk failover --to eu-west-1");
    expect(lock.tookOverFrom).toEqual(left);
    expect(JSON.parse(readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
  });

  test("leaves a lock of another host alone: its process cannot be checked", () => {
    writeLock(owner(deadPid(), "build-agent-7"));
    expect(messageOf(() => acquireLock(lockPath, "a failover of keys", "mrk failover"))).toMatch(
      /: a failover of keys is running: pid \d+ on build-agent-7, .*; mrk cannot tell whether a process of another host still runs; if it is not running, delete the lock file$/,
    );
  });

  test("refuses a file that is not a lock of mrk rather than overwrite it", () => {
    writeFileSync(lockPath, "");
    expect(messageOf(() => acquireLock(lockPath, "a failover of keys", "mrk failover"))).toBe(
      `${lockPath}: is not a lock file of mrk (""); if no failover is running, delete it`,
    );
  });
});

describe("release", () => {
  test("deletes the lock file", () => {
    acquireLock(lockPath, "a failover of keys", "mrk failover").release();
    expect(existsSync(lockPath)).toBe(false);
  });

  test("leaves a lock that is no longer its own", () => {
    const lock = acquireLock(lockPath, "a failover of keys", "mrk failover");
    const next = owner(process.pid);
    writeLock(next);
    lock.release();
    expect(JSON.parse(readFileSync(lockPath, "utf8"))).toEqual(next);
  });
});

describe("checkLockFree (a dry run looks, and takes nothing)", () => {
  test("is undefined when there is no lock, and the owner of a lock left behind", () => {
    expect(checkLockFree(lockPath, "a failover of keys")).toBeUndefined();
    const left = owner(deadPid());
    writeLock(left);
    expect(checkLockFree(lockPath, "a failover of keys")).toEqual(left);
    expect(existsSync(lockPath)).toBe(true);
  });

  test("refuses while a running process holds the lock", () => {
    writeLock(owner(process.pid));
    expect(messageOf(() => checkLockFree(lockPath, "a failover of keys"))).toMatch(
      /: a failover of keys is running: pid \d+ on /,
    );
  });
});

test("isRunning: this process runs, a process that ended does not", () => {
  expect([isRunning(owner(process.pid)), isRunning(owner(deadPid()))]).toEqual([true, false]);
});

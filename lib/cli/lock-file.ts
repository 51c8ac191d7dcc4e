/**
 * A lock file that says who holds it: the owner's pid, host, start time and command, as JSON.
 * `mrk failover` holds one beside the stack's config file for as long as it runs, so two
 * failovers of one stack cannot run at once.
 *
 * The file is written whole to a temporary name and linked into place (`link` fails when the
 * name exists), so a lock is never seen half written and two processes never both take it. A
 * process that dies holding the lock (killed, cut off) leaves the file behind; the next taker
 * sees that the pid runs no more on this host and takes the lock over. A lock from another host
 * cannot be checked, so it stands until someone deletes it.
 */

import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { InvalidInputError } from "../validation";

/** Who holds a lock. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** What the owner runs, for the message another taker gets: `mrk failover --to eu-west-1`. */
  readonly command: string;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** The owner of a lock that was left behind by a process that runs no more, and taken over. */
  readonly tookOverFrom?: LockOwner;
  /** Deletes the lock file, if it is still this process's. */
  release(): void;
}

/** Whether the owner of a lock is still running: only a process of this host can be checked. */
export function isRunning(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process runs, as another user.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** The lock's owner, or undefined when there is no lock; throws when the file is not a lock this module wrote. */
export function lockOwner(path: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const owner = parseOwner(text);
  if (!owner) {
    throw new InvalidInputError(
      `${path}: is not a lock file of mrk (${JSON.stringify(text.slice(0, 80))}); if no failover is running, delete it`,
    );
  }
  return owner;
}

/**
 * Refuses when a running process holds the lock at `path`; `what` says what the lock guards, for
 * the message. Returns the owner of a lock left behind by a process that runs no more, if any.
 */
export function checkLockFree(path: string, what: string): LockOwner | undefined {
  const owner = lockOwner(path);
  if (owner === undefined) return undefined;
  if (isRunning(owner)) throw new LockHeldError(path, what, owner);
  return owner;
}

/**
 * Takes the lock at `path` for this process, or throws `LockHeldError` naming its owner. A lock
 * whose owner runs no more is taken over (`tookOverFrom`).
 */
export function acquireLock(path: string, what: string, command: string): HeldLock {
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), command };
  const text = `${JSON.stringify(owner, null, 2)}\n`;
  const staging = `${path}.${process.pid}.tmp`;
  writeFileSync(staging, text);
  try {
    let tookOverFrom: LockOwner | undefined;
    // Twice at most: once more after taking away a lock whose owner is gone.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(staging, path);
        return { path, owner, tookOverFrom, release: () => releaseLock(path, text) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const left = checkLockFree(path, what);
      if (left === undefined) continue;
      // Delete it only if it is still the one that was read, not a newer taker's.
      if (sameOwner(lockOwner(path), left)) unlinkSync(path);
      tookOverFrom = left;
    }
    throw new InvalidInputError(
      `${path}: other processes took and left this lock while ${what} was starting; try again`,
    );
  } finally {
    rmSync(staging, { force: true });
  }
}

/** A running process holds the lock. */
export class LockHeldError extends InvalidInputError {
  constructor(
    readonly path: string,
    what: string,
    readonly owner: LockOwner,
  ) {
    super(
      `${path}: ${what} is running: pid ${owner.pid} on ${owner.hostname}, since ${owner.startedAt} (${owner.command}). ` +
        `Wait for it to finish${owner.hostname === hostname() ? "" : "; mrk cannot tell whether a process of another host still runs"}; if it is not running, delete the lock file`,
    );
    this.name = "LockHeldError";
  }
}

function releaseLock(path: string, text: string): void {
  try {
    if (readFileSync(path, "utf8") === text) unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function sameOwner(a: LockOwner | undefined, b: LockOwner): boolean {
  return a !== undefined && a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (
      typeof value.pid === "number" &&
      typeof value.hostname === "string" &&
      typeof value.startedAt === "string" &&
      typeof value.command === "string"
    ) {
      return value as LockOwner;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

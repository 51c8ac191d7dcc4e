/**
 * Starts and stops the AWS emulator used by the end-to-end tests: moto, patched for its
 * multi-Region KMS key defects by `scripts/emulator/moto_launcher.py`, on a 127.0.0.1 port.
 *
 * ```ts
 * const emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
 * execFileSync("terraform", ["apply"], { env: { ...process.env, ...emulator.env } });
 * await emulator.stop();
 * ```
 *
 * The server process is stopped by `stop()`, and in any case when this process exits: by an
 * `exit` hook here, and by the launcher itself when its parent goes away (even on SIGKILL).
 *
 * With `stateDir`, the server outlives this process instead, and the folder records it (its pid,
 * port and log) for a later process to find and stop: `scripts/emulator.sh` (through
 * `scripts/emulator-cli.ts`) is that front end, for a shell.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The repository root (this file lives in `<root>/scripts`). */
const REPO_ROOT = resolve(__dirname, "..");

/** The launcher script, resolved from the repository root, never from the cwd. */
export const LAUNCHER_PATH = join(REPO_ROOT, "scripts", "emulator", "moto_launcher.py");

/** moto's default account id, used when no `accountId` is given. */
export const MOTO_DEFAULT_ACCOUNT_ID = "123456789012";

/** The account id of the project's reference setup (the seed's ARNs). */
export const REFERENCE_ACCOUNT_ID = "111111111111";

/** The static credentials the emulator accepts (moto checks none). */
export const TEST_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

const LOOPBACK = "127.0.0.1";
const STDERR_TAIL_BYTES = 16 * 1024;

export interface EmulatorOptions {
  /**
   * TCP port on 127.0.0.1. The start fails (with the launcher's message) when it is taken.
   * @default a free port chosen by the launcher, which binds port 0
   */
  readonly port?: number;
  /**
   * AWS account id that every request is served as (moto's `MOTO_ACCOUNT_ID`): ARNs, the
   * default key policy and `sts get-caller-identity` use it. Twelve digits.
   * @default "123456789012" (moto's default; use REFERENCE_ACCOUNT_ID for the seed's account)
   */
  readonly accountId?: string;
  /**
   * Region put in `env` (`AWS_REGION`, `AWS_DEFAULT_REGION`).
   * @default "us-east-1"
   */
  readonly region?: string;
  /**
   * How long to wait for the server to answer HTTP, in milliseconds.
   * @default 60000 (moto loads in seconds, but a busy machine can take tens of them)
   */
  readonly startTimeoutMs?: number;
  /**
   * How long `stop()` waits after SIGTERM before it sends SIGKILL, in milliseconds.
   * @default 5000
   */
  readonly stopTimeoutMs?: number;
  /**
   * Python interpreter that has moto installed.
   * @default process.env.EMULATOR_PYTHON, else "python3"
   */
  readonly python?: string;
  /**
   * File that receives the server's output, request log included.
   * @default none: the request log is not written, errors are kept for error messages
   */
  readonly logFile?: string;
  /**
   * Serve moto without the launcher's patches (to reproduce a moto defect).
   * @default false
   */
  readonly unpatched?: boolean;
  /**
   * Leave the server running when this process exits, and record it in this folder: `moto.pid`
   * (written by the server itself, so it is the Python server's pid), `moto.port`, and
   * `moto.log` (its output, request log included; `logFile` is not used).
   * `runningEmulator(stateDir)` finds it again and `stopEmulatorIn(stateDir)` stops it.
   * @default none: the server is this process's child and ends with it
   */
  readonly stateDir?: string;
}

/** A running emulator, wherever it was started. */
export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Process id of the Python server. */
  readonly pid: number;
  readonly region: string;
  /**
   * Environment for a child process (terraform, AWS CLI, an SDK) that must talk to the
   * emulator: merge it over `process.env`.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the server (SIGTERM, then SIGKILL) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface Emulator extends RunningEmulator {
  readonly accountId: string;
}

/** The environment that points AWS tools at an emulator, in the order `scripts/emulator.sh` exports it. */
export function emulatorEnv(endpoint: string, region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // No instance-metadata lookups (they only time out off EC2).
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/**
 * The state folder of a shell's emulator: `EMULATOR_STATE_DIR`, else
 * `${TMPDIR:-/tmp}/mrk-emulator-<checksum of the repository path>`, one per checkout, outside it.
 */
export function emulatorStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EMULATOR_STATE_DIR) return env.EMULATOR_STATE_DIR;
  const checksum = createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12);
  return join(env.TMPDIR || tmpdir(), `mrk-emulator-${checksum}`);
}

/** The files of a state folder. */
function stateFiles(stateDir: string): { pid: string; port: string; log: string } {
  return { pid: join(stateDir, "moto.pid"), port: join(stateDir, "moto.port"), log: join(stateDir, "moto.log") };
}

/** The number a state file holds, if it holds one. */
function readNumber(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const digits = readFileSync(path, "utf8").replace(/[^0-9]/g, "");
  return digits ? Number(digits) : undefined;
}

/** Whether the process exists and is not a zombie (an exited child nobody has reaped yet). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return (
      readFileSync(`/proc/${pid}/stat`, "utf8")
        .replace(/^.*\) /, "")
        .split(" ")[0] !== "Z"
    );
  } catch {
    return true;
  }
}

/** Whether the process is our launcher, not another one that got a recycled pid (where /proc tells). */
function isLauncher(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("moto_launcher.py");
  } catch {
    return true;
  }
}

/** The emulator a state folder records, if its server is still running. */
export function runningEmulator(stateDir: string, region = "us-east-1"): RunningEmulator | undefined {
  const files = stateFiles(stateDir);
  const pid = readNumber(files.pid);
  const port = readNumber(files.port);
  if (pid === undefined || port === undefined || !isAlive(pid) || !isLauncher(pid)) return undefined;
  const endpoint = `http://${LOOPBACK}:${port}`;
  return {
    endpoint,
    port,
    pid,
    region,
    env: emulatorEnv(endpoint, region),
    stop: () => stopEmulatorIn(stateDir).then(() => undefined),
  };
}

/**
 * Stops the emulator a state folder records (SIGTERM, then SIGKILL after `timeoutMs`) and
 * clears the folder's pid and port. Resolves to what happened, or undefined when none was running.
 */
export async function stopEmulatorIn(
  stateDir: string,
  timeoutMs = 5_000,
): Promise<{ pid: number; killed: boolean } | undefined> {
  const files = stateFiles(stateDir);
  const running = runningEmulator(stateDir);
  const result = running && { pid: running.pid, killed: await stopProcess(running.pid, timeoutMs) };
  rmSync(files.pid, { force: true });
  rmSync(files.port, { force: true });
  return result;
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone, to whether it had to be killed. */
async function stopProcess(pid: number, timeoutMs: number): Promise<boolean> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      /* already gone */
    }
  };
  const gone = async (within: number) => {
    const deadline = Date.now() + within;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    return !isAlive(pid);
  };
  signal("SIGTERM");
  if (await gone(timeoutMs)) return false;
  signal("SIGKILL");
  await gone(timeoutMs);
  return true;
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Starts a patched moto server on 127.0.0.1 and resolves once it answers HTTP. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const requestedPort = options.port ?? 0;
  const accountId = options.accountId ?? MOTO_DEFAULT_ACCOUNT_ID;
  const region = options.region ?? "us-east-1";
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const python = options.python ?? process.env.EMULATOR_PYTHON ?? "python3";

  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`port: expected an integer from 0 to 65535, got ${options.port}`);
  }
  if (!/^\d{12}$/.test(accountId)) {
    throw new Error(`accountId: expected 12 digits, got "${accountId}"`);
  }

  const files = options.stateDir === undefined ? undefined : stateFiles(options.stateDir);
  const logFile = files?.log ?? options.logFile;
  const args = [LAUNCHER_PATH, "--port", String(requestedPort), "--account-id", accountId];
  if (files) args.push("--pid-file", files.pid);
  else args.push("--exit-with-parent");
  if (!logFile) args.push("--quiet");
  if (options.unpatched) args.push("--no-patches");

  let output: number | undefined;
  if (files) {
    mkdirSync(options.stateDir!, { recursive: true });
    rmSync(files.pid, { force: true });
    rmSync(files.port, { force: true });
    // A server that outlives this process writes to the file itself, not through pipes to us.
    output = openSync(files.log, "w");
  }
  const child = spawn(python, args, {
    cwd: REPO_ROOT,
    detached: files !== undefined,
    stdio: output === undefined ? ["ignore", "pipe", "pipe"] : ["ignore", output, output],
    env: { ...process.env, MOTO_ACCOUNT_ID: accountId },
  });
  if (output !== undefined) closeSync(output);
  const process_ = new ServerProcess(child, logFile, files !== undefined);

  try {
    const port = await process_.waitForReady(startTimeoutMs);
    if (requestedPort !== 0 && port !== requestedPort) {
      throw new Error(`the launcher listens on port ${port}, not on the requested ${requestedPort}`);
    }
    const endpoint = `http://${LOOPBACK}:${port}`;
    await waitForHttp(endpoint, process_, startTimeoutMs);
    process_.detach();
    if (files) writeFileSync(files.port, `${port}\n`);
    return {
      endpoint,
      port,
      pid: process_.pid,
      accountId,
      region,
      env: emulatorEnv(endpoint, region),
      stop: () =>
        files ? stopProcess(process_.pid, stopTimeoutMs).then(() => undefined) : process_.stop(stopTimeoutMs),
    };
  } catch (err) {
    await process_.stop(stopTimeoutMs);
    if (files) rmSync(files.pid, { force: true });
    throw new Error(
      `The emulator did not start (${python} ${LAUNCHER_PATH}): ${(err as Error).message}` +
        `\n--- launcher stderr ---\n${process_.stderrTail() || "(empty)"}`,
    );
  }
}

/** One launcher process: its output, its exit, and the hooks that stop it. */
class ServerProcess {
  readonly pid: number;
  private stderr = "";
  private stdout = "";
  private exited = false;
  private exitInfo = "";
  private readonly exitPromise: Promise<void>;
  private readonly log?: WriteStream;
  private readonly killOnExit = () => {
    // The process is exiting: no time to wait, so SIGKILL.
    if (!this.exited) {
      try {
        process.kill(this.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  };

  /**
   * @param logFile where the server's output goes
   * @param outlives whether the server outlives this process (`stateDir`): it then writes
   *   `logFile` itself, and this process reads its output from there
   */
  constructor(
    private readonly child: ChildProcess,
    private readonly logFile: string | undefined,
    private readonly outlives: boolean,
  ) {
    if (child.pid === undefined) {
      // spawn failed (e.g. python not found); the 'error' event says why.
      this.pid = -1;
    } else {
      this.pid = child.pid;
    }
    this.log = logFile && !outlives ? createWriteStream(logFile, { flags: "a" }) : undefined;
    this.exitPromise = new Promise((resolveExit) => {
      child.once("exit", (code, signal) => {
        this.exited = true;
        this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
        process.removeListener("exit", this.killOnExit);
        this.log?.end();
        resolveExit();
      });
      child.once("error", (err) => {
        this.stderr += `\n${err.message}`;
        if (this.pid === -1) {
          this.exited = true;
          this.exitInfo = `could not be started: ${err.message}`;
          resolveExit();
        }
      });
    });
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      this.stdout = (this.stdout + chunk).slice(-STDERR_TAIL_BYTES);
      this.log?.write(chunk);
    });
    child.stderr?.on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_BYTES);
      this.log?.write(chunk);
    });
    process.on("exit", this.killOnExit);
  }

  get hasExited(): boolean {
    return this.exited;
  }

  get exitDescription(): string {
    return this.exitInfo;
  }

  stderrTail(): string {
    return (this.outlives ? this.fileOutput() : this.stderr).trim();
  }

  /** The end of what the server wrote to its log file (a server that outlives this process). */
  private fileOutput(): string {
    try {
      return `${readFileSync(this.logFile!, "utf8").slice(-STDERR_TAIL_BYTES)}${this.stderr}`;
    } catch {
      return this.stderr;
    }
  }

  /** Resolves with the port of the launcher's `READY <port>` line. */
  waitForReady(timeoutMs: number): Promise<number> {
    return new Promise((resolveReady, reject) => {
      const check = () => {
        const match = /^READY (\d+)$/m.exec(this.outlives ? this.fileOutput() : this.stdout);
        if (match) {
          done();
          resolveReady(Number(match[1]));
        }
      };
      const onExit = () => {
        done();
        reject(new Error(`the launcher ${this.exitInfo} before it was ready`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no READY line within ${timeoutMs} ms`));
      }, timeoutMs);
      // A server that writes to its own file sends no data events: look at the file.
      const poll = this.outlives ? setInterval(check, 50) : undefined;
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.child.stdout?.removeListener("data", check);
        this.child.removeListener("exit", onExit);
      };
      this.child.stdout?.on("data", check);
      this.child.once("exit", onExit);
      if (this.exited) onExit();
      else check();
    });
  }

  /**
   * Once started, the server must not keep this process alive: a caller that forgets
   * stop() still exits, and the exit hook then kills the server, unless it is to outlive this
   * process.
   */
  detach(): void {
    if (this.outlives) process.removeListener("exit", this.killOnExit);
    this.child.unref();
    (this.child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (this.child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }

  async stop(timeoutMs: number): Promise<void> {
    if (this.exited) return this.exitPromise;
    this.child.ref();
    this.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((res) => {
      timer = setTimeout(() => res(true), timeoutMs);
    });
    const graceful = await Promise.race([this.exitPromise.then(() => false), timedOut]);
    clearTimeout(timer);
    if (graceful) {
      this.child.kill("SIGKILL");
      await this.exitPromise;
    }
  }
}

/** Polls the endpoint until any HTTP response arrives. */
async function waitForHttp(endpoint: string, server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (server.hasExited) {
      throw new Error(`the launcher ${server.exitDescription} while starting`);
    }
    try {
      await httpGet(`${endpoint}/moto-api/`, 2_000);
      return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${endpoint} did not answer HTTP within ${timeoutMs} ms (last error: ${lastError})`);
}

function httpGet(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolveGet, reject) => {
    const req = request(url, { method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolveGet(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

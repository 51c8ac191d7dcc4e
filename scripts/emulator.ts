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
 */
import { ChildProcess, spawn } from "node:child_process";
import { createWriteStream, WriteStream } from "node:fs";
import { request } from "node:http";
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
}

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Process id of the Python server. */
  readonly pid: number;
  readonly accountId: string;
  readonly region: string;
  /**
   * Environment for a child process (terraform, AWS CLI, an SDK) that must talk to the
   * emulator: merge it over `process.env`.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the server (SIGTERM, then SIGKILL) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

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

  const args = [LAUNCHER_PATH, "--port", String(requestedPort), "--account-id", accountId, "--exit-with-parent"];
  if (!options.logFile) args.push("--quiet");
  if (options.unpatched) args.push("--no-patches");

  const child = spawn(python, args, {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MOTO_ACCOUNT_ID: accountId },
  });
  const process_ = new ServerProcess(child, options.logFile);

  try {
    const port = await process_.waitForReady(startTimeoutMs);
    if (requestedPort !== 0 && port !== requestedPort) {
      throw new Error(`the launcher listens on port ${port}, not on the requested ${requestedPort}`);
    }
    const endpoint = `http://${LOOPBACK}:${port}`;
    await waitForHttp(endpoint, process_, startTimeoutMs);
    process_.detach();
    return {
      endpoint,
      port,
      pid: process_.pid,
      accountId,
      region,
      env: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        // No instance-metadata lookups (they only time out off EC2).
        AWS_EC2_METADATA_DISABLED: "true",
      },
      stop: () => process_.stop(stopTimeoutMs),
    };
  } catch (err) {
    await process_.stop(stopTimeoutMs);
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

  constructor(
    private readonly child: ChildProcess,
    logFile?: string,
  ) {
    if (child.pid === undefined) {
      // spawn failed (e.g. python not found); the 'error' event says why.
      this.pid = -1;
    } else {
      this.pid = child.pid;
    }
    this.log = logFile ? createWriteStream(logFile, { flags: "a" }) : undefined;
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
    return this.stderr.trim();
  }

  /** Resolves with the port of the launcher's `READY <port>` line. */
  waitForReady(timeoutMs: number): Promise<number> {
    return new Promise((resolveReady, reject) => {
      const check = () => {
        const match = /^READY (\d+)$/m.exec(this.stdout);
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
      const done = () => {
        clearTimeout(timer);
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
   * stop() still exits, and the exit hook then kills the server.
   */
  detach(): void {
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

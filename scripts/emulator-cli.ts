/**
 * The emulator from a shell: `scripts/emulator.sh start|status|stop` runs this through
 * `node scripts/run-compiled.js`. It is a front end of scripts/emulator.ts, which starts, finds
 * and stops the server; see scripts/emulator/README.md.
 *
 *   eval "$(scripts/emulator.sh start [PORT])"   # start (PORT default: a free port), export AWS_*
 *   scripts/emulator.sh status                    # print the exports again, exit 1 if not running
 *   scripts/emulator.sh stop                      # stop it (SIGTERM, then SIGKILL after 5 s)
 *
 * `start` and `status` print only `export ...` lines on standard output (messages go to standard
 * error), so that their output can be eval'ed. The server outlives the command; its state is in
 * `emulatorStateDir()` (`EMULATOR_STATE_DIR`). `MOTO_ACCOUNT_ID` is the account every request is
 * served as, `EMULATOR_PYTHON` the interpreter, `AWS_REGION` the region of the exports.
 */
import { emulatorStateDir, runningEmulator, startEmulator, stopEmulatorIn } from "./emulator";

export interface EmulatorCliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = "usage: scripts/emulator.sh start [PORT] | stop | status";

/** Runs one command; resolves to its exit code. */
export async function emulatorCli(args: readonly string[], io: EmulatorCliIo): Promise<number> {
  const say = (text: string) => io.stderr(`emulator: ${text}\n`);
  const exports = (env: Readonly<Record<string, string>>) =>
    io.stdout(
      Object.entries(env)
        .map(([name, value]) => `export ${name}=${value}\n`)
        .join(""),
    );
  const stateDir = emulatorStateDir(io.env);
  const region = io.env.AWS_REGION || "us-east-1";
  const [command, ...rest] = args;

  if (command === "start" && rest.length <= 1) {
    const port = rest[0] ?? "0";
    if (!/^[0-9]+$/.test(port)) {
      say(`PORT must be a number, got '${port}'`);
      return 2;
    }
    const running = runningEmulator(stateDir, region);
    if (running) {
      say(`already running (pid ${running.pid}); 'scripts/emulator.sh stop' first to restart it`);
      exports(running.env);
      return 0;
    }
    try {
      const emulator = await startEmulator({
        port: Number(port),
        accountId: io.env.MOTO_ACCOUNT_ID || undefined,
        region,
        python: io.env.EMULATOR_PYTHON || undefined,
        stateDir,
      });
      say(`listening on ${emulator.endpoint} (pid ${emulator.pid}, log ${stateDir}/moto.log)`);
      exports(emulator.env);
      return 0;
    } catch (error) {
      say((error as Error).message);
      return 1;
    }
  }
  if (command === "status" && rest.length === 0) {
    const running = runningEmulator(stateDir, region);
    if (!running) {
      say("not running");
      return 1;
    }
    say(`running (pid ${running.pid})`);
    exports(running.env);
    return 0;
  }
  if (command === "stop" && rest.length === 0) {
    const stopped = await stopEmulatorIn(stateDir);
    say(
      !stopped
        ? "not running"
        : `stopped (pid ${stopped.pid}${stopped.killed ? ", with SIGKILL: SIGTERM did not end it within 5 s" : ""})`,
    );
    return 0;
  }
  io.stderr(`${USAGE}\n`);
  return 2;
}

/** The entry point `node scripts/run-compiled.js scripts/emulator-cli.ts <command>` calls. */
export async function main(args: readonly string[]): Promise<void> {
  process.exitCode = await emulatorCli(args, {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

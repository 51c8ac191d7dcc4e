/**
 * Times a command from outside, as `time` does: its wall time, and the CPU time (user + system)
 * of it and of every process it started and waited for (npm, the shell, node, Jest's workers).
 *
 * The CPU time is the kernel's count of this process's waited-for children
 * (`/proc/self/stat`, cutime and cstime), read before and after the command; NaN where there is
 * no /proc. On a busy machine wall time also counts the waits for a core; CPU time does not.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";

export interface ProcessTiming {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The kernel's clock ticks per second in /proc (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds of this process's waited-for children so far, or NaN without /proc. */
function childrenCpuSeconds(): number {
  if (!existsSync("/proc/self/stat")) return NaN;
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name (in parentheses) start at the 3rd; cutime and cstime are the 16th and 17th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / TICKS_PER_SECOND;
}

/** Runs `command` and times it; throws with its output when it fails. */
export function timeProcess(
  command: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): ProcessTiming {
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const result = spawnSync(command[0], command.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = childrenCpuSeconds() - cpuBefore;
  if (result.status !== 0) {
    throw new Error(`${command.join(" ")} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return { seconds, cpuSeconds, stdout: result.stdout, stderr: result.stderr };
}

/** The 1, 5 and 15 minute load averages, as `uptime` shows them. */
export function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(" ");
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A command's timings, each run's wall and CPU seconds. */
export interface Measure {
  readonly what: string;
  readonly command: string;
  readonly seconds: number[];
  readonly cpuSeconds: number[];
}

/** A command to time. */
export interface Timed {
  readonly what: string;
  /** The command as a table shows it. */
  readonly shown: string;
  readonly command: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs each command `times` times in `cwd`, taking turns, so that load on the machine falls on all alike. */
export function timeInTurns(commands: readonly Timed[], times: number, cwd: string): Measure[] {
  const measures = commands.map(({ what, shown }) => ({
    what,
    command: shown,
    seconds: [] as number[],
    cpuSeconds: [] as number[],
  }));
  for (let i = 0; i < times; i++) {
    commands.forEach(({ command, env }, c) => {
      const timing = timeProcess(command, { cwd, env });
      measures[c].seconds.push(timing.seconds);
      measures[c].cpuSeconds.push(timing.cpuSeconds);
    });
  }
  return measures;
}

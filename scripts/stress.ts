/**
 * `npm run test:stress -- [--rounds N] [--hogs N] [-- <jest arguments>]`: runs the test suites
 * again and again with CPU hogs alongside, to flush out tests that pass only on an idle
 * machine (waits that are too short, timeouts that a slow step exceeds, races).
 *
 * - `--hogs N` processes spin on the CPU for the whole run (default: one per core);
 * - `--rounds N` runs of `jest <jest arguments>` (default 3; default arguments: every suite);
 * - each round gets a temporary folder of its own (`TMPDIR`), and is checked to leave nothing in
 *   it (the Jest run's own folder is removed by its globalTeardown, scripts/jest-tmpdir.js).
 *
 * It prints each round's failures with the first lines of their messages, then the tests that
 * failed in some rounds and passed in others (flaky) and those that failed every time; exit code
 * 1 when any test failed. The hogs are stopped at the end, and if this process is killed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";

const ROOT = join(__dirname, "..");
const JEST = join(ROOT, "node_modules", "jest", "bin", "jest.js");

interface Options {
  readonly rounds: number;
  readonly hogs: number;
  readonly jestArgs: readonly string[];
}

function parseArguments(argv: readonly string[]): Options {
  const split = argv.indexOf("--");
  const own = split < 0 ? argv : argv.slice(0, split);
  const number = (name: string, fallback: number) => {
    const at = own.indexOf(name);
    if (at < 0) return fallback;
    const value = Number(own[at + 1]);
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`${name}: ${JSON.stringify(own[at + 1])} must be a whole number`);
    return value;
  };
  const known = new Set(["--rounds", "--hogs"]);
  own.forEach((arg, i) => {
    if (arg.startsWith("--") && !known.has(arg) && !known.has(own[i - 1]))
      throw new Error(`${arg}: unknown option (jest's go after --)`);
  });
  return {
    rounds: number("--rounds", 3),
    hogs: number("--hogs", cpus().length),
    jestArgs: split < 0 ? [] : argv.slice(split + 1),
  };
}

/** A process that spins on one core until it is killed. */
function startHog(): ChildProcess {
  return spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
}

/** One failure of a round: the test's full name and the first lines of why. */
interface Failure {
  readonly test: string;
  readonly why: string;
}

interface Round {
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly passed: number;
  readonly failures: readonly Failure[];
  /** What the round left in its temporary folder. */
  readonly leftovers: readonly string[];
}

/** The first lines of a failure message, without colours and stack frames. */
function firstLines(message: string): string {
  return stripVTControlCharacters(message)
    .split("\n")
    .filter((line) => line.trim() !== "" && !/^\s+at /.test(line))
    .slice(0, 6)
    .join("\n      ");
}

interface JestJson {
  numPassedTests: number;
  testResults: Array<{
    name: string;
    status: string;
    message: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

function failuresOf(report: JestJson): Failure[] {
  return report.testResults.flatMap((file) => {
    const name = file.name.startsWith(ROOT) ? file.name.slice(ROOT.length + 1) : file.name;
    const failed = file.assertionResults.filter((test) => test.status === "failed");
    if (failed.length === 0 && file.status === "failed")
      return [{ test: `${name} (the file)`, why: firstLines(file.message) }];
    return failed.map((test) => ({
      test: `${name}: ${test.fullName}`,
      why: firstLines(test.failureMessages.join("\n")),
    }));
  });
}

/** Runs `jest <args>` once with its own TMPDIR; resolves to what it found. */
function runRound(index: number, jestArgs: readonly string[], logDir: string): Promise<Round> {
  const roundTmp = mkdtempSync(join(tmpdir(), `mrk-stress-round${index}-`));
  const output = join(logDir, `round-${index}.json`);
  const log = createWriteStream(join(logDir, `round-${index}.log`));
  // Jest's transform cache stays in the machine's temporary folder, shared by every round.
  const args = [
    JEST,
    "--json",
    `--outputFile=${output}`,
    `--cacheDirectory=${join(tmpdir(), "mrk-stress-jest-cache")}`,
    ...jestArgs,
  ];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: roundTmp },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", reject);
    child.on("close", (exitCode) => {
      log.end();
      const leftovers = readdirSync(roundTmp);
      rmSync(roundTmp, { recursive: true, force: true });
      const report: JestJson | undefined = existsSync(output) ? JSON.parse(readFileSync(output, "utf8")) : undefined;
      resolve({
        seconds: (Date.now() - started) / 1000,
        exitCode,
        passed: report?.numPassedTests ?? 0,
        failures: report
          ? failuresOf(report)
          : [{ test: "(jest)", why: `wrote no results; see ${join(logDir, `round-${index}.log`)}` }],
        leftovers,
      });
    });
  });
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const logDir = mkdtempSync(join(tmpdir(), "mrk-stress-"));
  const hogs = Array.from({ length: options.hogs }, startHog);
  const stopHogs = () => {
    for (const hog of hogs) if (hog.pid !== undefined && !hog.killed) hog.kill("SIGKILL");
  };
  process.on("exit", stopHogs);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
  const say = (text: string) => process.stdout.write(`${text}\n`);
  say(
    `stress: ${options.rounds} rounds of jest ${options.jestArgs.join(" ") || "(every suite)"}, ${options.hogs} CPU hogs on ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}; logs in ${logDir}`,
  );
  const rounds: Round[] = [];
  try {
    for (let i = 1; i <= options.rounds; i++) {
      const round = await runRound(i, options.jestArgs, logDir);
      rounds.push(round);
      say(
        `round ${i}: ${round.passed} passed, ${round.failures.length} failed, ${round.seconds.toFixed(0)} s, jest exit ${round.exitCode}, load ${loadavg()[0].toFixed(1)}`,
      );
      for (const failure of round.failures) say(`  FAIL ${failure.test}\n      ${failure.why}`);
      if (round.leftovers.length > 0) say(`  left in its temporary folder: ${round.leftovers.join(", ")}`);
    }
  } finally {
    stopHogs();
  }
  const failedIn = new Map<string, number>();
  for (const round of rounds) for (const { test } of round.failures) failedIn.set(test, (failedIn.get(test) ?? 0) + 1);
  const flaky = [...failedIn].filter(([, n]) => n < rounds.length);
  const broken = [...failedIn].filter(([, n]) => n === rounds.length);
  const leftovers = rounds.filter((round) => round.leftovers.length > 0).length;
  say("");
  say(
    flaky.length === 0
      ? "no flaky test"
      : `flaky (failed in some rounds only):\n${flaky.map(([test, n]) => `  ${test}: ${n} of ${rounds.length}`).join("\n")}`,
  );
  if (broken.length > 0) say(`failed in every round:\n${broken.map(([test]) => `  ${test}`).join("\n")}`);
  say(
    leftovers === 0
      ? "no round left anything in its temporary folder"
      : `${leftovers} rounds left files in their temporary folder`,
  );
  process.exitCode = failedIn.size > 0 || leftovers > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 2;
});

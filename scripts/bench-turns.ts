/**
 * Before and after: shell commands timed in turns, as `npm run bench` times the default stack, so
 * that a slow spell of the machine falls on each alike. docs/performance.md's "in turns" figures
 * come from it, a worktree of each commit side by side:
 *
 *   npx tsx scripts/bench-turns.ts --runs 8 \
 *     "cd /tmp/before && MRK_CONFIG=/tmp/s.json node scripts/run-compiled.js lib/cli/main.ts synth" \
 *     "cd /tmp/after && MRK_CONFIG=/tmp/s.json node scripts/run-compiled.js lib/cli/main.ts synth"
 *
 * Each command runs once first (a bundle built, a cache written), then `--runs` times (default
 * 5) in turns, through `sh -c` in the project folder. Prints each one's median wall and CPU time
 * (CPU: user + system of the command and what it waited for) and its range.
 */
import { join } from "node:path";
import { median, timeInTurns, timeProcess } from "./bench-process";

const ROOT = join(__dirname, "..");
const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const commands = args.filter((_, i) => runsAt < 0 || (i !== runsAt && i !== runsAt + 1));
if (commands.length === 0 || !Number.isInteger(runs) || runs < 1) {
  console.error('Usage: npx tsx scripts/bench-turns.ts [--runs N] "<command>" ["<command>" ...]');
  process.exit(2);
}

const timed = commands.map((command) => ({ what: command, shown: command, command: ["sh", "-c", command] }));
for (const { command } of timed) timeProcess(command, { cwd: ROOT });
const seconds = (values: readonly number[]) => `${median(values).toFixed(2)} s`;
console.log(`| command | wall, median | CPU, median | range | runs |\n|---|---|---|---|---|`);
for (const measure of timeInTurns(timed, runs, ROOT)) {
  const range = `${Math.min(...measure.seconds).toFixed(2)} to ${Math.max(...measure.seconds).toFixed(2)} s`;
  console.log(
    `| \`${measure.command}\` | ${seconds(measure.seconds)} | ${seconds(measure.cpuSeconds)} | ${range} | ${runs} |`,
  );
}

#!/usr/bin/env node
/**
 * `mrk <command> [options]`: the package's command line (package.json `bin.mrk`). This repo's
 * npm scripts call the same commands (`npm run synth` is `mrk synth`).
 *
 * Each command lives in a file of its own and is loaded only when it runs, so `mrk guard` does
 * not load cdktf.
 */
import { InvalidInputError } from "../invalid-input";
import { type Command, type CommandContext, EXIT, UsageError } from "./command";

/** Every command, in the order `mrk --help` lists them. */
const COMMANDS: Record<string, () => Command> = {
  synth: () => require("./synth").synthCommand,
  check: () => require("./check").checkCommand,
  access: () => require("./access").accessCommand,
  status: () => require("./status").statusCommand,
  failover: () => require("./failover").failoverCommand,
  guard: () => require("./guard").guardCommand,
};

function help(): string {
  const lines = Object.values(COMMANDS).map((load) => {
    const command = load();
    return `  ${command.name.padEnd(10)}${command.summary}`;
  });
  return [
    "Usage: mrk <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "mrk <command> --help shows a command's options.",
    "",
  ].join("\n");
}

/** Runs `mrk` with `argv` (the arguments after `mrk`); resolves to the exit code. */
export async function mrk(argv: readonly string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    context.stdout(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    context.stderr(`Error: ${name}: not a command of mrk (${Object.keys(COMMANDS).join(", ")})\n`);
    return EXIT.usage;
  }
  const command = load();
  if (rest.includes("--help") || rest.includes("-h")) {
    context.stdout(`Usage: mrk ${command.name} ${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr(`Error: ${error.message}\nUsage: mrk ${command.name} ${command.usage}\n`);
      return EXIT.usage;
    }
    if (error instanceof InvalidInputError) {
      context.stderr(`Error: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

/** The context of the running process. */
export function processContext(): CommandContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

/** The `mrk` executable; scripts/run-compiled.js calls it with the arguments after the entry. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  mrk(argv, processContext()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}

if (require.main === module) main();

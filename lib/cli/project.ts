/**
 * The stacks a command works on, found the way cdktf finds them.
 *
 * - Config files, when the command names them (`--config <file>`, repeatable) or `MRK_CONFIG`
 *   does: one stack each, built in this process.
 * - Otherwise the project's app: `cdktf.json`'s `app` command, run in the project folder as
 *   `cdktf synth` runs it, into a folder of its own; the stacks are those of the manifest it writes.
 *
 * Either way each stack comes with its Terraform JSON (`cdk.tf.json`) and, when it was built
 * from a config file, that file (lib/config-file-record.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { buildStacks } from "../config-app";
import { recordedConfigFile } from "../config-file-record";
import type { Json } from "../json";
import { HCL_OUTDIR_VARIABLE, reportLines } from "../policy/aspect";
import { InvalidInputError } from "../validation";
import type { CommandContext } from "./command";

/** A synthesized stack of the project. */
export interface ProjectStack {
  readonly name: string;
  /** The stack's Terraform JSON, as cdktf wrote it to `cdk.tf.json`. */
  readonly json: Json;
  /** The config file the stack was built from, absolute; undefined for a stack of your own code. */
  readonly configFile?: string;
}

export interface SynthesizeOptions {
  /** Config files named on the command line (`--config`). */
  readonly configs?: readonly string[];
  /** Where the rule pack writes each stack's reviewable HCL (`mrk synth`). @default none */
  readonly hclOutdir?: string;
  /**
   * Where the app's own output goes (the rule pack's reports): standard output when it is what
   * the command prints (`mrk synth`), standard error when the command prints something else.
   * @default "stderr"
   */
  readonly appOutput?: "stdout" | "stderr";
}

/** The config files the command names: `--config`, else `MRK_CONFIG`; none means the project's app. */
export function namedConfigFiles(context: CommandContext, configs: readonly string[] = []): string[] {
  if (configs.length > 0) return configs.map((path) => resolve(context.cwd, path));
  return context.env.MRK_CONFIG ? [resolve(context.cwd, context.env.MRK_CONFIG)] : [];
}

/** Synthesizes the project's stacks (see the file comment) and returns them, in the app's order. */
export function synthesizeProject(context: CommandContext, options: SynthesizeOptions = {}): ProjectStack[] {
  const staging = mkdtempSync(join(tmpdir(), "mrk-synth-"));
  try {
    const configs = namedConfigFiles(context, options.configs);
    const print = options.appOutput === "stdout" ? context.stdout : context.stderr;
    if (configs.length > 0) {
      const app = new App({ outdir: staging });
      buildStacks(app, configs, {
        hclOutdir: options.hclOutdir,
        report: (report) => print(`${reportLines(report).join("\n")}\n`),
      });
      app.synth();
    } else {
      runApp(context, staging, options.hclOutdir, print);
    }
    return readManifest(staging, context.cwd);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs `cdktf.json`'s app into `outdir`, its output passed through; a failing app is bad input. */
function runApp(
  context: CommandContext,
  outdir: string,
  hclOut: string | undefined,
  print: (text: string) => void,
): void {
  const cdktfJson = join(context.cwd, "cdktf.json");
  if (!existsSync(cdktfJson)) {
    throw new InvalidInputError(
      `${context.cwd}: has no cdktf.json; run mrk in your CDKTF project, or name config files with --config <file> (or MRK_CONFIG)`,
    );
  }
  let app: unknown;
  try {
    app = JSON.parse(readFileSync(cdktfJson, "utf8")).app;
  } catch (error) {
    throw new InvalidInputError(`${cdktfJson}: is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof app !== "string" || app.trim() === "") {
    throw new InvalidInputError(
      `${cdktfJson}: app: ${JSON.stringify(app)} must be the command that runs your app, like "npx ts-node main.ts"`,
    );
  }
  const result = spawnSync(app, {
    cwd: context.cwd,
    shell: true,
    encoding: "utf8",
    env: {
      ...context.env,
      CDKTF_OUTDIR: outdir,
      ...(hclOut ? { [HCL_OUTDIR_VARIABLE]: hclOut } : {}),
      // cdktf's own synth would set these; the app must not ask for anything else.
      CHECKPOINT_DISABLE: "1",
    },
  });
  if (result.stdout) print(result.stdout);
  if (result.stderr) context.stderr(result.stderr);
  if (result.error) throw new InvalidInputError(`${app}: could not run (${result.error.message})`);
  if (result.status !== 0) {
    throw new InvalidInputError(
      `cdktf.json's app ("${app}") failed with exit code ${result.status}; its output is above`,
    );
  }
}

/** The stacks of a synthesized output folder, by its manifest. */
function readManifest(outdir: string, cwd: string): ProjectStack[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new InvalidInputError("the app wrote no manifest.json: does it call app.synth()?");
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    stacks: Record<string, { name: string; synthesizedStackPath: string }>;
  };
  return Object.values(manifest.stacks).map((stack) => {
    // Read now (the folder goes once the command has its stacks), parsed when a command asks:
    // `mrk synth` needs only the names, and a large stack's JSON takes a while to parse.
    const text = readFileSync(join(outdir, stack.synthesizedStackPath), "utf8");
    let json: Json | undefined;
    return {
      name: stack.name,
      get json(): Json {
        json ??= JSON.parse(text) as Json;
        return json;
      },
      get configFile(): string | undefined {
        const recorded = recordedConfigFile(this.json);
        return recorded && resolve(cwd, recorded);
      },
    };
  });
}

/** The stack named `name` (`--stack`), or the only one; throws naming the stacks there are. */
export function stackNamed(stacks: readonly ProjectStack[], name: string | undefined): ProjectStack {
  const names = stacks.map((stack) => stack.name).join(", ");
  if (name === undefined) {
    if (stacks.length === 1) return stacks[0];
    throw new InvalidInputError(`--stack: is required: the project has several stacks (${names})`);
  }
  const stack = stacks.find((candidate) => candidate.name === name);
  if (!stack) throw new InvalidInputError(`--stack: "${name}" is not a stack of the project; its stacks are ${names}`);
  return stack;
}

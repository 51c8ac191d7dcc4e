/**
 * `npm run access [-- --stack <name>] [--actions kms:Decrypt,kms:Encrypt] [--principal <arn>] [--json]`:
 * prints who may do what where: the principal x action x region matrix of a stack's key
 * policies (lib/policy/access.ts), for the default stack (or MRK_CONFIG's) unless --stack names
 * another stack of the app.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { AccessEvaluator, accessMatrix, formatAccessMatrix } from "../policy/access";
import { InvalidInputError } from "../validation";
import { DEFAULT_CONFIG, stackConfigPaths } from "../../stacks/app";
import { buildStacks, exitOnInvalidInput } from "../config-app";

interface Arguments {
  stack?: string;
  actions?: string[];
  principals?: string[];
  json: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const args: Arguments = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new InvalidInputError(`${flag}: needs a value`);
      return next;
    };
    if (flag === "--stack") args.stack = value();
    else if (flag === "--actions") args.actions = value().split(",").map((a) => a.trim()).filter(Boolean);
    else if (flag === "--principal") args.principals = [...(args.principals ?? []), value()];
    else if (flag === "--json") args.json = true;
    else throw new InvalidInputError(`${flag}: unknown option; use --stack <name>, --actions <a,b>, --principal <arn>, --json`);
  }
  return args;
}

/** The matrix of one stack of the app, as text (or JSON). */
export function accessReport(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const args = parseArguments(argv);
  const paths = args.stack || env.MRK_CONFIG ? stackConfigPaths(env) : [DEFAULT_CONFIG];
  // Nothing is synthesized to disk: the stacks' JSON is read in memory.
  const outdir = mkdtempSync(join(tmpdir(), "mrk-access-"));
  let stacks;
  try {
    stacks = buildStacks(new App({ outdir }), paths);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const stack = args.stack ? stacks.find((s) => s.node.id === args.stack) : stacks[0];
  if (!stack) {
    throw new InvalidInputError(`--stack: "${args.stack}" is not a stack of the app; its stacks are ${stacks.map((s) => s.node.id).join(", ")}`);
  }
  const evaluator = AccessEvaluator.of(stack, { accountId: stack.config.accountId });
  const matrix = accessMatrix(evaluator, { actions: args.actions, principals: args.principals });
  if (args.json) return JSON.stringify(matrix, null, 2);
  const keys = evaluator.keys.map((key) => `${key.region} ${key.address}${key.policySource === "default" ? " (KMS's default key policy)" : ""}`);
  return formatAccessMatrix(matrix, `Key policies of stack ${stack.node.id}: ${keys.join(", ")}`);
}

if (require.main === module) {
  exitOnInvalidInput(() => {
    process.stdout.write(`${accessReport(process.argv.slice(2))}\n`);
  });
}

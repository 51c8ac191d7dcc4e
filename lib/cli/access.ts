/**
 * `mrk access [--stack <name>] [--actions kms:Decrypt,kms:Encrypt] [--principal <arn>] [--json]`
 * (`npm run access`): prints who may do what where: the principal x action x region matrix of a
 * stack's key policies (lib/policy/access.ts), for the first stack unless --stack names another.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { AccessEvaluator, accessMatrix, formatAccessMatrix } from "../policy/access";
import { InvalidInputError } from "../validation";
import { buildStacks } from "../config-app";
import { Command, CommandContext, parseOptions } from "./command";
import { projectConfigPaths } from "./project";

/** The matrix of one stack of the project, as text (or JSON). */
export function accessReport(argv: readonly string[], context: CommandContext): string {
  const { values } = parseOptions(argv, {
    stack: { type: "string" },
    config: { type: "string", multiple: true },
    actions: { type: "string" },
    principal: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
  });
  const actions = values.actions?.split(",").map((a) => a.trim()).filter(Boolean);
  // Nothing is synthesized to disk: the stacks' JSON is read in memory.
  const outdir = mkdtempSync(join(tmpdir(), "mrk-access-"));
  let stacks;
  try {
    stacks = buildStacks(new App({ outdir }), projectConfigPaths(context, values.config));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const stack = values.stack ? stacks.find((s) => s.node.id === values.stack) : stacks[0];
  if (!stack) {
    throw new InvalidInputError(`--stack: "${values.stack}" is not a stack of the project; its stacks are ${stacks.map((s) => s.node.id).join(", ")}`);
  }
  const evaluator = AccessEvaluator.of(stack, { accountId: stack.config.accountId });
  const matrix = accessMatrix(evaluator, { actions, principals: values.principal });
  if (values.json) return JSON.stringify(matrix, null, 2);
  const keys = evaluator.keys.map((key) => `${key.region} ${key.address}${key.policySource === "default" ? " (KMS's default key policy)" : ""}`);
  return formatAccessMatrix(matrix, `Key policies of stack ${stack.node.id}: ${keys.join(", ")}`);
}

export const accessCommand: Command = {
  name: "access",
  summary: "who may do what on the keys, region by region, by their key policies",
  usage: [
    "[--stack <name>] [--config <file>]... [--actions <a,b>] [--principal <arn>]... [--json]",
    "  --stack      the stack to show; default: the first",
    "  --config     a stack config file (repeatable); default: MRK_CONFIG, else stacks/*.json",
    "  --actions    KMS actions, comma-separated; default: every action a key policy names",
    "  --principal  a principal ARN (repeatable); default: every principal a key policy names",
    "  --json       the matrix as JSON",
  ].join("\n"),
  async run(argv, context) {
    context.stdout(`${accessReport(argv, context)}\n`);
    return 0;
  },
};

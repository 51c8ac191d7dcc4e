/**
 * `mrk access [<plan.json>] [--stack <name>] [--key <address>] [--actions kms:Decrypt,kms:Encrypt] [--principal <arn>] [--json]`
 * (`npm run access`): prints who may do what where: the principal x action x region matrix of
 * the key policies (lib/policy/access.ts), one matrix per key set (a primary and its replicas).
 *
 * Without a plan it reads the project's stacks (the first unless --stack names another); with
 * one, the output of `terraform show -json <planfile>` of any Terraform configuration
 * (lib/plan), with the account of its `data.aws_caller_identity` (or `--account`).
 */
import { basename } from "node:path";
import { planAsStack } from "../plan/plan-stack";
import { AccessEvaluator, accessMatrix, formatAccessMatrix } from "../policy/access";
import { StackView } from "../policy/stack-view";
import { accountIdSchema, formatValue, InvalidInputError } from "../validation";
import { readPlan } from "./check";
import { type Command, type CommandContext, parseOptions, UsageError } from "./command";
import { stackNamed, synthesizeProject } from "./project";

/** The matrices of one stack of the project, or of a plan, as text (or JSON). */
export function accessReport(argv: readonly string[], context: CommandContext): string {
  const { values, positionals } = parseOptions(
    argv,
    {
      stack: { type: "string" },
      config: { type: "string", multiple: true },
      key: { type: "string" },
      account: { type: "string" },
      actions: { type: "string" },
      principal: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
    },
    true,
  );
  if (positionals.length > 1) throw new UsageError(`${positionals[1]}: unexpected argument; give one plan file`);
  if (values.account !== undefined && !accountIdSchema.safeParse(values.account).success) {
    throw new UsageError(`--account: ${formatValue(values.account)} must be a 12-digit AWS account id`);
  }
  const actions = values.actions
    ?.split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const { evaluator, title } =
    positionals.length === 1 ? planEvaluator(positionals[0], values.account, context) : stackEvaluator(values, context);
  const sets = keySets(evaluator, values.key);
  const matrices = sets.map((keys) => ({
    keys,
    matrix: accessMatrix(evaluator, { actions, principals: values.principal, keys }),
  }));
  if (values.json) return JSON.stringify(matrices.length === 1 ? matrices[0].matrix : matrices, null, 2);
  return matrices
    .map(({ keys, matrix }) => formatAccessMatrix(matrix, `${title}: ${describeKeys(evaluator, keys)}`))
    .join("\n\n");
}

function stackEvaluator(
  values: { stack?: string; config?: string[] },
  context: CommandContext,
): { evaluator: AccessEvaluator; title: string } {
  const stack = stackNamed(synthesizeProject(context, { configs: values.config }), values.stack);
  return { evaluator: AccessEvaluator.of(stack.json), title: `Key policies of stack ${stack.name}` };
}

function planEvaluator(
  path: string,
  account: string | undefined,
  context: CommandContext,
): { evaluator: AccessEvaluator; title: string } {
  const name = path === "-" ? "plan" : basename(path);
  const stack = planAsStack(readPlan(path, context), { name });
  const evaluator = new AccessEvaluator(new StackView(stack.json, { accountId: account ?? stack.accountId }));
  return { evaluator, title: `Key policies of ${name}` };
}

/**
 * The key sets to show, each as its keys' addresses: every set of the evaluator's keys (a
 * primary with its replicas), or the one holding `key`.
 */
function keySets(evaluator: AccessEvaluator, key: string | undefined): string[][] {
  const sets = new Map<unknown, string[]>();
  for (const { address } of evaluator.keys) {
    const set = evaluator.view.keySetOf(address) ?? address;
    sets.set(set, [...(sets.get(set) ?? []), address]);
  }
  const all = [...sets.values()];
  if (key === undefined) return all;
  const chosen = all.find((addresses) => addresses.includes(key));
  if (!chosen) {
    throw new InvalidInputError(
      `--key: "${key}" is not a key whose policy can be read; the keys are ${evaluator.keys.map((k) => k.address).join(", ") || "none"}`,
    );
  }
  return [chosen];
}

function describeKeys(evaluator: AccessEvaluator, addresses: readonly string[]): string {
  return evaluator.keys
    .filter((key) => addresses.includes(key.address))
    .map((key) => `${key.region} ${key.address}${key.policySource === "default" ? " (KMS's default key policy)" : ""}`)
    .join(", ");
}

export const accessCommand: Command = {
  name: "access",
  summary: "who may do what on the keys, region by region, by their key policies",
  usage: [
    "[<plan.json>] [--stack <name>] [--config <file>]... [--key <address>] [--account <id>] [--actions <a,b>] [--principal <arn>]... [--json]",
    "  <plan.json>  the output of terraform show -json <planfile> (- for stdin); default: the project's stacks",
    "  --stack      the stack to show; default: the first",
    "  --config     a stack config file (repeatable); default: MRK_CONFIG, else stacks/*.json",
    "  --key        show only the key set of this key (aws_kms_key.primary); default: every key set",
    "  --account    the account that owns the keys, for a plan; default: its data.aws_caller_identity",
    "  --actions    KMS actions, comma-separated; default: every action a key policy names",
    "  --principal  a principal ARN (repeatable); default: every principal a key policy names",
    "  --json       the matrix as JSON",
  ].join("\n"),
  async run(argv, context) {
    context.stdout(`${accessReport(argv, context)}\n`);
    return 0;
  },
};

/**
 * `mrk guard <plan.json> [--allow <address>=<reason>]...` (`npm run guard`): refuses a Terraform
 * plan that deletes, replaces, re-creates or forgets a KMS key, replica or alias, or moves a
 * replica to another primary, naming each address and why (lib/plan-guard.ts). Run it on the
 * output of `terraform show -json <planfile>` before `terraform apply <planfile>`, in a pull
 * request check or a deploy pipeline (docs/plan-guard.md).
 *
 * Exit code 0 when the plan loses no key or alias (or every loss is allowed), 1 when it loses
 * one that is not allowed, when an `--allow` matches no loss, or when the file is not a plan;
 * 2 for a wrong option.
 *
 * It loads neither cdktf nor zod, so it starts in a fraction of a second.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidInputError } from "../invalid-input";
import { type Allowance, type JudgedLoss, judgePlan, type PlanGuardVerdict, plannedLosses } from "../plan-guard";
import { escapeUnsafe } from "../unsafe-characters";
import { type Command, EXIT, parseOptions, UsageError } from "./command";

/** `<address>=<reason>`: the address ends at the first "=" outside a `["..."]` index. */
const ALLOW = /^((?:[^["=]|\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\])+)=(.*)$/s;

/** Reads one `--allow` value. */
export function parseAllowance(value: string): Allowance {
  const match = ALLOW.exec(value);
  if (!match) throw new UsageError(`--allow: ${JSON.stringify(value)} must be <address>=<reason>`);
  const address = match[1].trim();
  const reason = match[2].trim();
  if (reason === "") throw new UsageError(`--allow: ${address}: needs a reason after "="`);
  return { address, reason };
}

/** The file's text parsed as JSON, or an error that names the file and says what it is instead. */
function readPlanJson(path: string, cwd: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, path));
  } catch (error) {
    throw new InvalidInputError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  // A saved plan file is a zip archive.
  if (bytes.subarray(0, 4).equals(Buffer.from("PK\u0003\u0004", "latin1"))) {
    throw new InvalidInputError(
      `${path}: is a binary plan file; give mrk guard the output of terraform show -json ${path}`,
    );
  }
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new InvalidInputError(
      `${path}: is not JSON (${(error as Error).message}); give the output of terraform show -json <planfile>`,
    );
  }
}

/**
 * A loss as one line (two with its allowance). What comes from the plan or the command line is
 * written with control and bidirectional characters escaped: a for_each key can hold any text.
 */
function lossLine(loss: JudgedLoss): string {
  const arn = loss.arn ? ` [${escapeUnsafe(loss.arn)}]` : "";
  const allowed = loss.allowedBecause === undefined ? "" : `\n      allowed: ${escapeUnsafe(loss.allowedBecause)}`;
  return `  ${escapeUnsafe(loss.address)}: ${loss.kind}: ${escapeUnsafe(loss.why)}${arn}${allowed}`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The report: the verdict on one line, then the losses and the allowances that match none, one per line. */
export function renderVerdict(file: string, verdict: PlanGuardVerdict, guardedResources: number): string {
  const source = escapeUnsafe(file);
  const refused = verdict.losses.filter((loss) => loss.allowedBecause === undefined);
  const allowed = verdict.losses.filter((loss) => loss.allowedBecause !== undefined);
  const unused = verdict.unusedAllowances;
  if (verdict.losses.length === 0 && unused.length === 0) {
    return `${source}: accepted: no KMS key, replica or alias is deleted, replaced, re-created or forgotten (${count(guardedResources, "KMS key or alias", "KMS keys and aliases")} in the plan)\n`;
  }
  const lose = (n: number) => `${count(n, "change")} ${n === 1 ? "loses" : "lose"} a KMS key, replica or alias`;
  const lines = verdict.accepted
    ? [`${source}: accepted: ${lose(allowed.length)}, each allowed with a reason`]
    : [
        `${source}: refused: ${[
          ...(refused.length > 0 ? [lose(refused.length)] : []),
          ...(allowed.length > 0 ? [`${allowed.length} allowed`] : []),
          ...(unused.length > 0
            ? [`${count(unused.length, "--allow")} ${unused.length === 1 ? "matches" : "match"} no loss`]
            : []),
        ].join(", ")}`,
      ];
  if (refused.length > 0) lines.push("", "Lost:", ...refused.map(lossLine));
  if (allowed.length > 0) lines.push("", "Allowed:", ...allowed.map(lossLine));
  if (unused.length > 0) {
    lines.push(
      "",
      "Allowances that match no loss of this plan (remove them):",
      ...unused.map((a) => `  --allow ${escapeUnsafe(`${a.address}=${a.reason}`)}`),
    );
  }
  if (!verdict.accepted) {
    lines.push(
      "",
      "Do not apply this plan: data encrypted under a deleted or replaced key can never be decrypted again.",
      "To retire a key or an alias on purpose, allow its address with a reason: --allow '<address>=<reason>' (docs/plan-guard.md).",
    );
  }
  return `${lines.join("\n")}\n`;
}

export const guardCommand: Command = {
  name: "guard",
  summary: "refuse a Terraform plan that deletes, replaces, re-creates or forgets a KMS key or alias",
  usage: [
    "<plan.json> [--allow <address>=<reason>]...",
    "  <plan.json>  the output of terraform show -json <planfile> (any Terraform plan)",
    "  --allow      accept the loss of this one address, for the reason given (repeatable)",
    "Exit code: 0 when no key or alias is lost (or each loss is allowed), 1 when one is lost, an --allow matches",
    "no loss, or the file is not a plan; 2 for a wrong option.",
  ].join("\n"),
  async run(argv, context) {
    const { values, positionals } = parseOptions(argv, { allow: { type: "string", multiple: true } }, true);
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? "<plan.json>: is required"
          : `${positionals[1]}: unexpected argument (one plan at a time)`,
      );
    }
    const [source] = positionals;
    const allowances = (values.allow ?? []).map(parseAllowance);
    const report = plannedLosses(readPlanJson(source, context.cwd), source);
    const verdict = judgePlan(report, allowances);
    context.stdout(renderVerdict(source, verdict, report.guardedResources));
    return verdict.accepted ? EXIT.ok : EXIT.failed;
  },
};

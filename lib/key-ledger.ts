/**
 * The key ledger: a file committed beside the code that records each key set of a stack as it
 * was declared (its primary region, its replicas' names and regions, the replicas taken out).
 * Synth compares every key set with it, so that an edit that would replace or re-create a key
 * is refused before Terraform ever plans it, and a replica taken out of the configuration is
 * forgotten (a `removed` block) instead of destroyed:
 *
 * - the primary region changed: refused (a failover keeps it and sets currentPrimaryRegion);
 * - a replica moved to another region: refused (Terraform would forget the key and create another);
 * - a replica renamed (the same region under another name): `moved` blocks, from each of its
 *   former names, on every later synth too (a state that has not applied the rename yet still
 *   holds the key under its old address);
 * - a replica left out: forgotten, `removed { lifecycle { destroy = false } }`, for good;
 * - a replica retired (`retire`): destroyed, `removed { lifecycle { destroy = true } }`.
 *
 * A stack built from a config file keeps its ledger beside it (`<config>.lock.json`); a stack of
 * your own adds one with `new KeyLedger(stack, "key-ledger", { path })`. The file is written when
 * the stack synthesizes and passes its checks. Commit it, as you would a lock file.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { TerraformElement, TerraformStack } from "cdktf";
import type { Construct, IConstruct } from "constructs";
import * as z from "zod";
import { displayPath, formatIssue, formatPath, InvalidInputError } from "./validation";

/** A key set as the ledger records it, under its primary key's address. */
export interface KeyRecord {
  /** The region the primary key was created in (a failover does not change it). */
  readonly primaryRegion: string;
  /** Each replica's name and region: `{ "eu": "eu-west-1" }`. */
  readonly replicas: Readonly<Record<string, string>>;
  /** Replicas taken out of the configuration and forgotten: Terraform no longer manages them. */
  readonly forgotten?: Readonly<Record<string, string>>;
  /** Replicas retired: Terraform schedules their deletion. */
  readonly retired?: Readonly<Record<string, string>>;
  /** The former names of replicas renamed, each with the replica's name now: `{ "apac": "asia" }`. */
  readonly renamed?: Readonly<Record<string, string>>;
}

const regionsByName = z.record(z.string(), z.string());
const ledgerSchema = z.strictObject({
  $comment: z.string().optional(),
  keys: z.record(
    z.string(),
    z.strictObject({
      primaryRegion: z.string(),
      replicas: regionsByName,
      forgotten: regionsByName.optional(),
      retired: regionsByName.optional(),
      renamed: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

const COMMENT =
  "Written by multi-region-kms-keys when the stack synthesizes: its key sets as they were declared. Commit it; synth refuses an edit that would replace a key. See docs/keys-that-stay.md.";

/** The key ledger of a config file: `stacks/global-encrypt.json` has `stacks/global-encrypt.lock.json`. */
export function keyLedgerPath(configPath: string): string {
  return configPath.replace(/(\.json)?$/, ".lock.json");
}

export interface KeyLedgerProps {
  /** The ledger file, read when the stack is built and written when it synthesizes. */
  readonly path: string;
}

/**
 * The stack's key ledger; see the file comment. It is an element of the stack's Terraform: the
 * key sets it records that the stack no longer declares are forgotten whole, with `removed`
 * blocks, so a key set taken out of the configuration is never destroyed by accident.
 */
export class KeyLedger extends TerraformElement {
  /** The key sets as the file records them, by primary address. */
  readonly previous: Readonly<Record<string, KeyRecord>>;
  private readonly current = new Map<string, KeyRecord>();

  /** The ledger of the stack `scope` is in, if it has one. */
  static of(scope: IConstruct): KeyLedger | undefined {
    const stack = TerraformStack.of(scope);
    return stack.node.children.find((child): child is KeyLedger => child instanceof KeyLedger);
  }

  constructor(
    scope: Construct,
    id: string,
    readonly props: KeyLedgerProps,
  ) {
    super(scope, id);
    this.previous = readLedger(props.path);
    this.node.addValidation({ validate: () => this.write() });
  }

  /** Records a key set as the stack declares it now. */
  record(primaryAddress: string, record: KeyRecord): void {
    this.current.set(primaryAddress, record);
  }

  /** Key sets the file records but the stack no longer declares. */
  keySetsLeftOut(): Array<[string, KeyRecord]> {
    return Object.entries(this.previous).filter(([address]) => !this.current.has(address));
  }

  /** `removed` blocks that forget every key and alias of the key sets left out. */
  override toTerraform(): { removed?: Array<{ from: string; lifecycle: { destroy: boolean } }> } {
    const removed = this.keySetsLeftOut().flatMap(([primaryAddress, record]) => {
      const prefix = primaryAddress.replace(/^aws_kms_key\./, "").replace(/primary$/, "");
      const names = [
        "primary",
        ...Object.keys(record.replicas),
        ...Object.keys(record.forgotten ?? {}),
        ...Object.keys(record.renamed ?? {}),
      ];
      return names.flatMap((name) => [
        `${name === "primary" ? "aws_kms_key" : "aws_kms_replica_key"}.${prefix}${name}`,
        `aws_kms_alias.${prefix}${name}`,
      ]);
    });
    return removed.length > 0 ? { removed: removed.map((from) => ({ from, lifecycle: { destroy: false } })) } : {};
  }

  /** Every region the file records: their providers must stay while Terraform forgets keys there. */
  get regions(): string[] {
    return [
      ...new Set(
        Object.values(this.previous).flatMap((record) => [
          record.primaryRegion,
          ...Object.values(record.replicas),
          ...Object.values(record.forgotten ?? {}),
          ...Object.values(record.retired ?? {}),
        ]),
      ),
    ];
  }

  /** Writes the file when what it records changed (a stack that fails its checks never gets here). */
  private write(): string[] {
    // In the file's order, then the key sets new to it; a key set left out keeps its record.
    const keys: Record<string, KeyRecord> = {};
    for (const [address, record] of Object.entries(this.previous)) keys[address] = this.current.get(address) ?? record;
    for (const [address, record] of this.current) keys[address] ??= record;
    if (!isDeepStrictEqual(keys, this.previous) || !existsSync(this.props.path)) {
      writeFileSync(this.props.path, `${JSON.stringify({ $comment: COMMENT, keys }, null, 2)}\n`);
    }
    return [];
  }
}

function readLedger(path: string): Record<string, KeyRecord> {
  if (!existsSync(path)) return {};
  const shown = displayPath(path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InvalidInputError(
      `${shown}: is not valid JSON (${(error as Error).message}); restore it from version control`,
    );
  }
  // Parsed once: zod's compiled fast path would cost more than it saves (lib/config.ts).
  const result = ledgerSchema.safeParse(data, { reportInput: true, jitless: true });
  if (!result.success) {
    throw new InvalidInputError(
      result.error.issues.map((issue) => `${shown}: ${formatIssue(formatPath(issue.path), issue)}`).join("\n"),
    );
  }
  return result.data.keys;
}

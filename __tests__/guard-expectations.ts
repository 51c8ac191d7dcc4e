/**
 * What `mrk guard` must say of each plan of scripts/guard-scenarios.ts: the specification the
 * unit tests check on the captured plans (__tests__/fixtures/plans/) and the end-to-end test on
 * the plans it makes. Key ids differ from run to run, so reports are compared with them left out.
 */

/** A report with its key ids left out: `mrk-…`, `key/…`. */
export function withoutKeyIds(text: string): string {
  return text.replace(/mrk-[0-9a-f-]{36}/g, "mrk-…").replace(/key\/[0-9a-f]{8}-[0-9a-f-]{27}/g, "key/…");
}

const NOT_FOUND =
  "the refresh did not find it (deleted or pending deletion outside Terraform, or looked for in another region after its provider changed)";

/** The last lines of a refusal. */
export const REFUSAL_ADVICE = [
  "",
  "Do not apply this plan: data encrypted under a deleted or replaced key can never be decrypted again.",
  "To retire a key or an alias on purpose, allow its address with a reason: --allow '<address>=<reason>' (docs/plan-guard.md).",
  "",
];

/** The report refusing the plan `<name>.json`, which loses `lost` (one line each, as the report writes them). */
export function refusal(name: string, lost: readonly string[]): string[] {
  const n = lost.length;
  return [
    `${name}.json: refused: ${n} change${n === 1 ? "" : "s"} ${n === 1 ? "loses" : "lose"} a KMS key, replica or alias`,
    "",
    "Lost:",
    ...lost.map((line) => `  ${line}`),
    ...REFUSAL_ADVICE,
  ];
}

/** The report accepting the plan `<name>.json`, of the default stack's six keys and aliases. */
export function acceptance(name: string): string[] {
  return [
    `${name}.json: accepted: no KMS key, replica or alias is deleted, replaced, re-created or forgotten (6 KMS keys and aliases in the plan)`,
    "",
  ];
}

const APAC_KEY = "arn:aws:kms:ap-southeast-1:111111111111:key/mrk-…";
const APAC_ALIAS = "arn:aws:kms:ap-southeast-1:111111111111:alias/global-encrypt";

/** The exit code and the report's lines (key ids left out) for each plan of the default stack, by scenario name. */
export const DEFAULT_STACK_REPORTS: Readonly<Record<string, { code: number; report: string[] }>> = {
  unchanged: { code: 0, report: acceptance("unchanged") },
  harmless: { code: 0, report: acceptance("harmless") },
  "primary-region-moved": {
    code: 1,
    report: refusal("primary-region-moved", [
      `aws_kms_alias.primary: re-created: ${NOT_FOUND}, and the plan creates a new one in its place [arn:aws:kms:us-east-1:111111111111:alias/global-encrypt]`,
      `aws_kms_key.primary: re-created: ${NOT_FOUND}, and the plan creates a new one in its place [arn:aws:kms:us-east-1:111111111111:key/mrk-…]`,
      `aws_kms_replica_key.apac: replaced: destroyed, then created anew, because primary_key_arn changes from arn:aws:kms:us-east-1:111111111111:key/mrk-… to (known after apply) [${APAC_KEY}]`,
      "aws_kms_replica_key.eu: replaced: destroyed, then created anew, because primary_key_arn changes from arn:aws:kms:us-east-1:111111111111:key/mrk-… to (known after apply) [arn:aws:kms:eu-west-1:111111111111:key/mrk-…]",
    ]),
  },
  "replica-renamed": {
    code: 1,
    report: refusal("replica-renamed", [
      `aws_kms_alias.apac: deleted: its block is gone from the configuration [${APAC_ALIAS}]`,
      `aws_kms_replica_key.apac: deleted: its block is gone from the configuration [${APAC_KEY}]`,
    ]),
  },
  "replica-region-moved": {
    code: 1,
    report: refusal("replica-region-moved", [
      `aws_kms_alias.apac: re-created: ${NOT_FOUND}, and the plan creates a new one in its place [${APAC_ALIAS}]`,
      `aws_kms_replica_key.apac: re-created: ${NOT_FOUND}, and the plan creates a new one in its place [${APAC_KEY}]`,
    ]),
  },
  "replica-dropped": {
    code: 1,
    report: refusal("replica-dropped", [
      `aws_kms_alias.apac: deleted: its block is gone from the configuration [${APAC_ALIAS}]`,
      `aws_kms_replica_key.apac: deleted: its block is gone from the configuration [${APAC_KEY}]`,
    ]),
  },
  "alias-deleted": {
    code: 1,
    report: refusal("alias-deleted", [
      "aws_kms_alias.eu: deleted: its block is gone from the configuration [arn:aws:kms:eu-west-1:111111111111:alias/global-encrypt]",
    ]),
  },
  "replica-forgotten": {
    code: 1,
    report: refusal("replica-forgotten", [
      `aws_kms_alias.apac: forgotten: a removed block drops it from the state: it stays in AWS, managed by no one [${APAC_ALIAS}]`,
      `aws_kms_replica_key.apac: forgotten: a removed block drops it from the state: it stays in AWS, managed by no one [${APAC_KEY}]`,
    ]),
  },
  "alias-replace-requested": {
    code: 1,
    report: refusal("alias-replace-requested", [
      "aws_kms_alias.primary: replaced: destroyed, then created anew, because the plan was asked to replace it (-replace) [arn:aws:kms:us-east-1:111111111111:alias/global-encrypt]",
    ]),
  },
  "replica-deleted-outside-and-dropped": {
    code: 1,
    report: refusal("replica-deleted-outside-and-dropped", [
      `aws_kms_alias.apac: deleted: its block is gone from the configuration [${APAC_ALIAS}]`,
      `aws_kms_replica_key.apac: gone: ${NOT_FOUND}, and the plan drops it from the state [${APAC_KEY}]`,
    ]),
  },
  "replica-deleted-outside": {
    code: 1,
    report: refusal("replica-deleted-outside", [
      `aws_kms_replica_key.apac: re-created: ${NOT_FOUND}, and the plan creates a new one in its place [${APAC_KEY}]`,
    ]),
  },
};

/** The plain Terraform plan (`ModulePlans`), with the deletion of team b's key allowed. */
export const MODULE_ALLOWANCE = 'module.keys.aws_kms_key.team["b"]=team b left (CHG-1)';

export const MODULE_REPORT = {
  code: 1,
  report: [
    "module-instances.json: refused: 2 changes lose a KMS key, replica or alias, 1 allowed",
    "",
    "Lost:",
    "  module.keys.aws_kms_alias.team[1]: deleted: its index is beyond the new count [arn:aws:kms:us-east-1:111111111111:alias/team-b]",
    '  module.keys.aws_kms_key.team["a"]: replaced: created anew, then the old one destroyed, because key_usage cannot change in place; customer_master_key_spec cannot change in place [arn:aws:kms:us-east-1:111111111111:key/…]',
    "",
    "Allowed:",
    '  module.keys.aws_kms_key.team["b"]: deleted: its key is no longer in for_each [arn:aws:kms:us-east-1:111111111111:key/…]',
    "      allowed: team b left (CHG-1)",
    ...REFUSAL_ADVICE,
  ],
};

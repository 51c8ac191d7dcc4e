/**
 * Whether two key policies mean the same, and how they differ: what `mrk status` asks of the
 * policy KMS holds (GetKeyPolicy) and the one the stack synthesizes, both read as documents of
 * the one policy model (./document.ts).
 *
 * Two statements mean the same when they are equal once what IAM does not read is set aside:
 * - the order of statements, and of the values of every element; a single value or a list of
 *   one; a value given twice;
 * - the case of action names (IAM matches them case-insensitively), of condition keys
 *   ("Context key names are not case-sensitive", IAM's Condition element) and of condition
 *   operators (as ./conditions.ts evaluates them);
 * - an account id or that account's root ARN as an `AWS` principal (IAM reads the one as the
 *   other), and `"Principal": "*"` or `{"AWS": "*"}` (equivalent, IAM's Principal element);
 * - a condition key given in two condition blocks of a data source (the AWS provider merges
 *   their values into one list);
 * - the policy's `Version` and `Id`, which grant nothing.
 * Statement ids count: a statement is named by its `Sid` in every message.
 */
import type { Json } from "../json";
import { accountRootOf, type PolicyDocument, type Principal, type Statement } from "./document";

/** A statement as its meaning: two statements mean the same when their `key`s are equal. */
export interface CanonicalStatement {
  readonly sid?: string;
  /** Each element of the statement that it has, by its IAM name (`Action`, `Principal`...), normalized. */
  readonly parts: Readonly<Json>;
  readonly key: string;
}

const sortedSet = (values: readonly string[]) => [...new Set(values)].sort();

function canonicalPrincipals(principals: readonly Principal[] | undefined): Record<string, string[]> | undefined {
  if (!principals) return undefined;
  const byType: Record<string, string[]> = {};
  for (const { type, identifier } of principals) {
    const kind = type === "*" ? "AWS" : type;
    const root = kind === "AWS" ? accountRootOf(identifier) : undefined;
    byType[kind] ??= [];
    byType[kind].push(root ? `${root.account}:root` : identifier);
  }
  return Object.fromEntries(
    Object.keys(byType)
      .sort()
      .map((type) => [type, sortedSet(byType[type])]),
  );
}

function canonicalConditions(statement: Statement): Record<string, Record<string, string[]>> | undefined {
  if (statement.conditions.length === 0) return undefined;
  const byOperator: Record<string, Record<string, string[]>> = {};
  for (const { test, variable, values } of statement.conditions) {
    byOperator[test.toLowerCase()] ??= {};
    const byKey = byOperator[test.toLowerCase()];
    const key = variable.toLowerCase();
    byKey[key] = sortedSet([...(byKey[key] ?? []), ...values]);
  }
  const sortedKeys = <T>(record: Record<string, T>) =>
    Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, record[key]]),
    );
  return sortedKeys(
    Object.fromEntries(Object.entries(byOperator).map(([operator, byKey]) => [operator, sortedKeys(byKey)])),
  );
}

/** A statement's meaning, for comparison (see the file comment). */
export function canonicalStatement(statement: Statement): CanonicalStatement {
  const lower = (values: readonly string[] | undefined) =>
    values && sortedSet(values.map((value) => value.toLowerCase()));
  const parts: Json = {
    Effect: statement.effect,
    Action: lower(statement.actions),
    NotAction: lower(statement.notActions),
    Resource: statement.resources && sortedSet(statement.resources),
    NotResource: statement.notResources && sortedSet(statement.notResources),
    Principal: canonicalPrincipals(statement.principals),
    NotPrincipal: canonicalPrincipals(statement.notPrincipals),
    Condition: canonicalConditions(statement),
  };
  const defined = Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined));
  const sid = statement.sid === "" ? undefined : statement.sid;
  return { sid, parts: defined, key: JSON.stringify({ Sid: sid ?? null, ...defined }) };
}

/**
 * How the `actual` policy differs from the `expected` one, one line per difference; empty when
 * they mean the same. Statements are matched whole first, then by Sid, so that a statement
 * changed in place reads as one difference naming the elements that changed.
 */
export function policyDifferences(expected: PolicyDocument, actual: PolicyDocument): string[] {
  const missing = expected.statements.map(canonicalStatement);
  const extra: CanonicalStatement[] = [];
  for (const statement of actual.statements.map(canonicalStatement)) {
    const same = missing.findIndex((candidate) => candidate.key === statement.key);
    if (same >= 0) missing.splice(same, 1);
    else extra.push(statement);
  }
  const name = (s: CanonicalStatement) =>
    s.sid !== undefined
      ? `statement "${s.sid}"`
      : `a statement without Sid (${JSON.stringify(s.parts.Action ?? s.parts.NotAction ?? [])})`;
  const differences: string[] = [];
  for (const statement of [...missing]) {
    const changed = statement.sid === undefined ? -1 : extra.findIndex((candidate) => candidate.sid === statement.sid);
    if (changed < 0) continue;
    const [other] = extra.splice(changed, 1);
    missing.splice(missing.indexOf(statement), 1);
    const fields = [...new Set([...Object.keys(statement.parts), ...Object.keys(other.parts)])].filter(
      (field) => JSON.stringify(statement.parts[field]) !== JSON.stringify(other.parts[field]),
    );
    differences.push(`${name(statement)} differs in ${fields.join(", ")}`);
  }
  differences.push(...missing.map((s) => `${name(s)} is missing`));
  differences.push(...extra.map((s) => `${name(s)} is not in the synthesized policy`));
  return differences;
}

/**
 * Makes the plan fixtures of the tests: real `terraform show -json` output of real plans, made
 * offline (lib/terraform.ts, the provider mirror) against the emulator (scripts/emulator.ts),
 * and written to `__tests__/fixtures/plans/<name>/plan.json`.
 *
 *   npm run fixtures:plans            # every fixture
 *   npm run fixtures:plans -- seed    # some of them
 *
 * `__tests__/terraform/plan-fixtures.test.ts` makes one again and compares it with the committed
 * one (`planShape`), so a change of Terraform, the provider or a configuration cannot leave the
 * fixtures stale unnoticed.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthHcl } from "../lib/cli/synth";
import { isObject } from "../lib/json";
import type { TerraformPlan, ValuesModule } from "../lib/plan/types";
import { terraform } from "../lib/terraform";
import { DEFAULT_CONFIG } from "../stacks/app";
import { REFERENCE_ACCOUNT_ID, startEmulator } from "./emulator";

const REPO_ROOT = resolve(__dirname, "..");
const FIXTURES = join(REPO_ROOT, "__tests__", "fixtures");
export const PLAN_FIXTURES_DIR = join(FIXTURES, "plans");

export interface PlanFixture {
  /** The folder under `__tests__/fixtures/plans/`. */
  readonly name: string;
  readonly description: string;
  /** Writes the root module into `dir` (an empty folder); returns the root module's folder. */
  prepare(dir: string): string;
  /** Apply first, then plan again: a plan of resources already in state. @default false */
  readonly applied?: boolean;
}

/** The fixture's own `.tf` files (and modules), committed beside its plan.json. */
const ownSources = (name: string) => (dir: string) => {
  cpSync(join(PLAN_FIXTURES_DIR, name), dir, { recursive: true, filter: (source) => !source.endsWith("plan.json") });
  return dir;
};

const seedSources = (dir: string) => {
  copyFileSync(join(FIXTURES, "seed.tf"), join(dir, "seed.tf"));
  copyFileSync(join(FIXTURES, "seed-setup.tf"), join(dir, "seed-setup.tf"));
  return dir;
};

export const PLAN_FIXTURES: readonly PlanFixture[] = [
  {
    name: "seed",
    description: "the reference document's Terraform section (seed.tf + seed-setup.tf), before apply",
    prepare: seedSources,
  },
  {
    name: "seed-applied",
    description: "the reference document's Terraform, applied, planned again: every value known",
    prepare: seedSources,
    applied: true,
  },
  {
    name: "default-stack",
    description: "the HCL of this repo's default stack (stacks/global-encrypt.json, npm run synth)",
    // As `npm run synth` writes it: its local backend's state path stays inside `dir`.
    prepare: (dir) => synthHcl([DEFAULT_CONFIG], join(dir, "cdktf.out"))[0],
  },
  {
    name: "module-keys",
    description: "a child module per application (for_each), aliases with count, a module output",
    prepare: ownSources("module-keys"),
  },
  {
    name: "bad-public-policy",
    description: 'a key policy that allows "*" to decrypt',
    prepare: ownSources("bad-public-policy"),
  },
  {
    name: "bad-rotation-off",
    description: "a multi-region primary with rotation off",
    prepare: ownSources("bad-rotation-off"),
  },
  {
    name: "bad-deletion-window",
    description: "a key with a 7-day deletion window",
    prepare: ownSources("bad-deletion-window"),
  },
];

/** Runs the fixture's configuration through init, (apply,) plan and show; returns the plan JSON, indented. */
export function makePlan(fixture: PlanFixture, env: NodeJS.ProcessEnv): string {
  const work = mkdtempSync(join(tmpdir(), `mrk-plan-${fixture.name}-`));
  try {
    const dir = fixture.prepare(work);
    terraform(["init", "-no-color"], { cwd: dir, env });
    if (fixture.applied) terraform(["apply", "-auto-approve", "-no-color"], { cwd: dir, env });
    terraform(["plan", "-out=plan.bin", "-no-color"], { cwd: dir, env });
    const json = terraform(["show", "-json", "plan.bin"], { cwd: dir, env }).stdout;
    return `${JSON.stringify(JSON.parse(json), null, 2)}\n`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * What must not change between two runs of the same fixture: Terraform's format version, the
 * configuration, the changes (addresses and actions), and which values each planned instance
 * has (their names, not what the emulator made up, such as key ids and timestamps).
 */
export function planShape(plan: TerraformPlan): unknown {
  const instances: Record<string, string[]> = {};
  const walk = (module: ValuesModule | undefined, tree: string) => {
    for (const resource of module?.resources ?? []) instances[`${tree} ${resource.address}`] = keysOf(resource.values);
    for (const child of module?.child_modules ?? []) walk(child, tree);
  };
  walk(plan.planned_values?.root_module, "planned");
  walk(plan.prior_state?.values?.root_module, "prior");
  return {
    format_version: plan.format_version,
    variables: plan.variables,
    configuration: plan.configuration,
    changes: (plan.resource_changes ?? []).map((change) => ({
      address: change.address,
      actions: change.change.actions,
    })),
    instances,
  };
}

function keysOf(value: unknown, prefix = ""): string[] {
  if (!isObject(value)) return [];
  return Object.entries(value)
    .flatMap(([key, inner]) => [`${prefix}${key}`, ...keysOf(inner, `${prefix}${key}.`)])
    .sort();
}

async function main(names: readonly string[]): Promise<void> {
  const unknown = names.filter((name) => !PLAN_FIXTURES.some((f) => f.name === name));
  if (unknown.length > 0)
    throw new Error(
      `not a plan fixture: ${unknown.join(", ")}; the fixtures are ${PLAN_FIXTURES.map((f) => f.name).join(", ")}`,
    );
  const chosen = names.length > 0 ? PLAN_FIXTURES.filter((f) => names.includes(f.name)) : PLAN_FIXTURES;
  const emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  try {
    for (const fixture of chosen) {
      const out = join(PLAN_FIXTURES_DIR, fixture.name);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "plan.json"), makePlan(fixture, emulator.env));
      process.stdout.write(
        `wrote ${join("__tests__", "fixtures", "plans", fixture.name, "plan.json")}: ${fixture.description}\n`,
      );
    }
  } finally {
    await emulator.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}

/**
 * The plan fixtures: real `terraform show -json` output made by scripts/plan-fixtures.ts.
 */
import { join } from "node:path";
import { readPlanFile } from "../../lib/plan/read-plan";
import type { TerraformPlan } from "../../lib/plan/types";

export const PLANS_DIR = join(__dirname, "..", "fixtures", "plans");

export type PlanFixtureName =
  | "seed"
  | "seed-applied"
  | "default-stack"
  | "module-keys"
  | "bad-public-policy"
  | "bad-rotation-off"
  | "bad-deletion-window";

export function planPath(name: PlanFixtureName): string {
  return join(PLANS_DIR, name, "plan.json");
}

export function loadPlan(name: PlanFixtureName): TerraformPlan {
  return readPlanFile(planPath(name));
}

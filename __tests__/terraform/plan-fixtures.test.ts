/**
 * The committed plan fixtures are still what Terraform makes: one is planned again (offline,
 * against the emulator, as scripts/plan-fixtures.ts does) and must match the committed one in
 * structure (configuration, changes, which values each instance has). When this fails, run
 * `npm run fixtures:plans` and review the diff.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, REFERENCE_ACCOUNT_ID, startEmulator } from "../../scripts/emulator";
import { makePlan, PLAN_FIXTURES, PLAN_FIXTURES_DIR, planShape } from "../../scripts/plan-fixtures";

describe("the module-keys plan fixture", () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ accountId: REFERENCE_ACCOUNT_ID });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  test("matches a plan made now in structure", () => {
    const fixture = PLAN_FIXTURES.find((f) => f.name === "module-keys")!;
    const fresh = JSON.parse(makePlan(fixture, emulator.env));
    const committed = JSON.parse(readFileSync(join(PLAN_FIXTURES_DIR, "module-keys", "plan.json"), "utf8"));
    expect(planShape(committed)).toEqual(planShape(fresh));
  });
});

/**
 * The app as `cdktf synth` runs it (cdktf.json's app, a process of its own): bad input ends it
 * with one line, not a stack trace; a command with no --config reads the project's stacks
 * through it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { statusTarget } from "../../lib/cli/status";
import { testContext } from "../cli";
import { defaultConfigObject } from "../helpers";

const PROJECT_ROOT = join(__dirname, "..", "..");

describe("synth with a bad config", () => {
  const dir = mkdtempSync(join(tmpdir(), "mrk-bad-synth-"));
  const config = join(dir, "bad.json");

  beforeAll(() => {
    const bad = defaultConfigObject();
    bad.replicas[1].region = "eu-west-9";
    writeFileSync(config, JSON.stringify(bad));
  });

  test("fails with one line naming the field and the value, and no stack trace", () => {
    // cdktf.json's app, as `cdktf synth` runs it: "node scripts/run-compiled.js main.ts".
    const [, ...appArgs] = (require("../../cdktf.json").app as string).split(" ");
    const result = spawnSync(process.execPath, appArgs, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, MRK_CONFIG: config, CDKTF_OUTDIR: join(dir, "out") },
      encoding: "utf8",
    });
    expect(result).toExitWith(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: .*bad\.json: replicas\[1\]\.region: "eu-west-9" is not an AWS region/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("a command with no --config", () => {
  test("mrk status, without --stack, checks the project's only stack (this repository's app: global-encrypt)", () => {
    expect(statusTarget({}, testContext()).expected.stack).toBe("global-encrypt");
  });
});

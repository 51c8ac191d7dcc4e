/**
 * Tests leave no temporary folders behind: each Jest run works in a temporary folder of its own,
 * which its globalTeardown removes (scripts/jest-tmpdir.js). Here: every test file, and every
 * process a test starts with the test's environment, writes its temporary files in that folder.
 */
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { basename, dirname } from "node:path";
import { Testing } from "cdktf";

const { PREFIX } = require("../../scripts/jest-tmpdir") as { PREFIX: string };

test("a test file's temporary folder is the run's own, inside the machine's", () => {
  expect({ folder: basename(tmpdir()).replace(/\d+-\w+$/, "<pid>-XXXXXX"), parent: dirname(tmpdir()) }).toEqual({
    folder: `${PREFIX}<pid>-XXXXXX`,
    parent: process.env.MRK_JEST_PARENT_TMPDIR,
  });
});

test("cdktf's test apps make their folders there", () => {
  expect(dirname(Testing.app().outdir)).toBe(tmpdir());
});

test("a process started with the test's environment uses the same folder", () => {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(require('node:os').tmpdir())"], {
    env: { ...process.env },
    encoding: "utf8",
  });
  expect(child).toExitWith(0);
  expect(child.stdout).toBe(tmpdir());
});

/**
 * Each Jest run gets a temporary folder of its own, removed when the run ends, so that tests
 * leave nothing behind in the machine's temporary folder: `globalSetup` creates
 * `<tmpdir>/mrk-jest-<pid>-XXXXXX` and sets `TMPDIR` to it, before Jest starts its workers, so
 * that every test file's `os.tmpdir()` (cdktf's `Testing.app()` makes a folder there for every
 * app it creates, and never removes it), and every process a test starts with the test's
 * environment (terraform, cdktf, the emulator), puts its files there; `globalTeardown` removes
 * it and sets `TMPDIR` back.
 *
 * A run that is killed leaves its folder; the next run removes the folders of runs whose
 * process is gone.
 */
"use strict";
const { mkdtempSync, readdirSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const PREFIX = "mrk-jest-";
/** The environment variable that keeps the machine's temporary folder while the run's is in TMPDIR. */
const PARENT = "MRK_JEST_PARENT_TMPDIR";

/** Whether a process is alive (one of another user counts as alive). */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Removes the folders of earlier runs whose Jest process is gone. */
function removeFoldersOfEndedRuns(parent) {
  for (const name of readdirSync(parent)) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (match && !isAlive(Number(match[1]))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** globalSetup: the run's temporary folder, in TMPDIR. */
function createRunTmpdir() {
  const parent = tmpdir();
  removeFoldersOfEndedRuns(parent);
  process.env[PARENT] = parent;
  process.env.TMPDIR = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}

/** globalTeardown: removes the run's temporary folder and puts TMPDIR back. */
function removeRunTmpdir() {
  const parent = process.env[PARENT];
  if (!parent) return;
  rmSync(process.env.TMPDIR, { recursive: true, force: true });
  process.env.TMPDIR = parent;
  delete process.env[PARENT];
}

module.exports = { createRunTmpdir, removeRunTmpdir, PREFIX, PARENT };

#!/usr/bin/env bash
# Start or stop the patched moto emulator (scripts/emulator/moto_launcher.py) on 127.0.0.1.
#
#   eval "$(scripts/emulator.sh start [PORT])"   # start (PORT default: a free port), export AWS_*
#   scripts/emulator.sh status                    # print the exports again, exit 1 if not running
#   scripts/emulator.sh stop                      # stop it (SIGTERM, then SIGKILL after 5 s)
#
# A front end of scripts/emulator.ts, which the tests use too: scripts/emulator-cli.ts does the
# work. `start` prints only `export ...` lines on stdout (messages go to stderr), so its output
# can be eval'ed. State lives in $EMULATOR_STATE_DIR (default: ${TMPDIR:-/tmp}/mrk-emulator-<checksum
# of the repo path>): moto.pid (written by the launcher itself, so it is the Python server's pid),
# moto.port, moto.log (request log).
# MOTO_ACCOUNT_ID, when set, is the account id every request is served as (moto's default is
# 123456789012; the project's reference account is 111111111111). EMULATOR_PYTHON picks the
# interpreter (default python3).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec node "$REPO_ROOT/scripts/run-compiled.js" "$REPO_ROOT/scripts/emulator-cli.ts" "$@"

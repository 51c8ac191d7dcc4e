#!/usr/bin/env bash
# Start or stop the patched moto emulator (scripts/emulator/moto_launcher.py) on 127.0.0.1.
#
#   eval "$(scripts/emulator.sh start [PORT])"   # start (PORT default: a free port), export AWS_*
#   scripts/emulator.sh status                    # print the exports again, exit 1 if not running
#   scripts/emulator.sh stop                      # stop it (SIGTERM, then SIGKILL after 5 s)
#
# `start` prints only `export ...` lines on stdout (messages go to stderr), so its output can be
# eval'ed. State lives in $EMULATOR_STATE_DIR (default: ${TMPDIR:-/tmp}/mrk-emulator-<checksum of
# the repo path>): moto.pid (written by the launcher itself, so it is the Python server's pid),
# moto.port, moto.log (request log).
# MOTO_ACCOUNT_ID, when set, is the account id every request is served as (moto's default is
# 123456789012; the project's reference account is 111111111111). EMULATOR_PYTHON picks the
# interpreter (default python3).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAUNCHER="$REPO_ROOT/scripts/emulator/moto_launcher.py"
# One state folder per checkout, outside the repository (nothing for git to see).
STATE_DIR="${EMULATOR_STATE_DIR:-${TMPDIR:-/tmp}/mrk-emulator-$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)}"
PID_FILE="$STATE_DIR/moto.pid"
PORT_FILE="$STATE_DIR/moto.port"
LOG_FILE="$STATE_DIR/moto.log"
PYTHON="${EMULATOR_PYTHON:-python3}"
REGION="${AWS_REGION:-us-east-1}"
START_TIMEOUT_S=20
STOP_TIMEOUT_S=5

say() { echo "emulator: $*" >&2; }

# True while the process exists and is not a zombie (an exited child nobody has reaped yet).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ -r "/proc/$1/stat" ]] || return 0
  local state
  state="$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)"
  [[ "$state" != "Z" ]]
}

# The pid in the pid file, if that process is alive and is our launcher (not a recycled pid).
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] && alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q moto_launcher.py; then
    return 1
  fi
  echo "$pid"
}

print_exports() {
  local port="$1"
  echo "export AWS_ENDPOINT_URL=http://127.0.0.1:$port"
  echo "export AWS_ACCESS_KEY_ID=testing"
  echo "export AWS_SECRET_ACCESS_KEY=testing"
  echo "export AWS_REGION=$REGION"
  echo "export AWS_DEFAULT_REGION=$REGION"
  echo "export AWS_EC2_METADATA_DISABLED=true"
}

answers_http() {
  local port="$1"
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/moto-api/"
  else
    # READY is printed once the socket listens, which is enough without curl.
    return 0
  fi
}

cmd_start() {
  local port="${1:-0}"
  [[ "$port" =~ ^[0-9]+$ ]] || { say "PORT must be a number, got '$port'"; exit 2; }
  mkdir -p "$STATE_DIR"

  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid); 'scripts/emulator.sh stop' first to restart it"
    print_exports "$(cat "$PORT_FILE")"
    return 0
  fi
  rm -f "$PID_FILE" "$PORT_FILE"

  local args=(--port "$port" --pid-file "$PID_FILE")
  [[ -n "${MOTO_ACCOUNT_ID:-}" ]] && args+=(--account-id "$MOTO_ACCOUNT_ID")
  nohup "$PYTHON" "$LAUNCHER" "${args[@]}" >"$LOG_FILE" 2>&1 </dev/null &
  local child=$!

  local deadline=$((SECONDS + START_TIMEOUT_S)) ready_port=""
  while ((SECONDS < deadline)); do
    ready_port="$(sed -n 's/^READY \([0-9][0-9]*\)$/\1/p' "$LOG_FILE" | head -n 1)"
    if [[ -n "$ready_port" ]] && answers_http "$ready_port"; then
      break
    fi
    ready_port=""
    if ! alive "$child"; then
      say "the launcher exited before it was ready; its log ($LOG_FILE):"
      tail -n 20 "$LOG_FILE" >&2
      exit 1
    fi
    sleep 0.1
  done
  if [[ -z "$ready_port" ]]; then
    say "no answer within ${START_TIMEOUT_S}s; stopping it. Log ($LOG_FILE):"
    tail -n 20 "$LOG_FILE" >&2
    kill -KILL "$child" 2>/dev/null || true
    rm -f "$PID_FILE"
    exit 1
  fi
  echo "$ready_port" >"$PORT_FILE"
  say "listening on http://127.0.0.1:$ready_port (pid $(cat "$PID_FILE"), log $LOG_FILE)"
  print_exports "$ready_port"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$PID_FILE" "$PORT_FILE"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if alive "$pid"; then
    say "still running after ${STOP_TIMEOUT_S}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  say "stopped (pid $pid)"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid)"
    print_exports "$(cat "$PORT_FILE")"
  else
    say "not running"
    exit 1
  fi
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start [PORT] | stop | status" >&2
    exit 2
    ;;
esac

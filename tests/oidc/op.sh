#!/usr/bin/env bash
# A private OpenID Provider for the tests (tests/oidc/op.mjs: panva's oidc-provider from
# .cache/oidc-provider), like tests/pg/pg.sh for PostgreSQL: never a service, only on
# 127.0.0.1, on a port of its own choosing.
#   op.sh start STATE_DIR [op.mjs options...]
#       starts it, waits until it listens, and leaves in STATE_DIR: op.json (the state:
#       {"issuer", "port", "pid", "rotate", "clients", "users"}), op.pid and op.log. The
#       options go to op.mjs (--redirect-uri URI, --post-logout-redirect-uri URI,
#       --id-token-ttl S, --config FILE, --port N). The provider exits by itself when the
#       process that ran `start` (ctest) is gone; RACINE_OP_WATCH_PID=PID watches another,
#       0 none.
#   op.sh stop STATE_DIR
#       stops it (SIGTERM, then SIGKILL after 5 s) and removes op.json and op.pid.
# Under CI=true a missing node or oidc-provider is a failure that says what to install;
# elsewhere `start` says so, writes no op.json and exits 0 (the tests that need it then
# skip, saying why). RACINE_OP_MODULES replaces .cache/oidc-provider/node_modules.
set -euo pipefail
action=${1:-} dir=${2:-}
if [ -z "$dir" ] || { [ "$action" != start ] && [ "$action" != stop ]; }; then
  echo "usage: op.sh start|stop STATE_DIR [op.mjs options...]" >&2
  exit 2
fi
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
modules=${RACINE_OP_MODULES:-$root/.cache/oidc-provider/node_modules}

absent() {
  echo "$1" >&2
  if [ "${CI:-}" = true ]; then
    echo "error: CI=true and the OpenID Provider cannot start" >&2
    exit 1
  fi
  exit 0
}

stop_op() {
  if [ -f "$dir/op.pid" ]; then
    local pid
    pid=$(cat "$dir/op.pid")
    if kill -TERM "$pid" 2>/dev/null; then
      for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/op.json" "$dir/op.pid"
}

case "$action" in
  start)
    mkdir -p "$dir"
    stop_op  # one left by an earlier run in this folder
    if ! command -v node >/dev/null 2>&1; then
      absent "node is absent: run make deps-test (installs Debian's nodejs and npm, then .cache/oidc-provider)"
    fi
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 18 ]; then
      absent "node $(node --version) is too old for oidc-provider 8: Node.js 18 or later is needed (Debian 12's nodejs)"
    fi
    if [ ! -f "$modules/oidc-provider/package.json" ]; then
      absent "oidc-provider is absent from $modules: run make deps-test (scripts/deps.sh test: npm ci of tests/npm/oidc-provider into .cache/oidc-provider)"
    fi
    RACINE_OP_MODULES=$modules node "$here/op.mjs" --state "$dir/op.json" \
      --watch-pid "${RACINE_OP_WATCH_PID:-$PPID}" "$@" </dev/null >"$dir/op.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/op.pid"
    for _ in $(seq 300); do
      if [ -f "$dir/op.json" ]; then
        issuer=$(node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).issuer" "$dir/op.json")
        echo "oidc provider started: $issuer (pid $pid, state $dir/op.json, log $dir/op.log)"
        exit 0
      fi
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      sleep 0.1
    done
    echo "op.sh: the OpenID Provider did not start; $dir/op.log:" >&2
    cat "$dir/op.log" >&2
    kill "$pid" 2>/dev/null || true
    rm -f "$dir/op.pid"
    exit 1
    ;;
  stop)
    stop_op
    ;;
esac

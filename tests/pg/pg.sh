#!/usr/bin/env bash
# A private PostgreSQL server for the tests: never a system service. `start STATE`
# makes a cluster in a new temporary folder (initdb as the unprivileged user postgres,
# since PostgreSQL refuses to run as root), starts it listening only on a Unix socket in
# that folder, creates the database `racine`, and writes its URL to the file STATE.
# `stop STATE` stops it and removes the folder. Under CI=true a missing PostgreSQL is a
# failure that says what to install; elsewhere `start` writes no STATE and says why (the
# tests that need it then skip, saying so). RACINE_PG_EXTRA adds server options, for
# profiling by hand (docs/performance.md: "-c shared_preload_libraries=pg_stat_statements
# -c pg_stat_statements.track_planning=on"); the tests and benchmarks never set it.
set -euo pipefail
action=$1 state=$2
bin=${RACINE_PG_BIN:-/usr/lib/postgresql/15/bin}
run_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    rm -f "$state"
    if [ ! -x "$bin/initdb" ] || { [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; }; then
      echo "PostgreSQL 15 is absent ($bin/initdb): run make deps-test (installs postgresql-15)" >&2
      if [ "${CI:-}" = true ]; then exit 1; fi
      exit 0
    fi
    dir=$(mktemp -d /tmp/racine-pg-XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    run_as "$bin/initdb" -D "$dir/data" -U racine --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    port=$((20000 + RANDOM % 20000))
    run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -p $port -c fsync=on -c max_connections=200 ${RACINE_PG_EXTRA:-}" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    run_as "$bin/createdb" -h "$dir" -p "$port" -U racine racine
    echo "postgresql:///racine?host=$dir&port=$port&user=racine" >"$state"
    echo "$dir" >"$state.dir"
    echo "postgresql started in $dir (port $port, Unix socket only)"
    ;;
  stop)
    if [ -f "$state.dir" ]; then
      dir=$(cat "$state.dir")
      run_as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$dir" "$state" "$state.dir"
    fi
    ;;
  *)
    echo "usage: pg.sh start|stop STATE" >&2
    exit 2
    ;;
esac

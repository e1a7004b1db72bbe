#!/usr/bin/env bash
# The server under load, side by side with a baseline in the same run:
#   1. wrk (keep-alive) against `GET .../contracts/main/who?q=...` on `racine serve`, and
#      against nginx (Debian's nginx-light, a private process) serving a static JSON file
#      of the same size: requests per second and p99 of each, and their ratio;
#   2. upload throughput (versions per second, each one read, linted and committed
#      durably) on SQLite and on a private PostgreSQL (tests/pg/pg.sh).
# Everything listens on 127.0.0.1 and stops at the end.
# Usage: bench/server.sh RACINE [SECONDS] [UPLOADS] [ROUNDS]
set -euo pipefail
racine=$(realpath "$1")
seconds=${2:-10}
uploads=${3:-200}
rounds=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/racine-bench-server-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash "$root/tests/pg/pg.sh" stop "$work/pg-state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "bench/server.sh: $tool is absent: run make deps-test" >&2; exit 1; }
done

serve() {  # serve NAME ARGS... : starts racine serve, sets port and token
  local name=$1
  shift
  "$racine" serve --listen 127.0.0.1:0 --rate-limit 0 --threads 2 "$@" >"$work/$name.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 1 200); do grep -q 'serving on' "$work/$name.out" && break; sleep 0.05; done
  port=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$work/$name.out")
  token=$(cat "$(sed -n 's/.*the first admin token is in \([^ ]*\) (.*/\1/p' "$work/$name.out")")
}

api() {  # api METHOD PATH [JSON]: prints the body
  python3 - "$port" "$token" "$@" <<'PY'
import http.client, sys
port, token, method, path = sys.argv[1:5]
body = sys.argv[5] if len(sys.argv) > 5 else None
c = http.client.HTTPConnection("127.0.0.1", int(port))
c.request(method, path, body=body, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
r = c.getresponse()
sys.stdout.write(r.read().decode())
PY
}

# wrk's summary: requests/s and the 99th percentile.
load() {  # load URL [HEADER [SCRIPT]]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c32 -d"${seconds}s" --latency -H "$2" -s "$3" "$1")
  elif [ -n "${2:-}" ]; then
    out=$(wrk -t2 -c32 -d"${seconds}s" --latency -H "$2" "$1")
  else
    out=$(wrk -t2 -c32 -d"${seconds}s" --latency "$1")
  fi
  local rps p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "$rps $p99 ${errors:-0}"
}

echo "server: wrk -t2 -c32 -d${seconds}s, keep-alive, on 127.0.0.1 ($(nproc) cores shared by wrk and the server), best of $rounds alternating rounds"
serve sqlite --data "$work/data"
api PUT /api/v1/tenants/acme '{"name":"ACME"}' >/dev/null
api PUT /api/v1/tenants/acme/contracts/main \
  '{"matrix":"managed-kubernetes","version":1,"options":["infogerance-complementaire"],"party":"Client"}' >/dev/null
query='/api/v1/tenants/acme/contracts/main/who?q=qui+sauvegarde+les+applications'
mkdir -p "$work/www"
api GET "$query" >"$work/www/who.json"
size=$(wc -c <"$work/www/who.json")

nginx_port=$((20000 + RANDOM % 20000))
cat >"$work/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  types { application/json json; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
pids+=($!)
sleep 0.5
# Three rounds, racine then nginx in each, so that both see the same moments of a
# shared machine; the best round of each is kept (as `make bench` keeps the best of 3).
# The third target, a new question on every request, is the lookup's own cost: no
# answer is remembered (docs/server.md, "Scale").
racine_rps=0 nginx_rps=0 fresh_rps=0
for _ in $(seq "$rounds"); do
  read -r rps p99 err < <(load "http://127.0.0.1:$port$query" "Authorization: Bearer $token")
  if awk "BEGIN{exit !($rps > $racine_rps)}"; then racine_rps=$rps racine_p99=$p99 racine_err=$err; fi
  read -r rps p99 err < <(load "http://127.0.0.1:$nginx_port/who.json")
  if awk "BEGIN{exit !($rps > $nginx_rps)}"; then nginx_rps=$rps nginx_p99=$p99 nginx_err=$err; fi
  read -r rps p99 err < <(MODE=who-new WHO_PATH="$query" load "http://127.0.0.1:$port" \
    "Authorization: Bearer $token" "$root/bench/wrk.lua")
  if awk "BEGIN{exit !($rps > $fresh_rps)}"; then fresh_rps=$rps fresh_p99=$p99 fresh_err=$err; fi
done
printf '  %-40s %12s %10s %8s\n' "target ($size-byte JSON answer)" "requests/s" "p99" "non-2xx"
printf '  %-40s %12s %10s %8s\n' "nginx, static file" "$nginx_rps" "$nginx_p99" "$nginx_err"
printf '  %-40s %12s %10s %8s\n' "racine serve, who on a contract" "$racine_rps" "$racine_p99" "$racine_err"
printf '  %-40s %12s %10s %8s\n' "racine serve, who, a new question each" "$fresh_rps" "$fresh_p99" "$fresh_err"
awk -v a="$racine_rps" -v b="$nginx_rps" -v p="$racine_p99" -v q="$nginx_p99" '
  # wrk prints latencies with their unit: us, ms or s.
  function ms(t) { if (t ~ /us$/) return t * 0.001; if (t ~ /ms$/) return t + 0; return t * 1000 }
  BEGIN { printf "  racine / nginx: %.2fx requests per second, p99 %.2fx\n", a / b, ms(p) / ms(q) }'
awk -v a="$fresh_rps" -v b="$nginx_rps" 'BEGIN {printf "  racine (a new question each) / nginx: %.2fx requests per second\n", a / b}'

# Uploads: distinct versions of the seed, one client, keep-alive.
upload() {  # upload LABEL
  python3 - "$port" "$token" "$uploads" "$root/data/managed-kubernetes.md" "$1" <<'PY'
import http.client, sys, time
port, token, n, seed, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), open(sys.argv[4], "rb").read(), sys.argv[5]
c = http.client.HTTPConnection("127.0.0.1", int(port))
start = time.monotonic()
for i in range(n):
    c.request("POST", "/api/v1/matrices/bench/versions?force=true", body=seed + b"\n<!-- %d -->\n" % i,
              headers={"Authorization": "Bearer " + token, "Content-Type": "text/markdown"})
    r = c.getresponse(); r.read()
    assert r.status == 201, r.status
took = time.monotonic() - start
print("  %-40s %12.1f versions/s (%d in %.2f s)" % (label, n / took, n, took))
PY
}
echo "uploads: $uploads versions of the seed (read, linted, committed durably), one client"
upload "SQLite (WAL, synchronous=FULL)"
if bash "$root/tests/pg/pg.sh" start "$work/pg-state" >/dev/null 2>&1 && [ -s "$work/pg-state" ]; then
  serve postgresql --database "$(cat "$work/pg-state")"
  upload "PostgreSQL (synchronous_commit=on)"
else
  echo "  PostgreSQL: not measured (postgresql-15 absent: run make deps-test)"
fi

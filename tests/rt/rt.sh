#!/usr/bin/env bash
# A private Request Tracker 5 for the service desk tests (Debian's request-tracker5 on
# SQLite), like tests/pg/pg.sh for PostgreSQL: never a service, only on 127.0.0.1, on a
# port of its own choosing, every file in DIR.
#   rt.sh [start] DIR [QUEUE...]
#       makes DIR (site config, SQLite database, logs, Mason cache, sessions, pid files),
#       initialises the database with RT's rt-setup-database, with the queues QUEUE...
#       (default: "Client" and "Cloud Temple") and the privileged user racine, who may
#       create, see, comment and change the status of tickets in them, and an auth token
#       for racine (REST 2: `Authorization: token $RT_TOKEN`); starts rt-server (Starlet),
#       waits until REST 2 serves every queue to that token, writes DIR/env and exits 0,
#       leaving the server running. DIR/env (KEY=VALUE lines, shell-sourceable):
#         RT_URL=http://127.0.0.1:PORT  RT_TOKEN=1-ID-SECRET  RT_PID=PID
#         RT_USER=racine  RT_PASSWORD=...  RT_ROOT_PASSWORD=...
#       The server stops by itself when the process that ran `start` is gone
#       (RACINE_RT_WATCH_PID=PID watches another, 0 none) and after RACINE_RT_TTL seconds
#       (default 3600).
#   rt.sh stop DIR
#       stops it (SIGTERM to its process group, SIGKILL after 10 s) and its watchdog, and
#       removes DIR/env; the rest of DIR stays for reading.
# Under CI=true a missing Request Tracker is a failure that says what to install;
# elsewhere `start` says so, writes no DIR/env and exits 0 (a test then skips).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rtlib=/usr/share/request-tracker5
setup=/usr/sbin/rt-setup-database-5
server=$rtlib/libexec/rt-server

usage() {
  echo "usage: rt.sh [start] DIR [QUEUE...] | rt.sh stop DIR" >&2
  exit 2
}
action=start
case "${1:-}" in
  "") usage ;;
  start | stop) action=$1; shift ;;
esac
[ $# -ge 1 ] || usage
dir=$1
shift
[ "$action" = stop ] && [ $# -gt 0 ] && usage

stop_rt() {
  local pid
  if [ -f "$dir/watchdog.pid" ]; then
    kill -TERM "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/rt.pid" ]; then
    pid=$(cat "$dir/rt.pid")
    # rt-server runs in a session of its own: its group is the server and its workers.
    if kill -TERM -- "-$pid" 2>/dev/null; then
      for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/env" "$dir/rt.pid" "$dir/watchdog.pid"
}

if [ "$action" = stop ]; then
  stop_rt
  exit 0
fi

if [ ! -x "$setup" ] || [ ! -f "$server" ] || [ ! -f "$rtlib/lib/RT/REST2.pm" ] ||
  ! perl -MDBD::SQLite -MStarlet -e 1 2>/dev/null; then
  echo "Request Tracker 5 is absent ($setup, $server, DBD::SQLite, Starlet): install request-tracker5 rt5-db-sqlite (scripts/deps.sh test)" >&2
  if [ "${CI:-}" = true ]; then
    echo "error: CI=true and Request Tracker cannot start" >&2
    exit 1
  fi
  exit 0
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stop_rt # one left by an earlier run in this folder
rm -rf "${dir:?}"/{RT_SiteConfig.d,setup,var,mason_data,session_data,rt.db,token}
mkdir -p "$dir/RT_SiteConfig.d" "$dir/var" "$dir/mason_data" "$dir/session_data"
if [ $# -eq 0 ]; then set -- "Client" "Cloud Temple"; fi

# A free port: the kernel's choice, released just before rt-server binds it.
port=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0", ReuseAddr => 1)->sockport')
url="http://127.0.0.1:$port"
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
root_password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

# Perl single-quoted string.
pq() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\\\'}"
}
# RT_SITE_CONFIG replaces /etc/request-tracker5/RT_SiteConfig.pm and RT_SITE_CONFIG_DIR
# both RT_SiteConfig.d folders (RT::Config::LoadConfig), so no file of /etc is read. The
# paths RT::Generated fixes under /var are package variables, set here as well.
cat >"$dir/RT_SiteConfig.pm" <<EOF
# Written by tests/rt/rt.sh for a private test server.
Set(\$rtname, 'racine-test');
Set(\$Organization, 'racine-test');
Set(\$CorrespondAddress, 'rt\@127.0.0.1');
Set(\$CommentAddress, 'rt-comment\@127.0.0.1');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $port);
Set(\$WebPath, '');
Set(\$WebBaseURL, '$url');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, $(pq "$dir/rt.db"));
Set(\$Timezone, 'UTC');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');
Set(\$LogToFile, undef);
Set(\$LogDir, $(pq "$dir/var"));
# No mail leaves: 'mbox' writes it to files in \$VarPath.
Set(\$MailCommand, 'mbox');
# bcrypt checks racine's token on every request: ~0.3 s at RT's default cost (12).
Set(\$BcryptCost, 4);
\$RT::VarPath = $(pq "$dir/var");
\$RT::MasonDataDir = $(pq "$dir/mason_data");
\$RT::MasonSessionDir = $(pq "$dir/session_data");
1;
EOF
export RT_SITE_CONFIG="$dir/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$dir/RT_SiteConfig.d"
export RACINE_RT_QUEUES RACINE_RT_PASSWORD="$password" RACINE_RT_TOKEN_FILE="$dir/token"
RACINE_RT_QUEUES=$(printf '%s\n' "$@")
printf '%s\n' "$root_password" >"$dir/root-password"

# `--action init` would insert RT's etc/initialdata and nothing else; the same steps
# (schema, coredata, insert) with --datadir read DATADIR/schema.SQLite and DATADIR/content.
mkdir -p "$dir/setup"
ln -sf "$rtlib/etc/schema.SQLite" "$dir/setup/schema.SQLite"
ln -sf "$here/initialdata.pl" "$dir/setup/content"
if ! (umask 077 && "$setup" --action schema,coredata,insert --skip-create --datadir "$dir/setup" \
  --root-password-file "$dir/root-password") </dev/null >"$dir/setup.log" 2>&1; then
  echo "rt.sh: rt-setup-database failed; $dir/setup.log:" >&2
  cat "$dir/setup.log" >&2
  exit 1
fi
rm -f "$dir/root-password"
if [ ! -s "$dir/token" ] || grep -q -E '\[error\]|\[critical\]' "$dir/setup.log"; then
  echo "rt.sh: rt-setup-database reported errors; $dir/setup.log:" >&2
  cat "$dir/setup.log" >&2
  exit 1
fi
token=$(cat "$dir/token")

# A session of its own: a terminal's Ctrl-C never reaches it (Debian's rt-server, as
# root, answers SIGINT with a chown -R of /var/lib/request-tracker5), and stop_rt ends
# the whole group.
setsid "$server" --server Starlet --host 127.0.0.1 --port "$port" --max-workers 2 \
  </dev/null >"$dir/server.log" 2>&1 &
pid=$!
echo "$pid" >"$dir/rt.pid"

# The watchdog: ends the server when the watched process is gone or the time is up.
watch=${RACINE_RT_WATCH_PID:-$PPID}
ttl=${RACINE_RT_TTL:-3600}
# shellcheck disable=SC2016 # expanded by that bash
setsid bash -c '
  watch=$1 pid=$2 ttl=$3
  trap "exit 0" TERM
  while kill -0 "$pid" 2>/dev/null; do
    if { [ "$watch" -gt 0 ] && ! kill -0 "$watch" 2>/dev/null; } || [ "$SECONDS" -ge "$ttl" ]; then
      kill -TERM -- "-$pid" 2>/dev/null
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null
      exit 0
    fi
    sleep 1
  done' rt-watchdog "$watch" "$pid" "$ttl" </dev/null >/dev/null 2>&1 &
echo "$!" >"$dir/watchdog.pid"

# Ready when REST 2 answers the token for every queue (names with spaces included).
if ! perl -MHTTP::Tiny -MURI::Escape -e '
  my ($url, $token, $pid, @queues) = @ARGV;
  my $http = HTTP::Tiny->new(timeout => 10, default_headers => { Authorization => "token $token" });
  my $deadline = time + 120;
  while (time < $deadline) {
    exit 2 unless kill 0, $pid;
    my $ok = 1;
    for my $q (@queues) {
      my $res = $http->get("$url/REST/2.0/queue/" . uri_escape($q));
      $ok = 0, last unless $res->{status} == 200;
    }
    exit 0 if $ok;
    select undef, undef, undef, 0.2;
  }
  exit 1' "$url" "$token" "$pid" "$@"; then
  echo "rt.sh: Request Tracker did not start on $url; $dir/server.log:" >&2
  cat "$dir/server.log" >&2
  stop_rt
  exit 1
fi

cat >"$dir/env.tmp" <<EOF
RT_URL=$url
RT_TOKEN=$token
RT_PID=$pid
RT_USER=racine
RT_PASSWORD=$password
RT_ROOT_PASSWORD=$root_password
EOF
mv "$dir/env.tmp" "$dir/env"
echo "request tracker started: $url (pid $pid, env $dir/env, log $dir/server.log)"

#!/usr/bin/env bash
# Runs the README's two commands, `make run` then `make test` (with CI=true, so that no
# test may skip), in a clean Debian 12 root made with debootstrap: what a newcomer's
# machine, or CI's, has before the project installs anything. It catches a package the
# build needs that only the developers' machines happen to have, and a test tool that
# needs a newer Node.js than Debian's.
#
# Usage (as root, with network access to the Debian mirror):
#   scripts/fresh-check.sh [ROOT]
# ROOT (default /var/tmp/racine-fresh) is made once with debootstrap (minbase), then given
# only build-essential, cmake, git, python3, nodejs and npm from Debian 12 (Node.js 18), and
# kept: later runs reuse it, as it was after debootstrap (a snapshot is restored), so
# each run starts clean. The project's committed HEAD is cloned into ROOT/work/racine,
# ../shared is mounted read-only beside it, as CI lays it out.
# Exit status: that of the first command that fails.
set -euo pipefail

root_dir=${1:-/var/tmp/racine-fresh}
project=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$project/.." && pwd)/shared
suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

case "$root_dir" in
  / | "" | /usr | /etc | /var | /work) echo "fresh-check: refusing ROOT '$root_dir'" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "fresh-check: run as root (debootstrap and chroot need it)" >&2
  exit 2
fi
if ! command -v debootstrap >/dev/null; then
  echo "fresh-check: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
fi

snapshot="$root_dir.tar"
if [ ! -f "$snapshot" ]; then
  echo "fresh-check: making a Debian 12 root in $root_dir (a few minutes)"
  rm -rf "$root_dir"
  debootstrap --variant=minbase --include=ca-certificates "$suite" "$root_dir" "$mirror"
  cat >"$root_dir/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://security.debian.org/debian-security $suite-security main
EOF
  # What a newcomer has before the README: a compiler, CMake, git, Python and Debian's
  # Node.js with npm (apt resolves npm's dependencies; debootstrap's --include cannot).
  cp /etc/resolv.conf "$root_dir/etc/resolv.conf"
  chroot "$root_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update && apt-get install -y --no-install-recommends build-essential cmake git python3 nodejs npm'
  rm -f "$root_dir"/var/cache/apt/archives/*.deb
  tar -C "$root_dir" -cf "$snapshot" .
else
  echo "fresh-check: restoring $root_dir from $snapshot"
  rm -rf "$root_dir"
  mkdir -p "$root_dir"
  tar -C "$root_dir" -xf "$snapshot"
fi

mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
bind() {  # bind SOURCE TARGET [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounts+=("$2")
  if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}
bind /proc "$root_dir/proc"
bind /sys "$root_dir/sys"
bind /dev "$root_dir/dev"
bind /dev/pts "$root_dir/dev/pts"
bind /dev/shm "$root_dir/dev/shm"
cp /etc/resolv.conf "$root_dir/etc/resolv.conf"
# The host's network settings, as a newcomer's machine on the same network has them: a
# proxy that intercepts TLS (npm's registry is fetched over HTTPS) needs its certificate
# authority, which the host's CA bundle holds and Node.js is told of.
cp /etc/ssl/certs/ca-certificates.crt "$root_dir/etc/ssl/certs/ca-certificates.crt"
node_ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then node_ca=("NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt"); fi

mkdir -p "$root_dir/work"
git clone --quiet "$project" "$root_dir/work/racine"
if [ -d "$shared" ]; then bind "$shared" "$root_dir/work/shared" ro; fi

echo "fresh-check: node $(chroot "$root_dir" node --version) in the root"
run() {
  echo "fresh-check: $*"
  chroot "$root_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    CI=true "${node_ca[@]}" bash -c "cd /work/racine && $*"
}
start=$(date +%s)
# make run serves until stopped: start it, wait until it answers, then stop it.
run "make run RUN_LISTEN=127.0.0.1:18080 > /tmp/make-run.log 2>&1 & pid=\$!; \
  for i in \$(seq 1 3600); do grep -q 'serving on' /tmp/make-run.log 2>/dev/null && break; \
    kill -0 \$pid 2>/dev/null || break; sleep 1; done; cat /tmp/make-run.log; \
  grep -q 'serving on' /tmp/make-run.log && python3 -c 'import urllib.request; print(urllib.request.urlopen(\"http://127.0.0.1:18080/healthz\").read().decode())' \
  && pkill -TERM -f '^[.]/build/racine serve --listen 127.0.0.1:18080' && wait \$pid"
run make test
echo "fresh-check: make run and make test passed in a clean Debian 12 root in $(($(date +%s) - start)) s"

#!/usr/bin/env bash
# Builds the previous release's `racine` for the side-by-side upgrade test: the commit
# named in tests/upgrade/previous-release, taken with `git archive` from this clone into
# OUT/src, configured as a Release unity build without the tests, and only the racine
# target built (OUT/build/racine). Built once per commit: OUT/commit names what
# OUT/build/racine was built from, and a second run with the same commit does nothing
# (OUT is under .cache/, shared by the build presets; a lock keeps two runs apart).
# Prints the build's time. Under CI=true a commit missing from the clone (a shallow
# clone) fails, saying to fetch the history; elsewhere it exits 77 (skip).
# Usage: build-previous.sh SOURCE_DIR OUT
set -euo pipefail
src=$1 out=$2
commit=$(tr -d '[:space:]' <"$src/tests/upgrade/previous-release")
# One build at a time into OUT (the release and sanitizer runs, or several clones, share it).
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9
if [ -x "$out/build/racine" ] && [ "$(cat "$out/commit" 2>/dev/null)" = "$commit" ]; then
  echo "previous release $commit already built in $out/build/racine"
  exit 0
fi
if ! git -C "$src" cat-file -e "$commit^{commit}" 2>/dev/null; then
  message="the previous release's commit $commit is not in this clone (a shallow clone?): fetch the history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
  if [ "${CI:-}" = true ]; then
    echo "error: CI=true and $message" >&2
    exit 1
  fi
  echo "skipped: $message"
  exit 77
fi
rm -rf "$out"
mkdir -p "$out/src"
git -C "$src" archive "$commit" | tar -x -C "$out/src"
start=$(date +%s)
cmake -S "$out/src" -B "$out/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRACINE_TESTS=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 \
  ${RACINE_PREVIOUS_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$RACINE_PREVIOUS_LAUNCHER} >"$out/configure.log" 2>&1 ||
  { tail -n 30 "$out/configure.log" >&2; exit 1; }
cmake --build "$out/build" --target racine -j "${RACINE_PREVIOUS_JOBS:-2}" >"$out/build.log" 2>&1 ||
  { tail -n 30 "$out/build.log" >&2; exit 1; }
echo "$commit" >"$out/commit"
echo "previous release $commit built in $(($(date +%s) - start)) s ($out/build/racine)"

#!/usr/bin/env bash
# `make run`/`make build` install only what building and running need; the test tools
# come with `make test`/`make deps-test`; the npm tools are pinned by committed lockfiles
# installed with `npm ci --ignore-scripts` (issue 18, item 1).
# Usage: deps_sets.sh PROJECT_DIR
set -euo pipefail
project=$1
build=" $(bash "$project/scripts/deps.sh" list build | tr '\n' ' ') "
test=" $(bash "$project/scripts/deps.sh" list test | tr '\n' ' ') "
status=0
fail() {
  echo "deps_sets: $*"
  status=1
}
for tool in chromium libreoffice-calc-nogui poppler-utils postgresql-15 prometheus-alertmanager \
  python3-aiosmtpd nginx-light wrk clang-14 libclang-rt-14-dev clang-format libgtest-dev \
  libbenchmark-dev libmd4c-dev man-db nodejs npm; do
  case "$build" in *" $tool "*) fail "the build set installs the test tool $tool" ;; esac
done
for tool in chromium libreoffice-calc-nogui postgresql-15 prometheus-alertmanager clang-14 \
  libgtest-dev man-db; do
  case "$test" in *" $tool "*) ;; *) fail "the test set lacks $tool" ;; esac
done
for package in $build; do
  case "$test" in *" $package "*) ;; *) fail "the test set lacks the build package $package" ;; esac
done
# The Makefile: run and build depend on deps (the build set), test on deps-test.
grep -Eq '^build: deps$' "$project/Makefile" || fail "make build does not install the build set alone"
grep -Eq '^run: build$' "$project/Makefile" || fail "make run does not go through make build"
grep -Eq '^build-tests: deps-test$' "$project/Makefile" || fail "make test does not install the test set"
count=0
for dir in "$project"/tests/npm/*/; do
  count=$((count + 1))
  [ -f "$dir/package.json" ] || fail "$dir has no package.json"
  [ -f "$dir/package-lock.json" ] || fail "$dir has no committed package-lock.json"
  if grep -Eq '"(\^|~|>|\*)' "$dir/package.json"; then fail "$dir/package.json has a version range"; fi
done
[ "$count" -ge 5 ] || fail "expected the 5 npm tools under tests/npm, found $count"
grep -q 'npm ci --ignore-scripts' "$project/scripts/deps.sh" || fail "deps.sh does not use npm ci --ignore-scripts"
if grep -Ev '^[[:space:]]*#' "$project/scripts/deps.sh" | grep -q 'npm install'; then
  fail "deps.sh still runs npm install"
fi
[ "$status" -eq 0 ] && echo "deps_sets: build set $(echo $build | wc -w) packages, test set $(echo $test | wc -w), $count npm lockfiles"
exit $status

#!/usr/bin/env bash
# The CI=true rule proved (tests/prerequisites.sh, tests/prerequisites.h): with
# RACINE_SHARED_DIR pointing at an empty folder, a shell test (oscal/validate.sh) and a
# C++ corpus test fail under CI=true saying what is absent, and are skipped, saying why,
# without it; so do the failover test (Python) with its etcd absent and the upgrade
# test's build of the previous release from a clone without its commit. Usage: missing_prerequisites.sh SOURCE_DIR RACINE CLI_TESTS
set -uo pipefail
src=$1 racine=$2 cli_tests=$3
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
failures=0
# expect NAME STATUS TEXT COMMAND...: COMMAND exits with STATUS and prints TEXT.
expect() {
  local name=$1 status=$2 text=$3
  shift 3
  local out got
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" != "$status" ] || [[ "$out" != *"$text"* ]]; then
    echo "FAIL $name: exit $got (expected $status), output:"
    echo "$out" | tail -n 20
    echo "(expected to contain: $text)"
    failures=$((failures + 1))
  else
    echo "ok   $name: exit $got, '$text'"
  fi
}
schema_absent="$empty/schemas/oscal_component_schema.json is absent"
expect "shell test, CI=true" 1 "error: CI=true and $schema_absent" \
  env CI=true RACINE_SHARED_DIR="$empty" bash "$src/tests/oscal/validate.sh" "$racine" "$src"
expect "shell test, locally" 77 "skipped: $schema_absent" \
  env -u CI RACINE_SHARED_DIR="$empty" bash "$src/tests/oscal/validate.sh" "$racine" "$src"
corpus_absent="$empty/corpus is absent (RACINE_SHARED_DIR)"
filter=--gtest_filter=CorpusI18n.EveryTranslationAgreesWithItsSource
expect "C++ test, CI=true" 1 "CI=true and $corpus_absent" env CI=true RACINE_SHARED_DIR="$empty" "$cli_tests" "$filter"
expect "C++ test, locally" 0 "$corpus_absent: skipped" env -u CI RACINE_SHARED_DIR="$empty" "$cli_tests" "$filter"
expect "C++ partial test, CI=true" 1 "CI=true and $corpus_absent" \
  env CI=true RACINE_SHARED_DIR="$empty" "$cli_tests" --gtest_filter=CorpusFormats.RoundTripsThroughEveryFormat
expect "C++ partial test, locally" 0 "note: $corpus_absent: only the seed is checked" \
  env -u CI RACINE_SHARED_DIR="$empty" "$cli_tests" --gtest_filter=CorpusFormats.RoundTripsThroughEveryFormat
etcd_absent="failover test: no $empty/etcd (Debian package etcd-server)"
expect "failover test, CI=true" 1 "error: CI=true and $etcd_absent" \
  env CI=true RACINE_ETCD="$empty/etcd" python3 "$src/tests/ha/failover.py" "$racine"
expect "failover test, locally" 77 "skipped: $etcd_absent" \
  env -u CI RACINE_ETCD="$empty/etcd" python3 "$src/tests/ha/failover.py" "$racine"
# The upgrade test's previous release, from a clone that lacks its commit (shallow).
shallow="$empty/clone"
mkdir -p "$shallow/tests/upgrade"
git init -q "$shallow"
echo 0123456789abcdef0123456789abcdef01234567 >"$shallow/tests/upgrade/previous-release"
not_in_clone="the previous release's commit 0123456789abcdef0123456789abcdef01234567 is not in this clone (a shallow clone?): fetch the history"
expect "previous release, CI=true" 1 "error: CI=true and $not_in_clone" \
  env CI=true bash "$src/tests/upgrade/build-previous.sh" "$shallow" "$empty/previous"
expect "previous release, locally" 77 "skipped: $not_in_clone" \
  env -u CI bash "$src/tests/upgrade/build-previous.sh" "$shallow" "$empty/previous"
[ "$failures" = 0 ]

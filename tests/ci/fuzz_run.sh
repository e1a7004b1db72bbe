#!/usr/bin/env bash
# fuzz/run.sh fails, naming the harness, when a harness is missing or does not run to its
# end; it passes when every harness reports libFuzzer's "Done N runs". Fake harnesses
# (shell scripts) stand in for the libFuzzer ones, so no fuzz build is needed.
# Usage: fuzz_run.sh SOURCE_DIR
set -uo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t harnesses < <(sed -n 's/^run \(fuzz_[a-z0-9_]*\) .*/\1/p' "$src/fuzz/run.sh")
failures=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; echo "$out" | tail -n 20; failures=$((failures + 1)); fi
}
[ "${#harnesses[@]}" -ge 4 ] || { echo "FAIL: no 'run HARNESS' lines found in fuzz/run.sh"; exit 1; }

# No harness built at all.
out=$(bash "$src/fuzz/run.sh" "$work/empty" 1 2>&1)
status=$?
check "missing harnesses: exit 1" test "$status" = 1
check "missing harnesses: named" grep -q "fuzz: failed: ${harnesses[*]}" <<< "$out"
check "missing harness: where it was looked for" grep -q "fuzz: ${harnesses[0]}: no harness at $work/empty/fuzz/${harnesses[0]}" <<< "$out"

# Every harness runs to its end but the first, which exits at once without a word.
mkdir -p "$work/fake/fuzz"
for h in "${harnesses[@]}"; do
  printf '#!/bin/sh\necho "#7 DONE cov: 1 ft: 1"\necho "Done 7 runs in 1 second(s)"\n' > "$work/fake/fuzz/$h"
done
printf '#!/bin/sh\nexit 0\n' > "$work/fake/fuzz/${harnesses[0]}"
chmod +x "$work/fake/fuzz"/*
out=$(bash "$src/fuzz/run.sh" "$work/fake" 1 2>&1)
status=$?
check "harness that does not run: exit 1" test "$status" = 1
check "harness that does not run: named alone" grep -qx "fuzz: failed: ${harnesses[0]}" <<< "$out"
check "harness that does not run: said so" grep -q "fuzz: ${harnesses[0]} did not run to its end (exit 0)" <<< "$out"

# Every harness runs to its end.
cp "$work/fake/fuzz/${harnesses[1]}" "$work/fake/fuzz/${harnesses[0]}"
out=$(bash "$src/fuzz/run.sh" "$work/fake" 1 2>&1)
status=$?
check "every harness ran: exit 0" test "$status" = 0
[ "$failures" = 0 ]

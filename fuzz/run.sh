#!/usr/bin/env bash
# Runs each reader's fuzzer for SECONDS: the Markdown reader (seeded with the project's
# Markdown files and the corpus when present), the canonical YAML/JSON reader and the
# CSV reader (seeded with fuzz/corpus-canonical and fuzz/corpus-csv), and the Kubernetes
# manifest, alert and rules readers (seeded with tests/data/k8s), and the writers'
# round trip (model -> Markdown/YAML/JSON/CSV -> model, seeded with
# fuzz/corpus-roundtrip), and the spreadsheet reader (.xlsx and .ods, seeded with
# fuzz/corpus-spreadsheet). Findings are written to BUILD/fuzz-findings/. A harness that
# is missing, that does not start or that stops before its time (libFuzzer prints "Done
# N runs" when it reaches the end) fails the run, by name, as do findings.
# Usage: fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=$1 seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$build/fuzz-findings"
mkdir -p "$build/fuzz-findings"
failed=()

run() {  # run HARNESS SEED_DIR...
  local harness=$1
  shift
  local bin="$build/fuzz/$harness" log="$build/fuzz-work/$harness.log" status=0
  if [ ! -x "$bin" ]; then
    echo "fuzz: $harness: no harness at $bin (build the fuzz preset)" >&2
    failed+=("$harness")
    return
  fi
  for seeds in "$@"; do
    if [ ! -d "$seeds" ]; then
      echo "fuzz: $harness: its seed folder $seeds is absent" >&2
      failed+=("$harness")
      return
    fi
  done
  mkdir -p "$build/fuzz-work/$harness"
  echo "fuzz: $harness for ${seconds}s"
  "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$build/fuzz-findings/$harness-" -print_final_stats=1 \
    "$build/fuzz-work/$harness" "$@" > "$log" 2>&1 || status=$?
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|Done)" "$log" || true
  if [ "$status" != 0 ] || ! grep -qE "^Done [0-9]+ runs" "$log"; then
    echo "fuzz: $harness did not run to its end (exit $status); the end of $log:" >&2
    tail -n 15 "$log" >&2
    failed+=("$harness")
  fi
}

md_seeds="$build/fuzz-seeds/markdown"
mkdir -p "$md_seeds"
cp "$root"/data/*.md "$root"/tests/golden/lint/*.md "$root"/fuzz/corpus/* "$md_seeds"/ 2>/dev/null || true
if [ -d "$root/../shared/corpus" ]; then
  find "$root/../shared/corpus" -name '*.md' -exec sh -c 'for f; do cp "$f" "$0/$(echo "$f" | tr / _)"; done' "$md_seeds" {} +
fi
run fuzz_markdown_reader "$md_seeds"
run fuzz_canonical_reader "$root/fuzz/corpus-canonical"
run fuzz_csv_reader "$root/fuzz/corpus-csv"
k8s_seeds="$build/fuzz-seeds/k8s"
mkdir -p "$k8s_seeds"
cp "$root"/tests/data/k8s/*.yaml "$root"/tests/data/k8s/*.json "$root"/data/*.k8s.yaml "$root"/fuzz/corpus-k8s/* "$k8s_seeds"/
run fuzz_k8s_reader "$k8s_seeds"
run fuzz_roundtrip "$root/fuzz/corpus-roundtrip"
run fuzz_spreadsheet_reader "$root/fuzz/corpus-spreadsheet"

if [ -n "$(find "$build/fuzz-findings" -type f)" ]; then
  echo "fuzz: findings in $build/fuzz-findings/" >&2
  exit 1
fi
if [ "${#failed[@]}" != 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi

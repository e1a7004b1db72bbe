#!/usr/bin/env bash
# Runs the Markdown reader's fuzzer for SECONDS, seeded with the project's Markdown files
# (and the corpus when present). Findings are written to BUILD/fuzz-findings/.
# Usage: fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=$1 seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
seeds="$build/fuzz-seeds"
rm -rf "$build/fuzz-findings"
mkdir -p "$seeds" "$build/fuzz-findings" "$build/fuzz-work"
cp "$root"/data/*.md "$root"/tests/golden/lint/*.md "$root"/fuzz/corpus/* "$seeds"/ 2>/dev/null || true
if [ -d "$root/../shared/corpus" ]; then
  find "$root/../shared/corpus" -name '*.md' -exec sh -c 'for f; do cp "$f" "$0/$(echo "$f" | tr / _)"; done' "$seeds" {} +
fi
echo "fuzz: markdown reader for ${seconds}s"
"$build/fuzz/fuzz_markdown_reader" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix="$build/fuzz-findings/" -print_final_stats=1 \
  "$build/fuzz-work" "$seeds" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|Done)" || true
if [ -n "$(find "$build/fuzz-findings" -type f)" ]; then
  echo "fuzz: findings in $build/fuzz-findings/" >&2
  exit 1
fi

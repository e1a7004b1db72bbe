#!/usr/bin/env bash
# Regenerates the hostile inputs of tests/hostile_inputs.h and measures racine on each:
# time, peak memory, exit code and message, as a Markdown table for docs/hostile-inputs.md.
# Usage: scripts/hostile-table.sh [BUILD_DIR]   (default: build, the release preset)
set -euo pipefail
build=${1:-build}
racine=$build/racine
gen=$build/tests/racine_hostile_inputs
for tool in "$racine" "$gen"; do
  [[ -x $tool ]] || { echo "hostile-table: $tool missing: cmake --build --preset release first" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "hostile-table: /usr/bin/time missing: apt-get install -y time" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$gen" "$dir"
echo "| input | size | time | peak memory | exit code | message |"
echo "|---|---:|---:|---:|---:|---|"
for f in "$dir"/*; do
  name=$(basename "$f")
  size=$(stat -c %s "$f")
  set +e
  /usr/bin/time -v "$racine" lint "$f" >"$dir.out" 2>"$dir.err"
  set -e
  status=$(sed -n 's/^\tExit status: //p' "$dir.err")
  secs=$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir.err")
  kb=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$dir.err")
  # racine's error, else its summary (the last line of the report); sed reads all of
  # its input, so no SIGPIPE under pipefail.
  message=$({ grep -v -e $'^\t' -e '^Command exited with' "$dir.err" || true; } | sed -n '1p')
  [[ -n $message ]] || message=$(sed -n '$p' "$dir.out")
  message=$(printf '%s' "$message" | sed "s|$dir/||g; s/|/\\\\|/g")
  printf '| %s | %s | %s | %s MB | %s | %s |\n' "$name" \
    "$(numfmt --to=iec --suffix=B "$size")" "$secs" "$((kb / 1024))" "$status" "$message"
done
rm -f "$dir.out" "$dir.err"

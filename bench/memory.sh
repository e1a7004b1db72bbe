#!/usr/bin/env bash
# Peak memory (and time) of every command on one large matrix, one run each, next to the
# input's size: the issue's target is a peak of at most 2x the input (docs/performance.md,
# "Memory of every command"). Writes its outputs and a second version of the matrix
# (one activity in 97 with other roles, for `diff`) beside the matrix.
# (`resolve` is left out: it needs a contract option, and the generated matrix has none.)
# Usage: bench/memory.sh RACINE MATRIX.md CONFIG
set -euo pipefail
racine=$1 matrix=$2 config=$3
dir=$(dirname "$matrix")
base="${matrix%.md}"
[ -s "$base.yaml" ] || "$racine" convert --config "$config" "$matrix" "$base.yaml"
[ -s "$base.json" ] || "$racine" convert --config "$config" "$matrix" "$base.json"
awk 'NR % 97 == 0 && /^\| Operate/ { sub(/\| RA \|/, "| A |") } 1' "$matrix" > "$base.v2.md"
bytes=$(stat -c %s "$matrix")
echo "peak memory of each command on $(basename "$matrix") ($((bytes / 1000000)) MB; one run each; $(uptime | sed 's/.*load/load/'))"
printf '  %-34s %9s %9s %11s %8s\n' command "wall (s)" "CPU (s)" "peak (MiB)" "/ input"
row() {  # row LABEL COMMAND...
  local label=$1
  shift
  /usr/bin/time -o "$dir/memory.time" -f "%e %U %S %M" "$@" > /dev/null 2>&1 || true
  read -r wall user sys peak < <(tail -n 1 "$dir/memory.time")
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v p="$peak" -v b="$bytes" 'BEGIN {
    printf "  %-34s %9.2f %9.2f %11d %7.2fx\n", l, w, u + s, p / 1024, p * 1024 / b }'
}
c=(--config "$config")
row "lint --format json" "$racine" lint "${c[@]}" --format json "$matrix"
row "fmt --check" "$racine" fmt "${c[@]}" --check "$matrix"
row "convert md -> yaml" "$racine" convert "${c[@]}" "$matrix" "$dir/memory.out.yaml"
row "convert md -> json" "$racine" convert "${c[@]}" "$matrix" "$dir/memory.out.json"
row "convert md -> csv" "$racine" convert "${c[@]}" "$matrix" "$dir/memory.out.csv"
row "convert yaml -> md" "$racine" convert "${c[@]}" "$base.yaml" "$dir/memory.out.md"
row "convert json -> md" "$racine" convert "${c[@]}" "$base.json" "$dir/memory.out2.md"
row "export --format html" "$racine" export "${c[@]}" --format html "$matrix"
row "who" "$racine" who "${c[@]}" --matrix "$matrix" operate service component 4242
row "duties party-0" "$racine" duties "${c[@]}" --matrix "$matrix" party-0
row "summary" "$racine" summary "${c[@]}" "$matrix"
row "options" "$racine" options "${c[@]}" "$matrix"
row "diff (two versions)" "$racine" diff "${c[@]}" "$matrix" "$base.v2.md"
rm -f "$dir"/memory.out.* "$dir/memory.out2.md" "$dir/memory.time"

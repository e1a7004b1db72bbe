#!/usr/bin/env bash
# `make bench`: whole-command timings and peak memory on a 50 MB matrix (1M activities
# x 4 parties), in one run: md4c parse-only (speed reference), cmark-gfm parse-only (the
# reference for the targets) and `racine lint`; then racine lint over the corpus in one
# process; then converting it Markdown -> YAML -> Markdown; then reading its canonical
# YAML and JSON (bench_tree, beside a baseline build when RACINE_BASELINE is set); then the
# peak memory of every command (bench/memory.sh); then lookup latency on 1M
# activities (bench_who); then Kubernetes classification (bench_k8s); then diff
# (bench_diff); then the Google Benchmark stages; then the server beside nginx
# (bench/server.sh); then alert routing (bench/routing.py) and the end-to-end latency of
# alerts with half of the receivers failing (bench/latency.py). Usage: bench/run.sh
# BUILD_DIR [RUNS]
set -euo pipefail
build=$1 runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
matrix="$build/matrix-50mb.md"
single="$build/matrix-50mb-single.md"
[ -s "$matrix" ] || "$build/bench/bench_generate" 1000000 4 > "$matrix"
[ -s "$single" ] || "$build/bench/bench_generate" 1000000 4 0 > "$single"
config="$build/bench-config.yaml"
printf 'limits:\n  max-bytes: 134217728\n' > "$config"

# best wall time (s) and the peak RSS (KiB) of that run, over $runs runs
measure() {
  local best_t="" best_m=""
  for _ in $(seq "$runs"); do
    local out
    /usr/bin/time -o "$build/time.out" -f "%e %M" "$@" > /dev/null 2>&1 || true
    out=$(tail -n 1 "$build/time.out")
    local t=${out% *} m=${out#* }
    if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t best_m=$m; fi
  done
  echo "$best_t $best_m"
}

compare() {  # compare FILE LABEL
  local file=$1
  echo "$2: $file ($(du -m "$file" | cut -f1) MB, $(grep -c '^| Operate' "$file") activities)"
  read -r md4c_t md4c_m < <(measure "$build/bench/parse_md4c" "$file")
  read -r cmark_t cmark_m < <(measure "$build/bench/parse_cmark" "$file")
  read -r lint_t lint_m < <(measure "$build/racine" lint --config "$config" --format json "$file")
  printf '  %-28s %10s %12s\n' "command (best of $runs)" "time (s)" "peak (MiB)"
  printf '  %-28s %10s %12d\n' "md4c parse only" "$md4c_t" $((md4c_m / 1024))
  printf '  %-28s %10s %12d\n' "cmark-gfm parse only" "$cmark_t" $((cmark_m / 1024))
  printf '  %-28s %10s %12d\n' "racine lint" "$lint_t" $((lint_m / 1024))
  awk -v lt="$lint_t" -v ct="$cmark_t" -v lm="$lint_m" -v cm="$cmark_m" -v mt="$md4c_t" 'BEGIN {
    printf "  racine lint / cmark-gfm parse: time %.2fx (target <= 1.3x), peak memory %.2fx (target <= 1.2x)\n", lt/ct, lm/cm
    printf "  cmark-gfm / md4c parse time: %.2fx\n\n", ct/mt }'
}
compare "$matrix" "sections of 1,000 rows"
compare "$single" "one single table"

if [ -d "$root/../shared/corpus" ]; then
  mapfile -t files < <(find "$root/../shared/corpus" -name '*-raci*.md' | sort)
  read -r corpus_t corpus_m < <(measure "$build/racine" lint --format json "${files[@]}")
  echo "racine lint over the ${#files[@]} corpus files in one process: ${corpus_t}s, peak $((corpus_m / 1024)) MiB"
fi

# Instruction counts do not depend on what else the machine is doing (valgrind is on every
# machine of this project's kind): the same comparison on the first 2 MB.
if command -v valgrind >/dev/null 2>&1; then
  head -c 2000000 "$matrix" > "$build/matrix-2mb.md"
  instructions() {  # racine lint exits 1 when it finds errors: not a failure here
    { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
      awk '/Collected/ {print $NF}'
  }
  cmark_i=$(instructions "$build/bench/parse_cmark" "$build/matrix-2mb.md")
  lint_i=$(instructions "$build/racine" lint --format json "$build/matrix-2mb.md")
  awk -v l="$lint_i" -v c="$cmark_i" 'BEGIN { printf "instructions on 2 MB: cmark-gfm parse %.0f, racine lint %.0f: %.2fx\n", c, l, l/c }'
fi

# Formats: the same 50 MB matrix Markdown -> YAML -> Markdown, each step against md4c.
big="$build/bench-config-big.yaml"
printf 'limits:\n  max-bytes: 1073741824\n' > "$big"
read -r md4c_t _ < <(measure "$build/bench/parse_md4c" "$matrix")
read -r to_yaml_t to_yaml_m < <(measure "$build/racine" convert --config "$big" "$matrix" "$build/matrix-50mb.yaml")
read -r to_md_t to_md_m < <(measure "$build/racine" convert --config "$big" "$build/matrix-50mb.yaml" "$build/matrix-50mb.back.md")
echo "convert, 1M activities ($(du -m "$build/matrix-50mb.yaml" | cut -f1) MB of YAML):"
awk -v m="$md4c_t" -v a="$to_yaml_t" -v am="$to_yaml_m" -v b="$to_md_t" -v bm="$to_md_m" 'BEGIN {
  printf "  md4c parse only             %6.2f s\n", m
  printf "  Markdown -> YAML            %6.2f s (%.0fx md4c), peak %d MiB\n", a, a/m, am/1024
  printf "  YAML -> Markdown            %6.2f s (%.0fx md4c), peak %d MiB\n", b, b/m, bm/1024 }'

# Reading the canonical YAML and JSON of the same matrix (bench_tree, processor time):
# read_document's first run in a fresh process (what one command pays) and its best of
# 3, the positioned tree alone, and for JSON simdjson's tree beside libyaml's; next to
# `racine lint` of the Markdown in the same run (the JSON target: at most 0.5x its time).
# RACINE_BASELINE=DIR runs DIR/bench/bench_tree (a build of another commit, e.g.
# `git archive 5b555e6 | tar -x -C DIR`, bench preset, with this bench/bench_tree.cpp
# copied in and compiled with -DRACINE_BASELINE_TREE when it predates parse_json_tree)
# on the same files, in turn.
"$build/racine" convert --config "$big" "$matrix" "$build/matrix-50mb.json"
echo
echo "canonical reading ($(uptime | sed 's/.*load/load/')):"
/usr/bin/time -f "  racine lint of the Markdown: %e s wall, %U + %S s processor, peak %M KiB" \
  "$build/racine" lint --config "$big" --format json "$matrix" > /dev/null || true
"$build/bench/bench_tree" "$build/matrix-50mb.yaml" "$build/matrix-50mb.json"
if [ -n "${RACINE_BASELINE:-}" ]; then
  echo "canonical reading (baseline $RACINE_BASELINE):"
  "$RACINE_BASELINE/bench/bench_tree" "$build/matrix-50mb.yaml" "$build/matrix-50mb.json"
fi

# Peak memory (and time) of every command on the 50 MB matrix, against its size.
echo
bash "$root/bench/memory.sh" "$build/racine" "$matrix" "$big"

# Lookups: index build and `who` latency on 1M generated activities, next to a linear scan.
echo
"$build/bench/bench_who" 1000000 100

# Kubernetes: 100,000 objects and 100,000 alerts classified, next to yaml-cpp's parse.
echo
"$build/bench/bench_k8s" 100000

# Diff: two generated versions (renames, typos, moves, role changes, deletions,
# additions) of 4,000 and 50,000 activities, in sections of 50 and in one section, and
# 4,000 with every title reworded; each next to tokenising both versions once.
for args in "4000 50" "4000 0" "50000 50" "50000 0" "4000 0 3 100"; do
  echo
  read -r -a a <<< "$args"
  "$build/bench/bench_diff" "${a[0]}" "${a[1]}" "${a[2]:-3}" "${a[3]:-3}"
done

echo
"$build/bench/racine_bench" --benchmark_min_time=0.2

# The server: wrk against `who` on a contract next to nginx serving the same answer as a
# static file; upload throughput on SQLite and PostgreSQL (bench/server.sh).
echo
bash "$root/bench/server.sh" "$build/racine" 10 200

# Alert routing: accepted alerts per second (batches of 1 and 100, wrk for 3 s each) on
# both engines, next to SQLite's durable-transaction floor; the outbox's drain after the
# load; POST-to-receiver latency (bench/routing.py).
echo
python3 "$root/bench/routing.py" "$build/racine" 400 8

# One webhook delivery alone, a new connection each against one kept open
# (bench/bench_webhook.cpp).
echo
"$build/bench/bench_webhook" 2000

# End-to-end latency (issue 28): Alertmanager's POST to the receiving webhook, p50 and p99,
# at 100 and 1,000 alerts per second on both engines, half of the receivers answering
# 500, beside the same load with every receiver healthy (bench/latency.py).
echo
python3 "$root/bench/latency.py" "$build/racine"

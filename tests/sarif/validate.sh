#!/usr/bin/env bash
# Validates racine's SARIF with Microsoft's SARIF multitool, with its default rules and
# with GitHub's ingestion rules (--rule-kind Gh), on the seed, on the whole corpus, and on
# the i18n findings of a drifted translation.
# Usage: validate.sh RACINE_BINARY SOURCE_DIR ($RACINE_SHARED_DIR replaces ../shared)
# scripts/deps.sh (make deps-test) installs the multitool into SOURCE_DIR/.cache/; what is
# missing fails the test under CI=true, else skips it (tests/prerequisites.sh).
set -euo pipefail
racine=$1 src=$2
source "$src/tests/prerequisites.sh"
cd "$src"
multitool="$src/.cache/sarif-multitool/node_modules/.bin/sarif-multitool"
shared=$(shared_dir)
need_node
[ -x "$multitool" ] || missing "the SARIF multitool is absent from .cache/sarif-multitool: run make deps-test"
[ -d "$shared/corpus" ] || partial "$shared/corpus is absent" "only the seed and the i18n goldens are validated"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set +e
"$racine" lint --format sarif data/managed-kubernetes.md > "$work/seed.sarif"
"$racine" i18n --format sarif tests/golden/i18n/source.md tests/golden/i18n/good.md tests/golden/i18n/drift.md \
  > "$work/i18n.sarif"
files=()
if [ -d "$shared/corpus" ]; then
  while IFS= read -r f; do files+=("$f"); done < <(find "$shared/corpus" -name '*-raci*.md' | sort)
  "$racine" lint --format sarif "${files[@]}" > "$work/corpus.sarif"
fi
set -e

status=0
for log in "$work"/*.sarif; do
  for kind in default Gh; do
    out="$work/$(basename "$log" .sarif).$kind.out.sarif"
    rm -f "$out"
    args=(validate "$log" -o "$out")
    [ "$kind" = Gh ] && args+=(--rule-kind Gh)
    "$multitool" "${args[@]}" > "$work/log.txt" 2>&1 || { cat "$work/log.txt"; status=1; continue; }
    errors=$(node -e '
      const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const res = log.runs.flatMap(r => r.results || []);
      const errs = res.filter(r => (r.level || "warning") === "error");
      for (const e of errs) console.error(e.ruleId + ": " + JSON.stringify(e.message));
      console.log(errs.length);' "$out")
    echo "$(basename "$log") [$kind rules]: $errors errors"
    [ "$errors" = 0 ] || status=1
  done
done
exit $status

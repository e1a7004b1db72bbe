#!/usr/bin/env bash
# Validates `racine export --format oscal` of the seed and of every corpus file against
# NIST's OSCAL component definition schema (../shared/schemas, draft-07) with ajv-cli and
# ajv-formats, then checks that a broken document fails, so that this test can fail.
# What it needs (the schema, the corpus, node and ajv-cli) follows tests/prerequisites.sh:
# under CI=true its absence fails the test, else the test is skipped (exit 77).
# Usage: validate.sh RACINE SOURCE_DIR ($RACINE_SHARED_DIR replaces ../shared)
set -euo pipefail
racine=$1 src=$2
source "$src/tests/prerequisites.sh"
cd "$src"
shared=$(shared_dir)
schema="$shared/schemas/oscal_component_schema.json"
[ -f "$schema" ] || missing "$schema is absent (the shared folder beside the project)"
need_ajv "$src"
scratch
inputs=(data/managed-kubernetes.md)
if [ -d "$shared/corpus" ]; then
  while IFS= read -r f; do inputs+=("$f"); done < <(find "$shared/corpus" -name '*-raci*.md' | sort)
else
  partial "$shared/corpus is absent" "only the seed is validated"
fi
data=()
n=0
for f in "${inputs[@]}"; do
  n=$((n + 1))
  "$racine" export --format oscal "$f" > "$work/$n.json"
  data+=(-d "$work/$n.json")
done
# The effective matrix under an option too.
"$racine" export --format oscal --with infogerance-complementaire > "$work/with.json"
data+=(-d "$work/with.json")
validate() { "$ajv" validate --spec=draft7 -c ajv-formats -s "$schema" "$@"; }
validate "${data[@]}" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
valid=$(grep -c ' valid$' "$work/out.txt")
echo "$valid OSCAL documents valid (${#inputs[@]} matrices and one effective matrix)"
[ "$valid" = $((${#inputs[@]} + 1)) ] || { cat "$work/out.txt"; exit 1; }
# A document without its uuid, and one with a party uuid that is no UUID, must fail.
node -e '
  const fs = require("fs");
  const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const a = structuredClone(d); delete a["component-definition"].uuid;
  const b = structuredClone(d); b["component-definition"].metadata.parties[0].uuid = "client";
  fs.writeFileSync(process.argv[2], JSON.stringify(a));
  fs.writeFileSync(process.argv[3], JSON.stringify(b));' "$work/1.json" "$work/bad1.json" "$work/bad2.json"
for bad in "$work/bad1.json" "$work/bad2.json"; do
  if validate -d "$bad" > /dev/null 2>&1; then
    echo "error: the schema accepts $(basename "$bad")" >&2
    exit 1
  fi
done
echo "2 broken documents refused"

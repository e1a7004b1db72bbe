#!/usr/bin/env bash
# Validates the canonical YAML and JSON that racine writes against
# docs/schema/racine-1.schema.json with a real JSON Schema validator (ajv-cli), for the
# seed and every corpus file; then checks that broken documents fail, so that this test
# can fail. Usage: validate.sh RACINE_BINARY SOURCE_DIR ($RACINE_SHARED_DIR replaces
# ../shared). scripts/deps.sh (make deps-test) installs ajv-cli into SOURCE_DIR/.cache/; what
# is missing fails the test under CI=true, else skips it (tests/prerequisites.sh).
set -euo pipefail
racine=$1 src=$2
source "$src/tests/prerequisites.sh"
cd "$src"
schema="$src/docs/schema/racine-1.schema.json"
shared=$(shared_dir)
need_ajv "$src"

scratch
inputs=(data/managed-kubernetes.md tests/golden/lint/rasci.md tests/golden/lint/daci.md tests/golden/lint/variations.md)
if [ -d "$shared/corpus" ]; then
  while IFS= read -r f; do inputs+=("$f"); done < <(find "$shared/corpus" -name '*-raci*.md' | sort)
else
  partial "$shared/corpus is absent" "only the seed and the golden inputs are validated"
fi
data=()
n=0
for f in "${inputs[@]}"; do
  n=$((n + 1))
  "$racine" export --format yaml "$f" > "$work/$n.yaml"
  "$racine" export --format json "$f" > "$work/$n.json"
  data+=(-d "$work/$n.yaml" -d "$work/$n.json")
done
# What `racine init` writes for editors is valid too, as written (comments and all).
"$racine" init - --format yaml > "$work/starter.yaml"
data+=(-d "$work/starter.yaml")
"$ajv" validate --spec=draft7 -s "$schema" "${data[@]}" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
valid=$(grep -c ' valid$' "$work/out.txt")
echo "${#inputs[@]} matrices and the starter, $valid documents valid"
[ "$valid" = $((2 * ${#inputs[@]} + 1)) ] || { cat "$work/out.txt"; exit 1; }

# Documents the schema must refuse.
printf 'racine: 1\nparties: [{name: A}]\nsections: [{title: x, activities: [{title: t, colour: red}]}]\n' > "$work/bad1.yaml"
printf 'racine: 2\nparties: [{name: A}]\nsections: []\n' > "$work/bad2.yaml"
printf '{"racine": 1, "parties": [], "sections": []}\n' > "$work/bad3.json"
printf 'racine: 1\nparties: [{name: A}]\nsections: [{activities: [{title: t, roles: {a: [R]}}]}]\n' > "$work/bad4.yaml"
for bad in "$work"/bad*; do
  if "$ajv" validate --spec=draft7 -s "$schema" -d "$bad" > /dev/null 2>&1; then
    echo "error: the schema accepts $(basename "$bad"):" >&2
    cat "$bad" >&2
    exit 1
  fi
done
echo "4 broken documents refused"

# Control mappings (docs/schema/racine-controls-1.schema.json): the example mapping of the
# built-in matrix is valid, and documents racine refuses (exit 2) the schema refuses too.
controls_schema="$src/docs/schema/racine-controls-1.schema.json"
"$ajv" validate --spec=draft7 -s "$controls_schema" -d data/managed-kubernetes.controls.yaml > "$work/out.txt" 2>&1 ||
  { cat "$work/out.txt"; exit 1; }
printf 'racine-controls: 1\ncatalog: {id: x}\nmappings:\n  - activity: a\n    controls: []\n' > "$work/cbad1.yaml"
printf 'racine-controls: 1\nmappings: []\n' > "$work/cbad2.yaml"
printf 'racine-controls: 1\ncatalog: {id: x}\nmappings:\n  - activity: a\n    controls: [X-1]\n    owner: me\n' > "$work/cbad3.yaml"
printf 'racine-controls: 2\ncatalog: {id: x}\n' > "$work/cbad4.yaml"
for bad in "$work"/cbad*; do
  if "$ajv" validate --spec=draft7 -s "$controls_schema" -d "$bad" > /dev/null 2>&1; then
    echo "error: the control mapping schema accepts $(basename "$bad")" >&2
    exit 1
  fi
  rc=0
  "$racine" lint --controls "$bad" > /dev/null 2>&1 || rc=$?
  [ "$rc" = 2 ] || { echo "error: racine lint --controls $(basename "$bad") exits $rc, not 2" >&2; exit 1; }
done
echo "the example control mapping valid; 4 broken mappings refused by the schema and by racine"

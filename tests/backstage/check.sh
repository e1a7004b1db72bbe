#!/usr/bin/env bash
# `racine export --format backstage` of the built-in matrix and of an effective matrix,
# checked with Backstage's own catalog model (tests/backstage/check.mjs). Without node or
# the pinned npm packages (`make deps-test`) the test fails under CI=true and is skipped
# (exit 77) elsewhere (tests/prerequisites.sh).
# Usage: check.sh RACINE SOURCE_DIR
set -euo pipefail
racine=$1 src=$2
source "$src/tests/prerequisites.sh"
modules="$src/.cache/backstage/node_modules"
command -v node >/dev/null 2>&1 || missing "node is absent: run make deps-test (nodejs)"
[ -d "$modules/@backstage/catalog-model" ] || missing "@backstage/catalog-model is absent from .cache/backstage: run make deps-test"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$racine" export --format backstage -o "$work/catalog-info.yaml"
"$racine" export --format json > "$work/seed.json"
node "$src/tests/backstage/check.mjs" "$work/catalog-info.yaml" "$work/seed.json" "$modules"
"$racine" export --format backstage --with infogerance-complementaire > "$work/with.yaml"
"$racine" export --format json --with infogerance-complementaire > "$work/with.json"
node "$src/tests/backstage/check.mjs" "$work/with.yaml" "$work/with.json" "$modules"

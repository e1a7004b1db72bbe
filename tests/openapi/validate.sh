#!/usr/bin/env bash
# The server's OpenAPI document (data/openapi.json, served at /openapi.json) is valid
# OpenAPI 3.1 for a real validator (@seriousme/openapi-schema-validator, pinned in
# scripts/deps.sh), a broken copy is refused (so this check can fail), and every route of
# the API's table (src/server/api.cpp) is documented with its method.
# Usage: validate.sh SOURCE_DIR
set -euo pipefail
src=$1
validator="$src/.cache/openapi/node_modules/.bin/validate-api"
if [ ! -x "$validator" ]; then
  echo "the OpenAPI validator is absent ($validator): run make deps-test"
  if [ "${CI:-}" = true ]; then exit 1; fi
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$validator" "$src/data/openapi.json" >"$work/good.txt"
grep -q '"valid": true' "$work/good.txt" || { cat "$work/good.txt"; echo "data/openapi.json is not valid OpenAPI 3.1"; exit 1; }
sed 's/"openapi": "3.1.0"/"openapi": "3.1.0", "bogus": 1/; s/"description": "OK"/"descriptio": "OK"/' \
  "$src/data/openapi.json" >"$work/broken.json"
node "$validator" "$work/broken.json" >"$work/broken.txt" || true
grep -q '"valid": false' "$work/broken.txt" || { echo "a broken document was not refused"; exit 1; }
# Every route of the API's table, with its method, is in the document.
grep -o '{"[A-Z]*", *"/api/v1[^"]*"' "$src/src/server/api.cpp" | sed 's/{"\([A-Z]*\)", *"\(.*\)"/\1 \2/' >"$work/routes.txt"
count=$(wc -l <"$work/routes.txt")
[ "$count" -ge 20 ] || { echo "found only $count routes in src/server/api.cpp"; exit 1; }
node -e '
const doc = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const missing = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").filter(l => {
  const [method, path] = l.split(" ");
  return !(doc.paths[path] && doc.paths[path][method.toLowerCase()]);
});
if (missing.length) { console.log("not in data/openapi.json: " + missing.join(", ")); process.exit(1); }
' "$src/data/openapi.json" "$work/routes.txt"
echo "openapi: valid OpenAPI 3.1, a broken copy refused, all $count routes documented"

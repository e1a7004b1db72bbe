#!/usr/bin/env bash
# `racine export --format oscal-ssp` and `oscal-ssp-customer` (docs/compliance.md):
# 1. both plans, of the built-in matrix and of an effective matrix (--with), validate
#    against tests/oscal/oscal_ssp_1.1.2_subset.schema.json with ajv-cli and ajv-formats.
#    That schema is NOT NIST's oscal_ssp_schema.json, which no Debian or npm package ships:
#    it is written from NIST's SSP metaschema (v1.1.2) and takes NIST's own definitions
#    (metadata, responsible-role, UUID, token) from NIST's component definition schema
#    (../shared/schemas). Broken plans must fail it, so that this test can fail.
# 2. the customer's plan points at the provider's: every inherited[].provided-uuid is a
#    provided[].uuid, every satisfied[].responsibility-uuid a responsibilities[].uuid.
# 3. the UUIDs stay when a row does not change: two versions of a matrix (one row edited)
#    share every UUID but the edited row's.
# 4. a mapping with an unknown activity, or malformed YAML, is refused: file:line, exit 2.
# Usage: ssp.sh RACINE SOURCE_DIR ($RACINE_SHARED_DIR replaces ../shared)
set -euo pipefail
racine=$1 src=$2
source "$src/tests/prerequisites.sh"
cd "$src"
shared=$(shared_dir)
nist="$shared/schemas/oscal_component_schema.json"
schema="$src/tests/oscal/oscal_ssp_1.1.2_subset.schema.json"
[ -f "$nist" ] || missing "$nist is absent (the shared folder beside the project)"
need_ajv "$src"
scratch
export SOURCE_DATE_EPOCH=1767225600
fail() { echo "error: $*" >&2; exit 1; }

# 1. Validation.
"$racine" export --format oscal-ssp -o "$work/provider.json"
"$racine" export --format oscal-ssp-customer -o "$work/customer.json"
"$racine" export --format oscal-ssp --with infogerance-complementaire > "$work/provider-with.json"
"$racine" export --format oscal-ssp-customer --with infogerance-complementaire > "$work/customer-with.json"
validate() { "$ajv" validate --spec=draft7 -c ajv-formats -s "$schema" -r "$nist" "$@"; }
validate -d "$work/provider.json" -d "$work/customer.json" -d "$work/provider-with.json" \
  -d "$work/customer-with.json" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
valid=$(grep -c ' valid$' "$work/out.txt")
[ "$valid" = 4 ] || { cat "$work/out.txt"; fail "$valid plans valid of 4"; }
echo "4 system security plans valid (provider and customer, built-in and effective matrix)"
# NIST's own SSP schema, when the shared folder holds it (no package ships it): the same
# four plans must pass it too.
if [ -f "$shared/schemas/oscal_ssp_schema.json" ]; then
  "$ajv" validate --spec=draft7 -c ajv-formats -s "$shared/schemas/oscal_ssp_schema.json" \
    -d "$work/provider.json" -d "$work/customer.json" -d "$work/provider-with.json" \
    -d "$work/customer-with.json" > "$work/nist.txt" 2>&1 || { cat "$work/nist.txt"; exit 1; }
  echo "the 4 plans valid against $shared/schemas/oscal_ssp_schema.json too"
else
  echo "note: $shared/schemas/oscal_ssp_schema.json is absent: NIST's own SSP schema not checked"
fi
node -e '
  const fs = require("fs");
  const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const ssp = () => structuredClone(d);
  const bad = [];
  let a = ssp(); delete a["system-security-plan"]["import-profile"]; bad.push(a);
  a = ssp(); a["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["by-components"][0].export.provided[0].uuid = "x"; bad.push(a);
  a = ssp(); a["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["by-components"][0].export = {}; bad.push(a);
  a = ssp(); a["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["control-id"] = "IAM 01"; bad.push(a);
  a = ssp(); a["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["by-components"][0].export.provided[0]["responsible-roles"][0]["party-uuids"] = []; bad.push(a);
  bad.forEach((b, i) => fs.writeFileSync(process.argv[2] + "/bad" + i + ".json", JSON.stringify(b)));
' "$work/provider.json" "$work"
for i in 0 1 2 3 4; do
  if validate -d "$work/bad$i.json" > /dev/null 2>&1; then fail "the schema accepts broken plan $i"; fi
done
echo "5 broken plans refused"

# 2. The customer's plan points at the provider's, and every UUID is a version 5 UUID.
node -e '
  const fs = require("fs");
  const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"))["system-security-plan"];
  const p = read(process.argv[1]), c = read(process.argv[2]);
  const provided = new Set(), resp = new Set();
  let origins = {};
  for (const r of p["control-implementation"]["implemented-requirements"]) {
    for (const pr of r.props || []) origins[pr.value] = (origins[pr.value] || 0) + 1;
    for (const b of r["by-components"]) {
      for (const x of (b.export || {}).provided || []) provided.add(x.uuid);
      for (const x of (b.export || {}).responsibilities || []) resp.add(x.uuid);
    }
  }
  let inh = 0, sat = 0;
  for (const r of c["control-implementation"]["implemented-requirements"]) {
    for (const b of r["by-components"]) {
      for (const x of b.inherited || []) { if (!provided.has(x["provided-uuid"])) throw new Error("dangling provided-uuid " + x["provided-uuid"]); inh++; }
      for (const x of b.satisfied || []) { if (!resp.has(x["responsibility-uuid"])) throw new Error("dangling responsibility-uuid " + x["responsibility-uuid"]); sat++; }
    }
  }
  if (inh !== provided.size || sat !== resp.size) throw new Error(`inherited ${inh} of ${provided.size}, satisfied ${sat} of ${resp.size}`);
  const all = JSON.stringify([p, c]).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g);
  for (const u of all) if (u[14] !== "5") throw new Error("not a version 5 UUID: " + u);
  const reqs = p["control-implementation"]["implemented-requirements"].length;
  console.log(`${reqs} controls; ${provided.size} provided, ${resp.size} responsibilities; the customer inherits ${inh} and satisfies ${sat}; origination ${JSON.stringify(origins)}`);
  const want = process.argv[3];
  const got = `${reqs}/${provided.size}/${resp.size}/${JSON.stringify(origins)}`;
  if (got !== want) throw new Error(`expected ${want}, got ${got}`);
' "$work/provider.json" "$work/customer.json" \
  '19/26/12/{"sp-system":18,"customer-configured":8,"customer-provided":1}'

# The effective matrix's plan is another document (its own UUID), whose rows that the
# option leaves alone keep their UUIDs: 31 of 38 parts; the 7 others are the mapped rows
# the option delegates to the provider (the customer's part becomes the provider's).
node -e '
  const fs = require("fs");
  const parts = (f) => {
    const d = JSON.parse(fs.readFileSync(f, "utf8"))["system-security-plan"];
    const s = new Set();
    for (const r of d["control-implementation"]["implemented-requirements"])
      for (const b of r["by-components"])
        for (const x of [...((b.export || {}).provided || []), ...((b.export || {}).responsibilities || [])]) s.add(x.uuid);
    return [d.uuid, s];
  };
  const [a, pa] = parts(process.argv[1]), [b, pb] = parts(process.argv[2]);
  const kept = [...pa].filter(u => pb.has(u)).length;
  if (a === b) throw new Error("the effective matrix plan has the matrix plan UUID");
  if (`${kept}/${pa.size}/${pb.size}` !== "31/38/38") throw new Error(`kept ${kept} of ${pa.size} and ${pb.size}`);
  console.log(`--with infogerance-complementaire: another document, ${kept} of ${pa.size} parts keep their UUIDs`);
' "$work/provider.json" "$work/provider-with.json"

# 3. Two versions of a matrix: the network row (line 14) moves from the provider to the
# customer; every other row keeps its UUIDs.
mkdir -p "$work/v1" "$work/v2"
cp data/managed-kubernetes.md data/managed-kubernetes.controls.yaml "$work/v1/"
cp data/managed-kubernetes.controls.yaml "$work/v2/"
sed '14s/| I          | RA               |/| RA         | I                |/' data/managed-kubernetes.md \
  > "$work/v2/managed-kubernetes.md"
[ "$(diff "$work/v1/managed-kubernetes.md" "$work/v2/managed-kubernetes.md" | grep -c '^>')" = 1 ] ||
  fail "the second version must differ by one row"
for v in v1 v2; do
  "$racine" export --format oscal-ssp "$work/$v/managed-kubernetes.md" > "$work/$v/provider.json"
  grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}' "$work/$v/provider.json" |
    sort -u > "$work/$v/uuids"
done
gone=$(comm -23 "$work/v1/uuids" "$work/v2/uuids" | wc -l)
new=$(comm -13 "$work/v1/uuids" "$work/v2/uuids" | wc -l)
kept=$(comm -12 "$work/v1/uuids" "$work/v2/uuids" | wc -l)
echo "two versions: $kept UUIDs kept, $gone gone, $new new"
# Gone: the provider's part of the network row (IVS-03); new: the customer's part.
[ "$gone" = 1 ] && [ "$new" = 1 ] || fail "expected 1 UUID gone and 1 new"
gone_uuid=$(comm -23 "$work/v1/uuids" "$work/v2/uuids")
grep -B1 -A1 "\"$gone_uuid\"" "$work/v1/provider.json" | grep -q 'Configurer le réseau de base' ||
  fail "the UUID gone is not the network row's"
# The built-in matrix and its copy under the same name export the same plan.
cmp -s "$work/v1/provider.json" "$work/provider.json" || fail "the copy's plan differs from the built-in's"

# 4. Bad mappings: exit 2, file:line.
printf 'racine-controls: 1\ncatalog:\n  id: csa-ccm-v4\nmappings:\n  - activity: back-up-the-cluster\n    controls: [BCR-08]\n' > "$work/unknown.controls.yaml"
set +e
"$racine" export --format oscal-ssp --controls "$work/unknown.controls.yaml" > /dev/null 2> "$work/err1.txt"
rc1=$?
printf 'racine-controls: 1\ncatalog:\n  id: x\nmappings: [\n' > "$work/broken.controls.yaml"
"$racine" export --format oscal-ssp --controls "$work/broken.controls.yaml" > /dev/null 2> "$work/err2.txt"
rc2=$?
set -e
[ "$rc1" = 2 ] && [ "$rc2" = 2 ] || fail "bad mappings exit $rc1 and $rc2, not 2"
grep -qF "$work/unknown.controls.yaml:5:15: error: the mapping names activity 'back-up-the-cluster', which the matrix does not have [RAC601]" "$work/err1.txt" ||
  { cat "$work/err1.txt"; fail "no RAC601 message with file:line"; }
grep -qE "^$work/broken.controls.yaml:5:1: error: " "$work/err2.txt" ||
  { cat "$work/err2.txt"; fail "no file:line for malformed YAML"; }
echo "2 bad mappings refused with file:line, exit 2"

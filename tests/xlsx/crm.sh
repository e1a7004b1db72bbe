#!/usr/bin/env bash
# The customer responsibility workbook (`export --format crm-xlsx`) read back by LibreOffice:
# 1. `--convert-to csv`: the header (Control, Origination, Provider's part, Customer's
#    part, Roles) and one row per control of the mapping, each the same as the provider's
#    OSCAL plan says (`export --format oscal-ssp`): the same controls in the same order,
#    the same control-origination values, as many provider's and customer's parts as
#    export.provided[] and export.responsibilities[] hold; the example mapping's warning.
# 2. `--convert-to pdf` (poppler-utils): every page A4 landscape, the header row on each.
#    Page 1 is kept as OUT_DIR/crm-workbook.png (pdftoppm) when OUT_DIR is given.
# Without LibreOffice, node or poppler-utils the test fails under CI=true and is skipped
# (exit 77) elsewhere (tests/prerequisites.sh).
# Usage: crm.sh RACINE [OUT_DIR]
set -euo pipefail
racine=$1
out_dir=${2:-}
source "$(dirname "$0")/../prerequisites.sh"
need_office
command -v pdfinfo >/dev/null 2>&1 || missing "pdfinfo is absent: run make deps-test (poppler-utils)"
scratch
fail() { echo "FAIL: $*" >&2; exit 1; }
"$racine" export --format crm-xlsx -o "$work/crm.xlsx"
"$racine" export --format oscal-ssp > "$work/ssp.json"
# Without -o: refused, nothing written.
if "$racine" export --format crm-xlsx > "$work/stdout.bin" 2> "$work/err.txt"; then fail "crm-xlsx to standard output"; fi
grep -qF "export --format crm-xlsx writes a file: give -o FILE.xlsx" "$work/err.txt" || { cat "$work/err.txt"; fail "message"; }
convert() {
  HOME="$work" timeout 300 libreoffice --headless -env:UserInstallation="file://$work/profile" \
    --convert-to "$1" --outdir "$work" "$2" > "$work/lo.log" 2>&1 || { cat "$work/lo.log"; exit 1; }
}
convert 'csv:Text - txt - csv (StarCalc):44,34,76' "$work/crm.xlsx"
RACINE_READ_CSV="$(realpath "$(dirname "${BASH_SOURCE[0]}")")/read_csv.cjs" node -e '
  const fs = require("fs");
  const ssp = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))["system-security-plan"];
  const rows = require(process.env.RACINE_READ_CSV)(process.argv[2]);
  const want = ["Control", "Origination", "Provider\u0027s part", "Customer\u0027s part", "Roles"];
  const header = rows.shift();
  if (JSON.stringify(header) !== JSON.stringify(want)) throw new Error("header " + JSON.stringify(header));
  const reqs = ssp["control-implementation"]["implemented-requirements"];
  const lines = (s) => s.split("\n").filter(l => l !== "").length;
  reqs.forEach((r, i) => {
    const got = rows[i];
    const id = (r.remarks || "").match(/^Control (\S+) of/);
    const control = id ? id[1] : r["control-id"].toUpperCase();
    const exp = r["by-components"][0].export || {};
    const origin = (r.props || []).map(p => p.value).join("\n");
    if (got[0] !== control) throw new Error(`row ${i + 2}: control ${got[0]}, the plan says ${control}`);
    if (got[1] !== origin) throw new Error(`row ${i + 2}: origination ${JSON.stringify(got[1])}, the plan says ${JSON.stringify(origin)}`);
    if (lines(got[2]) !== (exp.provided || []).length) throw new Error(`row ${i + 2}: provider ${got[2]}`);
    if (lines(got[3]) !== (exp.responsibilities || []).length) throw new Error(`row ${i + 2}: customer ${got[3]}`);
    if (!/Cloud Temple|Client/.test(got[4])) throw new Error(`row ${i + 2}: roles ${got[4]}`);
    // One line per activity in the parts and the roles: they stand side by side.
    const n = got[4].split("\n").length;
    if (got[2].split("\n").length !== n || got[3].split("\n").length !== n)
      throw new Error(`row ${i + 2}: ${n} activities, parts not aligned: ${JSON.stringify(got)}`);
  });
  const rest = rows.slice(reqs.length).map(r => r.join("")).filter(s => s !== "");
  if (rest.length !== 2 || !/^Catalog: CSA Cloud Controls Matrix v4.0/.test(rest[0]) || !/is an example/.test(rest[1]))
    throw new Error("notes: " + JSON.stringify(rest));
  console.log(`${reqs.length} controls read back as the OSCAL plan has them, with the catalog and the example warning`);
' "$work/ssp.json" "$work/crm.csv"
convert pdf "$work/crm.xlsx"
pdf="$work/crm.pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
landscape=$(pdfinfo -f 1 -l "$pages" "$pdf" | grep -c 'size: *841.89 x 595.3[0-9]* pts (A4)' || true)
[ "$landscape" = "$pages" ] || fail "$landscape of $pages pages are A4 landscape"
for p in $(seq 1 "$pages"); do
  page=$(pdftotext -f "$p" -l "$p" -layout "$pdf" -)
  grep -qF "Provider's part" <<< "$page" || fail "page $p has no header row"
done
echo "$pages pages printed, A4 landscape, the header row on each"
if [ -n "$out_dir" ]; then
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$pdf" "$out_dir/crm-workbook"
  echo "page 1: $out_dir/crm-workbook.png"
fi

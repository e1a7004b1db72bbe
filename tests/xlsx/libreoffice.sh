#!/usr/bin/env bash
# The XLSX export read back and printed by LibreOffice.
# 1. `libreoffice --headless --convert-to csv` of the seed's workbook gives the same roles
#    as the matrix for all 71 activities, under the French header (the seed is French).
# 2. Its print setup, read from the workbook's XML: every sheet landscape A4, fitted to
#    one page wide, its first row repeated on every page; a narrow section column; the
#    sheets Matrice, Client, Cloud Temple, Synthèse, Constats (Matrix... Findings with
#    --lang en).
# 3. `--convert-to pdf`, checked with poppler-utils: 17 to 20 pages (fonts), every one A4
#    landscape; each page starts with the sheet's header row (repeated); the Matrix
#    sheet's last page has the role legend, the notes with their markers, the contract
#    option and the gray zone; the Findings sheet lists the 18 findings. Page 1 is kept
#    as OUT_DIR/xlsx-printed-seed.png (pdftoppm).
# Without LibreOffice, node or poppler-utils (`make deps-test` installs them) the test fails
# under CI=true and is skipped (exit 77) elsewhere (tests/prerequisites.sh).
# Usage: libreoffice.sh RACINE [OUT_DIR]
set -euo pipefail
racine=$1
out_dir=${2:-}
source "$(dirname "$0")/../prerequisites.sh"
need_office
command -v pdfinfo >/dev/null 2>&1 || missing "pdfinfo is absent: run make deps-test (poppler-utils)"
scratch
fail() { echo "FAIL: $*" >&2; exit 1; }
"$racine" export --format xlsx -o "$work/seed.xlsx"
"$racine" export --format xlsx --lang en -o "$work/seed-en.xlsx"
"$racine" export --format json > "$work/seed.json"
# A profile of its own, so that a running LibreOffice or a read-only home does not matter.
convert() {
  HOME="$work" timeout 300 libreoffice --headless -env:UserInstallation="file://$work/profile" \
    --convert-to "$1" --outdir "$work" "$2" > "$work/lo.log" 2>&1 || { cat "$work/lo.log"; exit 1; }
}
convert 'csv:Text - txt - csv (StarCalc):44,34,76' "$work/seed.xlsx"
RACINE_READ_CSV="$(realpath "$(dirname "${BASH_SOURCE[0]}")")/read_csv.cjs" node -e '
  const fs = require("fs");
  const model = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const rows = require(process.env.RACINE_READ_CSV)(process.argv[2]);
  const expected = [];
  for (const s of model.sections) for (const a of s.activities) {
    const cells = model.parties.map(p => (a.roles[p.id] || "") + ((a.markers[p.id] || []).join("")));
    expected.push([s.title, a.title, ...cells]);
  }
  const header = rows.shift();
  if (JSON.stringify(header) !== JSON.stringify(["Section", "Activité", ...model.parties.map(p => p.name)])) {
    console.error("header: " + JSON.stringify(header)); process.exit(1);
  }
  let bad = 0;
  expected.forEach((e, i) => {
    if (JSON.stringify(rows[i]) !== JSON.stringify(e)) { bad++; console.error("row " + (i + 2) + ": " + JSON.stringify(rows[i]) + " != " + JSON.stringify(e)); }
  });
  // Below the table (after one empty row): the role legend, the notes, the options.
  if (JSON.stringify(rows[expected.length]) !== JSON.stringify(["", "", "", ""]) ||
      rows[expected.length + 1][0] !== "Rôles" ||
      JSON.stringify(rows[expected.length + 2].slice(0, 2)) !== JSON.stringify(["R", "Responsable"])) {
    console.error("after the table: " + JSON.stringify(rows.slice(expected.length, expected.length + 3))); process.exit(1);
  }
  if (bad) process.exit(1);
  console.log("LibreOffice reads back the roles of all " + expected.length + " activities");' "$work/seed.json" "$work/seed.csv"

# The print setup in the workbook itself (a ZIP of XML parts, read with node's zlib).
node -e '
  const fs = require("fs"), zlib = require("zlib");
  function parts(file) {
    const b = fs.readFileSync(file), out = {};
    let eocd = b.length - 22;
    while (b.readUInt32LE(eocd) !== 0x06054b50) eocd--;
    let p = b.readUInt32LE(eocd + 16);
    for (let n = b.readUInt16LE(eocd + 10); n > 0; n--) {
      const method = b.readUInt16LE(p + 10), size = b.readUInt32LE(p + 20);
      const nameLen = b.readUInt16LE(p + 28), extra = b.readUInt16LE(p + 30), comment = b.readUInt16LE(p + 32);
      const local = b.readUInt32LE(p + 42), name = b.toString("utf8", p + 46, p + 46 + nameLen);
      const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
      const data = b.subarray(start, start + size);
      out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString("utf8");
      p += 46 + nameLen + extra + comment;
    }
    return out;
  }
  const check = (what, ok) => { if (!ok) { console.error("FAIL: " + what); process.exit(1); } };
  for (const [file, names] of [[process.argv[1], ["Matrice", "Client", "Cloud Temple", "Synthèse", "Constats"]],
                               [process.argv[2], ["Matrix", "Client", "Cloud Temple", "Summary", "Findings"]]]) {
    const x = parts(file);
    const sheets = [...x["xl/workbook.xml"].matchAll(/<sheet name="([^"]*)"/g)].map(m => m[1]);
    check(file + ": sheets " + JSON.stringify(sheets), JSON.stringify(sheets) === JSON.stringify(names));
    const titles = [...x["xl/workbook.xml"].matchAll(/<definedName name="_xlnm.Print_Titles"[^>]*>([^<]*)</g)].map(m => m[1]);
    check(file + ": header row repeated on every sheet " + JSON.stringify(titles), titles.length === names.length && titles.every(t => t.endsWith("!$1:$1")));
    names.forEach((name, i) => {
      const xml = x["xl/worksheets/sheet" + (i + 1) + ".xml"];
      const setup = (xml.match(/<pageSetup [^>]*>/) || [""])[0];
      check(name + ": landscape A4 fitted to one page wide: " + setup,
            /paperSize="9"/.test(setup) && /orientation="landscape"/.test(setup) &&
            /fitToHeight="0"/.test(setup) && !/fitToWidth="[^1]/.test(setup) &&
            /<pageSetUpPr fitToPage="1"\/>/.test(xml));
    });
    // A narrow section column: 26 wide at most, wrapped, beside a wider activity column.
    const cols = [...x["xl/worksheets/sheet1.xml"].matchAll(/<col min="(\d+)" max="\d+" width="([\d.]+)"/g)].map(m => +m[2]);
    check("section column " + cols[0] + " and activity column " + cols[1], cols[0] <= 26.72 && cols[1] > cols[0]);
  }
  console.log("the workbook prints landscape on A4, one page wide, its header row repeated, in French and in English");' "$work/seed.xlsx" "$work/seed-en.xlsx"

# Printed: the PDF LibreOffice makes of it.
convert pdf "$work/seed.xlsx"
pdf="$work/seed.pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
# How many pages each sheet takes depends on the fonts LibreOffice finds (Debian's Noto,
# which Request Tracker's packages bring, sets the rows a little taller than DejaVu): 17
# with DejaVu alone, 18 with Noto. One page wide is what matters: two pages wide would
# double the count.
[ "$pages" -ge 17 ] && [ "$pages" -le 20 ] || fail "the printed workbook has $pages pages, 17 to 20 expected (one page wide)"
landscape=$(pdfinfo -f 1 -l "$pages" "$pdf" | grep -c 'size: *841.89 x 595.3[0-9]* pts (A4)' || true)
[ "$landscape" = "$pages" ] || { pdfinfo -f 1 -l "$pages" "$pdf" | grep size; fail "$landscape of $pages pages are A4 landscape"; }
# Each page: the matrix's title and the sheet's name, then the sheet's header row; the
# sheets in their order, each on one page or more.
sheets=(Matrice Client "Cloud Temple" Synthèse Constats)
at=0
declare -A last_page
for i in $(seq 1 "$pages"); do
  pdftotext -f "$i" -l "$i" -layout "$pdf" "$work/page.txt"
  mapfile -t lines < <(grep -v '^\s*$' "$work/page.txt" | sed 's/  */ /g; s/^ //; s/ $//')
  title="Matrice de Responsabilités (RACI) - Managed Kubernetes"
  if [ "${lines[0]}" != "$title ${sheets[$at]}" ] && [ $((at + 1)) -lt ${#sheets[@]} ] &&
    [ "${lines[0]}" = "$title ${sheets[$((at + 1))]}" ]; then
    at=$((at + 1))
  fi
  sheet=${sheets[$at]}
  [ "${lines[0]}" = "$title $sheet" ] ||
    fail "page $i starts with '${lines[0]}', not the title and the sheet $sheet"
  last_page[$sheet]=$i
  case $sheet in
    Matrice) header="Section Activité Client Cloud Temple" ;;
    Synthèse) header="Section Partie R A C I" ;;
    Constats) header="Code Gravité Ligne Activité Message" ;;
    *) header="Section Activité Rôles" ;;
  esac
  [ "${lines[1]}" = "$header" ] || fail "page $i ($sheet): header row '${lines[1]}', not '$header'"
done
[ "$at" = 4 ] || fail "the printed sheets stop at ${sheets[$at]}"
# The Matrix sheet's end (its last pages: with taller rows the legend and the notes may
# share one or part over two): legend, notes with their markers, option, gray zone. A
# hyphen where pdftotext breaks a line is lost: compared without hyphens.
flat() { pdftotext -f "$1" -l "${2:-$1}" "$pdf" - | tr -s ' \n' '  ' | tr -d -- '-'; }
matrix_end=${last_page[Matrice]}
last=$(flat $((matrix_end - 1)) "$matrix_end")
for want in "Rôles" "Responsable" "Approbateur" "Consulté" "Informé" "Notes" \
  "* Package opérateur inclus sur Managed Kube - voir chapitres : Packages Helm managés" \
  "* Ces responsabilités peuvent être déléguées à Cloud Temple via un contrat d'infogérance complémentaire. (option infogerance-complementaire)" \
  "Options du contrat" "Zone grise"; do
  want=${want//-/}
  [[ "$last" == *"$want"* ]] || fail "pages $((matrix_end - 1))-$matrix_end lack '$want': $last"
done
notes=$(grep -o '(option infogerancecomplementaire)' <<<"$last" | wc -l)
[ "$notes" = 4 ] || fail "pages $((matrix_end - 1))-$matrix_end have $notes notes of the option, 4 expected"
findings=$(flat "${last_page[Constats]}" | grep -o 'RAC[0-9][0-9][0-9]' | wc -l)
[ "$findings" = 18 ] || fail "the Findings sheet lists $findings findings, 18 expected"
if [ -n "$out_dir" ] && command -v pdftoppm >/dev/null 2>&1; then
  pdftoppm -f 1 -l 1 -png -r 80 -singlefile "$pdf" "$out_dir/xlsx-printed-seed"
fi
echo "printed: $pages A4 landscape pages, each with its sheet's header row; legend, notes, option and 18 findings on the sheets"

#!/usr/bin/env bash
# Spreadsheets read as LibreOffice reads them (issue 29): each fixture of
# tests/data/spreadsheets (flat OpenDocument, .fods, written by hand: a title block, merged
# group rows, formulas, two sheets, a cell on two lines, a comment) is converted by
# LibreOffice to .xlsx, to .ods and to one CSV per sheet. racine must read the .xlsx, the
# .ods and the CSV files (in sheet order) into the same activities with the same roles,
# and the .xlsx must give the counts written below. Its lint findings name cells
# ("Options!A3"). racine's own workbook of the built-in matrix reads back as the matrix.
# Without LibreOffice or node (`make deps-test` installs them) the test fails under
# CI=true and is skipped (exit 77) elsewhere (tests/prerequisites.sh).
# Usage: spreadsheets.sh RACINE
set -euo pipefail
racine=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data="$(cd "$(dirname "$0")/../data/spreadsheets" && pwd)"
source "$(dirname "$0")/../prerequisites.sh"
need_office
scratch
fail() { echo "FAIL: $*" >&2; exit 1; }
convert() {  # convert FILTER FILE: into $work, with a profile of its own
  HOME="$work" timeout 300 libreoffice --headless -env:UserInstallation="file://$work/profile" \
    --convert-to "$1" --outdir "$work" "$2" > "$work/lo.log" 2>&1 || { cat "$work/lo.log"; exit 1; }
}
# check FIXTURE "SHEET..." ACTIVITIES PARTIES SECTIONS
check() {
  local name=$1 sheets=$2 activities=$3 parties=$4 sections=$5
  convert xlsx "$data/$name.fods"
  convert ods "$data/$name.fods"
  # One CSV per sheet (the last token, -1), UTF-8 (76), as shown.
  convert 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' "$data/$name.fods"
  "$racine" export --format json "$work/$name.xlsx" > "$work/$name.xlsx.json"
  "$racine" export --format json "$work/$name.ods" > "$work/$name.ods.json"
  local csvs=()
  for s in $sheets; do
    [ -f "$work/$name-$s.csv" ] || fail "$name: LibreOffice wrote no $name-$s.csv"
    "$racine" export --format json "$work/$name-$s.csv" > "$work/$name-$s.csv.json"
    csvs+=("$work/$name-$s.csv.json")
  done
  node -e '
    const fs = require("fs");
    const [name, activities, parties, sections, xlsx, ods, ...csvs] = process.argv.slice(1);
    const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
    // Each activity as its title and its cells by party name, in order.
    const rows = (m) => {
      const names = Object.fromEntries(m.parties.map((p) => [p.id, p.name]));
      return m.sections.flatMap((s) => s.activities.map((a) => a.title + " | " +
        Object.entries(a.roles).filter(([, v]) => v).map(([k, v]) => names[k] + "=" + v).sort().join(", ")));
    };
    const x = read(xlsx), o = read(ods);
    const fromCsv = csvs.flatMap((f) => rows(read(f)));
    const same = (a, b, what) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        console.error("FAIL: " + name + ": " + what + " differ\n  " + a.join("\n  ") + "\n  ---\n  " + b.join("\n  "));
        process.exit(1);
      }
    };
    same(rows(x), rows(o), ".xlsx and .ods");
    same(rows(x), fromCsv, ".xlsx and the CSV of its sheets");
    const count = rows(x).length, sectionCount = x.sections.filter((s) => s.activities.length).length;
    if (count !== +activities || x.parties.length !== +parties || sectionCount !== +sections) {
      console.error(`FAIL: ${name}: ${count} activities, ${x.parties.length} parties, ${sectionCount} sections; expected ${activities}, ${parties}, ${sections}`);
      process.exit(1);
    }
    console.log(`${name}: ${count} activities, ${x.parties.length} parties, ${sectionCount} sections, the same from .xlsx, .ods and CSV`);
  ' "$name" "$activities" "$parties" "$sections" "$work/$name.xlsx.json" "$work/$name.ods.json" "${csvs[@]}"
}
check raci-fr "Matrice Options" 6 3 3
check raci-en "RACI" 4 4 2
# Findings point at cells: the activity without Accountable on the second sheet, the
# only finding.
status=0
(cd "$work" && "$racine" lint raci-fr.xlsx) > "$work/lint.txt" 2>&1 || status=$?
[ "$status" = 1 ] || { cat "$work/lint.txt"; fail "lint exited $status, expected 1"; }
expected="raci-fr.xlsx:Options!A3: error: 'Tester la restauration chaque trimestre': no party is Accountable (Client R, Cloud Temple C) [RAC201]
1 file checked: 1 error, 0 warnings, 0 infos"
[ "$(cat "$work/lint.txt")" = "$expected" ] || { cat "$work/lint.txt"; fail "lint's findings differ"; }
# racine's own workbook reads back from its first sheet: the built-in matrix's 71
# activities in their 12 sections, with the same roles (its notes are text there).
"$racine" export --format xlsx -o "$work/seed.xlsx"
"$racine" export --format json "$work/seed.xlsx" > "$work/seed-back.json"
"$racine" export --format json > "$work/seed.json"
node -e '
  const fs = require("fs");
  const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
  const rows = (m) => m.sections.flatMap((s) => s.activities.map((a) =>
    s.title + " | " + a.title + " | " + JSON.stringify(a.roles)));
  const back = rows(read(process.argv[1])), seed = rows(read(process.argv[2]));
  if (back.length !== 71 || JSON.stringify(back) !== JSON.stringify(seed)) {
    console.error("FAIL: the workbook reads back " + back.length + " activities, not the seed'"'"'s 71 as they are");
    process.exit(1);
  }
' "$work/seed-back.json" "$work/seed.json"
echo "spreadsheets: ok"

#!/usr/bin/env bash
# The XLSX export read back by LibreOffice: `libreoffice --headless --convert-to csv`
# of the seed's workbook gives the same roles as the matrix for all 71 activities.
# Without LibreOffice or node (`make deps` installs them) the test fails under CI=true and
# is skipped (exit 77) elsewhere (tests/prerequisites.sh).
# Usage: libreoffice.sh RACINE
set -euo pipefail
racine=$1
source "$(dirname "$0")/../prerequisites.sh"
command -v libreoffice >/dev/null 2>&1 || missing "LibreOffice is absent: run make deps-test (libreoffice-calc-nogui)"
command -v node >/dev/null 2>&1 || missing "node is absent: run make deps-test (nodejs)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$racine" export --format xlsx -o "$work/seed.xlsx"
"$racine" export --format json > "$work/seed.json"
# A profile of its own, so that a running LibreOffice or a read-only home does not matter.
HOME="$work" timeout 300 libreoffice --headless -env:UserInstallation="file://$work/profile" \
  --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$work" "$work/seed.xlsx" > "$work/lo.log" 2>&1 ||
  { cat "$work/lo.log"; exit 1; }
node -e '
  const fs = require("fs");
  const model = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  // RFC 4180 fields, quoted or not.
  const rows = []; let row = [], field = "", quoted = false;
  const text = fs.readFileSync(process.argv[2], "utf8").replace(/^\uFEFF/, "");
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\"" && text[i + 1] === "\"") { field += "\""; i++; }
      else if (c === "\"") quoted = false; else field += c;
    } else if (c === "\"") quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  const expected = [];
  for (const s of model.sections) for (const a of s.activities) {
    const cells = model.parties.map(p => (a.roles[p.id] || "") + ((a.markers[p.id] || []).join("")));
    expected.push([s.title, a.title, ...cells]);
  }
  const header = rows.shift();
  if (JSON.stringify(header) !== JSON.stringify(["Section", "Activity", ...model.parties.map(p => p.name)])) {
    console.error("header: " + JSON.stringify(header)); process.exit(1);
  }
  let bad = 0;
  expected.forEach((e, i) => {
    if (JSON.stringify(rows[i]) !== JSON.stringify(e)) { bad++; console.error("row " + (i + 2) + ": " + JSON.stringify(rows[i]) + " != " + JSON.stringify(e)); }
  });
  if (rows.length !== expected.length) { console.error(rows.length + " rows, " + expected.length + " expected"); process.exit(1); }
  if (bad) process.exit(1);
  console.log("LibreOffice reads back the roles of all " + expected.length + " activities");' "$work/seed.json" "$work/seed.csv"

// The rows of a CSV file LibreOffice wrote (RFC 4180 fields, quoted or not, a BOM left
// out), for the workbook tests (libreoffice.sh, crm.sh).
const fs = require('fs');

module.exports = function readCsv(path) {
  const rows = []; let row = [], field = '', quoted = false;
  const text = fs.readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
};

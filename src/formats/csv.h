#pragma once
// CSV (RFC 4180): one row per activity, `section,id,title` then one column per party
// (its display name), a header row, CRLF line ends, fields quoted when they must be,
// a UTF-8 byte-order mark so that spreadsheets open it as UTF-8. Cells hold the roles and
// the markers ("RA*"). Notes and options are not written: a CSV round trip keeps parties,
// sections, activities, roles and markers only (docs/formats.md).
//
// A field that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or
// a CR: OWASP's list) is written with a leading apostrophe, and so is a field that starts
// with an apostrophe; the reader removes one apostrophe before any of these, so every
// value reads back as written. A field with white space at either end is quoted: a
// quoted field is read as written, an unquoted one is trimmed.

#include <string>
#include <vector>

#include "core/matrix.h"
#include "core/result.h"
#include "formats/markdown_reader.h"

namespace racine {

std::string write_csv(const Matrix& m);

// Appends one field, quoted when it must be, with the formula guard.
void append_csv_field(std::string& out, std::string_view value);

// The fields of a CSV file (RFC 4180; LF, CRLF or CR line ends), blank lines left out.
struct CsvField {
  std::string value;
  std::uint32_t offset = 0;
  bool quoted = false;  // read as written; an unquoted field is trimmed
};
struct CsvRow {
  std::vector<CsvField> fields;
  std::uint32_t offset = 0;
};
// Errors: a quote never closed, a row of more than limits.max_columns fields.
Result<std::vector<CsvRow>> split_csv(const SourcePtr& source, const Limits& limits);

// A CSV file whose header is not racine's (section,id,title, ...) is a sheet saved as
// CSV: read as a spreadsheet is (formats/spreadsheet.h).
// Errors: a quote never closed (at the opening quote), a row with more fields than the
// header, a header that does not start with section, id, title, a duplicate id.
Result<Matrix> read_csv(const SourcePtr& source, const ReadOptions& options);

}  // namespace racine

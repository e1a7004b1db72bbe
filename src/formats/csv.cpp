#include "formats/csv.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "core/ids.h"
#include "core/markers.h"
#include "core/text.h"
#include "formats/markdown_writer.h"
#include "formats/spreadsheet.h"

namespace racine {

namespace {

// True when a field starting with `c` needs the guard: a character that makes a
// spreadsheet run the field as a formula (OWASP: = + - @ tab CR), or the apostrophe
// itself, so that a value that starts with one reads back whole.
bool needs_guard(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
}

// The field's value with the formula guard taken off: one leading apostrophe before a
// character that needs the guard.
std::string unguard(std::string v) {
  if (v.size() > 1 && v[0] == '\'' && needs_guard(v[1])) v.erase(0, 1);
  return v;
}

}  // namespace

void append_csv_field(std::string& out, std::string_view s) {
  std::string v;
  if (!s.empty() && needs_guard(s[0])) v += '\'';
  v += s;
  // Quoted when a delimiter is inside or white space at either end (a quoted field is
  // read as written; an unquoted one is trimmed).
  const bool quote =
      v.find_first_of(",\"\r\n") != std::string::npos || text::trim(v).size() != v.size();
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string write_csv(const Matrix& m) {
  std::string out = "\xEF\xBB\xBF";
  out += "section,id,title";
  for (const auto& p : m.parties) {
    out += ',';
    // A column without a header (a sheet's) has a party without a name: its id names it,
    // so that the file reads back.
    append_csv_field(out, p.name.empty() ? p.id : p.name);
  }
  out += "\r\n";
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      append_csv_field(out, s.title);
      out += ',';
      append_csv_field(out, a.id);
      out += ',';
      // An activity without a title (a sheet's row whose title cell is empty) is named by
      // its id, so that the file reads back.
      std::string title = a.title.empty() ? a.id : a.title;
      for (const auto& mk : a.title_markers) {
        if (title.find(mk) == std::string::npos) title += mk;
      }
      append_csv_field(out, title);
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        out += ',';
        std::string cell;
        if (p < a.cells.size() && a.cells[p].present) {
          cell = cell_text(a.cells[p].roles, a.cells[p].markers());
        }
        append_csv_field(out, cell);
      }
      out += "\r\n";
    }
  }
  return out;
}

Result<std::vector<CsvRow>> split_csv(const SourcePtr& source, const Limits& limits) {
  const std::string_view t = source->text();
  auto error_at = [&](std::uint32_t offset, std::string message) {
    const Position p = source->position(offset);
    return Error{source->path(), p.line, p.column, std::move(message)};
  };
  // Fields, RFC 4180, with LF, CRLF or CR line ends.
  std::vector<CsvRow> rows;
  CsvRow row;
  CsvField cur;
  bool in_quotes = false;
  bool field_started = false;
  std::uint32_t quote_at = 0;
  auto end_field = [&] {
    row.fields.push_back(std::move(cur));
    cur = CsvField{};
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    const bool blank = row.fields.size() == 1 && row.fields[0].value.empty();
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const auto at = static_cast<std::uint32_t>(i);
    if (row.fields.empty() && !field_started && cur.value.empty()) row.offset = at;
    if (!field_started) {
      cur.offset = at;
      field_started = true;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < t.size() && t[i + 1] == '"') {
          cur.value += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        cur.value += c;
      }
      continue;
    }
    if (c == '"' && cur.value.empty()) {
      in_quotes = true;
      cur.quoted = true;
      quote_at = at;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ++i;
      end_row();
    } else {
      cur.value += c;
    }
    if (row.fields.size() > limits.max_columns) {
      return error_at(
          at, fmt::format("more than {} fields in a row (limits.max-columns)", limits.max_columns));
    }
  }
  if (in_quotes) return error_at(quote_at, "quoted field never closed: a '\"' is missing");
  if (field_started || !row.fields.empty()) end_row();
  if (rows.empty()) return error_at(0, "the CSV file is empty");

  return rows;
}

Result<Matrix> read_csv(const SourcePtr& source, const ReadOptions& options) {
  auto error_at = [&](std::uint32_t offset, std::string message) {
    const Position p = source->position(offset);
    return Error{source->path(), p.line, p.column, std::move(message)};
  };
  auto split = split_csv(source, options.limits);
  if (!split) return split.error();
  const std::vector<CsvRow>& rows = *split;
  // Header.
  const CsvRow& header = rows.front();
  auto name = [](const CsvField& f) { return text::fold(text::trim(f.value)); };
  if (header.fields.size() < 4 || name(header.fields[0]) != "section" ||
      name(header.fields[1]) != "id" || name(header.fields[2]) != "title") {
    // Not racine's own CSV: a sheet saved as CSV, read as a spreadsheet is.
    auto book = sheet::csv_grid(rows, source);
    if (!book) return book.error();
    return sheet::read_grid(*book, source->path(), options);
  }
  if (header.fields.size() > options.limits.max_columns) {
    return error_at(header.offset, fmt::format("{} columns, above the limit of {}",
                                               header.fields.size(), options.limits.max_columns));
  }
  Matrix m;
  m.source = source;
  m.id = options.id;
  // A field's text: an unquoted field trimmed, then the formula guard taken off.
  auto text_of = [](const CsvField& f) {
    return unguard(f.quoted ? f.value : std::string(text::trim(f.value)));
  };
  std::unordered_set<std::string> party_ids;
  for (std::size_t c = 3; c < header.fields.size(); ++c) {
    Party p;
    p.name = text_of(header.fields[c]);
    p.id = text::slugify(p.name);
    if (p.id.empty()) return error_at(header.fields[c].offset, "a party column needs a name");
    if (!party_ids.insert(p.id).second)
      return error_at(header.fields[c].offset, fmt::format("party '{}' appears twice", p.name));
    p.spellings.push_back({p.name, {header.fields[c].offset, header.fields[c].offset + 1}});
    m.parties.push_back(std::move(p));
  }
  ActivityIds ids;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row_r = rows[r];
    if (row_r.fields.size() > header.fields.size()) {
      return error_at(row_r.offset, fmt::format("row has {} fields, the header {}",
                                                row_r.fields.size(), header.fields.size()));
    }
    auto value = [&](std::size_t c) {
      return c < row_r.fields.size() ? text_of(row_r.fields[c]) : std::string();
    };
    const std::string section = value(0);
    if (m.sections.empty() || m.sections.back().title != section) {
      Section s;
      s.title = section;
      s.level = 2;
      s.span = {row_r.offset, row_r.offset + 1};
      m.sections.push_back(std::move(s));
      Table table;
      table.span = {row_r.offset, row_r.offset + 1};
      table.header_cells = static_cast<std::uint32_t>(header.fields.size() - 2);
      m.tables.push_back(table);
    }
    Activity a;
    a.span = {row_r.offset, row_r.offset + 1};
    a.table = static_cast<std::uint32_t>(m.tables.size() - 1);
    a.source_cells = static_cast<std::uint32_t>(m.parties.size() + 1);
    a.title = value(2);
    if (a.title.empty()) return error_at(row_r.offset, "an activity needs a title");
    a.title_markers = find_markers(a.title);
    a.id = value(1);
    if (a.id.empty()) {
      a.id = ids.from_title(a.title);
    } else if (!ids.claim(a.id)) {
      return error_at(row_r.fields[1].offset, fmt::format("duplicate activity id '{}'", a.id));
    } else {
      a.explicit_id = true;
    }
    a.cells.resize(m.parties.size());
    for (std::size_t p = 0; p < m.parties.size(); ++p) {
      Cell& cell = a.cells[p];
      cell.present = true;
      const std::size_t c = p + 3;
      cell.span = c < row_r.fields.size() ? Span{row_r.fields[c].offset, row_r.fields[c].offset + 1}
                                          : a.span;
      cell.text = value(c);
      const RoleCell rc = parse_role_cell(cell.text);
      cell.roles = rc.roles;
      cell.set_extras({rc.markers, rc.unknown, rc.remark});
    }
    m.sections.back().activities.push_back(std::move(a));
  }
  if (m.activity_count() == 0)
    return error_at(0, "no activity: the CSV file has a header and no rows");
  bind_markers(m, MarkerBinding::none);
  return m;
}

}  // namespace racine

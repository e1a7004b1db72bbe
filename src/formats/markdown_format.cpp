#include "formats/markdown_format.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "formats/markdown_writer.h"
#include "formats/pipe_row.h"

namespace racine {

namespace {

// The bold wrapper of a cell ("**" or "__") when the whole cell is wrapped in one.
std::string_view wrapper_of(std::string_view cell) {
  for (const std::string_view w : {std::string_view("**"), std::string_view("__")}) {
    if (cell.size() > 2 * w.size() && cell.starts_with(w) && cell.ends_with(w)) return w;
  }
  return {};
}

// Leading white space of a line, or nullopt when something else (a quote marker, a list
// bullet) comes before the table's first pipe.
std::optional<std::string_view> indentation(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size() || line[i] != '|' || i > 3) return std::nullopt;
  return line.substr(0, i);
}

struct Alignment {
  bool left = false;
  bool right = false;
};

// The canonical text of one table, line by line, or nullopt when the table is left as
// written (see the header for when).
std::optional<std::vector<std::string>> format_table(const Matrix& m, std::uint32_t t,
                                                     const std::vector<const Activity*>& rows) {
  const SourceFile& src = *m.source;
  const Table& table = m.tables[t];
  if (table.transposed || rows.empty()) return std::nullopt;
  const std::uint32_t header = src.position(table.span.begin).line;
  if (header + 1 > src.line_count() || !is_delimiter_row(src.line(header + 1))) return std::nullopt;
  // The rows must be the lines right under the delimiter row, each as wide as the header.
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::uint32_t line = src.position(rows[r]->span.begin).line;
    if (line != header + 2 + r || rows[r]->source_cells != table.header_cells) return std::nullopt;
  }
  const std::uint32_t last = header + 1 + static_cast<std::uint32_t>(rows.size());
  std::vector<std::string_view> indents;
  for (std::uint32_t l = header; l <= last; ++l) {
    const auto ind = indentation(src.line(l));
    if (!ind) return std::nullopt;
    indents.push_back(*ind);
  }
  const std::string_view header_text = src.line(header);
  const auto header_cells = split_pipe_row(header_text);
  if (header_cells.size() != table.header_cells) return std::nullopt;
  const std::size_t columns = header_cells.size();
  // Which party each column is, from where the header spelled it.
  std::vector<int> party_of(columns, -1);
  const std::uint32_t header_start = src.line_start(header);
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    for (const auto& sp : m.parties[p].spellings) {
      for (std::size_t c = 0; c < columns; ++c) {
        if (sp.span.begin >= header_start + header_cells[c].begin &&
            sp.span.begin < header_start + header_cells[c].end) {
          party_of[c] = static_cast<int>(p);
        }
      }
    }
  }
  auto raw = [](std::string_view line, const CellRange& r) {
    return text::trim(line.substr(r.begin, r.end - r.begin));
  };
  std::vector<std::vector<std::string>> cells;
  // Header: one spelling per party (the first the document uses), in the cell's bold.
  {
    std::vector<std::string> row;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string_view cell = raw(header_text, header_cells[c]);
      if (party_of[c] < 0) {
        row.emplace_back(cell);
        continue;
      }
      const Party& party = m.parties[static_cast<std::size_t>(party_of[c])];
      const std::string_view w = wrapper_of(cell);
      std::string name = party.spellings.front().text;
      if (name.find_first_of("|*_`\\<[") != std::string::npos) {
        row.emplace_back(cell);  // markup in the name: keep it as written
      } else {
        row.push_back(std::string(w) + name + std::string(w));
      }
    }
    cells.push_back(std::move(row));
  }
  std::vector<Alignment> align(columns);
  {
    const std::string_view delim = src.line(header + 1);
    const auto ranges = split_pipe_row(delim);
    for (std::size_t c = 0; c < columns && c < ranges.size(); ++c) {
      const std::string_view d = raw(delim, ranges[c]);
      align[c] = {d.starts_with(':'), d.size() > 1 && d.ends_with(':')};
    }
    cells.emplace_back(columns);  // the delimiter row, filled once widths are known
  }
  for (const Activity* a : rows) {
    const std::uint32_t line = src.position(a->span.begin).line;
    const std::string_view text = src.line(line);
    const auto ranges = split_pipe_row(text);
    if (ranges.size() != columns) return std::nullopt;
    std::vector<std::string> row;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string_view cell = raw(text, ranges[c]);
      if (party_of[c] < 0) {
        row.emplace_back(cell);
        continue;
      }
      const Cell& rc = a->cells[static_cast<std::size_t>(party_of[c])];
      const std::string_view w = wrapper_of(cell);
      // Cells racine cannot say again without loss stay as written.
      if (!rc.present || !rc.unknown().empty() || (!w.empty() && !rc.markers().empty())) {
        row.emplace_back(cell);
        continue;
      }
      std::string out = rc.roles.to_string();
      // The remark is rendered text: escaped again, so that "a\|b" stays in its cell.
      if (!rc.remark().empty())
        out += (out.empty() ? "(" : " (") + markdown_text(rc.remark()) + ")";
      if (!out.empty() && !w.empty()) out = std::string(w) + out + std::string(w);
      out += cell_text(RoleSet{}, rc.markers());  // "* **" stays two markers
      row.push_back(std::move(out));
    }
    cells.push_back(std::move(row));
  }
  std::vector<std::size_t> width(columns, 3);
  for (std::size_t r = 0; r < cells.size(); ++r) {
    if (r == 1) continue;
    for (std::size_t c = 0; c < columns; ++c)
      width[c] = std::max(width[c], text::codepoints(cells[r][c]));
  }
  for (std::size_t c = 0; c < columns; ++c) {
    std::string d(width[c], '-');
    if (align[c].left) d.front() = ':';
    if (align[c].right) d.back() = ':';
    cells[1][c] = std::move(d);
  }
  std::vector<std::string> out;
  for (std::size_t r = 0; r < cells.size(); ++r) {
    std::string line(indents[r]);
    line += '|';
    for (std::size_t c = 0; c < columns; ++c) {
      line += ' ';
      line += cells[r][c];
      line.append(width[c] - text::codepoints(cells[r][c]), r == 1 ? '-' : ' ');
      line += " |";
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

std::string format_markdown(const Matrix& m) {
  if (!m.source) return {};
  const SourceFile& src = *m.source;
  std::vector<std::vector<const Activity*>> rows(m.tables.size());
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      if (a.table < rows.size()) rows[a.table].push_back(&a);
    }
  }
  // New text per line, for the lines of the tables that are rewritten.
  std::vector<std::optional<std::string>> replaced(src.line_count() + 2);
  for (std::uint32_t t = 0; t < m.tables.size(); ++t) {
    const auto lines = format_table(m, t, rows[t]);
    if (!lines) continue;
    const std::uint32_t first = src.position(m.tables[t].span.begin).line;
    for (std::size_t i = 0; i < lines->size(); ++i) replaced[first + i] = (*lines)[i];
  }
  std::string out;
  out.reserve(src.text().size() + src.text().size() / 8);
  const std::string_view text = src.text();
  for (std::uint32_t l = 1; l <= src.line_count(); ++l) {
    const Span span = src.line_span(l);
    const std::uint32_t next =
        l < src.line_count() ? src.line_start(l + 1) : static_cast<std::uint32_t>(text.size());
    if (replaced[l]) {
      out += *replaced[l];
    } else {
      out += text.substr(span.begin, span.end - span.begin);
    }
    out += text.substr(span.end, next - span.end);  // the line's own ending, as it was
  }
  return out;
}

std::string unified_diff(const std::string& path, std::string_view before, std::string_view after) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < s.size()) {
      const std::size_t nl = s.find('\n', start);
      const std::size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
      lines.push_back(s.substr(start, end - start));
      start = end;
    }
    return lines;
  };
  const auto a = split(before);
  const auto b = split(after);
  std::string out;
  auto line = [&](char sign, std::string_view l) {
    out += sign;
    out += l;
    if (!l.ends_with('\n')) out += "\n\\ No newline at end of file\n";
  };
  if (a.size() != b.size()) {
    // Not what format_markdown produces (it keeps every line): shown whole.
    out += fmt::format("--- {}\n+++ {} (formatted)\n@@ -1,{} +1,{} @@\n", path, path, a.size(),
                       b.size());
    for (const auto l : a) line('-', l);
    for (const auto l : b) line('+', l);
    return out;
  }
  constexpr std::size_t k_context = 3;
  std::size_t i = 0;
  while (i < a.size()) {
    if (a[i] == b[i]) {
      ++i;
      continue;
    }
    // A hunk: changed lines less than 2 x context apart, with context around them.
    const std::size_t from = i > k_context ? i - k_context : 0;
    std::size_t end = i;
    std::size_t same = 0;
    for (std::size_t j = i; j < a.size(); ++j) {
      if (a[j] == b[j]) {
        if (++same > 2 * k_context) break;
      } else {
        same = 0;
        end = j + 1;
      }
    }
    const std::size_t to = std::min(a.size(), end + k_context);
    if (out.empty()) out += fmt::format("--- {}\n+++ {} (formatted)\n", path, path);
    out += fmt::format("@@ -{},{} +{},{} @@\n", from + 1, to - from, from + 1, to - from);
    for (std::size_t k = from; k < to;) {
      if (a[k] == b[k]) {
        line(' ', a[k++]);
        continue;
      }
      std::size_t run = k;
      while (run < to && a[run] != b[run]) ++run;
      for (std::size_t r = k; r < run; ++r) line('-', a[r]);
      for (std::size_t r = k; r < run; ++r) line('+', b[r]);
      k = run;
    }
    i = to;
  }
  return out;
}

}  // namespace racine

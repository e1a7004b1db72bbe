// Markdown reader, table stage: a table's rows seen in the tree and in the source, its
// columns classified once (TableLayout, kept for the later chunks of a table cut into
// pieces), then its rows read as activities, section rows, notes, legends and sign-offs.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "core/vocabulary.h"
#include "formats/markdown_reader_impl.h"

namespace racine::markdown {

bool is_legend_line(std::string_view text, std::string_view letters) {
  std::string seen;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c < 'A' || c > 'Z' || letters.find(c) == std::string_view::npos) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) != 0 ||
                  static_cast<unsigned char>(text[i - 1]) >= 0x80))
      continue;
    std::size_t k = i + 1;
    while (k < text.size() && text[k] == ' ') ++k;
    std::size_t sep = 0;
    for (const std::string_view s : {"=", ":", "-", "\xE2\x80\x93", "\xE2\x80\x94"}) {
      if (text.substr(k).starts_with(s)) sep = s.size();
    }
    if (sep == 0) continue;
    k += sep;
    while (k < text.size() && text[k] == ' ') ++k;
    if (k < text.size() &&
        (std::isalpha(static_cast<unsigned char>(text[k])) != 0 ||
         static_cast<unsigned char>(text[k]) >= 0x80) &&
        seen.find(c) == std::string::npos)
      seen += c;
  }
  return seen.size() >= 2;
}

bool table_has_roles(const std::vector<Row>& rows) {
  for (std::size_t r = 1; r < rows.size(); ++r) {
    for (const auto& rc : rows[r].roles) {
      if (!rc.roles.empty()) return true;
    }
  }
  return false;
}

std::optional<Role> role_label(std::string_view cell) {
  const std::string folded = text::fold(text::trim(cell));
  if (auto r = vocabulary::role_header(folded)) return r;
  // "r - responsavel", "a: approver", "c = consultado": a letter, a separator, its word.
  if (folded.size() < 3 || folded[0] < 'a' || folded[0] > 'z') return std::nullopt;
  std::size_t k = 1;
  while (k < folded.size() && folded[k] == ' ') ++k;
  std::size_t sep = 0;
  for (const std::string_view d : {"-", ":", "=", "\xE2\x80\x93", "\xE2\x80\x94"}) {
    if (std::string_view(folded).substr(k).starts_with(d)) sep = d.size();
  }
  if (sep == 0) return std::nullopt;
  const auto word = vocabulary::role_header(text::trim(std::string_view(folded).substr(k + sep)));
  if (!word || static_cast<char>(*word) != folded[0] - 'a' + 'A') return std::nullopt;
  return word;
}

bool is_mark(std::string_view cell) {
  const std::string_view t = text::trim(cell);
  for (const std::string_view m :
       {"X", "x", "\xE2\x9C\x93", "\xE2\x9C\x94", "\xE2\x9C\x85", "\xE2\x80\xA2", "\xE2\x97\x8F"}) {
    if (t == m) return true;
  }
  return false;
}

std::vector<std::string> split_names(std::string_view cell, bool split_slash) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  auto flush = [&] {
    std::string name = text::collapse_spaces(cur);
    if (name.size() > 2 && name.back() == ')') {
      const std::size_t open = name.rfind(" (");
      if (open != std::string::npos && open > 0) name = text::collapse_spaces(name.substr(0, open));
    }
    if (!name.empty()) out.push_back(std::move(name));
    cur.clear();
  };
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const char c = cell[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    const bool team_slash = c == '/' && !cur.empty() && text::trim(cur).starts_with('@') &&
                            cur.back() != ' ' && i + 1 < cell.size() && cell[i + 1] != ' ';
    if (depth == 0 && !team_slash &&
        (c == ',' || c == ';' || (c == '/' && split_slash) || c == '+')) {
      flush();
      continue;
    }
    if (c == ' ') {
      // " and ", " et ", " und ", " y ", " e " between two names.
      bool joined = false;
      for (const std::string_view w : {"and ", "et ", "und ", "y ", "e "}) {
        if (cell.substr(i + 1, w.size()) == w) {
          flush();
          i += w.size() - 1;
          joined = true;
          break;
        }
      }
      if (joined) continue;
    }
    cur += c;
  }
  flush();
  return out;
}
std::vector<std::string> slash_parts(std::string_view name) {
  std::vector<std::string> out;
  const std::string_view t = text::trim(name);
  if (t.starts_with('@') || t.find('/') == std::string_view::npos) return out;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i < t.size() && t[i] != '/') continue;
    const std::string part = text::collapse_spaces(t.substr(from, i - from));
    if (part.empty()) return {};
    out.push_back(part);
    from = i + 1;
  }
  if (out.size() < 2) out.clear();
  return out;
}

void clean_spreadsheet_residue(std::vector<Row>& rows) {
  for (std::size_t r = 1; r < rows.size(); ++r) {
    bool residue = false;
    bool other = false;
    for (std::string& cell : rows[r].cells) {
      if (is_spreadsheet_residue(cell)) {
        cell.clear();
        residue = true;
      } else if (!text::trim(cell).empty()) {
        other = true;
      }
    }
    rows[r].residue_only = residue && !other;
  }
}

namespace {

bool is_unnamed_header(std::string_view cell) {
  const std::string_view t = text::trim(cell);
  constexpr std::string_view k_prefix = "Unnamed: ";
  if (!t.starts_with(k_prefix) || t.size() == k_prefix.size()) return false;
  return std::all_of(t.begin() + static_cast<std::ptrdiff_t>(k_prefix.size()), t.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool is_integer(std::string_view cell) {
  const std::string_view t = text::trim(cell);
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Promoted promote_spreadsheet_header(std::vector<Row>& rows) {
  if (rows.size() < 2) return {};
  const Row& header = rows[0];
  const auto unnamed = static_cast<std::size_t>(
      std::count_if(header.cells.begin(), header.cells.end(), is_unnamed_header));
  if (unnamed < 2 || unnamed * 2 < header.cells.size()) return {};
  std::size_t real = 0;
  for (std::size_t r = 1; r < rows.size() && r <= k_max_header_rows && real == 0; ++r) {
    std::size_t filled = 0;
    for (const std::string& cell : rows[r].cells) filled += text::trim(cell).empty() ? 0U : 1U;
    // pandas' row numbers are no header cell.
    if (!rows[r].cells.empty() && text::trim(header.cells[0]).empty() &&
        is_integer(rows[r].cells[0]))
      --filled;
    if (filled >= 2) real = r;
  }
  if (real == 0) return {};
  // pandas' index: an empty header over row numbers.
  bool index = text::trim(header.cells[0]).empty();
  for (std::size_t r = real; r < rows.size() && index; ++r) {
    if (!rows[r].cells.empty() && !is_integer(rows[r].cells[0])) index = false;
  }
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(real));
  rows[0].roles.clear();
  if (index) blank_index_column(rows);
  return {true, index};
}

void blank_index_column(std::vector<Row>& rows) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    Row& row = rows[r];
    if (row.cells.empty()) continue;
    row.cells[0].clear();
    // Its row number was all a spreadsheet's empty row held.
    if (r > 0 && std::all_of(row.cells.begin(), row.cells.end(),
                             [](const std::string& c) { return text::trim(c).empty(); }))
      row.residue_only = true;
  }
}

bool Row::bold_only(std::size_t i) const {
  if (is_html()) return i < bold.size() && bold[i] != 0;
  return i < cell_nodes.size() && is_bold_only(cell_nodes[i]);
}

Span Reader::cell_span(const Row& row, std::size_t i) const {
  if (row.is_html()) return i < row.spans.size() ? row.spans[i] : m_src->line_span(row.line);
  const std::uint32_t base = m_src->line_start(row.line);
  if (i >= row.ranges.size()) {
    const Span line = m_src->line_span(row.line);
    return {line.end, line.end};
  }
  // Point at the cell's content, not its padding.
  const std::string_view line = m_src->line(row.line);
  std::size_t b = row.ranges[i].begin;
  std::size_t e = row.ranges[i].end;
  while (b < e && (line[b] == ' ' || line[b] == '\t')) ++b;
  while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t')) --e;
  return {base + static_cast<std::uint32_t>(b), base + static_cast<std::uint32_t>(e)};
}

void Reader::on_table(cmark_node* table) {
  std::vector<Row> rows;
  for (cmark_node* r = cmark_node_first_child(table); r != nullptr; r = cmark_node_next(r)) {
    Row row;
    row.node = r;
    for (cmark_node* c = cmark_node_first_child(r); c != nullptr; c = cmark_node_next(c)) {
      row.cells.push_back(text::collapse_spaces(rendered_text(c)));
      row.cell_nodes.push_back(c);
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return;
  // Lines: body rows know theirs; the header is two lines above the first body row, or
  // the line before the table's last line when the table has no body (issue #222).
  std::uint32_t header_line = 0;
  if (rows.size() > 1) {
    for (std::size_t i = 1; i < rows.size(); ++i) rows[i].line = line_of(rows[i].node);
    header_line = map_line(cmark_node_get_start_line(rows[1].node) - 2);
  } else {
    header_line = map_line(cmark_node_get_end_line(table) - 1);
  }
  // A table inside a block quote or a list item: its lines start with the container's
  // markers ("> ", "- "), and are read after them.
  const bool nested = cmark_node_get_type(cmark_node_parent(table)) != CMARK_NODE_DOCUMENT;
  auto content_of = [&](std::uint32_t line) -> std::string_view {
    const std::string_view text = m_src->line(line);
    return nested ? text.substr(container_prefix_length(text)) : text;
  };
  // Confirm against the source: the header is the line right above a delimiter row. When
  // cmark-gfm's lines are off (issue #222), the delimiter row is searched for within the
  // table's own lines, never past them: that would be another table's.
  const std::uint32_t from = std::max<std::uint32_t>(line_of(table), 1);
  const std::uint32_t to = std::min(std::max(end_line_of(table), from), m_src->line_count());
  if (header_line < from || header_line >= to || !is_delimiter_row(content_of(header_line + 1))) {
    header_line = 0;
    for (std::uint32_t l = from; l < to; ++l) {
      if (is_delimiter_row(content_of(l + 1))) {
        header_line = l;
        break;
      }
    }
  }
  if (header_line == 0) {
    skip(m_src->line_span(from),
         "table not read: its delimiter row could not be found in the source", true);
    return;
  }
  rows[0].line = header_line;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row& row = rows[i];
    if (row.line == 0) row.line = header_line;
    const std::string_view text = m_src->line(row.line);
    if (nested) {
      // Body rows: where cmark-gfm says they start; the header: after the markers.
      const int column = i > 0 ? cmark_node_get_start_column(row.node) : 0;
      row.content = column > 0 && static_cast<std::size_t>(column) <= text.size()
                        ? static_cast<std::size_t>(column - 1)
                        : container_prefix_length(text);
    }
    row.ranges = split_pipe_row(text.substr(row.content));
    for (CellRange& range : row.ranges) {
      range.begin += row.content;
      range.end += row.content;
    }
  }
  m_table_line = header_line;
  // Suppression comments written inside cells.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (m_src->line(rows[i].line).find("<!--") == std::string_view::npos) continue;
    cmark_iter* it = cmark_iter_new(rows[i].node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
      cmark_node* c = cmark_iter_get_node(it);
      if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE) {
        const char* lit = cmark_node_get_literal(c);
        if (lit != nullptr) {
          // Inline comments in a row belong to that row's line.
          const std::size_t before = m_m.suppressions.size();
          on_html(c, rows[i].line);
          for (std::size_t k = before; k < m_m.suppressions.size(); ++k) {
            m_m.suppressions[k].line = rows[i].line;
          }
        }
      }
    }
    cmark_iter_free(it);
  }

  clean_spreadsheet_residue(rows);
  auto known = m_layouts.find(header_line);
  if (known == m_layouts.end()) {
    // The first chunk of a table holds its judged rows, so the real header of a pandas
    // export is in it; the later chunks repeat the `Unnamed: N` row, replaced here.
    const Promoted promoted = promote_spreadsheet_header(rows);
    TableLayout layout = classify_table(rows, promoted.header ? rows[0].line : header_line);
    if (promoted.header) layout.header = rows[0].cells;
    layout.index_blanked = promoted.index;
    known = m_layouts.emplace(header_line, std::move(layout)).first;
  } else if (!known->second.header.empty()) {
    rows[0].cells = known->second.header;
    if (known->second.index_blanked) blank_index_column(rows);
  }
  read_table_rows(rows, known->second);
}

void Reader::open_row_section(const std::string& title, std::uint32_t line) {
  Section s;
  s.title = title;
  s.level = 0;
  s.span = m_src->line_span(line);
  m_m.sections.push_back(std::move(s));
  m_section_open = true;
}

void Reader::read_table_rows(std::vector<Row>& rows, const TableLayout& layout) {
  if (m_pending && (!layout.raci || m_pending->table != layout.table)) resolve_pending(false);
  if (!layout.raci) return;
  if (layout.roles_as_rows) {
    read_roles_as_rows(rows, layout);
  } else if (layout.transposed) {
    read_transposed_rows(rows, layout);
  } else {
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].roles.size() == rows[r].cells.size()) continue;  // parsed while classifying
      rows[r].roles.resize(rows[r].cells.size());
      for (std::size_t c = 0; c < rows[r].cells.size() && c < layout.party_of.size(); ++c) {
        if (layout.party_of[c] >= 0 && !rows[r].cells[c].empty())
          rows[r].roles[c] = parse_role_cell(rows[r].cells[c], m_m.roles.letters);
      }
    }
    read_roles_rows(rows, layout);
  }
}

std::uint32_t Reader::add_table(const Row& header, std::uint32_t header_line, bool transposed) {
  Table table;
  table.span = m_src->line_span(header_line);
  table.header_cells = header.source_cells();
  table.transposed = transposed;
  m_m.tables.push_back(table);
  return static_cast<std::uint32_t>(m_m.tables.size() - 1);
}

TableLayout Reader::classify_table(std::vector<Row>& rows, std::uint32_t header_line) {
  TableLayout layout;
  const std::size_t width = rows[0].cells.size();
  // Which columns hold role codes? Judged on the first rows only, so that a table cut
  // into chunks is judged the same as when read whole.
  const std::size_t judged =
      std::min<std::size_t>(rows.size(), std::size_t{1} + m_options.classify_rows);
  std::vector<ColumnStats> stats(width);
  for (std::size_t r = 1; r < judged; ++r) {
    rows[r].roles.resize(rows[r].cells.size());
    // The first column is never a party's (the activities or their ids are left of the
    // parties): its cells are not read as roles.
    for (std::size_t c = 1; c < width && c < rows[r].cells.size(); ++c) {
      const std::string& cell = rows[r].cells[c];
      if (cell.empty()) continue;
      ++stats[c].nonempty;
      rows[r].roles[c] = parse_role_cell(cell, m_m.roles.letters);
      const RoleCell& rc = rows[r].roles[c];
      if (!rc.unknown.empty()) {
        ++stats[c].unknown;
      } else if (!rc.roles.empty()) {
        ++stats[c].with_roles;
      }
    }
  }
  std::vector<bool> role_col(width, false);
  for (std::size_t c = 1; c < width; ++c) {
    const auto& s = stats[c];
    role_col[c] = s.with_roles > 0 && s.unknown * 2 < s.nonempty &&
                  !vocabulary::is_free_text_header(text::fold(rows[0].cells[c]));
  }
  const auto first_role = std::find(role_col.begin(), role_col.end(), true);

  // Roles as columns: headers that are role words, cells that name parties.
  std::vector<std::optional<Role>> header_roles(width);
  std::size_t role_headers = 0;
  for (std::size_t c = 1; c < width; ++c) {
    header_roles[c] = vocabulary::role_header(text::fold(rows[0].cells[c]));
    // DACI's Driver is RACI's Responsible: a header takes the letter the document uses.
    if (header_roles[c] == Role::driver && !m_m.roles.has('D')) header_roles[c] = Role::responsible;
    if (header_roles[c] == Role::responsible && !m_m.roles.has('R') && m_m.roles.has('D'))
      header_roles[c] = Role::driver;
    if (header_roles[c]) ++role_headers;
  }
  const auto role_columns =
      static_cast<std::size_t>(std::count(role_col.begin(), role_col.end(), true));
  if (role_headers >= 2 && role_columns < role_headers) {
    std::size_t activity_col = 0;
    while (activity_col < width && header_roles[activity_col]) ++activity_col;
    if (activity_col >= width) return layout;
    layout.raci = true;
    layout.transposed = true;
    layout.roles = std::move(header_roles);
    layout.activity_col = activity_col;
    // Role columns holding only marks ("X", "✓"), the parties in the first column and
    // the activities in another text column (`| Team | Responsibility | Accountable |`):
    // the mark gives the row's party its column's role. Judged on the same rows as the
    // columns, so that every chunk of a cut table reads alike.
    {
      const auto& roles = layout.roles;
      bool any = false;
      bool all = true;
      for (std::size_t r = 1; r < judged && all; ++r) {
        for (std::size_t c = 0; c < width && c < rows[r].cells.size(); ++c) {
          if (!roles[c] || text::trim(rows[r].cells[c]).empty()) continue;
          any = true;
          all = all && is_mark(rows[r].cells[c]);
        }
      }
      if (any && all) {
        for (std::size_t c = 0; c < width && layout.marked_title_col == SIZE_MAX; ++c) {
          if (c == activity_col || roles[c] || text::trim(rows[0].cells[c]).empty()) continue;
          for (std::size_t r = 1; r < judged; ++r) {
            if (c < rows[r].cells.size() && !text::trim(rows[r].cells[c]).empty())
              layout.marked_title_col = c;
          }
        }
      }
    }
    layout.table = add_table(rows[0], header_line, true);
    return layout;
  }

  if (first_role == role_col.end() && width == 2) {
    if (auto rows_layout = classify_roles_as_rows(rows, header_line)) return *rows_layout;
  }
  if (first_role == role_col.end()) {
    // Marks with no letters ("X", "✓"): who takes part, not in which role.
    bool marks = false;
    for (std::size_t c = 1; c < width && !marks; ++c) {
      std::size_t marked = 0;
      bool only = true;
      for (std::size_t r = 1; r < judged && only; ++r) {
        if (c >= rows[r].cells.size() || text::trim(rows[r].cells[c]).empty()) continue;
        if (is_mark(rows[r].cells[c])) {
          ++marked;
        } else {
          only = false;
        }
      }
      marks = only && marked > 0;
    }
    skip(m_src->line_span(header_line),
         marks ? std::string(k_marks_without_letters)
               : fmt::format("not a RACI table: no column below '{}' holds role codes",
                             rows[0].cells.size() > 1 ? rows[0].cells[1] : rows[0].cells[0]),
         false);
    return layout;
  }
  const auto p0 = static_cast<std::size_t>(first_role - role_col.begin());
  std::size_t p1 = width - 1;
  while (!role_col[p1]) --p1;
  std::vector<bool> party_col(width, false);
  for (std::size_t c = p0; c <= p1; ++c) party_col[c] = true;
  // Columns right after the parties whose cells are all short ("", "X", "-", "S*") are
  // parties too: ones that hold nothing here, or whose cells have unknown letters
  // (RAC101). A free-text header (SLA, comments) ends the parties.
  for (std::size_t c = p1 + 1; c < width; ++c) {
    if (vocabulary::is_free_text_header(text::fold(rows[0].cells[c])) ||
        text::trim(rows[0].cells[c]).empty()) {
      break;
    }
    bool short_cells = true;
    for (std::size_t r = 1; r < judged; ++r) {
      if (c < rows[r].cells.size() && text::codepoints(text::trim(rows[r].cells[c])) > 4)
        short_cells = false;
    }
    if (!short_cells) break;
    party_col[c] = true;
  }
  // The activity column: the one whose header says so, else the last one before the parties.
  std::size_t activity_col = p0 - 1;
  std::size_t id_col = width;
  for (std::size_t c = 0; c < p0; ++c) {
    const std::string h = text::fold(rows[0].cells[c]);
    if (vocabulary::is_activity_header(h)) activity_col = c;
    if (vocabulary::is_id_header(h)) id_col = c;
  }
  if (id_col == activity_col) id_col = width;
  layout.raci = true;
  layout.activity_col = activity_col;
  layout.id_col = id_col;
  layout.table = add_table(rows[0], header_line, false);
  layout.party_of.assign(width, -1);
  std::vector<std::size_t> taken;
  for (std::size_t c = 0; c < width; ++c) {
    if (!party_col[c]) continue;
    const std::size_t p =
        m_parties.resolve(m_m.parties, rows[0].cells[c], cell_span(rows[0], c), taken);
    taken.push_back(p);
    layout.party_of[c] = static_cast<int>(p);
  }
  return layout;
}
void Reader::read_roles_rows(std::vector<Row>& rows, const TableLayout& layout) {
  const std::size_t width = std::min(rows[0].cells.size(), layout.party_of.size());
  const std::vector<int>& party_of = layout.party_of;
  const std::size_t activity_col = layout.activity_col;
  const std::size_t id_col = layout.id_col;
  const std::uint32_t table_index = layout.table;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    m_rows_left = rows.size() - r;
    Row& row = rows[r];
    if (row.residue_only) continue;  // "NaN | NaN | NaN": a spreadsheet's empty row
    const std::string_view src_line = m_src->line(row.line);
    const std::string& title = row.cells[activity_col];
    bool parties_empty = true;
    bool has_roles = false;
    for (std::size_t c = 0; c < width; ++c) {
      if (party_of[c] >= 0 && !text::trim(row.cells[c]).empty()) parties_empty = false;
      if (party_of[c] >= 0 && c < row.roles.size() && !row.roles[c].roles.empty()) has_roles = true;
    }
    // A title-only row above: a section when this row carries roles, else an activity.
    if (m_pending) resolve_pending(has_roles);
    std::size_t pending_col = width;
    // A note written under the table without a blank line renders as a one-cell row.
    const std::string_view trimmed = text::trim(src_line.substr(row.content));
    if (parties_empty && !row.is_html() && !trimmed.empty() && trimmed[0] != '|' &&
        row.ranges.size() <= 1) {
      // So does a legend: it is neither an activity nor a note.
      if (is_legend_line(row.cells[0], m_m.roles.letters)) {
        skip(m_src->line_span(row.line), "a legend written right under the table", false);
        continue;
      }
      const std::string marker = leading_marker(row.cells[0]);
      if (!marker.empty()) {
        Note note;
        note.marker = marker;
        note.text =
            text::collapse_spaces(row.cells[0].substr(row.cells[0].find(marker) + marker.size()));
        note.span = m_src->line_span(row.line);
        note.in_table_row = true;
        m_m.notes.push_back(std::move(note));
        continue;
      }
    }
    // A sign-off row: the parties' cells hold handles or names that agree to the table
    // ("| Agreed | @ana | | @bo |"), no role: it is not an activity.
    if (!parties_empty) {
      bool handles_only = true;
      for (std::size_t c = 0; c < width && handles_only; ++c) {
        if (party_of[c] < 0) continue;
        const std::string_view cell = text::trim(row.cells[c]);
        if (cell.empty()) continue;
        handles_only = cell.starts_with('@') && cell.find(' ') == std::string_view::npos;
      }
      if (handles_only) {
        skip(m_src->line_span(row.line), "a sign-off row: handles, no roles", false);
        continue;
      }
    }
    // A section row: one bold cell (in any leading column) and nothing else.
    if (parties_empty) {
      std::size_t filled = 0;
      std::size_t bold_col = width;
      for (std::size_t c = 0; c < width; ++c) {
        if (text::trim(row.cells[c]).empty()) continue;
        ++filled;
        if (row.bold_only(c)) bold_col = c;
      }
      // Not bold: a row that fills only a label column before the activity's
      // (`| Domaine | Tâche | MOE |` then `| Réseau | | |`), or only the activity's with a
      // numbered or capitalised heading (`| 2. Risk Management | | |`), in a table whose
      // other rows carry roles.
      std::size_t label_col = width;
      if (filled == 1 && bold_col == width) {
        for (std::size_t c = 0; c < width && c <= activity_col; ++c) {
          if (text::trim(row.cells[c]).empty()) continue;
          if (party_of[c] < 0 && c != id_col &&
              (c < activity_col || vocabulary::reads_as_heading(row.cells[c])) &&
              table_has_roles(rows))
            label_col = c;
          break;
        }
      }
      // An HTML row whose one cell spans the table (`<td colspan="5">Build</td>`).
      std::size_t spanning_col = width;
      if (filled == 1 && row.spans_table) {
        for (std::size_t c = 0; c < width && spanning_col == width; ++c) {
          if (!text::trim(row.cells[c]).empty()) spanning_col = c;
        }
      }
      if (filled == 1 && (bold_col < width || label_col < width || spanning_col < width)) {
        if (bold_col == width) bold_col = label_col < width ? label_col : spanning_col;
        open_row_section(row.cells[bold_col], row.line);
        continue;
      }
      // A title alone, in the activity column or a column before it (a spreadsheet's
      // merged row across the table, written as a pipe row): decided by the next row.
      if (filled == 1) {
        for (std::size_t c = 0; c < width && c <= activity_col; ++c) {
          if (text::trim(row.cells[c]).empty()) continue;
          if (party_of[c] < 0) pending_col = c;
          break;
        }
      }
    }
    Activity a;
    a.title = title;
    a.span = m_src->line_span(row.line);
    a.table = table_index;
    a.source_cells = row.source_cells();
    a.title_markers = find_markers(title);
    if (id_col < width) {
      a.id = text::slugify(row.cells[id_col]);
      a.explicit_id = !a.id.empty();
    }
    a.cells.resize(m_m.parties.size());
    for (std::size_t c = 0; c < width; ++c) {
      if (c == activity_col || c == id_col) continue;
      if (party_of[c] < 0) {
        if (!text::trim(row.cells[c]).empty()) a.fields.push_back({rows[0].cells[c], row.cells[c]});
        continue;
      }
      RoleCell& rc = row.roles[c];
      Cell& cell = a.cells[static_cast<std::size_t>(party_of[c])];
      cell.present = true;
      cell.roles = rc.roles;
      cell.text = std::move(row.cells[c]);
      cell.set_extras({std::move(rc.markers), std::move(rc.unknown), std::move(rc.remark)});
      cell.span = cell_span(row, c);
    }
    if (pending_col < width) {
      hold_pending(table_index, std::move(a), row.cells[pending_col], m_src->line_span(row.line));
      continue;
    }
    add_activity(std::move(a));
  }
}

void Reader::hold_pending(std::uint32_t table, Activity a, std::string title, Span span) {
  PendingTitle p;
  p.table = table;
  p.activity = std::move(a);
  p.section.title = std::move(title);
  p.section.level = 0;
  p.section.span = span;
  m_pending = std::move(p);
}

void Reader::resolve_pending(bool as_section) {
  if (!m_pending) return;
  PendingTitle p = std::move(*m_pending);
  m_pending.reset();
  if (as_section) {
    m_m.sections.push_back(std::move(p.section));
    m_section_open = true;
  } else {
    add_activity(std::move(p.activity));
  }
}

std::optional<TableLayout> Reader::classify_roles_as_rows(std::vector<Row>& rows,
                                                          std::uint32_t header_line) {
  // A few rows (one per role): never a table long enough to be cut into chunks
  // (markdown_prescan.h cuts only past the judged rows), so that it reads the same whole
  // and in chunks.
  if (rows.size() > m_options.classify_rows) return std::nullopt;
  // Every row, the header included, starts with a role label, each role once.
  std::vector<std::optional<Role>> labels;
  for (const Row& row : rows) {
    auto role = role_label(row.cells[0]);
    if (!role) return std::nullopt;
    for (const auto& seen : labels) {
      if (seen == role) {
        skip(m_src->line_span(header_line),
             fmt::format("roles written as rows (role, then people) name '{}' twice: ambiguous, "
                         "not read",
                         role_letter(*role)),
             false);
        return TableLayout{};
      }
    }
    labels.push_back(role);
  }
  if (labels.size() < 2) return std::nullopt;
  // The second column: names ("Ana", "Rui e Ana", "Todos"), or a legend's meanings.
  for (const Row& row : rows) {
    const std::string_view cell = text::trim(row.cells[1]);
    bool names = !cell.empty() && !cell.ends_with('.');
    for (const std::string& name : split_names(cell)) {
      // A role's meaning ("Responsible") is a legend's, not a name.
      if (text::words(text::fold(name)).size() > 4 || role_label(name)) names = false;
    }
    if (!names) {
      skip(m_src->line_span(header_line), "a legend table (a role, then its meaning), not a matrix",
           false);
      return TableLayout{};
    }
  }
  std::string title = text::collapse_spaces(m_heading);
  while (!title.empty() && (title.back() == ':' || title.back() == ' ')) title.pop_back();
  if (title.empty()) {
    skip(m_src->line_span(header_line),
         "roles written as rows (role, then people) under no heading that names their activity: "
         "not read",
         false);
    return TableLayout{};
  }
  TableLayout layout;
  layout.raci = true;
  layout.roles_as_rows = true;
  layout.activity = std::move(title);
  layout.roles.assign(labels.begin(), labels.end());
  layout.table = add_table(rows[0], header_line, true);
  return layout;
}

void Reader::read_roles_as_rows(std::vector<Row>& rows, const TableLayout& layout) {
  std::vector<std::size_t>& in_table = m_m.tables[layout.table].parties;
  Activity a;
  a.title = layout.activity;
  a.span = m_src->line_span(rows[0].line);
  a.table = layout.table;
  a.source_cells = rows[0].source_cells();
  for (std::size_t r = 0; r < rows.size() && r < layout.roles.size(); ++r) {
    const Role role = *layout.roles[r];
    for (std::string& name : split_names(rows[r].cells[1])) {
      const std::size_t p = m_parties.resolve(m_m.parties, name, cell_span(rows[r], 1));
      if (std::find(in_table.begin(), in_table.end(), p) == in_table.end()) in_table.push_back(p);
      if (a.cells.size() < m_m.parties.size()) a.cells.resize(m_m.parties.size());
      Cell& cell = a.cells[p];
      cell.present = true;
      cell.roles.add(role);
      if (!cell.text.empty()) cell.text += ", ";
      cell.text += role_letter(role);
      cell.span = cell_span(rows[r], 1);
    }
  }
  add_activity(std::move(a));
}

void Reader::read_transposed_rows(std::vector<Row>& rows, const TableLayout& layout) {
  const std::size_t width = std::min(rows[0].cells.size(), layout.roles.size());
  const auto& roles = layout.roles;
  const std::size_t activity_col = layout.activity_col;
  const std::uint32_t table_index = layout.table;
  std::vector<std::size_t>& in_table = m_m.tables[table_index].parties;
  // Role columns holding marks: decided once with the table's layout (see classify_table).
  const std::size_t marked_title_col = std::min(layout.marked_title_col, width);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    m_rows_left = rows.size() - r;
    Row& row = rows[r];
    if (row.residue_only) continue;
    // Cells filled, and whether a role column names someone.
    std::size_t filled = 0;
    std::size_t first_filled = width;
    bool has_names = false;
    for (std::size_t c = 0; c < width; ++c) {
      if (text::trim(row.cells[c]).empty()) continue;
      ++filled;
      if (first_filled == width) first_filled = c;
      if (roles[c]) has_names = true;
    }
    if (m_pending) resolve_pending(has_names);
    // A section row: one cell spanning an HTML table, or one bold cell.
    if (filled == 1 && (row.spans_table || row.bold_only(first_filled))) {
      open_row_section(row.cells[first_filled], row.line);
      continue;
    }
    Activity a;
    const bool marked = marked_title_col < width;
    a.title = row.cells[marked ? marked_title_col : activity_col];
    a.span = m_src->line_span(row.line);
    a.table = table_index;
    a.source_cells = row.source_cells();
    a.title_markers = find_markers(a.title);
    for (std::size_t c = 0; c < width; ++c) {
      if (c == activity_col || c == marked_title_col) continue;
      if (!roles[c]) {
        if (!text::trim(row.cells[c]).empty()) a.fields.push_back({rows[0].cells[c], row.cells[c]});
        continue;
      }
      std::vector<std::string> names;
      if (!marked || !text::trim(row.cells[c]).empty()) {
        for (std::string& written : split_names(row.cells[marked ? activity_col : c], false)) {
          for (std::string& name : slash_names(std::move(written)))
            names.push_back(std::move(name));
        }
      }
      for (std::string name : names) {
        std::vector<std::string> markers;
        // Markers after a name: "PM*", "Dev (1)"; found from the end, kept in order.
        for (;;) {
          auto marks = find_markers(name);
          if (marks.empty() || !name.ends_with(marks.back())) break;
          name = text::collapse_spaces(name.substr(0, name.size() - marks.back().size()));
          markers.push_back(std::move(marks.back()));
        }
        std::reverse(markers.begin(), markers.end());
        if (name.empty() || parse_role_cell(name).no_role) continue;
        const std::size_t p = m_parties.resolve(m_m.parties, name, cell_span(row, c));
        if (m_listed_in.size() <= p) m_listed_in.resize(p + 1, 0);
        // Tables are read one after the other (the chunks of a cut table too), so the
        // mark says whether this table lists the party already.
        if (m_listed_in[p] != table_index + 1) {
          in_table.push_back(p);
          m_listed_in[p] = table_index + 1;
        }
        if (a.cells.size() < m_m.parties.size()) a.cells.resize(m_m.parties.size());
        Cell& cell = a.cells[p];
        cell.present = true;
        cell.roles.add(*roles[c]);
        for (auto& mk : markers) cell.edit().markers.push_back(std::move(mk));
        if (!cell.text.empty()) cell.text += ", ";
        cell.text += role_letter(*roles[c]);
        cell.span = cell_span(row, c);
      }
    }
    // A title alone (a spreadsheet's merged row): decided by the next row.
    const std::size_t title_col = marked ? marked_title_col : activity_col;
    if (filled == 1 && first_filled == title_col) {
      hold_pending(table_index, std::move(a), row.cells[title_col], m_src->line_span(row.line));
      continue;
    }
    add_activity(std::move(a));
  }
}

std::vector<std::string> Reader::slash_names(std::string name) {
  std::vector<std::string> parts = slash_parts(name);
  if (parts.empty()) return {std::move(name)};
  const std::string key = party_key(party_name_from_header(name));
  auto decided = m_slash_split.find(key);
  if (decided == m_slash_split.end()) {
    if (!m_header_keys) {
      // The header cells of the document's pipe tables, once, on the first slash met.
      m_header_keys.emplace();
      for (std::uint32_t l = 1; l < m_src->line_count(); ++l) {
        const std::string_view next = m_src->line(l + 1);
        if (!is_delimiter_row(next.substr(container_prefix_length(next)))) continue;
        const std::string_view line = m_src->line(l);
        const std::string_view content = line.substr(container_prefix_length(line));
        for (const CellRange& range : split_pipe_row(content)) {
          m_header_keys->insert(party_key(
              party_name_from_header(content.substr(range.begin, range.end - range.begin))));
        }
      }
    }
    bool split = false;
    if (m_header_keys->count(key) != 0) {
      split = false;  // a header names the whole: one party
    } else if (std::all_of(parts.begin(), parts.end(), [&](const std::string& p) {
                 return m_header_keys->count(party_key(party_name_from_header(p))) != 0;
               })) {
      split = true;  // headers name each part: those parties
    } else {
      // Neither: a spaced slash separates two names ("CTO / CISO"), a tight one joins
      // the words of one ("Data/ML"), as in a header.
      split = name.find(" /") != std::string::npos || name.find("/ ") != std::string::npos;
    }
    decided = m_slash_split.emplace(key, split).first;
  }
  if (!decided->second) return {std::move(name)};
  return parts;
}
}  // namespace racine::markdown

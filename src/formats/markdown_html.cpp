// Markdown reader, HTML tables: a `<table>` written in the document (GitHub renders it)
// is found from the HTML block it starts in, read whole from the source up to its
// `</table>` (blank lines inside it end cmark-gfm's HTML block and the pre-scan's chunks,
// not the table), bounded and parsed by gumbo (formats/html_table.h), and its rows are
// read like a pipe table's: the same classification (classify_table) and row reading
// (read_table_rows), with each cell's span in the file and its bold flag.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <tuple>
#include <utility>

#include "formats/html_table.h"
#include "formats/markdown_reader_impl.h"

namespace racine::markdown {

bool Reader::inside_html_table(cmark_node* n) const {
  if (m_html_end_line == 0) return false;
  const std::uint32_t line = line_of(n);
  return line != 0 && line <= m_html_end_line;
}

void Reader::on_html_block(cmark_node* n) {
  const std::uint32_t line = line_of(n);
  if (line == 0) return;
  const bool inside = inside_html_table(n);
  if (!inside) on_html(n, line);  // suppressions; inside a table, read with it
  const char* lit = cmark_node_get_literal(n);
  if (lit == nullptr) return;
  if (html::find_table_tag(lit, 0, std::string_view::npos) == std::string_view::npos) {
    // An HTML list whose items hold the roles (`<li>Deploy: R: Dev | A: PM</li>`).
    const std::string_view block(lit);
    std::size_t items = 0;  // the first items tell: a list of roles has them in every item
    for (std::size_t li = html::find_tag(block, "li");
         li != std::string_view::npos && !inside && items++ < 64;
         li = html::find_tag(block, "li", li + 1)) {
      const std::size_t next = html::find_tag(block, "li", li + 1);
      const std::size_t end = std::min(next, block.size());
      if (inline_role_labels(
              html::fragment_text(block.substr(li, std::min<std::size_t>(end - li, 4096))),
              m_m.roles.letters)
              .size() >= 2) {
        skip(m_src->line_span(line), std::string(k_html_role_list), false);
        break;
      }
    }
    return;
  }
  // In a list item, a browser shows the table; in a block quote, its lines start with
  // "> ", which is no HTML.
  for (cmark_node* p = cmark_node_parent(n); p != nullptr; p = cmark_node_parent(p)) {
    if (cmark_node_get_type(p) == CMARK_NODE_BLOCK_QUOTE) {
      skip(m_src->line_span(line),
           "HTML table inside a block quote is not read: write it at the top level", false);
      return;
    }
  }
  const std::uint32_t last = std::min(std::max(line, end_line_of(n)), m_src->line_count());
  read_html_tables(m_src->line_start(line), m_src->line_span(last).end);
}

void Reader::read_html_tables(std::size_t from, std::size_t to) {
  from = std::max(from, m_html_end);
  while (from < to) {
    const std::size_t at = html::find_table_tag(m_text, from, to);
    if (at == std::string_view::npos) return;
    const html::Extent extent = html::find_html_table_end(m_text, at);
    const auto at32 = static_cast<std::uint32_t>(at);
    const std::uint32_t at_line = m_src->position(at32).line;
    switch (extent.status) {
      case html::Extent::Status::too_big:
        skip(m_src->line_span(at_line),
             fmt::format("HTML table not read: its source is longer than {} KiB",
                         html::k_max_html_table_bytes / 1024),
             false);
        return;
      case html::Extent::Status::too_deep:
        skip(m_src->line_span(at_line),
             fmt::format("HTML table not read: its elements are nested more than {} deep",
                         html::k_max_html_depth),
             false);
        return;
      case html::Extent::Status::unclosed:
        // No `</table>`: the table is what the HTML block holds.
        on_html_table(at, std::max(at + 1, to));
        break;
      case html::Extent::Status::closed: on_html_table(at, extent.end); break;
    }
    if (m_too_big) return;
    from = m_html_end;
  }
}

bool Reader::opens_html_container(std::uint32_t line) const {
  // The nearest line above, less indented and not blank: an MkDocs admonition (`!!!
  // note`, `??? quote`, `???+ tip`), a content tab (`=== "Tab"`), a list item or an HTML
  // element (`<div>`): what is indented under it is shown as HTML, not as code.
  auto indent = [](std::string_view l) {
    std::size_t w = 0;
    for (const char c : l) {
      if (c == ' ') {
        ++w;
      } else if (c == '\t') {
        w += 4 - w % 4;
      } else {
        break;
      }
    }
    return w;
  };
  const std::size_t own = indent(m_src->line(line));
  for (std::uint32_t l = line; l-- > 1;) {
    const std::string_view text = m_src->line(l);
    const std::string_view t = text::trim(text);
    if (t.empty()) continue;
    if (indent(text) >= own) continue;
    if (t.starts_with("!!!") || t.starts_with("???") || t.starts_with("===") || t.starts_with('<'))
      return true;
    if (t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ")) return true;
    std::size_t k = 0;
    while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
    return k > 0 && k + 1 < t.size() && (t[k] == '.' || t[k] == ')') && t[k + 1] == ' ';
  }
  return false;
}

namespace {

// The next heading start tag (`<h1>` ... `<h6 class=...>`) at or after `from`: its offset
// and level, or npos.
std::pair<std::size_t, int> next_heading(std::string_view text, std::size_t from) {
  for (std::size_t at = text.find('<', from); at != std::string_view::npos;
       at = text.find('<', at + 1)) {
    if (at + 3 >= text.size()) break;
    const char h = text[at + 1];
    const char d = text[at + 2];
    const char after = text[at + 3];
    if ((h == 'h' || h == 'H') && d >= '1' && d <= '6' &&
        (after == '>' || after == ' ' || after == '\t' || after == '\n' || after == '\r'))
      return {at, d - '0'};
  }
  return {std::string_view::npos, 0};
}

// The offset of the end tag `</name` (any case; `name` in lower case) from `from`, or npos.
std::size_t find_end_tag(std::string_view text, std::string_view name, std::size_t from) {
  for (std::size_t at = text.find("</", from); at != std::string_view::npos;
       at = text.find("</", at + 2)) {
    if (at + 2 + name.size() > text.size()) break;
    bool same = true;
    for (std::size_t k = 0; k < name.size() && same; ++k) {
      same =
          static_cast<char>(std::tolower(static_cast<unsigned char>(text[at + 2 + k]))) == name[k];
    }
    if (same) return at;
  }
  return std::string_view::npos;
}

}  // namespace

void Reader::read_html_document() {
  // A heading's text is short: a few KiB of it at most go to gumbo.
  constexpr std::size_t k_max_heading = 4096;
  auto fragment = [&](std::size_t b, std::size_t e) {
    return html::fragment_text(m_text.substr(b, std::min(e - b, k_max_heading)));
  };
  std::size_t pos = 0;
  for (;;) {
    const std::size_t table = html::find_table_tag(m_text, pos, std::string_view::npos);
    // The headings above the table: the last one names its section.
    for (auto [h, level] = next_heading(m_text, pos); h != std::string_view::npos && h < table;
         std::tie(h, level) = next_heading(m_text, h + 1)) {
      const char name[] = {'h', static_cast<char>('0' + level), '\0'};
      const std::size_t close = find_end_tag(m_text, name, h);
      if (close == std::string_view::npos || close > table) break;
      resolve_pending(false);
      m_heading = fragment(h, close);
      m_heading_level = level;
      m_heading_span = m_src->line_span(m_src->position(static_cast<std::uint32_t>(h)).line);
      m_section_open = false;
      if (level == 1 && m_first_h1.empty()) m_first_h1 = m_heading;
      if (m_first_heading.empty()) m_first_heading = m_heading;
      add_language_sample(m_heading);
      h = close;
    }
    if (table == std::string_view::npos) break;
    read_html_tables(table, table + 1);
    if (m_too_big) return;
    pos = std::max(m_html_end, table + 1);
  }
  if (m_first_h1.empty()) {
    const std::size_t t = html::find_tag(m_text, "title");
    const std::size_t close = t == std::string_view::npos ? t : find_end_tag(m_text, "title", t);
    if (close != std::string_view::npos) m_first_h1 = fragment(t, close);
  }
}

void Reader::on_html_table(std::size_t begin, std::size_t end) {
  const std::string_view source = m_text.substr(begin, end - begin);
  m_html_end = end;
  m_html_end_line = m_src->position(static_cast<std::uint32_t>(end - 1)).line;
  const std::uint32_t first_line = m_src->position(static_cast<std::uint32_t>(begin)).line;
  on_html_text(source, first_line);  // suppression comments, wherever they are in it
  auto trimmed = [&](std::size_t b, std::size_t e) {
    while (b < e &&
           (source[b] == ' ' || source[b] == '\t' || source[b] == '\n' || source[b] == '\r'))
      ++b;
    while (e > b && (source[e - 1] == ' ' || source[e - 1] == '\t' || source[e - 1] == '\n' ||
                     source[e - 1] == '\r'))
      --e;
    return Span{static_cast<std::uint32_t>(begin + b), static_cast<std::uint32_t>(begin + e)};
  };
  for (html::Table& table : html::parse_tables(source)) {
    // A title row above the header, one cell across the table (`<tr><th colspan="4">RACI
    // matrix</th></tr>`), is the table's caption, not its header.
    while (table.rows.size() > 1 && table.rows[0].cells.size() == 1 &&
           table.rows[0].cells[0].colspan > 1 && table.rows[1].cells.size() > 1)
      table.rows.erase(table.rows.begin());
    if (table.rows.empty() || (table.rows.size() == 1 && has_script())) {
      // An empty `<table>`, or its header alone (an empty `<tbody>`), filled by a script
      // when the page loads: nothing to read here.
      if (has_script()) {
        skip(m_src->line_span(m_src
                                  ->position(static_cast<std::uint32_t>(
                                      begin + std::min(table.offset, source.size() - 1)))
                                  .line),
             std::string(k_scripted_table), false);
      }
      continue;
    }
    const std::uint32_t table_line = m_src
                                         ->position(static_cast<std::uint32_t>(
                                             begin + std::min(table.offset, source.size() - 1)))
                                         .line;
    std::uint64_t width = 0;
    for (const html::Cell& c : table.rows[0].cells) width += c.colspan;
    if (width > m_options.limits.max_columns) {
      skip(m_src->line_span(table_line),
           fmt::format("HTML table not read: its header has {} columns, above the limit of {}",
                       width, m_options.limits.max_columns),
           false);
      continue;
    }
    std::uint64_t padding = 0;
    std::vector<Row> rows;
    rows.reserve(table.rows.size());
    for (html::Row& hr : table.rows) {
      Row row;
      row.line =
          m_src
              ->position(static_cast<std::uint32_t>(begin + std::min(hr.offset, source.size() - 1)))
              .line;
      row.cells.reserve(width);
      row.spans_table = width > 1 && hr.cells.size() == 1 && hr.cells[0].colspan >= width;
      for (html::Cell& c : hr.cells) {
        row.written += c.colspan;
        if (row.cells.size() >= width) continue;  // extra cells: dropped, as in a pipe row
        const Span span = trimmed(std::min(c.begin, source.size()), std::min(c.end, source.size()));
        row.cells.push_back(std::move(c.text));
        row.spans.push_back(span);
        row.bold.push_back(c.bold ? 1 : 0);
        for (std::uint32_t k = 1; k < c.colspan && row.cells.size() < width; ++k) {
          row.cells.emplace_back();
          row.spans.push_back({span.end, span.end});
          row.bold.push_back(0);
        }
      }
      padding += width - row.cells.size();
      row.cells.resize(width);
      rows.push_back(std::move(row));
    }
    if (padding > m_options.limits.max_padding_cells) {
      skip(m_src->line_span(table_line),
           fmt::format("HTML table not read: its short rows would need {} empty cells, above the "
                       "limit of {}",
                       padding, m_options.limits.max_padding_cells),
           false);
      continue;
    }
    clean_spreadsheet_residue(rows);
    promote_spreadsheet_header(rows);
    const std::uint32_t header_line = rows[0].line;
    m_table_line = header_line;
    const TableLayout layout = classify_table(rows, header_line);
    read_table_rows(rows, layout);
    if (m_too_big) return;
  }
}

}  // namespace racine::markdown

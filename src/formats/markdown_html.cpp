// Markdown reader, HTML tables: a `<table>` written in the document (GitHub renders it)
// is found from the HTML block it starts in, read whole from the source up to its
// `</table>` (blank lines inside it end cmark-gfm's HTML block and the pre-scan's chunks,
// not the table), bounded and parsed by gumbo (formats/html_table.h), and its rows are
// read like a pipe table's: the same classification (classify_table) and row reading
// (read_table_rows), with each cell's span in the file and its bold flag.

#include <fmt/format.h>

#include <algorithm>

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
  if (lit == nullptr ||
      html::find_table_tag(lit, 0, std::string_view::npos) == std::string_view::npos)
    return;
  if (cmark_node_get_type(cmark_node_parent(n)) != CMARK_NODE_DOCUMENT) {
    skip(m_src->line_span(line),
         "HTML table inside a block quote or a list item is not read: write it at the top level",
         false);
    return;
  }
  const std::uint32_t last = std::min(std::max(line, end_line_of(n)), m_src->line_count());
  std::size_t from = std::max<std::size_t>(m_src->line_start(line), m_html_end);
  const std::size_t to = m_src->line_span(last).end;
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
    from = m_html_end;
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
    if (table.rows.empty()) continue;
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
    const std::uint32_t header_line = rows[0].line;
    m_table_line = header_line;
    const TableLayout layout = classify_table(rows, header_line);
    read_table_rows(rows, layout);
    if (m_too_big) return;
  }
}

}  // namespace racine::markdown

#include "core/source.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>

#include "core/text.h"

namespace racine {

std::string column_letters(std::uint32_t column) {
  std::string out;
  while (column > 0) {
    --column;
    out.insert(out.begin(), static_cast<char>('A' + column % 26));
    column /= 26;
  }
  return out;
}

std::optional<CellMap::Entry> CellMap::at(std::uint32_t offset) const {
  const auto it = std::upper_bound(entries.begin(), entries.end(), offset,
                                   [](std::uint32_t o, const Entry& e) { return o < e.offset; });
  if (it == entries.begin()) return std::nullopt;
  return *std::prev(it);
}

std::string CellMap::name(const Entry& e) const {
  const std::string& sheet = e.sheet < sheets.size() ? sheets[e.sheet] : std::string();
  bool plain = !sheet.empty();
  for (const char c : sheet) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || u >= 0x80)) plain = false;
  }
  std::string quoted;
  if (plain) {
    quoted = sheet;
  } else {
    quoted = "'";
    for (const char c : sheet) {
      if (c == '\'') quoted += '\'';
      quoted += c;
    }
    quoted += "'";
  }
  return fmt::format("{}!{}{}", quoted, column_letters(e.column), e.row);
}

SourceFile::SourceFile(std::string path, std::string text)
    : m_path(std::move(path)), m_text(std::move(text)) {
  // Line endings as in CommonMark: LF, CRLF, or a lone CR (cmark-gfm counts lines so).
  m_line_starts.push_back(0);
  for (std::size_t i = 0; i < m_text.size(); ++i) {
    const char c = m_text[i];
    if (c == '\n' || (c == '\r' && (i + 1 == m_text.size() || m_text[i + 1] != '\n'))) {
      m_line_starts.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
}

std::uint32_t SourceFile::line_count() const {
  auto n = static_cast<std::uint32_t>(m_line_starts.size());
  if (n > 1 && m_line_starts.back() == m_text.size()) --n;  // trailing newline
  return n;
}

std::uint32_t SourceFile::line_start(std::uint32_t line) const {
  if (line == 0) return 0;
  if (line > m_line_starts.size()) return static_cast<std::uint32_t>(m_text.size());
  return m_line_starts[line - 1];
}

Span SourceFile::line_span(std::uint32_t line) const {
  if (line == 0) line = 1;
  const std::uint32_t begin = line_start(line);
  std::uint32_t end = line < m_line_starts.size() ? m_line_starts[line] - 1
                                                  : static_cast<std::uint32_t>(m_text.size());
  if (end < begin) end = begin;
  if (end > begin && m_text[end - 1] == '\r') --end;
  return {begin, end};
}

std::string_view SourceFile::line(std::uint32_t line) const {
  const Span s = line_span(line);
  return std::string_view(m_text).substr(s.begin, s.end - s.begin);
}

Position SourceFile::position(std::uint32_t offset) const {
  if (m_cells) {
    if (const auto e = m_cells->at(offset)) return {e->row, e->column};
  }
  offset = std::min(offset, static_cast<std::uint32_t>(m_text.size()));
  const auto it = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - m_line_starts.begin());
  const std::uint32_t start = m_line_starts[line - 1];
  const auto col = text::codepoints(std::string_view(m_text).substr(start, offset - start));
  return {line, static_cast<std::uint32_t>(col + 1)};
}

}  // namespace racine

namespace racine {

std::string SourceFile::cell(std::uint32_t offset) const {
  if (!m_cells) return {};
  const auto e = m_cells->at(offset);
  return e ? m_cells->name(*e) : std::string();
}

std::string SourceFile::location(std::uint32_t offset) const {
  if (auto c = cell(offset); !c.empty()) return c;
  const Position p = position(offset);
  return fmt::format("{}:{}", p.line, p.column);
}

}  // namespace racine

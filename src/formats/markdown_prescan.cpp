#include "formats/markdown_prescan.h"

#include <fmt/format.h>

#include "formats/pipe_row.h"

namespace racine {

namespace {

// Length of a fence opener/closer ("```", "~~~~") at the start of `line`, or 0.
std::size_t fence_length(std::string_view line, char& fence_char) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return 0;
  const char c = line[i];
  std::size_t n = 0;
  while (i + n < line.size() && line[i + n] == c) ++n;
  if (n < 3) return 0;
  fence_char = c;
  return n;
}

bool is_blank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

std::optional<Error> prescan_markdown(const SourceFile& source, const Limits& limits) {
  const std::uint32_t lines = source.line_count();
  std::uint64_t padding = 0;
  char fence_char = 0;
  std::size_t fence_len = 0;
  for (std::uint32_t l = 1; l <= lines; ++l) {
    const std::string_view line = source.line(l);
    char c = 0;
    if (const auto n = fence_length(line, c)) {
      if (fence_len == 0) {
        fence_len = n;
        fence_char = c;
      } else if (c == fence_char && n >= fence_len) {
        fence_len = 0;
      }
      continue;
    }
    if (fence_len != 0) continue;
    if (l == lines || line.find('|') == std::string_view::npos) continue;
    const std::string_view next = source.line(l + 1);
    if (!is_delimiter_row(next)) continue;
    const std::size_t header = count_pipe_cells(line);
    if (header != count_pipe_cells(next)) continue;
    if (header > limits.max_columns) {
      return Error{source.path(), l, 1,
                   fmt::format("table has {} columns, above the limit of {} (raise "
                               "limits.max-columns in .racine.yaml to read it)",
                               header, limits.max_columns)};
    }
    std::uint32_t r = l + 2;
    for (; r <= lines; ++r) {
      const std::string_view row = source.line(r);
      if (is_blank(row)) break;
      const std::size_t cells = count_pipe_cells(row);
      if (cells < header) padding += header - cells;
    }
    if (padding > limits.max_padding_cells) {
      return Error{source.path(), l, 1,
                   fmt::format("tables up to here have {} missing cells that the parser would "
                               "pad, above the limit of {} (raise limits.max-padding-cells in "
                               ".racine.yaml to read it)",
                               padding, limits.max_padding_cells)};
    }
    l = r - 1;
  }
  return std::nullopt;
}

}  // namespace racine

#include "formats/pipe_row.h"

#include "core/text.h"

namespace racine {

namespace {

// Visits the cells of `line`; `visit(begin, end)` gets offsets within `line`.
template <typename Visit>
void for_each_cell(std::string_view line, Visit&& visit) {
  std::size_t b = 0;
  std::size_t e = line.size();
  while (b < e && (line[b] == ' ' || line[b] == '\t')) ++b;
  while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r')) --e;
  if (b == e) return;
  if (line[b] == '|') ++b;
  // A trailing pipe closes the row unless it is escaped.
  if (e > b && line[e - 1] == '|') {
    std::size_t backslashes = 0;
    for (std::size_t k = e - 1; k > b && line[k - 1] == '\\'; --k) ++backslashes;
    if (backslashes % 2 == 0) --e;
  }
  std::size_t start = b;
  for (std::size_t i = b; i < e; ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    if (line[i] == '|') {
      visit(start, i);
      start = i + 1;
    }
  }
  visit(start, e);
}

}  // namespace

std::vector<CellRange> split_pipe_row(std::string_view line) {
  std::vector<CellRange> out;
  for_each_cell(line, [&](std::size_t b, std::size_t e) { out.push_back({b, e}); });
  return out;
}

std::size_t count_pipe_cells(std::string_view line) {
  std::size_t n = 0;
  for_each_cell(line, [&](std::size_t, std::size_t) { ++n; });
  return n;
}

bool is_delimiter_row(std::string_view line) {
  bool any = false;
  bool ok = true;
  for_each_cell(line, [&](std::size_t b, std::size_t e) {
    std::string_view c = text::trim(line.substr(b, e - b));
    if (!c.empty() && c.front() == ':') c.remove_prefix(1);
    if (!c.empty() && c.back() == ':') c.remove_suffix(1);
    if (c.empty()) {
      ok = false;
      return;
    }
    for (const char ch : c) {
      if (ch != '-') ok = false;
    }
    any = true;
  });
  return ok && any;
}

}  // namespace racine

#pragma once
// Splitting a source line of a GFM pipe table into cells, as cmark-gfm does: leading and
// trailing pipes are optional, `\|` is an escaped pipe (also inside code spans).

#include <cstddef>
#include <string_view>
#include <vector>

namespace racine {

// A cell's byte range within its line, padding included.
struct CellRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The cells of `line`.
std::vector<CellRange> split_pipe_row(std::string_view line);

// Number of cells of `line` (same as split_pipe_row(line).size(), without allocating).
std::size_t count_pipe_cells(std::string_view line);

// True when `line` is a delimiter row: cells of `-` with optional `:` at either end.
bool is_delimiter_row(std::string_view line);

}  // namespace racine

#pragma once
// Limits enforced before (or while) a document is parsed. The defaults are far above any real
// matrix and far below what would exhaust memory: cmark-gfm keeps about 13 bytes per
// input byte, and pads every short table row to the header's width.

#include <cstdint>

namespace racine {

struct Limits {
  std::uint64_t max_bytes = 64ULL << 20;      // input size
  std::uint32_t max_columns = 256;            // cells in one table header
  std::uint64_t max_padding_cells = 200'000;  // cells cmark-gfm would add to short rows
};

// Fixed limits (not in .racine.yaml), far above any real document:
// - A Markdown front matter holds a few lines of metadata (title, lang, id): more than
//   16 KiB of it is refused, at the line that crosses the limit, before the YAML parser sees it.
inline constexpr std::uint64_t k_max_front_matter_bytes = 16ULL << 10;
// - A line that looks like a table's delimiter row under a paragraph whose last line has
//   another number of cells is no table, but cmark-gfm's table extension reads the
//   whole paragraph again there (and copies its cells): 100 KB of such pairs took 35 s.
//   The bytes so re-read over the document are bounded (a real document re-reads a few
//   paragraphs once): past 32 MiB it is refused, at the line that crosses the limit.
inline constexpr std::uint64_t k_max_delimiter_rereads = 32ULL << 20;
// - A YAML or JSON tree (a canonical matrix, a rules file, one Kubernetes document)
//   holds at most one value (scalar, sequence or mapping) per 16 bytes of max_bytes:
//   4,194,304 at the default 64 MiB, however dense the input (libyaml's event parser
//   keeps no tree of its own: the memory is the positioned tree's). A canonical matrix
//   of 10,000 activities and 20 parties has about 250,000; a Kubernetes List of 100,000
//   objects about 1,500,000. Refused at the value that crosses the limit.
//   canonical_reader.cpp also counts the separators of flow collections first (one per
//   64 bytes of max_bytes), a guard kept from the yaml-cpp reader.
inline constexpr std::uint64_t k_tree_bytes_per_value = 16;
inline constexpr std::uint64_t max_tree_values(const Limits& limits) {
  return limits.max_bytes / k_tree_bytes_per_value;
}
// - A Markdown matrix holds a cell (56 bytes, more for the few with markers or remarks) per
//   activity and party of the document, whatever table the activity is in: at most
//   8,000,000 cells (about 450 MB),
//   refused at the row that crosses the limit. 1,000,000 rows of 4 parties is 4,000,000;
//   the harm is many parties times many rows (1,000 tables of 256 new parties each).
inline constexpr std::uint64_t k_max_matrix_cells = 8'000'000;

}  // namespace racine

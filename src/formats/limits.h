#pragma once
// Limits enforced before a document is parsed. The defaults are far above any real
// matrix and far below what would exhaust memory: cmark-gfm keeps about 13 bytes per
// input byte, and pads every short table row to the header's width.

#include <cstdint>

namespace racine {

struct Limits {
  std::uint64_t max_bytes = 64ULL << 20;       // input size
  std::uint32_t max_columns = 256;             // cells in one table header
  std::uint64_t max_padding_cells = 200'000;   // cells cmark-gfm would add to short rows
};

}  // namespace racine

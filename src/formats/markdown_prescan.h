#pragma once
// A cheap pass over a Markdown document that refuses, before cmark-gfm parses it, what
// would make the parser take too much time or memory: too many columns in a table, or
// short rows that cmark-gfm would pad to the header's width (an 80 KB file with a
// 128-column header and 40,000 one-cell rows costs it 1.2 GB).
//
// The same pass cuts the document into chunks of about `chunk_bytes` that can be parsed
// one at a time, so that cmark-gfm's tree (about 40 bytes per input byte) never holds
// the whole of a large document. A cut is made only at a blank line that no block can
// span (outside fenced code and raw HTML blocks, before a line that starts in column 1),
// or between two rows of a large table (at the top level or in a block quote, not in a
// list item), past its first `classify_rows` body rows (which
// decide how its columns are read, see markdown_reader.cpp; for a header holding
// `Unnamed: N`, k_max_header_rows more, where a spreadsheet export's real header may
// stand: markdown_table.h): the next chunk then starts
// with that table's header and delimiter rows again (LineRange::header), so that it
// parses as the same table. Link reference definitions apply to the whole document, so a document
// with any is one chunk.

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/source.h"
#include "formats/limits.h"

namespace racine {

// How far below a spreadsheet export's `Unnamed: N` header row its real header is
// looked for (markdown_table.h, promote_spreadsheet_header).
inline constexpr std::uint32_t k_max_header_rows = 16;

// Lines `first` to `last`, inclusive, 1-based; when `header` is not 0, the chunk is
// the rest of a table whose header row is line `header` (its delimiter row the next),
// and those two lines are parsed before `first`.
struct LineRange {
  std::uint32_t first = 1;
  std::uint32_t last = 0;
  std::uint32_t header = 0;
};

// Length of the container markers that start `line`: block quote markers ("> ", ">>")
// and list item markers ("- ", "1. "), with the spaces around them. What follows is the
// line as the block inside those containers sees it: a table inside a block quote or a
// list item is read from there, like a table at the top level. Conservative: a line of
// plain text may lose a leading "- " too, which only matters where a table may start.
std::size_t container_prefix_length(std::string_view line);

// The chunks of lines `first_line` to the end, or an Error naming the first table that
// breaks a limit.
Result<std::vector<LineRange>> prescan_markdown(const SourceFile& source, const Limits& limits,
                                                std::uint32_t first_line = 1,
                                                std::size_t chunk_bytes = 256 << 10,
                                                std::uint32_t classify_rows = 1000);

}  // namespace racine

#pragma once
// Reads a RACI matrix from Markdown exactly as GitHub renders it (cmark-gfm with its
// table extension).

#include <string>

#include "core/matrix.h"
#include "core/party_names.h"
#include "core/result.h"
#include "formats/limits.h"

namespace racine {

// What the Markdown reader needs besides the text.
struct ReadOptions {
  Limits limits;
  PartyAliases aliases = PartyAliases::builtin();
  std::string id;  // matrix id when the document declares none (e.g. from the file name)
  std::size_t chunk_bytes =
      256 << 10;  // parse in pieces of about this size (see markdown_prescan.h)
  std::uint32_t classify_rows = 1000;  // body rows of a table that decide how its columns are read
};

// The matrix in `source`, or an Error when a limit is broken, the front matter is
// unterminated or invalid, or no RACI table is found (with what was skipped).
Result<Matrix> read_markdown(const SourcePtr& source, const ReadOptions& options);

// The id a matrix read from `path` gets by default: the slug of the file's stem.
std::string matrix_id_from_path(const std::string& path);

}  // namespace racine

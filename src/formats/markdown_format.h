#pragma once
// `racine fmt`: the RACI tables of a Markdown document rewritten canonically, every
// other byte as it was. In a rewritten table, columns are aligned (widths in code
// points), role letters come in R, A, C, I order followed by the cell's markers, each
// party's header is the first spelling the document uses for it, bold stays bold, and
// the delimiter row keeps its alignment colons. Lines keep their indentation and their
// own line endings.
//
// A table is left as written when racine could not say it again without loss: roles as
// columns, section rows or notes inside it, rows wider or narrower than the header,
// a container (quote, list) around it. So are cells it cannot restate: unknown letters,
// bold cells with markers.

#include <string>
#include <string_view>

#include "core/matrix.h"

namespace racine {

// The formatted text of the document `m` was read from (Markdown only).
std::string format_markdown(const Matrix& m);

// A unified diff (3 lines of context) from `before` to `after`, named after `path`;
// empty when they are equal.
std::string unified_diff(const std::string& path, std::string_view before, std::string_view after);

}  // namespace racine

#pragma once
// A cheap pass over a Markdown document that refuses, before cmark-gfm parses it, what
// would make the parser take too much time or memory: too many columns in a table, or
// short rows that cmark-gfm would pad to the header's width (an 80 KB file with a
// 128-column header and 40,000 one-cell rows costs it 1.2 GB).

#include <optional>

#include "core/result.h"
#include "core/source.h"
#include "formats/limits.h"

namespace racine {

// An Error naming the first table that breaks a limit, or nullopt.
std::optional<Error> prescan_markdown(const SourceFile& source, const Limits& limits);

}  // namespace racine

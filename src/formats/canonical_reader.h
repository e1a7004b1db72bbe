#pragma once
// Reads racine's canonical format, version 1 (`racine: 1`), from YAML or JSON: the same
// tree either way (docs/formats.md, docs/schema/racine-1.schema.json). A wrong type, an
// unknown key, an unknown party id or a duplicate activity id is an Error with the line
// and column of the offending node; role letters are read like Markdown's cells, so a
// bad letter is a diagnostic (RAC101), not an error.

#include "core/matrix.h"
#include "core/result.h"
#include "formats/markdown_reader.h"

namespace racine {

Result<Matrix> read_canonical(const SourcePtr& source, const ReadOptions& options);

}  // namespace racine

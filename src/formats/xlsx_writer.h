#pragma once
// The matrix as an XLSX workbook (`export --format xlsx -o FILE`), written with
// libxlsxwriter: a "Matrix" sheet with coloured role cells, a frozen header and
// activity column, an autofilter and column widths that fit; one sheet per party with
// its duties; a "Summary" sheet of R, A, C, I per party, overall and per section.

#include <optional>
#include <string>

#include "core/matrix.h"
#include "core/result.h"

namespace racine {

// Writes the workbook to `path`; an Error when it cannot be written.
std::optional<Error> write_xlsx(const Matrix& m, const std::string& path);

}  // namespace racine

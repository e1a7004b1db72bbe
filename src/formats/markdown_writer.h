#pragma once
// The matrix as a canonical Markdown document (`export --format md`, `resolve`): the
// title as a level-1 heading, each section as a level-2 heading over one aligned table,
// roles in R, A, C, I order, markers after the roles and titles they mark, each note
// after the last table that refers to it, and the gray-zone note at the end.
// Extra columns (ID, domain) are not written. docs/output.md shows an example.

#include <string>

#include "core/matrix.h"

namespace racine {

std::string write_markdown(const Matrix& m);

}  // namespace racine

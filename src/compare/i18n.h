#pragma once
// Translations checked against their source (`racine i18n`): titles cannot be compared
// across languages, so the two matrices are aligned by structure. Sections are aligned
// in order, rows in order within a section, parties by column position; an alignment
// (dynamic programming) tolerates a row or a section inserted or deleted, scoring pairs
// by what survives translation: role letters, markers, numbers and acronyms, and the
// glossary's concepts of the titles. Findings use the RAC4xx codes, located in the
// translation.

#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/matrix.h"

namespace racine::compare {

// Line that separates the source from the translation in the RAC4xx rule examples.
inline constexpr std::string_view k_translation_separator = "<!-- translation -->\n";

// RAC401 (sections and rows without counterpart), RAC402 (other roles), RAC403 (other
// markers), before suppressions and configuration.
std::vector<Diagnostic> compare_translation(const Matrix& source, const Matrix& translation);

// Similarity in [0, 1] of two activities of a source and a translation (their titles'
// language-neutral features, roles, markers), for tests and tuning.
double row_similarity(const Matrix& source, const Activity& a, const Matrix& translation,
                      const Activity& b);

}  // namespace racine::compare

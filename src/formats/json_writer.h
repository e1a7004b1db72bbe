#pragma once
// The matrix as JSON (`racine export --format json`): the canonical tree, version 1
// (docs/formats.md); the YAML writer writes the same tree.

#include <nlohmann/json.hpp>
#include <string>

#include "core/matrix.h"

namespace racine {

// The model as an ordered JSON tree ("racine": 1).
nlohmann::ordered_json matrix_to_json(const Matrix& m);
// Its parts, for the writers, which write a large matrix a section at a time: every key
// but "sections" (the last), and one section.
nlohmann::ordered_json matrix_head_to_json(const Matrix& m);
nlohmann::ordered_json section_to_json(const Matrix& m, const Section& s);

// The same, serialised with two-space indentation and a final newline.
std::string write_json(const Matrix& m);

}  // namespace racine

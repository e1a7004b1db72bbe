#pragma once
// The canonical tree as YAML (`racine export --format yaml`): block style, two-space
// indents, lists of scalars in flow style, strings plain when YAML reads them back as
// the same string and double-quoted (JSON escapes) otherwise.

#include <nlohmann/json.hpp>
#include <string>

#include "core/matrix.h"

namespace racine {

std::string write_yaml(const Matrix& m);

// Any JSON tree as YAML, in the same style.
std::string json_to_yaml(const nlohmann::ordered_json& tree);

}  // namespace racine

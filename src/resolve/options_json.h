#pragma once
// `racine options --json`: every option of a matrix with the activities it changes.
// [{"id", "marker", "text", "line", "delegate": party id or null,
//   "activities": [{"id", "title", "line"}]}]

#include <nlohmann/json.hpp>

#include "core/matrix.h"

namespace racine::resolve {

nlohmann::ordered_json options_to_json(const Matrix& m);

}  // namespace racine::resolve

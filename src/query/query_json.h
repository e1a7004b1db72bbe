#pragma once
// The JSON shapes of lookups, stable for programs (docs/output.md):
// `who --json`, `duties --json`, `summary --json`.

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/matrix.h"
#include "query/duties.h"
#include "query/index.h"

namespace racine::query {

// Roles of every party on an activity: {party id: "RA", ...} (parties with a column).
nlohmann::ordered_json roles_to_json(const Matrix& m, const Activity& a);

// {"query", "matches": [{"id", "title", "section", "line", "score", "roles"}],
//  "gray_zone": bool, "outcome": "answered|uncertain|gray_zone|empty",
//  "gray_zone_note": string or null}
nlohmann::ordered_json answer_to_json(const Matrix& m, std::string_view query,
                                      const Answer& answer);
// The same, written compactly without building a tree (the server's `who`): the very
// bytes of answer_to_json(...).dump().
std::string answer_to_json_text(const Matrix& m, std::string_view query, const Answer& answer);

// {"party", "sections": [{"title", "activities": [{"id", "title", "line", "roles"}]}]}
// where "roles" is the party's roles on the activity ("RA").
nlohmann::ordered_json duties_to_json(const Matrix& m, const Duties& d);

// {"activities", "parties": [{"id", "name", "R", "A", "C", "I"}],
//  "sections": [{"title", "activities", "parties": {party id: {"R", "A", "C", "I"}}}]}
nlohmann::ordered_json summary_to_json(const Matrix& m, const Workload& w);

}  // namespace racine::query

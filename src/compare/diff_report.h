#pragma once
// A diff for people (text, grouped by section, with old and new lines), for programs
// (JSON, stable; docs/output.md) and for a pull request or a contract amendment
// (Markdown tables).

#include <nlohmann/json.hpp>
#include <string>

#include "compare/diff.h"

namespace racine::compare {

std::string diff_text(const Diff& d, const Matrix& before, const Matrix& after);

// {"old", "new", "parties": {"added", "removed"}, "options": [...], "changes": [{"kind",
//  "kinds", "match", "section", "old_section"?, "old": {"line", "title"} or null, "new",
//  "roles": {party: {"old", "new"}}, "markers": {party or "title": {"old", "new"}}}]}
nlohmann::ordered_json diff_json(const Diff& d, const Matrix& before, const Matrix& after);

std::string diff_markdown(const Diff& d, const Matrix& before, const Matrix& after);

}  // namespace racine::compare

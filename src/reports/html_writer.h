#pragma once
// The matrix as one self-contained HTML page (`export --format html`): styles and script
// inline, no request of any kind (a Content-Security-Policy forbids them), readable
// printed and on a phone. One colour per role, sticky header and first column, sections,
// a search box that filters rows as one types (case and accents ignored), a party
// selector (the rows where that party is Responsible or Accountable), delegable cells
// marked with their note as a tooltip, lint findings on their rows, what an option
// changed, and an SVG chart of R, A, C, I per party. Every text is escaped.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/matrix.h"

namespace racine::reports {

// What the page shows besides the matrix; the caller computes it (lint, options).
struct HtmlExtras {
  using Key = std::pair<std::uint32_t, std::uint32_t>;           // section, activity
  std::map<Key, std::vector<std::string>> findings;              // "RAC202 error: message", per row
  std::map<std::pair<Key, std::size_t>, std::string> delegable;  // cell -> "option: note"
  std::map<std::pair<Key, std::size_t>, std::string> changed;    // cell -> "was RA"
  std::string applied;                                           // options applied, for the header
};

std::string write_html(const Matrix& m, const HtmlExtras& extras);

// `s` with &, <, >, " and ' escaped for HTML text and attributes.
std::string html_escape(std::string_view s);

}  // namespace racine::reports

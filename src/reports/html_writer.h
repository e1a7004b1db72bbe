#pragma once
// The matrix as one self-contained HTML page (`export --format html`): styles and script
// inline, no request of any kind (a Content-Security-Policy forbids them), readable on a
// phone and printable (landscape, the header row repeated on every page, no tool bar).
// Its labels are in the report's language (French or English, reports/labels.h). One
// colour per role with a legend, sticky tool bar, header and first column, sections,
// every note under its section with its marker (an option's note names the option), a
// search box that filters rows as one types (case and accents ignored), a party selector
// (the rows where that party is Responsible or Accountable), delegable cells outlined
// with their note as a tooltip and the options explained below the table, lint findings
// on their rows styled by severity (infos discreet), what an option changed, and a
// titled, labelled SVG chart of R, A, C, I per party. Every text is escaped.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/matrix.h"
#include "reports/labels.h"

namespace racine::reports {

// What the page shows besides the matrix; the caller computes it (lint, options).
struct HtmlExtras {
  using Key = std::pair<std::uint32_t, std::uint32_t>;              // section, activity
  Lang lang = Lang::en;                                             // of the labels
  std::map<Key, std::vector<ReportFinding>> findings;               // per row
  std::map<std::size_t, std::vector<ReportFinding>> note_findings;  // per note (Matrix::notes)
  std::vector<ReportFinding> other_findings;                        // on no row nor note
  std::map<std::pair<Key, std::size_t>, std::string> delegable;     // cell -> "option X: note"
  std::map<std::string, std::size_t> option_cells;                  // option id -> delegable cells
  std::map<std::pair<Key, std::size_t>, std::string> changed;       // cell -> "option X: was RA"
  std::string applied;  // options applied, for the header
};

std::string write_html(const Matrix& m, const HtmlExtras& extras);

// `s` with &, <, >, " and ' escaped for HTML text and attributes.
std::string html_escape(std::string_view s);

}  // namespace racine::reports

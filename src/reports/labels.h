#pragma once
// The words of the reports for people (the HTML page, the XLSX workbook) in the report's
// language, and how that language is chosen: the one asked for (`--lang`), else the
// matrix's own, else English. French and English are written; a matrix in another
// language (German, Spanish, Italian...) gets an English report (docs/reports.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "core/matrix.h"

namespace racine::reports {

enum class Lang : std::uint8_t { en, fr };

// "en" -> en, "fr" -> fr (case ignored); nullopt for any other text.
std::optional<Lang> parse_lang(std::string_view code);
// "en", "fr": the page's `lang` attribute.
std::string_view lang_code(Lang lang);
// The report's language: `requested` ("fr", "en"...) when not empty, else the matrix's
// language; French when that is French, else English (a German, Spanish or Italian
// report is English).
Lang report_language(const Matrix& m, std::string_view requested = {});

struct Labels {
  std::string_view activity;       // "Activity": the first column
  std::string_view section;        // "Section"
  std::string_view party;          // "Party"
  std::string_view roles;          // "Roles"
  std::string_view all_parties;    // the party selector's first choice
  std::string_view search;         // the search box's placeholder
  std::string_view applied;        // "Effective matrix under option {}: ..." ({} the options)
  std::string_view chart_title;    // the chart's caption
  std::string_view chart_axis;     // its vertical axis: a number of activities
  std::string_view legend;         // "Roles:" before the role badges
  std::string_view notes;          // "Notes" (heading of the notes with no section)
  std::string_view options;        // "Contract options" (heading of the option legend)
  std::string_view option;         // "option" in "option X: note"
  std::string_view option_cells;   // "{} cells outlined in dashes could be handed over"
  std::string_view was;            // "was" in "option X: was RA"
  std::string_view findings;       // "Findings" (sheet, heading)
  std::string_view code;           // "Code"
  std::string_view severity;       // "Severity"
  std::string_view line;           // "Line"
  std::string_view message;        // "Message"
  std::string_view no_findings;    // "No finding" on an empty findings sheet
  std::string_view matrix_sheet;   // "Matrix"
  std::string_view summary_sheet;  // "Summary"
  std::string_view all;            // "All" (the Summary's whole-matrix rows)
  std::string_view gray_zone;      // "Gray zone"
  std::string_view error;          // severities
  std::string_view warning;
  std::string_view info;
  std::string_view role_names[6];  // R, A, C, I, S, D
  std::string_view daci_names[2];  // A and C when the matrix is DACI: Approver, Contributor
  std::string_view colon;          // ": " in English, " : " in French
};

const Labels& labels(Lang lang);

// The severity in words ("error", "erreur").
std::string_view severity_label(const Labels& l, Severity s);

// What a role letter stands for under `vocabulary` ("Responsible", "Approbateur"): the
// matrix's own legend when it has one, else the report's words.
std::string role_name(const Labels& l, const RoleVocabulary& vocabulary, char letter);

// One lint finding as the reports show it: on the HTML row it points at, as a row of
// the XLSX "Findings" sheet.
struct ReportFinding {
  std::string code;  // "RAC202"
  Severity severity = Severity::error;
  std::uint32_t line = 0;  // 1-based line in the matrix's source; 0 when none
  std::string activity;    // the activity's title, empty when the finding is on none
  std::string message;
};

}  // namespace racine::reports

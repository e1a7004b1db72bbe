#pragma once
// Everything the reports for people show besides the matrix, gathered in one place so
// that every front end renders the same page and the same workbook: `racine
// export/convert/resolve --format html|xlsx` and the server's `?format=html|xlsx` call
// gather_page / html_page / xlsx_report with what they have. The report's language is
// decided here (`lang`: what the user asked for, "fr", "en"..., empty for the matrix's
// own; see reports::report_language); the front ends only pass it on.

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/matrix.h"
#include "core/result.h"
#include "reports/html_writer.h"
#include "reports/labels.h"

namespace racine::reports {

// The lint findings of `m` under `config`, in the linter's order, with their line and
// the title of the activity whose row they are on.
std::vector<ReportFinding> gather_findings(const Matrix& m, const config::Config& config);

// The page's extras for `m`: its language; the lint findings of `m` under `config`, on
// the row or the note they point at (the others apart); the cells an option of `m` makes delegable,
// with the option's note; and, when `with` is not empty and `original` is given, the
// cells the options `with` changed from `original` (the matrix before them) and the list
// of options applied.
HtmlExtras gather_page(const Matrix& m, const config::Config& config,
                       const Matrix* original = nullptr, const std::vector<std::string>& with = {},
                       std::string_view lang = {});

// The whole page: write_html(m, gather_page(m, config, original, with, lang)).
std::string html_page(const Matrix& m, const config::Config& config,
                      const Matrix* original = nullptr, const std::vector<std::string>& with = {},
                      std::string_view lang = {});

// The whole workbook, with its "Findings" sheet: write_xlsx(m, {language,
// gather_findings(m, config)}).
Result<std::string> xlsx_report(const Matrix& m, const config::Config& config,
                                std::string_view lang = {});

}  // namespace racine::reports

#pragma once
// The matrix as an XLSX workbook (`export --format xlsx -o FILE`), written with
// libxlsxwriter: a "Matrix" sheet with coloured role cells, a frozen header and
// activity column, an autofilter and column widths that fit (a narrow, wrapped section
// column), then below the table the role legend, the notes with their markers and the
// contract options; one sheet per party with its duties; a "Summary" sheet of R, A, C, I
// per party, overall and per section; a "Findings" sheet of the lint findings (code,
// severity, line, activity, message). Every sheet prints landscape on A4, fitted to the
// page's width, its header row repeated on every page. Labels and sheet names are in the
// report's language (reports/labels.h: "Matrice", "Synthèse", "Constats" in French).
//
// What a workbook cannot hold is refused, never dropped: a text over 32,767 characters
// in a cell, more than 1,048,576 rows or 16,384 columns. Sheet names are derived from
// the parties' names and made valid for Excel (see `xlsx_sheet_names`). libxlsxwriter's
// own "[ERROR]" lines never reach standard error: every return of the library is
// checked and reported in the Error instead.

#include <string>
#include <vector>

#include "core/matrix.h"
#include "core/result.h"
#include "reports/labels.h"
#include "reports/ssp.h"

namespace racine::reports {

// What the workbook shows besides the matrix; reports::xlsx_report (reports/page.h)
// gathers it as the HTML page's.
struct XlsxExtras {
  Lang lang = Lang::en;                 // of the labels and sheet names
  std::vector<ReportFinding> findings;  // the "Findings" sheet, in this order
};

// The bytes of the workbook (a ZIP file), or an Error at the text that does not fit
// ("path:line:col: ... does not fit an XLSX cell (cell B2 of sheet 'Matrix') ...").
Result<std::string> write_xlsx(const Matrix& m, const XlsxExtras& extras = {});

// The customer responsibility workbook (`export --format crm-xlsx`): one sheet,
// "Customer responsibility", with a row per control (control, FedRAMP origination, the
// provider's part, the customer's part, the roles), printed like the matrix workbook;
// the catalog and, for an example mapping, a warning below the table.
Result<std::string> write_crm_xlsx(const Matrix& m, const std::vector<CrmRow>& rows,
                                   const std::string& catalog, bool example);

// The sheet names of the workbook: "Matrix", one per party, "Summary", "Findings" (in
// `lang`). A party's is its name without control characters, []:*?/\ and leading or
// trailing apostrophes, cut to 28 characters, "Party" when nothing is left or the name
// is Excel's reserved "History", then made unique (case ignored) with " 2", " 3"...
std::vector<std::string> xlsx_sheet_names(const Matrix& m, Lang lang = Lang::en);

}  // namespace racine::reports

#pragma once
// Spreadsheets as people keep their matrices: Office Open XML workbooks (.xlsx, Excel,
// Google Sheets, LibreOffice) and OpenDocument spreadsheets (.ods), read without any
// office suite, and CSV files that are not racine's own (a sheet saved as CSV).
//
// A spreadsheet becomes a grid of cells (every visible sheet, in order; hidden sheets,
// rows and columns left out), and the grid becomes the Markdown a person would write for
// it: the header is the last row of two or more filled cells above the first rows with
// roles, rows above it are paragraphs (a title block), the header and the rows below form
// a pipe table, a row with only its first cell filled (a merged row across the table) is
// a section, and after an empty row, rows without roles are text (docs/formats.md). The Markdown
// reader then reads it as any other document, so that a spreadsheet is understood
// exactly as the same table written in Markdown or exported to CSV. The Markdown keeps
// a map back to the cells (CellMap in core/source.h): findings point at "Sheet1!C12".
//
// Bounds (docs/formats.md, "Spreadsheets"), on top of the input size (limits.max_bytes):
// - at most k_max_zip_entries entries in the archive, and the parts read (the workbook,
//   its relationships, its shared strings and its sheets) unpack to at most max_bytes in
//   all, counted as they are inflated (a zip bomb stops at the limit, whatever sizes its
//   directory declares);
// - XML with a document type declaration is refused (no entity is ever declared, so
//   none is expanded; expat also bounds amplification);
// - at most k_max_sheet_cells filled cells, and no filled cell past column
//   limits.max_columns or row k_max_sheet_rows;
// - a cell's text is cut at k_max_cell_bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"
#include "core/result.h"
#include "formats/csv.h"
#include "formats/markdown_reader.h"

namespace racine::sheet {

inline constexpr std::uint32_t k_max_zip_entries = 10'000;
inline constexpr std::uint64_t k_max_sheet_cells = 1'000'000;
inline constexpr std::uint32_t k_max_sheet_rows = 1'048'576;  // Excel's and Calc's last row
inline constexpr std::size_t k_max_cell_bytes = 32 * 1024;
inline constexpr std::size_t k_max_sheets = 1'000;
inline constexpr std::size_t k_max_merges = 100'000;             // merged ranges in a sheet
inline constexpr std::uint64_t k_max_merge_visits = 10'000'000;  // rows they may cover, in all
inline constexpr std::size_t k_max_segments = 1'000;  // tables (blocks after empty rows) a sheet

struct Cell {
  std::uint32_t column = 1;  // 1-based
  std::string text;          // as shown: numbers written plainly, lines joined
};
struct Row {
  std::uint32_t number = 1;  // 1-based, as the spreadsheet numbers it
  std::vector<Cell> cells;   // filled cells, by column
};
struct Sheet {
  std::string name;
  std::vector<Row> rows;                      // rows with a filled cell, by number
  std::vector<std::uint32_t> hidden_columns;  // left out of the table, in order
};
struct Workbook {
  std::vector<Sheet> sheets;  // visible sheets, in the workbook's order
};

enum class Kind : std::uint8_t { xlsx, ods };

// The spreadsheet a file name's extension (.xlsx, .xlsm, .ods; any case) or, when
// `is_format_name`, a format name ("xlsx", "ods") stands for; nullopt for anything else.
std::optional<Kind> kind_of(std::string_view name, bool is_format_name = false);

// The visible sheets of a workbook held in `bytes`; errors name the part and, for XML,
// its line ("xl/worksheets/sheet1.xml:3: ...").
Result<Workbook> read_workbook(std::string_view bytes, Kind kind, const std::string& path,
                               const Limits& limits);

// A CSV file's rows as a one-sheet grid, the sheet named after the file, each record
// numbered as a row. Used for a CSV that is not racine's own (docs/formats.md).
Result<Workbook> csv_grid(const std::vector<CsvRow>& rows, const SourcePtr& source);

// The Markdown a person would write for the grid, and where each cell went.
struct Rendered {
  std::string markdown;
  CellMap cells;
  bool too_big = false;  // the Markdown passed max_bytes: rendering stopped there
};
Rendered render(const Workbook& book, std::uint64_t max_bytes = Limits{}.max_bytes);

// The matrix a workbook holds: rendered, then read by the Markdown reader; its source is
// the rendered Markdown, named `path`, with the map back to the cells.
Result<Matrix> read_grid(const Workbook& book, const std::string& path, const ReadOptions& options);

// Reads the spreadsheet file at `path` (`-`: standard input): at most limits.max_bytes.
Result<Matrix> read_spreadsheet_file(const std::string& path, Kind kind,
                                     const ReadOptions& options);
// The same from bytes already in memory (an upload).
Result<Matrix> read_spreadsheet(std::string_view bytes, Kind kind, const std::string& path,
                                const ReadOptions& options);

}  // namespace racine::sheet

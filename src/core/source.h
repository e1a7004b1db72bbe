#pragma once
// A loaded document: its display path and bytes, with a line index so that byte
// offsets become line and column only when a position is printed. Lines end as in
// CommonMark: LF, CRLF or a lone CR.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racine {

// A byte range in one SourceFile.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// A printable position: 1-based line, 1-based column in Unicode code points.
struct Position {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

// Where the cells of a spreadsheet are in the Markdown text it was read as
// (formats/spreadsheet.h): each entry starts at `offset` and runs to the next one.
struct CellMap {
  struct Entry {
    std::uint32_t offset = 0;
    std::uint32_t sheet = 0;   // index into sheets
    std::uint32_t row = 1;     // 1-based, as the spreadsheet numbers it
    std::uint32_t column = 1;  // 1-based (A is 1)
  };
  std::vector<std::string> sheets;
  std::vector<Entry> entries;  // by offset

  // The cell holding `offset`, or nullopt before the first entry.
  [[nodiscard]] std::optional<Entry> at(std::uint32_t offset) const;
  // "Sheet1!C12"; a sheet name that is not a plain word is quoted as spreadsheets do
  // ('Cloud Temple'!C12, with ' doubled).
  [[nodiscard]] std::string name(const Entry& e) const;
};

// The letters of a 1-based spreadsheet column: 1 -> "A", 27 -> "AA".
std::string column_letters(std::uint32_t column);

// The text of one input and where it came from.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  // Path as shown to people ("seed.md", "<builtin:managed-kubernetes>", "<stdin>").
  [[nodiscard]] const std::string& path() const { return m_path; }
  // The whole document.
  [[nodiscard]] std::string_view text() const { return m_text; }
  // Number of lines (a final line without newline counts).
  [[nodiscard]] std::uint32_t line_count() const;
  // Text of 1-based line `line`, without its line ending.
  [[nodiscard]] std::string_view line(std::uint32_t line) const;
  // Byte offset where 1-based line `line` starts (text size past the end).
  [[nodiscard]] std::uint32_t line_start(std::uint32_t line) const;
  // Span covering 1-based line `line` (0 counts as 1), without its line ending.
  [[nodiscard]] Span line_span(std::uint32_t line) const;
  // Line and column of a byte offset; for a spreadsheet, the row and column of its cell.
  [[nodiscard]] Position position(std::uint32_t offset) const;
  // For a spreadsheet, the name of the cell holding a byte offset ("Sheet1!C12"); empty
  // for a text document.
  [[nodiscard]] std::string cell(std::uint32_t offset) const;
  // Where a printed finding points: "LINE:COLUMN", or the cell's name.
  [[nodiscard]] std::string location(std::uint32_t offset) const;
  void set_cells(std::shared_ptr<const CellMap> cells) { m_cells = std::move(cells); }
  [[nodiscard]] bool is_spreadsheet() const { return m_cells != nullptr; }

 private:
  std::string m_path;
  std::string m_text;
  std::vector<std::uint32_t> m_line_starts;
  std::shared_ptr<const CellMap> m_cells;
};

using SourcePtr = std::shared_ptr<const SourceFile>;

}  // namespace racine

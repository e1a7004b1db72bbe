#pragma once
// A loaded document: its display path and bytes, with a line index so that byte
// offsets become line and column only when a position is printed. Lines end as in
// CommonMark: LF, CRLF or a lone CR.

#include <cstdint>
#include <memory>
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
  // Line and column of a byte offset.
  [[nodiscard]] Position position(std::uint32_t offset) const;

 private:
  std::string m_path;
  std::string m_text;
  std::vector<std::uint32_t> m_line_starts;
};

using SourcePtr = std::shared_ptr<const SourceFile>;

}  // namespace racine

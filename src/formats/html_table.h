#pragma once
// HTML tables written in a Markdown document (`<table>` with `<tr>`, `<th>`, `<td>`,
// `<thead>`/`<tbody>`, `colspan`), as GitHub renders them: found in the source, bounded,
// then parsed by gumbo (Google's HTML5 parser). The Markdown reader feeds the rows to
// the same classification and row reading as pipe tables (markdown_table.cpp).
//
// Bounds: gumbo's tree construction costs the depth of its stack of open elements per
// tag (100,000 nested `<div>` take minutes) and it frees its tree recursively (deep
// nested tables overflow the stack), so a table is handed to gumbo only when its source
// is at most k_max_html_table_bytes long and a cheap scan of its tags
// (find_html_table_end) finds no element nested deeper than k_max_html_depth; at those
// bounds the worst inputs measured parse in under 2 s.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace racine::html {

inline constexpr std::size_t k_max_html_table_bytes = 256 * 1024;
inline constexpr std::size_t k_max_html_depth = 64;

// Where the next `<table` start tag (any case) is in text[from, to), or npos.
std::size_t find_table_tag(std::string_view text, std::size_t from, std::size_t to);

// Where the next start tag `<name` (any case; `name` in lower case) is in text from
// `from`, or npos. A plain search: comments and raw text are not skipped.
std::size_t find_tag(std::string_view text, std::string_view name, std::size_t from = 0);

// True when `text` is a whole HTML page: its first non-blank content is `<!DOCTYPE
// html` or `<html` (any case).
bool is_html_document(std::string_view text);

// The text a browser shows for an HTML fragment (a heading, a title): tags dropped,
// entities decoded, white space collapsed. For short fragments.
std::string fragment_text(std::string_view html);

// The extent of the table whose `<table` tag is at `begin`: where its `</table>` ends.
struct Extent {
  enum class Status { closed, unclosed, too_big, too_deep };
  Status status = Status::closed;
  std::size_t end = 0;  // one past the `>` of the matching `</table>` (closed)
};
// Scans tags from `begin` (comments, quoted attributes, raw text of script and style
// skipped; implied ends of td, th, tr, p, li as in HTML), up to `max_bytes` past
// `begin`, refusing at an element nested deeper than `max_depth` inside the table.
// Unclosed: the text ends first.
Extent find_html_table_end(std::string_view text, std::size_t begin,
                           std::size_t max_bytes = k_max_html_table_bytes,
                           std::size_t max_depth = k_max_html_depth);

// A cell as read: its rendered text (entities decoded, tags dropped, `<br>` a space,
// `<sup>1</sup>` the marker "¹", white space collapsed), where its content is in the
// parsed text (trimmed of white space), whether all of its text is bold (`<b>`,
// `<strong>`), and its colspan (1 when absent or not a number; at most 1,000).
struct Cell {
  std::string text;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool bold = false;
  std::uint32_t colspan = 1;
};
struct Row {
  std::size_t offset = 0;  // of the `<tr>` tag (or of its first cell when implied)
  std::vector<Cell> cells;
};
struct Table {
  std::size_t offset = 0;  // of the `<table>` tag
  std::vector<Row> rows;   // thead, tbody, tfoot in document order; empty rows dropped
};

// The outermost tables of `html` (tables inside a cell are not read: their text is not
// part of the cell's), offsets relative to `html`.
std::vector<Table> parse_tables(std::string_view html);

}  // namespace racine::html

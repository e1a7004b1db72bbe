#include "formats/markdown_prescan.h"

#include <fmt/format.h>

#include <cctype>
#include <set>
#include <string>

#include "core/text.h"
#include "formats/pipe_row.h"

namespace racine {

namespace {

// Length of a fence ("```", "~~~~") at the start of `line`, or 0; `rest` gets what
// follows it. As in CommonMark, a backtick fence's info string has no backtick.
std::size_t fence_length(std::string_view line, char& fence_char, std::string_view& rest) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return 0;
  const char c = line[i];
  std::size_t n = 0;
  while (i + n < line.size() && line[i + n] == c) ++n;
  if (n < 3) return 0;
  rest = line.substr(i + n);
  if (c == '`' && rest.find('`') != std::string_view::npos) return 0;
  fence_char = c;
  return n;
}

bool is_blank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// True when `line` could start a block other than a table row (list item, block quote,
// heading, fence, HTML, thematic break, indented code): such a line ends a GFM table.
// Conservative: a line that might is treated as one that does.
bool may_start_block(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= 4 || i >= line.size()) return i >= 4;
  const char c = line[i];
  if (c == '|') return false;
  if (c == '>' || c == '#' || c == '*' || c == '-' || c == '+' || c == '_' || c == '=' ||
      c == '<' || c == '`' || c == '~' || c == '\t') {
    return true;
  }
  if (c >= '0' && c <= '9') {
    std::size_t j = i;
    while (j < line.size() && line[j] >= '0' && line[j] <= '9') ++j;
    return j < line.size() && (line[j] == '.' || line[j] == ')');
  }
  return false;
}

// A link reference definition: "[label]: destination", indented by at most 3 spaces.
bool is_reference_definition(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || line[i] != '[') return false;
  const auto close = line.find("]:", i + 1);
  return close != std::string_view::npos && close > i + 1;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool contains_ci(std::string_view s, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (iequals_prefix(s.substr(i), needle)) return true;
  }
  return false;
}

// The closing text of a raw HTML block that may contain blank lines, started by `line`
// ("-->", "</pre>"...), or empty.
std::string_view raw_html_closer(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  const std::string_view t = line.substr(i);
  if (t.substr(0, 4) == "<!--") return t.find("-->", 4) == std::string_view::npos ? "-->" : "";
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"<pre", "</pre>"},
                                    {"<script", "</script>"},
                                    {"<style", "</style>"},
                                    {"<textarea", "</textarea>"}}) {
    if (iequals_prefix(t, open)) return contains_ci(t, close) ? std::string_view{} : close;
  }
  return {};
}

// Whether `line` starts an HTML block that a blank line ends (CommonMark's sixth kind:
// "<" or "</", a block-level tag name, then white space, ">", "/>" or the line's end).
// Inside one, a "```" line is no fence: counted as one, it left the fences that follow
// paired the wrong way, and a cut fell inside a real one (fuzz_markdown_reader).
bool starts_html_block_to_blank(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || line[i] != '<') return false;
  ++i;
  if (i < line.size() && line[i] == '/') ++i;
  std::size_t end = i;
  while (end < line.size() && std::isalnum(static_cast<unsigned char>(line[end])) != 0) ++end;
  if (end == i) return false;
  if (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '>' &&
      !(line[end] == '/' && end + 1 < line.size() && line[end + 1] == '>'))
    return false;
  std::string name(line.substr(i, end - i));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::set<std::string, std::less<>> k_tags = {
      "address", "article",  "aside",   "base",     "basefont", "blockquote", "body",
      "caption", "center",   "col",     "colgroup", "dd",       "details",    "dialog",
      "dir",     "div",      "dl",      "dt",       "fieldset", "figcaption", "figure",
      "footer",  "form",     "frame",   "frameset", "h1",       "h2",         "h3",
      "h4",      "h5",       "h6",      "head",     "header",   "hr",         "html",
      "iframe",  "legend",   "li",      "link",     "main",     "menu",       "menuitem",
      "nav",     "noframes", "ol",      "optgroup", "option",   "p",          "param",
      "section", "source",   "summary", "table",    "tbody",    "td",         "tfoot",
      "th",      "thead",    "title",   "tr",       "track",    "ul"};
  return k_tags.count(name) != 0;
}

}  // namespace

std::size_t container_prefix_length(std::string_view line) {
  std::size_t i = 0;
  for (;;) {
    std::size_t j = i;
    while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
    if (j >= line.size()) return j;
    if (line[j] == '>') {
      i = j + 1;
      if (i < line.size() && line[i] == ' ') ++i;
      continue;
    }
    std::size_t k = j;
    if (line[k] == '-' || line[k] == '*' || line[k] == '+') {
      ++k;
    } else {
      while (k < line.size() && k - j < 9 && line[k] >= '0' && line[k] <= '9') ++k;
      if (k == j || k >= line.size() || (line[k] != '.' && line[k] != ')')) return j;
      ++k;
    }
    // A list marker is followed by a space or a tab (or ends the line).
    if (k < line.size() && line[k] != ' ' && line[k] != '\t') return j;
    i = k;
  }
}

Result<std::vector<LineRange>> prescan_markdown(const SourceFile& source, const Limits& limits,
                                                std::uint32_t first_line, std::size_t chunk_bytes,
                                                std::uint32_t classify_rows) {
  const std::uint32_t lines = source.line_count();
  std::uint64_t padding = 0;
  char fence_char = 0;
  std::size_t fence_len = 0;
  std::string_view html_closer;
  bool html_to_blank = false;  // inside an HTML block that the next blank line ends
  bool has_references = false;
  std::vector<LineRange> chunks;
  std::uint32_t chunk_start = first_line;
  std::uint32_t chunk_header = 0;  // header line of the table the chunk continues, or 0
  // Set when a table ended on a line that only might start another block: until the next
  // blank line, whether the following lines are rows of that table is unknown, so no
  // table is cut there.
  bool uncertain = false;
  std::uint32_t paragraph = first_line;  // first line of the current run of text lines
  std::uint64_t rereads = 0;             // see k_max_delimiter_rereads
  for (std::uint32_t l = first_line; l <= lines; ++l) {
    const std::string_view line = source.line(l);
    if (!html_closer.empty()) {
      if (contains_ci(line, html_closer)) html_closer = {};
      paragraph = l + 1;
      continue;
    }
    if (html_to_blank) {
      if (!is_blank(line)) {
        paragraph = l + 1;
        continue;
      }
      html_to_blank = false;  // the blank line is then what any blank line is
    }
    if (fence_len == 0 && is_blank(line)) {
      paragraph = l + 1;
      uncertain = false;
      // A safe place to cut, once the chunk is big enough.
      if (l < lines && source.line_start(l) - source.line_start(chunk_start) >= chunk_bytes) {
        const std::string_view next = source.line(l + 1);
        if (!next.empty() && next[0] != ' ' && next[0] != '\t' && !is_blank(next)) {
          chunks.push_back({chunk_start, l, chunk_header});
          chunk_start = l + 1;
          chunk_header = 0;
        }
      }
      continue;
    }
    char c = 0;
    std::string_view rest;
    if (const auto n = fence_length(line, c, rest)) {
      if (fence_len == 0) {
        fence_len = n;
        fence_char = c;
        continue;
      }
      // A closing fence: the same character, at least as long, nothing after it.
      if (c == fence_char && n >= fence_len && is_blank(rest)) {
        fence_len = 0;
        continue;
      }
    }
    if (fence_len != 0) {
      paragraph = l + 1;
      continue;
    }
    if (is_reference_definition(line)) has_references = true;
    html_closer = raw_html_closer(line);
    if (html_closer.empty() && starts_html_block_to_blank(line)) {
      html_to_blank = true;
      paragraph = l + 1;
      continue;
    }
    // A delimiter-like line under text that is no table header (see
    // k_max_delimiter_rereads): the paragraph above it is read again.
    if (l < lines) {
      const std::string_view below = source.line(l + 1);
      const std::size_t in = container_prefix_length(below);
      // "---" alone under text underlines a heading before any table is tried.
      const bool marked = below.find_first_of("|:") != std::string_view::npos;
      const bool top = marked && is_delimiter_row(below);
      const bool inner = marked && in > 0 && is_delimiter_row(below.substr(in));
      if ((top || inner) && !(top && count_pipe_cells(line) == count_pipe_cells(below)) &&
          !(inner && count_pipe_cells(line.substr(container_prefix_length(line))) ==
                         count_pipe_cells(below.substr(in)))) {
        rereads += source.line_start(l + 1) - source.line_start(std::min(paragraph, l));
        if (rereads > k_max_delimiter_rereads) {
          return Error{source.path(), l + 1, 1,
                       fmt::format("too many lines look like a table's delimiter row under "
                                   "text that is no table header: the Markdown parser would "
                                   "read their paragraphs again each time, {} MiB so far "
                                   "(limit {} MiB): separate them with blank lines",
                                   rereads >> 20, k_max_delimiter_rereads >> 20)};
        }
      }
    }
    if (l == lines || line.find('|') == std::string_view::npos) continue;
    const std::string_view next = source.line(l + 1);
    // A table at the top level, or one inside a block quote or a list item (read after
    // its container markers, here and row by row below).
    bool nested = false;
    std::size_t header = count_pipe_cells(line);
    if (!is_delimiter_row(next) || header != count_pipe_cells(next)) {
      const std::string_view delimiter = next.substr(container_prefix_length(next));
      header = count_pipe_cells(line.substr(container_prefix_length(line)));
      if (!is_delimiter_row(delimiter) || header != count_pipe_cells(delimiter)) continue;
      nested = true;
    }
    if (header > limits.max_columns) {
      return Error{source.path(), l, 1,
                   fmt::format("table has {} columns, above the limit of {} (raise "
                               "limits.max-columns in .racine.yaml to read it)",
                               header, limits.max_columns)};
    }
    std::uint32_t r = l + 2;
    // Rows so far all regular: starting with a pipe, as many cells as the header. Only
    // then is it certain that cmark-gfm continues the table (it ends a table at a row
    // it cannot read, such as a lone "|"), and so safe to cut it.
    // Only a table that stands on its own is cut: its header in column 1 after a blank
    // line (not attached to a paragraph, nor inside a list item). A table in a block
    // quote is cut the same way when its header follows a blank line of the quote and
    // every row has the header's markers (only ">" and spaces): the next chunk repeats
    // them with the header, and cmark-gfm reads the rest as the same table in a block
    // quote. A table in a list item is never cut.
    const std::string_view prefix = line.substr(0, nested ? container_prefix_length(line) : 0);
    const bool quote_only = prefix.find_first_not_of("> ") == std::string_view::npos;
    const std::string_view before = l == first_line ? std::string_view{} : source.line(l - 1);
    bool regular = !uncertain && quote_only && line.size() > prefix.size() &&
                   line[prefix.size()] == '|' &&
                   is_blank(nested ? before.substr(container_prefix_length(before)) : before);
    // A spreadsheet export's `Unnamed: N` header: its real header may stand up to
    // k_max_header_rows below, and the rows judged after it.
    const std::uint32_t judged =
        classify_rows + (line.find("Unnamed: ") != std::string_view::npos ? k_max_header_rows : 0);
    for (; r <= lines; ++r) {
      std::string_view row = source.line(r);
      if (nested) {
        const std::size_t markers = container_prefix_length(row);
        regular = regular && markers == prefix.size() && row.starts_with(prefix);
        row.remove_prefix(markers);
      }
      if (is_blank(row)) break;
      if (may_start_block(row)) {
        uncertain = true;
        break;
      }
      const std::size_t cells = count_pipe_cells(row);
      regular = regular && row.front() == '|' && cells == header;
      // A large table is cut between rows; the next chunk repeats its header.
      if (regular && r > l + 1 + judged &&
          source.line_start(r) - source.line_start(chunk_start) >= chunk_bytes) {
        chunks.push_back({chunk_start, r - 1, chunk_header});
        chunk_start = r;
        chunk_header = l;
      }
      if (cells < header) padding += header - cells;
    }
    if (padding > limits.max_padding_cells) {
      return Error{source.path(), l, 1,
                   fmt::format("tables up to here have {} missing cells that the parser would "
                               "pad, above the limit of {} (raise limits.max-padding-cells in "
                               ".racine.yaml to read it)",
                               padding, limits.max_padding_cells)};
    }
    l = r - 1;
  }
  if (chunk_start <= lines || chunks.empty()) chunks.push_back({chunk_start, lines, chunk_header});
  if (has_references) return std::vector<LineRange>{{first_line, lines}};
  return chunks;
}

}  // namespace racine

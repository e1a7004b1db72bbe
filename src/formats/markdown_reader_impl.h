#pragma once
// The Markdown reader's state while it walks a document, shared by its block stage
// (markdown_reader.cpp: headings, paragraphs and notes, code blocks, HTML and
// suppressions) and its table stage (markdown_table.cpp). Internal to those two files.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/matrix.h"
#include "core/party_names.h"
#include "core/result.h"
#include "core/text.h"
#include "formats/markdown_cmark.h"
#include "formats/markdown_prescan.h"
#include "formats/markdown_reader.h"
#include "formats/markdown_table.h"

namespace racine::markdown {

class Reader {
 public:
  Reader(const SourcePtr& src, const ReadOptions& options)
      : m_src(src), m_text(src->text()), m_options(options), m_parties(options.aliases) {}

  Result<Matrix> run();

 private:
  void walk(cmark_node* doc);
  void on_heading(cmark_node* n);
  void on_table(cmark_node* n);
  // An HTML block: the `<table>`s that start in it, each read whole from the source (it
  // may hold blank lines, which end cmark-gfm's HTML block) and fed to classify_table
  // and read_table_rows like a pipe table (markdown_html.cpp).
  void on_html_block(cmark_node* n);
  void on_html_table(std::size_t begin, std::size_t end);
  // True when `n` starts inside an HTML table read already (its rows after a blank line
  // are other blocks for cmark-gfm).
  bool inside_html_table(cmark_node* n) const;
  void on_paragraph(cmark_node* n);
  void on_inline_comments(cmark_node* paragraph);
  void on_code_block(cmark_node* n);
  void on_list(cmark_node* list);
  void on_html(cmark_node* n, std::uint32_t line);
  // Suppression comments in `s`, whose first line is file line `line`.
  void on_html_text(std::string_view s, std::uint32_t line);
  TableLayout classify_table(std::vector<Row>& rows, std::uint32_t header_line);
  void read_table_rows(std::vector<Row>& rows, const TableLayout& layout);
  void read_roles_rows(std::vector<Row>& rows, const TableLayout& layout);
  // A two-column table whose rows are roles (role_label) and people: its layout, a skip
  // with the reason when it is a legend or ambiguous, or nullopt when it is neither.
  std::optional<TableLayout> classify_roles_as_rows(std::vector<Row>& rows,
                                                    std::uint32_t header_line);
  void read_roles_as_rows(std::vector<Row>& rows, const TableLayout& layout);
  void read_transposed_rows(std::vector<Row>& rows, const TableLayout& layout);
  std::uint32_t add_table(const Row& header, std::uint32_t header_line, bool transposed);
  void add_activity(Activity a);
  Span cell_span(const Row& row, std::size_t i) const;
  Section& current_section();
  // Line of a node in the file (cmark-gfm counts from the chunk's first line); 0 when
  // cmark-gfm gave it none.
  std::uint32_t line_of(cmark_node* n) const;
  std::uint32_t end_line_of(cmark_node* n) const;
  // File line of line `chunk_line` of the chunk being read.
  std::uint32_t map_line(int chunk_line) const;
  // Records something skipped, once.
  void skip(Span span, std::string reason, bool broken_table);

  SourcePtr m_src;
  std::string_view m_text;
  const ReadOptions& m_options;
  PartyResolver m_parties;
  Matrix m_m;
  std::string m_heading;
  int m_heading_level = 0;
  Span m_heading_span;
  bool m_section_open = false;  // the current section took a table already
  std::string m_first_h1;
  std::string m_first_heading;
  ActivityIds m_ids;
  // What was recorded once already: skipped tables (span, reason) and suppressions
  // (span, line, kind), as a table cut into chunks is seen once per chunk.
  std::set<std::pair<std::uint32_t, std::string>> m_skipped_seen;
  std::set<std::tuple<std::uint32_t, std::uint32_t, int>> m_suppressions_seen;
  std::vector<std::uint32_t> m_listed_in;  // per party: 1 + the last transposed table listing it
  std::unordered_map<std::uint32_t, TableLayout> m_layouts;  // by header line
  std::string m_all_text;  // folded headings, prose and titles, for the language guess
  // Adds `text` to the language guess's sample, up to 64 KiB: plenty to tell a language,
  // and no cost on a large matrix.
  void add_language_sample(std::string_view text) {
    if (m_all_text.size() >= 64 * 1024) return;
    m_all_text += text::fold(text);
    m_all_text += ' ';
  }
  std::uint32_t m_table_line = 0;     // line of the table being read, for html inside it
  LineRange m_chunk;                  // the chunk being read
  bool m_list_matrix_seen = false;    // a matrix written as a nested list was recorded
  std::size_t m_html_end = 0;         // file offset where the last HTML table read ends
  std::uint32_t m_html_end_line = 0;  // and its line
  std::uint64_t m_activities = 0;
  std::optional<Error> m_too_big;  // set at the row that breaks k_max_matrix_cells
  std::size_t m_rows_left = 0;     // rows of the table being read, this one included
};

}  // namespace racine::markdown

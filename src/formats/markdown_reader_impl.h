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
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/matrix.h"
#include "core/party_names.h"
#include "core/result.h"
#include "core/text.h"
#include "formats/html_table.h"
#include "formats/markdown_cmark.h"
#include "formats/markdown_prescan.h"
#include "formats/markdown_reader.h"
#include "formats/markdown_table.h"

namespace racine::markdown {

// The layouts that are not a matrix racine reads, named in the refusal with what to
// write instead (docs/markdown.md, "What is skipped").
inline constexpr std::string_view k_marks_without_letters =
    "a table of marks (X, \xE2\x9C\x93) with no role letters: it says who takes part, not "
    "who is Responsible, Accountable, Consulted or Informed; write R, A, C or I in its cells";
inline constexpr std::string_view k_mermaid_graph =
    "a Mermaid graph is not read (its arrows do not say who holds which role): write the matrix "
    "as a table, an activity per row and a party per column";
inline constexpr std::string_view k_list_per_activity =
    "a matrix written as a list per activity ('R: names' items under each activity) is not "
    "read: write it as a table, an activity per row and a party per column";
inline constexpr std::string_view k_inline_role_list =
    "a matrix written as list items of 'R: names | A: names' is not read: write it as a table, "
    "an activity per row and a party per column";
inline constexpr std::string_view k_html_role_list =
    "an HTML list of 'R: names | A: names' items is not read: write it as a table, an activity "
    "per row and a party per column";

// The distinct role letters written as labels in `text` ("R: Dev | A: PM" gives "RA"):
// a capital letter of `letters` standing alone before a colon.
std::string inline_role_labels(std::string_view text, std::string_view letters);

// Why a table built by a script is not read.
inline constexpr std::string_view k_scripted_table =
    "a table filled by a script when the page loads (an empty <table>, a header without rows, or "
    "<div id=...> and a <script>) is not read: racine reads the rows written in the page; write "
    "them into it, or "
    "export the matrix as Markdown or CSV";

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
  // The `<table>`s that start in m_text[from, to), each read whole.
  void read_html_tables(std::size_t from, std::size_t to);
  // True when the lines indented from `line` on sit under an MkDocs admonition or tab, a
  // list item or an HTML element: a browser shows HTML there, not code.
  bool opens_html_container(std::uint32_t line) const;
  // A whole HTML page (`<!DOCTYPE html>`, `<html`, a .html file): its headings and
  // tables, without cmark-gfm.
  void read_html_document();
  bool has_script() const { return html::find_tag(m_text, "script") != std::string_view::npos; }
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
  // A group row of a table (one cell spanning it, one bold cell, a title over rows with
  // roles) opens a section titled by its cell.
  void open_row_section(const std::string& title, std::uint32_t line);
  void read_roles_rows(std::vector<Row>& rows, const TableLayout& layout);
  // A two-column table whose rows are roles (role_label) and people: its layout, a skip
  // with the reason when it is a legend or ambiguous, or nullopt when it is neither.
  std::optional<TableLayout> classify_roles_as_rows(std::vector<Row>& rows,
                                                    std::uint32_t header_line);
  void read_roles_as_rows(std::vector<Row>& rows, const TableLayout& layout);
  void read_transposed_rows(std::vector<Row>& rows, const TableLayout& layout);
  std::uint32_t add_table(const Row& header, std::uint32_t header_line, bool transposed);
  void add_activity(Activity a);
  // A row holding only a title (markdown_table.cpp) is held until the next row of its
  // table: a section when that row carries roles, else an activity (RAC105), as when
  // the table, a heading or the document ends first.
  void hold_pending(std::uint32_t table, Activity a, std::string title, Span span);
  void resolve_pending(bool as_section);
  // The names a slash-joined name in a cell stands for (docs/markdown.md, "Names with
  // slashes"): itself, or its parts.
  std::vector<std::string> slash_names(std::string name);
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
  struct PendingTitle {
    std::uint32_t table = 0;
    Activity activity;
    Section section;
  };
  std::optional<PendingTitle> m_pending;
  // Party keys of the documents' pipe-table header cells (found on the first slash met
  // in a cell), and the decision taken for each slash-joined name, by its key.
  std::optional<std::unordered_set<std::string>> m_header_keys;
  std::unordered_map<std::string, bool> m_slash_split;
  std::optional<Error> m_too_big;  // set at the row that breaks k_max_matrix_cells
  std::size_t m_rows_left = 0;     // rows of the table being read, this one included
};

}  // namespace racine::markdown

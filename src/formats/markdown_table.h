#pragma once
// Markdown reader, table stage: how a table's rows are seen (cells rendered by cmark-gfm,
// ranges as written in the source line), how its columns are understood (TableLayout:
// parties as columns, or roles as columns read transposed), and the small judgements on
// cells and rows that classification needs. The reading itself (Reader::on_table,
// classify_table, read_roles_rows, read_transposed_rows) is in markdown_table.cpp.

#include <cmark-gfm.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/roles.h"
#include "core/source.h"
#include "formats/pipe_row.h"

namespace racine::markdown {

// Statistics of one column's body cells, to tell role columns from text columns.
struct ColumnStats {
  std::size_t nonempty = 0;
  std::size_t with_roles = 0;
  std::size_t unknown = 0;
};

// One row as read from the tree and the source: a pipe row (cmark-gfm's row node, its
// cells' nodes and ranges in the source line) or a row of an HTML `<table>` (each
// cell's bold flag and its content's span in the file; no node, no ranges). The pipe
// path fills only the first kind, so it allocates no more per cell than it ever did.
struct Row {
  cmark_node* node = nullptr;
  std::uint32_t line = 0;
  std::vector<std::string> cells;  // rendered, padded to the header width
  std::vector<cmark_node*> cell_nodes;
  std::vector<CellRange> ranges;  // as written in the source line
  std::size_t content = 0;        // where the row starts in its line, after "> " or "- "
  std::vector<RoleCell> roles;    // each cell read as roles (body rows)
  std::vector<Span> spans;        // HTML rows: each cell's content in the file
  std::vector<char> bold;         // HTML rows: the cell's text is all bold
  std::uint32_t written = 0;      // HTML rows: cells written (colspan counted)
  bool spans_table = false;       // HTML rows: one cell whose colspan covers the header
  bool residue_only = false;      // every cell empty once spreadsheet residue is blanked

  bool is_html() const { return node == nullptr; }
  // Cells written in the source, before padding or truncation to the header width.
  std::uint32_t source_cells() const {
    return is_html() ? written : static_cast<std::uint32_t>(ranges.size());
  }
  // True when cell `i` is one bold span (a section row's title).
  bool bold_only(std::size_t i) const;
};

// How a table's columns were understood, kept so that the later chunks of a table cut
// into pieces (markdown_prescan.h) are read the same way as its first one.
struct TableLayout {
  bool raci = false;        // false: skipped, not a RACI table
  std::uint32_t table = 0;  // index into Matrix::tables
  bool transposed = false;
  // Roles written as rows: a two-column table of role labels, then the people who hold
  // them, for the one activity its heading names (`| **R - Responsável** | Ana |`).
  bool roles_as_rows = false;
  std::string activity;                    // that activity's title
  std::vector<int> party_of;               // per column: party index, or -1
  std::vector<std::optional<Role>> roles;  // per column of a transposed table
  std::size_t activity_col = 0;
  std::size_t id_col = 0;  // the width when there is none
  // Of a transposed table whose role cells are marks ("X"): the column of activity
  // titles (the parties being in the activity column); SIZE_MAX when not so.
  std::size_t marked_title_col = SIZE_MAX;
  // A spreadsheet exported by pandas whose header row is `Unnamed: N` cells: the real
  // header found below it, repeated on the later chunks of a table cut into pieces.
  std::vector<std::string> header;
  bool index_blanked = false;  // and its first column held pandas' row numbers
};

// Blanks the spreadsheet residue of the body rows (the header is left as written), and
// marks the rows that held residue and nothing else.
void clean_spreadsheet_residue(std::vector<Row>& rows);

// pandas names a column without a header `Unnamed: 3`. A header row of such cells (at
// least two, and at least half of its cells) is not the table's header: the real one is
// the first row below it with two cells or more (within its first 16 rows). Moves that
// row up to rows[0] (dropping the rows above it, titles of the sheet) and returns true;
// a first column that pandas filled with its row numbers (an empty header above
// integers) is blanked. Nothing done when the header is not pandas'.
struct Promoted {
  bool header = false;  // the header was replaced
  bool index = false;   // the first column (pandas' row numbers) was blanked
};
Promoted promote_spreadsheet_header(std::vector<Row>& rows);

// Blanks the first column (pandas' row numbers); a body row left with nothing is a
// spreadsheet's empty row (residue_only).
void blank_index_column(std::vector<Row>& rows);
// A legend written right under a table, without a blank line, so that GitHub renders it
// as a one-cell row: "*A=Accountable, R=Responsible, C=Consulted, I=Informed*",
// "Légende : R = Réalise, A = Approuve". At least two "LETTER = word" pairs whose letters
// are role letters of the document (`letters`).
bool is_legend_line(std::string_view text, std::string_view letters);

// True when a row of the table (past its header) has a role letter in some cell.
bool table_has_roles(const std::vector<Row>& rows);

// The role a row label names, in a table whose rows are roles: "R - Responsável",
// "A: Approver", "Responsible (R)", "Consulted", "I"; a letter and a word must agree.
std::optional<Role> role_label(std::string_view cell);

// A mark that says "this one" in a table whose columns are roles: "X", "x", "✓", "✔",
// "✅", "•", "●".
bool is_mark(std::string_view cell);

// The party names in a cell of a table whose columns are roles: "PM, Dev", "PM / Dev",
// "PM et Dev". Not split inside parentheses ("ad-stack (Product, Eng leads)"), nor at
// the slash of a GitHub team ("@org/team"); "&" joins the words of one name ("Gente &
// Gestão", "R&D"). A remark in parentheses after a name is not part of it: "Jurídico
// (LGPD)" is the party "Jurídico".
// With `split_slash` false, a slash does not split: "PO/BA" and "BA / PO" stay one name
// each, for the reader to decide (Reader::slash_names).
std::vector<std::string> split_names(std::string_view cell, bool split_slash = true);

// The names a slash joins in `name` ("PO/BA", "BA / PO": {"BA", "PO"}), trimmed, in
// order; empty when `name` holds no slash between two names (or is a GitHub team,
// "@org/team").
std::vector<std::string> slash_parts(std::string_view name);

}  // namespace racine::markdown

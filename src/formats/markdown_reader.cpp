// The Markdown reader. cmark-gfm parses the document chunk by chunk (the pre-scan cuts
// it, see markdown_prescan.h; each chunk's tree is walked, then freed), and this file
// walks the trees in document order:
//  - headings open sections; a table takes the nearest heading above it;
//  - a table is a RACI table when some of its non-first columns hold role codes (by
//    content, whatever its header says, judged on its first 1,000 body rows);
//    otherwise it is skipped, with the reason;
//  - a table whose columns are roles (Responsible, Accountable...) and whose cells name
//    parties is read transposed into the same model;
//  - paragraphs that start with a marker are notes; markers bind to the nearest
//    following note of the same marker;
//  - HTML comments carry suppressions.
// Positions: cmark-gfm gives wrong lines to a table that follows a text line with no
// blank line (upstream issue #222) and columns in bytes with cell padding included, so
// rows get their line from the row node and the header from the delimiter row found in
// the source; cells get their ranges by splitting the source line again. Chunk lines
// are mapped back to file lines (map_line), and a table cut into chunks keeps the
// layout its first chunk gave it (TableLayout).

#include "formats/markdown_reader.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/ids.h"
#include "core/text.h"
#include "core/vocabulary.h"
#include "formats/markdown_prescan.h"
#include "formats/pipe_row.h"

namespace racine {

namespace {

using NodePtr = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

std::string_view type_of(cmark_node* n) {
  return cmark_node_get_type_string(n);
}

// `<sup>12</sup>` (raw HTML, as some tools write footnote calls) at `n`: the number as
// superscript digits ("¹²"), which are footnote markers like any other; `n` moves to the
// closing tag. Empty when `n` does not open such a group.
std::string superscript_group(cmark_node*& n) {
  auto literal = [](cmark_node* x) {
    const char* l = x != nullptr ? cmark_node_get_literal(x) : nullptr;
    return l != nullptr ? std::string_view(l) : std::string_view();
  };
  auto is_tag = [&](cmark_node* x, std::string_view tag) {
    if (x == nullptr || cmark_node_get_type(x) != CMARK_NODE_HTML_INLINE) return false;
    const std::string_view l = literal(x);
    if (l.size() != tag.size()) return false;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(l[i])) != tag[i]) return false;
    }
    return true;
  };
  if (!is_tag(n, "<sup>")) return "";
  cmark_node* body = cmark_node_next(n);
  if (body == nullptr || cmark_node_get_type(body) != CMARK_NODE_TEXT) return "";
  cmark_node* close = cmark_node_next(body);
  if (!is_tag(close, "</sup>")) return "";
  const std::string_view digits = literal(body);
  if (digits.empty() || digits.size() > 3) return "";
  static constexpr std::array<std::string_view, 10> k_superscript = {
      "\u2070", "\u00B9", "\u00B2", "\u00B3", "\u2074",
      "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
  std::string out;
  for (const char c : digits) {
    if (c < '0' || c > '9') return "";
    out += k_superscript[static_cast<std::size_t>(c - '0')];
  }
  n = close;
  return out;
}

// Rendered text of a node: text and code literals, breaks as spaces, HTML dropped
// (but for footnote calls written `<sup>1</sup>`, kept as "¹").
// Walks the subtree with parent links, without recursion (inline nesting can be as deep
// as the input is long) and without cmark_iter's allocation: this runs for every cell.
std::string rendered_text(cmark_node* root) {
  std::string out;
  cmark_node* n = cmark_node_first_child(root);
  while (n != nullptr) {
    const auto t = cmark_node_get_type(n);
    if (t == CMARK_NODE_HTML_INLINE) {
      out += superscript_group(n);
    } else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
      if (const char* lit = cmark_node_get_literal(n)) out += lit;
    } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
      out += ' ';
    } else if (t != CMARK_NODE_HTML_INLINE && t != CMARK_NODE_HTML_BLOCK) {
      if (cmark_node* child = cmark_node_first_child(n)) {
        n = child;
        continue;
      }
    }
    // Next: the sibling, or the sibling of the nearest ancestor below `root` that has one.
    while (n != nullptr && n != root && cmark_node_next(n) == nullptr) n = cmark_node_parent(n);
    n = (n == nullptr || n == root) ? nullptr : cmark_node_next(n);
  }
  return out;
}

// True when the only content of `cell` is one strong (or emphasis) span: a section row title.
bool is_bold_only(cmark_node* cell) {
  cmark_node* child = cmark_node_first_child(cell);
  int strong = 0;
  for (; child != nullptr; child = cmark_node_next(child)) {
    const auto t = cmark_node_get_type(child);
    if (t == CMARK_NODE_STRONG) {
      ++strong;
    } else if (t == CMARK_NODE_TEXT) {
      const char* lit = cmark_node_get_literal(child);
      if (lit != nullptr && !text::trim(lit).empty()) return false;
    } else {
      return false;
    }
  }
  return strong == 1;
}

struct FrontMatter {
  std::uint32_t lines = 0;  // lines taken, closing delimiter included
  std::string title;
  std::string language;
  std::string id;
};

Result<FrontMatter> read_front_matter(const SourceFile& src) {
  FrontMatter fm;
  if (src.line_count() == 0 || text::trim(src.line(1)) != "---") return fm;
  std::uint32_t close = 0;
  for (std::uint32_t l = 2; l <= src.line_count(); ++l) {
    const auto t = text::trim(src.line(l));
    if (t == "---" || t == "...") {
      close = l;
      break;
    }
    // Metadata is a few lines: refused past the limit, before the YAML parser sees it.
    if (src.line_start(l) + src.line(l).size() - src.line_start(2) > k_max_front_matter_bytes) {
      return Error{src.path(), l, 1,
                   fmt::format("front matter is longer than {} KiB at this line: it holds a few "
                               "lines of metadata (title, lang, id); close it with '---'",
                               k_max_front_matter_bytes >> 10)};
    }
  }
  if (close == 0) {
    return Error{src.path(), 1, 1, "unterminated front matter: no closing '---' line"};
  }
  fm.lines = close;
  const std::uint32_t begin = src.line_start(2);
  const std::uint32_t end = src.line_start(close);
  const std::string yaml(src.text().substr(begin, end - begin));
  try {
    const YAML::Node doc = YAML::Load(yaml);
    if (doc.IsMap()) {
      if (doc["title"] && doc["title"].IsScalar()) fm.title = doc["title"].as<std::string>();
      for (const char* key : {"lang", "language"}) {
        if (doc[key] && doc[key].IsScalar()) fm.language = doc[key].as<std::string>();
      }
      for (const char* key : {"id", "slug"}) {
        if (doc[key] && doc[key].IsScalar()) fm.id = text::slugify(doc[key].as<std::string>());
      }
    }
  } catch (const YAML::Exception& e) {
    return Error{src.path(), static_cast<std::uint32_t>(e.mark.line + 2),
                 static_cast<std::uint32_t>(e.mark.column + 1),
                 fmt::format("invalid front matter: {}", e.msg)};
  }
  return fm;
}

// A legend written right under a table, without a blank line, so that GitHub renders it
// as a one-cell row: "*A=Accountable, R=Responsible, C=Consulted, I=Informed*",
// "Légende : R = Réalise, A = Approuve". At least two "LETTER = word" pairs whose letters
// are role letters of the document.
bool is_legend_line(std::string_view text, std::string_view letters) {
  std::string seen;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c < 'A' || c > 'Z' || letters.find(c) == std::string_view::npos) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) != 0 ||
                  static_cast<unsigned char>(text[i - 1]) >= 0x80))
      continue;
    std::size_t k = i + 1;
    while (k < text.size() && text[k] == ' ') ++k;
    std::size_t sep = 0;
    for (const std::string_view s : {"=", ":", "-", "\xE2\x80\x93", "\xE2\x80\x94"}) {
      if (text.substr(k).starts_with(s)) sep = s.size();
    }
    if (sep == 0) continue;
    k += sep;
    while (k < text.size() && text[k] == ' ') ++k;
    if (k < text.size() &&
        (std::isalpha(static_cast<unsigned char>(text[k])) != 0 ||
         static_cast<unsigned char>(text[k]) >= 0x80) &&
        seen.find(c) == std::string::npos)
      seen += c;
  }
  return seen.size() >= 2;
}

// True when a row of the table (past its header) has a role letter in some cell.
template <typename Rows>
bool table_has_roles(const Rows& rows) {
  for (std::size_t r = 1; r < rows.size(); ++r) {
    for (const auto& rc : rows[r].roles) {
      if (!rc.roles.empty()) return true;
    }
  }
  return false;
}

// A mark that says "this one" in a table whose columns are roles: "X", "x", "✓", "✔",
// "✅", "•", "●".
bool is_mark(std::string_view cell) {
  const std::string_view t = text::trim(cell);
  for (const std::string_view m :
       {"X", "x", "\xE2\x9C\x93", "\xE2\x9C\x94", "\xE2\x9C\x85", "\xE2\x80\xA2", "\xE2\x97\x8F"}) {
    if (t == m) return true;
  }
  return false;
}

// Separators between party names in a transposed cell: "PM, Dev", "PM / Dev", "PM et Dev".
// Not inside parentheses ("ad-stack (Product, Eng leads)"), nor the slash of a GitHub
// team ("@org/team"); "&" joins the words of one name ("Gente & Gestão", "R&D"). A remark in
// parentheses after a name is not part of it: "Jurídico (LGPD)" is the party "Jurídico".
std::vector<std::string> split_names(std::string_view cell) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  auto flush = [&] {
    std::string name = text::collapse_spaces(cur);
    if (name.size() > 2 && name.back() == ')') {
      const std::size_t open = name.rfind(" (");
      if (open != std::string::npos && open > 0) name = text::collapse_spaces(name.substr(0, open));
    }
    if (!name.empty()) out.push_back(std::move(name));
    cur.clear();
  };
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const char c = cell[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    const bool team_slash = c == '/' && !cur.empty() && text::trim(cur).starts_with('@') &&
                            cur.back() != ' ' && i + 1 < cell.size() && cell[i + 1] != ' ';
    if (depth == 0 && !team_slash && (c == ',' || c == ';' || c == '/' || c == '+')) {
      flush();
      continue;
    }
    if (c == ' ') {
      // " and ", " et ", " und ", " y ", " e " between two names.
      bool joined = false;
      for (const std::string_view w : {"and ", "et ", "und ", "y ", "e "}) {
        if (cell.substr(i + 1, w.size()) == w) {
          flush();
          i += w.size() - 1;
          joined = true;
          break;
        }
      }
      if (joined) continue;
    }
    cur += c;
  }
  flush();
  return out;
}

// The suppression comments in `html`: "<!-- racine-KIND CODES -->", each with its byte
// offset in `html`.
struct CommentMatch {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string kind;
  std::string codes;
};

std::vector<CommentMatch> find_suppression_comments(std::string_view html) {
  std::vector<CommentMatch> out;
  std::size_t pos = 0;
  while ((pos = html.find("<!--", pos)) != std::string_view::npos) {
    const std::size_t close = html.find("-->", pos + 4);
    if (close == std::string_view::npos) break;
    const std::string_view body = text::trim(html.substr(pos + 4, close - pos - 4));
    if (text::starts_with(body, "racine-")) {
      std::size_t k = 7;
      while (k < body.size() && ((body[k] >= 'a' && body[k] <= 'z') || body[k] == '-')) ++k;
      CommentMatch m;
      m.offset = pos;
      m.length = close + 3 - pos;
      m.kind = std::string(body.substr(7, k - 7));
      m.codes = std::string(body.substr(k));
      if (m.kind == "disable-next-line" || m.kind == "disable-line" || m.kind == "disable" ||
          m.kind == "enable") {
        out.push_back(std::move(m));
      }
    }
    pos = close + 3;
  }
  return out;
}

// Statistics of one column's body cells, to tell role columns from text columns.
struct ColumnStats {
  std::size_t nonempty = 0;
  std::size_t with_roles = 0;
  std::size_t unknown = 0;
};

// One row as read from the tree and the source.
struct Row {
  cmark_node* node = nullptr;
  std::uint32_t line = 0;
  std::vector<std::string> cells;  // rendered, padded by cmark-gfm to the header width
  std::vector<cmark_node*> cell_nodes;
  std::vector<CellRange> ranges;  // as written in the source line
  std::size_t content = 0;        // where the row starts in its line, after "> " or "- "
  std::vector<RoleCell> roles;    // each cell read as roles (body rows)
};

// How a table's columns were understood, kept so that the later chunks of a table cut
// into pieces (markdown_prescan.h) are read the same way as its first one.
struct TableLayout {
  bool raci = false;        // false: skipped, not a RACI table
  std::uint32_t table = 0;  // index into Matrix::tables
  bool transposed = false;
  std::vector<int> party_of;               // per column: party index, or -1
  std::vector<std::optional<Role>> roles;  // per column of a transposed table
  std::size_t activity_col = 0;
  std::size_t id_col = 0;  // the width when there is none
};

class Reader {
 public:
  Reader(const SourcePtr& src, const ReadOptions& options)
      : m_src(src), m_text(src->text()), m_options(options), m_parties(options.aliases) {}

  Result<Matrix> run();

 private:
  void walk(cmark_node* doc);
  void on_heading(cmark_node* n);
  void on_table(cmark_node* n);
  void on_paragraph(cmark_node* n);
  void on_inline_comments(cmark_node* paragraph);
  void on_code_block(cmark_node* n);
  void on_html(cmark_node* n, std::uint32_t line);
  TableLayout classify_table(std::vector<Row>& rows, std::uint32_t header_line);
  void read_roles_rows(std::vector<Row>& rows, const TableLayout& layout);
  void read_transposed_rows(std::vector<Row>& rows, const TableLayout& layout);
  std::uint32_t add_table(const Row& header, std::uint32_t header_line, bool transposed);
  void add_activity(Activity a);
  void bind_markers();
  void find_options();
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
  std::uint32_t m_table_line = 0;  // line of the table being read, for html inside it
  LineRange m_chunk;               // the chunk being read
  std::uint64_t m_activities = 0;
  std::optional<Error> m_too_big;  // set at the row that breaks k_max_matrix_cells
};

std::uint32_t Reader::map_line(int chunk_line) const {
  if (chunk_line <= 0) return 0;
  const auto k = static_cast<std::uint32_t>(chunk_line);
  if (m_chunk.header == 0) return m_chunk.first - 1 + k;
  return k <= 2 ? m_chunk.header + k - 1 : m_chunk.first + k - 3;
}

std::uint32_t Reader::line_of(cmark_node* n) const {
  return map_line(cmark_node_get_start_line(n));
}

std::uint32_t Reader::end_line_of(cmark_node* n) const {
  return map_line(cmark_node_get_end_line(n));
}

void Reader::skip(Span span, std::string reason, bool broken_table) {
  // A table cut into chunks is seen once per chunk: record it once.
  if (!m_skipped_seen.emplace(span.begin, reason).second) return;
  m_m.skipped.push_back({span, std::move(reason), broken_table});
}

Section& Reader::current_section() {
  if (!m_section_open) {
    Section s;
    s.title = m_heading;
    s.level = m_heading_level;
    s.span = m_heading_span;
    m_m.sections.push_back(std::move(s));
    m_section_open = true;
  }
  return m_m.sections.back();
}

// The role letters of a document: RACI, or RASCI or DACI when its title or a heading
// names them, plus the letters of a legend table (at least two rows whose first cell is
// "(X) word"). A document that names DACI but whose cells use R and never D is RACI: the
// letters people wrote decide over a word in a heading ("RACI & DACI", a title such as
// "2) daci" written by another tool).
RoleVocabulary detect_roles(const SourceFile& src, const std::string& title) {
  RoleVocabulary v;
  RoleSet declared;
  std::vector<LegendEntry> legend;
  bool rasci = false;
  bool daci = false;
  auto names_variant = [&](std::string_view text) {
    for (const auto& w : text::words(text::fold(text))) {
      rasci = rasci || w == "rasci";
      daci = daci || w == "daci";
    }
  };
  names_variant(title);
  bool cells_r = false;
  bool cells_d = false;
  // A cell that holds role letters only ("RA", "**D**", "A*", "R/A"): which letters.
  auto role_letters = [&](std::string_view cell) {
    std::string letters;
    for (const char c : cell) {
      if (c >= 'A' && c <= 'Z') {
        letters += c;
      } else if (c >= 'a' && c <= 'z') {
        return;  // a word, not codes
      }
    }
    if (letters.empty() || letters.size() > 4 ||
        letters.find_first_not_of("RACIDS") != std::string::npos)
      return;
    cells_r = cells_r || letters.find('R') != std::string::npos;
    cells_d = cells_d || letters.find('D') != std::string::npos;
  };
  for (std::uint32_t l = 1; l <= src.line_count(); ++l) {
    const std::string_view line = text::trim(src.line(l));
    if (line.starts_with('#')) {
      names_variant(line);
      continue;
    }
    if (!line.starts_with('|')) continue;
    const auto cells = split_pipe_row(line);
    if (cells.empty()) continue;
    // Cells, not headers: a party named "D" or "/x?D" says nothing of the letters used.
    const std::string_view next = l < src.line_count() ? text::trim(src.line(l + 1)) : "";
    const bool header = next.starts_with('|') && next.find('-') != std::string_view::npos &&
                        next.find_first_not_of("|-: \t") == std::string_view::npos;
    for (std::size_t c = 1; c < cells.size() && !header; ++c)
      role_letters(line.substr(cells[c].begin, cells[c].end - cells[c].begin));
    std::string_view first = text::trim(line.substr(cells[0].begin, cells[0].end - cells[0].begin));
    for (const std::string_view w : {"**", "__"}) {
      if (first.starts_with(w)) first.remove_prefix(w.size());
    }
    // "(R) Réalise", "(R)** Réalise", "(A): Approuve"
    if (first.size() >= 5 && first[0] == '(' && first[1] >= 'A' && first[1] <= 'Z' &&
        first[2] == ')') {
      const std::string_view rest = text::trim(first.substr(3));
      std::size_t k = 0;
      while (k < rest.size() &&
             (rest[k] == '*' || rest[k] == '_' || rest[k] == ':' || rest[k] == ' '))
        ++k;
      if (k < rest.size() &&
          (std::isalpha(static_cast<unsigned char>(rest[k])) != 0 ||
           static_cast<unsigned char>(rest[k]) >= 0x80) &&
          !declared.has_letter(first[1])) {
        declared.add_letter(first[1]);
        legend.push_back({first[1], std::string(first), src.line_start(l)});
      }
    }
  }
  if (daci && cells_r && !cells_d) daci = false;
  v.letters = daci ? "DACI" : rasci ? "RASCI" : "RACI";
  if (legend.size() >= 2) {
    // The legend adds its letters; RAC106 compares what it declares with what cells use.
    v.letters = RoleSet::from_letters(v.letters + declared.to_string()).to_string();
    v.legend = std::move(legend);
  }
  return v;
}

Result<Matrix> Reader::run() {
  auto fm = read_front_matter(*m_src);
  if (!fm) return fm.error();
  m_m.roles = detect_roles(*m_src, fm->title);
  auto chunks = prescan_markdown(*m_src, m_options.limits, fm->lines + 1, m_options.chunk_bytes,
                                 m_options.classify_rows);
  if (!chunks) return chunks.error();

  cmark_gfm_core_extensions_ensure_registered();
  for (const LineRange& chunk : *chunks) {
    if (chunk.last < chunk.first) continue;
    cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser_guard(parser,
                                                                             &cmark_parser_free);
    for (const char* ext : {"table", "strikethrough", "autolink", "tagfilter"}) {
      if (cmark_syntax_extension* e = cmark_find_syntax_extension(ext)) {
        cmark_parser_attach_syntax_extension(parser, e);
      }
    }
    if (chunk.header != 0) {
      // The rest of a table: its header and delimiter rows first (see markdown_prescan.h),
      // without their indentation, which as the last line of a paragraph they may have
      // but which would make them code at the start of a document.
      std::string repeat;
      for (const std::uint32_t l : {chunk.header, chunk.header + 1}) {
        repeat += text::trim(m_src->line(l));
        repeat += '\n';
      }
      cmark_parser_feed(parser, repeat.data(), repeat.size());
    }
    const std::uint32_t begin = m_src->line_start(chunk.first);
    const std::uint32_t end = m_src->line_start(chunk.last + 1);
    cmark_parser_feed(parser, m_text.data() + begin, end - begin);
    NodePtr doc(cmark_parser_finish(parser), &cmark_node_free);
    m_chunk = chunk;
    walk(doc.get());
    if (m_too_big) return *m_too_big;
  }

  if (m_m.activity_count() == 0) {
    std::string why = "no RACI table found";
    if (m_m.skipped.empty()) {
      why += m_m.tables.empty() ? ": the document has no table" : "";
    } else {
      why += "; skipped:";
      for (const auto& s : m_m.skipped) {
        why += fmt::format(" line {}: {};", m_src->position(s.span.begin).line, s.reason);
      }
      why.pop_back();
    }
    return Error{m_src->path(), 0, 0, why};
  }

  m_m.source = m_src;
  m_m.title = !fm->title.empty() ? fm->title : (!m_first_h1.empty() ? m_first_h1 : m_first_heading);
  m_m.id = !fm->id.empty() ? fm->id : m_options.id;
  if (m_m.id.empty()) m_m.id = text::slugify(m_m.title);
  if (m_m.id.empty()) m_m.id = "matrix";
  m_m.language = !fm->language.empty() ? fm->language : vocabulary::guess_language(m_all_text);
  for (auto& section : m_m.sections) {
    for (auto& a : section.activities) {
      a.cells.resize(m_m.parties.size());
      // In a transposed table every party it names is present on every row, with or
      // without roles.
      const Table& t = m_m.tables[a.table];
      if (t.transposed) {
        for (const std::size_t p : t.parties) a.cells[p].present = true;
      }
    }
  }
  std::erase_if(m_m.sections, [](const Section& s) { return s.activities.empty(); });
  // Each note follows the last section that has a row above it.
  for (auto& note : m_m.notes) {
    const auto after = std::partition_point(
        m_m.sections.begin(), m_m.sections.end(),
        [&](const Section& s) { return s.activities.front().span.begin < note.span.begin; });
    note.after_section = static_cast<int>(after - m_m.sections.begin()) - 1;
  }
  bind_markers();
  find_options();
  return std::move(m_m);
}

void Reader::walk(cmark_node* doc) {
  cmark_iter* it = cmark_iter_new(doc);
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> guard(it, &cmark_iter_free);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it);
    const auto t = cmark_node_get_type(n);
    const std::string_view name = type_of(n);
    if (t == CMARK_NODE_HEADING) {
      on_heading(n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    } else if (name == "table") {
      on_table(n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    } else if (t == CMARK_NODE_PARAGRAPH) {
      on_paragraph(n);
      on_inline_comments(n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    } else if (t == CMARK_NODE_CODE_BLOCK) {
      on_code_block(n);
    } else if (t == CMARK_NODE_HTML_BLOCK) {
      on_html(n, line_of(n));
    } else if (t == CMARK_NODE_HTML_INLINE) {
      on_html(n, line_of(n));
    }
  }
}

void Reader::on_heading(cmark_node* n) {
  m_heading = text::collapse_spaces(rendered_text(n));
  m_heading_level = cmark_node_get_heading_level(n);
  const std::uint32_t line = line_of(n);
  m_heading_span = line > 0 ? m_src->line_span(line) : Span{};
  m_section_open = false;
  if (m_heading_level == 1 && m_first_h1.empty()) m_first_h1 = m_heading;
  if (m_first_heading.empty()) m_first_heading = m_heading;
  add_language_sample(m_heading);
  // HTML inside a heading (rare) still carries suppressions.
  cmark_iter* it = cmark_iter_new(n);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node* c = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE)
      on_html(c, line);
  }
  cmark_iter_free(it);
}

void Reader::on_inline_comments(cmark_node* paragraph) {
  // cmark-gfm's positions of inline nodes are approximate in multi-line paragraphs, so
  // each comment is found, in order, in the paragraph's own source lines.
  const std::uint32_t first = line_of(paragraph);
  if (first == 0) return;  // a paragraph cmark-gfm gave no position (issue #222)
  const std::uint32_t last = std::max(first, end_line_of(paragraph));
  const std::uint32_t begin = m_src->line_start(first);
  const std::string_view area = m_text.substr(begin, m_src->line_span(last).end - begin);
  std::size_t from = 0;
  for (cmark_node* c = cmark_node_first_child(paragraph); c != nullptr;) {
    if (cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE) {
      const char* lit = cmark_node_get_literal(c);
      const std::size_t at = lit == nullptr ? std::string_view::npos : area.find(lit, from);
      if (at != std::string_view::npos) {
        on_html(c,
                first + static_cast<std::uint32_t>(std::count(
                            area.begin(), area.begin() + static_cast<std::ptrdiff_t>(at), '\n')));
        from = at + 1;
      }
    }
    // Depth-first through emphasis, links...; no recursion.
    if (cmark_node* child = cmark_node_first_child(c)) {
      c = child;
      continue;
    }
    while (c != nullptr && c != paragraph && cmark_node_next(c) == nullptr)
      c = cmark_node_parent(c);
    c = (c == nullptr || c == paragraph) ? nullptr : cmark_node_next(c);
  }
}

void Reader::on_paragraph(cmark_node* n) {
  const std::string t = text::collapse_spaces(rendered_text(n));
  add_language_sample(t);
  const std::uint32_t line = line_of(n);
  // cmark-gfm gives no position to a paragraph that a table follows without a blank line
  // (issue #222): such a paragraph is prose leading into the table, neither a note nor
  // a broken table.
  if (line == 0) return;
  // A paragraph whose lines look like a pipe table is a table that formatting broke.
  {
    // Inside a block quote or a list item, after the container's markers.
    const bool nested = cmark_node_get_type(cmark_node_parent(n)) != CMARK_NODE_DOCUMENT;
    auto content_of = [&](std::uint32_t l) -> std::string_view {
      const std::string_view text = l <= m_src->line_count() ? m_src->line(l) : "";
      return nested ? text.substr(container_prefix_length(text)) : text;
    };
    const std::string_view first = content_of(line);
    const std::string_view second = content_of(line + 1);
    if (first.find('|') != std::string_view::npos && is_delimiter_row(second)) {
      const auto h = count_pipe_cells(first);
      const auto d = count_pipe_cells(second);
      skip(m_src->line_span(line),
           fmt::format("table not rendered: its delimiter row (line {}) has {} cells and its "
                       "header {}",
                       line + 1, d, h),
           true);
      return;
    }
  }
  if (!m_m.gray_zone && vocabulary::is_gray_zone_note(text::fold(t))) {
    const std::uint32_t end_line = end_line_of(n);
    m_m.gray_zone =
        GrayZone{t, {m_src->line_start(line), m_src->line_span(std::max(line, end_line)).end}};
  }
  const std::string marker = leading_marker(t);
  if (marker.empty() || m_m.tables.empty()) return;
  std::string rest = t.substr(t.find(marker) + marker.size());
  rest = text::collapse_spaces(rest);
  if (rest.empty()) return;
  Note note;
  note.marker = marker;
  note.text = rest;
  const std::uint32_t end_line = end_line_of(n);
  note.span = {m_src->line_start(line), m_src->line_span(std::max(line, end_line)).end};
  m_m.notes.push_back(std::move(note));
}

void Reader::on_code_block(cmark_node* n) {
  int fence_length = 0;
  int fence_offset = 0;
  char fence_char = 0;
  // An indented block (four spaces or a tab: MkDocs' content tabs `=== "Tab"` indent theirs)
  // has no fence line above its first line.
  const bool fenced = cmark_node_get_fenced(n, &fence_length, &fence_offset, &fence_char) != 0;
  const char* lit = cmark_node_get_literal(n);
  if (lit == nullptr) return;
  const std::string_view code(lit);
  std::string_view prev;
  std::size_t pos = 0;
  std::uint32_t offset = 1;
  while (pos < code.size()) {
    const auto nl = code.find('\n', pos);
    const std::string_view cur = code.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (prev.find('|') != std::string_view::npos && is_delimiter_row(cur)) {
      const std::uint32_t line = line_of(n) + offset - (fenced ? 1 : 2);
      skip(m_src->line_span(line),
           fenced ? "table inside a fenced code block is shown as code, not as a table"
                  : "table inside an indented code block (4 spaces or a tab, as under an "
                    "MkDocs tab) is shown as code, not as a table",
           false);
      return;
    }
    prev = cur;
    ++offset;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

void Reader::on_html(cmark_node* n, std::uint32_t line) {
  const char* lit = cmark_node_get_literal(n);
  if (lit == nullptr) return;
  const std::string_view s(lit);
  for (const CommentMatch& m : find_suppression_comments(s)) {
    Suppression sup;
    sup.kind = m.kind == "disable-next-line" ? Suppression::Kind::next_line
               : m.kind == "disable-line"    ? Suppression::Kind::line
               : m.kind == "disable"         ? Suppression::Kind::range_start
                                             : Suppression::Kind::range_end;
    const auto newlines = static_cast<std::uint32_t>(
        std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(m.offset), '\n'));
    sup.line = (line > 0 ? line : m_table_line) + newlines;
    if (sup.line == 0) continue;
    for (const auto& w : split_names(m.codes)) {
      for (const auto& code : text::words(w)) {
        std::string upper = code;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
          return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
        });
        sup.codes.push_back(upper);
      }
    }
    // Point at the comment within its line when it can be found there.
    const std::string_view src_line = m_src->line(sup.line);
    const auto col = src_line.find(s.substr(m.offset, std::min<std::size_t>(m.length, 12)));
    const std::uint32_t base = m_src->line_start(sup.line);
    sup.span = col == std::string_view::npos
                   ? m_src->line_span(sup.line)
                   : Span{base + static_cast<std::uint32_t>(col),
                          base + static_cast<std::uint32_t>(
                                     col + std::min(m.length, src_line.size() - col))};
    // A table cut into chunks repeats its header: record its comments once.
    if (m_suppressions_seen.emplace(sup.span.begin, sup.line, static_cast<int>(sup.kind)).second) {
      m_m.suppressions.push_back(std::move(sup));
    }
  }
}

Span Reader::cell_span(const Row& row, std::size_t i) const {
  const std::uint32_t base = m_src->line_start(row.line);
  if (i >= row.ranges.size()) {
    const Span line = m_src->line_span(row.line);
    return {line.end, line.end};
  }
  // Point at the cell's content, not its padding.
  const std::string_view line = m_src->line(row.line);
  std::size_t b = row.ranges[i].begin;
  std::size_t e = row.ranges[i].end;
  while (b < e && (line[b] == ' ' || line[b] == '\t')) ++b;
  while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t')) --e;
  return {base + static_cast<std::uint32_t>(b), base + static_cast<std::uint32_t>(e)};
}

void Reader::on_table(cmark_node* table) {
  std::vector<Row> rows;
  for (cmark_node* r = cmark_node_first_child(table); r != nullptr; r = cmark_node_next(r)) {
    Row row;
    row.node = r;
    for (cmark_node* c = cmark_node_first_child(r); c != nullptr; c = cmark_node_next(c)) {
      row.cells.push_back(text::collapse_spaces(rendered_text(c)));
      row.cell_nodes.push_back(c);
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return;
  // Lines: body rows know theirs; the header is two lines above the first body row, or
  // the line before the table's last line when the table has no body (issue #222).
  std::uint32_t header_line = 0;
  if (rows.size() > 1) {
    for (std::size_t i = 1; i < rows.size(); ++i) rows[i].line = line_of(rows[i].node);
    header_line = map_line(cmark_node_get_start_line(rows[1].node) - 2);
  } else {
    header_line = map_line(cmark_node_get_end_line(table) - 1);
  }
  // A table inside a block quote or a list item: its lines start with the container's
  // markers ("> ", "- "), and are read after them.
  const bool nested = cmark_node_get_type(cmark_node_parent(table)) != CMARK_NODE_DOCUMENT;
  auto content_of = [&](std::uint32_t line) -> std::string_view {
    const std::string_view text = m_src->line(line);
    return nested ? text.substr(container_prefix_length(text)) : text;
  };
  // Confirm against the source: the header is the line right above a delimiter row. When
  // cmark-gfm's lines are off (issue #222), the delimiter row is searched for within the
  // table's own lines, never past them: that would be another table's.
  const std::uint32_t from = std::max<std::uint32_t>(line_of(table), 1);
  const std::uint32_t to = std::min(std::max(end_line_of(table), from), m_src->line_count());
  if (header_line < from || header_line >= to || !is_delimiter_row(content_of(header_line + 1))) {
    header_line = 0;
    for (std::uint32_t l = from; l < to; ++l) {
      if (is_delimiter_row(content_of(l + 1))) {
        header_line = l;
        break;
      }
    }
  }
  if (header_line == 0) {
    skip(m_src->line_span(from),
         "table not read: its delimiter row could not be found in the source", true);
    return;
  }
  rows[0].line = header_line;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row& row = rows[i];
    if (row.line == 0) row.line = header_line;
    const std::string_view text = m_src->line(row.line);
    if (nested) {
      // Body rows: where cmark-gfm says they start; the header: after the markers.
      const int column = i > 0 ? cmark_node_get_start_column(row.node) : 0;
      row.content = column > 0 && static_cast<std::size_t>(column) <= text.size()
                        ? static_cast<std::size_t>(column - 1)
                        : container_prefix_length(text);
    }
    row.ranges = split_pipe_row(text.substr(row.content));
    for (CellRange& range : row.ranges) {
      range.begin += row.content;
      range.end += row.content;
    }
  }
  m_table_line = header_line;
  // Suppression comments written inside cells.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (m_src->line(rows[i].line).find("<!--") == std::string_view::npos) continue;
    cmark_iter* it = cmark_iter_new(rows[i].node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
      cmark_node* c = cmark_iter_get_node(it);
      if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE) {
        const char* lit = cmark_node_get_literal(c);
        if (lit != nullptr) {
          // Inline comments in a row belong to that row's line.
          const std::size_t before = m_m.suppressions.size();
          on_html(c, rows[i].line);
          for (std::size_t k = before; k < m_m.suppressions.size(); ++k) {
            m_m.suppressions[k].line = rows[i].line;
          }
        }
      }
    }
    cmark_iter_free(it);
  }

  auto known = m_layouts.find(header_line);
  if (known == m_layouts.end())
    known = m_layouts.emplace(header_line, classify_table(rows, header_line)).first;
  const TableLayout& layout = known->second;
  if (!layout.raci) return;
  if (layout.transposed) {
    read_transposed_rows(rows, layout);
  } else {
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].roles.size() == rows[r].cells.size()) continue;  // parsed while classifying
      rows[r].roles.resize(rows[r].cells.size());
      for (std::size_t c = 0; c < rows[r].cells.size() && c < layout.party_of.size(); ++c) {
        if (layout.party_of[c] >= 0 && !rows[r].cells[c].empty())
          rows[r].roles[c] = parse_role_cell(rows[r].cells[c], m_m.roles.letters);
      }
    }
    read_roles_rows(rows, layout);
  }
}

std::uint32_t Reader::add_table(const Row& header, std::uint32_t header_line, bool transposed) {
  Table table;
  table.span = m_src->line_span(header_line);
  table.header_cells = static_cast<std::uint32_t>(header.ranges.size());
  table.transposed = transposed;
  m_m.tables.push_back(table);
  return static_cast<std::uint32_t>(m_m.tables.size() - 1);
}

TableLayout Reader::classify_table(std::vector<Row>& rows, std::uint32_t header_line) {
  TableLayout layout;
  const std::size_t width = rows[0].cells.size();
  // Which columns hold role codes? Judged on the first rows only, so that a table cut
  // into chunks is judged the same as when read whole.
  const std::size_t judged =
      std::min<std::size_t>(rows.size(), std::size_t{1} + m_options.classify_rows);
  std::vector<ColumnStats> stats(width);
  for (std::size_t r = 1; r < judged; ++r) {
    rows[r].roles.resize(rows[r].cells.size());
    for (std::size_t c = 0; c < width && c < rows[r].cells.size(); ++c) {
      const std::string& cell = rows[r].cells[c];
      if (cell.empty()) continue;
      ++stats[c].nonempty;
      rows[r].roles[c] = parse_role_cell(cell, m_m.roles.letters);
      const RoleCell& rc = rows[r].roles[c];
      if (!rc.unknown.empty()) {
        ++stats[c].unknown;
      } else if (!rc.roles.empty()) {
        ++stats[c].with_roles;
      }
    }
  }
  std::vector<bool> role_col(width, false);
  for (std::size_t c = 1; c < width; ++c) {
    const auto& s = stats[c];
    role_col[c] = s.with_roles > 0 && s.unknown * 2 < s.nonempty &&
                  !vocabulary::is_free_text_header(text::fold(rows[0].cells[c]));
  }
  const auto first_role = std::find(role_col.begin(), role_col.end(), true);

  // Roles as columns: headers that are role words, cells that name parties.
  std::vector<std::optional<Role>> header_roles(width);
  std::size_t role_headers = 0;
  for (std::size_t c = 1; c < width; ++c) {
    header_roles[c] = vocabulary::role_header(text::fold(rows[0].cells[c]));
    // DACI's Driver is RACI's Responsible: a header takes the letter the document uses.
    if (header_roles[c] == Role::driver && !m_m.roles.has('D')) header_roles[c] = Role::responsible;
    if (header_roles[c] == Role::responsible && !m_m.roles.has('R') && m_m.roles.has('D'))
      header_roles[c] = Role::driver;
    if (header_roles[c]) ++role_headers;
  }
  const auto role_columns =
      static_cast<std::size_t>(std::count(role_col.begin(), role_col.end(), true));
  if (role_headers >= 2 && role_columns < role_headers) {
    std::size_t activity_col = 0;
    while (activity_col < width && header_roles[activity_col]) ++activity_col;
    if (activity_col >= width) return layout;
    layout.raci = true;
    layout.transposed = true;
    layout.roles = std::move(header_roles);
    layout.activity_col = activity_col;
    layout.table = add_table(rows[0], header_line, true);
    return layout;
  }

  if (first_role == role_col.end()) {
    skip(m_src->line_span(header_line),
         fmt::format("not a RACI table: no column below '{}' holds role codes",
                     rows[0].cells.size() > 1 ? rows[0].cells[1] : rows[0].cells[0]),
         false);
    return layout;
  }
  const auto p0 = static_cast<std::size_t>(first_role - role_col.begin());
  std::size_t p1 = width - 1;
  while (!role_col[p1]) --p1;
  std::vector<bool> party_col(width, false);
  for (std::size_t c = p0; c <= p1; ++c) party_col[c] = true;
  // Columns right after the parties whose cells are all short ("", "X", "-", "S*") are
  // parties too: ones that hold nothing here, or whose cells have unknown letters
  // (RAC101). A free-text header (SLA, comments) ends the parties.
  for (std::size_t c = p1 + 1; c < width; ++c) {
    if (vocabulary::is_free_text_header(text::fold(rows[0].cells[c])) ||
        text::trim(rows[0].cells[c]).empty()) {
      break;
    }
    bool short_cells = true;
    for (std::size_t r = 1; r < judged; ++r) {
      if (c < rows[r].cells.size() && text::codepoints(text::trim(rows[r].cells[c])) > 4)
        short_cells = false;
    }
    if (!short_cells) break;
    party_col[c] = true;
  }
  // The activity column: the one whose header says so, else the last one before the parties.
  std::size_t activity_col = p0 - 1;
  std::size_t id_col = width;
  for (std::size_t c = 0; c < p0; ++c) {
    const std::string h = text::fold(rows[0].cells[c]);
    if (vocabulary::is_activity_header(h)) activity_col = c;
    if (vocabulary::is_id_header(h)) id_col = c;
  }
  if (id_col == activity_col) id_col = width;
  layout.raci = true;
  layout.activity_col = activity_col;
  layout.id_col = id_col;
  layout.table = add_table(rows[0], header_line, false);
  layout.party_of.assign(width, -1);
  std::vector<std::size_t> taken;
  for (std::size_t c = 0; c < width; ++c) {
    if (!party_col[c]) continue;
    const std::size_t p =
        m_parties.resolve(m_m.parties, rows[0].cells[c], cell_span(rows[0], c), taken);
    taken.push_back(p);
    layout.party_of[c] = static_cast<int>(p);
  }
  return layout;
}

void Reader::add_activity(Activity a) {
  // Every activity holds a cell per party of the document: refuse a matrix whose cells
  // would not fit the memory budget, at the first row past it.
  ++m_activities;
  if (!m_too_big && m_activities * m_m.parties.size() > k_max_matrix_cells) {
    m_too_big =
        Error{m_src->path(), m_src->position(a.span.begin).line, 1,
              fmt::format("the matrix would have {} activities x {} parties, above the limit "
                          "of {} cells: split the document",
                          m_activities, m_m.parties.size(), k_max_matrix_cells)};
  }
  if (m_too_big) return;
  add_language_sample(a.title);
  const std::string id = m_ids.derive(a.id.empty() ? text::slugify(a.title) : a.id);
  a.id = id;
  current_section().activities.push_back(std::move(a));
}

void Reader::read_roles_rows(std::vector<Row>& rows, const TableLayout& layout) {
  const std::size_t width = std::min(rows[0].cells.size(), layout.party_of.size());
  const std::vector<int>& party_of = layout.party_of;
  const std::size_t activity_col = layout.activity_col;
  const std::size_t id_col = layout.id_col;
  const std::uint32_t table_index = layout.table;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    Row& row = rows[r];
    const std::string_view src_line = m_src->line(row.line);
    const std::string& title = row.cells[activity_col];
    bool parties_empty = true;
    for (std::size_t c = 0; c < width; ++c) {
      if (party_of[c] >= 0 && !text::trim(row.cells[c]).empty()) parties_empty = false;
    }
    // A note written under the table without a blank line renders as a one-cell row.
    const std::string_view trimmed = text::trim(src_line.substr(row.content));
    if (parties_empty && !trimmed.empty() && trimmed[0] != '|' && row.ranges.size() <= 1) {
      // So does a legend: it is neither an activity nor a note.
      if (is_legend_line(row.cells[0], m_m.roles.letters)) {
        skip(m_src->line_span(row.line), "a legend written right under the table", false);
        continue;
      }
      const std::string marker = leading_marker(row.cells[0]);
      if (!marker.empty()) {
        Note note;
        note.marker = marker;
        note.text =
            text::collapse_spaces(row.cells[0].substr(row.cells[0].find(marker) + marker.size()));
        note.span = m_src->line_span(row.line);
        note.in_table_row = true;
        m_m.notes.push_back(std::move(note));
        continue;
      }
    }
    // A sign-off row: the parties' cells hold handles or names that agree to the table
    // ("| Agreed | @ana | | @bo |"), no role: it is not an activity.
    if (!parties_empty) {
      bool handles_only = true;
      for (std::size_t c = 0; c < width && handles_only; ++c) {
        if (party_of[c] < 0) continue;
        const std::string_view cell = text::trim(row.cells[c]);
        if (cell.empty()) continue;
        handles_only = cell.starts_with('@') && cell.find(' ') == std::string_view::npos;
      }
      if (handles_only) {
        skip(m_src->line_span(row.line), "a sign-off row: handles, no roles", false);
        continue;
      }
    }
    // A section row: one bold cell (in any leading column) and nothing else.
    if (parties_empty) {
      std::size_t filled = 0;
      std::size_t bold_col = width;
      for (std::size_t c = 0; c < width; ++c) {
        if (text::trim(row.cells[c]).empty()) continue;
        ++filled;
        if (is_bold_only(row.cell_nodes[c])) bold_col = c;
      }
      // Not bold: a row that fills only a label column before the activity's
      // (`| Domaine | Tâche | MOE |` then `| Réseau | | |`), or only the activity's with a
      // numbered or capitalised heading (`| 2. Risk Management | | |`), in a table whose
      // other rows carry roles.
      std::size_t label_col = width;
      if (filled == 1 && bold_col == width) {
        for (std::size_t c = 0; c < width && c <= activity_col; ++c) {
          if (text::trim(row.cells[c]).empty()) continue;
          if (party_of[c] < 0 && c != id_col &&
              (c < activity_col || vocabulary::reads_as_heading(row.cells[c])) &&
              table_has_roles(rows))
            label_col = c;
          break;
        }
      }
      if (filled == 1 && (bold_col < width || label_col < width)) {
        if (bold_col == width) bold_col = label_col;
        Section s;
        s.title = row.cells[bold_col];
        s.level = 0;
        s.span = m_src->line_span(row.line);
        m_m.sections.push_back(std::move(s));
        m_section_open = true;
        continue;
      }
    }
    Activity a;
    a.title = title;
    a.span = m_src->line_span(row.line);
    a.table = table_index;
    a.source_cells = static_cast<std::uint32_t>(row.ranges.size());
    a.title_markers = find_markers(title);
    if (id_col < width) {
      a.id = text::slugify(row.cells[id_col]);
      a.explicit_id = !a.id.empty();
    }
    a.cells.resize(m_m.parties.size());
    for (std::size_t c = 0; c < width; ++c) {
      if (c == activity_col || c == id_col) continue;
      if (party_of[c] < 0) {
        if (!text::trim(row.cells[c]).empty()) a.fields.push_back({rows[0].cells[c], row.cells[c]});
        continue;
      }
      RoleCell& rc = row.roles[c];
      Cell& cell = a.cells[static_cast<std::size_t>(party_of[c])];
      cell.present = true;
      cell.roles = rc.roles;
      cell.markers = std::move(rc.markers);
      cell.text = std::move(row.cells[c]);
      cell.unknown = std::move(rc.unknown);
      cell.remark = std::move(rc.remark);
      cell.span = cell_span(row, c);
    }
    add_activity(std::move(a));
  }
}

void Reader::read_transposed_rows(std::vector<Row>& rows, const TableLayout& layout) {
  const std::size_t width = std::min(rows[0].cells.size(), layout.roles.size());
  const auto& roles = layout.roles;
  const std::size_t activity_col = layout.activity_col;
  const std::uint32_t table_index = layout.table;
  std::vector<std::size_t>& in_table = m_m.tables[table_index].parties;
  // Role columns holding only marks ("X", "✓"), the parties in the first column and the
  // activities in another text column (`| Team | Responsibility | Accountable | ... |`):
  // the mark gives the row's party its column's role.
  std::size_t marked_title_col = width;
  {
    bool any = false;
    bool all = true;
    for (std::size_t r = 1; r < rows.size() && all; ++r) {
      for (std::size_t c = 0; c < width && c < rows[r].cells.size(); ++c) {
        if (!roles[c] || text::trim(rows[r].cells[c]).empty()) continue;
        any = true;
        all = all && is_mark(rows[r].cells[c]);
      }
    }
    if (any && all) {
      for (std::size_t c = 0; c < width && marked_title_col == width; ++c) {
        if (c == activity_col || roles[c] || text::trim(rows[0].cells[c]).empty()) continue;
        for (std::size_t r = 1; r < rows.size(); ++r) {
          if (c < rows[r].cells.size() && !text::trim(rows[r].cells[c]).empty())
            marked_title_col = c;
        }
      }
    }
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    Row& row = rows[r];
    Activity a;
    const bool marked = marked_title_col < width;
    a.title = row.cells[marked ? marked_title_col : activity_col];
    a.span = m_src->line_span(row.line);
    a.table = table_index;
    a.source_cells = static_cast<std::uint32_t>(row.ranges.size());
    a.title_markers = find_markers(a.title);
    for (std::size_t c = 0; c < width; ++c) {
      if (c == activity_col || c == marked_title_col) continue;
      if (!roles[c]) {
        if (!text::trim(row.cells[c]).empty()) a.fields.push_back({rows[0].cells[c], row.cells[c]});
        continue;
      }
      const std::vector<std::string> names =
          marked ? (text::trim(row.cells[c]).empty() ? std::vector<std::string>{}
                                                     : split_names(row.cells[activity_col]))
                 : split_names(row.cells[c]);
      for (std::string name : names) {
        std::vector<std::string> markers;
        // Markers after a name: "PM*", "Dev (1)"; found from the end, kept in order.
        for (;;) {
          auto marks = find_markers(name);
          if (marks.empty() || !name.ends_with(marks.back())) break;
          name = text::collapse_spaces(name.substr(0, name.size() - marks.back().size()));
          markers.push_back(std::move(marks.back()));
        }
        std::reverse(markers.begin(), markers.end());
        if (name.empty() || parse_role_cell(name).no_role) continue;
        const std::size_t p = m_parties.resolve(m_m.parties, name, cell_span(row, c));
        if (m_listed_in.size() <= p) m_listed_in.resize(p + 1, 0);
        // Tables are read one after the other (the chunks of a cut table too), so the
        // mark says whether this table lists the party already.
        if (m_listed_in[p] != table_index + 1) {
          in_table.push_back(p);
          m_listed_in[p] = table_index + 1;
        }
        if (a.cells.size() < m_m.parties.size()) a.cells.resize(m_m.parties.size());
        Cell& cell = a.cells[p];
        cell.present = true;
        cell.roles.add(*roles[c]);
        for (auto& mk : markers) cell.markers.push_back(std::move(mk));
        if (!cell.text.empty()) cell.text += ", ";
        cell.text += role_letter(*roles[c]);
        cell.span = cell_span(row, c);
      }
    }
    add_activity(std::move(a));
  }
}

void Reader::bind_markers() {
  // Uses in document order; each binds to the nearest following note of its marker.
  for (std::uint32_t s = 0; s < m_m.sections.size(); ++s) {
    const auto& sec = m_m.sections[s];
    for (std::uint32_t a = 0; a < sec.activities.size(); ++a) {
      const auto& act = sec.activities[a];
      for (const auto& mk : act.title_markers) {
        m_m.marker_uses.push_back({mk, act.span, s, a, -1, -1});
      }
      for (std::size_t p = 0; p < act.cells.size(); ++p) {
        for (const auto& mk : act.cells[p].markers) {
          m_m.marker_uses.push_back({mk, act.cells[p].span, s, a, static_cast<int>(p), -1});
        }
      }
    }
  }
  // Notes by marker, in index order; found by binary search when that is also the
  // order of their positions (as the walk is in document order, it always is).
  const auto begin_of = [&](std::size_t n) { return m_m.notes[n].span.begin; };
  struct Notes {
    std::vector<std::size_t> list;
    bool sorted = true;
  };
  std::unordered_map<std::string, Notes> by_marker;
  for (std::size_t n = 0; n < m_m.notes.size(); ++n) {
    Notes& notes = by_marker[m_m.notes[n].marker];
    if (!notes.list.empty() && begin_of(notes.list.back()) >= begin_of(n)) notes.sorted = false;
    notes.list.push_back(n);
  }
  for (auto& use : m_m.marker_uses) {
    const auto it = by_marker.find(use.marker);
    if (it == by_marker.end()) continue;
    const auto& list = it->second.list;
    if (it->second.sorted) {
      const auto at =
          std::upper_bound(list.begin(), list.end(), use.span.begin,
                           [&](std::uint32_t pos, std::size_t n) { return pos < begin_of(n); });
      if (at != list.end()) use.note = static_cast<int>(*at);
      continue;
    }
    for (const std::size_t n : list) {
      if (begin_of(n) > use.span.begin) {
        use.note = static_cast<int>(n);
        break;
      }
    }
  }
}

void Reader::find_options() {
  // Delegation notes that share a marker are one option.
  std::unordered_set<std::string> markers;
  std::unordered_set<std::string> ids;
  std::unordered_map<std::string, int> next_id;
  for (std::size_t n = 0; n < m_m.notes.size(); ++n) {
    const Note& note = m_m.notes[n];
    if (markers.count(note.marker) != 0) continue;
    if (!vocabulary::is_delegation_note(text::fold(note.text))) continue;
    markers.insert(note.marker);
    Option o;
    // Named after the contract the note mentions, unique within the matrix.
    std::string base = text::slugify(vocabulary::contract_name(text::fold(note.text)));
    if (base.empty()) base = "delegation";
    o.id = base;
    if (ids.count(o.id) != 0) {
      int& k = next_id.try_emplace(base, 2).first->second;
      do {
        o.id = fmt::format("{}-{}", base, k++);
      } while (ids.count(o.id) != 0);
    }
    ids.insert(o.id);
    o.marker = note.marker;
    o.text = note.text;
    o.note = static_cast<int>(n);
    m_m.options.push_back(std::move(o));
  }
}

}  // namespace

Result<Matrix> read_markdown(const SourcePtr& source, const ReadOptions& options) {
  Reader reader(source, options);
  return reader.run();
}

std::string matrix_id_from_path(const std::string& path) {
  return text::slugify(std::filesystem::path(path).stem().string());
}

}  // namespace racine

// The Markdown reader: a RACI matrix read from Markdown exactly as GitHub renders it.
// Its stages, one file each:
//  1. markdown_front_matter: the YAML front matter (title, lang, id);
//  2. markdown_vocabulary: the role letters the document uses (RACI, RASCI, DACI, a legend);
//  3. markdown_prescan: limits checked on the raw lines, and the document cut into
//     chunks of about 256 KiB (at blank lines, or between the rows of a large table);
//  4. markdown_cmark: each chunk parsed by cmark-gfm; its tree walked, then freed;
//  5. this file, blocks: headings open sections (a table takes the nearest heading above
//     it); paragraphs that start with a marker are notes; code blocks and paragraphs
//     that hide a table, and matrices written as nested lists, are recorded as skipped;
//     HTML comments carry suppressions
//     (markdown_suppressions);
//  6. markdown_table: a table is a RACI table when some of its non-first columns hold
//     role codes (by content, whatever its header says, judged on its first 1,000 body
//     rows), or when its columns are roles (Responsible, Accountable...) and its cells
//     name parties (read transposed), or when its rows are roles and people under a
//     heading naming the activity (roles written as rows); otherwise it is skipped, with
//     the reason;
//  6b. markdown_html: an HTML `<table>` found from the HTML block it starts in, read whole
//     from the source up to its `</table>`, bounded and parsed by gumbo (html_table.h),
//     its rows then read by stage 6 like a pipe table's;
//  7. after the walk: markers bound to their notes (core/markers), options found in
//     delegation notes (resolve/discover), the language guessed.
// Positions: cmark-gfm gives wrong lines to a table that follows a text line with no
// blank line (upstream issue #222) and columns in bytes with cell padding included, so
// rows get their line from the row node and the header from the delimiter row found in
// the source; cells get their ranges by splitting the source line again. Chunk lines
// are mapped back to file lines (map_line), and a table cut into chunks keeps the
// layout its first chunk gave it (TableLayout).

#include "formats/markdown_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>

#include "core/markers.h"
#include "core/text.h"
#include "core/vocabulary.h"
#include "formats/markdown_front_matter.h"
#include "formats/markdown_reader_impl.h"
#include "formats/markdown_suppressions.h"
#include "formats/markdown_vocabulary.h"
#include "resolve/discover.h"

namespace racine {

namespace markdown {

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
Result<Matrix> Reader::run() {
  auto fm = read_front_matter(*m_src);
  if (!fm) return fm.error();
  m_m.roles = detect_roles(*m_src, fm->title);
  const std::string_view path = m_src->path();
  const bool html_page = html::is_html_document(m_text) || text::fold(path).ends_with(".html") ||
                         text::fold(path).ends_with(".htm");
  auto chunks = html_page ? Result<std::vector<LineRange>>(std::vector<LineRange>{})
                          : prescan_markdown(*m_src, m_options.limits, fm->lines + 1,
                                             m_options.chunk_bytes, m_options.classify_rows);
  if (!chunks) return chunks.error();
  if (html_page) read_html_document();

  // Each activity is a line of at least a few bytes ("|a|R|"): room for as many ids, so
  // that a large table is read without rehashing, but not for a file of blank lines.
  m_ids.reserve(std::min<std::size_t>(m_src->line_count(), m_src->text().size() / 16));
  ParseMemory memory;
  for (const LineRange& chunk : *chunks) {
    if (chunk.last < chunk.first) continue;
    // The rest of a table: its header and delimiter rows first (see markdown_prescan.h),
    // without their indentation, which as the last line of a paragraph they may have but
    // which would make them code at the start of a document.
    std::string repeat;
    if (chunk.header != 0) {
      for (const std::uint32_t l : {chunk.header, chunk.header + 1}) {
        repeat += text::trim(m_src->line(l));
        repeat += '\n';
      }
    }
    const std::uint32_t begin = m_src->line_start(chunk.first);
    const std::uint32_t end = m_src->line_start(chunk.last + 1);
    {
      const NodePtr doc = parse_gfm(repeat, m_text.substr(begin, end - begin), &memory);
      m_chunk = chunk;
      walk(doc.get());
    }
    memory.reset();
    if (m_too_big) return *m_too_big;
  }
  resolve_pending(false);
  if (m_too_big) return *m_too_big;

  // A page whose matrix a script builds: a `<script>` beside an element it fills
  // (`<div id="raci">`), no table (an empty `<table>` says so where it stands).
  if (m_m.activity_count() == 0 && m_m.tables.empty() && m_m.skipped.empty() && has_script() &&
      html::find_tag(m_text, "div") != std::string_view::npos) {
    skip(m_src->line_span(
             m_src->position(static_cast<std::uint32_t>(html::find_tag(m_text, "script"))).line),
         std::string(k_scripted_table), false);
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
  bind_markers(m_m, MarkerBinding::by_position);
  resolve::discover_options(m_m);
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
    if (t == CMARK_NODE_HTML_BLOCK) {
      on_html_block(n);
      continue;
    }
    if (t != CMARK_NODE_DOCUMENT && inside_html_table(n)) {
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
      continue;
    }
    if (t == CMARK_NODE_HEADING) {
      on_heading(n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    } else if (is_table(n)) {
      on_table(n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    } else if (t == CMARK_NODE_PARAGRAPH) {
      on_paragraph(n);
      on_inline_comments(n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    } else if (t == CMARK_NODE_CODE_BLOCK) {
      on_code_block(n);
    } else if (t == CMARK_NODE_LIST) {
      on_list(n);
    } else if (t == CMARK_NODE_HTML_INLINE) {
      on_html(n, line_of(n));
    }
  }
}

void Reader::on_heading(cmark_node* n) {
  resolve_pending(false);  // a title-only row that ends its table is an activity
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
  // An MkDocs admonition or tab whose indented HTML continues its paragraph (no blank
  // line after `!!! note`): a browser shows the table.
  {
    const std::string_view first = text::trim(m_src->line(line));
    if (first.starts_with("!!!") || first.starts_with("???") || first.starts_with("===")) {
      const std::uint32_t last = std::min(std::max(line, end_line_of(n)), m_src->line_count());
      const std::size_t b = m_src->line_start(line);
      const std::size_t e = m_src->line_span(last).end;
      if (html::find_table_tag(m_text, b, e) != std::string_view::npos) {
        read_html_tables(b, e);
        return;
      }
    }
  }
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

std::string inline_role_labels(std::string_view text, std::string_view letters) {
  std::string out;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c < 'A' || c > 'Z' || letters.find(c) == std::string_view::npos) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) != 0 ||
                  static_cast<unsigned char>(text[i - 1]) >= 0x80))
      continue;
    if (text[i + 1] != ':' || (i + 2 < text.size() && text[i + 2] != ' ')) continue;
    if (out.find(c) == std::string::npos) out += c;
  }
  return out;
}

void Reader::on_list(cmark_node* list) {
  // A matrix written as a nested list: an item per activity, holding a list of
  // `R: names` items ("- T1 Roadmap" then "  - R: A0", "  - C: A4, A5"). Not read (ranges
  // such as "A1–A3" and "the others" need a reader to decide): refused with its layout.
  for (cmark_node* item = cmark_node_first_child(list); item != nullptr;
       item = cmark_node_next(item)) {
    for (cmark_node* sub = cmark_node_first_child(item); sub != nullptr;
         sub = cmark_node_next(sub)) {
      if (cmark_node_get_type(sub) != CMARK_NODE_LIST) continue;
      std::string roles;  // the distinct roles of its `R: names` items ("Q:", "A:" is a FAQ)
      for (cmark_node* li = cmark_node_first_child(sub); li != nullptr; li = cmark_node_next(li)) {
        cmark_node* para = cmark_node_first_child(li);
        if (para == nullptr || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) continue;
        const std::string t = text::collapse_spaces(rendered_text(para));
        const std::size_t colon = t.find(':');
        if (colon == std::string::npos || colon == 0 || colon > 40 || colon + 1 >= t.size())
          continue;
        const auto role = role_label(t.substr(0, colon));
        if (role && roles.find(static_cast<char>(*role)) == std::string::npos)
          roles += static_cast<char>(*role);
      }
      // Recorded once, at the first such item: a loose list may be cut into chunks
      // between its items, and reads the same.
      if (roles.size() >= 2 && !m_list_matrix_seen) {
        const std::uint32_t line = line_of(item);
        if (line == 0) return;
        m_list_matrix_seen = true;
        skip(m_src->line_span(line),
             "a matrix written as a nested list (an activity per item, 'R: names' under it) is "
             "not read: write it as a table",
             false);
        return;
      }
    }
  }
  if (m_list_matrix_seen) return;
  // A list per activity (`- R: Dev`, `- A: PM` under the activity's heading), or items
  // holding the roles inline (`- Deploy: R: Dev | A: PM`).
  // A list per activity is named first, at the list's line, whatever items with inline
  // roles follow it: a loose list cut into chunks after its role items reads the same.
  std::string roles;
  cmark_node* inline_item = nullptr;
  for (cmark_node* item = cmark_node_first_child(list); item != nullptr;
       item = cmark_node_next(item)) {
    cmark_node* para = cmark_node_first_child(item);
    if (para == nullptr || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) continue;
    const std::string t = text::collapse_spaces(rendered_text(para));
    if (inline_role_labels(t, m_m.roles.letters).size() >= 2) {
      if (inline_item == nullptr) inline_item = item;
      continue;
    }
    const std::size_t colon = t.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 40 || colon + 1 >= t.size()) continue;
    const auto role = role_label(t.substr(0, colon));
    // A legend's item gives the role's meaning ("R: Responsible"), not names.
    if (role && !role_label(text::trim(std::string_view(t).substr(colon + 1))) &&
        roles.find(static_cast<char>(*role)) == std::string::npos)
      roles += static_cast<char>(*role);
  }
  if (roles.size() >= 2) {
    const std::uint32_t line = line_of(list);
    if (line == 0) return;
    m_list_matrix_seen = true;
    skip(m_src->line_span(line), std::string(k_list_per_activity), false);
  } else if (inline_item != nullptr) {
    const std::uint32_t line = line_of(inline_item);
    if (line == 0) return;
    m_list_matrix_seen = true;
    skip(m_src->line_span(line), std::string(k_inline_role_list), false);
  }
}

void Reader::on_code_block(cmark_node* n) {
  int fence_length = 0;
  int fence_offset = 0;
  char fence_char = 0;
  // An indented block (four spaces or a tab: MkDocs' content tabs `=== "Tab"` indent theirs)
  // has no fence line above its first line.
  const bool fenced = cmark_node_get_fenced(n, &fence_length, &fence_offset, &fence_char) != 0;
  if (fenced) {
    const char* info = cmark_node_get_fence_info(n);
    if (info != nullptr && text::fold(text::trim(info)).starts_with("mermaid")) {
      if (const std::uint32_t line = line_of(n); line > 0)
        skip(m_src->line_span(line), std::string(k_mermaid_graph), false);
      return;
    }
  }
  const char* lit = cmark_node_get_literal(n);
  if (lit == nullptr) return;
  const std::string_view code(lit);
  // HTML indented under an MkDocs admonition or tab, a list item or an element: a
  // browser shows its tables.
  if (!fenced && html::find_table_tag(code, 0, code.size()) != std::string_view::npos) {
    const std::uint32_t first = line_of(n);
    if (first > 0 && opens_html_container(first)) {
      const std::uint32_t last = std::min(std::max(first, end_line_of(n)), m_src->line_count());
      read_html_tables(m_src->line_start(first), m_src->line_span(last).end);
      return;
    }
  }
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
  on_html_text(lit, line);
}

void Reader::on_html_text(std::string_view s, std::uint32_t line) {
  for (const CommentMatch& m : find_suppression_comments(s)) {
    Suppression sup;
    sup.kind = suppression_kind(m.kind);
    const auto newlines = static_cast<std::uint32_t>(
        std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(m.offset), '\n'));
    sup.line = (line > 0 ? line : m_table_line) + newlines;
    if (sup.line == 0) continue;
    sup.codes = suppression_codes(m.codes);
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
  // Room for the rest of the table at once: an activity moved at every doubling of a
  // section of a million rows was a tenth of the reader's time.
  auto& activities = current_section().activities;
  if (activities.size() == activities.capacity())
    activities.reserve(activities.size() + std::max<std::size_t>(m_rows_left, 16));
  activities.push_back(std::move(a));
}
}  // namespace markdown

Result<Matrix> read_markdown(const SourcePtr& source, const ReadOptions& options) {
  markdown::Reader reader(source, options);
  return reader.run();
}

std::string matrix_id_from_path(const std::string& path) {
  return text::slugify(std::filesystem::path(path).stem().string());
}

}  // namespace racine

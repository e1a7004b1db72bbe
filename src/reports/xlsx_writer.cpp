#include "reports/xlsx_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "core/text.h"
#include "reports/palette.h"

namespace racine::reports {

namespace {

namespace fs = std::filesystem;

constexpr double k_max_width = 80;
constexpr std::size_t k_max_cell_chars = 32767;  // Excel's limit for the text of a cell

// The colours of a cell (data/palette.csv): its first role's in D, R, A, S, C, I order,
// the letter in the role's ink; none for an empty cell.
const RoleColour* colour_of(const RoleSet& r) {
  const std::string s = r.to_string();
  if (s.empty()) return nullptr;
  char first = 0;
  for (const char l : std::string_view("DRASCI")) {
    if (s.find(l) != std::string::npos) {
      first = l;
      break;
    }
  }
  const std::string_view key = first != 0 ? std::string_view(&first, 1) : std::string_view("other");
  for (const auto& c : k_palette) {
    if (c.key == key) return &c;
  }
  return &k_palette.back();
}

// A sheet name Excel accepts: at most 31 characters, none of []:*?/\ or control
// characters, no apostrophe first or last, not "History", unique (case ignored).
std::string sheet_name(std::string_view wanted, std::set<std::string>& taken) {
  std::string name;
  for (const char c : wanted) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) continue;
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) name += c;
  }
  // Cut on a code point boundary.
  while (name.size() > 28) {
    name.pop_back();
    while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0U) == 0x80U)
      name.pop_back();
    if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0U) name.pop_back();
  }
  const std::size_t first = name.find_first_not_of('\'');
  name = first == std::string::npos ? std::string()
                                    : name.substr(first, name.find_last_not_of('\'') - first + 1);
  if (std::string(text::trim(name)).empty() || text::fold(name) == "history") name = "Party";
  std::string out = name;
  for (int k = 2; taken.contains(text::fold(out)); ++k) out = fmt::format("{} {}", name, k);
  taken.insert(text::fold(out));
  return out;
}

std::vector<std::string> sheet_names(const Matrix& m, const Labels& l) {
  std::set<std::string> taken;
  std::vector<std::string> out;
  out.push_back(sheet_name(l.matrix_sheet, taken));
  taken.insert(text::fold(l.summary_sheet));  // kept for the last sheets
  taken.insert(text::fold(l.findings));
  for (const auto& p : m.parties) out.push_back(sheet_name(p.name, taken));
  out.emplace_back(l.summary_sheet);
  out.emplace_back(l.findings);
  return out;
}

// A header or footer text: control characters dropped, `&` doubled (a bare `&` starts a
// code), cut on a code point boundary to at most `max_bytes` bytes (Excel refuses a
// header over 255 characters; counting bytes keeps any text under it).
std::string header_text(std::string_view s, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = 1;  // the bytes of the code point at i
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0U) == 0x80U) ++n;
    const auto u = static_cast<unsigned char>(s[i]);
    const std::string_view cp = s.substr(i, n);
    i += n;
    if (u < 0x20 || u == 0x7F) continue;
    const std::size_t add = cp == "&" ? 2 : n;
    if (out.size() + add > max_bytes) break;
    out += cp;
    if (cp == "&") out += '&';
  }
  return out;
}

// The lines `s` takes in a column `width` characters wide, wrapped at spaces (a word
// longer than the line takes lines of its own). The column width's unit is a digit;
// text averages 0.78 of it (measured on LibreOffice's rendering of the seed's titles),
// an estimate that errs tall rather than let lines overlap.
std::size_t wrapped_lines(std::string_view s, double width) {
  if (const auto nl = s.find('\n'); nl != std::string_view::npos)  // each line wraps alone
    return wrapped_lines(s.substr(0, nl), width) + wrapped_lines(s.substr(nl + 1), width);
  const auto room = static_cast<std::size_t>(std::max(1.0, (width - 1) / 0.78));
  std::size_t lines = 1;
  std::size_t used = 0;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    const std::size_t word = text::codepoints(s.substr(start, end - start));
    if (used > 0 && used + 1 + word > room) {
      ++lines;
      used = 0;
    }
    used += (used > 0 ? 1 : 0) + word;
    while (used > room) {
      ++lines;
      used -= room;
    }
    start = end + 1;
  }
  return lines;
}

// Column widths that fit what was written, and the heights of the rows whose wrapped
// texts take several lines (a spreadsheet does not always size them when it opens a
// file, LibreOffice among them: the lines would overlap when printed).
struct Widths {
  static constexpr double k_line_height = 15;  // points, of the default 11-point font
  std::vector<double> w;
  std::map<lxw_row_t, std::vector<std::pair<std::size_t, std::string>>> wrapped;
  void fit(std::size_t col, std::string_view s) {
    if (w.size() <= col) w.resize(col + 1, 8);
    w[col] = std::min(k_max_width, std::max(w[col], static_cast<double>(text::codepoints(s)) + 2));
  }
  // `s` is written wrapped at (row, col).
  void wrap(lxw_row_t row, std::size_t col, std::string_view s) {
    fit(col, s);
    wrapped[row].emplace_back(col, std::string(s));
  }
  [[nodiscard]] lxw_error apply(lxw_worksheet* ws) const {
    for (std::size_t c = 0; c < w.size(); ++c) {
      const lxw_error e = worksheet_set_column(ws, static_cast<lxw_col_t>(c),
                                               static_cast<lxw_col_t>(c), w[c], nullptr);
      if (e != LXW_NO_ERROR) return e;
    }
    for (const auto& [row, cells] : wrapped) {
      std::size_t lines = 1;
      for (const auto& [col, s] : cells) lines = std::max(lines, wrapped_lines(s, w[col]));
      if (lines < 2) continue;
      const lxw_error e =
          worksheet_set_row(ws, row, k_line_height * static_cast<double>(lines), nullptr);
      if (e != LXW_NO_ERROR) return e;
    }
    return LXW_NO_ERROR;
  }
};

// Standard error sent to /dev/null while alive: libxlsxwriter prints "[ERROR]" lines
// of its own (the library never prints; what failed is in the Error returned).
class QuietStderr {
 public:
  QuietStderr() {
    std::fflush(stderr);
    m_saved = ::dup(STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (m_saved >= 0 && null >= 0) ::dup2(null, STDERR_FILENO);
    if (null >= 0) ::close(null);
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (m_saved >= 0) {
      ::dup2(m_saved, STDERR_FILENO);
      ::close(m_saved);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int m_saved = -1;
};

// A private folder for the workbook and libxlsxwriter's own temporary files, removed
// with the object.
class WorkDir {
 public:
  WorkDir() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string tmpl = (base / "racine-xlsx-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) m_path = tmpl;
  }
  ~WorkDir() {
    std::error_code ec;
    if (!m_path.empty()) fs::remove_all(m_path, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

std::string cell_name(lxw_row_t row, lxw_col_t col) {
  std::string letters;
  for (unsigned c = col + 1U; c > 0; c = (c - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return fmt::format("{}{}", letters, row + 1);
}

// Writes the sheets; the first failure is kept in `error`.
class Book {
 public:
  Book(const Matrix& m, lxw_workbook* wb) : m_m(m), m_wb(wb) {}

  std::optional<Error> error;

  lxw_worksheet* sheet(const std::string& name) {
    if (error) return nullptr;
    if (const lxw_error e = workbook_validate_sheet_name(m_wb, name.c_str()); e != LXW_NO_ERROR) {
      fail(Span{}, fmt::format("sheet name '{}' is refused: {}", name, lxw_strerror(e)));
      return nullptr;
    }
    lxw_worksheet* ws = workbook_add_worksheet(m_wb, name.c_str());
    if (ws == nullptr) fail(Span{}, fmt::format("sheet '{}' cannot be added", name));
    m_sheet = name;
    return ws;
  }

  // Writes `s` at (row, col); `what` and `span` say where it came from, for the Error.
  void text(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& s, lxw_format* f,
            std::string_view what, Span span) {
    if (error || ws == nullptr) return;
    if (!place(row, col, what, span)) return;
    const std::size_t n = text::codepoints(s);
    if (n > k_max_cell_chars) {
      fail(span, fmt::format("{} of {} characters does not fit an XLSX cell (cell {} of sheet "
                             "'{}'): a cell holds at "
                             "most 32767",
                             what, n, cell_name(row, col), m_sheet));
      return;
    }
    check(worksheet_write_string(ws, row, col, s.c_str(), f), span, what, row, col);
  }

  void number(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, double v, lxw_format* f = nullptr) {
    if (error || ws == nullptr) return;
    if (!place(row, col, "count", Span{})) return;
    check(worksheet_write_number(ws, row, col, v, f), Span{}, "count", row, col);
  }

  void check(lxw_error e, Span span, std::string_view what, lxw_row_t row, lxw_col_t col) {
    if (e == LXW_NO_ERROR || error) return;
    fail(span, fmt::format("{} cannot be written (cell {} of sheet '{}'): {}", what,
                           cell_name(row, col), m_sheet, lxw_strerror(e)));
  }

  void check(lxw_error e, std::string_view what) {
    if (e == LXW_NO_ERROR || error) return;
    fail(Span{}, fmt::format("{} of sheet '{}': {}", what, m_sheet, lxw_strerror(e)));
  }

  void fail(Span span, std::string message) {
    if (error) return;
    Error e{m_m.source ? m_m.source->path() : std::string(), 0, 0, std::move(message)};
    if (m_m.source && span.end > span.begin) {
      const Position p = m_m.source->position(span.begin);
      e.line = p.line;
      e.column = p.column;
    }
    error = std::move(e);
  }

 private:
  bool place(lxw_row_t row, lxw_col_t col, std::string_view what, Span span) {
    if (row < LXW_ROW_MAX && col < LXW_COL_MAX) return true;
    fail(span,
         fmt::format("{} does not fit sheet '{}': a sheet holds at most {} rows and {} columns",
                     what, m_sheet, LXW_ROW_MAX, LXW_COL_MAX));
    return false;
  }

  const Matrix& m_m;
  lxw_workbook* m_wb;
  std::string m_sheet;
};

Span party_span(const Party& p) {
  return p.spellings.empty() ? Span{} : p.spellings.front().span;
}

std::string cell_text(const Cell& c) {
  std::string s = c.roles.to_string();
  for (const auto& mk : c.markers()) s += mk;
  return s;
}

// How every sheet prints: landscape A4, fitted to the page's width (as many pages down
// as needed), the header row repeated on every page, the matrix's title at the top left,
// the sheet's name at the top right and the page number at the bottom.
// A table's header cells: bold on light grey, thin borders, wrapped, at the top.
void set_header_format(lxw_format* header) {
  format_set_bold(header);
  format_set_bg_color(header, 0xF4F6F7);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
}

void print_setup(lxw_worksheet* ws, const Matrix& m, Book& book) {
  if (book.error || ws == nullptr) return;
  worksheet_set_landscape(ws);       // returns nothing to check
  worksheet_set_paper(ws, 9);        // A4; returns nothing to check
  worksheet_fit_to_pages(ws, 1, 0);  // returns nothing to check
  book.check(worksheet_repeat_rows(ws, 0, 0), "header row repeated on every page");
  const std::string title = header_text(m.title.empty() ? m.id : m.title, 200);
  book.check(worksheet_set_header(ws, fmt::format("&L{}&R&A", title).c_str()), "page header");
  book.check(worksheet_set_footer(ws, "&C&P / &N"), "page footer");
}

void write_sheets(const Matrix& m, const XlsxExtras& extras, lxw_workbook* wb, Book& book) {
  const Labels& l = labels(extras.lang);
  const std::vector<std::string> names = sheet_names(m, l);
  lxw_format* header = workbook_add_format(wb);
  lxw_format* section = workbook_add_format(wb);
  lxw_format* wrap = workbook_add_format(wb);
  lxw_format* bold = workbook_add_format(wb);
  std::array<lxw_format*, 3> severity{workbook_add_format(wb), workbook_add_format(wb),
                                      workbook_add_format(wb)};
  if (header == nullptr || section == nullptr || wrap == nullptr || bold == nullptr ||
      std::find(severity.begin(), severity.end(), nullptr) != severity.end()) {
    book.fail(Span{},
              "cannot write the workbook: libxlsxwriter cannot add a cell format (out of memory)");
    return;
  }
  set_header_format(header);
  format_set_bold(section);
  format_set_bg_color(section, 0xEAF2F8);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  format_set_bold(bold);
  // Errors red and bold, warnings amber, infos grey and italic: discreet.
  format_set_font_color(severity[0], 0xB03A2E);
  format_set_bold(severity[0]);
  format_set_font_color(severity[1], 0x9A5B00);
  format_set_font_color(severity[2], 0x8A939B);
  format_set_italic(severity[2]);
  for (lxw_format* f : severity) format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  std::map<const RoleColour*, lxw_format*> role_formats;
  auto role_format = [&](const RoleSet& r) {
    const RoleColour* c = colour_of(r);
    auto it = role_formats.find(c);
    if (it == role_formats.end()) {
      lxw_format* f = workbook_add_format(wb);
      if (f == nullptr) {
        book.fail(
            Span{},
            "cannot write the workbook: libxlsxwriter cannot add a cell format (out of memory)");
        return f;
      }
      format_set_align(f, LXW_ALIGN_CENTER);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      format_set_bold(f);
      if (c != nullptr) {
        format_set_bg_color(f, c->fill);
        format_set_font_color(f, c->ink);
      }
      it = role_formats.emplace(c, f).first;
    }
    return it->second;
  };
  auto col = [](std::size_t c) {
    return static_cast<lxw_col_t>(std::min<std::size_t>(c, LXW_COL_MAX));
  };
  auto row_of = [](std::size_t r) {
    return static_cast<lxw_row_t>(std::min<std::size_t>(r, LXW_ROW_MAX));
  };

  // The matrix.
  lxw_worksheet* ws = book.sheet(names.front());
  Widths widths;
  book.text(ws, 0, 0, std::string(l.section), header, "header", Span{});
  book.text(ws, 0, 1, std::string(l.activity), header, "header", Span{});
  widths.fit(0, l.section);
  widths.fit(1, l.activity);
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    book.text(ws, 0, col(p + 2), m.parties[p].name, header, "party name", party_span(m.parties[p]));
    widths.fit(p + 2, m.parties[p].name);
  }
  std::size_t row = 1;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      book.text(ws, row_of(row), 0, s.title, wrap, "section title", s.span);
      book.text(ws, row_of(row), 1, a.title, wrap, "activity title", a.span);
      widths.wrap(row_of(row), 0, s.title);
      widths.wrap(row_of(row), 1, a.title);
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        if (p >= a.cells.size() || !a.cells[p].present) continue;
        const std::string t = cell_text(a.cells[p]);
        book.text(ws, row_of(row), col(p + 2), t, role_format(a.cells[p].roles), "role cell",
                  a.cells[p].span);
        widths.fit(p + 2, t);
      }
      ++row;
    }
  }
  if (book.error) return;
  const std::size_t table_end = row;
  // Below the table: what the letters mean, the notes with their markers and the section
  // they follow, and the contract options (what the marked cells could become).
  auto heading = [&](std::string_view h) {
    ++row;
    book.text(ws, row_of(row), 0, std::string(h), section, "heading", Span{});
    ++row;
  };
  heading(l.legend.substr(0, l.legend.find_last_not_of(" :") + 1));
  for (const char c : m.roles.letters) {
    book.text(ws, row_of(row), 0, std::string(1, c),
              role_format(RoleSet::from_letters(std::string(1, c))), "role legend", Span{});
    book.text(ws, row_of(row), 1, role_name(l, m.roles, c), nullptr, "role legend", Span{});
    ++row;
  }
  if (!m.notes.empty()) {
    heading(l.notes);
    for (std::size_t k = 0; k < m.notes.size(); ++k) {
      const Note& n = m.notes[k];
      const std::string where =
          n.after_section >= 0 && n.after_section < static_cast<int>(m.sections.size())
              ? m.sections[static_cast<std::size_t>(n.after_section)].title
              : std::string();
      std::string note = fmt::format("{} {}", n.marker, n.text);
      for (const Option& o : m.options) {
        if (o.note == static_cast<int>(k) || (o.marker == n.marker && o.text == n.text)) {
          note += fmt::format(" ({} {})", l.option, o.id);
          break;
        }
      }
      book.text(ws, row_of(row), 0, where, wrap, "section title", Span{});
      book.text(ws, row_of(row), 1, note, wrap, "note", n.span);
      widths.wrapped[row_of(row)] = {{0, where}, {1, note}};
      ++row;
    }
  }
  if (!m.options.empty()) {
    heading(l.options);
    for (const Option& o : m.options) {
      const std::string name = fmt::format("{} {} {}", o.marker, l.option, o.id);
      book.text(ws, row_of(row), 0, name, wrap, "option", Span{});
      book.text(ws, row_of(row), 1, o.text, wrap, "option", Span{});
      widths.wrapped[row_of(row)] = {{0, name}, {1, o.text}};
      ++row;
    }
  }
  if (m.gray_zone) {
    heading(l.gray_zone);
    book.text(ws, row_of(row), 1, m.gray_zone->text, wrap, "gray zone", m.gray_zone->span);
    widths.wrapped[row_of(row)] = {{1, m.gray_zone->text}};
    ++row;
  }
  if (book.error) return;
  // A narrow section column (wrapped), the activity column at most 60 characters wide
  // (wrapped): the roles stay on the page once it is fitted to the width.
  widths.w[0] = std::min(widths.w[0], 26.0);
  widths.w[1] = std::min(widths.w[1], 60.0);
  book.check(widths.apply(ws), "column widths");
  worksheet_freeze_panes(ws, 1, 2);  // returns nothing to check
  book.check(worksheet_autofilter(ws, 0, 0, row_of(table_end - 1), col(m.parties.size() + 1)),
             "autofilter");
  print_setup(ws, m, book);

  // Each party's duties.
  for (std::size_t p = 0; p < m.parties.size() && !book.error; ++p) {
    lxw_worksheet* pw = book.sheet(names[p + 1]);
    Widths w;
    const std::string_view cols[] = {l.section, l.activity, l.roles};
    for (lxw_col_t c = 0; c < 3; ++c) {
      book.text(pw, 0, c, std::string(cols[c]), header, "header", Span{});
      w.fit(c, cols[c]);
    }
    std::size_t r = 1;
    for (const auto& s : m.sections) {
      for (const auto& a : s.activities) {
        if (p >= a.cells.size() || a.cells[p].roles.empty()) continue;
        const std::string t = cell_text(a.cells[p]);
        book.text(pw, row_of(r), 0, s.title, wrap, "section title", s.span);
        book.text(pw, row_of(r), 1, a.title, wrap, "activity title", a.span);
        book.text(pw, row_of(r), 2, t, role_format(a.cells[p].roles), "role cell", a.cells[p].span);
        w.wrap(row_of(r), 0, s.title);
        w.wrap(row_of(r), 1, a.title);
        ++r;
      }
    }
    if (book.error) return;
    w.w[0] = std::min(w.w[0], 26.0);
    w.w[1] = std::min(w.w[1], 60.0);
    book.check(w.apply(pw), "column widths");
    worksheet_freeze_panes(pw, 1, 0);  // returns nothing to check
    if (r > 1) book.check(worksheet_autofilter(pw, 0, 0, row_of(r - 1), 2), "autofilter");
    print_setup(pw, m, book);
  }

  // The workload: R, A, C, I per party, overall then per section.
  lxw_worksheet* sw = book.sheet(names[names.size() - 2]);
  Widths w;
  std::vector<std::string> shead = {std::string(l.section), std::string(l.party)};
  for (const char c : m.roles.letters) shead.emplace_back(1, c);
  for (std::size_t c = 0; c < shead.size(); ++c) {
    book.text(sw, 0, col(c), shead[c], header, "header", Span{});
    w.fit(c, shead[c]);
  }
  std::size_t r = 1;
  auto counts = [&](const std::string& title, bool whole, Span span, auto begin, auto end) {
    for (std::size_t p = 0; p < m.parties.size() && !book.error; ++p) {
      book.text(sw, row_of(r), 0, title, whole ? section : wrap, "section title", span);
      book.text(sw, row_of(r), 1, m.parties[p].name, nullptr, "party name",
                party_span(m.parties[p]));
      w.wrap(row_of(r), 0, title);
      w.fit(1, m.parties[p].name);
      for (std::size_t k = 0; k < m.roles.letters.size(); ++k) {
        std::size_t n = 0;
        for (auto s = begin; s != end; ++s) {
          for (const auto& a : s->activities)
            n += p < a.cells.size() && a.cells[p].roles.has_letter(m.roles.letters[k]) ? 1U : 0U;
        }
        book.number(sw, row_of(r), col(k + 2), static_cast<double>(n));
      }
      ++r;
    }
  };
  counts(std::string(l.all), true, Span{}, m.sections.begin(), m.sections.end());
  for (auto s = m.sections.begin(); s != m.sections.end() && !book.error; ++s)
    counts(s->title, false, s->span, s, s + 1);
  if (book.error) return;
  w.w[0] = std::min(w.w[0], 40.0);
  book.check(w.apply(sw), "column widths");
  worksheet_freeze_panes(sw, 1, 0);  // returns nothing to check
  print_setup(sw, m, book);

  // The lint findings: code, severity, line, activity, message.
  lxw_worksheet* fw = book.sheet(names.back());
  Widths fwidths;
  const std::string_view fhead[] = {l.code, l.severity, l.line, l.activity, l.message};
  for (lxw_col_t c = 0; c < 5; ++c) {
    book.text(fw, 0, c, std::string(fhead[c]), header, "header", Span{});
    fwidths.fit(c, fhead[c]);
  }
  std::size_t fr = 1;
  for (const auto& f : extras.findings) {
    lxw_format* sev = severity[static_cast<std::size_t>(f.severity)];
    const std::string_view sl = severity_label(l, f.severity);
    book.text(fw, row_of(fr), 0, f.code, sev, "finding code", Span{});
    book.text(fw, row_of(fr), 1, std::string(sl), sev, "finding severity", Span{});
    if (f.line > 0) book.number(fw, row_of(fr), 2, static_cast<double>(f.line), wrap);
    book.text(fw, row_of(fr), 3, f.activity, wrap, "finding activity", Span{});
    book.text(fw, row_of(fr), 4, f.message, wrap, "finding message", Span{});
    fwidths.fit(0, f.code);
    fwidths.fit(1, sl);
    fwidths.wrap(row_of(fr), 3, f.activity);
    fwidths.wrap(row_of(fr), 4, f.message);
    ++fr;
  }
  if (extras.findings.empty()) {
    book.text(fw, 1, 0, std::string(l.no_findings), nullptr, "finding", Span{});
    ++fr;
  }
  if (book.error) return;
  fwidths.w[3] = std::min(fwidths.w[3], 45.0);
  fwidths.w[4] = std::min(fwidths.w[4], 70.0);
  book.check(fwidths.apply(fw), "column widths");
  worksheet_freeze_panes(fw, 1, 0);  // returns nothing to check
  if (!extras.findings.empty())
    book.check(worksheet_autofilter(fw, 0, 0, row_of(fr - 1), 4), "autofilter");
  print_setup(fw, m, book);
}

}  // namespace

std::vector<std::string> xlsx_sheet_names(const Matrix& m, Lang lang) {
  return sheet_names(m, labels(lang));
}

namespace {

// A workbook written by `write`, as bytes; `matrix_book`: it holds the matrix (its first
// sheet reads back as one).
template <typename Write>
Result<std::string> write_book(const Matrix& m, bool matrix_book, Write write) {
  const std::string shown = m.source ? m.source->path() : std::string("<xlsx>");
  const WorkDir dir;
  if (dir.path().empty())
    return Error{shown, 0, 0, "cannot write the workbook: no temporary folder can be made"};
  const std::string file = (dir.path() / "book.xlsx").string();
  std::string tmpdir = dir.path().string();
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  const QuietStderr quiet;
  lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
  if (wb == nullptr)
    return Error{shown, 0, 0, "cannot write the workbook: libxlsxwriter cannot start one"};
  // The workbook names its maker and matrix, so that racine reads it back from its first
  // sheet alone (formats/spreadsheet.h): the other sheets are views of it.
  if (matrix_book)
    workbook_set_custom_property_string(wb, "racine", m.id.empty() ? "matrix" : m.id.c_str());
  Book book(m, wb);
  write(wb, book);
  const lxw_error e = workbook_close(wb);  // frees the workbook, whatever happened
  if (book.error) return *book.error;
  if (e != LXW_NO_ERROR)
    return Error{shown, 0, 0, fmt::format("cannot write the workbook: {}", lxw_strerror(e))};
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in)
    return Error{shown, 0, 0,
                 "cannot write the workbook: it cannot be read back from its temporary folder"};
  return bytes.str();
}

std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace

Result<std::string> write_xlsx(const Matrix& m, const XlsxExtras& extras) {
  return write_book(m, true,
                    [&](lxw_workbook* wb, Book& book) { write_sheets(m, extras, wb, book); });
}

Result<std::string> write_crm_xlsx(const Matrix& m, const std::vector<CrmRow>& rows,
                                   const std::string& catalog, bool example) {
  return write_book(m, false, [&](lxw_workbook* wb, Book& book) {
    lxw_format* header = workbook_add_format(wb);
    lxw_format* wrap = workbook_add_format(wb);
    lxw_format* note = workbook_add_format(wb);
    if (header == nullptr || wrap == nullptr || note == nullptr) {
      book.fail(
          Span{},
          "cannot write the workbook: libxlsxwriter cannot add a cell format (out of memory)");
      return;
    }
    set_header_format(header);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(wrap, LXW_BORDER_THIN);
    format_set_italic(note);
    lxw_worksheet* ws = book.sheet("Customer responsibility");
    if (ws == nullptr) return;
    Widths widths;
    const char* heads[] = {"Control", "Origination", "Provider's part", "Customer's part", "Roles"};
    for (lxw_col_t c = 0; c < 5; ++c) {
      book.text(ws, 0, c, heads[c], header, "column header", Span{});
      widths.fit(c, heads[c]);
    }
    lxw_row_t r = 1;
    for (const auto& row : rows) {
      const std::string cells[] = {row.control, joined(row.origination, "\n"),
                                   joined(row.provider, "\n"), joined(row.customer, "\n"),
                                   row.roles};
      for (lxw_col_t c = 0; c < 5; ++c) {
        book.text(ws, r, c, cells[c], wrap, "cell", Span{});
        std::string_view rest = cells[c];
        while (!rest.empty()) {  // the longest line gives the width
          const auto nl = rest.find('\n');
          widths.fit(c, rest.substr(0, nl));
          rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        }
        widths.wrapped[r].emplace_back(c, cells[c]);
      }
      ++r;
    }
    ++r;
    book.text(ws, r++, 0,
              fmt::format("Catalog: {}. Origination: FedRAMP control-origination, from the "
                          "matrix's R and A (docs/compliance.md).",
                          catalog),
              note, "note", Span{});
    if (example) {
      book.text(ws, r, 0,
                "The control mapping is an example, not the provider's or an auditor's "
                "judgement.",
                note, "note", Span{});
    }
    if (book.error) return;
    book.check(widths.apply(ws), "column widths");
    book.check(worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size()), 4),
               "autofilter");
    worksheet_freeze_panes(ws, 1, 1);  // returns nothing to check
    print_setup(ws, m, book);
  });
}

}  // namespace racine::reports

#include "reports/xlsx_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "core/text.h"

namespace racine::reports {

namespace {

namespace fs = std::filesystem;

constexpr double k_max_width = 80;
constexpr std::size_t k_max_cell_chars = 32767;  // Excel's limit for the text of a cell

// The colour of a cell: its first role in D, R, A, S, C, I order.
lxw_color_t colour_of(const RoleSet& r) {
  const std::string s = r.to_string();
  if (s.empty()) return LXW_COLOR_WHITE;
  switch (s.front()) {
    case 'D': return 0x1E8449;
    case 'R': return 0xC0392B;
    case 'A': return 0x8E44AD;
    case 'S': return 0xD68910;
    case 'C': return 0x2471A3;
    case 'I': return 0x7F8C8D;
    default: return 0x555555;
  }
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

std::vector<std::string> sheet_names(const Matrix& m) {
  std::set<std::string> taken;
  std::vector<std::string> out;
  out.push_back(sheet_name("Matrix", taken));
  taken.insert("summary");  // kept for the last sheet
  for (const auto& p : m.parties) out.push_back(sheet_name(p.name, taken));
  out.emplace_back("Summary");
  return out;
}

// Column widths that fit what was written.
struct Widths {
  std::vector<double> w;
  void fit(std::size_t col, std::string_view s) {
    if (w.size() <= col) w.resize(col + 1, 8);
    w[col] = std::min(k_max_width, std::max(w[col], static_cast<double>(text::codepoints(s)) + 2));
  }
  [[nodiscard]] lxw_error apply(lxw_worksheet* ws) const {
    for (std::size_t c = 0; c < w.size(); ++c) {
      const lxw_error e = worksheet_set_column(ws, static_cast<lxw_col_t>(c),
                                               static_cast<lxw_col_t>(c), w[c], nullptr);
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

  void number(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, double v) {
    if (error || ws == nullptr) return;
    if (!place(row, col, "count", Span{})) return;
    check(worksheet_write_number(ws, row, col, v, nullptr), Span{}, "count", row, col);
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
  for (const auto& mk : c.markers) s += mk;
  return s;
}

void write_sheets(const Matrix& m, lxw_workbook* wb, Book& book) {
  const std::vector<std::string> names = sheet_names(m);
  lxw_format* header = workbook_add_format(wb);
  lxw_format* section = workbook_add_format(wb);
  if (header == nullptr || section == nullptr) {
    book.fail(Span{},
              "cannot write the workbook: libxlsxwriter cannot add a cell format (out of memory)");
    return;
  }
  format_set_bold(header);
  format_set_bg_color(header, 0xF4F6F7);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_bold(section);
  format_set_bg_color(section, 0xEAF2F8);
  std::map<lxw_color_t, lxw_format*> role_formats;
  auto role_format = [&](const RoleSet& r) {
    const lxw_color_t c = colour_of(r);
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
      format_set_bold(f);
      if (c != LXW_COLOR_WHITE) {
        format_set_bg_color(f, c);
        format_set_font_color(f, LXW_COLOR_WHITE);
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
  book.text(ws, 0, 0, "Section", header, "header", Span{});
  book.text(ws, 0, 1, "Activity", header, "header", Span{});
  widths.fit(0, "Section");
  widths.fit(1, "Activity");
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    book.text(ws, 0, col(p + 2), m.parties[p].name, header, "party name", party_span(m.parties[p]));
    widths.fit(p + 2, m.parties[p].name);
  }
  std::size_t row = 1;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      book.text(ws, row_of(row), 0, s.title, nullptr, "section title", s.span);
      book.text(ws, row_of(row), 1, a.title, nullptr, "activity title", a.span);
      widths.fit(0, s.title);
      widths.fit(1, a.title);
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
  book.check(widths.apply(ws), "column widths");
  worksheet_freeze_panes(ws, 1, 2);  // returns nothing to check
  book.check(worksheet_autofilter(ws, 0, 0, row_of(row - 1), col(m.parties.size() + 1)),
             "autofilter");

  // Each party's duties.
  for (std::size_t p = 0; p < m.parties.size() && !book.error; ++p) {
    lxw_worksheet* pw = book.sheet(names[p + 1]);
    Widths w;
    const char* const cols[] = {"Section", "Activity", "Roles"};
    for (lxw_col_t c = 0; c < 3; ++c) {
      book.text(pw, 0, c, cols[c], header, "header", Span{});
      w.fit(c, cols[c]);
    }
    std::size_t r = 1;
    for (const auto& s : m.sections) {
      for (const auto& a : s.activities) {
        if (p >= a.cells.size() || a.cells[p].roles.empty()) continue;
        const std::string t = cell_text(a.cells[p]);
        book.text(pw, row_of(r), 0, s.title, nullptr, "section title", s.span);
        book.text(pw, row_of(r), 1, a.title, nullptr, "activity title", a.span);
        book.text(pw, row_of(r), 2, t, role_format(a.cells[p].roles), "role cell", a.cells[p].span);
        w.fit(0, s.title);
        w.fit(1, a.title);
        ++r;
      }
    }
    if (book.error) return;
    book.check(w.apply(pw), "column widths");
    worksheet_freeze_panes(pw, 1, 0);  // returns nothing to check
    if (r > 1) book.check(worksheet_autofilter(pw, 0, 0, row_of(r - 1), 2), "autofilter");
  }

  // The workload: R, A, C, I per party, overall then per section.
  lxw_worksheet* sw = book.sheet(names.back());
  Widths w;
  std::vector<std::string> shead = {"Section", "Party"};
  for (const char l : m.roles.letters) shead.emplace_back(1, l);
  for (std::size_t c = 0; c < shead.size(); ++c) {
    book.text(sw, 0, col(c), shead[c], header, "header", Span{});
    w.fit(c, shead[c]);
  }
  std::size_t r = 1;
  auto counts = [&](const std::string& title, Span span, auto begin, auto end) {
    for (std::size_t p = 0; p < m.parties.size() && !book.error; ++p) {
      book.text(sw, row_of(r), 0, title, title == "All" ? section : nullptr, "section title", span);
      book.text(sw, row_of(r), 1, m.parties[p].name, nullptr, "party name",
                party_span(m.parties[p]));
      w.fit(0, title);
      w.fit(1, m.parties[p].name);
      for (std::size_t l = 0; l < m.roles.letters.size(); ++l) {
        std::size_t n = 0;
        for (auto s = begin; s != end; ++s) {
          for (const auto& a : s->activities)
            n += p < a.cells.size() && a.cells[p].roles.has_letter(m.roles.letters[l]) ? 1U : 0U;
        }
        book.number(sw, row_of(r), col(l + 2), static_cast<double>(n));
      }
      ++r;
    }
  };
  counts("All", Span{}, m.sections.begin(), m.sections.end());
  for (auto s = m.sections.begin(); s != m.sections.end() && !book.error; ++s)
    counts(s->title, s->span, s, s + 1);
  if (book.error) return;
  book.check(w.apply(sw), "column widths");
  worksheet_freeze_panes(sw, 1, 0);  // returns nothing to check
}

}  // namespace

std::vector<std::string> xlsx_sheet_names(const Matrix& m) {
  return sheet_names(m);
}

Result<std::string> write_xlsx(const Matrix& m) {
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
  Book book(m, wb);
  write_sheets(m, wb, book);
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

}  // namespace racine::reports

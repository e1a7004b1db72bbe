#include "formats/xlsx_writer.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/text.h"

namespace racine {

namespace {

constexpr double k_max_width = 80;

// The colour of a cell: its first role in D, R, A, S, C, I order.
lxw_color_t colour_of(const RoleSet& r) {
  const std::string s = r.to_string();
  if (s.empty()) return LXW_COLOR_WHITE;
  switch (s.front()) {
    case 'D':
      return 0x1E8449;
    case 'R':
      return 0xC0392B;
    case 'A':
      return 0x8E44AD;
    case 'S':
      return 0xD68910;
    case 'C':
      return 0x2471A3;
    case 'I':
      return 0x7F8C8D;
    default:
      return 0x555555;
  }
}

// A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique.
std::string sheet_name(std::string_view wanted, std::set<std::string>& taken) {
  std::string name;
  for (const char c : wanted) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) name += c;
  }
  if (name.empty()) name = "Party";
  // Cut on a code point boundary.
  while (name.size() > 28) {
    name.pop_back();
    while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0U) == 0x80U) name.pop_back();
    if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0U) name.pop_back();
  }
  std::string out = name;
  for (int k = 2; taken.contains(text::fold(out)); ++k) out = fmt::format("{} {}", name, k);
  taken.insert(text::fold(out));
  return out;
}

// Column widths that fit what was written.
struct Widths {
  std::vector<double> w;
  void fit(std::size_t col, std::string_view s) {
    if (w.size() <= col) w.resize(col + 1, 8);
    w[col] = std::min(k_max_width, std::max(w[col], static_cast<double>(text::codepoints(s)) + 2));
  }
  void apply(lxw_worksheet* ws) const {
    for (std::size_t c = 0; c < w.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w[c], nullptr);
    }
  }
};

}  // namespace

std::optional<Error> write_xlsx(const Matrix& m, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return Error{path, 0, 0, "cannot be written"};
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xF4F6F7);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* section = workbook_add_format(wb);
  format_set_bold(section);
  format_set_bg_color(section, 0xEAF2F8);
  std::map<lxw_color_t, lxw_format*> role_formats;
  auto role_format = [&](const RoleSet& r) {
    const lxw_color_t c = colour_of(r);
    auto it = role_formats.find(c);
    if (it == role_formats.end()) {
      lxw_format* f = workbook_add_format(wb);
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
  std::set<std::string> taken;
  auto cell_text = [](const Cell& c) {
    std::string s = c.roles.to_string();
    for (const auto& mk : c.markers) s += mk;
    return s;
  };

  // The matrix.
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name("Matrix", taken).c_str());
  Widths widths;
  std::vector<std::string> head = {"Section", "Activity"};
  for (const auto& p : m.parties) head.push_back(p.name);
  for (std::size_t c = 0; c < head.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), head[c].c_str(), header);
    widths.fit(c, head[c]);
  }
  lxw_row_t row = 1;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      worksheet_write_string(ws, row, 0, s.title.c_str(), nullptr);
      worksheet_write_string(ws, row, 1, a.title.c_str(), nullptr);
      widths.fit(0, s.title);
      widths.fit(1, a.title);
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        if (p >= a.cells.size() || !a.cells[p].present) continue;
        const std::string t = cell_text(a.cells[p]);
        worksheet_write_string(ws, row, static_cast<lxw_col_t>(p + 2), t.c_str(), role_format(a.cells[p].roles));
        widths.fit(p + 2, t);
      }
      ++row;
    }
  }
  widths.apply(ws);
  worksheet_freeze_panes(ws, 1, 2);
  worksheet_autofilter(ws, 0, 0, row - 1, static_cast<lxw_col_t>(head.size() - 1));

  // Each party's duties.
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    lxw_worksheet* pw = workbook_add_worksheet(wb, sheet_name(m.parties[p].name, taken).c_str());
    Widths w;
    const char* const cols[] = {"Section", "Activity", "Roles"};
    for (lxw_col_t c = 0; c < 3; ++c) {
      worksheet_write_string(pw, 0, c, cols[c], header);
      w.fit(c, cols[c]);
    }
    lxw_row_t r = 1;
    for (const auto& s : m.sections) {
      for (const auto& a : s.activities) {
        if (p >= a.cells.size() || a.cells[p].roles.empty()) continue;
        const std::string t = cell_text(a.cells[p]);
        worksheet_write_string(pw, r, 0, s.title.c_str(), nullptr);
        worksheet_write_string(pw, r, 1, a.title.c_str(), nullptr);
        worksheet_write_string(pw, r, 2, t.c_str(), role_format(a.cells[p].roles));
        w.fit(0, s.title);
        w.fit(1, a.title);
        ++r;
      }
    }
    w.apply(pw);
    worksheet_freeze_panes(pw, 1, 0);
    if (r > 1) worksheet_autofilter(pw, 0, 0, r - 1, 2);
  }

  // The workload: R, A, C, I per party, overall then per section.
  lxw_worksheet* sw = workbook_add_worksheet(wb, sheet_name("Summary", taken).c_str());
  Widths w;
  std::vector<std::string> shead = {"Section", "Party"};
  for (const char l : m.roles.letters) shead.emplace_back(1, l);
  for (std::size_t c = 0; c < shead.size(); ++c) {
    worksheet_write_string(sw, 0, static_cast<lxw_col_t>(c), shead[c].c_str(), header);
    w.fit(c, shead[c]);
  }
  lxw_row_t r = 1;
  auto counts = [&](const std::string& title, auto begin, auto end) {
    for (std::size_t p = 0; p < m.parties.size(); ++p) {
      worksheet_write_string(sw, r, 0, title.c_str(), title == "All" ? section : nullptr);
      worksheet_write_string(sw, r, 1, m.parties[p].name.c_str(), nullptr);
      w.fit(0, title);
      w.fit(1, m.parties[p].name);
      for (std::size_t l = 0; l < m.roles.letters.size(); ++l) {
        std::size_t n = 0;
        for (auto s = begin; s != end; ++s) {
          for (const auto& a : s->activities) n += p < a.cells.size() && a.cells[p].roles.has_letter(m.roles.letters[l]) ? 1U : 0U;
        }
        worksheet_write_number(sw, r, static_cast<lxw_col_t>(l + 2), static_cast<double>(n), nullptr);
      }
      ++r;
    }
  };
  counts("All", m.sections.begin(), m.sections.end());
  for (auto s = m.sections.begin(); s != m.sections.end(); ++s) counts(s->title, s, s + 1);
  w.apply(sw);
  worksheet_freeze_panes(sw, 1, 0);

  const lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) return Error{path, 0, 0, fmt::format("cannot be written: {}", lxw_strerror(e))};
  return std::nullopt;
}

}  // namespace racine

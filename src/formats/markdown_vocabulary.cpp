#include "formats/markdown_vocabulary.h"

#include <cctype>
#include <vector>

#include "core/text.h"
#include "formats/pipe_row.h"

namespace racine::markdown {

RoleVocabulary detect_roles(const SourceFile& src, const std::string& title) {
  RoleVocabulary v;
  RoleSet declared;
  std::vector<LegendEntry> legend;
  bool raci = false;
  bool rasci = false;
  bool daci = false;
  auto names_variant = [&](std::string_view text) {
    for (const auto& w : text::words(text::fold(text))) {
      raci = raci || w == "raci";
      rasci = rasci || w == "rasci";
      daci = daci || w == "daci";
    }
  };
  names_variant(title);
  bool cells_r = false;
  bool cells_d = false;
  bool cells_s = false;
  // A cell that holds role letters only, with separators and markers ("RA", "**D**",
  // "A*", "R/A", "C, I", "R¹"): which letters; empty for words ("S (small)") and names
  // joined by "&" ("R&D").
  auto role_letters = [](std::string_view cell) {
    std::string letters;
    for (const char c : cell) {
      if (c >= 'A' && c <= 'Z') {
        letters += c;
      } else if ((c >= 'a' && c <= 'z') || c == '&') {
        return std::string();
      }
    }
    if (letters.size() > 4 || letters.find_first_not_of("RACIDS") != std::string::npos)
      return std::string();
    return letters;
  };
  // The letters of a body row's cells count when the row reads as roles: S or D only
  // beside another cell holding R, A, C or I (a size column's "S" or a "CI/CD" cell
  // alone says nothing).
  auto row_letters = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string& own = cells[c];
      if (own.empty()) continue;
      bool beside = false;
      for (std::size_t k = 0; k < cells.size() && !beside; ++k)
        beside = k != c && cells[k].find_first_of("RACI") != std::string::npos;
      cells_r = cells_r || own.find('R') != std::string::npos;
      if (!beside) continue;
      cells_d = cells_d || own.find('D') != std::string::npos;
      cells_s = cells_s || own.find('S') != std::string::npos;
    }
  };
  // Headings and legend rows first; then the letters cells use, where they can decide:
  // S (RASCI) or D (DACI) in a cell, and R when D is used or DACI named.
  for (std::uint32_t l = 1; l <= src.line_count(); ++l) {
    const std::string_view line = text::trim(src.line(l));
    if (line.starts_with('#')) {
      names_variant(line);
      continue;
    }
    if (!line.starts_with('|')) continue;
    // A legend row's first cell starts with "(", "**(" or "__(": others need no split.
    const std::string_view lead = text::trim(line.substr(1));
    if (!lead.starts_with('(') && !lead.starts_with("**(") && !lead.starts_with("__(")) continue;
    const auto cells = split_pipe_row(line);
    if (cells.empty()) continue;
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
  // Body rows of tables (not headers: a party named "D" or "/x?D" says nothing of the
  // letters used), read only when they can hold what is looked for.
  auto scan_cells = [&](auto wanted, auto done) {
    bool fenced = false;  // rows shown as code are no table
    for (std::uint32_t l = 1; l <= src.line_count() && !done(); ++l) {
      const std::string_view line = text::trim(src.line(l));
      if (line.starts_with("```") || line.starts_with("~~~")) fenced = !fenced;
      if (fenced || !line.starts_with('|') || !wanted(line)) continue;
      const std::string_view next = l < src.line_count() ? text::trim(src.line(l + 1)) : "";
      // A header row. The row below must be a real delimiter row (every cell dashes): a
      // body row of empty cells and one "-" (explicit no role) is not one, and taken for
      // one it left the R above it uncounted (a document naming DACI in a heading then
      // read its R cells as unknown roles).
      if (next.starts_with('|') && is_delimiter_row(next)) continue;
      const auto cells = split_pipe_row(line);
      std::vector<std::string> letters;
      for (std::size_t c = 1; c < cells.size(); ++c)
        letters.push_back(role_letters(line.substr(cells[c].begin, cells[c].end - cells[c].begin)));
      row_letters(letters);
    }
  };
  scan_cells(
      [](std::string_view line) {
        // Two memchr scans: far cheaper than find_first_of's per-byte set lookup.
        return line.find('D') != std::string_view::npos || line.find('S') != std::string_view::npos;
      },
      [&] { return cells_d && cells_s; });
  if ((daci || cells_d) && !cells_r) {
    scan_cells([](std::string_view line) { return line.find('R') != std::string_view::npos; },
               [&] { return cells_r; });
  }
  // A document that names both RACI and DACI and whose cells use both R and D holds a
  // table of each: its letters are both sets (DRACI); the rules tell a row's kind by its
  // letters (RAC203 and RAC206).
  if (daci && raci && cells_r && cells_d) {
    v.letters = "DRACI";
    if (legend.size() >= 2) {
      v.letters = RoleSet::from_letters(v.letters + declared.to_string()).to_string();
      v.legend = std::move(legend);
    }
    return v;
  }
  // Letters decide when nothing is named: D without R is DACI, S is RASCI.
  if (!daci && !rasci && cells_d && !cells_r) daci = true;
  if (!daci && !rasci && cells_s) rasci = true;
  if (daci && cells_r && !cells_d) daci = false;
  v.letters = daci ? "DACI" : rasci ? "RASCI" : "RACI";
  if (legend.size() >= 2) {
    // The legend adds its letters; RAC106 compares what it declares with what cells use.
    v.letters = RoleSet::from_letters(v.letters + declared.to_string()).to_string();
    v.legend = std::move(legend);
  }
  return v;
}
}  // namespace racine::markdown

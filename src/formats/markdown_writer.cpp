#include "formats/markdown_writer.h"

#include <algorithm>

#include "core/text.h"

namespace racine {

namespace {

// The first header cell, in the matrix's language.
std::string_view activity_header(std::string_view language) {
  if (language == "fr") return "Activité";
  if (language == "de") return "Aktivität";
  if (language == "es") return "Actividad";
  if (language == "it") return "Attività";
  return "Activity";
}

// A cell's text, safe inside a pipe table.
std::string escape_cell(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void write_table(std::string& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 3);
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], text::codepoints(r[c]));
  }
  auto line = [&](const std::vector<std::string>& r) {
    out += '|';
    for (std::size_t c = 0; c < width.size(); ++c) {
      const std::string& cell = c < r.size() ? r[c] : std::string();
      out += ' ';
      out += cell;
      out.append(width[c] - text::codepoints(cell), ' ');
      out += " |";
    }
    out += '\n';
  };
  line(rows.front());
  out += '|';
  for (const std::size_t w : width) {
    out += ' ';
    out.append(w, '-');
    out += " |";
  }
  out += '\n';
  for (std::size_t r = 1; r < rows.size(); ++r) line(rows[r]);
}

}  // namespace

std::string write_markdown(const Matrix& m) {
  std::string out;
  if (!m.title.empty()) out += "# " + m.title + "\n\n";
  // Each note goes after the last section that refers to it; the others at the end.
  std::vector<int> note_section(m.notes.size(), -1);
  for (const auto& use : m.marker_uses) {
    if (use.note >= 0) {
      auto& at = note_section[static_cast<std::size_t>(use.note)];
      at = std::max(at, static_cast<int>(use.section));
    }
  }
  // "*Text" as the documents write it; "(1) Text" for the other markers.
  auto write_note = [&](const Note& n) {
    out += n.marker;
    if (n.marker != "*") out += ' ';
    out += n.text;
    out += "\n\n";
  };
  for (std::size_t s = 0; s < m.sections.size(); ++s) {
    const Section& sec = m.sections[s];
    if (!sec.title.empty()) out += "## " + sec.title + "\n\n";
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{std::string(activity_header(m.language))};
    for (const auto& p : m.parties) header.push_back(escape_cell(p.name));
    rows.push_back(std::move(header));
    for (const auto& a : sec.activities) {
      std::string title = escape_cell(a.title);
      // A marker inside the title ("(opérateurs*)") is already written there.
      for (const auto& mk : a.title_markers) {
        if (a.title.find(mk) == std::string::npos) title += mk;
      }
      std::vector<std::string> row{std::move(title)};
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        std::string cell;
        if (p < a.cells.size() && a.cells[p].present) {
          cell = a.cells[p].roles.to_string();
          for (const auto& mk : a.cells[p].markers) cell += mk;
        }
        row.push_back(escape_cell(cell));
      }
      rows.push_back(std::move(row));
    }
    write_table(out, rows);
    out += '\n';
    for (std::size_t n = 0; n < m.notes.size(); ++n) {
      if (note_section[n] == static_cast<int>(s)) write_note(m.notes[n]);
    }
  }
  for (std::size_t n = 0; n < m.notes.size(); ++n) {
    if (note_section[n] < 0) write_note(m.notes[n]);
  }
  if (m.gray_zone) out += m.gray_zone->text + "\n";
  while (out.size() > 1 && out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace racine

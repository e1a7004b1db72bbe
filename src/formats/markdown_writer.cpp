#include "formats/markdown_writer.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/roles.h"
#include "core/text.h"
#include "core/vocabulary.h"

namespace racine {

namespace {

// Number of runs of `c` in `s` ("a**b*" has two runs of '*').
std::size_t runs_of(std::string_view s, char c) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == c && (i == 0 || s[i - 1] != c)) ++n;
  }
  return n;
}

// True when `s` at `i` starts an entity or numeric reference ("&amp;", "&#35;").
bool entity_at(std::string_view s, std::size_t i) {
  std::size_t k = i + 1;
  if (k < s.size() && s[k] == '#') ++k;
  const std::size_t first = k;
  while (k < s.size() && std::isalnum(static_cast<unsigned char>(s[k])) != 0) ++k;
  return k > first && k < s.size() && s[k] == ';';
}

}  // namespace

std::string markdown_text(std::string_view s) {
  const std::string t = text::collapse_spaces(s);
  // Emphasis, code spans, strikethrough and links need two delimiters: one alone is
  // literal and stays unescaped, so that "opérateurs*" and "RA*" read as written.
  const bool stars = runs_of(t, '*') > 1;
  const bool unders = runs_of(t, '_') > 1;
  const bool ticks = runs_of(t, '`') > 1;
  const bool tildes = runs_of(t, '~') > 1;
  const bool brackets = t.find('[') != std::string::npos && t.find(']') != std::string::npos;
  std::size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  // The closing sequence of an ATX heading: the trailing run of '#'.
  std::size_t hashes = t.size();
  while (hashes > 0 && t[hashes - 1] == '#') --hashes;
  std::string out;
  out.reserve(t.size() + 8);
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += "&#" + std::to_string(u) + ';';  // cmark-gfm decodes it back
      continue;
    }
    bool escape = false;
    switch (c) {
      case '\\':
      case '|':
      case '<': escape = true; break;
      case '*': escape = stars || i == 0; break;
      case '_': escape = unders || i == 0; break;
      case '`': escape = ticks || i == 0; break;
      case '~': escape = tildes || i == 0; break;
      case '[':
      case ']': escape = brackets; break;
      case '&': escape = entity_at(t, i); break;
      case '#': escape = i == 0 || i >= hashes; break;
      // Block markers at the start of a line: list items, quotes, setext underlines,
      // thematic breaks, and a delimiter row's cells.
      case '-':
      case '+':
      case '=':
      case '>': escape = i == 0; break;
      // "http://", "mailto:": an autolink, which would take the text after it raw.
      case ':':
        escape = i == 0 || t.compare(i + 1, 2, "//") == 0 ||
                 (i >= 6 && text::fold(t.substr(i - 6, 6)) == "mailto") ||
                 (i >= 4 && text::fold(t.substr(i - 4, 4)) == "xmpp");
        break;
      case '.':
        // "1." starts a list; "www." an autolink, which would take the text after it raw.
        escape = (i == digits && digits > 0) || (i >= 3 && text::fold(t.substr(i - 3, 3)) == "www");
        break;
      case ')': escape = i == digits && digits > 0; break;  // "1)" starts a list
      default: break;
    }
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

std::string cell_text(RoleSet roles, const std::vector<std::string>& markers) {
  std::string out = roles.to_string();
  for (std::size_t k = 0; k < markers.size(); ++k) {
    const std::size_t before = out.size();
    out += markers[k];
    const auto read = parse_role_cell(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ").markers;
    if (read.size() != k + 1 || read.back() != markers[k])
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(before), ' ');
  }
  return out;
}

namespace {

// The first header cell, in the matrix's language.
std::string_view activity_header(std::string_view language) {
  if (language == "fr") return "Activité";
  if (language == "de") return "Aktivität";
  if (language == "es") return "Actividad";
  if (language == "it") return "Attività";
  return "Activity";
}

void write_table(std::string& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 3);
    for (std::size_t c = 0; c < r.size(); ++c)
      width[c] = std::max(width[c], text::codepoints(r[c]));
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
  if (const std::string title = markdown_text(m.title); !title.empty())
    out += "# " + title + "\n\n";
  // Each note goes after the last section that refers to it; the others at the end.
  std::vector<int> note_section(m.notes.size(), -1);
  for (const auto& use : m.marker_uses) {
    if (use.note >= 0) {
      auto& at = note_section[static_cast<std::size_t>(use.note)];
      at = std::max(at, static_cast<int>(use.section));
    }
  }
  // "*Text" as the documents write it; "(1) Text" for the other markers, and for a
  // star when the text holds a star too or would lengthen the marker ("**", "*(1)").
  // Escaped as one paragraph, so that the marker's star counts among the text's.
  auto write_note = [&](const Note& n) {
    const std::string text = text::collapse_spaces(n.text);
    if (n.marker == "*" && text.find('*') == std::string::npos &&
        leading_marker("*" + text) == "*") {
      out += '*';
      out += markdown_text(text);
    } else {
      out += markdown_text(n.marker + " " + text);
    }
    out += "\n\n";
  };
  for (std::size_t s = 0; s < m.sections.size(); ++s) {
    const Section& sec = m.sections[s];
    // A section without a title still gets its heading ("##"): without one, its table
    // would join the section above, or take the matrix's title.
    const std::string heading = markdown_text(sec.title);
    out += heading.empty() ? "##\n\n" : "## " + heading + "\n\n";
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{std::string(activity_header(m.language))};
    for (const auto& p : m.parties) header.push_back(markdown_text(p.name));
    rows.push_back(std::move(header));
    for (const auto& a : sec.activities) {
      std::string title = a.title;
      // A marker inside the title ("(opérateurs*)") is already written there.
      for (const auto& mk : a.title_markers) {
        if (a.title.find(mk) == std::string::npos) title += mk;
      }
      std::vector<std::string> row{markdown_text(title)};
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        std::string cell;
        if (p < a.cells.size() && a.cells[p].present) {
          cell = cell_text(a.cells[p].roles, a.cells[p].markers());
        }
        row.push_back(markdown_text(cell));
      }
      // An activity without roles whose title reads as a heading, or that a row with
      // roles follows, would read back as a section row (docs/markdown.md): an explicit
      // "no role" keeps it an activity.
      const std::size_t i = static_cast<std::size_t>(&a - sec.activities.data());
      const bool roles_below =
          i + 1 < sec.activities.size() &&
          std::any_of(sec.activities[i + 1].cells.begin(), sec.activities[i + 1].cells.end(),
                      [](const Cell& c) { return c.present && !c.roles.empty(); });
      if (row.size() > 1 &&
          (roles_below || vocabulary::reads_as_heading(text::collapse_spaces(title))) &&
          std::all_of(row.begin() + 1, row.end(), [](const std::string& c) { return c.empty(); }))
        row[1].push_back('-');  // empty: all_of said so
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
  if (m.gray_zone) out += markdown_text(m.gray_zone->text) + "\n";
  while (out.size() > 1 && out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace racine

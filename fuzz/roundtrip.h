#pragma once
// The differential round trip of the writers, shared by fuzz/fuzz_roundtrip.cpp and the
// unit tests (tests/unit/formats/test_roundtrip.cpp): a matrix is written in one format,
// the text is loaded and read back as a file would be, and the two models are compared
// on what that format promises to keep (docs/formats.md, "What a round trip keeps"):
//
//  - YAML and JSON keep everything the tests look at: title, language, role letters,
//    parties (ids and names), sections (empty ones too), activity ids, titles, title
//    markers, cells (present or not, roles, markers), notes (marker, text, section) and
//    the gray zone.
//  - CSV keeps parties, sections, activity ids and titles, roles and markers, every
//    string exactly; it drops the title, language, notes, gray zone and role vocabulary
//    (cells are read as RACI), every party is present on every row, sections without
//    activities vanish and consecutive sections with one title are one. An activity
//    needs a title.
//  - Markdown keeps text up to white space (each run of white space is one space, the
//    ends are trimmed: Markdown cannot carry a newline in a cell or a heading); the ids
//    are derived from the titles; a party's name is read as a header (role words such
//    as "Role" dropped); a matrix without a title takes its first heading's; notes come
//    back in the order they are written; sections without activities vanish. Every
//    party is present on every row. No suppression comes back. It keeps RACI only (a
//    title naming RASCI or DACI changes how cells read); and a party column is known
//    by its cells, so the first row of each section gives every party a role (the
//    builder below makes sure of it).
//
// `build_matrix` makes a matrix from a fuzzer's bytes; `difference` returns "" when the
// round trip keeps what it promises, else both views.

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"
#include "core/party_names.h"
#include "core/roles.h"
#include "core/text.h"
#include "core/vocabulary.h"
#include "formats/document.h"
#include "formats/loader.h"

namespace racine::roundtrip {

// Reads choices and strings from the fuzzer's bytes; past the end, zeros.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

  std::uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : byte() % n; }
  bool flag() { return (byte() & 1U) != 0; }

  // A string of pieces: tokens that mean something to one of the formats, and raw bytes
  // made valid UTF-8 without NUL (what every reader gives, the loader refusing others).
  std::string string() {
    static const std::vector<std::string_view> k_tokens = {
        "|",
        "\\",
        "`",
        "``",
        "*",
        "**",
        "_",
        "__",
        "<!-- racine-disable-next-line RAC202 -->",
        "<!--",
        "-->",
        "#",
        "## ",
        ">",
        "-",
        "- ",
        "+",
        "=",
        "1.",
        "2)",
        "\n",
        "\r",
        "\t",
        "\r\n",
        " ",
        "  ",
        "[",
        "]",
        "[x](y)",
        "(1)",
        "[1]",
        "\xC2\xB9",
        "&amp;",
        "&#35;",
        "&",
        "~",
        "~~",
        ":",
        "'",
        "\"",
        ",",
        "@",
        "http://x.y/z",
        "www.a.b",
        "a@b.co",
        "\xC3\xA9",
        "\xC2\xA0",
        "\xE2\x80\xA8",
        "\x01",
        "\x7F",
        "\f",
        "\v",
        "<br>",
        "---",
        "| --- |",
        "RA",
        "Zone grise",
        "Role",
        "Client",
        "Activity",
        "<b>",
        "\xEF\xBB\xBF",
        "0",
        "9.",
        "yes",
        "null",
        "{",
        "}",
        "!",
        "$",
        "%",
        "^"};
    std::string s;
    const std::size_t pieces = below(6);
    for (std::size_t i = 0; i < pieces; ++i) {
      const std::uint8_t k = byte();
      if (k < 128) {
        s += k_tokens[k % k_tokens.size()];
      } else {
        const std::size_t n = 1 + below(6);
        for (std::size_t j = 0; j < n; ++j) s += static_cast<char>(byte());
      }
    }
    // Invalid UTF-8 and NUL bytes become '?'.
    for (;;) {
      const auto bad = text::find_invalid_utf8(s);
      if (!bad) break;
      s[*bad] = '?';
    }
    return s;
  }

 private:
  const std::uint8_t* m_data;
  std::size_t m_size;
  std::size_t m_pos = 0;
};

inline const std::vector<std::string>& marker_pool() {
  static const std::vector<std::string> pool = {"*",   "**",       "(1)",     "(2)",
                                                "[1]", "\xC2\xB9", "\xC2\xB2"};
  return pool;
}

// A matrix as a reader makes one: ids unique, party ids the slugs of their names, title
// markers found in the title, cell text from roles and markers, at least one activity,
// and every party with a role in the first row of each section.
inline Matrix build_matrix(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  Matrix m;
  m.id = "fuzz";
  m.title = in.string();
  static const std::vector<std::string> languages = {"", "fr", "en", "de", "es", "it"};
  m.language = languages[in.below(languages.size())];
  static const std::vector<std::string> vocabularies = {"RACI", "RACI", "RACI", "RASCI", "DACI"};
  m.roles.letters = vocabularies[in.below(vocabularies.size())];
  const std::size_t parties = 1 + in.below(4);
  for (std::size_t p = 0; p < parties; ++p) {
    Party party;
    party.name = in.string();
    party.id = text::slugify(party.name);
    const bool taken = std::any_of(m.parties.begin(), m.parties.end(),
                                   [&](const Party& o) { return o.id == party.id; });
    if (party.id.empty() || taken) {
      party.name = "Party " + std::to_string(p + 1);
      party.id = text::slugify(party.name);
    }
    m.parties.push_back(std::move(party));
  }
  std::vector<std::string> ids;
  const std::string& letters = m.roles.letters;
  const std::size_t sections = 1 + in.below(3);
  for (std::size_t s = 0; s < sections; ++s) {
    Section sec;
    sec.title = in.string();
    sec.level = 2;
    const std::size_t activities = (s == 0 ? 1 : 0) + in.below(4);
    for (std::size_t a = 0; a < activities; ++a) {
      Activity act;
      act.title = in.string();
      act.title_markers = find_markers(act.title);
      act.id = in.flag() ? in.string() : text::slugify(act.title);
      for (std::size_t k = ids.size() + 1;
           act.id.empty() || std::find(ids.begin(), ids.end(), act.id) != ids.end(); ++k) {
        act.id =
            fmt::format("a{}", k);  // not "a" + to_string(k): a GCC 12 -Wrestrict false positive
      }
      ids.push_back(act.id);
      act.explicit_id = true;
      act.table = static_cast<std::uint32_t>(s);
      act.cells.resize(m.parties.size());
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        Cell& c = act.cells[p];
        const std::uint8_t pick = in.byte();
        c.present = a == 0 || (pick & 1U) != 0;
        if (!c.present) continue;
        for (const char l : letters) {
          if ((in.byte() & 3U) == 0) c.roles.add_letter(l);
        }
        if (a == 0 && c.roles.empty()) c.roles.add_letter(letters[pick % letters.size()]);
        const std::size_t markers = in.below(3);
        // Distinct: the canonical format keeps a cell's markers as a set.
        for (std::size_t k = 0; k < markers; ++k) {
          const std::string& mk = marker_pool()[in.below(marker_pool().size())];
          if (std::find(c.markers().begin(), c.markers().end(), mk) == c.markers().end())
            c.edit().markers.push_back(mk);
        }
        c.text = c.roles.to_string();
        for (const auto& mk : c.markers()) c.text += mk;
      }
      sec.activities.push_back(std::move(act));
    }
    m.sections.push_back(std::move(sec));
  }
  const std::size_t notes = in.below(4);
  for (std::size_t n = 0; n < notes; ++n) {
    Note note;
    note.marker = marker_pool()[in.below(marker_pool().size())];
    note.text = in.string();
    if (text::trim(note.text).empty()) note.text = "note";
    note.after_section = static_cast<int>(in.below(m.sections.size() + 1)) - 1;
    m.notes.push_back(std::move(note));
  }
  if (in.flag()) m.gray_zone = GrayZone{"Zone grise : " + in.string(), {}};
  return m;
}

// What the round trip through `f` must give back from `m`, or nullopt when `m` holds
// something `f` does not promise to carry (see the header).
inline std::optional<Matrix> expected(const Matrix& m, Format f) {
  if (f == Format::yaml || f == Format::json) return m;
  Matrix e = m;
  const bool markdown = f == Format::markdown;
  auto md = [&](const std::string& s) { return markdown ? text::collapse_spaces(s) : s; };
  if (markdown) {
    if (m.roles.letters != "RACI") return std::nullopt;
    PartyResolver resolver;
    for (auto& p : e.parties) {
      const std::string header = text::collapse_spaces(p.name);
      if (vocabulary::is_free_text_header(text::fold(header)) ||
          vocabulary::role_header(text::fold(header)))
        return std::nullopt;
      p.name = party_name_from_header(header);
      if (p.name.empty()) return std::nullopt;
    }
    for (auto& n : e.notes) {
      n.text = md(n.text);
      if (n.text.empty() || vocabulary::is_gray_zone_note(text::fold(n.marker + " " + n.text)))
        return std::nullopt;
    }
    if (e.gray_zone) e.gray_zone->text = md(e.gray_zone->text);
    e.title = md(m.title);
    if (e.title.empty()) {
      for (const auto& s : m.sections) {
        if (!md(s.title).empty()) {
          e.title = md(s.title);
          break;
        }
      }
    }
  } else {
    for (const auto& s : m.sections) {
      for (const auto& a : s.activities) {
        if (a.title.empty()) return std::nullopt;  // CSV: an activity needs a title
      }
    }
  }
  std::vector<Section> sections;
  for (auto& s : e.sections) {
    if (s.activities.empty()) continue;
    s.title = md(s.title);
    for (auto& a : s.activities) {
      // A title written `NaN`, `null`... is a spreadsheet's empty cell in Markdown.
      a.title = md(a.title);
      if (markdown && is_spreadsheet_residue(a.title)) return std::nullopt;
      a.title_markers = find_markers(a.title);
      for (auto& c : a.cells) {
        if (!c.present) c = Cell{};
        c.present = true;
        if (!markdown) {  // CSV reads cells as RACI
          RoleSet keep;
          for (const char l : std::string_view("RACI")) {
            if (c.roles.has_letter(l)) keep.add_letter(l);
          }
          c.roles = keep;
        }
      }
    }
    if (!markdown && !sections.empty() && sections.back().title == s.title) {
      for (auto& a : s.activities) sections.back().activities.push_back(std::move(a));
    } else {
      sections.push_back(std::move(s));
    }
  }
  e.sections = std::move(sections);
  return e;
}

// The parts of `m` that format `f` promises to keep, as text.
inline std::string view(const Matrix& m, Format f) {
  const bool canonical = f == Format::yaml || f == Format::json;
  const bool markdown = f == Format::markdown;
  std::string out;
  auto quote = [&](std::string_view s) {
    out += '"';
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7F || c == '"' || c == '\\') {
        static const char* const hex = "0123456789abcdef";
        out += "\\x";
        out += hex[u >> 4U];
        out += hex[u & 15U];
      } else {
        out += c;
      }
    }
    out += '"';
  };
  if (f != Format::csv) {
    out += "title ";
    quote(m.title);
    out += '\n';
  }
  if (canonical) out += "language " + m.language + "\nroles " + m.roles.letters + "\n";
  for (const auto& p : m.parties) {
    out += "party ";
    if (!markdown) quote(p.id);
    quote(p.name);
    out += '\n';
  }
  for (const auto& s : m.sections) {
    out += "section ";
    quote(s.title);
    out += '\n';
    for (const auto& a : s.activities) {
      out += "  activity ";
      if (!markdown) quote(a.id);
      quote(a.title);
      for (const auto& mk : a.title_markers) quote(mk);
      out += '\n';
      for (std::size_t p = 0; p < m.parties.size(); ++p) {
        const Cell c = p < a.cells.size() ? a.cells[p] : Cell{};
        out += "    ";
        out += c.present ? c.roles.to_string() : "(absent)";
        for (const auto& mk : c.markers()) quote(mk);
        out += '\n';
      }
    }
  }
  if (f == Format::csv) return out;
  std::vector<std::string> notes;
  for (const auto& n : m.notes) {
    std::string v = out;
    out.clear();
    out += "note ";
    quote(n.marker);
    quote(n.text);
    if (canonical) out += " section " + std::to_string(n.after_section);
    notes.push_back(out);
    out = std::move(v);
  }
  if (markdown) std::sort(notes.begin(), notes.end());
  for (const auto& n : notes) out += n + "\n";
  if (m.gray_zone) {
    out += "gray zone ";
    quote(m.gray_zone->text);
    out += '\n';
  }
  if (markdown) out += "suppressions " + std::to_string(m.suppressions.size()) + "\n";
  return out;
}

// "" when `m` written as `f` reads back as promised (or `f` promises nothing for `m`),
// else what went wrong with both views and the text written.
inline std::string difference(const Matrix& m, Format f) {
  const auto want = expected(m, f);
  if (!want) return {};
  const std::string written = write_document(m, f);
  const std::string name = std::string("roundtrip.") + std::string(format_name(f));
  auto src = load_text(written, name, Limits{});
  if (!src) return "written text does not load: " + src.error().to_string() + "\n" + written;
  auto back = read_document(*src, f, ReadOptions{});
  if (!back) return "written text does not read: " + back.error().to_string() + "\n" + written;
  const std::string a = view(*want, f);
  const std::string b = view(*back, f);
  if (a == b) return {};
  // The first line that differs, then both views and the text.
  std::size_t at = 0;
  std::size_t line = 1;
  while (at < a.size() && at < b.size() && a[at] == b[at]) {
    if (a[at] == '\n') ++line;
    ++at;
  }
  auto line_at = [&](const std::string& s) {
    const std::size_t from = s.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t begin = from == std::string::npos || at == 0 ? 0 : from + 1;
    return s.substr(begin, s.find('\n', begin) - begin);
  };
  return "line " + std::to_string(line) + ": expected [" + line_at(a) + "] read back [" +
         line_at(b) + "]\n--- expected\n" + a + "--- read back\n" + b + "--- written\n" + written;
}

}  // namespace racine::roundtrip

#include "core/roles.h"

#include <algorithm>

#include "core/text.h"

namespace racine {

namespace {

constexpr std::string_view k_order = "DRASCI";

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

RoleSet RoleSet::from_letters(std::string_view letters) {
  RoleSet s;
  for (const char c : letters) s.add_letter(c);
  return s;
}

bool RoleSet::has_letter(char letter) const {
  letter = upper(letter);
  return is_upper(letter) && (m_bits & (1U << static_cast<unsigned>(letter - 'A'))) != 0;
}

void RoleSet::add_letter(char letter) {
  letter = upper(letter);
  if (is_upper(letter)) m_bits |= 1U << static_cast<unsigned>(letter - 'A');
}

void RoleSet::remove(Role r) {
  m_bits &= ~(1U << static_cast<unsigned>(static_cast<char>(r) - 'A'));
}

std::string RoleSet::to_string() const {
  std::string out;
  for (const char c : k_order) {
    if (has_letter(c)) out += c;
  }
  for (char c = 'A'; c <= 'Z'; ++c) {
    if (has_letter(c) && k_order.find(c) == std::string_view::npos) out += c;
  }
  return out;
}

char role_letter(Role r) {
  return static_cast<char>(r);
}

std::string RoleVocabulary::name() const {
  return RoleSet::from_letters(letters).to_string();
}

std::string RoleVocabulary::listed() const {
  std::string out;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (i > 0) out += ", ";
    out += letters[i];
  }
  return out;
}

namespace {

constexpr std::string_view k_superscripts[] = {
    "\xC2\xB9",     "\xC2\xB2",     "\xC2\xB3",     "\xE2\x81\xB0", "\xE2\x81\xB4",
    "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};

// Length of a superscript digit at the start of `s`, or 0.
std::size_t superscript_at(std::string_view s) {
  if (s.empty() || (s[0] != '\xC2' && s[0] != '\xE2')) return 0;
  for (const auto sup : k_superscripts) {
    if (text::starts_with(s, sup)) return sup.size();
  }
  return 0;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Length of a numbered marker "(12)" or "[12]" at the start of `s`, or 0. Three digits
// or more ("(2024)") are no footnote.
std::size_t numbered_marker_at(std::string_view s) {
  if (s.size() < 3 || (s[0] != '(' && s[0] != '[')) return 0;
  const char close = s[0] == '(' ? ')' : ']';
  std::size_t i = 1;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 1 || i > 3 || i >= s.size() || s[i] != close) return 0;
  return i + 1;
}

// "-", "—", "N/A"... compared without case; short cells only, no allocation. A
// spreadsheet's empty cell as pandas or Excel exports it ("NaN", "None", "null", "#N/A")
// is no role either, never the letter A of "NaN".
bool is_no_role_token(std::string_view s) {
  static constexpr std::string_view k_tokens[] = {
      "-", "--",  "\xE2\x80\x94", "\xE2\x80\x93", "n/a", "na", "n.a.", "/", "\xE2\x88\x85",
      ".", "nan", "none",         "null",         "#n/a"};
  if (s.size() > 4) return false;
  for (const auto t : k_tokens) {
    if (t.size() != s.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < t.size() && same; ++i) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == t[i];
    }
    if (same) return true;
  }
  return false;
}

// Separators allowed between role letters.
std::size_t separator_at(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s[0];
  if (c == ' ' || c == ',' || c == '/' || c == '+' || c == '&' || c == ';' || c == '-' ||
      c == '\t' || c == '|') {
    return 1;
  }
  if (static_cast<unsigned char>(c) < 0x80) return 0;
  static constexpr std::string_view k_multi[] = {"\xC2\xB7", "\xE2\x80\xA2", "\xC2\xA0",
                                                 "\xE2\x80\x94", "\xE2\x80\x93"};
  for (const auto m : k_multi) {
    if (text::starts_with(s, m)) return m.size();
  }
  return 0;
}

}  // namespace

namespace {

// Role letters, separators, markers and parenthesised remarks, character by character;
// anything else is `unknown`.
RoleCell parse_codes(std::string_view rendered, std::string_view letters) {
  RoleCell cell;
  const std::string_view s = text::trim(rendered);
  if (s.empty()) return cell;
  if (is_no_role_token(s)) {
    cell.no_role = true;
    return cell;
  }
  // Most cells are role letters alone ("RA", "R, A", "C/I"): read them without the
  // general loop's marker and separator tests.
  {
    RoleSet roles;
    bool plain = true;
    for (const char c : s) {
      if (is_upper(c) && letters.find(c) != std::string_view::npos) {
        roles.add_letter(c);
      } else if (c != ' ' && c != ',' && c != '/') {
        plain = false;
        break;
      }
    }
    if (plain) {
      cell.roles = roles;
      return cell;
    }
  }
  std::size_t i = 0;
  while (i < s.size()) {
    const std::string_view rest = s.substr(i);
    if (const auto n = numbered_marker_at(rest)) {
      cell.markers.emplace_back(rest.substr(0, n));
      i += n;
    } else if (const auto sup = superscript_at(rest)) {
      cell.markers.emplace_back(rest.substr(0, sup));
      i += sup;
    } else if (rest[0] == '*' || rest[0] == '\xE2') {
      // "*", "**", and the dagger signs † (E2 80 A0) and ‡ (E2 80 A1).
      if (rest[0] == '*') {
        std::size_t stars = 0;
        while (stars < rest.size() && rest[stars] == '*') ++stars;
        cell.markers.emplace_back(rest.substr(0, stars));
        i += stars;
      } else if (text::starts_with(rest, "\xE2\x80\xA0") ||
                 text::starts_with(rest, "\xE2\x80\xA1")) {
        cell.markers.emplace_back(rest.substr(0, 3));
        i += 3;
      } else if (const auto sep = separator_at(rest)) {
        i += sep;
      } else {
        cell.unknown += rest.substr(0, 3);
        i += 3;
      }
    } else if (rest[0] == '(') {
      const auto close = rest.find(')');
      if (close == std::string_view::npos) {
        cell.unknown += rest;
        break;
      }
      if (!cell.remark.empty()) cell.remark += "; ";
      cell.remark += text::trim(rest.substr(1, close - 1));
      i += close + 1;
    } else if (const auto sep = separator_at(rest)) {
      i += sep;
    } else {
      const char c = upper(rest[0]);
      if (is_upper(c) && letters.find(c) != std::string_view::npos) {
        cell.roles.add_letter(c);
        ++i;
        continue;
      }
      // Keep whole UTF-8 sequences together in what is quoted back.
      std::size_t len = 1;
      while (len < rest.size() && (static_cast<unsigned char>(rest[len]) & 0xC0) == 0x80) ++len;
      cell.unknown += rest.substr(0, len);
      i += len;
    }
  }
  return cell;
}

bool has_lower_ascii(std::string_view s) {
  for (const char c : s) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
}

// A lower-case ASCII letter, or a letter of another script (UTF-8 lead bytes of
// U+00C0..U+07FF: Latin-1 letters, Greek, Cyrillic, Hebrew, Arabic; and of
// U+3000..U+D7FF: CJK, Hangul), not punctuation, arrows or marks (U+2000..U+2BFF), nor
// emoji.
bool has_word_letter(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 0xC3 && c <= 0xDF) || (c >= 0xE3 && c <= 0xED)) return true;
  }
  return false;
}

}  // namespace

RoleCell parse_role_cell(std::string_view rendered, std::string_view letters) {
  const std::string_view s = text::trim(rendered);
  RoleCell whole = parse_codes(s, letters);
  if (whole.unknown.empty()) {
    // "(I)", "(C)": a parenthesised role alone is that role, not a remark.
    if (whole.roles.empty() && whole.markers.empty() && s.size() >= 3 && s.front() == '(' &&
        s.back() == ')') {
      const std::string_view inner = s.substr(1, s.size() - 2);
      RoleCell alone = parse_codes(inner, letters);
      if (!has_lower_ascii(inner) && alone.unknown.empty() && alone.remark.empty() &&
          !alone.roles.empty())
        return alone;
    }
    return whole;
  }
  // An annotated cell: the role is its leading word, in capitals ("A – final sign-off",
  // "A for budget" from `**A** for budget`); the rest is a qualifier, kept as the remark.
  // Letters are never harvested from the words: "for business outcome" holds no R.
  const std::size_t space = s.find(' ');
  if (space != std::string_view::npos) {
    std::string_view head = s.substr(0, space);
    while (!head.empty() && (head.back() == ':' || head.back() == ',')) head.remove_suffix(1);
    RoleCell lead = parse_codes(head, letters);
    // The qualifier is words ("for budget"), not more letters ("R, S").
    if (!has_lower_ascii(head) && has_word_letter(s.substr(space)) && lead.unknown.empty() &&
        !lead.roles.empty()) {
      std::string_view rest = text::trim(s.substr(space));
      for (bool more = true; more && !rest.empty();) {
        more = false;
        for (const std::string_view sep : {"-", ":", ",", "\xE2\x80\x93", "\xE2\x80\x94"}) {
          if (rest.starts_with(sep)) {
            rest = text::trim(rest.substr(sep.size()));
            more = true;
          }
        }
      }
      if (!rest.empty()) {
        if (!lead.remark.empty()) lead.remark += "; ";
        lead.remark += rest;
      }
      return lead;
    }
  }
  // A sentence ("Owns the business outcome") or a word ("Gestion", a header repeated in
  // a row): free text, no role read from its letters.
  for (std::size_t i = 0, run = 0; i < s.size(); ++i) {
    run = s[i] >= 'a' && s[i] <= 'z' ? run + 1 : 0;
    if (run >= 3) {
      RoleCell text;
      text.unknown = std::string(s);
      text.markers = std::move(whole.markers);
      return text;
    }
  }
  return whole;
}

bool is_spreadsheet_residue(std::string_view cell) {
  const std::string_view t = text::trim(cell);
  if (t.size() < 3 || t.size() > 5) return false;
  std::string lower(t);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const std::string_view r : {"nan", "none", "null", "nat", "<na>", "#n/a"}) {
    if (lower == r) return true;
  }
  return false;
}

std::vector<std::string> find_markers(std::string_view s) {
  std::vector<std::string> out;
  // Most titles hold no byte a marker starts with: '(' and '[' (numbered), '*', and the
  // lead bytes of superscript digits (C2, E2).
  const bool any = std::any_of(s.begin(), s.end(), [](char c) {
    return c == '(' || c == '[' || c == '*' || static_cast<unsigned char>(c) == 0xC2 ||
           static_cast<unsigned char>(c) == 0xE2;
  });
  if (!any) return out;
  for (std::size_t i = 0; i < s.size();) {
    const std::string_view rest = s.substr(i);
    if (const auto n = numbered_marker_at(rest)) {
      out.emplace_back(rest.substr(0, n));
      i += n;
    } else if (const auto sup = superscript_at(rest)) {
      out.emplace_back(rest.substr(0, sup));
      i += sup;
    } else if (rest[0] == '*') {
      std::size_t stars = 0;
      while (stars < rest.size() && rest[stars] == '*') ++stars;
      // A star that ends a word ("opérateurs*", "foo*)") or stands at the end is a marker.
      const bool after_word = i > 0 && s[i - 1] != ' ';
      const char next = stars < rest.size() ? rest[stars] : ' ';
      if (after_word && (next == ' ' || next == ')' || next == ',' || next == '.' || next == ':' ||
                         next == ';' || stars == rest.size())) {
        out.emplace_back(rest.substr(0, stars));
      }
      i += stars;
    } else {
      ++i;
    }
  }
  return out;
}

std::string leading_marker(std::string_view t) {
  t = text::trim(t);
  if (const auto n = numbered_marker_at(t)) return std::string(t.substr(0, n));
  if (const auto n = superscript_at(t)) return std::string(t.substr(0, n));
  if (text::starts_with(t, "\xE2\x80\xA0") || text::starts_with(t, "\xE2\x80\xA1")) {
    return std::string(t.substr(0, 3));
  }
  if (!t.empty() && t[0] == '*') {
    std::size_t stars = 0;
    while (stars < t.size() && t[stars] == '*') ++stars;
    // "*(1) text" written without closing emphasis: the numbered marker wins.
    if (const auto m = numbered_marker_at(t.substr(stars))) return std::string(t.substr(stars, m));
    return std::string(t.substr(0, stars));
  }
  return {};
}

}  // namespace racine

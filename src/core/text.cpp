#include "core/text.h"

#include <unicode/uscript.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace racine::text {

std::optional<std::size_t> find_invalid_utf8(std::string_view s, bool nul_allowed) {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  while (i < s.size()) {
    // Eight ASCII bytes at a time (none with its high bit, none NUL unless allowed).
    if (i + 8 <= s.size()) {
      std::uint64_t x = 0;
      std::memcpy(&x, s.data() + i, 8);
      constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
      const bool nul = !nul_allowed && ((x - 0x0101010101010101ULL) & ~x & k_highs) != 0;
      if ((x & k_highs) == 0 && !nul) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      if (s[i] == '\0' && !nul_allowed) return i;
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return i;
    i += static_cast<std::size_t>(n);
  }
  return std::nullopt;
}

std::size_t codepoints(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

namespace {

// Replacements utf8proc does not make: ligatures and typographic punctuation. Only
// looked for at bytes that can start them.
std::string pre_fold(std::string_view s) {
  static constexpr std::pair<std::string_view, std::string_view> k_map[] = {
      {"\xC5\x93", "oe"},    {"\xC5\x92", "oe"},    {"\xC3\xA6", "ae"},     {"\xC3\x86", "ae"},
      {"\xE2\x80\x99", "'"}, {"\xE2\x80\x98", "'"}, {"\xE2\x80\x9C", "\""}, {"\xE2\x80\x9D", "\""},
      {"\xC2\xA0", " "},     {"\xE2\x80\xAF", " "}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xC5 || c == 0xC3 || c == 0xC2 || c == 0xE2) {
      bool replaced = false;
      for (const auto& [from, to] : k_map) {
        if (s.compare(i, from.size(), from) == 0) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += s[i++];
  }
  return out;
}

bool is_ascii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// True when `s` has a code point of a script whose combining marks may be letters of
// their own (kana voicing, Cyrillic й, Indic nukta...): such text takes the careful
// fold. Latin (with Vietnamese), Greek, the combining diacritics and punctuation never
// do, so Latin-script text folds exactly as it always has.
bool needs_script_fold(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return false;  // invalid: the plain fold's fallback handles it
    i += static_cast<std::size_t>(n);
    const bool plain = cp < 0x0400 || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
                       (cp >= 0x1D00 && cp <= 0x1FFF) || (cp >= 0x2000 && cp <= 0x2BFF) ||
                       (cp >= 0x2C60 && cp <= 0x2C7F) || (cp >= 0xA720 && cp <= 0xA7FF) ||
                       (cp >= 0xFB00 && cp <= 0xFB06) || (cp >= 0xFE00 && cp <= 0xFE2F);
    if (!plain) return true;
  }
  return false;
}

bool is_mark(utf8proc_int32_t cp) {
  const auto c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

// Whether the combining marks on a letter of this script are accents, which folding
// drops: Latin, Greek, Arabic and Hebrew (vowel points, hamza and madda are written or
// not), and the Cyrillic ё (written е as often as not). Elsewhere the mark makes another
// letter (バ, パ and ハ; й and и; the Indic nukta) and is kept.
bool marks_are_accents(utf8proc_int32_t base) {
  if (base == 0x0435 || base == 0x0415) return true;  // е, Е: ё and Ё fold to е
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(base, &status);
  if (U_FAILURE(status)) return true;
  return script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_ARABIC ||
         script == USCRIPT_HEBREW || script == USCRIPT_COMMON || script == USCRIPT_INHERITED;
}

// The fold of text with such scripts: NFKC and case folding everywhere, accents dropped
// only where marks_are_accents says so.
std::string script_fold(const std::string& pre) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(pre.data()),
      static_cast<utf8proc_ssize_t>(pre.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD));
  if (n < 0) return {};
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(mapped, &std::free);
  std::string out;
  out.reserve(static_cast<std::size_t>(n));
  auto put = [&](utf8proc_int32_t cp) {
    utf8proc_uint8_t buf[4];
    const auto len = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
  };
  bool strip = true;  // whether marks after the last base letter are accents
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(mapped + i, n - i, &cp);
    if (len <= 0) break;
    i += len;
    if (is_mark(cp)) {
      if (!strip) put(cp);
      continue;
    }
    utf8proc_int32_t parts[8];
    int last_class = 0;
    const auto k = utf8proc_decompose_char(cp, parts, 8, UTF8PROC_DECOMPOSE, &last_class);
    if (k <= 1 || k > 8) {
      strip = marks_are_accents(cp);
      put(cp);
      continue;
    }
    strip = marks_are_accents(parts[0]);
    if (!strip) {
      put(cp);  // the composed letter, as NFKC left it
      continue;
    }
    for (utf8proc_ssize_t j = 0; j < k; ++j) {
      if (!is_mark(parts[j])) put(parts[j]);
    }
  }
  return out;
}

}  // namespace

std::string fold(std::string_view s) {
  if (is_ascii(s)) {
    // Most text is ASCII: lower case it without utf8proc.
    std::string out(s);
    for (auto& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  const std::string pre = pre_fold(s);
  if (needs_script_fold(pre)) {
    std::string careful = script_fold(pre);
    if (!careful.empty() || pre.empty()) return careful;
  }
  utf8proc_uint8_t* out = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                      UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(pre.data()),
                              static_cast<utf8proc_ssize_t>(pre.size()), &out, options);
  if (n < 0) {
    // Invalid UTF-8: fall back to ASCII lower case so that folding never fails.
    std::string ascii = pre;
    std::transform(ascii.begin(), ascii.end(), ascii.begin(), [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return ascii;
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

namespace {
bool is_alnum_ascii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}
}  // namespace

std::string slugify(std::string_view s) {
  std::string folded_storage;
  std::string_view folded = s;  // ASCII needs no folding beyond the lower case below
  if (!is_ascii(s)) {
    folded_storage = fold(s);
    folded = folded_storage;
  }
  std::string out;
  out.reserve(folded.size());
  bool dash = false;
  for (const char c : folded) {
    if (is_alnum_ascii(c)) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      // Letters outside ASCII that folding kept (e.g. Greek, CJK) stay in the slug.
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += c;
    } else {
      dash = true;
    }
  }
  return out;
}

namespace {

// Length of the white space character that starts `s` (ASCII, no-break or narrow
// no-break space), or 0.
std::size_t space_prefix(std::string_view s) {
  const char c = s[0];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == '\xC2' && s.size() >= 2 && s[1] == '\xA0') return 2;
  if (c == '\xE2' && s.size() >= 3 && s[1] == '\x80' && s[2] == '\xAF') return 3;
  return 0;
}

// Length of the white space character that ends `s`, or 0.
std::size_t space_suffix(std::string_view s) {
  const char c = s.back();
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == '\xA0' && s.size() >= 2 && s[s.size() - 2] == '\xC2') return 2;
  if (c == '\xAF' && s.size() >= 3 && s[s.size() - 3] == '\xE2' && s[s.size() - 2] == '\x80')
    return 3;
  return 0;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty()) {
    const std::size_t n = space_prefix(s);
    if (n == 0) break;
    s.remove_prefix(n);
  }
  while (!s.empty()) {
    const std::size_t n = space_suffix(s);
    if (n == 0) break;
    s.remove_suffix(n);
  }
  return s;
}

std::string collapse_spaces(std::string_view s) {
  const std::string_view t = trim(s);
  bool plain = true;
  for (std::size_t i = 0; i < t.size() && plain; ++i) {
    const char c = t[i];
    plain =
        c != '\t' && c != '\n' && c != '\r' && !(c == ' ' && i + 1 < t.size() && t[i + 1] == ' ');
  }
  if (plain) return std::string(t);
  std::string out;
  bool space = false;
  for (const char c : trim(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::string> words(std::string_view folded) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : folded) {
    if (is_alnum_ascii(c) || static_cast<unsigned char>(c) >= 0x80) {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    prev2.swap(prev);
    prev.swap(cur);
  }
  return prev[m];
}

std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  const std::size_t over = limit + 1;
  if ((n > m ? n - m : m - n) > limit) return over;
  // Rows of the full table, of which only columns i - limit to i + limit are computed;
  // the cells just outside the band are set to `over`, so that reads stay in bounds of
  // what was written.
  std::vector<std::size_t> prev2(m + 1, over), prev(m + 1, over), cur(m + 1, over);
  for (std::size_t j = 0; j <= std::min(m, limit); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t lo = i > limit ? i - limit : 1;
    const std::size_t hi = std::min(m, i + limit);
    cur[0] = i <= limit ? i : over;
    if (lo > 1) cur[lo - 1] = over;
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d = std::min(d, prev2[j - 2] + 1);
      cur[j] = std::min(d, over);
    }
    if (hi < m) cur[hi + 1] = over;
    prev2.swap(prev);
    prev.swap(cur);
  }
  return std::min(prev[m], over);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace racine::text

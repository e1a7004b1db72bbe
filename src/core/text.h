#pragma once
// Text helpers shared by every layer: UTF-8 checks, folding (case and accents), slugs,
// and an edit distance for typo tolerance.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racine::text {

// Byte offset of the first invalid UTF-8 sequence (or NUL byte, unless `nul_allowed`),
// or nullopt when `s` is valid. ASCII is checked eight bytes at a time.
std::optional<std::size_t> find_invalid_utf8(std::string_view s, bool nul_allowed = false);

// Number of Unicode code points in `s` (valid UTF-8 assumed; stray bytes count one each).
std::size_t codepoints(std::string_view s);

// Lower case without accents, with ligatures and typographic quotes replaced
// ("Rôle Cœur’s" -> "role coeur's"), for comparisons.
std::string fold(std::string_view s);

// A stable identifier: folded text, runs of anything but [a-z0-9] become one '-'.
std::string slugify(std::string_view s);

// `s` without leading and trailing ASCII and Unicode spaces.
std::string_view trim(std::string_view s);

// Runs of white space replaced by one space, and trimmed.
std::string collapse_spaces(std::string_view s);

// Words of folded text: runs of letters and digits.
std::vector<std::string> words(std::string_view folded);

// Optimal string alignment distance (Levenshtein with adjacent transpositions), on bytes.
// Quadratic in the lengths: for short words only; see edit_distance_within.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The same distance when it is at most `limit`, else limit + 1: only a band of width
// 2 * limit + 1 around the diagonal is computed, and strings whose lengths differ by
// more than `limit` are not compared at all, so the cost is O(min(|a|, |b|) * limit).
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit);

// `s` is true when it starts with `prefix`.
bool starts_with(std::string_view s, std::string_view prefix);

}  // namespace racine::text

#pragma once
// Text shown to people (a terminal, a CI log) never carries control characters raw: a
// party named "Ops\n::error file=x::forged" must not print a line of its own, nor an
// ANSI escape recolour the terminal. Every text printer passes the text it took from
// input (names, titles, paths, arguments) through `escape_controls`.

#include <string>
#include <string_view>

namespace racine::text {

// `s` with what could control a terminal or a log written as visible escapes:
// "\n", "\r", "\t"; other C0 controls and DEL as "\x1b"; C1 controls, the line and
// paragraph separators (U+2028, U+2029) and the bidirectional overrides and isolates
// (U+202A..U+202E, U+2066..U+2069) as "\u009b"; bytes that are not UTF-8 as "\xff".
// Everything else, backslashes included, is kept as it is.
std::string escape_controls(std::string_view s);

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD, for formats
// that must be UTF-8 (JSON): paths from the command line need not be.
std::string valid_utf8(std::string_view s);

// True when `s` is valid UTF-8 (NUL included): valid_utf8(s) would return it unchanged.
// ASCII is checked eight bytes at a time.
bool is_valid_utf8(std::string_view s);

}  // namespace racine::text

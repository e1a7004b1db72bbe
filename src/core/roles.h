#pragma once
// Role sets and the parsing of one RACI cell as people write it: `RA`, `**RA**` (already
// rendered to `RA`), `C, I`, `R/A`, `A / R`, `R·A`, lower case, `R (veto)`, `—`, `N/A`,
// with footnote markers `*`, `(1)`, `[1]`, `¹`.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace racine {

// One of the four RACI roles.
enum class Role : std::uint8_t { responsible = 1, accountable = 2, consulted = 4, informed = 8 };

// A set of roles, written in the order R, A, C, I.
class RoleSet {
 public:
  RoleSet() = default;
  // Parses letters "RACI" in any order and case; other characters are ignored.
  static RoleSet from_letters(std::string_view letters);

  [[nodiscard]] bool has(Role r) const { return (m_bits & static_cast<std::uint8_t>(r)) != 0; }
  void add(Role r) { m_bits = static_cast<std::uint8_t>(m_bits | static_cast<std::uint8_t>(r)); }
  void remove(Role r) {
    m_bits = static_cast<std::uint8_t>(m_bits & ~static_cast<std::uint8_t>(r));
  }
  [[nodiscard]] bool empty() const { return m_bits == 0; }
  [[nodiscard]] std::uint8_t bits() const { return m_bits; }
  // "RA", "CI", "" for none.
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(RoleSet a, RoleSet b) { return a.m_bits == b.m_bits; }

 private:
  std::uint8_t m_bits = 0;
};

// The role letter of `r`: 'R', 'A', 'C' or 'I'.
char role_letter(Role r);

// What a rendered cell says.
struct RoleCell {
  RoleSet roles;
  std::vector<std::string> markers;  // "*", "(1)", "¹", in order of appearance
  std::string remark;                // a parenthesised comment such as "veto"
  std::string unknown;               // characters that are neither roles nor separators
  bool no_role = false;              // an explicit "no role" token: "-", "—", "N/A"
};

// Parses the rendered text of a cell (inline markup already removed).
RoleCell parse_role_cell(std::string_view rendered);

// Splits trailing and embedded footnote markers off free text (an activity title, a
// party name): returns the markers found, in order. `*` inside words is not a marker
// unless it ends a word ("opérateurs*").
std::vector<std::string> find_markers(std::string_view text);

// When `text` starts with a footnote marker ("*", "(1)", "¹", "[1]"), that marker.
std::string leading_marker(std::string_view text);

}  // namespace racine

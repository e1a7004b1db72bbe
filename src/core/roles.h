#pragma once
// Role sets and the parsing of one RACI cell as people write it: `RA`, `**RA**` (already
// rendered to `RA`), `C, I`, `R/A`, `A / R`, `R·A`, lower case, `R (veto)`, `—`, `N/A`,
// with footnote markers `*`, `(1)`, `[1]`, `¹`.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace racine {

// A role, named by its letter. RACI has four; RASCI adds Support, DACI has a Driver
// instead of a Responsible; a document's legend may declare other letters.
enum class Role : std::uint8_t {
  responsible = 'R',
  accountable = 'A',
  consulted = 'C',
  informed = 'I',
  support = 'S',
  driver = 'D',
};

// A set of role letters (A to Z), written in the order D, R, A, S, C, I, then the others
// alphabetically: "RA", "CI", "RASCI".
class RoleSet {
 public:
  RoleSet() = default;
  // Letters A to Z in any order and case; other characters are ignored.
  static RoleSet from_letters(std::string_view letters);

  [[nodiscard]] bool has(Role r) const { return has_letter(static_cast<char>(r)); }
  [[nodiscard]] bool has_letter(char letter) const;
  void add(Role r) { add_letter(static_cast<char>(r)); }
  void add_letter(char letter);
  void remove(Role r);
  [[nodiscard]] bool empty() const { return m_bits == 0; }
  [[nodiscard]] std::uint32_t bits() const { return m_bits; }
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(RoleSet a, RoleSet b) { return a.m_bits == b.m_bits; }

 private:
  std::uint32_t m_bits = 0;
};

// The role letter of `r`: 'R', 'A', 'C', 'I', 'S' or 'D'.
char role_letter(Role r);

// The letters a matrix uses for roles: "RACI" unless its title or a heading names RASCI
// or DACI, or a legend table declares its own (`| (R) Réalise | ... |`).
struct LegendEntry {
  char letter = 'R';
  std::string text;          // the legend row's first cell, "(R) Réalise"
  std::uint32_t offset = 0;  // where the row is in the source
};
struct RoleVocabulary {
  std::string letters = "RACI";     // upper case, in the canonical order
  std::vector<LegendEntry> legend;  // empty unless the document has a legend
  // The letters in canonical order: "RACI", "RASCI", "DACI"...
  [[nodiscard]] std::string name() const;
  [[nodiscard]] bool has(char letter) const { return letters.find(letter) != std::string::npos; }
  // "R, A, C, I", for messages: no conjunction, so that a translated message (French
  // "les rôles sont {roles}") needs no English word in its value.
  [[nodiscard]] std::string listed() const;
};

// What a rendered cell says.
struct RoleCell {
  RoleSet roles;
  std::vector<std::string> markers;  // "*", "(1)", "¹", in order of appearance
  std::string remark;                // a parenthesised comment such as "veto"
  std::string unknown;               // characters that are neither roles nor separators
  bool no_role = false;              // an explicit "no role" token: "-", "—", "N/A"
};

// Parses the rendered text of a cell (inline markup already removed); letters outside
// `letters` (upper case) are unknown.
RoleCell parse_role_cell(std::string_view rendered, std::string_view letters = "RACI");

// An empty cell as a spreadsheet exported through pandas or Excel writes it: "NaN",
// "nan", "None", "null", "NaT", "<NA>", "#N/A" (any case). The Markdown reader reads it
// as an empty cell (docs/markdown.md).
bool is_spreadsheet_residue(std::string_view cell);

// Splits trailing and embedded footnote markers off free text (an activity title, a
// party name): returns the markers found, in order. `*` inside words is not a marker
// unless it ends a word ("opérateurs*").
std::vector<std::string> find_markers(std::string_view text);

// When `text` starts with a footnote marker ("*", "(1)", "¹", "[1]"), that marker.
std::string leading_marker(std::string_view text);

}  // namespace racine

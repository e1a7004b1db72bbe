#pragma once
// Hostile documents shared by the unit and the end-to-end tests, and by
// scripts/hostile-table.sh (through `racine_cli_tests --gtest_filter=HostileTable.*`,
// which writes them out): every one is built here in code, none is a committed file.

#include <cstddef>
#include <string>
#include <string_view>

namespace racine::test {

// A 128-column header followed by 40,000 one-cell rows: about 80 KB that cmark-gfm would
// pad to 5 million cells (1.2 GB); the pre-scan refuses it.
inline std::string padding_bomb() {
  std::string doc = "| h";
  for (int i = 1; i < 128; ++i) doc += " | h";
  doc += " |\n|-";
  for (int i = 1; i < 128; ++i) doc += "|-";
  doc += "|\n";
  for (int i = 0; i < 40000; ++i) doc += "| x |\n";
  return doc;
}

// Every line of `doc` after `first` (on the first line) or `rest` (on the others):
// ("> ", "> ") puts it in a block quote, ("- ", "  ") in a list item.
inline std::string nest(std::string_view doc, std::string_view first, std::string_view rest) {
  std::string out;
  bool start = true;
  for (const char c : doc) {
    if (start) out += out.empty() ? first : rest;
    out += c;
    start = c == '\n';
  }
  return out;
}

// The padding bomb inside a block quote: the same 5 million cells for cmark-gfm.
inline std::string quoted_padding_bomb() {
  return nest(padding_bomb(), "> ", "> ");
}

// The padding bomb inside a list item.
inline std::string listed_padding_bomb() {
  return nest(padding_bomb(), "- ", "  ");
}

// Two RACI tables with a table in a block quote between them (5 activities, parties
// Dev, Ops, QA, Sec; the quoted table is not a RACI table).
inline std::string quote_between_tables() {
  return "# Build\n\n"
         "| Task | Dev | Ops |\n|---|---|---|\n| Compile | RA | C |\n| Package | R | A |\n\n"
         "> | Term | Meaning |\n> |---|---|\n> | SLA | service level |\n\n"
         "# Run\n\n"
         "| Task | QA | Sec |\n|---|---|---|\n| Test | RA | I |\n| Audit | C | RA |\n| Patch | I | "
         "RA |\n";
}

// Two tables whose single party columns have `bytes`-long names that differ in their
// last letters: the typo rule must not compare them letter by letter.
inline std::string long_party_names(std::size_t bytes = 60 * 1024) {
  const std::string a(bytes, 'a');
  return "| Task | " + a + "x |\n|---|---|\n| One | RA |\n\n| Task | " + a +
         "yz |\n|---|---|\n| Two | RA |\n";
}

// One table of `columns` party columns all named "X", and `rows` rows all titled "Do":
// parties x, x-2... and activities do, do-2...
inline std::string same_names(int columns, int rows) {
  std::string header = "| Task |";
  std::string delimiter = "|---|";
  std::string row = "| Do |";
  for (int i = 0; i < columns; ++i) {
    header += " X |";
    delimiter += "---|";
    row += " R |";
  }
  std::string doc = header + "\n" + delimiter + "\n";
  for (int i = 0; i < rows; ++i) doc += row + "\n";
  return doc;
}

// A valid RACI table of about `bytes` bytes (4 parties, one row per 70 bytes).
inline std::string big_table(std::size_t bytes) {
  std::string doc = "| Task | A | B | C | D |\n|---|---|---|---|---|\n";
  doc.reserve(bytes + 100);
  for (std::size_t n = 0; doc.size() < bytes; ++n)
    doc += "| Activity " + std::to_string(n) + " with a long title | RA | C | I | - |\n";
  return doc;
}

// A front matter of `bytes` bytes of "key: value" lines, then a valid table.
inline std::string front_matter_bomb(std::size_t bytes) {
  std::string doc = "---\n";
  for (std::size_t i = 0; doc.size() < bytes; ++i) {
    doc += 'k';  // in steps: GCC 12 warns (-Wrestrict) on "k" + std::string&&
    doc += std::to_string(i);
    doc += ": value\n";
  }
  return doc + "---\n| Task | Dev |\n|---|---|\n| Build | RA |\n";
}

// A JSON array of `bytes` bytes of ones: 1 value per 2 bytes.
inline std::string json_bomb(std::size_t bytes) {
  std::string doc = "[1";
  doc.reserve(bytes + 2);
  while (doc.size() + 2 < bytes) doc += ",1";
  return doc + "]\n";
}

// A YAML sequence of `bytes` bytes of ones: 1 value per 4 bytes.
inline std::string yaml_bomb(std::size_t bytes) {
  std::string doc;
  doc.reserve(bytes);
  while (doc.size() + 4 <= bytes) doc += "- 1\n";
  return doc;
}

}  // namespace racine::test

#pragma once
// Hostile documents shared by the unit and the end-to-end tests.

#include <string>

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

}  // namespace racine::test

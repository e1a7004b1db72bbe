// Writes the hostile documents of hostile_inputs.h into a folder, for
// scripts/hostile-table.sh: racine_hostile_inputs DIR
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "hostile_inputs.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: racine_hostile_inputs DIR\n");
    return 2;
  }
  using namespace racine::test;
  const std::string dir = argv[1];
  std::string wide_header = "|";
  std::string wide_delimiter = "|";
  std::string wide_row = "|";
  for (int i = 0; i < 10000; ++i) {
    wide_header += " P" + std::to_string(i) + " |";
    wide_delimiter += "---|";
    wide_row += " RA |";
  }
  const std::vector<std::pair<std::string, std::string>> files = {
      {"padding-bomb.md", padding_bomb()},
      {"quoted-padding-bomb.md", quoted_padding_bomb()},
      {"listed-padding-bomb.md", listed_padding_bomb()},
      {"ten-thousand-columns.md", wide_header + "\n" + wide_delimiter + "\n" + wide_row + "\n"},
      {"quote-between-tables.md", quote_between_tables()},
      {"long-party-names.md", long_party_names()},
      {"same-names-255.md", same_names(255, 20000)},
      {"table-4mb.md", big_table(4U << 20)},
      {"table-16mb.md", big_table(16U << 20)},
      {"quoted-table-16mb.md", nest(big_table(16U << 20), "> ", "> ")},
      {"front-matter-16mb.md", front_matter_bomb(16U << 20)},
      {"json-16mb.json", json_bomb(16U << 20)},
      {"yaml-16mb.yaml", yaml_bomb(16U << 20)},
  };
  for (const auto& [name, text] : files) {
    std::ofstream out(dir + "/" + name, std::ios::binary);
    out << text;
    if (!out) {
      std::fprintf(stderr, "racine_hostile_inputs: %s/%s: cannot write\n", dir.c_str(),
                   name.c_str());
      return 1;
    }
  }
  return 0;
}

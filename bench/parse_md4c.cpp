// Parses a Markdown file with md4c (tables on) and does nothing else: the speed reference.
#include <md4c.h>

#include <cstdio>
#include <string>

#include "read_file.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string text = read_file(argv[1]);
  long cells = 0;
  MD_PARSER parser{};
  parser.flags = MD_FLAG_TABLES;
  parser.enter_block = [](MD_BLOCKTYPE t, void*, void* u) {
    if (t == MD_BLOCK_TD) ++*static_cast<long*>(u);
    return 0;
  };
  parser.leave_block = [](MD_BLOCKTYPE, void*, void*) { return 0; };
  parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.text = [](MD_TEXTTYPE, const MD_CHAR*, MD_SIZE, void*) { return 0; };
  md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &cells);
  std::printf("%ld cells\n", cells);
  return 0;
}

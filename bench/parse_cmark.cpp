// Parses a Markdown file with cmark-gfm and its table extension, then frees the tree:
// what racine's reader cannot avoid, and the reference for its targets.
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdio>
#include <string>

#include "read_file.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string text = read_file(argv[1]);
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser* p = cmark_parser_new(CMARK_OPT_DEFAULT);
  cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
  cmark_parser_feed(p, text.data(), text.size());
  cmark_node* doc = cmark_parser_finish(p);
  long nodes = 0;
  for (cmark_node* n = cmark_node_first_child(doc); n != nullptr; n = cmark_node_next(n)) ++nodes;
  std::printf("%ld blocks\n", nodes);
  cmark_node_free(doc);
  cmark_parser_free(p);
  return 0;
}

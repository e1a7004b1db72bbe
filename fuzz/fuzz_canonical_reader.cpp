// libFuzzer harness: any bytes through the canonical reader (YAML and JSON, one parser)
// and the lint catalog must give a matrix or an error, never crash, hang or leak. A
// matrix that reads must also survive YAML and JSON: written, read back, written again,
// the same document. JSON that simdjson reads (parse_json_tree) must give the tree
// libyaml gives (parse_yaml_tree): the fast path may decline, never differ.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "formats/document.h"
#include "formats/loader.h"
#include "formats/tree.h"
#include "lint/linter.h"

namespace {

racine::Matrix must_read(const std::string& text, racine::Format f) {
  auto src = racine::load_text(text, "again", racine::Limits{});
  if (!src) std::abort();
  auto m = racine::read_document(*src, f, racine::ReadOptions{});
  if (!m) std::abort();  // racine wrote something it cannot read back
  return std::move(*m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  racine::Limits limits;
  limits.max_bytes = 1 << 20;
  auto src = racine::load_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml",
                               limits);
  if (!src) return 0;
  if (const auto fast = racine::parse_json_tree(*src)) {
    auto slow = racine::parse_yaml_tree(*src);
    if (!slow || !(*slow == *fast)) std::abort();
  }
  auto m = racine::read_document(*src, racine::Format::yaml, racine::ReadOptions{});
  if (!m) return 0;
  (void)racine::lint::run(*m, {});
  for (const auto f : {racine::Format::yaml, racine::Format::json}) {
    // Lines point into the document they come from: compare documents written twice.
    const racine::Matrix once = must_read(racine::write_document(*m, f), f);
    const std::string a = racine::write_document(once, f);
    const std::string b = racine::write_document(must_read(a, f), f);
    if (a != b) std::abort();
  }
  return 0;
}

// libFuzzer harness: any bytes through the loader's checks, the Markdown reader and the
// whole lint catalog must return a matrix or an error, never crash, hang or leak. The
// input is also read in chunks of a few bytes (markdown_prescan.h), and both readings
// must give the same matrix and the same findings.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "formats/json_writer.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "lint/linter.h"

namespace {

std::string findings(const racine::Matrix& m) {
  std::string out;
  for (const auto& d : racine::lint::run(m, {})) {
    out += d.code + "@" + std::to_string(m.source->position(d.span.begin).line) + ":" + d.message +
           "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  racine::Limits limits;
  limits.max_bytes = 1 << 20;
  auto src =
      racine::load_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.md", limits);
  if (!src) return 0;
  racine::ReadOptions whole;
  whole.limits = limits;
  racine::ReadOptions chunked = whole;
  chunked.chunk_bytes = 1 + (size > 0 ? data[0] % 64 : 0);
  // Few rows decide a table's columns, so that tables get cut too; both readings agree.
  whole.classify_rows = chunked.classify_rows = 1 + (size > 1 ? data[1] % 4 : 0);
  auto a = racine::read_markdown(*src, whole);
  auto b = racine::read_markdown(*src, chunked);
  if (a.ok() != b.ok()) std::abort();
  if (!a) {
    if (a.error().to_string() != b.error().to_string()) std::abort();
    return 0;
  }
  if (racine::write_json(*a) != racine::write_json(*b)) std::abort();
  if (findings(*a) != findings(*b)) std::abort();
  return 0;
}

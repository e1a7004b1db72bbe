// libFuzzer harness: any bytes through the loader's checks, the Markdown reader and the
// whole lint catalog must return a matrix or an error, never crash, hang or leak.

#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "lint/linter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  racine::Limits limits;
  limits.max_bytes = 1 << 20;
  auto src = racine::load_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.md", limits);
  if (!src) return 0;
  racine::ReadOptions options;
  options.limits = limits;
  auto matrix = racine::read_markdown(*src, options);
  if (!matrix) return 0;
  const auto findings = racine::lint::run(*matrix, {});
  for (const auto& d : findings) (void)(*src)->position(d.span.begin);
  return 0;
}

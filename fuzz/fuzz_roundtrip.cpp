// libFuzzer harness, differential: a matrix built from the fuzzer's bytes (roundtrip.h:
// parties, sections, titles, notes, markers and roles drawn from the input, strings
// with control characters, pipes, backticks, HTML comments, block markers, Unicode),
// written as Markdown, YAML, JSON and CSV and read back, must give back what each
// format promises (docs/formats.md); any difference aborts with both models.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "roundtrip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const racine::Matrix m = racine::roundtrip::build_matrix(data, size);
  for (const auto f : {racine::Format::markdown, racine::Format::yaml, racine::Format::json,
                       racine::Format::csv}) {
    const std::string diff = racine::roundtrip::difference(m, f);
    if (!diff.empty()) {
      std::fprintf(stderr, "round trip through %s changed the matrix:\n%s\n",
                   std::string(racine::format_name(f)).c_str(), diff.c_str());
      std::abort();
    }
  }
  return 0;
}

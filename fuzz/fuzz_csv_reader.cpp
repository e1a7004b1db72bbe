// libFuzzer harness: any bytes through the CSV reader and the lint catalog must give a
// matrix or an error, never crash, hang or leak; a matrix that reads from racine's own CSV,
// written as CSV and read back, must write the same CSV again.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "formats/csv.h"
#include "formats/loader.h"
#include "lint/linter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  racine::Limits limits;
  limits.max_bytes = 1 << 20;
  auto src =
      racine::load_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv", limits);
  if (!src) return 0;
  auto m = racine::read_csv(*src, racine::ReadOptions{});
  if (!m) return 0;
  (void)racine::lint::run(*m, {});
  // The round trip is racine's own CSV's: a sheet saved as CSV (another header) is read
  // through the Markdown reader, whose own harnesses (fuzz_markdown_reader, fuzz_roundtrip)
  // check its readings; here it must only read or refuse.
  if (m->source->is_spreadsheet()) return 0;
  const std::string once = racine::write_csv(*m);
  auto again_src = racine::load_text(once, "again.csv", racine::Limits{});
  if (!again_src) std::abort();
  auto again = racine::read_csv(*again_src, racine::ReadOptions{});
  if (!again) std::abort();
  if (racine::write_csv(*again) != once) std::abort();
  return 0;
}

// libFuzzer harness: the spreadsheet reader (formats/spreadsheet.h) must give a matrix or
// an error for any input, never crash, hang or leak. The first byte picks what the rest is,
// so that the fuzzer mutates XML rather than deflated bytes:
//   'x'  a worksheet's XML, then (after a NUL byte) the shared strings' XML, packed into a
//        workbook (tests/support/zip_writer.h);
//   'o'  an OpenDocument content.xml, packed into a spreadsheet;
//   else the bytes are the archive itself, read as .xlsx and as .ods.
// Seeds: fuzz/corpus-spreadsheet (LibreOffice's files of tests/data/spreadsheets).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "formats/spreadsheet.h"
#include "lint/linter.h"
#include "support/zip_writer.h"

namespace {

void read(const std::string& bytes, racine::sheet::Kind kind) {
  racine::ReadOptions options;
  options.limits.max_bytes = 1 << 20;
  options.id = "fuzz";
  auto m = racine::sheet::read_spreadsheet(bytes, kind, "fuzz.xlsx", options);
  if (m) (void)racine::lint::run(*m, {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  using racine::ziptest::ZipPart;
  if (data[0] == 'x') {
    const auto nul = in.find('\0');
    const std::string sheet(in.substr(0, nul));
    auto parts = racine::ziptest::xlsx_parts({{"S", ""}}, {"x"});
    for (auto& p : parts) {
      if (p.name == "xl/worksheets/sheet1.xml") p.bytes = sheet;
      if (p.name == "xl/sharedStrings.xml")
        p.bytes = nul == std::string_view::npos ? "" : std::string(in.substr(nul + 1));
      p.store = true;
    }
    // Without a NUL byte there are no shared strings: no part, so that the sheet is read.
    if (nul == std::string_view::npos)
      std::erase_if(parts, [](const racine::ziptest::ZipPart& p) {
        return p.name == "xl/sharedStrings.xml";
      });
    read(racine::ziptest::make_zip(parts), racine::sheet::Kind::xlsx);
  } else if (data[0] == 'o') {
    auto parts = racine::ziptest::ods_parts("");
    parts[1].bytes = std::string(in);
    parts[1].store = true;
    read(racine::ziptest::make_zip(parts), racine::sheet::Kind::ods);
  } else {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    read(bytes, racine::sheet::Kind::xlsx);
    read(bytes, racine::sheet::Kind::ods);
  }
  return 0;
}

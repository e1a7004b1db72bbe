#pragma once
// The two containers of spreadsheets, read with bounds (formats/spreadsheet.h): a ZIP
// archive (libzip) whose parts are inflated against one shared byte budget, and XML
// (expat) without document type declarations. Internal to formats/spreadsheet*.cpp.

#include <expat.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

struct zip;

namespace racine::sheet {

class ZipArchive {
 public:
  // Opens the archive held in `bytes` (which must outlive it); budget: the bytes all
  // parts read may unpack to.
  static Result<std::unique_ptr<ZipArchive>> open(std::string_view bytes, const std::string& path,
                                                  std::uint64_t budget);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  [[nodiscard]] bool has(const std::string& name) const;
  // The part's bytes, or an Error (missing, encrypted, damaged, over the budget).
  Result<std::string> read(const std::string& name);

 private:
  ZipArchive(zip* archive, std::string path, std::uint64_t budget)
      : m_zip(archive), m_path(std::move(path)), m_budget(budget) {}
  zip* m_zip;
  std::string m_path;
  std::uint64_t m_budget;
};

// A namespace-aware expat parse of `xml`, element names given as their local part
// (the namespace dropped: spreadsheets use prefixes freely). Attributes are passed as
// (local name, value) pairs. A document type declaration stops the parse with an Error.
struct XmlHandler {
  using Attributes = std::vector<std::pair<std::string_view, std::string_view>>;
  std::function<void(std::string_view name, const Attributes& attributes)> start;
  std::function<void(std::string_view name)> end;
  std::function<void(std::string_view text)> text;
};
// `stop` set by a handler ends the parse with that Error.
Result<bool> parse_xml(const std::string& xml, const std::string& part, XmlHandler& handler,
                       std::optional<Error>& stop);

// The attribute named `name`, or an empty view.
std::string_view attribute(const XmlHandler::Attributes& attributes, std::string_view name);

}  // namespace racine::sheet

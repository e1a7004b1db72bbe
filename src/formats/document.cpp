#include "formats/document.h"

#include <filesystem>

#include "core/text.h"
#include "formats/canonical_reader.h"
#include "formats/csv.h"
#include "formats/json_writer.h"
#include "formats/markdown_writer.h"
#include "formats/yaml_writer.h"

namespace racine {

std::optional<Format> parse_format(std::string_view name) {
  const std::string n = text::fold(name);
  if (n == "md" || n == "markdown") return Format::markdown;
  if (n == "yaml" || n == "yml") return Format::yaml;
  if (n == "json") return Format::json;
  if (n == "csv") return Format::csv;
  return std::nullopt;
}

Format format_of_path(std::string_view path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  return parse_format(ext).value_or(Format::markdown);
}

std::string_view format_name(Format f) {
  switch (f) {
    case Format::markdown: return "md";
    case Format::yaml: return "yaml";
    case Format::json: return "json";
    case Format::csv: return "csv";
  }
  return "md";
}

const std::vector<std::string>& format_names() {
  static const std::vector<std::string> k_names = {"md", "markdown", "yaml", "yml", "json", "csv"};
  return k_names;
}

Result<Matrix> read_document(const SourcePtr& source, Format format, const ReadOptions& options) {
  switch (format) {
    case Format::yaml:
    case Format::json: return read_canonical(source, options);
    case Format::csv: return read_csv(source, options);
    case Format::markdown: break;
  }
  return read_markdown(source, options);
}

std::string write_document(const Matrix& m, Format format) {
  switch (format) {
    case Format::yaml: return write_yaml(m);
    case Format::json: return write_json(m);
    case Format::csv: return write_csv(m);
    case Format::markdown: break;
  }
  return write_markdown(m);
}

}  // namespace racine

#pragma once
// Every format a matrix can be read from or written to, chosen by name or by a file's
// extension: Markdown (read as people write it, written canonically), the canonical
// YAML and JSON, and CSV.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"
#include "core/result.h"
#include "formats/markdown_reader.h"

namespace racine {

enum class Format : std::uint8_t { markdown, yaml, json, csv };

// "md", "markdown", "yaml", "yml", "json", "csv" -> the format; nullopt otherwise.
std::optional<Format> parse_format(std::string_view name);

// By extension (.md, .markdown, .yaml, .yml, .json, .csv); Markdown for anything else.
Format format_of_path(std::string_view path);

// "md", "yaml", "json", "csv".
std::string_view format_name(Format f);

// The names `parse_format` accepts, for help texts and option checks.
const std::vector<std::string>& format_names();

Result<Matrix> read_document(const SourcePtr& source, Format format, const ReadOptions& options);

std::string write_document(const Matrix& m, Format format);

}  // namespace racine

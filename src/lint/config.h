#pragma once
// Lint configuration: which rules run and at what severity, the reader's limits and
// extra party aliases. Read from `.racine.yaml` (found upward from the linted file) and
// overridden by command-line flags.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/diagnostic.h"
#include "core/party_names.h"
#include "core/result.h"
#include "formats/limits.h"
#include "formats/markdown_reader.h"

namespace racine::lint {

struct Config {
  std::set<std::string> disabled;              // codes turned off
  std::map<std::string, Severity> severities;  // codes with another severity
  Limits limits;
  PartyAliases aliases = PartyAliases::builtin();
  std::string help_uri_base;  // SARIF helpUri prefix; empty: the default
  std::string path;           // file it was read from; empty: defaults

  // What the reader needs from this configuration (limits, party aliases), for a
  // matrix whose id, when the document declares none, is `id`.
  [[nodiscard]] ReadOptions read_options(std::string id) const;

  // Effective severity of a rule's finding, or nullopt when the rule is disabled.
  [[nodiscard]] std::optional<Severity> severity_of(std::string_view code, Severity fallback) const;
};

// The config file names looked for, in order.
inline constexpr const char* k_config_names[] = {".racine.yaml", ".racine.yml"};

// The nearest config file in `dir` or its parents, or nullopt.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& dir);

// Parses a config file. Unknown keys, unknown rule codes and bad values are errors with
// their line and column.
Result<Config> load_config(const std::filesystem::path& path);

// Parses config text (`display_path` is used in errors).
Result<Config> parse_config(const std::string& text, const std::string& display_path);

// Checks that `code` names a rule: nullopt, or an error message.
std::optional<std::string> check_code(std::string_view code);

}  // namespace racine::lint

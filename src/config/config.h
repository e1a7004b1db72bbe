#pragma once
// The application's configuration, read from `.racine.yaml` (found upward from the file
// read) and overridden by command-line flags: which rules run and at what severity, the
// readers' limits, extra party aliases, the SARIF help base. Every front end (the CLI,
// the server) derives its reader options and lint settings from it.

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
#include "lint/rule_settings.h"

namespace racine::config {

// The rule settings (`disabled`, `severities`, `severity_of`) are the linter's own
// (lint/rule_settings.h): a Config is passed to the linter as them.
struct Config : lint::RuleSettings {
  Limits limits;
  PartyAliases aliases = PartyAliases::builtin();
  std::string help_uri_base;  // SARIF helpUri prefix; empty: the default
  std::string path;           // file it was read from; empty: defaults

  // What the reader needs from this configuration (limits, party aliases), for a
  // matrix whose id, when the document declares none, is `id`.
  [[nodiscard]] ReadOptions read_options(std::string id) const;
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

}  // namespace racine::config

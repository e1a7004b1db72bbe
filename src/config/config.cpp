#include "config/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "lint/rule.h"
#include "lint/rule_settings.h"

namespace racine::config {

using lint::check_code;

ReadOptions Config::read_options(std::string id) const {
  ReadOptions options;
  options.limits = limits;
  options.aliases = aliases;
  options.id = std::move(id);
  return options;
}

std::optional<std::filesystem::path> find_config(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path d = std::filesystem::absolute(dir, ec);
  if (ec) return std::nullopt;
  for (;;) {
    for (const char* name : k_config_names) {
      const auto candidate = d / name;
      if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    }
    if (!d.has_parent_path() || d.parent_path() == d) return std::nullopt;
    d = d.parent_path();
  }
}

namespace {

struct ConfigError {
  YAML::Mark mark;
  std::string message;
};

// A positive integer no larger than `max` (what the limit's type and use can hold).
std::uint64_t positive(const YAML::Node& n, const char* key, std::uint64_t max) {
  long long v = 0;
  try {
    v = n.as<long long>();
  } catch (const YAML::Exception&) {
    throw ConfigError{n.Mark(),
                      fmt::format("'{}' must be a positive integer, at most {}", key, max)};
  }
  if (v <= 0) throw ConfigError{n.Mark(), fmt::format("'{}' must be a positive integer", key)};
  if (static_cast<std::uint64_t>(v) > max) {
    throw ConfigError{n.Mark(),
                      fmt::format("'{}' must be a positive integer, at most {}", key, max)};
  }
  return static_cast<std::uint64_t>(v);
}

// The values of `key` in the mapping `section`, which may hold only it (none when it is
// not written; yaml-cpp keeps a repeated key); another key is refused, naming `key`.
std::vector<YAML::Node> only_key(const YAML::Node& v, std::string_view section,
                                 std::string_view key) {
  if (!v.IsMap()) throw ConfigError{v.Mark(), fmt::format("'{}' must be a mapping", section)};
  std::vector<YAML::Node> values;
  for (const auto& e : v) {
    const std::string name = e.first.as<std::string>();
    if (name != key)
      throw ConfigError{e.first.Mark(),
                        fmt::format("unknown key '{}.{}' ({})", section, name, key)};
    values.push_back(e.second);
  }
  return values;
}

void parse_into(const YAML::Node& root, Config& cfg) {
  if (root.IsNull()) return;
  if (!root.IsMap()) throw ConfigError{root.Mark(), "the configuration must be a mapping"};
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "disable") {
      if (!v.IsSequence()) throw ConfigError{v.Mark(), "'disable' must be a list of rule codes"};
      for (const auto& c : v) {
        const std::string code = c.as<std::string>();
        if (auto err = check_code(code)) throw ConfigError{c.Mark(), *err};
        cfg.disabled.insert(code);
      }
    } else if (key == "severity") {
      if (!v.IsMap())
        throw ConfigError{v.Mark(), "'severity' must map rule codes to error, warning or info"};
      for (const auto& s : v) {
        const std::string code = s.first.as<std::string>();
        if (auto err = check_code(code)) throw ConfigError{s.first.Mark(), *err};
        const auto sev = parse_severity(s.second.as<std::string>());
        if (!sev) throw ConfigError{s.second.Mark(), "severity must be error, warning or info"};
        cfg.severities[code] = *sev;
      }
    } else if (key == "limits") {
      if (!v.IsMap()) throw ConfigError{v.Mark(), "'limits' must be a mapping"};
      for (const auto& l : v) {
        const std::string name = l.first.as<std::string>();
        if (name == "max-bytes") {
          cfg.limits.max_bytes = positive(l.second, "max-bytes", 0xFFFFFFFFULL);
        } else if (name == "max-columns") {
          cfg.limits.max_columns =
              static_cast<std::uint32_t>(positive(l.second, "max-columns", 1U << 20));
        } else if (name == "max-padding-cells") {
          cfg.limits.max_padding_cells = positive(l.second, "max-padding-cells", 0xFFFFFFFFULL);
        } else {
          throw ConfigError{
              l.first.Mark(),
              fmt::format("unknown limit '{}' (max-bytes, max-columns, max-padding-cells)", name)};
        }
      }
    } else if (key == "parties") {
      for (const YAML::Node& aliases : only_key(v, "parties", "aliases")) {
        if (!aliases.IsSequence())
          throw ConfigError{aliases.Mark(), "'parties.aliases' must be a list of lists of names"};
        for (const auto& group : aliases) {
          if (!group.IsSequence())
            throw ConfigError{group.Mark(), "each alias group must be a list of names"};
          std::vector<std::string> names;
          for (const auto& n : group) names.push_back(n.as<std::string>());
          cfg.aliases.groups.push_back(std::move(names));
        }
      }
    } else if (key == "sarif") {
      for (const YAML::Node& base : only_key(v, "sarif", "help-uri-base"))
        cfg.help_uri_base = base.as<std::string>();
    } else {
      throw ConfigError{
          kv.first.Mark(),
          fmt::format("unknown key '{}' (disable, severity, limits, parties, sarif)", key)};
    }
  }
}

}  // namespace

Result<Config> parse_config(const std::string& text, const std::string& display_path) {
  Config cfg;
  cfg.path = display_path;
  try {
    parse_into(YAML::Load(text), cfg);
  } catch (const ConfigError& e) {
    return Error{display_path, static_cast<std::uint32_t>(e.mark.line + 1),
                 static_cast<std::uint32_t>(e.mark.column + 1), e.message};
  } catch (const YAML::Exception& e) {
    return Error{display_path, static_cast<std::uint32_t>(e.mark.line + 1),
                 static_cast<std::uint32_t>(e.mark.column + 1),
                 fmt::format("invalid YAML: {}", e.msg)};
  }
  return cfg;
}

Result<Config> load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path.string(), 0, 0, "cannot be opened for reading"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path.string());
}

}  // namespace racine::config

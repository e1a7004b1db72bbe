#pragma once
// Which rules run and at what severity: what the linter needs from the configuration
// (config/config.h reads it from `.racine.yaml`; command-line flags override it).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/diagnostic.h"

namespace racine::lint {

struct RuleSettings {
  std::set<std::string> disabled;              // codes turned off
  std::map<std::string, Severity> severities;  // codes with another severity

  // Effective severity of a rule's finding, or nullopt when the rule is disabled.
  [[nodiscard]] std::optional<Severity> severity_of(std::string_view code, Severity fallback) const;
};

// Checks that `code` names a rule: nullopt, or an error message.
std::optional<std::string> check_code(std::string_view code);

}  // namespace racine::lint

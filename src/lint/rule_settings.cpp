#include "lint/rule_settings.h"

#include <fmt/format.h>

#include "lint/rule.h"

namespace racine::lint {

std::optional<Severity> RuleSettings::severity_of(std::string_view code, Severity fallback) const {
  if (disabled.empty() && severities.empty()) return fallback;
  const std::string c(code);
  if (disabled.count(c) != 0) return std::nullopt;
  const auto it = severities.find(c);
  return it == severities.end() ? fallback : it->second;
}

std::optional<std::string> check_code(std::string_view code) {
  if (find_rule(code) != nullptr) return std::nullopt;
  return fmt::format("unknown rule code '{}' (racine rules lists them)", code);
}

}  // namespace racine::lint

#include "core/diagnostic.h"

namespace racine {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "error") return Severity::error;
  if (s == "warning" || s == "warn") return Severity::warning;
  if (s == "info" || s == "note") return Severity::info;
  return std::nullopt;
}

}  // namespace racine

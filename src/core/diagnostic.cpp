#include "core/diagnostic.h"

#include <algorithm>

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

std::string fill_form(std::string_view form,
                      const std::vector<std::pair<std::string, std::string>>& args) {
  std::string out;
  out.reserve(form.size() + 32);
  for (std::size_t i = 0; i < form.size();) {
    const std::size_t close = form[i] == '{' ? form.find('}', i) : std::string_view::npos;
    if (close != std::string_view::npos) {
      const std::string_view name = form.substr(i + 1, close - i - 1);
      const auto it =
          std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
      if (it != args.end()) {
        out += it->second;
        i = close + 1;
        continue;
      }
    }
    out += form[i++];
  }
  return out;
}

}  // namespace racine

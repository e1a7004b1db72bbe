#pragma once
// The catalog described for report writers (SARIF), with each rule's page.

#include <string>
#include <vector>

#include "core/report.h"

namespace racine::lint {

// Where rule pages are linked from when no `sarif.help-uri-base` is configured: the
// documentation served by `racine serve` on its default address.
inline constexpr const char* k_default_help_uri_base = "http://127.0.0.1:8080/docs/rules/";

// Every rule, with its page and help URI (`base` + code; the default base when empty).
std::vector<RuleInfo> rule_infos(const std::string& base);

}  // namespace racine::lint

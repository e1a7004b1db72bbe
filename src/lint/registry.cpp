// The one list of rules. Rules are listed here explicitly rather than registered by
// static objects, which a static library would drop at link time.

#include <array>
#include <functional>
#include <string>

#include "core/embedded.h"
#include "lint/rule.h"

namespace racine::lint {

std::span<const Rule> all_rules() {
  static const std::array<std::reference_wrapper<const Rule>, 24> k_refs = {
      k_rac101, k_rac102, k_rac103, k_rac104, k_rac105, k_rac106, k_rac201, k_rac202,
      k_rac203, k_rac204, k_rac205, k_rac206, k_rac301, k_rac302, k_rac303, k_rac401,
      k_rac402, k_rac403, k_rac501, k_rac502, k_rac503, k_rac601, k_rac602, k_rac901};
  static const std::vector<Rule> k_rules(k_refs.begin(), k_refs.end());
  return k_rules;
}

const Rule* find_rule(std::string_view code) {
  for (const auto& r : all_rules()) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

std::string_view rule_page(std::string_view code) {
  return embedded::find("rules/" + std::string(code) + ".md");
}

void RuleContext::report(Span span, std::string message, std::string activity) {
  m_out.push_back(Diagnostic{std::string(m_rule.code),
                             m_rule.severity,
                             span,
                             std::move(message),
                             std::move(activity),
                             {},
                             {}});
}

void RuleContext::say(Span span, const char* form,
                      std::vector<std::pair<std::string, std::string>> args, std::string activity) {
  Diagnostic d{std::string(m_rule.code),
               m_rule.severity,
               span,
               fill_form(form, args),
               std::move(activity),
               {},
               {}};
  d.form = form;
  d.args = std::move(args);
  m_out.push_back(std::move(d));
}

}  // namespace racine::lint

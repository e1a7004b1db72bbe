// racine rules | racine explain CODE

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/text.h"
#include "lint/rule.h"

namespace racine::cli {

Command add_rules(CLI::App& root) {
  CLI::App* app = root.add_subcommand("rules", tr("List the rule catalog"));
  document(app, {{tr("Every rule: code, default severity, slug, summary"), "racine rules"}});
  return {app, [] {
            for (const auto& r : lint::all_rules()) {
              fmt::print("{}  {:<8} {:<26} {}\n", r.code, to_string(r.severity), r.slug, r.summary);
            }
            return k_exit_ok;
          }};
}

Command add_explain(CLI::App& root) {
  auto code = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("explain", tr("Show the documentation of a rule"));
  app->add_option("CODE", *code, tr("A rule code (RAC202) or slug (single-accountable)"))
      ->required();
  document(app, {{tr("Why a matrix needs exactly one Accountable"), "racine explain RAC202"},
                 {tr("The same rule by its slug"), "racine explain single-accountable"}});
  return {app, [code] {
            std::string c = *code;
            for (auto& ch : c) ch = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch;
            const lint::Rule* rule = lint::find_rule(c);
            if (rule == nullptr) {
              for (const auto& r : lint::all_rules()) {
                if (r.slug == *code) rule = &r;
              }
            }
            if (rule == nullptr) {
              print_usage_error(trf("unknown rule code '{}' (racine rules lists them)", *code));
              return k_exit_error;
            }
            fmt::print("{}", lint::rule_page(rule->code));
            return k_exit_ok;
          }};
}

}  // namespace racine::cli

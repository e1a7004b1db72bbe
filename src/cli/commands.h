#pragma once
// One function per sub-command; each registers its options on the CLI11 app and
// returns a handle whose `run` is called after parsing.

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "cli/common.h"

namespace racine::cli {

// A registered sub-command: call `run` when `app` was chosen.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Makes a vector option repeatable one value at a time (`--with A --with B FILE`), so
// that it never swallows the positional arguments that follow it.
inline CLI::Option* repeatable(CLI::Option* o) {
  return o->expected(1)->allow_extra_args(false)->multi_option_policy(
      CLI::MultiOptionPolicy::TakeAll);
}

// --from FORMAT: the format of the input matrix (standard input above all), for every
// command that reads one.
inline CLI::Option* add_from(CLI::App* app, std::optional<std::string>& from) {
  return app
      ->add_option("--from", from,
                   "Input format (md, yaml, json, csv; default: by extension, else md)")
      ->check(CLI::IsMember(document_formats()));
}

Command add_lint(CLI::App& root);
Command add_export(CLI::App& root);
Command add_show(CLI::App& root);  // the built-in matrix as compiled in
Command add_init(CLI::App& root);  // a commented starter matrix
Command add_convert(CLI::App& root);
Command add_fmt(CLI::App& root);
Command add_explain(CLI::App& root);
Command add_rules(CLI::App& root);
Command add_options(CLI::App& root);
Command add_resolve(CLI::App& root);
Command add_who(CLI::App& root);
Command add_duties(CLI::App& root);
Command add_summary(CLI::App& root);
Command add_diff(CLI::App& root);
Command add_i18n(CLI::App& root);
std::vector<Command> add_k8s(CLI::App& root);    // k8s who, k8s lint
std::vector<Command> add_route(CLI::App& root);  // route test
Command add_completion(CLI::App& root);
Command add_man(CLI::App& root);
std::vector<Command> add_serve(CLI::App& root);  // serve, token create

}  // namespace racine::cli

#pragma once
// One function per sub-command; each registers its options on the CLI11 app and
// returns a handle whose `run` is called after parsing.

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "cli/common.h"
#include "cli/help.h"
#include "cli/messages.h"

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
                   tr("Format of the input (default: by the file's extension, else md)"))
      ->check(CLI::IsMember(document_formats()))
      ->option_text("FORMAT");
}

// --matrix FILE: the matrix a query reads.
inline CLI::Option* add_matrix(CLI::App* app, std::string& matrix) {
  return app
      ->add_option("--matrix", matrix,
                   tr("Matrix file ('-' for standard input; none: the built-in matrix)"))
      ->option_text("FILE");
}

// --with OPTION (repeatable): contract options applied to the matrix first.
inline CLI::Option* add_with(CLI::App* app, std::vector<std::string>& with) {
  return repeatable(app->add_option("--with", with,
                                    tr("Apply this contract option first (see `racine options`)")))
      ->option_text("OPTION");
}

// --config FILE: the configuration to use instead of the nearest .racine.yaml.
inline CLI::Option* add_config(CLI::App* app, std::optional<std::string>& path) {
  return app
      ->add_option("--config", path,
                   tr("Use this configuration instead of the nearest .racine.yaml"))
      ->option_text("FILE");
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

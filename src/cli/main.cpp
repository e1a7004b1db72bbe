// racine: the command-line front end. Parses the command line and calls one sub-command;
// all the work is in the library. Exceptions are bugs: caught here once.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace racine::cli;
  CLI::App app{"racine: check, query and act on responsibility assignment (RACI) matrices"};
  app.set_version_flag("--version", std::string(RACINE_VERSION));
  app.require_subcommand(1);
  std::vector<Command> commands = {add_lint(app),    add_fmt(app),     add_export(app),  add_convert(app),
                                   add_options(app), add_resolve(app), add_who(app),     add_duties(app),
                                   add_summary(app), add_diff(app),    add_i18n(app),    add_explain(app), add_rules(app),   add_completion(app),
                                   add_man(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return k_exit_error;
  }
  try {
    for (const auto& c : commands) {
      if (c.app->parsed()) return c.run();
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "racine: internal error: {}\n", e.what());
    return 3;
  }
  return k_exit_error;
}

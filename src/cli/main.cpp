// racine: the command-line front end. Parses the command line and calls one sub-command;
// all the work is in the library. Exceptions are bugs: caught here once.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <sstream>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"

namespace {

using racine::cli::k_exit_error;

// Standard output that could not be written (a full disk, /dev/full) is an error of
// its own: exit 2 with the system's message, whatever the command found. `err` is the
// errno of the failure when known.
int output_failed(int err) {
  std::fprintf(stderr, "racine: <stdout>: cannot be written: %s\n",
               err != 0 ? std::strerror(err) : "input/output error");
  return k_exit_error;
}

// What the command returned, unless standard output failed on the way or at the last
// flush.
int finish(int status) {
  errno = 0;
  if (std::fflush(stdout) != 0) return output_failed(errno);
  if (std::ferror(stdout) != 0) return output_failed(errno);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace racine::cli;
  // A closed pipe (`racine export | head -c1`) ends racine quietly by SIGPIPE, as it
  // does cat and grep, even when the parent ignored the signal (docs/output.md).
  std::signal(SIGPIPE, SIG_DFL);
  // Installed as kubectl-raci, racine is a kubectl plugin: `kubectl raci who ...` runs
  // `kubectl-raci who ...`, which means `racine k8s who ...`.
  static char k8s_word[] = "k8s";
  const std::string_view self = argc > 0 ? std::string_view(argv[0]) : std::string_view();
  std::vector<char*> args;
  args.reserve(static_cast<std::size_t>(argc) + 2);
  for (int i = 0; i < argc; ++i) {
    args.push_back(argv[i]);
    if (i == 0 && (self == "kubectl-raci" || self.ends_with("/kubectl-raci")))
      args.push_back(k8s_word);
  }
  args.push_back(nullptr);
  argc = static_cast<int>(args.size()) - 1;
  argv = args.data();
  CLI::App app{"racine: check, query and act on responsibility assignment (RACI) matrices"};
  app.set_version_flag("--version", std::string(RACINE_VERSION));
  app.require_subcommand(1);
  std::vector<Command> commands = {
      add_lint(app),    add_fmt(app),     add_export(app), add_convert(app),    add_options(app),
      add_resolve(app), add_who(app),     add_duties(app), add_summary(app),    add_diff(app),
      add_i18n(app),    add_explain(app), add_rules(app),  add_completion(app), add_man(app)};
  for (auto& c : add_k8s(app)) commands.push_back(std::move(c));
  for (auto& c : add_serve(app)) commands.push_back(std::move(c));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11's messages quote the arguments: escaped, like every message quoting input.
    fmt::print(stderr, "{}\nRun with --help for more information.\n", printable(e.what()));
    return k_exit_error;
  }
  try {
    for (const auto& c : commands) {
      if (c.app->parsed()) return finish(c.run());
    }
  } catch (const std::system_error& e) {
    if (std::ferror(stdout) != 0) return output_failed(e.code().value());  // fmt::print failed
    fmt::print(stderr, "racine: internal error: {}\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    fmt::print(stderr, "racine: internal error: {}\n", e.what());
    return 3;
  }
  return k_exit_error;
}

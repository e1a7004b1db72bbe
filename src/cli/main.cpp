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
#include "cli/help.h"
#include "cli/messages.h"
#include "core/text.h"

namespace {

using racine::cli::k_exit_error;
using racine::cli::tr;
using racine::cli::trf;

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

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* s : app.get_subcommands({})) out.push_back(s->get_name());
  return out;
}

// A sub-command word that names no command of `parent` (nested ones too: `k8s whoo`):
// "unknown command 'k8s whoo'; did you mean 'k8s who'?", else "" when the words are known
// (or are options and arguments, which the parser judges).
std::string unknown_command(CLI::App& root, const std::vector<std::string>& words) {
  CLI::App* app = &root;
  std::string path;
  for (const auto& w : words) {
    const auto names = command_names(*app);
    if (names.empty() || w.empty() || w.front() == '-') return "";
    CLI::App* next = nullptr;
    for (CLI::App* s : app->get_subcommands({})) {
      if (s->get_name() == w) next = s;
    }
    const std::string here = path.empty() ? w : path + " " + w;
    if (next == nullptr) {
      const std::string near = racine::cli::nearest_word(w, names);
      std::string all;
      for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
      return near.empty() ? trf("unknown command '{}' (commands: {})", here, all)
                          : trf("unknown command '{}'; did you mean '{}'?", here,
                                path.empty() ? near : path + " " + near);
    }
    app = next;
    path = here;
  }
  return "";
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
  init_messages(argc > 0 ? argv[0] : nullptr);
  CLI::App app{tr("racine: check, query and act on responsibility assignment (RACI) matrices"),
               "racine"};
  // Inherited by every sub-command added below: racine's help formatter, its help flag
  // and its option heading, in the user's language.
  app.formatter(help_formatter());
  app.set_help_flag("-h,--help", tr("Print this help and exit"));
  app.option_defaults()->group(tr("Options"));
  app.set_version_flag("--version", std::string(RACINE_VERSION), tr("Print racine's version"));
  app.require_subcommand(1);
  std::vector<Command> commands = {
      add_lint(app),       add_fmt(app),     add_export(app),  add_show(app),    add_init(app),
      add_convert(app),    add_options(app), add_resolve(app), add_who(app),     add_duties(app),
      add_summary(app),    add_diff(app),    add_i18n(app),    add_explain(app), add_rules(app),
      add_completion(app), add_man(app)};
  for (auto& c : add_k8s(app)) commands.push_back(std::move(c));
  for (auto& c : add_route(app)) commands.push_back(std::move(c));
  for (auto& c : add_serve(app)) commands.push_back(std::move(c));
  // Answered before parsing (below); declared so that help, completion and the man page
  // list them.
  app.add_subcommand("help", tr("Show the help of racine or of a command (racine help who)"))
      ->allow_extras();
  app.add_subcommand("version", tr("Print racine's version"));
  name_command_groups(app);
  document(&app, {{tr("Check the built-in matrix"), "racine lint"},
                  {tr("Who restores a backup"), "racine who restaurer une sauvegarde"},
                  {tr("The help of a command"), "racine help who"}});
  // `racine help [CMD...]` is `racine [CMD...] --help`; `racine version` is `--version`.
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) words.emplace_back(argv[i]);
  static char help_flag[] = "--help";
  if (!words.empty() && words.front() == "help") {
    words.erase(words.begin());
    if (const std::string bad = unknown_command(app, words); !bad.empty()) {
      fmt::print(stderr, "racine: {}\n", printable(bad));
      return k_exit_error;
    }
    args.erase(args.begin() + 1);
    args.insert(args.end() - 1, help_flag);
    argc = static_cast<int>(args.size()) - 1;
    argv = args.data();
  } else if (words.size() == 1 && words.front() == "version") {
    fmt::print("{}\n", RACINE_VERSION);
    return finish(0);
  } else {
    // Only the leading words that are not options: `racine lnt`, `racine k8s whoo`.
    std::vector<std::string> leading;
    for (const auto& w : words) {
      if (w.empty() || w.front() == '-') break;
      leading.push_back(w);
    }
    if (!leading.empty()) {
      // Stop at the first word that is an argument of a known command (a file, a query).
      CLI::App* at = &app;
      std::vector<std::string> commandish;
      for (const auto& w : leading) {
        if (command_names(*at).empty()) break;
        commandish.push_back(w);
        CLI::App* next = nullptr;
        for (CLI::App* s : at->get_subcommands({})) {
          if (s->get_name() == w) next = s;
        }
        if (next == nullptr) break;
        at = next;
      }
      if (const std::string bad = unknown_command(app, commandish); !bad.empty()) {
        fmt::print(stderr, "racine: {}\n{}\n", printable(bad),
                   tr("Run 'racine help' for the list of commands."));
        return k_exit_error;
      }
    }
  }
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
    // One prefix for every error, the parser's included.
    std::string where = "racine";
    const CLI::App* command = &app;
    for (const CLI::App* s = &app; s != nullptr;) {
      const CLI::App* next = nullptr;
      for (const CLI::App* c : s->get_subcommands({})) {
        if (c->parsed()) next = c;
      }
      if (next != nullptr) {
        where += " " + next->get_name();
        command = next;
      }
      s = next;
    }
    fmt::print(stderr, "racine: {}\n{}\n", printable(parse_error_message(e, command)),
               trf("Run '{} --help' for more information.", where));
    return k_exit_error;
  }
  try {
    for (const auto& c : commands) {
      if (c.app->parsed()) return finish(c.run());
    }
  } catch (const std::system_error& e) {
    if (std::ferror(stdout) != 0) return output_failed(e.code().value());  // a print failed
    fmt::print(stderr, "racine: internal error: {}\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    fmt::print(stderr, "racine: internal error: {}\n", e.what());
    return 3;
  }
  return k_exit_error;
}

// racine options [FILE] [--json] [--lang L]
// racine resolve [FILE] --with OPTION... [--format json|md] [-o OUT]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cli/phrases.h"
#include "resolve/options.h"
#include "resolve/options_json.h"

namespace racine::cli {

namespace {

struct OptionsOptions {
  std::string file;
  bool json = false;
  std::string lang;
  InputOptions input;
};

int run_options(const OptionsOptions& o) {
  const auto m = load_matrix(o.file, o.input);
  if (!m) return k_exit_error;
  if (o.json) {
    fmt::print("{}\n", json_text(resolve::options_to_json(*m)));
    return k_exit_ok;
  }
  const Matrix shown = printable_matrix(*m);  // text from input never prints raw
  const Matrix* const mp = &shown;
  const Phrases& say = phrases_for(*m, o.lang);
  const std::string path = shown.source ? shown.source->path() : std::string();
  auto line_of = [&](Span s) { return mp->source ? mp->source->position(s.begin).line : 0U; };
  if (mp->options.empty()) {
    fmt::print("{}\n", fmt::format(fmt::runtime(say.no_options), path));
    return k_exit_ok;
  }
  for (const Option& opt : mp->options) {
    const int d = resolve::delegate_of(*mp, opt);
    const auto effects = resolve::effects_of(*mp, opt);
    const std::uint32_t line =
        opt.note >= 0 ? line_of(mp->notes[static_cast<std::size_t>(opt.note)].span) : 0U;
    fmt::print("{}  {}\n  {}\n", opt.id,
               fmt::format(fmt::runtime(say.option_marker), opt.marker, path, line), opt.text);
    if (resolve::delegable_rows(*mp, opt).empty()) {
      fmt::print("  {}\n\n", say.no_marked_cell);
      continue;
    }
    if (d < 0) {
      fmt::print("  {}\n\n", say.no_delegate);
      continue;
    }
    const std::string& to = mp->parties[static_cast<std::size_t>(d)].name;
    fmt::print("  {}\n", effects.size() == 1
                             ? fmt::format(fmt::runtime(say.hands_one), to)
                             : fmt::format(fmt::runtime(say.hands_many), effects.size(), to));
    for (const auto& e : effects) {
      const Activity& a = mp->sections[e.section].activities[e.activity];
      fmt::print("    {:>5}  {}\n", line_of(a.span), a.title);
    }
    fmt::print("\n");
  }
  return k_exit_ok;
}

struct ResolveOptions {
  std::string file;
  std::vector<std::string> with;
  std::optional<std::string> format;
  std::string output;
  std::string lang;
  InputOptions input;
};

int run_resolve(const ResolveOptions& o) {
  const auto format = choose_output_format("resolve", o.format, o.output, "md");
  if (!format) {
    print_usage_error(format.error().message);
    return k_exit_error;
  }
  const auto m = load_matrix(o.file, o.input, o.with);
  if (!m) return k_exit_error;
  std::optional<Matrix> original;
  if (format.value() == "html") {
    original = load_matrix(o.file, o.input);
    if (!original) return k_exit_error;
  }
  return write_matrix(*m, format.value(), o.output,
                      {"resolve", original ? &*original : &*m, o.file, o.input, o.with, o.lang});
}

}  // namespace

Command add_options(CLI::App& root) {
  auto o = std::make_shared<OptionsOptions>();
  CLI::App* app = root.add_subcommand(
      "options", tr("List the contract options and the activities each one changes"));
  app->add_option("FILE", o->file,
                  tr("Matrix file ('-' for standard input; none: the built-in matrix)"));
  app->add_flag("--json", o->json, tr("Write JSON for programs"));
  add_lang(app, o->lang);
  add_from(app, o->input.from);
  add_config(app, o->input.config_path);
  document(app, {{tr("The options of the built-in matrix"), "racine options"},
                 {tr("The same, for a program"), "racine options --json raci.md"}});
  return {app, [o] { return run_options(*o); }};
}

Command add_resolve(CLI::App& root) {
  auto o = std::make_shared<ResolveOptions>();
  CLI::App* app =
      root.add_subcommand("resolve", tr("Write the effective matrix under contract options"));
  app->add_option("FILE", o->file,
                  tr("Matrix file ('-' for standard input; none: the built-in matrix)"));
  add_with(app, o->with)->required();
  app->add_option("--format", o->format,
                  tr("Output format (default: by the extension of --output, else md)"))
      ->check(CLI::IsMember(output_formats()))
      ->option_text("FORMAT");
  app->add_option("-o,--output", o->output, tr("Write to this path instead of standard output"))
      ->option_text("FILE");
  add_report_lang(app, o->lang);
  add_from(app, o->input.from);
  add_config(app, o->input.config_path);
  document(app, {{tr("The built-in matrix under the managed-services contract"),
                  "racine resolve --with infogerance-complementaire"},
                 {tr("An HTML page of a client's effective matrix"),
                  "racine resolve --with OPTION -o client.html raci.md"}});
  return {app, [o] { return run_resolve(*o); }};
}

}  // namespace racine::cli

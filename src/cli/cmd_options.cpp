// racine options [FILE] [--json]
// racine resolve [FILE] --with OPTION... [--format json|md] [-o OUT]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "resolve/options.h"
#include "resolve/options_json.h"

namespace racine::cli {

namespace {

struct OptionsOptions {
  std::string file;
  bool json = false;
  InputOptions input;
};

int run_options(const OptionsOptions& o) {
  const auto m = load_matrix(o.file, o.input);
  if (!m) return k_exit_error;
  if (o.json) {
    fmt::print("{}\n", resolve::options_to_json(*m).dump(2));
    return k_exit_ok;
  }
  const std::string path = m->source ? m->source->path() : std::string();
  auto line_of = [&](Span s) { return m->source ? m->source->position(s.begin).line : 0U; };
  if (m->options.empty()) {
    fmt::print("{}: no options\n", path);
    return k_exit_ok;
  }
  for (const Option& opt : m->options) {
    const int d = resolve::delegate_of(*m, opt);
    const auto effects = resolve::effects_of(*m, opt);
    const std::uint32_t line = opt.note >= 0 ? line_of(m->notes[static_cast<std::size_t>(opt.note)].span) : 0U;
    fmt::print("{}  (marker {}, {}:{})\n  {}\n", opt.id, opt.marker, path, line, opt.text);
    if (resolve::delegable_rows(*m, opt).empty()) {
      fmt::print("  no cell carries its marker: it changes nothing\n\n");
      continue;
    }
    if (d < 0) {
      fmt::print("  names no single party to hand its rows to: it changes nothing\n\n");
      continue;
    }
    fmt::print("  hands {} {} to {}:\n", effects.size(), effects.size() == 1 ? "activity" : "activities",
               m->parties[static_cast<std::size_t>(d)].name);
    for (const auto& e : effects) {
      const Activity& a = m->sections[e.section].activities[e.activity];
      fmt::print("    {:>5}  {}\n", line_of(a.span), a.title);
    }
    fmt::print("\n");
  }
  return k_exit_ok;
}

struct ResolveOptions {
  std::string file;
  std::vector<std::string> with;
  std::string format = "md";
  std::string output;
  InputOptions input;
};

int run_resolve(const ResolveOptions& o) {
  const auto m = load_matrix(o.file, o.input, o.with);
  if (!m) return k_exit_error;
  return write_output(write_document(*m, o.format), o.output);
}

}  // namespace

Command add_options(CLI::App& root) {
  auto o = std::make_shared<OptionsOptions>();
  CLI::App* app = root.add_subcommand("options", "List the contract options and the activities each one changes");
  app->add_option("FILE", o->file, "Matrix file ('-' for standard input; none: the built-in matrix)");
  app->add_flag("--json", o->json, "Write JSON for programs");
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_options(*o); }};
}

Command add_resolve(CLI::App& root) {
  auto o = std::make_shared<ResolveOptions>();
  CLI::App* app = root.add_subcommand("resolve", "Write the effective matrix under contract options");
  app->add_option("FILE", o->file, "Matrix file ('-' for standard input; none: the built-in matrix)");
  repeatable(app->add_option("--with", o->with, "Apply this option (repeatable; see `racine options`)"))->required();
  app->add_option("--format", o->format, "Output format")->check(CLI::IsMember(document_formats()));
  app->add_option("-o,--output", o->output, "Write to this path instead of standard output");
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_resolve(*o); }};
}

}  // namespace racine::cli

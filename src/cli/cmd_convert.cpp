// racine convert IN OUT [--from FORMAT] [--to FORMAT] [--lang L]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "formats/document.h"

namespace racine::cli {

namespace {

struct ConvertOptions {
  std::string in;
  std::string out;
  std::optional<std::string> to;
  std::string lang;
  InputOptions input;
};

int run_convert(const ConvertOptions& o) {
  if (!o.to && o.out == "-") {
    print_usage_error(tr("convert: --to is needed to write to standard output"));
    return k_exit_error;
  }
  const auto to = choose_output_format("convert", o.to, o.out, std::nullopt);
  if (!to) {
    print_usage_error(to.error().message);
    return k_exit_error;
  }
  const auto m = load_matrix(o.in == "-" ? "-" : o.in, o.input);
  if (!m) return k_exit_error;
  // Roles are written as letters: what is not a role letter cannot follow.
  std::size_t dropped = 0;
  for (const auto& s : m->sections) {
    for (const auto& a : s.activities) {
      for (const auto& c : a.cells) dropped += c.unknown().empty() ? 0U : 1U;
    }
  }
  if (dropped > 0) {
    fmt::print(stderr, "racine: {}\n",
               dropped == 1 ? tr("warning: 1 cell holds letters that are not roles (RAC101, see "
                                 "`racine lint`); they are not written")
                            : trf("warning: {} cells hold letters that are not roles (RAC101, see "
                                  "`racine lint`); they are not written",
                                  dropped));
  }
  return write_matrix(*m, to.value(), o.out, {"convert", &*m, o.in, o.input, {}, o.lang});
}

}  // namespace

Command add_convert(CLI::App& root) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* app = root.add_subcommand("convert", tr("Convert a matrix between Markdown, YAML, JSON "
                                                    "and CSV, or write it in any export format"));
  app->add_option("IN", o->in, tr("Input file ('-' for standard input)"))->required();
  app->add_option("OUT", o->out, tr("Output file ('-' for standard output)"))->required();
  add_from(app, o->input.from);
  app->add_option("--to", o->to, tr("Output format (default: by the extension of OUT)"))
      ->check(CLI::IsMember(output_formats()))
      ->option_text("FORMAT");
  add_report_lang(app, o->lang);
  add_config(app, o->input.config_path);
  document(app,
           {{tr("Markdown to the canonical YAML"), "racine convert raci.md raci.yaml"},
            {tr("YAML back to Markdown, on standard output"), "racine convert --to md raci.yaml -"},
            {tr("A spreadsheet for people"), "racine convert raci.md raci.xlsx"}});
  return {app, [o] { return run_convert(*o); }};
}

}  // namespace racine::cli

// racine diff OLD NEW [--format text|json|md]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "compare/diff.h"
#include "compare/diff_report.h"

namespace racine::cli {

namespace {

struct DiffOptions {
  std::string before;
  std::string after;
  std::string format = "text";
  InputOptions input;
};

int run_diff(const DiffOptions& o) {
  if (o.before == "-" && o.after == "-") {
    print_usage_error(tr("diff: only one of OLD and NEW can be standard input"));
    return k_exit_error;
  }
  // --from names the format of standard input; files are read by their extension.
  auto input_of = [&](const std::string& path) {
    InputOptions in = o.input;
    if (path != "-") in.from.reset();
    return in;
  };
  const auto before = load_matrix(o.before, input_of(o.before));
  if (!before) return k_exit_error;
  const auto after = load_matrix(o.after, input_of(o.after));
  if (!after) return k_exit_error;
  if (o.format == "json") {
    const compare::Diff d = compare::diff(*before, *after);
    fmt::print("{}\n", json_text(compare::diff_json(d, *before, *after)));
    return d.empty() ? k_exit_ok : k_exit_found;
  }
  // Text and Markdown: compared on copies whose text is escaped, so that what the diff
  // quotes (names, titles, paths) never prints control characters raw.
  const Matrix old_shown = printable_matrix(*before);
  const Matrix new_shown = printable_matrix(*after);
  const compare::Diff d = compare::diff(old_shown, new_shown);
  print_out(o.format == "md" ? compare::diff_markdown(d, old_shown, new_shown)
                             : compare::diff_text(d, old_shown, new_shown));
  return d.empty() ? k_exit_ok : k_exit_found;
}

}  // namespace

Command add_diff(CLI::App& root) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* app =
      root.add_subcommand("diff", tr("What changed between two matrices (versions or offerings)"));
  app->add_option("OLD", o->before, tr("The old matrix (any format; '-' for standard input)"))
      ->required();
  app->add_option("NEW", o->after, tr("The new matrix"))->required();
  app->add_option("--format", o->format, tr("Output format: text, json or md (Markdown)"))
      ->check(CLI::IsMember({"text", "json", "md"}))
      ->capture_default_str()
      ->option_text("FORMAT");
  add_from(app, o->input.from);
  add_config(app, o->input.config_path);
  document(app,
           {{tr("What changed since the last release"), "racine diff v1/raci.md v2/raci.md"},
            {tr("Two offerings compared, for a pull request comment"),
             "racine diff --format md standard.yaml premium.yaml"}},
           {tr("0: the matrices say the same"), tr("1: they differ (the differences are printed)"),
            tr("2: usage error, or a file that cannot be read or parsed")});
  return {app, [o] { return run_diff(*o); }};
}

}  // namespace racine::cli

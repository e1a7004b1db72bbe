// racine diff OLD NEW [--format text|json|md]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "query/diff.h"
#include "query/diff_report.h"

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
    print_usage_error("diff: only one of OLD and NEW can be standard input");
    return k_exit_error;
  }
  const auto before = load_matrix(o.before, o.input);
  if (!before) return k_exit_error;
  const auto after = load_matrix(o.after, o.input);
  if (!after) return k_exit_error;
  const query::Diff d = query::diff(*before, *after);
  if (o.format == "json") {
    fmt::print("{}\n", query::diff_json(d, *before, *after).dump(2));
  } else if (o.format == "md") {
    fmt::print("{}", query::diff_markdown(d, *before, *after));
  } else {
    fmt::print("{}", query::diff_text(d, *before, *after));
  }
  return d.empty() ? k_exit_ok : k_exit_found;
}

}  // namespace

Command add_diff(CLI::App& root) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* app = root.add_subcommand("diff", "What changed between two matrices (versions or offerings)");
  app->add_option("OLD", o->before, "The old matrix (any format; '-' for standard input)")->required();
  app->add_option("NEW", o->after, "The new matrix")->required();
  app->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json", "md"}));
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_diff(*o); }};
}

}  // namespace racine::cli

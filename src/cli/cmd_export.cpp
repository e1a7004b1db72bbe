// racine export [FILE] --format json|yaml|csv|md|html|xlsx|oscal|ccm|ccm-csv [--with OPTION]... [-o
// OUT]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/embedded.h"
#include "formats/loader.h"

namespace racine::cli {

namespace {

struct ExportOptions {
  std::string file;
  std::optional<std::string> format;
  std::string output;
  std::vector<std::string> with;
  InputOptions input;
};

int run_export(const ExportOptions& o) {
  const auto format = choose_output_format("export", o.format, o.output, "json");
  if (!format) {
    print_usage_error(format.error().message);
    return k_exit_error;
  }
  const auto matrix = load_matrix(o.file, o.input, o.with);
  if (!matrix) return k_exit_error;
  std::optional<Matrix> original;
  if (format.value() == "html" && !o.with.empty()) {
    original = load_matrix(o.file, o.input);
    if (!original) return k_exit_error;
  }
  return write_matrix(*matrix, format.value(), o.output,
                      {"export", original ? &*original : &*matrix, o.file, o.input, o.with});
}

struct ShowOptions {
  bool rules = false;
};

// The built-in matrix's bytes, so that `<builtin:managed-kubernetes>:53` can be followed
// with the binary alone (`racine show | sed -n 53p`).
int run_show(const ShowOptions& o) {
  if (o.rules) {
    fmt::print("{}", embedded::find("managed-kubernetes.k8s.yaml"));
  } else {
    fmt::print("{}", builtin_matrix()->text());
  }
  return k_exit_ok;
}

}  // namespace

Command add_show(CLI::App& root) {
  auto o = std::make_shared<ShowOptions>();
  CLI::App* app = root.add_subcommand(
      "show",
      "Print the built-in matrix exactly as compiled in: its line numbers are those of "
      "<builtin:managed-kubernetes>:LINE in findings");
  app->add_flag("--rules", o->rules,
                "Print the built-in Kubernetes rules instead "
                "(<builtin:managed-kubernetes.k8s.yaml>)");
  return {app, [o] { return run_show(*o); }};
}

Command add_export(CLI::App& root) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = root.add_subcommand("export", "Write the matrix in another format");
  app->add_option("FILE", o->file,
                  "Markdown file ('-' for standard input; none: the built-in matrix)");
  app->add_option("--format", o->format,
                  "Output format: a matrix (md, yaml, json, csv), for people (html, xlsx) or for "
                  "auditors (oscal, ccm, "
                  "ccm-csv); default: by the extension of -o, else json")
      ->check(CLI::IsMember(output_formats()));
  add_from(app, o->input.from);
  repeatable(app->add_option(
      "--with", o->with, "Apply this contract option first (repeatable; see `racine options`)"));
  app->add_option("-o,--output", o->output, "Write to this path instead of standard output");
  app->add_option("--config", o->input.config_path,
                  "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_export(*o); }};
}

}  // namespace racine::cli

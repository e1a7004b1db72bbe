// racine export [FILE] --format json|yaml|csv|md [-o OUT]

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"

namespace racine::cli {

namespace {

struct ExportOptions {
  std::string file;
  std::string format = "json";
  std::string output;
  InputOptions input;
};

int run_export(const ExportOptions& o) {
  const auto matrix = load_matrix(o.file, o.input);
  if (!matrix) return k_exit_error;
  return write_output(write_document(*matrix, o.format), o.output);
}

}  // namespace

Command add_export(CLI::App& root) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = root.add_subcommand("export", "Write the matrix in another format");
  app->add_option("FILE", o->file, "Markdown file ('-' for standard input; none: the built-in matrix)");
  app->add_option("--format", o->format, "Output format")->check(CLI::IsMember(document_formats()));
  app->add_option("-o,--output", o->output, "Write to this path instead of standard output");
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_export(*o); }};
}

}  // namespace racine::cli

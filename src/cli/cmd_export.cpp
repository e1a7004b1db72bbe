// racine export [FILE] --format json [-o OUT]

#include <fmt/format.h>

#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "formats/json_writer.h"

namespace racine::cli {

namespace {

struct ExportOptions {
  std::string file;
  std::string format = "json";
  std::string output;
  InputOptions input;
};

int run_export(const ExportOptions& o) {
  auto config = config_for(o.file, o.input);
  if (!config) {
    print_error(config.error());
    return k_exit_error;
  }
  auto matrix = read_matrix(o.file, *config);
  if (!matrix) {
    print_error(matrix.error());
    return k_exit_error;
  }
  const std::string doc = write_json(*matrix);
  if (o.output.empty() || o.output == "-") {
    fmt::print("{}", doc);
    return k_exit_ok;
  }
  std::ofstream out(o.output, std::ios::binary);
  out << doc;
  out.close();
  if (!out) {
    print_error(Error{o.output, 0, 0, "cannot be written"});
    return k_exit_error;
  }
  return k_exit_ok;
}

}  // namespace

Command add_export(CLI::App& root) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = root.add_subcommand("export", "Write the matrix in another format");
  app->add_option("FILE", o->file, "Markdown file ('-' for standard input; none: the built-in matrix)");
  app->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"json"}));
  app->add_option("-o,--output", o->output, "Write to this path instead of standard output");
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_export(*o); }};
}

}  // namespace racine::cli

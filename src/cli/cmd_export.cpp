// racine export [FILE] --format json|yaml|csv|md|oscal|ccm|ccm-csv [--with OPTION]... [-o OUT]

#include <cstdlib>
#include <ctime>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "formats/compliance.h"

namespace racine::cli {

namespace {

struct ExportOptions {
  std::string file;
  std::string format = "json";
  std::string output;
  std::vector<std::string> with;
  InputOptions input;
};

// RFC 3339 UTC time of SOURCE_DATE_EPOCH when set (reproducible outputs), else now.
std::string timestamp() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    t = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int run_export(const ExportOptions& o) {
  const auto matrix = load_matrix(o.file, o.input, o.with);
  if (!matrix) return k_exit_error;
  if (o.format == "oscal") return write_output(write_oscal(*matrix, timestamp()), o.output);
  if (o.format == "ccm") return write_output(write_ccm_json(*matrix), o.output);
  if (o.format == "ccm-csv") return write_output(write_ccm_csv(*matrix), o.output);
  return write_output(write_document(*matrix, o.format), o.output);
}

}  // namespace

Command add_export(CLI::App& root) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = root.add_subcommand("export", "Write the matrix in another format");
  app->add_option("FILE", o->file, "Markdown file ('-' for standard input; none: the built-in matrix)");
  std::vector<std::string> formats = document_formats();
  formats.insert(formats.end(), {"oscal", "ccm", "ccm-csv"});
  app->add_option("--format", o->format, "Output format: a matrix (md, yaml, json, csv) or a compliance export (oscal, ccm, ccm-csv)")
      ->check(CLI::IsMember(formats));
  repeatable(app->add_option("--with", o->with, "Apply this contract option first (repeatable; see `racine options`)"));
  app->add_option("-o,--output", o->output, "Write to this path instead of standard output");
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_export(*o); }};
}

}  // namespace racine::cli

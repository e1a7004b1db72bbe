// racine i18n SOURCE TRANSLATION... [--format text|json|sarif] [--config PATH]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "compare/i18n.h"
#include "lint/linter.h"

namespace racine::cli {

namespace {

struct I18nOptions {
  std::string source;
  std::vector<std::string> translations;
  std::string format = "text";
  InputOptions input;
};

int run_i18n(const I18nOptions& o) {
  // --from names the format of standard input; files are read by their extension.
  InputOptions source_input = o.input;
  if (o.source != "-") source_input.from.reset();
  const auto source = load_matrix(o.source, source_input);
  if (!source) return k_exit_error;
  std::vector<FileReport> reports;
  std::string help_uri_base;
  for (const auto& path : o.translations) {
    const std::string shown = path == "-" ? "<stdin>" : path;
    auto config = config_for(path, o.input);
    if (!config) {
      print_error(config.error());
      return k_exit_error;
    }
    if (help_uri_base.empty()) help_uri_base = config->help_uri_base;
    auto matrix = read_matrix(path, *config, path == "-" ? o.input.from : std::nullopt);
    if (!matrix) {
      print_error(matrix.error());
      reports.push_back(failed_report(shown, matrix.error()));
      continue;
    }
    reports.push_back(
        lint::report(shown, *matrix, compare::compare_translation(*source, *matrix), *config));
  }
  print_reports(reports, o.format, help_uri_base);
  const ReportSummary s = summarize(reports);
  if (s.failed > 0) return k_exit_error;
  return s.errors + s.warnings + s.infos > 0 ? k_exit_found : k_exit_ok;
}

}  // namespace

Command add_i18n(CLI::App& root) {
  auto o = std::make_shared<I18nOptions>();
  CLI::App* app = root.add_subcommand(
      "i18n", tr("Check that translations say what their source says (RAC4xx)"));
  app->add_option("SOURCE", o->source, tr("The source matrix"))->required();
  app->add_option("TRANSLATION", o->translations, tr("Its translations"))->required();
  app->add_option("--format", o->format, tr("Output format: text, json or sarif"))
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str()
      ->option_text("FORMAT");
  add_from(app, o->input.from);
  add_config(app, o->input.config_path);
  document(
      app,
      {{tr("Check the English and German translations of a French matrix"),
        "racine i18n raci.fr.md raci.en.md raci.de.md"}},
      {tr("0: the translations say what the source says"), tr("1: a finding (RAC4xx) was printed"),
       tr("2: usage error, or a file that cannot be read or parsed")});
  return {app, [o] { return run_i18n(*o); }};
}

}  // namespace racine::cli

// racine lint [FILE...] [--format text|json|sarif|github] [--strict] [--disable CODE]...
//             [--severity CODE=LEVEL]... [--config PATH]

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "formats/loader.h"
#include "lint/linter.h"
#include "lint/rule.h"

namespace racine::cli {

namespace {

struct LintOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool strict = false;
  std::vector<std::string> disable;
  std::vector<std::string> severity;
  InputOptions input;
  std::optional<std::string> controls;  // a control mapping of the one matrix (RAC6xx)
};

int run_lint(const LintOptions& o) {
  // Command-line overrides, checked once.
  std::map<std::string, Severity> severities;
  for (const auto& code : o.disable) {
    if (auto err = lint::check_code(code)) {
      print_usage_error(fmt::format("--disable: {}", *err));
      return k_exit_error;
    }
  }
  for (const auto& s : o.severity) {
    const auto eq = s.find('=');
    const auto sev = eq == std::string::npos ? std::nullopt : parse_severity(s.substr(eq + 1));
    if (!sev) {
      print_usage_error(trf("--severity '{}': expected CODE=error|warning|info", s));
      return k_exit_error;
    }
    if (auto err = lint::check_code(s.substr(0, eq))) {
      print_usage_error(fmt::format("--severity: {}", *err));
      return k_exit_error;
    }
    severities[s.substr(0, eq)] = *sev;
  }

  std::vector<std::string> files = o.files;
  if (files.empty()) files.emplace_back();  // the built-in matrix
  if (o.controls && files.size() != 1) {
    print_usage_error(tr("lint: --controls checks a mapping against one matrix: give one FILE"));
    return k_exit_error;
  }
  std::vector<FileReport> reports;
  std::string help_uri_base;
  bool config_failed = false;
  for (const auto& path : files) {
    const std::string shown =
        path.empty() ? std::string(k_builtin_path) : (path == "-" ? "<stdin>" : path);
    auto config = config_for(path, o.input);
    if (!config) {
      print_error(config.error());
      config_failed = true;
      continue;
    }
    for (const auto& code : o.disable) config->disabled.insert(code);
    for (const auto& [code, sev] : severities) {
      config->disabled.erase(code);
      config->severities[code] = sev;
    }
    if (help_uri_base.empty()) help_uri_base = config->help_uri_base;
    auto matrix = read_matrix(path, *config, o.input.from);
    if (!matrix) {
      print_error(matrix.error());
      reports.push_back(failed_report(shown, matrix.error()));
      continue;
    }
    reports.push_back(lint::report(shown, *matrix, *config));
    if (o.controls) {
      auto c = load_controls(path, o.controls, *config);
      if (!c) {
        print_error(c.error());
        reports.push_back(failed_report(*o.controls, c.error()));
        continue;
      }
      FileReport r;
      r.path = *o.controls;
      r.source = c->source;
      r.activities = c->mappings.size();
      for (auto& d : reports::check_controls(*c, *matrix)) {
        if (config->disabled.contains(d.code)) continue;
        if (const auto it = config->severities.find(d.code); it != config->severities.end())
          d.severity = it->second;
        r.diagnostics.push_back(std::move(d));
      }
      reports.push_back(std::move(r));
    }
  }
  if (config_failed) return k_exit_error;

  print_reports(reports, o.format, help_uri_base);
  const ReportSummary s = summarize(reports);
  if (s.failed > 0) return k_exit_error;
  if (s.errors > 0 || (o.strict && s.warnings > 0)) return k_exit_found;
  return k_exit_ok;
}

}  // namespace

Command add_lint(CLI::App& root) {
  auto o = std::make_shared<LintOptions>();
  CLI::App* app = root.add_subcommand("lint", tr("Check matrices against the rule catalog"));
  app->add_option("FILE", o->files,
                  tr("Matrices to check: Markdown, YAML, JSON or CSV ('-' for standard input; "
                     "none: the built-in matrix)"));
  app->add_option("--format", o->format,
                  tr("Output format: text, json, sarif (code scanning) or github (GitHub Actions "
                     "annotations)"))
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str()
      ->option_text("FORMAT");
  app->add_flag("--strict", o->strict, tr("Exit 1 on warnings too"));
  repeatable(app->add_option("--disable", o->disable, tr("Turn a rule off")))->option_text("CODE");
  repeatable(app->add_option("--severity", o->severity,
                             tr("Change a rule's severity: CODE=error, warning or info")))
      ->option_text("CODE=LEVEL");
  app->add_option("--controls", o->controls,
                  tr("Check this control mapping against the matrix too (RAC601, RAC602; "
                     "docs/compliance.md)"))
      ->option_text("FILE");
  add_from(app, o->input.from);
  add_config(app, o->input.config_path);
  document(app,
           {{tr("Check the built-in matrix"), "racine lint"},
            {tr("Check a control mapping against its matrix"),
             "racine lint raci.md --controls raci.controls.yaml"},
            {tr("Check matrices, warnings failing too"), "racine lint --strict docs/raci.md"},
            {tr("Annotations for GitHub Actions"), "racine lint --format github docs/*.md"},
            {tr("Code scanning (SARIF), one rule off"),
             "racine lint --format sarif --disable RAC204 raci.md > raci.sarif"}},
           {tr("0: no error (warnings only fail with --strict)"),
            tr("1: errors were found (or warnings, with --strict)"),
            tr("2: usage error, or a file that cannot be read or parsed")});
  return {app, [o] { return run_lint(*o); }};
}

}  // namespace racine::cli

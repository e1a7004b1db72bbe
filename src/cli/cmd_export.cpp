// racine export [FILE] --format json|yaml|csv|md|html|xlsx|oscal|ccm|ccm-csv [--with OPTION]...
// [--lang L] [-o OUT]
// racine export [FILE] --format oscal-ssp|oscal-ssp-customer|crm-xlsx [--controls FILE]
// [--with OPTION]... [-o OUT]
// racine export [FILE] --format backstage [--with OPTION]... [-o OUT]
// racine export [FILE] --format alertmanager [--with OPTION]... [--party P] [--rules FILE]
// [--escalate-after DURATION] [-o OUT]

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/atomic_file.h"
#include "core/embedded.h"
#include "formats/document.h"
#include "formats/loader.h"
#include "query/duties.h"
#include "reports/backstage.h"
#include "reports/ssp.h"
#include "reports/xlsx_writer.h"
#include "route/alertmanager.h"
#include "service/service.h"

namespace racine::cli {

namespace {

struct ExportOptions {
  std::string file;
  std::optional<std::string> format;
  std::string output;
  std::vector<std::string> with;
  std::string lang;
  InputOptions input;
  // --format alertmanager only: the client's party, the rules, the contract's escalate_after.
  std::string party;
  std::optional<std::string> rules;
  std::optional<std::string> escalate_after;
  // --format oscal-ssp, oscal-ssp-customer, crm-xlsx: the control mapping.
  std::optional<std::string> controls;
};

// The customer responsibility matrix of the matrix under the options, by its control
// mapping: OSCAL system security plans or the workbook (reports/ssp.h).
int run_export_controls(const ExportOptions& o, const std::string& format) {
  auto config = config_for(o.file, o.input);
  if (!config) {
    print_error(config.error());
    return k_exit_error;
  }
  if (format == "crm-xlsx" && (o.output.empty() || o.output == "-")) {
    print_usage_error(tr("export --format crm-xlsx writes a file: give -o FILE.xlsx"));
    return k_exit_error;
  }
  const auto m = load_matrix(o.file, o.input, o.with);
  if (!m) return k_exit_error;
  auto controls = load_controls(o.file, o.controls, *config);
  if (!controls) {
    print_error(controls.error());
    return k_exit_error;
  }
  if (!controls_usable(*controls, *m)) return k_exit_error;
  if (format == "crm-xlsx") {
    auto bytes = reports::write_crm_xlsx(
        *m, reports::crm_rows(*m, *controls),
        controls->catalog_title.empty() ? controls->catalog_id : controls->catalog_title,
        controls->example);
    if (!bytes) {
      print_error(bytes.error());
      return k_exit_error;
    }
    return write_output(*bytes, o.output);
  }
  auto now = timestamp();
  if (!now) {
    print_error(now.error());
    return k_exit_error;
  }
  return write_output(
      reports::write_oscal_ssp(*m, *controls, *now, format == "oscal-ssp-customer", o.with),
      o.output);
}

// The matrix's alert routing under the options as an Alertmanager configuration
// (route/alertmanager.h; docs/routing.md, "An Alertmanager routing tree").
int run_export_alertmanager(const ExportOptions& o) {
  auto config = config_for(o.file, o.input);
  if (!config) {
    print_error(config.error());
    return k_exit_error;
  }
  const auto m = load_matrix(o.file, o.input, o.with);
  if (!m) return k_exit_error;
  auto rules = load_k8s_rules(o.file, o.rules, *config);
  if (!rules) {
    print_error(rules.error());
    return k_exit_error;
  }
  if (!k8s_rules_usable(*rules, *m)) return k_exit_error;
  route::AlertmanagerOptions am;
  am.with = o.with;
  if (!o.party.empty()) {
    const auto p = query::find_party(*m, o.party);
    if (!p) {
      print_usage_error(trf("--party: no party '{}' in this matrix", printable(o.party)));
      return k_exit_error;
    }
    am.party = m->parties[*p].id;
  }
  if (o.escalate_after) {
    const auto ms = service::duration_ms(*o.escalate_after);
    if (!ms) {
      print_usage_error(trf("--escalate-after: '{}' is not a duration (15m, 2h...)",
                            printable(*o.escalate_after)));
      return k_exit_error;
    }
    am.escalate_after_ms = *ms;
  }
  auto yaml = route::alertmanager_config(*rules, *m, am);
  if (!yaml) {
    print_error(yaml.error());
    return k_exit_error;
  }
  return write_output(*yaml, o.output);
}

int run_export(const ExportOptions& o) {
  const auto format = choose_output_format("export", o.format, o.output, "json");
  if (!format) {
    print_usage_error(format.error().message);
    return k_exit_error;
  }
  if (format.value() == "alertmanager") return run_export_alertmanager(o);
  const bool mapped = format.value() == "oscal-ssp" || format.value() == "oscal-ssp-customer" ||
                      format.value() == "crm-xlsx";
  if (o.controls && !mapped) {
    print_usage_error(
        tr("export: --controls is for --format oscal-ssp, oscal-ssp-customer and crm-xlsx"));
    return k_exit_error;
  }
  if (!o.party.empty() || o.rules || o.escalate_after) {
    print_usage_error(
        tr("export: --party, --rules and --escalate-after are for --format alertmanager"));
    return k_exit_error;
  }
  if (mapped) return run_export_controls(o, format.value());
  const auto matrix = load_matrix(o.file, o.input, o.with);
  if (!matrix) return k_exit_error;
  if (format.value() == "backstage")
    return write_output(reports::write_backstage(*matrix), o.output);
  std::optional<Matrix> original;
  if (format.value() == "html" && !o.with.empty()) {
    original = load_matrix(o.file, o.input);
    if (!original) return k_exit_error;
  }
  return write_matrix(
      *matrix, format.value(), o.output,
      {"export", original ? &*original : &*matrix, o.file, o.input, o.with, o.lang});
}

struct ShowOptions {
  bool rules = false;
};

// The built-in matrix's bytes, so that `<builtin:managed-kubernetes>:53` can be followed
// with the binary alone (`racine show | sed -n 53p`).
int run_show(const ShowOptions& o) {
  if (o.rules) {
    print_out(embedded::find("managed-kubernetes.k8s.yaml"));
  } else {
    print_out(builtin_matrix()->text());
  }
  return k_exit_ok;
}

struct InitOptions {
  std::string file = "raci.md";
  std::optional<std::string> format;
  bool force = false;
};

// A commented starter matrix (data/starter/), in Markdown or in the canonical YAML with
// its JSON Schema beside it for editors. Never overwrites a file unless --force.
int run_init(const InitOptions& o) {
  namespace fs = std::filesystem;
  std::string format = o.format.value_or("");
  if (format.empty()) {
    const Format f = format_of_path(o.file);
    format = f == Format::yaml ? "yaml" : f == Format::markdown || o.file == "-" ? "md" : "";
    if (format.empty()) {
      print_usage_error(
          trf("init: '{}' is neither .md nor .yaml: name the file so, or give --format md|yaml",
              o.file));
      return k_exit_error;
    }
  }
  const std::string_view text =
      embedded::find(format == "yaml" ? "starter/matrix.yaml" : "starter/matrix.md");
  if (o.file == "-") {
    print_out(text);
    return k_exit_ok;
  }
  std::error_code ec;
  if (!o.force && fs::exists(o.file, ec)) {
    print_usage_error(
        trf("init: {} exists: racine init never overwrites a file (--force replaces it)", o.file));
    return k_exit_error;
  }
  if (auto e = write_file_atomic(o.file, text)) {
    print_error(*e);
    return k_exit_error;
  }
  fmt::print("{}\n", trf("wrote {}: check it with `racine lint {}`", o.file, o.file));
  if (format == "yaml") {
    const fs::path schema = fs::path(o.file).parent_path() / "racine-1.schema.json";
    if (!fs::exists(schema, ec)) {
      if (auto e =
              write_file_atomic(schema.string(), embedded::find("schema/racine-1.schema.json"))) {
        print_error(*e);
        return k_exit_error;
      }
      fmt::print("{}\n", trf("wrote {}: the JSON Schema editors check {} against", schema.string(),
                             o.file));
    }
  }
  return k_exit_ok;
}

}  // namespace

Command add_init(CLI::App& root) {
  auto o = std::make_shared<InitOptions>();
  CLI::App* app = root.add_subcommand(
      "init", tr("Write a commented starter matrix (Markdown, or canonical YAML with its schema)"));
  app->add_option(
         "FILE", o->file,
         tr("The file to write ('-' for standard output); .md or .yaml chooses the format"))
      ->capture_default_str();
  app->add_option("--format", o->format, tr("md or yaml (default: by the extension of FILE)"))
      ->check(CLI::IsMember({"md", "yaml"}))
      ->option_text("FORMAT");
  app->add_flag("--force", o->force, tr("Replace FILE when it exists"));
  document(app,
           {{tr("A Markdown matrix to edit, then lint"), "racine init docs/raci.md"},
            {tr("The canonical YAML, with its JSON Schema beside it for editors"),
             "racine init raci.yaml"}},
           {tr("0: the file (and the schema) was written"),
            tr("2: usage error, the file exists (without --force), or it cannot be written")});
  return {app, [o] { return run_init(*o); }};
}

Command add_show(CLI::App& root) {
  auto o = std::make_shared<ShowOptions>();
  CLI::App* app = root.add_subcommand(
      "show", tr("Print the built-in matrix exactly as compiled in: its line numbers are those of "
                 "<builtin:managed-kubernetes>:LINE in findings"));
  app->add_flag("--rules", o->rules,
                tr("Print the built-in Kubernetes rules instead "
                   "(<builtin:managed-kubernetes.k8s.yaml>)"));
  document(app, {{tr("The line a finding points at"), "racine show | sed -n 53p"},
                 {tr("Start your own matrix from the built-in one"), "racine show > raci.md"}});
  return {app, [o] { return run_show(*o); }};
}

Command add_export(CLI::App& root) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = root.add_subcommand("export", tr("Write the matrix in another format"));
  app->add_option("FILE", o->file,
                  tr("Matrix file ('-' for standard input; none: the built-in matrix)"));
  app->add_option("--format", o->format,
                  tr("Output format: a matrix (md, yaml, json, csv), for people (html, xlsx), "
                     "for auditors (oscal, ccm, ccm-csv; by a control mapping: oscal-ssp, "
                     "oscal-ssp-customer, crm-xlsx), Backstage catalog entities (backstage) or "
                     "the alert routing as an Alertmanager configuration (alertmanager) "
                     "(default: by the extension of --output, else json)"))
      ->check(CLI::IsMember(export_formats()))
      ->option_text("FORMAT");
  add_from(app, o->input.from);
  add_with(app, o->with);
  app->add_option("-o,--output", o->output, tr("Write to this path instead of standard output"))
      ->option_text("FILE");
  add_report_lang(app, o->lang);
  app->add_option("--party", o->party,
                  tr("alertmanager: the client's party (id or name; default: the matrix's first "
                     "party); the gray zone goes to the first other party, the provider"))
      ->option_text("PARTY");
  app->add_option("--rules", o->rules,
                  tr("alertmanager: the Kubernetes rules file (default: the matrix's own; see "
                     "docs/kubernetes.md)"))
      ->option_text("FILE");
  app->add_option("--escalate-after", o->escalate_after,
                  tr("alertmanager: the contract's escalate_after, how long the Accountable "
                     "party's route waits (default: 15m)"))
      ->option_text("DURATION");
  app->add_option("--controls", o->controls,
                  tr("oscal-ssp, oscal-ssp-customer, crm-xlsx: the control mapping (default: "
                     "NAME.controls.yaml beside the matrix; the built-in matrix's example "
                     "mapping to CSA CCM v4; see docs/compliance.md)"))
      ->option_text("FILE");
  add_config(app, o->input.config_path);
  document(app,
           {{tr("A page people can read and print"), "racine export -o raci.html"},
            {tr("A client's effective matrix as a spreadsheet"),
             "racine export --with infogerance-complementaire -o client.xlsx"},
            {tr("For auditors: an OSCAL component definition"),
             "racine export --format oscal raci.md > raci.oscal.json"},
            {tr("The provider's OSCAL system security plan, by a control mapping"),
             "racine export --format oscal-ssp raci.md --controls raci.controls.yaml -o ssp.json"},
            {tr("The customer responsibility workbook, printable"),
             "racine export --format crm-xlsx -o crm.xlsx"},
            {tr("Backstage catalog entities: one Group per party, one Resource per activity"),
             "racine export --format backstage -o catalog-info.yaml"},
            {tr("The client's own Alertmanager routing by its contract"),
             "racine export --format alertmanager --with infogerance-complementaire -o "
             "alertmanager.yml"}},
           {tr("0: success"),
            tr("2: usage error, input that cannot be read, (alertmanager) broken Kubernetes "
               "rules or a rule Alertmanager cannot match as racine does, or (oscal-ssp, "
               "oscal-ssp-customer, crm-xlsx) a control mapping that cannot be read or names "
               "what the matrix or the catalog does not have")});
  return {app, [o] { return run_export(*o); }};
}

}  // namespace racine::cli

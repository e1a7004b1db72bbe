// racine export [FILE] --format json|yaml|csv|md|html|xlsx|oscal|ccm|ccm-csv [--with OPTION]... [-o OUT]

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "formats/compliance.h"
#include "formats/html_writer.h"
#include "formats/xlsx_writer.h"
#include "lint/linter.h"
#include "resolve/options.h"

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

// The page's extras: lint findings per row, delegable cells, what the options changed.
HtmlExtras html_extras(const Matrix& original, const Matrix& m, const ExportOptions& o) {
  HtmlExtras x;
  std::map<std::uint32_t, HtmlExtras::Key> by_line;
  for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
    for (std::uint32_t a = 0; a < m.sections[s].activities.size(); ++a) {
      by_line[m.source->position(m.sections[s].activities[a].span.begin).line] = {s, a};
    }
  }
  auto config = config_for(o.file, o.input);
  for (const auto& d : lint::run(m, config ? *config : lint::Config{})) {
    const auto it = by_line.find(m.source->position(d.span.begin).line);
    if (it != by_line.end()) {
      x.findings[it->second].push_back(fmt::format("{} {}: {}", d.code, to_string(d.severity), d.message));
    }
  }
  for (const Option& opt : m.options) {
    for (const auto& e : resolve::effects_of(m, opt)) {
      for (const auto& as : e.roles) {
        x.delegable[{{e.section, e.activity}, as.party}] = fmt::format("option {}: {}", opt.id, opt.text);
      }
    }
  }
  if (!o.with.empty()) {
    if (auto r = resolve::apply(original, o.with)) {
      for (const auto& c : r->changes) {
        for (std::size_t p = 0; p < c.before.size() && p < c.after.size(); ++p) {
          if (c.before[p] == c.after[p]) continue;
          const std::string was = c.before[p].to_string();
          x.changed[{{c.section, c.activity}, p}] = fmt::format("option {}: was {}", c.option, was.empty() ? "-" : was);
        }
      }
    }
    for (const auto& w : o.with) {
      if (!x.applied.empty()) x.applied += ", ";
      x.applied += w;
    }
  }
  return x;
}

int run_export(const ExportOptions& o) {
  const auto matrix = load_matrix(o.file, o.input, o.with);
  if (!matrix) return k_exit_error;
  if (o.format == "html") {
    const auto original = o.with.empty() ? matrix : load_matrix(o.file, o.input);
    if (!original) return k_exit_error;
    return write_output(write_html(*matrix, html_extras(*original, *matrix, o)), o.output);
  }
  if (o.format == "xlsx") {
    if (o.output.empty() || o.output == "-") {
      print_usage_error("export --format xlsx writes a file: give -o FILE.xlsx");
      return k_exit_error;
    }
    if (auto e = write_xlsx(*matrix, o.output)) {
      print_error(*e);
      return k_exit_error;
    }
    return k_exit_ok;
  }
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
  formats.insert(formats.end(), {"html", "xlsx", "oscal", "ccm", "ccm-csv"});
  app->add_option("--format", o->format, "Output format: a matrix (md, yaml, json, csv), for people (html, xlsx) or for auditors (oscal, ccm, ccm-csv)")
      ->check(CLI::IsMember(formats));
  repeatable(app->add_option("--with", o->with, "Apply this contract option first (repeatable; see `racine options`)"));
  app->add_option("-o,--output", o->output, "Write to this path instead of standard output");
  app->add_option("--config", o->input.config_path, "Use this configuration instead of the nearest .racine.yaml");
  return {app, [o] { return run_export(*o); }};
}

}  // namespace racine::cli

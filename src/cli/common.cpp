#include "cli/common.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <system_error>

#include "cli/messages.h"
#include "core/atomic_file.h"
#include "core/embedded.h"
#include "core/escape.h"
#include "formats/document.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "formats/spreadsheet.h"
#include "lint/report_writers.h"
#include "lint/rule_info.h"
#include "resolve/options.h"

namespace racine::cli {

Result<config::Config> config_for(const std::string& path, const InputOptions& options) {
  if (options.config_path) return config::load_config(*options.config_path);
  namespace fs = std::filesystem;
  fs::path dir = fs::current_path();
  if (!path.empty() && path != "-") {
    std::error_code ec;
    dir = fs::absolute(fs::path(path), ec).parent_path();
  }
  static std::map<std::string, Result<config::Config>> cache;
  const auto found = config::find_config(dir);
  if (!found) return config::Config{};
  const auto key = found->string();
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, config::load_config(*found)).first;
  return it->second;
}

Result<Matrix> read_matrix(const std::string& path, const config::Config& config,
                           const std::optional<std::string>& from) {
  if (path.empty())
    return read_markdown(builtin_matrix(), config.read_options("managed-kubernetes"));
  const std::string id = path == "-" ? "stdin" : matrix_id_from_path(path);
  if (const auto kind = sheet::kind_of(from ? *from : path, from.has_value()))
    return sheet::read_spreadsheet_file(path, *kind, config.read_options(id));
  auto src = path == "-" ? load_stream(std::cin, "<stdin>", config.limits)
                         : load_file(path, config.limits);
  if (!src) return src.error();
  Format format = format_of_path(path);
  if (from) format = parse_format(*from).value_or(Format::markdown);
  return read_document(*src, format,
                       config.read_options(path == "-" ? "stdin" : matrix_id_from_path(path)));
}

std::optional<Matrix> load_matrix(const std::string& path, const InputOptions& options,
                                  const std::vector<std::string>& with) {
  auto config = config_for(path, options);
  if (!config) {
    print_error(config.error());
    return std::nullopt;
  }
  auto matrix = read_matrix(path, *config, options.from);
  if (!matrix) {
    print_error(matrix.error());
    return std::nullopt;
  }
  if (with.empty()) return std::move(*matrix);
  auto resolved = resolve::apply(*matrix, with);
  if (!resolved) {
    print_error(resolved.error());
    return std::nullopt;
  }
  return std::move(resolved->matrix);
}

void print_out(std::string_view text) {
  // A failed write throws as fmt::print's does; main.cpp reports it with the system's
  // message and exit 2.
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
    throw std::system_error(errno, std::generic_category(), "<stdout>");
}

int write_output(const std::string& doc, const std::string& output) {
  if (output.empty() || output == "-") {
    print_out(doc);
    return k_exit_ok;
  }
  if (auto e = write_file_atomic(output, doc)) {
    print_error(*e);
    return k_exit_error;
  }
  return k_exit_ok;
}

const std::vector<std::string>& document_formats() {
  static const std::vector<std::string> k_names = [] {
    std::vector<std::string> v = format_names();
    v.insert(v.end(), {"xlsx", "ods"});
    return v;
  }();
  return k_names;
}

std::string write_document(const Matrix& m, const std::string& format) {
  return racine::write_document(m, parse_format(format).value_or(Format::json));
}

std::string roles_line(const Matrix& m, const Activity& a, std::string_view separator) {
  std::string out;
  for (const char r : m.roles.letters) {
    std::string who;
    for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
      if (!a.cells[p].roles.has_letter(r)) continue;
      if (!who.empty()) who += ", ";
      who += m.parties[p].name;
      if (!a.cells[p].remark().empty()) who += fmt::format(" ({})", a.cells[p].remark());
    }
    if (!out.empty()) out += separator;
    out += fmt::format("{}: {}", r, who.empty() ? "-" : who);
  }
  return out;
}

void print_reports(const std::vector<FileReport>& reports, const std::string& format,
                   const std::string& help_uri_base) {
  if (format == "json") {
    print_out(lint::write_json_report(reports));
  } else if (format == "github") {
    print_out(lint::write_github_report(reports));
  } else if (format == "sarif") {
    print_out(lint::write_sarif_report(reports, lint::rule_infos(help_uri_base), RACINE_VERSION));
  } else {
    print_out(lint::write_text_report(reports, use_color(), tr));
  }
}

void print_error(const Error& e) {
  // The place first, as compilers and lint findings write it ("raci.md:3:1: error: ..."),
  // so that editors and CI logs link the line; the program's name only where there is no
  // place to point at.
  if (e.line == 0) {
    fmt::print(stderr, "racine: {}\n", text::escape_controls(e.to_string()));
    return;
  }
  const std::string where = e.column == 0 ? fmt::format("{}:{}", e.path, e.line)
                                          : fmt::format("{}:{}:{}", e.path, e.line, e.column);
  // "error:" stays English, as in findings: problem matchers look for it.
  fmt::print(stderr, "{}: error: {}\n", text::escape_controls(where),
             text::escape_controls(e.message));
}

void print_usage_error(const std::string& message) {
  fmt::print(stderr, "racine: {}\n", text::escape_controls(message));
}

std::string printable(std::string_view s) {
  return text::escape_controls(s);
}

Matrix printable_matrix(const Matrix& m) {
  Matrix out = m;
  auto esc = [](std::string& s) { s = text::escape_controls(s); };
  esc(out.id);
  esc(out.title);
  if (m.source)
    out.source = std::make_shared<SourceFile>(text::escape_controls(m.source->path()),
                                              std::string(m.source->text()));
  for (auto& p : out.parties) {
    esc(p.id);
    esc(p.name);
    for (auto& sp : p.spellings) esc(sp.text);
  }
  for (auto& s : out.sections) {
    esc(s.title);
    for (auto& a : s.activities) {
      esc(a.id);
      esc(a.title);
      for (auto& t : a.titles) esc(t.second);
      for (auto& f : a.fields) {
        esc(f.name);
        esc(f.value);
      }
      for (auto& mk : a.title_markers) esc(mk);
      for (auto& c : a.cells) {
        esc(c.text);
        if (c.unknown().empty() && c.remark().empty() && c.markers().empty()) continue;
        CellExtras& e = c.edit();
        esc(e.unknown);
        esc(e.remark);
        for (auto& mk : e.markers) esc(mk);
      }
    }
  }
  for (auto& n : out.notes) {
    esc(n.marker);
    esc(n.text);
  }
  for (auto& u : out.marker_uses) esc(u.marker);
  for (auto& o : out.options) {
    esc(o.id);
    esc(o.marker);
    esc(o.text);
  }
  if (out.gray_zone) esc(out.gray_zone->text);
  return out;
}

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stdout)) != 0;
}

Result<k8s::RuleSet> load_k8s_rules(const std::string& matrix,
                                    const std::optional<std::string>& rules_file,
                                    const config::Config& config) {
  if (rules_file) {
    auto src = load_file(*rules_file, config.limits);
    if (!src) return src.error();
    return k8s::parse_rules(*src);
  }
  if (matrix.empty()) {
    const auto text = embedded::find("managed-kubernetes.k8s.yaml");
    auto src = load_text(std::string(text), "<builtin:managed-kubernetes.k8s.yaml>", config.limits);
    if (!src) return src.error();
    return k8s::parse_rules(*src);
  }
  const Format f = format_of_path(matrix);
  if (f == Format::yaml || f == Format::json) {
    auto src = load_file(matrix, config.limits);
    if (!src) return src.error();
    return k8s::parse_rules_in_matrix(*src);
  }
  namespace fs = std::filesystem;
  fs::path beside = fs::path(matrix);
  beside.replace_extension(".k8s.yaml");
  std::error_code ec;
  if (!fs::exists(beside, ec)) {
    return Error{matrix, 0, 0,
                 fmt::format("no Kubernetes rules for this matrix: write {} or pass --rules FILE",
                             beside.string())};
  }
  auto src = load_file(beside.string(), config.limits);
  if (!src) return src.error();
  return k8s::parse_rules(*src);
}

bool k8s_rules_usable(const k8s::RuleSet& rules, const Matrix& m) {
  auto problems = k8s::check_rules(rules, m);
  std::erase_if(problems, [](const Diagnostic& d) { return d.severity != Severity::error; });
  for (const auto& d : problems) {
    const Position p = rules.source->position(d.span.begin);
    print_error(Error{rules.source->path(), p.line, p.column, d.message + " [" + d.code + "]"});
  }
  if (!problems.empty())
    print_usage_error(tr("the Kubernetes rules are broken: `racine k8s lint` lists what to fix"));
  return problems.empty();
}

Result<reports::ControlMappings> load_controls(const std::string& matrix,
                                               const std::optional<std::string>& file,
                                               const config::Config& config) {
  if (file) {
    auto src = load_file(*file, config.limits);
    if (!src) return src.error();
    return reports::parse_controls(*src);
  }
  if (matrix.empty()) {
    const auto text = embedded::find("managed-kubernetes.controls.yaml");
    auto src =
        load_text(std::string(text), "<builtin:managed-kubernetes.controls.yaml>", config.limits);
    if (!src) return src.error();
    return reports::parse_controls(*src);
  }
  namespace fs = std::filesystem;
  fs::path beside = fs::path(matrix);
  beside.replace_extension(".controls.yaml");
  std::error_code ec;
  if (matrix == "-" || !fs::exists(beside, ec)) {
    return Error{matrix, 0, 0,
                 fmt::format("no control mapping for this matrix: write {} or pass --controls FILE "
                             "(docs/compliance.md)",
                             matrix == "-" ? std::string("NAME.controls.yaml") : beside.string())};
  }
  auto src = load_file(beside.string(), config.limits);
  if (!src) return src.error();
  return reports::parse_controls(*src);
}

bool controls_usable(const reports::ControlMappings& c, const Matrix& m) {
  auto problems = reports::check_controls(c, m);
  for (const auto& d : problems) {
    const Position p = c.source->position(d.span.begin);
    print_error(Error{c.source->path(), p.line, p.column, d.message + " [" + d.code + "]"});
  }
  if (!problems.empty())
    print_usage_error(
        tr("the control mapping is broken: `racine lint --controls FILE` lists what to fix"));
  return problems.empty();
}

}  // namespace racine::cli

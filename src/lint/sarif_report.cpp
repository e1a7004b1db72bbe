// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Columns are Unicode code
// points (declared with columnKind); artifact URIs are relative to the working directory
// when the path is, percent-encoded, with the built-in matrix as "builtin/...".

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "lint/report_writers.h"

namespace racine::lint {

namespace {

using nlohmann::ordered_json;

std::string percent_encode(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string artifact_uri(const std::string& path) {
  if (text::starts_with(path, "<builtin:")) {
    return "builtin/" + percent_encode(path.substr(9, path.size() - 10)) + ".md";
  }
  if (path == "<stdin>" || path == "-") return "stdin";
  const std::filesystem::path p(path);
  if (p.is_absolute()) return "file://" + percent_encode(p.lexically_normal().string());
  return percent_encode(p.lexically_normal().generic_string());
}

// FNV-1a, 64 bits: a stable hash for fingerprints.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

const char* level_of(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "note";
  }
  return "error";
}

// "single-accountable" -> "SingleAccountable": SARIF rule names are identifiers.
std::string pascal_case(std::string_view slug) {
  std::string out;
  bool up = true;
  for (const char c : slug) {
    if (c == '-') {
      up = true;
      continue;
    }
    out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    up = false;
  }
  return out;
}

}  // namespace

std::string write_sarif_report(const std::vector<FileReport>& reports,
                               const std::vector<RuleInfo>& rules, const std::string& version) {
  ordered_json jrules = ordered_json::array();
  for (const auto& r : rules) {
    ordered_json j;
    j["id"] = r.code;
    j["name"] = pascal_case(r.slug);
    j["shortDescription"] = {{"text", r.summary}};
    j["fullDescription"] = {{"text", r.description.empty() ? r.summary : r.description}};
    j["help"] = {{"text", r.help.empty() ? r.summary : r.help},
                 {"markdown", r.help.empty() ? r.summary : r.help}};
    j["helpUri"] = r.help_uri;
    j["defaultConfiguration"] = {{"level", level_of(r.severity)}};
    j["properties"] = {{"tags", {"raci"}}};
    jrules.push_back(std::move(j));
  }
  auto rule_index = [&](const std::string& code) -> int {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].code == code) return static_cast<int>(i);
    }
    return -1;
  };

  ordered_json results = ordered_json::array();
  ordered_json notifications = ordered_json::array();
  ordered_json artifacts = ordered_json::array();
  for (const auto& r : reports) {
    const std::string uri = artifact_uri(r.path);
    if (r.error) {
      ordered_json n;
      n["level"] = "error";
      n["message"] = {{"text", r.error->to_string()}};
      ordered_json loc;
      loc["physicalLocation"]["artifactLocation"] = {{"uri", uri}};
      if (r.error->line > 0) {
        loc["physicalLocation"]["region"] = {{"startLine", r.error->line}};
        if (r.error->column > 0) loc["physicalLocation"]["region"]["startColumn"] = r.error->column;
      }
      n["locations"] = ordered_json::array({loc});
      notifications.push_back(std::move(n));
      continue;
    }
    artifacts.push_back({{"location", {{"uri", uri}}}, {"mimeType", "text/markdown"}});
    const auto artifact_index = artifacts.size() - 1;
    for (const auto& d : r.diagnostics) {
      const Position b = r.source->position(d.span.begin);
      const Position e = r.source->position(std::max(d.span.end, d.span.begin));
      ordered_json res;
      res["ruleId"] = d.code;
      if (const int idx = rule_index(d.code); idx >= 0) res["ruleIndex"] = idx;
      res["level"] = level_of(d.severity);
      res["message"] = {{"text", d.message}};
      ordered_json region = {{"startLine", b.line}, {"startColumn", b.column}};
      if (e.line == b.line && e.column > b.column) {
        region["endLine"] = e.line;
        region["endColumn"] = e.column;
      }
      ordered_json phys;
      phys["artifactLocation"] = {{"uri", uri}, {"index", artifact_index}};
      phys["region"] = std::move(region);
      res["locations"] = ordered_json::array({{{"physicalLocation", std::move(phys)}}});
      const std::string line_text = text::collapse_spaces(r.source->line(b.line));
      res["partialFingerprints"] = {
          {"racineFingerprint/v1",
           fmt::format("{:016x}", fnv1a(d.code + '\x1f' + d.activity + '\x1f' + line_text))}};
      results.push_back(std::move(res));
    }
  }

  ordered_json driver;
  driver["name"] = "racine";
  driver["version"] = version;
  driver["semanticVersion"] = version;
  driver["rules"] = std::move(jrules);

  ordered_json run;
  run["tool"] = {{"driver", std::move(driver)}};
  ordered_json invocation;
  invocation["executionSuccessful"] = notifications.empty();
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  run["invocations"] = ordered_json::array({std::move(invocation)});
  run["artifacts"] = std::move(artifacts);
  run["results"] = std::move(results);
  run["columnKind"] = "unicodeCodePoints";

  ordered_json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = ordered_json::array({std::move(run)});
  // Paths come from the command line and may not be UTF-8: replaced (U+FFFD), never thrown on.
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace racine::lint

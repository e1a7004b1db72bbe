#include <nlohmann/json.hpp>

#include "formats/report_writers.h"

namespace racine {

std::string write_json_report(const std::vector<FileReport>& reports) {
  using nlohmann::ordered_json;
  ordered_json files = ordered_json::array();
  for (const auto& r : reports) {
    ordered_json f;
    f["path"] = r.path;
    if (r.error) {
      f["error"] = {{"line", r.error->line}, {"column", r.error->column}, {"message", r.error->message}};
      files.push_back(std::move(f));
      continue;
    }
    f["activities"] = r.activities;
    f["parties"] = r.parties;
    ordered_json diags = ordered_json::array();
    for (const auto& d : r.diagnostics) {
      const Position p = r.source->position(d.span.begin);
      ordered_json j;
      j["code"] = d.code;
      j["severity"] = std::string(to_string(d.severity));
      j["line"] = p.line;
      j["column"] = p.column;
      if (!d.activity.empty()) j["activity"] = d.activity;
      j["message"] = d.message;
      diags.push_back(std::move(j));
    }
    f["diagnostics"] = std::move(diags);
    files.push_back(std::move(f));
  }
  const ReportSummary s = summarize(reports);
  ordered_json root;
  root["version"] = 1;
  root["files"] = std::move(files);
  root["summary"] = {{"files", s.files}, {"errors", s.errors}, {"warnings", s.warnings}, {"infos", s.infos}};
  if (s.failed > 0) root["summary"]["failed"] = s.failed;
  return root.dump(2) + "\n";
}

}  // namespace racine

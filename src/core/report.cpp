#include "core/report.h"

namespace racine {

FileReport failed_report(std::string path, Error error) {
  FileReport r;
  r.path = std::move(path);
  r.error = std::move(error);
  return r;
}

ReportSummary summarize(const std::vector<FileReport>& reports) {
  ReportSummary s;
  s.files = reports.size();
  for (const auto& r : reports) {
    if (r.error) ++s.failed;
    for (const auto& d : r.diagnostics) {
      switch (d.severity) {
        case Severity::error: ++s.errors; break;
        case Severity::warning: ++s.warnings; break;
        case Severity::info: ++s.infos; break;
      }
    }
  }
  return s;
}

}  // namespace racine

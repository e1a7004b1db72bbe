// The lint report as JSON, written directly (a report on a large matrix has hundreds of
// thousands of findings; building a JSON tree first doubled the run's memory). The
// layout is nlohmann::json's dump(2), which the rest of racine's JSON also uses.

#include <fmt/format.h>

#include "core/escape.h"
#include "core/json_out.h"
#include "lint/report_writers.h"

namespace racine::lint {

namespace {

void append_string(std::string& out, std::string_view raw) {
  out += '"';
  // JSON is UTF-8: bytes that are not (a path from the command line) become U+FFFD.
  if (text::is_valid_utf8(raw)) {
    append_json_escaped(out, raw);
  } else {
    append_json_escaped(out, text::valid_utf8(raw));
  }
  out += '"';
}

}  // namespace

std::string write_json_report(const std::vector<FileReport>& reports) {
  std::string out;
  // About 250 bytes a finding: the report is written once, not copied as it grows.
  std::size_t findings = 0;
  for (const auto& r : reports) findings += r.diagnostics.size();
  out.reserve(512 + 256 * findings);
  out += "{\n  \"version\": 1,\n  \"files\": [";
  bool first_file = true;
  for (const auto& r : reports) {
    out += first_file ? "\n" : ",\n";
    first_file = false;
    out += "    {\n      \"path\": ";
    append_string(out, r.path);
    if (r.error) {
      out += fmt::format(
          ",\n      \"error\": {{\n        \"line\": {},\n        \"column\": {},\n        "
          "\"message\": ",
          r.error->line, r.error->column);
      append_string(out, r.error->message);
      out += "\n      }\n    }";
      continue;
    }
    out += fmt::format(",\n      \"activities\": {},\n      \"parties\": [", r.activities);
    for (std::size_t i = 0; i < r.parties.size(); ++i) {
      out += i == 0 ? "\n        " : ",\n        ";
      append_string(out, r.parties[i]);
    }
    out += r.parties.empty() ? "]" : "\n      ]";
    out += ",\n      \"diagnostics\": [";
    bool first = true;
    for (const auto& d : r.diagnostics) {
      const Position p = r.source->position(d.span.begin);
      out += first ? "\n" : ",\n";
      first = false;
      out += "        {\n          \"code\": ";
      append_string(out, d.code);
      out += ",\n          \"severity\": ";
      append_string(out, to_string(d.severity));
      out +=
          fmt::format(",\n          \"line\": {},\n          \"column\": {},\n", p.line, p.column);
      if (r.source->is_spreadsheet()) {
        out += "          \"cell\": ";
        append_string(out, r.source->cell(d.span.begin));
        out += ",\n";
      }
      if (!d.activity.empty()) {
        out += "          \"activity\": ";
        append_string(out, d.activity);
        out += ",\n";
      }
      out += "          \"message\": ";
      append_string(out, d.message);
      if (!d.form.empty()) {
        // The message's form and its values: a catalog translates the form (docs/output.md).
        out += ",\n          \"form\": ";
        append_string(out, d.form);
        out += ",\n          \"args\": {";
        bool first_arg = true;
        for (const auto& [k, v] : d.args) {
          out += first_arg ? "" : ", ";
          first_arg = false;
          append_string(out, k);
          out += ": ";
          append_string(out, v);
        }
        out += "}";
      }
      out += "\n        }";
    }
    out += first ? "]" : "\n      ]";
    out += "\n    }";
  }
  out += first_file ? "]" : "\n  ]";
  const ReportSummary s = summarize(reports);
  out += fmt::format(
      ",\n  \"summary\": {{\n    \"files\": {},\n    \"errors\": {},\n    \"warnings\": {},\n    "
      "\"infos\": {}",
      s.files, s.errors, s.warnings, s.infos);
  if (s.failed > 0) out += fmt::format(",\n    \"failed\": {}", s.failed);
  out += "\n  }\n}\n";
  return out;
}

}  // namespace racine::lint

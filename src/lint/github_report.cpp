#include <fmt/format.h>

#include "core/escape.h"
#include "lint/report_writers.h"

namespace racine::lint {

namespace {

// A workflow command's message: control characters made visible first (so that nothing
// from input can start a command of its own), then GitHub's own escapes.
std::string escape_data(std::string_view s) {
  std::string out;
  for (const char c : text::escape_controls(s)) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

// A property's value (file=, title=): also ':' and ','.
std::string escape_property(std::string_view s) {
  std::string out;
  for (const char c : escape_data(s)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

const char* command_of(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "notice";
  }
  return "notice";
}

}  // namespace

std::string write_github_report(const std::vector<FileReport>& reports) {
  std::string out;
  for (const auto& r : reports) {
    if (r.error) {
      // A file that could not be read is an error on the file (its line when known).
      const Error& e = *r.error;
      out += fmt::format("::error file={}", escape_property(r.path));
      if (e.line > 0) out += fmt::format(",line={}", e.line);
      if (e.column > 0) out += fmt::format(",col={}", e.column);
      out += fmt::format(",title=racine::{}\n", escape_data(e.message));
      continue;
    }
    for (const auto& d : r.diagnostics) {
      const Position p = r.source->position(d.span.begin);
      out += fmt::format("::{} file={},line={},col={},title={}::{}\n", command_of(d.severity),
                         escape_property(r.path), p.line, p.column, escape_property(d.code),
                         escape_data(d.message));
    }
  }
  // The same summary line as the text report (plain text: GitHub shows it in the log).
  const ReportSummary s = summarize(reports);
  auto plural = [](std::size_t n, const char* word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  const std::size_t read = s.files - s.failed;
  if (read > 0) {
    out += fmt::format("{} checked: {}, {}, {}\n", plural(read, "file"), plural(s.errors, "error"),
                       plural(s.warnings, "warning"), plural(s.infos, "info"));
  }
  return out;
}

}  // namespace racine::lint

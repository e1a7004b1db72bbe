#pragma once
// What a lint run produced, per file, ready for a writer (text, JSON, SARIF).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "core/source.h"

namespace racine {

// The outcome for one input.
struct FileReport {
  std::string path;  // as given by the user
  SourcePtr source;  // null when the file could not be read
  std::size_t activities = 0;
  std::vector<std::string> parties;
  std::vector<Diagnostic> diagnostics;
  std::optional<Error> error;  // set when the file could not be read or parsed
};

// The report on a file that could not be read or parsed.
FileReport failed_report(std::string path, Error error);

// Counts over a whole run.
struct ReportSummary {
  std::size_t files = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t infos = 0;
  std::size_t failed = 0;  // files that could not be read or parsed
};

ReportSummary summarize(const std::vector<FileReport>& reports);

// What a writer needs to know of a rule.
struct RuleInfo {
  std::string code;
  std::string slug;
  Severity severity = Severity::error;
  std::string summary;
  std::string description;  // first paragraph of the rule's page
  std::string help;         // the rule's whole page, Markdown
  std::string help_uri;
};

}  // namespace racine

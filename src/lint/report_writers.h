#pragma once
// Writers for lint reports: text for people, JSON for programs, SARIF 2.1.0 for code
// scanning. Each returns the whole document as a string; printing is the caller's job.

#include <string>
#include <vector>

#include "core/report.h"

namespace racine::lint {

// `path:line:col: severity: message [CODE]` per finding, then a summary line per file.
// `color` adds ANSI colours (the caller decides: a terminal, and no NO_COLOR). Paths
// and messages are written with control characters escaped (text::escape_controls).
// `translate`, when given, says a finding's form in the reader's language (the CLI's
// gettext catalog); findings without a form stay in English.
using Translate = const char* (*)(const char*);
std::string write_text_report(const std::vector<FileReport>& reports, bool color,
                              Translate translate = nullptr);

// GitHub Actions workflow commands, one per finding (`::error file=F,line=L,col=C,
// title=CODE::message`; infos are `::notice`), escaped as GitHub requires (`%`, CR, LF;
// `:` and `,` in properties) after control characters are made visible, so that nothing
// from input can forge a command; a file that could not be read is an `::error` on it.
// Then the text report's summary line.
std::string write_github_report(const std::vector<FileReport>& reports);

// The stable JSON shape of DESIGN.md ("version": 1).
std::string write_json_report(const std::vector<FileReport>& reports);

// SARIF 2.1.0 with one run; `rules` describes every rule of the catalog.
std::string write_sarif_report(const std::vector<FileReport>& reports,
                               const std::vector<RuleInfo>& rules, const std::string& version);

}  // namespace racine::lint

#pragma once
// The formats a command that writes a matrix can write (export, convert, resolve): the
// same for all three, chosen by flag or by the output file's extension, never one
// format under another's extension.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.h"
#include "core/matrix.h"
#include "core/result.h"

namespace racine::cli {

// md, yaml, json, csv (matrices), html, xlsx (for people), oscal, ccm, ccm-csv (for
// auditors), with the aliases markdown and yml: for option checks.
const std::vector<std::string>& output_formats();

// The same and alertmanager (an Alertmanager routing tree, which needs the matrix's
// Kubernetes rules): what `racine export` writes.
const std::vector<std::string>& export_formats();

// "md, yaml, json, csv, html, xlsx, oscal, ccm, ccm-csv": for messages.
std::string output_format_list();

// The format to write: `flag` when given, else the one `output`'s extension names, else
// `fallback` (nullopt: the command cannot tell, a usage error). A flag whose format
// does not match a known extension of `output` (`--format yaml -o out.json`) is a
// usage error. Errors are messages for print_usage_error, starting with `command`.
Result<std::string> choose_output_format(const std::string& command,
                                         const std::optional<std::string>& flag,
                                         const std::string& output,
                                         const std::optional<std::string>& fallback);

// What the HTML page shows besides the matrix: lint findings of the file, and what the
// options `with` changed from `original`.
struct PageContext {
  std::string command;               // export, convert, resolve: for messages
  const Matrix* original = nullptr;  // before the options; the matrix itself when none
  std::string file;                  // the input path, for its configuration
  InputOptions input;
  std::vector<std::string> with;
  std::string lang;  // --lang of the html and xlsx reports; empty: the matrix's language
};

// Adds `--lang` for the html and xlsx reports' labels: fr, en, de, es or it as `--lang`
// of the text output (cli/phrases.h); French and English are written, the others give
// English (reports::report_language decides).
void add_report_lang(CLI::App* app, std::string& lang);

// Writes `m` in `format` to `output` ("" or "-": standard output; XLSX refuses it).
// Returns the exit status; errors are printed.
int write_matrix(const Matrix& m, const std::string& format, const std::string& output,
                 const PageContext& page);

// RFC 3339 UTC time of SOURCE_DATE_EPOCH when set (reproducible outputs), else now; an
// Error when the variable is not a whole number of seconds from 0 to 253402300799
// (9999-12-31T23:59:59Z).
Result<std::string> timestamp();

}  // namespace racine::cli

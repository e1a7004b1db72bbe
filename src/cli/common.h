#pragma once
// Helpers shared by the sub-commands: finding the input and its configuration, and
// printing operational errors. Exit statuses follow DESIGN.md: 0 success, 1 the check
// found something, 2 usage error or unreadable input.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/matrix.h"
#include "core/report.h"
#include "core/result.h"
#include "k8s/rules.h"
#include "reports/controls.h"

namespace racine::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_found = 1;
inline constexpr int k_exit_error = 2;

// Flags that every command reading a matrix shares.
struct InputOptions {
  std::optional<std::string> config_path;  // --config
  std::optional<std::string> from;         // --from: the input's format, else by extension
};

// The configuration that applies to `path` (empty or "-" for the built-in matrix or
// standard input: searched from the working directory).
Result<config::Config> config_for(const std::string& path, const InputOptions& options);

// Reads the matrix at `path`: "" is the built-in default, "-" standard input. The format
// is `from` when given, else the file's extension (Markdown by default).
Result<Matrix> read_matrix(const std::string& path, const config::Config& config,
                           const std::optional<std::string>& from = std::nullopt);

// Reads the matrix at `path` with its configuration, then applies the options `with`
// (the effective matrix under an extra contract). Errors are printed; nullopt then.
std::optional<Matrix> load_matrix(const std::string& path, const InputOptions& options,
                                  const std::vector<std::string>& with = {});

// The Kubernetes rules of the matrix at `matrix` ("": the built-in matrix): `rules_file`
// when given, else the built-in matrix's own, else the `kubernetes:` key of a canonical
// matrix, else NAME.k8s.yaml beside a Markdown matrix (k8s who, route test, export
// --format alertmanager).
Result<k8s::RuleSet> load_k8s_rules(const std::string& matrix,
                                    const std::optional<std::string>& rules_file,
                                    const config::Config& config);

// False, once every error `racine k8s lint` would report (RAC501, RAC503) is printed,
// when the rules would classify wrongly against `m`.
bool k8s_rules_usable(const k8s::RuleSet& rules, const Matrix& m);

// The control mapping of the matrix at `matrix` ("": the built-in matrix): `file` when
// given, else the built-in matrix's example mapping to CSA CCM v4, else NAME.controls.yaml
// beside the matrix (export --format oscal-ssp, oscal-ssp-customer, crm-xlsx).
Result<reports::ControlMappings> load_controls(const std::string& matrix,
                                               const std::optional<std::string>& file,
                                               const config::Config& config);

// False, once every error `racine lint --controls` would report (RAC601, RAC602) is
// printed, when the mapping names what the matrix or the catalog does not have.
bool controls_usable(const reports::ControlMappings& c, const Matrix& m);

// Writes `doc` to `output` ("" or "-": standard output) with write_file_atomic.
// Returns the exit status; a failure is printed (path and the system's message).
int write_output(const std::string& doc, const std::string& output);

// Writes `text` to standard output as it is. Large documents go through here: fmt::print
// would copy them into its own buffer first (a 157 MB lint report: 7% of lint's time).
void print_out(std::string_view text);

// The document formats a matrix can be written in, and the writer of each.
const std::vector<std::string>& document_formats();
std::string write_document(const Matrix& m, const std::string& format);

// "R: Client   A: Client   C: -   I: Cloud Temple", in the matrix's role letters; a
// cell's remark after its party's name: "R: Dev (Build)".
std::string roles_line(const Matrix& m, const Activity& a, std::string_view separator = "   ");

// Prints the reports of lint-like commands (lint, i18n, k8s lint) in `format` (text,
// json, sarif) on standard output.
void print_reports(const std::vector<FileReport>& reports, const std::string& format,
                   const std::string& help_uri_base);

// Text taken from input or the command line, made safe for a terminal or a CI log
// (text::escape_controls): every text printer passes names, titles and paths through it.
std::string printable(std::string_view s);

// A copy of `m` for text printers: every text it holds (names, titles, cells, notes,
// options, the source's path) passed through `printable`; the structure is the same, so
// indexes computed on `m` hold in it.
Matrix printable_matrix(const Matrix& m);

// JSON for standard output, indented by 2. Text that is not UTF-8 (a path given on the
// command line) is replaced by U+FFFD instead of throwing.
template <typename Json>
std::string json_text(const Json& j) {
  return j.dump(2, ' ', false, Json::error_handler_t::replace);
}

// Prints "path:line:col: error: message" on standard error ("racine: path: message"
// when there is no line to point at), control characters
// escaped.
void print_error(const Error& e);

// Prints a usage error on standard error, control characters escaped.
void print_usage_error(const std::string& message);

// True when standard output is a terminal and NO_COLOR is unset or empty.
bool use_color();

}  // namespace racine::cli

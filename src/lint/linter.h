#pragma once
// Runs the catalog over a matrix: every enabled rule, then the document's suppression
// comments (reporting useless ones as RAC901), then the configured severities.

#include <vector>

#include "core/diagnostic.h"
#include "core/matrix.h"
#include "core/report.h"
#include "lint/rule_settings.h"

namespace racine::lint {

// Findings for `matrix`, sorted by position then code.
std::vector<Diagnostic> run(const Matrix& matrix, const RuleSettings& config);

// Findings made outside the catalog's checks (`racine i18n`): suppression comments that
// name their code apply, then the configured severities; sorted like `run`'s.
std::vector<Diagnostic> finish(const Matrix& matrix, std::vector<Diagnostic> found,
                               const RuleSettings& config);

// The report on one linted file, shown as `path`: counts, parties and findings.
FileReport report(std::string path, const Matrix& matrix, const RuleSettings& config);

// The same with findings made elsewhere (`racine i18n`), suppressed and configured by
// `finish`.
FileReport report(std::string path, const Matrix& matrix, std::vector<Diagnostic> found,
                  const RuleSettings& config);

}  // namespace racine::lint

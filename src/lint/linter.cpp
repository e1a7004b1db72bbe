#include "lint/linter.h"

#include <fmt/format.h>

#include <algorithm>

#include "lint/rule.h"

namespace racine::lint {

namespace {

bool names(const Suppression& s, std::string_view code) {
  return s.codes.empty() || std::find(s.codes.begin(), s.codes.end(), code) != s.codes.end();
}

// Marks which suppressions apply to `d`; true when at least one does.
bool suppressed(const Matrix& m, const Diagnostic& d, std::vector<std::vector<bool>>& used) {
  const std::uint32_t line = m.source->position(d.span.begin).line;
  bool hit = false;
  for (std::size_t i = 0; i < m.suppressions.size(); ++i) {
    const Suppression& s = m.suppressions[i];
    bool applies = false;
    switch (s.kind) {
      case Suppression::Kind::next_line: applies = s.line + 1 == line; break;
      case Suppression::Kind::line: applies = s.line == line; break;
      case Suppression::Kind::range_start: {
        if (s.line >= line) break;
        applies = true;
        // A later `racine-enable` for the code, before the finding, closes the range.
        for (const auto& e : m.suppressions) {
          if (e.kind == Suppression::Kind::range_end && e.line > s.line && e.line < line &&
              names(e, d.code)) {
            applies = false;
          }
        }
        break;
      }
      case Suppression::Kind::range_end: break;
    }
    if (!applies || !names(s, d.code)) continue;
    hit = true;
    if (s.codes.empty()) {
      used[i].assign(1, true);
    } else {
      for (std::size_t c = 0; c < s.codes.size(); ++c) {
        if (s.codes[c] == d.code) used[i][c] = true;
      }
    }
  }
  return hit;
}

// The configured severities applied (a disabled code drops out), sorted by position
// then code.
std::vector<Diagnostic> configured(std::vector<Diagnostic> out, const RuleSettings& config) {
  std::erase_if(out, [&](Diagnostic& d) {
    const Rule* rule = find_rule(d.code);
    const auto sev = config.severity_of(d.code, rule != nullptr ? rule->severity : d.severity);
    if (sev) d.severity = *sev;
    return !sev;
  });
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.code < b.code;
  });
  return out;
}

}  // namespace

std::vector<Diagnostic> run(const Matrix& matrix, const RuleSettings& config) {
  std::vector<Diagnostic> found;
  for (const Rule& rule : all_rules()) {
    if (rule.check == nullptr) continue;
    RuleContext ctx(matrix, rule, found);
    rule.check(ctx);
  }
  // Suppressions apply to what the rules found, before configuration, so that a
  // suppression of a rule disabled in the config is not reported as useless.
  std::vector<std::vector<bool>> used(matrix.suppressions.size());
  for (std::size_t i = 0; i < matrix.suppressions.size(); ++i) {
    used[i].assign(std::max<std::size_t>(matrix.suppressions[i].codes.size(), 1), false);
  }
  // Filtered in place: a large matrix's findings are not held twice (600,000 of them for
  // the 50 MB benchmark, 67 MB).
  if (!matrix.suppressions.empty())
    std::erase_if(found, [&](const Diagnostic& d) { return suppressed(matrix, d, used); });
  for (std::size_t i = 0; i < matrix.suppressions.size(); ++i) {
    const Suppression& s = matrix.suppressions[i];
    if (s.kind == Suppression::Kind::range_end) continue;
    if (s.codes.empty()) {
      if (!used[i][0]) {
        found.push_back(
            {"RAC901", k_rac901.severity, s.span, "suppression suppresses nothing", {}, {}, {}});
      }
      continue;
    }
    for (std::size_t c = 0; c < s.codes.size(); ++c) {
      if (find_rule(s.codes[c]) == nullptr) {
        found.push_back({"RAC901",
                         k_rac901.severity,
                         s.span,
                         fmt::format("suppression names unknown code '{}'", s.codes[c]),
                         {},
                         {},
                         {}});
      } else if (!used[i][c] &&
                 !find_rule(s.codes[c])->translation) {  // RAC4xx: `racine i18n` uses them
        found.push_back({"RAC901",
                         k_rac901.severity,
                         s.span,
                         fmt::format("suppression of {} suppresses nothing", s.codes[c]),
                         {},
                         {},
                         {}});
      }
    }
  }
  return configured(std::move(found), config);
}

std::vector<Diagnostic> finish(const Matrix& matrix, std::vector<Diagnostic> found,
                               const RuleSettings& config) {
  std::vector<std::vector<bool>> used(matrix.suppressions.size());
  for (std::size_t i = 0; i < matrix.suppressions.size(); ++i) {
    used[i].assign(std::max<std::size_t>(matrix.suppressions[i].codes.size(), 1), false);
  }
  std::vector<Diagnostic> out;
  for (auto& d : found) {
    // Only suppressions that name the code: a blanket one is meant for `racine lint`.
    bool named = false;
    for (const auto& s : matrix.suppressions)
      named = named || std::find(s.codes.begin(), s.codes.end(), d.code) != s.codes.end();
    if (named && suppressed(matrix, d, used)) continue;
    out.push_back(std::move(d));
  }
  return configured(std::move(out), config);
}

namespace {

FileReport report_with(std::string path, const Matrix& matrix,
                       std::vector<Diagnostic> diagnostics) {
  FileReport r;
  r.path = std::move(path);
  r.source = matrix.source;
  r.activities = matrix.activity_count();
  r.parties = matrix.party_names();
  r.diagnostics = std::move(diagnostics);
  return r;
}

}  // namespace

FileReport report(std::string path, const Matrix& matrix, const RuleSettings& config) {
  return report_with(std::move(path), matrix, run(matrix, config));
}

FileReport report(std::string path, const Matrix& matrix, std::vector<Diagnostic> found,
                  const RuleSettings& config) {
  return report_with(std::move(path), matrix, finish(matrix, std::move(found), config));
}

}  // namespace racine::lint

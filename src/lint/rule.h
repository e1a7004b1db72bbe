#pragma once
// A lint rule is a value that carries its own documentation: code, slug, default
// severity, summary, a failing and a fixed example, and the check itself.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/matrix.h"

namespace racine::lint {

struct Rule;

// What a check sees: the matrix, and where to put its findings.
class RuleContext {
 public:
  RuleContext(const Matrix& matrix, const Rule& rule, std::vector<Diagnostic>& out)
      : m_matrix(matrix), m_rule(rule), m_out(out) {}
  [[nodiscard]] const Matrix& matrix() const { return m_matrix; }
  // Records a finding of this rule at `span`.
  void report(Span span, std::string message, std::string activity = {});
  // The same, the message being a form (RACINE_FORM) and its named values: translated by
  // the catalogs (po/ for the CLI, the portal's), English as `message`.
  void say(Span span, const char* form, std::vector<std::pair<std::string, std::string>> args,
           std::string activity = {});

 private:
  const Matrix& m_matrix;
  const Rule& m_rule;
  std::vector<Diagnostic>& m_out;
};

using CheckFn = void (*)(RuleContext&);

// One entry of the catalog.
struct Rule {
  std::string_view code;          // "RAC202", stable and never reused
  std::string_view slug;          // "single-accountable"
  Severity severity;              // default severity
  std::string_view summary;       // one line, what the rule wants
  std::string_view bad_example;   // a Markdown document where the rule fires
  std::string_view good_example;  // the same, fixed: the rule stays silent
  CheckFn check;                  // nullptr for rules the linter itself applies (RAC901)
  bool translation = false;       // compares a translation with its source (RAC4xx, `racine i18n`);
                                  // its examples are two documents, split by a separator line
  bool kubernetes = false;  // checks Kubernetes rules (RAC5xx, `racine k8s lint`); its examples
                            // are rules files for the built-in matrix
  bool controls = false;    // checks a control mapping (RAC6xx, `racine lint --controls`); its
                            // examples are mappings for the built-in matrix
};

// Every rule, in code order.
std::span<const Rule> all_rules();

// The rule with `code`, or nullptr.
const Rule* find_rule(std::string_view code);

// The documentation page of a rule (docs/rules/CODE.md, compiled in), or empty.
std::string_view rule_page(std::string_view code);

// Rule families, one file each.
extern const Rule k_rac101, k_rac102, k_rac103, k_rac104, k_rac105, k_rac106;
extern const Rule k_rac201, k_rac202, k_rac203, k_rac204, k_rac205, k_rac206;
extern const Rule k_rac301, k_rac302, k_rac303;
extern const Rule k_rac401, k_rac402, k_rac403;
extern const Rule k_rac501, k_rac502, k_rac503;
extern const Rule k_rac601, k_rac602;
extern const Rule k_rac901;

}  // namespace racine::lint

#pragma once
// Classification rules: which activity of the matrix a Kubernetes object or an alert
// falls under. Rules live with the matrix (a `kubernetes:` key of the canonical YAML, or
// a `NAME.k8s.yaml` file beside a Markdown matrix; the built-in matrix has its own) and
// are tried in order: the first that matches wins, and every answer names it.
//
// A rule matches on the object's kind, API group, namespace and name (globs, `!` to
// exclude, `@set` for a named list), on labels with Alertmanager's matcher syntax
// (`name=value`, `!=`, `=~` and `!~` with anchored RE2 expressions), and on an alert's
// name. docs/kubernetes.md describes the format and the built-in rules.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/matrix.h"
#include "core/result.h"
#include "core/source.h"

namespace re2 {
class RE2;
}

namespace racine::k8s {

// What is classified: an object from a manifest, or an alert's label set.
struct Subject {
  bool alert = false;
  std::string kind;        // objects only
  std::string group;       // API group of apiVersion ("" for the core group)
  std::string namespace_;  // "" for cluster-scoped objects; an alert's `namespace` label
  std::string name;        // objects only
  std::map<std::string, std::string> labels;  // an object's metadata.labels; an alert's labels
  std::string alertname;                      // alerts only
};

// A list of globs: matches when a positive entry matches (or there is none) and no `!`
// entry does.
struct GlobList {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  [[nodiscard]] bool matches(const std::string& value) const;
  [[nodiscard]] bool empty() const { return include.empty() && exclude.empty(); }
};

// One Alertmanager matcher: `severity=~"critical|warning"`.
struct LabelMatcher {
  enum class Op : std::uint8_t { eq, ne, re, nre };
  std::string name;
  Op op = Op::eq;
  std::string value;
  std::shared_ptr<const re2::RE2> re;  // for =~ and !~
  [[nodiscard]] bool matches(const std::map<std::string, std::string>& labels) const;
};

struct Rule {
  std::string name;
  GlobList kind;
  GlobList group;
  GlobList namespace_;
  GlobList name_glob;
  std::vector<LabelMatcher> labels;
  std::optional<LabelMatcher> alertname;  // on the alert's name
  std::string activity;                   // activity id
  Span span;                              // the rule in its file
  Span activity_span;                     // its `activity:` value
  bool broken = false;                    // a matcher did not parse (RAC503): never matches
  // Objects only (kind, group or name given), alerts only (alertname given), or both.
  [[nodiscard]] bool matches(const Subject& s) const;
};

struct RuleSet {
  SourcePtr source;  // the rules file (or the canonical matrix that holds them)
  std::vector<Rule> rules;
  std::map<std::string, std::vector<std::string>> sets;
  std::vector<Diagnostic> problems;  // RAC503: malformed matchers and expressions
  // The first rule that matches, or nullptr (the gray zone).
  [[nodiscard]] const Rule* first_match(const Subject& s) const;
};

// Parses the rules of a standalone file (`racine-kubernetes: 1`) or of the `kubernetes:`
// value of a canonical matrix. A file that is not a rules file is an Error with line and
// column; a malformed matcher or expression is a RAC503 problem of the set.
Result<RuleSet> parse_rules(const SourcePtr& source);
Result<RuleSet> parse_rules_in_matrix(const SourcePtr& canonical_matrix);

// Checks the rules against the matrix: RAC501 unknown activity, RAC502 a rule that an
// earlier one always shadows.
std::vector<Diagnostic> check_rules(const RuleSet& rules, const Matrix& m);

}  // namespace racine::k8s

#include "k8s/rules.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <re2/re2.h>

#include <algorithm>

#include "core/text.h"
#include "formats/tree.h"

namespace racine::k8s {

namespace {

using Kind = TreeNode::Kind;

// "a", or ["a", "!b", "@set"]: sets expand in place.
GlobList glob_list(const TreeNode& n, std::string_view what,
                   const std::map<std::string, std::vector<std::string>>& sets) {
  std::vector<const TreeNode*> items;
  if (n.kind == Kind::sequence) {
    for (const auto& i : n.items) items.push_back(&i);
  } else {
    items.push_back(&n);
  }
  GlobList out;
  for (const TreeNode* i : items) {
    std::string v = scalar_of(*i, what);
    const bool negate = v.starts_with('!');
    if (negate) v.erase(0, 1);
    std::vector<std::string> values;
    if (v.starts_with('@')) {
      const auto it = sets.find(v.substr(1));
      if (it == sets.end())
        refuse(*i, fmt::format("unknown set '{}' (define it under `sets:`)", v.substr(1)));
      values = it->second;
    } else {
      values.push_back(v);
    }
    for (auto& x : values) (negate ? out.exclude : out.include).push_back(std::move(x));
  }
  return out;
}

bool glob(const std::string& pattern, const std::string& value) {
  return fnmatch(pattern.c_str(), value.c_str(), 0) == 0;
}

// `name op value`, value optionally double-quoted, as in Alertmanager.
std::optional<LabelMatcher> parse_matcher(std::string_view text, std::string& error) {
  std::size_t i = 0;
  while (i < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_'))
    ++i;
  LabelMatcher m;
  m.name = std::string(text::trim(text.substr(0, i)));
  if (m.name.empty()) {
    error = fmt::format("'{}': a matcher starts with a label name", text);
    return std::nullopt;
  }
  std::string_view rest = text::trim(text.substr(i));
  if (rest.starts_with("=~")) {
    m.op = LabelMatcher::Op::re;
    rest.remove_prefix(2);
  } else if (rest.starts_with("!~")) {
    m.op = LabelMatcher::Op::nre;
    rest.remove_prefix(2);
  } else if (rest.starts_with("!=")) {
    m.op = LabelMatcher::Op::ne;
    rest.remove_prefix(2);
  } else if (rest.starts_with("=")) {
    m.op = LabelMatcher::Op::eq;
    rest.remove_prefix(1);
  } else {
    error = fmt::format("'{}': expected =, !=, =~ or !~ after the label name", text);
    return std::nullopt;
  }
  rest = text::trim(rest);
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') {
    std::string v;
    for (std::size_t k = 1; k + 1 < rest.size(); ++k) {
      if (rest[k] == '\\' && k + 2 < rest.size()) ++k;
      v += rest[k];
    }
    m.value = v;
  } else if (!rest.empty() && rest.front() == '"') {
    error = fmt::format("'{}': the quoted value is never closed", text);
    return std::nullopt;
  } else {
    m.value = std::string(rest);
  }
  if (m.op == LabelMatcher::Op::re || m.op == LabelMatcher::Op::nre) {
    RE2::Options o;
    o.set_log_errors(false);
    const RE2 alone(m.value, o);  // checked alone, so that the error quotes what was written
    if (!alone.ok()) {
      error = fmt::format("'{}': invalid regular expression: {}", text, alone.error());
      return std::nullopt;
    }
    auto re = std::make_shared<RE2>("^(?:" + m.value + ")$", o);
    m.re = std::move(re);
  }
  return m;
}

RuleSet build(const SourcePtr& src, const TreeNode& root) {
  RuleSet rs;
  rs.source = src;
  if (root.kind != Kind::map)
    refuse(root, fmt::format("the Kubernetes rules must be a mapping, not {}", root.kind_name()));
  for (std::size_t i = 0; i + 1 < root.items.size(); i += 2) {
    const std::string& k = scalar_of(root.items[i], "a key");
    if (k != "racine-kubernetes" && k != "sets" && k != "rules") {
      refuse(root.items[i],
             fmt::format(
                 "unknown key '{}' in the Kubernetes rules (known: racine-kubernetes, sets, rules)",
                 k));
    }
  }
  if (const TreeNode* sets = root.find("sets"); sets != nullptr && sets->kind != Kind::null) {
    if (sets->kind != Kind::map) refuse(*sets, "sets must be a mapping of names to lists");
    for (std::size_t i = 0; i + 1 < sets->items.size(); i += 2) {
      const std::string& name = scalar_of(sets->items[i], "a set's name");
      const TreeNode& list = sets->items[i + 1];
      if (list.kind != Kind::sequence) refuse(list, fmt::format("set '{}' must be a list", name));
      std::vector<std::string> values;
      for (const auto& v : list.items) values.push_back(scalar_of(v, "a set's value"));
      rs.sets[name] = std::move(values);
    }
  }
  const TreeNode* rules = root.find("rules");
  if (rules == nullptr) refuse(root, "the Kubernetes rules need a `rules:` list");
  if (rules->kind != Kind::sequence) refuse(*rules, "rules must be a list");
  for (const TreeNode& r : rules->items) {
    if (r.kind != Kind::map)
      refuse(r, fmt::format("a rule must be a mapping, not {}", r.kind_name()));
    Rule rule;
    rule.span = {r.offset, r.offset + 1};
    for (std::size_t i = 0; i + 1 < r.items.size(); i += 2) {
      const std::string& k = scalar_of(r.items[i], "a key");
      const TreeNode& v = r.items[i + 1];
      if (k == "name") {
        rule.name = scalar_of(v, "a rule's name");
      } else if (k == "kind") {
        rule.kind = glob_list(v, "kind", rs.sets);
      } else if (k == "group") {
        rule.group = glob_list(v, "group", rs.sets);
      } else if (k == "namespace") {
        rule.namespace_ = glob_list(v, "namespace", rs.sets);
      } else if (k == "object-name") {
        rule.name_glob = glob_list(v, "object-name", rs.sets);
      } else if (k == "activity") {
        rule.activity = scalar_of(v, "activity");
        rule.activity_span = {v.offset, v.offset + 1};
      } else if (k == "labels" || k == "alertname") {
        std::vector<const TreeNode*> items;
        if (v.kind == Kind::sequence) {
          for (const auto& x : v.items) items.push_back(&x);
        } else {
          items.push_back(&v);
        }
        for (const TreeNode* x : items) {
          const std::string text = k == "alertname"
                                       ? "alertname=~\"" + scalar_of(*x, "alertname") + "\""
                                       : scalar_of(*x, "a matcher");
          std::string error;
          auto m = parse_matcher(text, error);
          if (!m) {
            rule.broken = true;
            rs.problems.push_back(
                {"RAC503", Severity::error, {x->offset, x->offset + 1}, error, {}});
            continue;
          }
          if (k == "alertname") {
            rule.alertname = std::move(*m);
          } else {
            rule.labels.push_back(std::move(*m));
          }
        }
      } else {
        refuse(r.items[i],
               fmt::format(
                   "unknown key '{}' in a rule (known: name, kind, group, namespace, object-name, "
                   "labels, alertname, activity)",
                   k));
      }
    }
    if (rule.activity.empty())
      refuse(r, "a rule needs an `activity:` (an activity id of the matrix)");
    if (rule.name.empty()) rule.name = fmt::format("rule {}", rs.rules.size() + 1);
    rs.rules.push_back(std::move(rule));
  }
  return rs;
}

Result<RuleSet> wrap(const SourcePtr& src, const TreeNode& root) {
  try {
    return build(src, root);
  } catch (const TreeRefusal& r) {
    return error_at(src, r.offset, r.message);
  }
}

// Whether a rule's constraint on one field lets through everything `later`'s does.
bool covers(const GlobList& earlier, const GlobList& later) {
  if (earlier.empty()) return true;
  if (earlier.exclude.empty() &&
      std::find(earlier.include.begin(), earlier.include.end(), "*") != earlier.include.end()) {
    return true;
  }
  return earlier.include == later.include && earlier.exclude == later.exclude;
}

bool same_matcher(const LabelMatcher& a, const LabelMatcher& b) {
  return a.name == b.name && a.op == b.op && a.value == b.value;
}

}  // namespace

bool GlobList::matches(const std::string& value) const {
  const bool in = include.empty() || std::any_of(include.begin(), include.end(),
                                                 [&](const auto& g) { return glob(g, value); });
  return in && std::none_of(exclude.begin(), exclude.end(),
                            [&](const auto& g) { return glob(g, value); });
}

bool LabelMatcher::matches(const std::map<std::string, std::string>& labels) const {
  const auto it = labels.find(name);
  const std::string v = it == labels.end() ? std::string() : it->second;  // an absent label is ""
  switch (op) {
    case Op::eq: return v == value;
    case Op::ne: return v != value;
    case Op::re: return RE2::FullMatch(v, *re);
    case Op::nre: return !RE2::FullMatch(v, *re);
  }
  return false;
}

bool Rule::matches(const Subject& s) const {
  if (broken) return false;
  const bool for_objects = !kind.empty() || !group.empty() || !name_glob.empty();
  if (for_objects && s.alert) return false;
  if (alertname && !s.alert) return false;
  if (!kind.matches(s.kind) || !group.matches(s.group) || !namespace_.matches(s.namespace_) ||
      !name_glob.matches(s.name)) {
    return false;
  }
  if (alertname) {
    std::map<std::string, std::string> l{{"alertname", s.alertname}};
    if (!alertname->matches(l)) return false;
  }
  return std::all_of(labels.begin(), labels.end(),
                     [&](const LabelMatcher& m) { return m.matches(s.labels); });
}

const Rule* RuleSet::first_match(const Subject& s) const {
  for (const auto& r : rules) {
    if (r.matches(s)) return &r;
  }
  return nullptr;
}

Result<RuleSet> parse_rules(const SourcePtr& source) {
  auto tree = parse_tree(source);
  if (!tree) return tree.error();
  if (tree->kind == Kind::map && tree->find("racine-kubernetes") == nullptr &&
      tree->find("rules") == nullptr) {
    return Error{source->path(), 1, 1,
                 "not a Kubernetes rules file: `racine-kubernetes: 1` and `rules:` are missing"};
  }
  return wrap(source, *tree);
}

Result<RuleSet> parse_rules_in_matrix(const SourcePtr& canonical_matrix) {
  auto tree = parse_tree(canonical_matrix);
  if (!tree) return tree.error();
  const TreeNode* k = tree->find("kubernetes");
  if (k == nullptr)
    return Error{canonical_matrix->path(), 0, 0, "the matrix has no `kubernetes:` rules"};
  return wrap(canonical_matrix, *k);
}

std::vector<Diagnostic> check_rules(const RuleSet& rules, const Matrix& m) {
  std::vector<Diagnostic> out = rules.problems;
  std::vector<std::string> ids;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) ids.push_back(a.id);
  }
  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    const Rule& r = rules.rules[i];
    if (std::find(ids.begin(), ids.end(), r.activity) == ids.end()) {
      out.push_back(
          {"RAC501",
           Severity::error,
           r.activity_span,
           fmt::format("rule '{}' points to activity '{}', which the matrix does not have", r.name,
                       r.activity),
           {}});
    }
    for (std::size_t e = 0; e < i; ++e) {
      const Rule& earlier = rules.rules[e];
      if (earlier.broken || r.broken) continue;
      const bool objects_e =
          !earlier.kind.empty() || !earlier.group.empty() || !earlier.name_glob.empty();
      const bool objects_r = !r.kind.empty() || !r.group.empty() || !r.name_glob.empty();
      // The earlier rule must accept every subject the later one accepts.
      if (objects_e && !objects_r) continue;
      if (earlier.alertname && (!r.alertname || !same_matcher(*earlier.alertname, *r.alertname)))
        continue;
      if (!covers(earlier.kind, r.kind) || !covers(earlier.group, r.group) ||
          !covers(earlier.namespace_, r.namespace_) || !covers(earlier.name_glob, r.name_glob)) {
        continue;
      }
      const bool labels_covered =
          std::all_of(earlier.labels.begin(), earlier.labels.end(), [&](const LabelMatcher& m1) {
            return std::any_of(r.labels.begin(), r.labels.end(),
                               [&](const LabelMatcher& m2) { return same_matcher(m1, m2); });
          });
      if (!labels_covered) continue;
      out.push_back(
          {"RAC502",
           Severity::warning,
           r.span,
           fmt::format("rule '{}' never applies: rule '{}' before it matches everything it matches",
                       r.name, earlier.name),
           {}});
      break;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.span.begin < b.span.begin;
  });
  return out;
}

}  // namespace racine::k8s

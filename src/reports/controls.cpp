#include "reports/controls.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "formats/tree.h"
#include "reports/compliance.h"

namespace racine::reports {

namespace {

using Kind = TreeNode::Kind;

Span span_of(const TreeNode& n) {
  return {n.offset,
          static_cast<std::uint32_t>(n.offset + (n.kind == Kind::scalar ? n.value.size() : 0U))};
}

const TreeNode& expect(const TreeNode& n, Kind kind, std::string_view what) {
  if (n.kind != kind) {
    refuse(n, fmt::format("{} must be {}, not {}", what, kind == Kind::map ? "a mapping" : "a list",
                          n.kind_name()));
  }
  return n;
}

// A list of control ids (or one id alone).
void read_ids(const TreeNode& n, std::string_view what, std::vector<std::string>& ids,
              std::vector<Span>* spans) {
  if (n.kind == Kind::scalar) {
    ids.push_back(n.value);
    if (spans != nullptr) spans->push_back(span_of(n));
    return;
  }
  expect(n, Kind::sequence, what);
  for (const auto& item : n.items) {
    const std::string& id = scalar_of(item, what);
    if (id.empty()) refuse(item, fmt::format("{}: an empty control id", what));
    ids.push_back(id);
    if (spans != nullptr) spans->push_back(span_of(item));
  }
}

ControlMappings build(const SourcePtr& src, const TreeNode& root) {
  ControlMappings c;
  c.source = src;
  expect(root, Kind::map, "a control mapping");
  for (std::size_t i = 0; i + 1 < root.items.size(); i += 2) {
    const std::string& key = root.items[i].value;
    const TreeNode& v = root.items[i + 1];
    if (key == "racine-controls") {
      if (scalar_of(v, "racine-controls") != "1")
        refuse(v, fmt::format("racine-controls: version '{}' is unknown (this racine reads 1)",
                              v.value));
    } else if (key == "example") {
      const std::string& b = scalar_of(v, "example");
      if (b != "true" && b != "false") refuse(v, "example: true or false");
      c.example = b == "true";
    } else if (key == "catalog") {
      expect(v, Kind::map, "catalog");
      for (std::size_t j = 0; j + 1 < v.items.size(); j += 2) {
        const std::string& k = v.items[j].value;
        const TreeNode& w = v.items[j + 1];
        if (k == "id") {
          c.catalog_id = scalar_of(w, "catalog.id");
        } else if (k == "title") {
          c.catalog_title = scalar_of(w, "catalog.title");
        } else if (k == "controls") {
          read_ids(w, "catalog.controls", c.catalog_controls, nullptr);
        } else {
          refuse(v.items[j],
                 fmt::format("unknown key '{}' in catalog (known: id, title, controls)", k));
        }
      }
      if (c.catalog_id.empty()) refuse(v, "catalog needs an `id:` (csa-ccm-v4, nist-800-53-r5...)");
    } else if (key == "mappings") {
      expect(v, Kind::sequence, "mappings");
      for (const auto& item : v.items) {
        expect(item, Kind::map, "a mapping");
        ControlMapping m;
        bool has_activity = false;
        for (std::size_t j = 0; j + 1 < item.items.size(); j += 2) {
          const std::string& k = item.items[j].value;
          const TreeNode& w = item.items[j + 1];
          if (k == "activity") {
            m.activity = scalar_of(w, "activity");
            m.activity_span = span_of(w);
            has_activity = true;
          } else if (k == "controls") {
            read_ids(w, "controls", m.controls, &m.control_spans);
          } else if (k == "origination") {
            const std::string& o = scalar_of(w, "origination");
            if (o != "sp-corporate" && o != "sp-system")
              refuse(w, fmt::format("origination: '{}' is neither sp-corporate nor sp-system (the "
                                    "other values follow from the matrix)",
                                    o));
            m.corporate = o == "sp-corporate";
          } else {
            refuse(item.items[j],
                   fmt::format("unknown key '{}' in a mapping (known: activity, controls, "
                               "origination)",
                               k));
          }
        }
        if (!has_activity || m.activity.empty())
          refuse(item, "a mapping needs an `activity:` (an activity id of the matrix)");
        if (m.controls.empty())
          refuse(item, fmt::format("the mapping of '{}' names no control", m.activity));
        if (m.corporate) c.corporate.insert(m.activity);
        c.mappings.push_back(std::move(m));
      }
    } else {
      refuse(root.items[i],
             fmt::format("unknown key '{}' (known: racine-controls, example, catalog, mappings)",
                         key));
    }
  }
  if (root.find("racine-controls") == nullptr)
    refuse(root, "not a control mapping: `racine-controls: 1` is missing");
  if (root.find("catalog") == nullptr) refuse(root, "a control mapping needs a `catalog:`");
  return c;
}

// The activities by id, so that a large mapping is checked in linear time.
std::unordered_map<std::string_view, const Activity*> activities_by_id(const Matrix& m) {
  std::unordered_map<std::string_view, const Activity*> out;
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) out.emplace(a.id, &a);
  }
  return out;
}

}  // namespace

Result<ControlMappings> parse_controls(const SourcePtr& source) {
  auto tree = parse_tree(source);
  if (!tree) return tree.error();
  try {
    return build(source, *tree);
  } catch (const TreeRefusal& r) {
    return error_at(source, r.offset, r.message);
  }
}

std::vector<Diagnostic> check_controls(const ControlMappings& c, const Matrix& m) {
  std::vector<Diagnostic> out;
  const auto by_id = activities_by_id(m);
  const std::unordered_set<std::string_view> catalog(c.catalog_controls.begin(),
                                                     c.catalog_controls.end());
  for (const auto& mapping : c.mappings) {
    const auto found = by_id.find(mapping.activity);
    const Activity* a = found == by_id.end() ? nullptr : found->second;
    if (a == nullptr) {
      out.push_back({"RAC601",
                     Severity::error,
                     mapping.activity_span,
                     fmt::format("the mapping names activity '{}', which the matrix does not have",
                                 mapping.activity),
                     {},
                     {},
                     {}});
    }
    if (c.catalog_controls.empty()) continue;
    for (std::size_t i = 0; i < mapping.controls.size(); ++i) {
      if (!catalog.contains(mapping.controls[i])) {
        out.push_back(
            {"RAC602",
             Severity::error,
             mapping.control_spans[i],
             fmt::format("control '{}' is not in catalog {}", mapping.controls[i], c.catalog_id),
             a != nullptr ? a->title : std::string(),
             {},
             {}});
      }
    }
  }
  return out;
}

std::vector<ControlActivities> controls_of(const ControlMappings& c, const Matrix& m) {
  // Controls in the order they first appear; each activity's controls by index.
  std::vector<ControlActivities> out;
  std::unordered_map<std::string_view, std::size_t> index;
  std::unordered_map<std::string_view, std::vector<std::size_t>> of_activity;
  for (const auto& mapping : c.mappings) {
    for (const auto& control : mapping.controls) {
      const auto [it, added] = index.emplace(control, out.size());
      if (added) out.push_back({control, {}});
      of_activity[mapping.activity].push_back(it->second);
    }
  }
  // Activities in the matrix's order, each once per control.
  for (const auto& s : m.sections) {
    for (const auto& a : s.activities) {
      const auto it = of_activity.find(a.id);
      if (it == of_activity.end()) continue;
      for (const std::size_t i : it->second) {
        auto& list = out[i].activities;
        if (list.empty() || list.back() != &a) list.push_back(&a);
      }
    }
  }
  return out;
}

std::string oscal_control_id(std::string_view control) {
  std::string out;
  for (const char ch : control) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) != 0 || ch == '.' || ch == '-' || ch == '_') {
      out += static_cast<char>(std::tolower(u));
    } else {
      out += '-';
    }
  }
  if (out.empty() || std::isalpha(static_cast<unsigned char>(out[0])) == 0) out.insert(0, "_");
  return out;
}

namespace {
bool does(const Activity& a, std::size_t p) {
  return p < a.cells.size() &&
         (a.cells[p].roles.has(Role::responsible) || a.cells[p].roles.has(Role::accountable) ||
          a.cells[p].roles.has(Role::driver));
}
}  // namespace

SideParts side_parts(const Matrix& m, const ControlMappings& c, const Activity& a) {
  SideParts out;
  const int customer = customer_party(m);
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    const bool doing = does(a, p);
    if (static_cast<int>(p) == customer) {
      out.customer = doing;
    } else {
      out.provider = out.provider || doing;
      out.provider_involved =
          out.provider_involved || (p < a.cells.size() && !a.cells[p].roles.empty());
    }
  }
  out.corporate = c.corporate.contains(a.id);
  return out;
}

std::vector<std::string> origination(const SideParts& p, bool customer_plan) {
  std::vector<std::string> out;
  if (p.provider) {
    out.emplace_back(customer_plan ? "inherited" : (p.corporate ? "sp-corporate" : "sp-system"));
  }
  if (p.customer)
    out.emplace_back(p.provider_involved ? "customer-configured" : "customer-provided");
  return out;
}

std::vector<std::string> merge_origination(const std::vector<std::vector<std::string>>& values) {
  static constexpr std::string_view k_order[] = {"sp-corporate", "sp-system", "customer-configured",
                                                 "customer-provided", "inherited"};
  std::vector<std::string> out;
  for (const auto o : k_order) {
    const bool any = std::any_of(values.begin(), values.end(), [&](const auto& v) {
      return std::find(v.begin(), v.end(), o) != v.end();
    });
    if (any) out.emplace_back(o);
  }
  return out;
}

}  // namespace racine::reports

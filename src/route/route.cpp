#include "route/route.h"

#include "core/embedded.h"
#include "core/roles.h"
#include "formats/loader.h"
#include "k8s/classify.h"

namespace racine::route {

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::firing: return "firing";
    case Kind::resolved: return "resolved";
    case Kind::informed: return "informed";
    case Kind::escalation: return "escalation";
  }
  return "firing";
}

std::optional<std::size_t> provider_party(const Matrix& m, std::string_view tenant_party) {
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    if (m.parties[p].id != tenant_party) return p;
  }
  return std::nullopt;
}

Plan plan(const k8s::RuleSet& rules, const Matrix& m, const k8s::Subject& alert,
          std::optional<std::size_t> provider) {
  const k8s::Classified c = k8s::classify(rules, m, alert);
  return plan_of(m, c.rule, c.activity, provider);
}

Plan plan_of(const Matrix& m, const k8s::Rule* rule, const Activity* activity,
             std::optional<std::size_t> provider) {
  Plan out;
  out.rule = rule;
  out.activity = activity;
  if (out.activity == nullptr) {
    if (provider) out.responsible.push_back({*provider, 'R'});
    return out;
  }
  for (const auto& s : m.sections) {
    if (!s.activities.empty() && &s.activities.front() <= out.activity &&
        out.activity <= &s.activities.back()) {
      out.section = &s;
    }
  }
  const Activity& a = *out.activity;
  for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
    const RoleSet roles = a.cells[p].roles;
    if (roles.has(Role::responsible) || roles.has(Role::driver)) {
      out.responsible.push_back({p, 'R'});
    } else if (roles.has(Role::accountable)) {
      out.accountable.push_back({p, 'A'});
    } else if (roles.has(Role::informed)) {
      out.informed.push_back({p, 'I'});
    } else if (roles.has(Role::consulted)) {
      out.consulted.push_back(p);
    }
    // The Accountable party is escalated to even when it is also Responsible: an
    // unacknowledged alert reaches it a second time, as the one who answers for it.
    if ((roles.has(Role::responsible) || roles.has(Role::driver)) && roles.has(Role::accountable))
      out.accountable.push_back({p, 'A'});
  }
  return out;
}

Result<k8s::RuleSet> builtin_rules() {
  const auto text = embedded::find("managed-kubernetes.k8s.yaml");
  auto src = load_text(std::string(text), "<builtin:managed-kubernetes.k8s.yaml>", Limits{});
  if (!src) return src.error();
  return k8s::parse_rules(*src);
}

Result<k8s::RuleSet> rules_for_document(const SourcePtr& document, bool canonical) {
  if (canonical && document) {
    auto own = k8s::parse_rules_in_matrix(document);
    if (own) return own;
  }
  return builtin_rules();
}

nlohmann::ordered_json plan_to_json(const Matrix& m, const k8s::Subject& alert, const Plan& p) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["alert"] = alert.labels;
  j["activity"] = p.activity == nullptr
                      ? ordered_json(nullptr)
                      : ordered_json{{"id", p.activity->id},
                                     {"title", p.activity->title},
                                     {"section", p.section != nullptr ? p.section->title : ""}};
  j["gray_zone"] = p.gray_zone();
  j["rule"] = p.rule == nullptr ? ordered_json(nullptr) : ordered_json(p.rule->name);
  ordered_json deliveries = ordered_json::array();
  auto add = [&](const Recipient& r, std::initializer_list<Kind> kinds) {
    ordered_json ks = ordered_json::array();
    for (const Kind k : kinds) ks.push_back(kind_name(k));
    deliveries.push_back({{"party", m.parties.at(r.party).id},
                          {"name", m.parties.at(r.party).name},
                          {"role", std::string(1, r.role)},
                          {"kinds", std::move(ks)}});
  };
  for (const auto& r : p.responsible) add(r, {Kind::firing, Kind::resolved});
  for (const auto& r : p.informed) add(r, {Kind::informed});
  for (const auto& r : p.accountable) add(r, {Kind::escalation});
  j["deliveries"] = std::move(deliveries);
  ordered_json consulted = ordered_json::array();
  for (const std::size_t c : p.consulted) consulted.push_back(m.parties.at(c).id);
  j["consulted"] = std::move(consulted);
  return j;
}

}  // namespace racine::route

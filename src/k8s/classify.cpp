#include "k8s/classify.h"

#include "query/query_json.h"

namespace racine::k8s {

Classified classify(const RuleSet& rules, const Matrix& m, const Subject& s) {
  Classified c;
  c.rule = rules.first_match(s);
  if (c.rule == nullptr) return c;
  for (const auto& sec : m.sections) {
    for (const auto& a : sec.activities) {
      if (a.id == c.rule->activity) {
        c.activity = &a;
        return c;
      }
    }
  }
  return c;
}

nlohmann::ordered_json classified_to_json(const Matrix& m, const Subject& s, const Classified& c) {
  using nlohmann::ordered_json;
  ordered_json j;
  if (s.alert) {
    j["alertname"] = s.alertname;
    j["namespace"] = s.namespace_;
    j["labels"] = s.labels;
  } else {
    j["kind"] = s.kind;
    j["namespace"] = s.namespace_;
    j["name"] = s.name;
  }
  const Activity* a = c.activity;
  j["activity"] =
      a == nullptr ? ordered_json(nullptr)
                   : ordered_json{{"id", a->id},
                                  {"title", a->title},
                                  {"line", m.source ? m.source->position(a->span.begin).line : 0U}};
  j["gray_zone"] = a == nullptr;
  j["rule"] = c.rule == nullptr ? ordered_json(nullptr) : ordered_json(c.rule->name);
  j["roles"] = a == nullptr ? ordered_json::object() : query::roles_to_json(m, *a);
  return j;
}

}  // namespace racine::k8s

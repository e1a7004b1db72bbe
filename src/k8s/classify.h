#pragma once
// Which activity a subject (object or alert) falls under, and who holds which role on
// it: the answer `racine k8s who` prints and alert routing will act on.

#include <nlohmann/json.hpp>

#include "core/matrix.h"
#include "k8s/rules.h"

namespace racine::k8s {

struct Classified {
  const Rule* rule = nullptr;          // the first rule that matched; nullptr: the gray zone
  const Activity* activity = nullptr;  // in the matrix given; nullptr when no rule matched
};

// The activity of `m` that `s` falls under by `rules` (ids resolved in `m`, which may be
// an effective matrix).
Classified classify(const RuleSet& rules, const Matrix& m, const Subject& s);

// {"kind", "namespace", "name"} for objects or {"alertname", "namespace", "labels"} for
// alerts, then "activity": {"id", "title", "line"} or null, "gray_zone", "rule" (name or
// null) and "roles": {party id: roles}.
nlohmann::ordered_json classified_to_json(const Matrix& m, const Subject& s, const Classified& c);

}  // namespace racine::k8s

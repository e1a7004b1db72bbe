#pragma once
// Alert routing, the part that decides (DESIGN.md, "Routing (contract)"): the activity an
// alert falls under by the matrix's classification rules, and under a contract's
// effective matrix who gets what. Every R party gets the alert (`firing`, later
// `resolved`), every I party an `informed` notice, the A party an `escalation` when no
// one acknowledged in time; C parties nothing. An alert no rule classifies goes to the
// provider's party, marked gray zone. `racine route test` prints this plan and the
// server delivers it; neither decides anything else.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"
#include "core/result.h"
#include "core/source.h"
#include "k8s/rules.h"
#include "route/hours.h"

namespace racine::route {

// What a delivery tells its party.
enum class Kind : std::uint8_t { firing, resolved, informed, escalation };
std::string_view kind_name(Kind k);

// One party that hears of an alert, and why.
struct Recipient {
  std::size_t party = 0;  // index into the matrix's parties
  char role = 'R';        // 'R', 'I' or 'A' ('R' for the provider in the gray zone)
};

struct Plan {
  const k8s::Rule* rule = nullptr;     // the first rule that matched, if any
  const Activity* activity = nullptr;  // nullptr: the gray zone
  const Section* section = nullptr;    // the activity's section
  std::vector<Recipient> responsible;  // firing and resolved
  std::vector<Recipient> informed;     // informed
  std::vector<Recipient> accountable;  // escalation
  std::vector<std::size_t> consulted;  // nothing is sent; shown by `route test`
  [[nodiscard]] bool gray_zone() const { return activity == nullptr; }
};

// The provider's party under a contract whose tenant is the party `tenant_party` (an id):
// the first party of the matrix that is not the tenant's; nullopt when there is none.
std::optional<std::size_t> provider_party(const Matrix& m, std::string_view tenant_party);

// Where `alert` goes under the effective matrix `m`. A party holding several roles is
// reached once, by its strongest: R (or D) before A before I. In the gray zone,
// `provider` (when known) is the one Responsible recipient.
Plan plan(const k8s::RuleSet& rules, const Matrix& m, const k8s::Subject& alert,
          std::optional<std::size_t> provider);

// The same once the rule is known: `rule` (nullptr: none matched) classified the alert
// under `activity` (nullptr: the gray zone, also when the rule's activity is not in `m`).
// The Alertmanager export (route/alertmanager.h) writes each rule's route from it.
Plan plan_of(const Matrix& m, const k8s::Rule* rule, const Activity* activity,
             std::optional<std::size_t> provider);

// The deliveries of `p` with the time each is due (route/hours.h): firing and informed at
// once unless the party's rule for `severity` waits for its working hours; an escalation
// after the contract's `escalate_ms`, or, when a party escalates to itself, after its own
// rule's delay (in working time when it says so). `resolved` ones are not scheduled here
// (they go when the alert resolves).
std::vector<Scheduled> schedule(const Plan& p, const Matrix& m,
                                const std::map<std::string, const OnCall*>& rules,
                                const std::string& severity, std::int64_t now_ms,
                                std::int64_t escalate_ms, ScheduleCache& cache);

// Several parties' rules, as `racine route test --oncall` reads them: a JSON object of
// party ids (of `m`) to rules. `error` says which party and what ("party 'client':
// hours.mon[0]: ..."), and nothing is returned then.
std::optional<std::map<std::string, OnCall>> parse_oncall_by_party(const nlohmann::json& j,
                                                                   const Matrix& m,
                                                                   std::int64_t now_ms,
                                                                   std::string& error);

// The rules of a matrix document as stored: the `kubernetes:` key of a canonical YAML or
// JSON document, else the built-in matrix's rules (written for its activity ids; a rule
// whose activity a matrix lacks classifies into the gray zone).
Result<k8s::RuleSet> rules_for_document(const SourcePtr& document, bool canonical);
Result<k8s::RuleSet> builtin_rules();

// `route test --json`: {"alert": {labels}, "activity": {"id", "title", "section"} | null,
// "gray_zone", "rule", "deliveries": [{"party", "name", "role", "kinds": [...]}],
// "consulted": [party ids]}.
nlohmann::ordered_json plan_to_json(const Matrix& m, const k8s::Subject& alert, const Plan& p);

}  // namespace racine::route

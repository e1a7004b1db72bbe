#pragma once
// A contract's alert routing compiled into an Alertmanager configuration (`racine export
// --format alertmanager`; docs/routing.md, "An Alertmanager routing tree"), for a client
// whose own Alertmanager routes by the contract without racine in the path.
//
// Each classification rule that can match an alert becomes a route of the tree, in the
// rules' order (the first that matches decides, in both); its matchers say what the rule
// says: `alertname` and `labels` as they are, the `namespace` globs as anchored regular
// expressions. Under it one route per party the alert reaches, as route::plan decides:
// Responsible (`continue: true`), Informed, then Accountable after a `group_wait` of the
// contract's escalate_after. The root route's receiver is the provider's party: the gray
// zone. One receiver per party, named by its id and left without integrations.
//
// What a routing tree cannot say (acknowledgement, who receives `resolved`, the role and
// the activity in the notification, racine's working hours and repeats) is written in
// the document's opening comment; a rule Alertmanager cannot match alike (a glob form
// regular expressions have no equivalent for, a label name it refuses) is an Error.

#include <cstdint>
#include <string>
#include <vector>

#include "core/matrix.h"
#include "core/result.h"
#include "k8s/rules.h"

namespace racine::route {

struct AlertmanagerOptions {
  // The client's party (an id of the matrix; "": its first party). The gray zone goes to
  // the provider's party, the first other one (route::provider_party).
  std::string party;
  // The contract's escalate_after: the Accountable party's route waits this long.
  std::int64_t escalate_after_ms = 15 * 60 * 1000;
  // The contract options `effective` was resolved with, named in the opening comment.
  std::vector<std::string> with;
};

// The receiver of routes that reach no party: an activity on which no party is
// Responsible, Informed or Accountable, or the gray zone of a matrix with one party. Not
// a slug, so never a party's id.
inline constexpr const char* k_nobody_receiver = "(nobody)";

// A complete alertmanager.yml (a route tree and its receivers; `amtool check-config`
// accepts it) routing as racine does under the effective matrix `effective` and the
// classification `rules`. An Error, at the rule in its file, when a rule cannot be
// written as Alertmanager matchers that match exactly what it matches.
Result<std::string> alertmanager_config(const k8s::RuleSet& rules, const Matrix& effective,
                                        const AlertmanagerOptions& options);

// An fnmatch(3) pattern (no flags, as the rules' globs) as a regular expression, in the
// syntax RE2 and Go share, that matches the same strings when anchored at both ends; ""
// and `why` set when it has no exact equivalent (a range whose ends are reversed, a
// collating element, a trailing backslash).
std::string glob_to_regex(std::string_view glob, std::string& why);

// `ms` as an Alertmanager duration: 900000 -> "15m", 5400000 -> "1h30m", 0 -> "0s".
std::string alertmanager_duration(std::int64_t ms);

}  // namespace racine::route

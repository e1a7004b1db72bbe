#pragma once
// Where on-call people and service desks work (docs/routing.md, "Receiver types"): what
// racine sends to each receiver type for one delivery. Each function takes the delivery
// as the generic webhook's body (DESIGN.md, "Routing (contract)"), already built, and
// gives the request to make; the outbox sends it (notify/send.h). No network here.
//
// - slack, mattermost: an incoming webhook's message (Slack: text and blocks; Mattermost:
//   Markdown text), with the alert, the activity, the party's role, the contract, links;
// - teams: a Workflows webhook's message whose attachment is an Adaptive Card (1.4);
// - pagerduty: an Events API v2 event: trigger, or resolve, with a dedup_key stable per
//   event and party;
// - template: a request whose body and headers are Mustache templates over the webhook
//   body's fields (`{{activity.title}}`), values escaped for JSON.
// Every text is in the receiver's language ("fr" or "en"). Values from the tenant's
// alerts are escaped for the target's markup, so that a label cannot add a link, a
// mention or a line of racine's own.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace racine::notify {

// One request to make.
struct Request {
  std::string method = "POST";
  std::string url;
  std::vector<std::string> headers;  // "Name: value", checked
  std::string content_type = "application/json";
  std::string body;
};

// What a delivery carries besides the webhook body.
struct Context {
  std::string lang = "en";  // "fr" or "en"
  std::string event_url;    // the event in the portal (a page to open), "" when unknown
};

std::string slack_message(const nlohmann::json& delivery, const Context& ctx);
std::string mattermost_message(const nlohmann::json& delivery, const Context& ctx);
std::string teams_message(const nlohmann::json& delivery, const Context& ctx);

// PagerDuty Events API v2: "trigger" for firing, escalation and informed deliveries
// (severity from the alert's `severity` label), "resolve" for resolved ones. The
// dedup_key is "racine/<tenant>/<event>/<party>": one incident per event and party.
std::string pagerduty_event(const nlohmann::json& delivery, const std::string& routing_key,
                            const Context& ctx);
std::string pagerduty_dedup_key(const nlohmann::json& delivery);
inline constexpr const char* k_pagerduty_url = "https://events.pagerduty.com/v2/enqueue";

// A templated receiver, as saved: method, headers and body templates.
struct Template {
  std::string url;
  std::string method = "POST";
  std::map<std::string, std::string> headers;  // name -> template of the value
  std::string body;                            // template
  std::string content_type = "application/json";
};

// Why a template cannot be used (a Mustache error, a forbidden header or method, a
// size past the limits), or nullopt. Checked when the receiver is saved.
std::optional<std::string> check_template(const Template& t);

// The request for one delivery: the body rendered with values escaped for JSON strings
// (a template writes the quotes: "summary": "{{activity.title}}"), headers rendered with
// line breaks removed. `error` says why there is none (a template that renders to more
// than 1 MiB, say).
std::optional<Request> render_template(const Template& t, const nlohmann::json& delivery,
                                       const Context& ctx, std::string& error);

// What a delivery's kind and role read as in a language ("Firing", "Déclenchée"...).
std::string kind_text(const std::string& kind, const std::string& lang);
std::string role_text(const std::string& role, const std::string& lang);

}  // namespace racine::notify

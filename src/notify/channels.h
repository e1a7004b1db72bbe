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
  std::string step;  // a templated receiver's step ("" : its first request)
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

// PagerDuty Events API v2: "trigger" for firing and escalation deliveries (severity from
// the alert's `severity` label), "resolve" for resolved ones. The
// dedup_key is "racine/<tenant>/<event>/<party>": one incident per event and party.
std::string pagerduty_event(const nlohmann::json& delivery, const std::string& routing_key,
                            const Context& ctx);
std::string pagerduty_dedup_key(const nlohmann::json& delivery);
inline constexpr const char* k_pagerduty_url = "https://events.pagerduty.com/v2/enqueue";
// An Informed party's delivery is a PagerDuty *change event* (Change Events API): shown on
// the service's timeline, never an incident, so nothing stays open and nobody is paged for
// what they must only know. Its URL: the receiver's with a last segment "enqueue" made
// "change/enqueue" (https://events.pagerduty.com/v2/change/enqueue), else the same URL.
std::string pagerduty_change_event(const nlohmann::json& delivery, const std::string& routing_key,
                                   const Context& ctx);
std::string pagerduty_change_url(const std::string& events_url);

// One request of a templated receiver: method, headers and body templates. A step's
// `url` may itself be a template after a literal origin, using only captured values:
// "https://rt.example/REST/2.0/ticket/{{ref.ticket}}/comment".
struct Step {
  std::string url;
  std::string method = "POST";
  std::map<std::string, std::string> headers;  // name -> template of the value
  std::string body;                            // template
};

// A templated receiver, as saved: its request for a new page (and every delivery without
// a step of its own); `capture`, values its 2xx answer gives back (JSON pointers into a
// JSON answer: {"ticket": "/id"}), kept per event and party and usable as {{ref.NAME}};
// and the steps "repeat" (a repeat of the page) and "resolved" (the alert resolved),
// each its own request, typically on what was captured (a comment on the ticket, the
// ticket resolved), sent with the first request's headers and its own over them. Service
// desks thus get one ticket per event and party.
struct Template : Step {
  std::string content_type = "application/json";
  std::map<std::string, std::string> capture;  // name -> JSON pointer
  std::map<std::string, Step> steps;           // "repeat", "resolved"
};

// Why a template cannot be used (a Mustache error, a forbidden header or method, a
// size past the limits, a step's URL on another origin, a {{ref.NAME}} not captured),
// or nullopt. Checked when the receiver is saved.
std::optional<std::string> check_template(const Template& t);

// The request for one delivery: the step that fits it (a resolved delivery "resolved", a
// repeat "repeat", and so any other delivery to a party that already has a captured value,
// an escalation to itself say: one ticket per event and party; else the first request), the body
// rendered with values escaped for JSON strings (a template writes the quotes: "summary":
// "{{activity.title}}"), headers rendered with line breaks removed, a step's URL with captured
// values percent-encoded. `refs` is what earlier answers captured ({"ticket": "42"}). `error` says
// why there is none: a template that renders to more than 1 MiB, or a step that needs a value not
// captured yet (`waiting` set: the first request has not been answered yet).
std::optional<Request> render_template(const Template& t, const nlohmann::json& delivery,
                                       const Context& ctx, const nlohmann::json& refs,
                                       std::string& error, bool& waiting);

// What a 2xx answer to the first request gives back: a JSON object of the captured
// names to their values (strings or integers, printable ASCII, at most 256 bytes), or ""
// when the template captures nothing or the answer has none of them.
std::string capture_refs(const Template& t, const std::string& answer);

// A templated receiver's saved options (service/routing.cpp stores them) as a Template.
Template template_of(const std::string& url, const nlohmann::json& options);

// What a delivery's kind and role read as in a language ("Firing", "Déclenchée"...).
std::string kind_text(const std::string& kind, const std::string& lang);
std::string role_text(const std::string& role, const std::string& lang);
// What separates a label from its value: ": ", and in French a narrow no-break space
// (U+202F) before the colon, as French typography wants ("Déclenchée\u202f: ...").
std::string label_colon(const std::string& lang);

}  // namespace racine::notify

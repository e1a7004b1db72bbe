// Alert routing in the service: receivers, the Alertmanager receiver, events and their
// acknowledgement (DESIGN.md, "Routing (contract)"). What goes to whom is decided by the
// library (route/route.h); this file checks the payload, asks the store to record it
// durably, and writes the answers.

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <future>

#include "core/text.h"
#include "formats/loader.h"
#include "identity/oidc.h"
#include "notify/channels.h"
#include "route/hours.h"
#include "route/route.h"
#include "service/service.h"

namespace racine::service {

using nlohmann::json;
using nlohmann::ordered_json;
using store::Principal;

std::optional<std::int64_t> duration_ms(std::string_view d) {
  if (d.empty() || d.size() > 16) return std::nullopt;
  std::int64_t total = 0;
  std::int64_t n = 0;
  bool digits = false;
  for (const char c : d) {
    if (c >= '0' && c <= '9') {
      if (n > 100000000) return std::nullopt;  // no duration is that long (and no overflow)
      n = n * 10 + (c - '0');
      digits = true;
    } else if ((c == 'd' || c == 'h' || c == 'm' || c == 's') && digits) {
      total += n * (c == 'd' ? 86400000 : c == 'h' ? 3600000 : c == 'm' ? 60000 : 1000);
      n = 0;
      digits = false;
    } else {
      return std::nullopt;
    }
  }
  if (digits) return std::nullopt;
  return total;
}

namespace {

// Alertmanager sends a fingerprint (a hash of the labels); a payload without one gets
// the same kind of key: a hash of its sorted labels.
std::string fingerprint_of(const std::map<std::string, std::string>& labels) {
  std::string text;
  for (const auto& [k, v] : labels) text += k + '\0' + v + '\0';
  unsigned char out[8];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  return hex(out, sizeof out);
}

// A JSON object of strings (labels, annotations), or an error naming `where`.
std::optional<std::string> strings_object(const json& j, const std::string& where,
                                          std::map<std::string, std::string>* out) {
  if (!j.is_object()) return where + " must be an object of strings";
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) return where + "." + k + " must be a string";
    if (out != nullptr) (*out)[k] = v.get<std::string>();
  }
  return std::nullopt;
}

ordered_json parsed_or(const std::string& text, ordered_json fallback) {
  auto j = ordered_json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

bool valid_party_id(std::string_view p) {
  return valid_id(p);
}

// What a tenant is told of a failed delivery: whether the receiver answered, never the
// transport's detail (an address refused, a connection error), which would make racine a
// probe of the provider's network. The provider's roles and the logs keep the detail.
std::string tenant_facing_error(const std::string& detail) {
  if (detail.starts_with("HTTP ") && detail.size() >= 6)
    return "the receiver did not accept the delivery: HTTP " + detail.substr(5, 1) + "xx";
  if (detail.starts_with("no receiver for party ")) return detail;
  if (detail.starts_with("an email receiver, but no SMTP relay"))
    return "no email relay is configured";
  return "unreachable";
}

// The same as a code the portal says in its language (events.error.CODE).
std::string error_code_of(const std::string& detail) {
  if (detail.starts_with("HTTP ") && detail.size() >= 6 && detail[5] >= '1' && detail[5] <= '5')
    return "http_" + detail.substr(5, 1) + "xx";
  if (detail.starts_with("no receiver for party ")) return "no_receiver";
  if (detail.starts_with("an email receiver, but no SMTP relay")) return "no_relay";
  return "unreachable";
}

}  // namespace

ordered_json Service::event_json(const Principal& who, const store::Event& e) {
  ordered_json j;
  j["id"] = e.id;
  j["contract"] = e.contract;
  j["fingerprint"] = e.fingerprint;
  j["status"] = e.status;
  j["labels"] = parsed_or(e.labels, ordered_json::object());
  j["annotations"] = parsed_or(e.annotations, ordered_json::object());
  j["startsAt"] = e.starts_at;
  j["endsAt"] = e.ends_at;
  j["generatorURL"] = e.generator_url;
  j["activity"] = e.activity ? parsed_or(*e.activity, nullptr) : ordered_json(nullptr);
  j["gray_zone"] = e.gray_zone;
  j["acknowledged"] = e.acknowledged_at.has_value();
  j["acknowledged_at"] = e.acknowledged_at ? ordered_json(*e.acknowledged_at) : nullptr;
  j["acknowledged_by"] = e.acknowledged_by ? ordered_json(*e.acknowledged_by) : nullptr;
  j["created"] = e.created;
  j["last_seen"] = e.last_seen;
  j["repeats"] = e.repeats;
  ordered_json ds = ordered_json::array();
  for (const auto& d : e.deliveries) {
    ds.push_back(
        {{"id", d.id},
         {"party", d.party},
         {"name", d.party_name},
         {"role", d.role},
         {"kind", d.kind},
         {"state", d.state},
         {"attempts", d.attempts},
         {"next_attempt", d.state == "pending" ? ordered_json(store::rfc3339_of_ms(d.due_ms))
                                               : ordered_json(nullptr)},
         {"last_error", !d.last_error    ? ordered_json(nullptr)
                        : who.provider() ? ordered_json(*d.last_error)
                                         : ordered_json(tenant_facing_error(*d.last_error))},
         {"last_error_code", d.last_error ? ordered_json(error_code_of(*d.last_error)) : nullptr},
         {"sent_at", d.sent_at ? ordered_json(*d.sent_at) : nullptr}});
    if (!d.via.empty()) ds.back()["via"] = d.via;
    if (d.repeat_n > 0) ds.back()["repeat"] = d.repeat_n;
    // What the receiver's answer gave back (a service desk's ticket id): {"ticket": "42"}.
    // The provider's roles only: a client's desk shows its own tickets, and the
    // provider's ticket numbers are its own business.
    if (!d.refs.empty() && who.provider())
      ds.back()["ref"] = parsed_or(d.refs, ordered_json::object());
    // Held (a maintenance window): why, and until when.
    if (!d.held.empty() && d.state == "pending" && d.attempts == 0) {
      ordered_json held{{"until", store::rfc3339_of_ms(d.release_ms)}};
      if (d.held.starts_with("maintenance:")) {
        held["reason"] = "maintenance";
        held["window"] = d.held.substr(12);
      } else if (d.held.starts_with("hours:")) {
        held["reason"] = "outside_hours";
        held["party"] = d.held.substr(6);
      } else {
        held["reason"] = d.held;
      }
      ds.back()["held"] = std::move(held);
    }
  }
  j["deliveries"] = std::move(ds);
  j["maintenance"] = e.maintenance ? parsed_or(*e.maintenance, nullptr) : ordered_json(nullptr);
  // Whether this caller may acknowledge it (the portal shows the button only then).
  j["can_acknowledge"] = !e.acknowledged_at.has_value() && cannot_acknowledge(who, e).empty();
  return j;
}

namespace {}  // namespace

namespace {

constexpr const char* k_receiver_shapes =
    "a receiver is {\"type\": \"webhook\", \"url\", \"secret\"?}, {\"type\": \"email\", \"to\"}, "
    "{\"type\": \"slack\"|\"mattermost\"|\"teams\", \"url\"}, {\"type\": \"pagerduty\", "
    "\"routing_key\", \"url\"?} or {\"type\": \"template\", \"url\", \"method\"?, \"headers\"?, "
    "\"body\"}, each with \"lang\"?: \"fr\"|\"en\" (docs/routing.md)";

bool http_url(const std::string& u) {
  return (u.starts_with("http://") || u.starts_with("https://")) && u.size() <= 2048 &&
         u.find_first_of(" \r\n\t") == std::string::npos;
}

// What a listing shows of any URL: no user or password, no query (either may hold a
// credential: https://user:pass@host/, ?token=...).
std::string shown_url(const std::string& url) {
  std::string out = url;
  const auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    const auto host_end = out.find_first_of("/?#", scheme + 3);
    const auto at = out.rfind('@', host_end == std::string::npos ? out.size() : host_end);
    if (at != std::string::npos && at > scheme) out.erase(scheme + 3, at - scheme - 2);
  }
  if (const auto q = out.find_first_of("?#"); q != std::string::npos)
    out = out.substr(0, q) + "?...";
  return out;
}

// What a listing shows of an incoming webhook's URL, which is itself the credential:
// the scheme and host, the rest masked.
std::string masked(const std::string& url) {
  const auto scheme = url.find("://");
  const auto path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  return path == std::string::npos ? shown_url(url) : shown_url(url.substr(0, path)) + "/...";
}

}  // namespace

std::optional<Reply> Service::parse_receiver(const json& body, store::Receiver& r, bool nested) {
  const auto bad = [](const std::string& code, const std::string& why) {
    return Reply::error(Status::bad_request, code, why);
  };
  if (!body.is_object() || !body.contains("type") || !body["type"].is_string())
    return bad("bad_request", k_receiver_shapes);
  r.type = body["type"].get<std::string>();
  static const std::map<std::string, std::vector<std::string>> keys = {
      {"webhook", {"url", "secret"}},
      {"email", {"to"}},
      {"slack", {"url"}},
      {"mattermost", {"url"}},
      {"teams", {"url"}},
      {"pagerduty", {"routing_key", "url", "webhook_secret"}},
      {"template", {"url", "method", "headers", "body", "capture", "steps"}}};
  const auto known = keys.find(r.type);
  if (known == keys.end())
    return bad("bad_type",
               "type is one of webhook, email, slack, mattermost, teams, pagerduty, "
               "template");
  for (const auto& [k, v] : body.items()) {
    if (k != "type" && k != "lang" && k != "fallback" && k != "fallback_after" &&
        std::find(known->second.begin(), known->second.end(), k) == known->second.end())
      return bad("bad_request", "unknown key '" + k.substr(0, 64) + "' for a " + r.type +
                                    " receiver: " + k_receiver_shapes);
  }
  const auto text = [&](const char* k) -> std::optional<std::string> {
    if (!body.contains(k) || !body[k].is_string()) return std::nullopt;
    return body[k].get<std::string>();
  };
  json options = json::object();
  if (body.contains("lang")) {
    if (body["lang"] != "fr" && body["lang"] != "en")
      return bad("bad_request", "lang is \"fr\" or \"en\"");
    options["lang"] = body["lang"];
  }
  if (r.type == "email") {
    const auto to = text("to");
    if (!to) return bad("bad_request", k_receiver_shapes);
    r.target = *to;
    const auto at = r.target.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == r.target.size() || r.target.size() > 254 ||
        r.target.find_first_of(" \r\n\t<>,;") != std::string::npos)
      return bad("bad_address", "to must be one email address");
  } else if (r.type == "pagerduty") {
    const auto key = text("routing_key");
    if (!key || key->empty() || key->size() > 64 ||
        key->find_first_of(" \r\n\t\"\\") != std::string::npos)
      return bad("bad_request", "routing_key is the integration key of a PagerDuty service");
    r.secret = *key;
    r.target = text("url").value_or(notify::k_pagerduty_url);
    // The secret of a PagerDuty v3 webhook subscription pointed at
    // /api/v1/tenants/{t}/receivers/{party}/pagerduty: its acknowledgements come back.
    if (body.contains("webhook_secret")) {
      const auto ws = text("webhook_secret");
      if (!ws || ws->empty() || ws->size() > 256)
        return bad("bad_request",
                   "webhook_secret is the secret of a PagerDuty webhook subscription");
      options["webhook_secret"] = *ws;
    }
    if (!http_url(r.target)) return bad("bad_url", "url must be an http:// or https:// URL");
  } else {
    const auto url = text("url");
    if (!url) return bad("bad_request", k_receiver_shapes);
    r.target = *url;
    if (!http_url(r.target)) return bad("bad_url", "url must be an http:// or https:// URL");
    if (r.type == "webhook" && body.contains("secret")) {
      if (!body["secret"].is_string() || body["secret"].get<std::string>().empty())
        return bad("bad_request", "secret is a non-empty string");
      r.secret = body["secret"].get<std::string>();
    }
    if (r.type == "template") {
      // One request's shape ({"url"?, "method"?, "headers"?, "body"}), checked here for
      // its JSON types; notify::check_template checks what it says.
      const auto request = [&](const json& o, const std::string& what, bool with_url,
                               json& out) -> std::optional<Reply> {
        for (const auto& [k, v] : o.items())
          if (k != "method" && k != "headers" && k != "body" && (k != "url" || !with_url))
            return bad("bad_request", what + "unknown key '" + k.substr(0, 64) + "'");
        if (o.contains("method") && !o["method"].is_string())
          return bad("bad_request", what + "method is POST, PUT or PATCH");
        if (!o.contains("body") || !o["body"].is_string())
          return bad("bad_request", what + "body is the request's Mustache template");
        if (with_url && (!o.contains("url") || !o["url"].is_string()))
          return bad("bad_request", what + "url is the step's URL (a template on {{ref.NAME}})");
        if (o.contains("headers")) {
          if (!o["headers"].is_object())
            return bad("bad_request", what + "headers is an object of header names to templates");
          for (const auto& [name, value] : o["headers"].items())
            if (!value.is_string())
              return bad("bad_request", what + "headers is an object of header names to templates");
        }
        out["method"] = o.value("method", "POST");
        out["body"] = o["body"];
        out["headers"] = o.contains("headers") ? o["headers"] : json::object();
        if (with_url) out["url"] = o["url"];
        return std::nullopt;
      };
      json first = body;
      first.erase("type");
      for (const char* k : {"url", "lang", "fallback", "fallback_after", "capture", "steps"})
        first.erase(k);
      if (auto why = request(first, "", false, options)) return why;
      if (body.contains("capture")) {
        if (!body["capture"].is_object() ||
            std::any_of(body["capture"].begin(), body["capture"].end(),
                        [](const json& v) { return !v.is_string(); }))
          return bad("bad_request",
                     "capture is an object of names to JSON pointers into the answer "
                     "({\"ticket\": \"/id\"})");
        options["capture"] = body["capture"];
      }
      if (body.contains("steps")) {
        if (!body["steps"].is_object())
          return bad("bad_request", "steps is {\"repeat\"?: {...}, \"resolved\"?: {...}}");
        json steps = json::object();
        for (const auto& [which, o] : body["steps"].items()) {
          if (!o.is_object())
            return bad("bad_request", "steps." + which.substr(0, 64) +
                                          " is a request: {\"url\", \"method\"?, "
                                          "\"headers\"?, \"body\"}");
          if (auto why = request(o, "steps." + which.substr(0, 64) + ": ", true, steps[which]))
            return why;
        }
        options["steps"] = steps;
      }
      if (auto why = notify::check_template(notify::template_of(r.target, options)))
        return bad("bad_template", *why);
    }
  }
  // Where deliveries go after `fallback_after` failed attempts (3), or while this
  // receiver's circuit is open: another receiver, itself without a fallback.
  if (body.contains("fallback")) {
    if (!nested) {
      store::Receiver fb;
      if (!body["fallback"].is_object() || body["fallback"].contains("fallback"))
        return bad("bad_request", "fallback is a receiver of its own, without a fallback");
      if (auto why = parse_receiver(body["fallback"], fb, true)) return why;
      options["fallback"] = {{"type", fb.type},
                             {"target", fb.target},
                             {"secret", fb.secret ? json(*fb.secret) : json(nullptr)},
                             {"options", json::parse(fb.options)}};
    }
    int after = 3;
    if (body.contains("fallback_after")) {
      if (!body["fallback_after"].is_number_integer() || body["fallback_after"].get<int>() < 1 ||
          body["fallback_after"].get<int>() > 20)
        return bad("bad_request", "fallback_after is a number of failed attempts, 1 to 20");
      after = body["fallback_after"].get<int>();
    }
    options["fallback_after"] = after;
  } else if (body.contains("fallback_after")) {
    return bad("bad_request", "fallback_after goes with a fallback");
  }
  r.options = options.dump();
  return std::nullopt;
}

std::optional<std::pair<store::Receiver, int>> Service::fallback_of(const store::Receiver& r) {
  const auto options = json::parse(r.options, nullptr, false);
  if (!options.is_object() || !options.contains("fallback") || !options["fallback"].is_object())
    return std::nullopt;
  const auto& f = options["fallback"];
  store::Receiver fb;
  fb.tenant = r.tenant;
  fb.party = r.party;
  fb.by_provider = r.by_provider;
  fb.type = f.value("type", "");
  fb.target = f.value("target", "");
  if (f.contains("secret") && f["secret"].is_string()) fb.secret = f["secret"].get<std::string>();
  fb.options = f.contains("options") ? f["options"].dump() : "{}";
  return std::make_pair(fb, options.value("fallback_after", 3));
}

ordered_json Service::receiver_json(const store::Receiver& r, bool full) {
  ordered_json j{{"party", r.party}, {"type", r.type}};
  const auto options = json::parse(r.options, nullptr, false);
  if (r.type == "email") {
    j["to"] = r.target;
  } else if (r.type == "slack" || r.type == "mattermost" || r.type == "teams") {
    j["url"] = masked(r.target);
  } else if (r.type == "pagerduty") {
    j["url"] = shown_url(r.target);
    j["routing_key"] = r.secret.has_value();
    j["webhook_secret"] = options.is_object() && options.contains("webhook_secret");
  } else {
    j["url"] = shown_url(r.target);
  }
  if (r.type == "webhook") j["secret"] = r.secret.has_value();
  if (r.type == "template" && options.is_object()) {
    j["method"] = options.value("method", "POST");
    // Header values may hold credentials (Authorization): their names only.
    ordered_json names = ordered_json::array();
    if (options.contains("headers") && options["headers"].is_object())
      for (const auto& [name, value] : options["headers"].items()) names.push_back(name);
    j["headers"] = names;
    j["body"] = full ? ordered_json(options.value("body", "")) : ordered_json(true);
    if (options.contains("capture")) j["capture"] = options["capture"];
    if (options.contains("steps") && options["steps"].is_object()) {
      ordered_json steps = ordered_json::object();
      for (const auto& [which, o] : options["steps"].items()) {
        ordered_json step{{"url", shown_url(o.value("url", ""))},
                          {"method", o.value("method", "POST")}};
        ordered_json step_names = ordered_json::array();
        if (o.contains("headers") && o["headers"].is_object())
          for (const auto& [name, value] : o["headers"].items()) step_names.push_back(name);
        step["headers"] = step_names;
        step["body"] = full ? ordered_json(o.value("body", "")) : ordered_json(true);
        steps[which] = step;
      }
      j["steps"] = steps;
    }
  }
  j["lang"] = options.is_object() ? options.value("lang", "en") : "en";
  if (const auto fb = fallback_of(r)) {
    auto shown = receiver_json(fb->first, full);
    shown.erase("party");
    j["fallback"] = shown;
    j["fallback_after"] = fb->second;
  }
  return j;
}

Reply Service::put_receiver(const Principal& who, const std::string& tenant,
                            const std::string& party, const json& body) {
  if (!valid_party_id(party))
    return Reply::error(Status::bad_request, "bad_id", "the party is a party id of the matrix");
  store::Receiver r;
  r.tenant = tenant;
  r.party = party;
  if (auto bad = parse_receiver(body, r)) return *bad;
  const auto owner = tenant.empty() ? std::nullopt : m_store.get_tenant(who, tenant);
  if (!tenant.empty() && !owner)
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant may set its receivers");
  // A tenant chooses where its own party's deliveries go, never the provider's: a
  // receiver of its own for Cloud Temple would divert the provider's pages about it.
  if (!who.writer()) {
    bool own = false;
    std::string parties;
    for (const auto& c : m_store.list_contracts(Principal::system(), tenant)) {
      const std::string id = text::slugify(c.party);
      own = own || id == party;
      if (parties.find("'" + id + "'") == std::string::npos)
        parties += (parties.empty() ? "'" : ", '") + id + "'";
    }
    if (!own)
      return Reply::error(Status::forbidden, "forbidden",
                          "a tenant sets the receivers of its own party only (" +
                              (parties.empty() ? std::string("it has no contract") : parties) +
                              ")");
  }
  // A tenant's own receiver never points into the provider's network (notify/egress.h),
  // nor mails anyone outside the domains the provider lists for the tenant. The
  // provider's roles follow the operator's network policy only.
  std::vector<store::Receiver> checked = {r};
  if (auto fb = fallback_of(r)) checked.push_back(fb->first);
  for (const auto& each : checked) {
    if (who.writer()) break;
    if (each.type != "email") {
      const auto verdict = m_egress.check_url(each.target);
      if (verdict.kind == notify::EgressPolicy::Verdict::Kind::denied)
        return Reply::error(Status::forbidden, "egress_denied",
                            "a tenant's receiver may not send there: " + verdict.why);
      if (verdict.kind == notify::EgressPolicy::Verdict::Kind::retry) {
        Reply busy = Reply::error(Status::unavailable, "resolver_busy", verdict.why);
        busy.retry_after = 1;
        return busy;
      }
    } else {
      const std::string domain = ascii_lower(each.target.substr(each.target.rfind('@') + 1));
      const auto& allowed = owner->email_domains;
      if (std::find(allowed.begin(), allowed.end(), domain) == allowed.end()) {
        std::string list;
        for (const auto& d : allowed) list += (list.empty() ? "" : ", ") + d;
        return Reply::error(
            Status::forbidden, "egress_denied",
            "'" + each.target +
                "' is not at a domain the provider allows for this tenant's email (" +
                (list.empty() ? std::string("none: ask the provider to set email_domains") : list) +
                ")");
      }
    }
  }
  bool created = false;
  try {
    created = m_store.put_receiver(who, r);
  } catch (const store::Error& e) {
    if (e.transient()) throw;
    if (std::string_view(e.what()) == "forbidden") throw;
    return Reply::error(Status::not_found, "not_found", e.what());
  }
  ordered_json out{{"tenant", tenant.empty() ? ordered_json(nullptr) : ordered_json(tenant)}};
  out.update(receiver_json(r));
  return Reply::json(out, created ? Status::created : Status::ok);
}

Reply Service::list_receivers(const Principal& who, const std::string& tenant) {
  if (!tenant.empty() && !m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  // A tenant sees the receivers of its own parties only (not where the provider is paged).
  std::vector<std::string> own;
  if (!who.provider()) {
    for (const auto& c : m_store.list_contracts(Principal::system(), tenant))
      own.push_back(text::slugify(c.party));
  }
  ordered_json out = ordered_json::array();
  for (const auto& r : m_store.list_receivers(who, tenant)) {
    if (!who.provider() && std::find(own.begin(), own.end(), r.party) == own.end()) continue;
    out.push_back(
        receiver_json(r, who.writer() || (who.role == store::Role::tenant &&
                                          who.tenant_role == store::TenantRole::approver)));
    // Its health, from the party's latest 200 deliveries of this tenant, and the circuit
    // as this instance holds it (docs/routing.md, "Receivers").
    if (tenant.empty()) continue;
    const auto h = m_store.receiver_health(tenant, r.party);
    ordered_json health{{"recent", h.recent},
                        {"sent", h.sent},
                        {"pending", h.pending},
                        {"dead", h.dead},
                        {"last_success", h.last_success ? ordered_json(*h.last_success) : nullptr},
                        {"last_failure", nullptr}};
    if (h.last_failure_ms > 0)
      health["last_failure"] = {
          {"at", store::rfc3339_of_ms(h.last_failure_ms)},
          {"error", who.provider() ? h.last_error : tenant_facing_error(h.last_error)},
          {"code", error_code_of(h.last_error)}};
    const std::int64_t open = m_circuit_of ? m_circuit_of(tenant, r.party, r) : 0;
    health["circuit"] = open > 0 ? "open" : "closed";
    if (open > 0) health["circuit_until"] = store::rfc3339_of_ms(open);
    out.back()["health"] = health;
  }
  return Reply::json(out);
}

Reply Service::test_receiver(const Principal& who, const std::string& tenant,
                             const std::string& party) {
  if (!valid_party_id(party))
    return Reply::error(Status::bad_request, "bad_id", "the party is a party id of the matrix");
  if (!tenant.empty() && !m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant may test its receivers");
  std::optional<store::Receiver> receiver;
  for (const auto& r : m_store.list_receivers(who.provider() ? Principal::system() : who, tenant))
    if (r.party == party) receiver = r;
  // A tenant tests the receivers of its own party only.
  if (!who.provider()) {
    bool own = false;
    for (const auto& c : m_store.list_contracts(Principal::system(), tenant))
      own = own || text::slugify(c.party) == party;
    if (!own) receiver.reset();
  }
  if (!receiver)
    return Reply::error(Status::not_found, "not_found",
                        "no receiver for party '" + party + "'" +
                            (tenant.empty() ? std::string() : " of tenant '" + tenant + "'"));
  if (!m_test_send)
    return Reply::error(Status::unavailable, "unavailable", "this server sends no deliveries");
  store::Claimed c;
  c.receiver = *receiver;
  c.delivery.id = "test-" + identity::random_token().substr(0, 16);
  c.delivery.party = party;
  c.delivery.party_name = party;
  c.delivery.role = "I";  // a test acknowledges nothing: no acknowledgement link
  c.delivery.kind = "informed";
  c.event.id = "test";
  c.event.tenant = tenant;
  c.event.contract = "test";
  c.event.fingerprint = "racine-test";
  c.event.status = "firing";
  c.event.starts_at = store::now_rfc3339();
  c.event.labels = json{{"alertname", "RacineTest"}, {"severity", "info"}}.dump();
  c.event.annotations =
      json{{"summary", "A test message from racine: this receiver works."}}.dump();
  const notify::Outcome out = m_test_send(c);
  ordered_json j{{"party", party}, {"type", receiver->type}, {"ok", out.ok}};
  if (out.status != 0) j["status"] = out.status;
  if (!out.ok) j["error"] = who.provider() ? out.error : tenant_facing_error(out.error);
  return Reply::json(j);
}

std::shared_ptr<const k8s::RuleSet> Service::rules_of(const std::string& matrix,
                                                      std::int64_t version) {
  const std::string key = matrix + "@" + std::to_string(version);
  {
    std::lock_guard<std::mutex> lock(m_rules_mutex);
    if (auto it = m_rules.find(key); it != m_rules.end()) return it->second;
  }
  const auto v = m_store.get_version(Principal::system(), matrix, version);
  if (!v) return nullptr;
  const bool canonical = v->format == "yaml" || v->format == "json";
  auto src = load_text(v->document, matrix + "@" + std::to_string(version) + "." + v->format,
                       m_config.limits);
  auto rules = route::rules_for_document(src ? *src : nullptr, canonical);
  if (!rules) return nullptr;
  auto shared = std::make_shared<const k8s::RuleSet>(std::move(*rules));
  std::lock_guard<std::mutex> lock(m_rules_mutex);
  return m_rules.try_emplace(key, std::move(shared)).first->second;
}

Reply Service::route_alerts(const Principal& who, const std::string& tenant,
                            const std::string& contract_in, const json& body, RoutedAlerts& out) {
  if (!who.writer() && who.tenant != tenant)
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  // The payload first: a malformed one is refused whatever the contract.
  const char* shape =
      "the body must be an Alertmanager webhook payload (version 4): {\"version\": \"4\", "
      "\"alerts\": [{\"status\", \"labels\", \"startsAt\", ...}]}";
  if (!body.is_object() || !body.contains("alerts") || !body["alerts"].is_array())
    return Reply::error(Status::bad_request, "bad_payload", shape);
  if (body.contains("version") &&
      !(body["version"].is_string() && body["version"].get<std::string>() == "4"))
    return Reply::error(Status::bad_request, "bad_payload",
                        "version must be \"4\" (Alertmanager's webhook payload)");
  struct Parsed {
    std::map<std::string, std::string> labels;
    store::IncomingAlert in;
  };
  std::vector<Parsed> alerts;
  const auto& list = body["alerts"];
  if (list.size() > m_limits.alerts_per_request)
    return Reply::error(
        Status::bad_request, "bad_payload",
        "at most " + std::to_string(m_limits.alerts_per_request) + " alerts per request");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& a = list[i];
    const std::string where = "alerts[" + std::to_string(i) + "]";
    if (!a.is_object())
      return Reply::error(Status::bad_request, "bad_payload", where + " must be an object");
    Parsed p;
    if (!a.contains("labels"))
      return Reply::error(Status::bad_request, "bad_payload", where + ".labels is missing");
    if (auto e = strings_object(a["labels"], where + ".labels", &p.labels))
      return Reply::error(Status::bad_request, "bad_payload", *e);
    if (a.contains("annotations")) {
      if (auto e = strings_object(a["annotations"], where + ".annotations", nullptr))
        return Reply::error(Status::bad_request, "bad_payload", *e);
      p.in.annotations = a["annotations"].dump();
    } else {
      p.in.annotations = "{}";
    }
    p.in.labels = json(p.labels).dump();
    if (!a.contains("status") || !a["status"].is_string() ||
        (a["status"] != "firing" && a["status"] != "resolved"))
      return Reply::error(Status::bad_request, "bad_payload",
                          where + ".status must be \"firing\" or \"resolved\"");
    p.in.status = a["status"].get<std::string>();
    if (!a.contains("startsAt") || !a["startsAt"].is_string() ||
        !is_rfc3339(a["startsAt"].get<std::string>()))
      return Reply::error(
          Status::bad_request, "bad_payload",
          where + ".startsAt must be a time (RFC 3339, such as " + "2026-12-06T10:42:00Z)");
    p.in.starts_at = a["startsAt"].get<std::string>();
    for (const auto& [key, field] :
         {std::pair{"endsAt", &p.in.ends_at}, std::pair{"generatorURL", &p.in.generator_url},
          std::pair{"fingerprint", &p.in.fingerprint}}) {
      if (!a.contains(key)) continue;
      if (!a[key].is_string())
        return Reply::error(Status::bad_request, "bad_payload",
                            where + "." + key + " must be a string");
      *field = a[key].get<std::string>();
    }
    if (!p.in.ends_at.empty() && !is_rfc3339(p.in.ends_at))
      return Reply::error(
          Status::bad_request, "bad_payload",
          where + ".endsAt must be a time (RFC 3339, such as " + "2026-12-06T10:42:00Z)");
    if (p.in.fingerprint.empty()) p.in.fingerprint = fingerprint_of(p.labels);
    for (const auto* s : {&p.in.starts_at, &p.in.ends_at, &p.in.generator_url, &p.in.fingerprint,
                          &p.in.labels, &p.in.annotations}) {
      if (text::find_invalid_utf8(*s))
        return Reply::error(Status::bad_request, "bad_payload", where + " is not valid UTF-8");
    }
    alerts.push_back(std::move(p));
  }

  // The tenant's quota: alerts per minute, a token bucket per tenant (per instance). A
  // request is taken whole or refused whole, so that Alertmanager's retry resends it all.
  if (m_limits.alerts_per_minute > 0 && !alerts.empty()) {
    const double capacity = m_limits.alerts_per_minute;
    const double need = static_cast<double>(alerts.size());
    if (need > capacity)
      return Reply::error(Status::bad_request, "bad_payload",
                          "the request holds more alerts than the tenant may send in a minute (" +
                              std::to_string(static_cast<long long>(capacity)) + ")");
    // The bucket holds a minute's alerts and refills at that rate; steady milliseconds
    // as seconds.
    const double now_s = static_cast<double>(store::now_ms()) / 1000.0;
    if (const auto wait = m_quota->take(tenant, need, now_s)) {
      Reply r = Reply::error(Status::too_many, "quota_exceeded",
                             "tenant '" + tenant + "' sent more than " +
                                 std::to_string(static_cast<long long>(capacity)) +
                                 " alerts in a minute: try again later");
      r.retry_after = wait;
      return r;
    }
  }

  // The contract: the one named, else the tenant's only one. `who` may post for this
  // tenant (checked above); an ingest token reads nothing, so the contract and its matrix
  // are read by the server itself.
  const Principal self = Principal::system();
  std::string contract = contract_in;
  // Remembered unless a write of this instance came between the read and now (the
  // write forgets what was remembered before it; this keeps what was read before it out).
  const std::uint64_t writes = m_routing_writes.load();
  auto unchanged = [&] { return m_routing_writes.load() == writes; };
  if (contract.empty()) {
    auto ids = m_contract_ids.get(tenant);
    if (!ids) {
      ids.emplace();
      for (const auto& c : m_store.list_contracts(self, tenant)) ids->push_back(c.id);
      if (!ids->empty()) m_contract_ids.put_if(tenant, *ids, unchanged);  // none: not kept
    }
    if (ids->size() != 1) {
      if (ids->empty() && !m_store.get_tenant(Principal::system(), tenant))
        return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
      return Reply::error(Status::bad_request, "bad_contract",
                          ids->empty() ? "the tenant has no contract to route under"
                                       : "the tenant has " + std::to_string(ids->size()) +
                                             " contracts: name one with ?contract=ID");
    }
    contract = ids->front();
  }
  Reply error;
  const auto view = contract_view(self, tenant, contract, error);
  if (!view) return error;
  const auto rules = rules_of(view->contract.matrix, view->contract.version);
  if (!rules)
    return Reply::error(Status::conflict, "unreadable",
                        "the contract's classification rules cannot be read");
  const Matrix& m = view->loaded->matrix;
  const auto provider = route::provider_party(m, view->contract.party);
  const std::int64_t escalate = duration_ms(view->contract.escalate_after).value_or(15 * 60 * 1000);
  const std::int64_t now = store::now_ms();

  // The parties' on-call rules under this contract (route/hours.h), parsed once per
  // distinct text; what they say for `now` worked out once per batch.
  std::map<std::string, std::shared_ptr<const route::OnCall>> oncall;
  const std::string rules_key = tenant + '\n' + contract;
  auto listed = m_oncall_rules.get(rules_key);
  if (!listed) {
    listed = m_store.list_oncall(tenant, contract);
    m_oncall_rules.put_if(rules_key, *listed, unchanged);
  }
  for (const auto& o : *listed)
    if (auto c = oncall_rules(o.rules, now)) oncall.emplace(o.party, std::move(c));
  std::map<std::string, const route::OnCall*> by_party;
  for (const auto& [party, c] : oncall) by_party.emplace(party, c.get());
  route::ScheduleCache cache;

  std::vector<store::IncomingAlert> incoming;
  std::uint64_t classified = 0;
  for (auto& p : alerts) {
    k8s::Subject s;
    s.alert = true;
    s.labels = p.labels;
    if (auto it = s.labels.find("alertname"); it != s.labels.end()) s.alertname = it->second;
    if (auto it = s.labels.find("namespace"); it != s.labels.end()) s.namespace_ = it->second;
    const route::Plan plan = route::plan(*rules, m, s, provider);
    if (plan.activity != nullptr) {
      ++classified;
      p.in.activity = json{{"id", plan.activity->id},
                           {"title", plan.activity->title},
                           {"section", plan.section != nullptr ? plan.section->title : ""}}
                          .dump();
    }
    const std::string severity = p.labels.count("severity") != 0U ? p.labels["severity"] : "";
    for (const auto& d : route::schedule(plan, m, by_party, severity, now, escalate, cache)) {
      store::NewDelivery nd{
          m.parties.at(d.party).id, m.parties.at(d.party).name, std::string(1, d.role),
          std::string(route::kind_name(static_cast<route::Kind>(d.kind))), d.due_ms};
      nd.held = d.held;
      nd.repeat_ms = d.repeat_ms;
      p.in.on_firing.push_back(std::move(nd));
    }
    for (const auto& r : plan.responsible)
      p.in.on_resolved.push_back(store::NewDelivery{m.parties.at(r.party).id,
                                                    m.parties.at(r.party).name,
                                                    std::string(1, r.role), "resolved", now});
    incoming.push_back(std::move(p.in));
  }
  out.ready = true;
  out.contract = std::move(contract);
  out.incoming = std::move(incoming);
  out.classified = classified;
  return {};
}

void Service::receive_alerts_then(const Principal& who, const std::string& tenant,
                                  const std::string& contract_in, const json& body,
                                  std::function<void(Reply, std::exception_ptr)> done) {
  RoutedAlerts routed;
  Reply refused = route_alerts(who, tenant, contract_in, body, routed);
  if (!routed.ready) return done(std::move(refused), nullptr);
  const std::size_t received = routed.incoming.size();
  m_store.record_alerts_then(
      who, tenant, routed.contract, std::move(routed.incoming),
      [this, contract = routed.contract, received, classified = routed.classified,
       done = std::move(done)](std::optional<std::vector<store::Recorded>> recorded,
                               std::exception_ptr failure) {
        if (failure) return done(Reply{}, failure);
        if (!recorded)
          return done(
              Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'"),
              nullptr);
        std::uint64_t repeats = 0;
        std::size_t deliveries = 0;
        std::int64_t first_due = 0;
        ordered_json events = ordered_json::array();
        for (const auto& r : *recorded) {
          if (r.deliveries > 0 && (first_due == 0 || r.first_due_ms < first_due))
            first_due = r.first_due_ms;
          const char* outcome = r.outcome == store::Recorded::Outcome::created    ? "created"
                                : r.outcome == store::Recorded::Outcome::resolved ? "resolved"
                                                                                  : "repeat";
          if (r.outcome == store::Recorded::Outcome::repeat) ++repeats;
          deliveries += r.deliveries;
          events.push_back(
              {{"event", r.event}, {"outcome", outcome}, {"deliveries", r.deliveries}});
        }
        if (deliveries > 0 && m_on_recorded) m_on_recorded(first_due);
        m_routing.alerts_received += received;
        m_routing.alerts_deduplicated += repeats;
        m_routing.alerts_classified += classified;
        m_routing.alerts_gray_zone += received - classified;
        done(Reply::json(ordered_json{
                 {"contract", contract}, {"received", received}, {"events", std::move(events)}}),
             nullptr);
      });
}

Reply Service::receive_alerts(const Principal& who, const std::string& tenant,
                              const std::string& contract, const json& body) {
  std::promise<std::pair<Reply, std::exception_ptr>> answered;
  auto future = answered.get_future();
  receive_alerts_then(who, tenant, contract, body, [&](Reply r, std::exception_ptr e) {
    answered.set_value({std::move(r), e});
  });
  auto [reply, failure] = future.get();
  if (failure) std::rethrow_exception(failure);
  return reply;
}

Reply Service::list_events(const Principal& who, const std::string& tenant,
                           const std::string& status) {
  if (!status.empty() && status != "firing" && status != "resolved")
    return Reply::error(Status::bad_request, "bad_query", "status is firing or resolved");
  if (!m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  ordered_json out = ordered_json::array();
  for (const auto& e : m_store.list_events(who, tenant, status)) out.push_back(event_json(who, e));
  return Reply::json(out);
}

Reply Service::get_event(const Principal& who, const std::string& tenant, const std::string& id) {
  const auto e = m_store.get_event(who, tenant, id);
  if (!e) return Reply::error(Status::not_found, "not_found", "no event '" + id + "'");
  return Reply::json(event_json(who, *e));
}

std::string Service::cannot_acknowledge(const Principal& who, const store::Event& e) {
  if (who.writer()) return "";
  if (who.role == store::Role::viewer) return "a viewer cannot acknowledge events";
  if (who.role == store::Role::tenant && who.tenant_role == store::TenantRole::viewer)
    return "a viewer of the tenant cannot acknowledge events: a responder or an approver may";
  if (who.role != store::Role::tenant || who.tenant != e.tenant)
    return "this token cannot acknowledge events";
  // The roles the routing gave this tenant's party for the event's activity, under the
  // contract: its deliveries say them (R firing, I informed, A escalation).
  const auto contract = cached_contract(e.tenant, e.contract);
  if (!contract) return "the event's contract is gone";
  const std::string party = text::slugify(contract->party);
  std::string name = contract->party;  // as the matrix writes it, when a delivery says
  bool informed = false;
  for (const auto& d : e.deliveries) {
    if (d.party != party) continue;
    if (d.role == "R" || d.role == "A") return "";
    informed = informed || d.role == "I";
    name = d.party_name;
  }
  if (e.gray_zone)
    return "this alert is in the gray zone (no activity of the contract's matrix covers it): "
           "the provider handles it, and only the provider may acknowledge it";
  std::string activity = "its activity";
  if (e.activity) {
    const auto a = nlohmann::json::parse(*e.activity, nullptr, false);
    if (a.is_object() && a.contains("title") && a["title"].is_string())
      activity = "'" + a["title"].get<std::string>() + "'";
  }
  return "under contract '" + e.contract + "', " + name + " is " +
         (informed ? "only Informed of " : "neither Responsible nor Accountable for ") + activity +
         ": only the parties Responsible or Accountable may acknowledge this alert";
}

Reply Service::acknowledge(const Principal& who, const std::string& tenant, const std::string& id) {
  const auto before = m_store.get_event(who, tenant, id);
  if (!before) return Reply::error(Status::not_found, "not_found", "no event '" + id + "'");
  if (const auto why = cannot_acknowledge(who, *before); !why.empty())
    return Reply::error(Status::forbidden, "forbidden", why);
  const auto e = m_store.acknowledge(who, tenant, id);
  if (!e) return Reply::error(Status::not_found, "not_found", "no event '" + id + "'");
  return Reply::json(event_json(who, *e));
}

std::string Service::delivery_body(const store::Claimed& c, const std::string& ack_base,
                                   const std::string& ack_link) {
  const auto& d = c.delivery;
  const auto& e = c.event;
  ordered_json j;
  j["racine"] = 1;
  j["kind"] = d.kind;
  j["delivery"] = d.id;
  j["event"] = e.id;
  j["tenant"] = e.tenant;
  j["contract"] = e.contract;
  j["party"] = d.party_name;
  j["role"] = d.role;
  j["activity"] = e.activity ? parsed_or(*e.activity, nullptr) : ordered_json(nullptr);
  j["gray_zone"] = e.gray_zone;
  j["alert"] = {{"fingerprint", e.fingerprint},
                {"status", d.kind == "resolved" ? "resolved" : "firing"},
                {"labels", parsed_or(e.labels, ordered_json::object())},
                {"annotations", parsed_or(e.annotations, ordered_json::object())},
                {"startsAt", e.starts_at},
                {"endsAt", e.ends_at},
                {"generatorURL", e.generator_url}};
  if (e.status == "request" && e.fingerprint.starts_with("version:")) {
    // A version published (Service::upload): the contract's page, where the upgrade is.
    const auto labels = parsed_or(e.labels, ordered_json::object());
    j["notice"] = {{"kind", labels.value("notice", "")},
                   {"matrix", labels.value("matrix", "")},
                   {"version", labels.value("version", "")},
                   {"url", ack_base + "/#/tenants/" + e.tenant + "/contracts/" + e.contract}};
    return j.dump();
  }
  if (e.status == "request") {
    // A request to the provider (service/requests.cpp): nothing to acknowledge; its id,
    // state and page instead.
    const auto labels = parsed_or(e.labels, ordered_json::object());
    j["request"] = {{"id", labels.value("request", "")},
                    {"state", labels.value("state", "")},
                    {"url", ack_base + "/#/tenants/" + e.tenant + "/requests"}};
    return j.dump();
  }
  j["ack_url"] = ack_base + "/api/v1/tenants/" + e.tenant + "/events/" + e.id + "/ack";
  if (!ack_link.empty()) j["ack_link"] = ack_link;
  if (d.repeat_n > 0) j["repeat"] = d.repeat_n;
  return j.dump();
}

}  // namespace racine::service

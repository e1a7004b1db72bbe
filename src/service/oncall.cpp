// On-call rules of a contract (docs/routing.md): the maintenance windows in which a
// contract's alerts are recorded and shown but not paged, and the signed links that
// acknowledge an event from where people are paged. The HTTP routes are server/api.cpp's;
// the store holds the windows and the deliveries they hold.

#include <sodium.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/escape.h"
#include "core/text.h"
#include "identity/oidc.h"
#include "notify/channels.h"
#include "notify/send.h"
#include "reports/html_writer.h"
#include "route/hours.h"
#include "service/service.h"

namespace racine::service {

using nlohmann::json;
using nlohmann::ordered_json;
using store::Principal;

namespace {

constexpr std::int64_t k_max_window_ms = 31LL * 86400 * 1000;

ordered_json window_json(const store::Maintenance& m, std::int64_t now) {
  return {{"id", m.id},
          {"starts", store::rfc3339_of_ms(m.starts_ms)},
          {"ends", store::rfc3339_of_ms(m.ends_ms)},
          {"reason", m.reason},
          {"by", m.by},
          {"created", m.created},
          {"active", m.starts_ms <= now && now < m.ends_ms},
          {"party", m.party.empty() ? ordered_json(nullptr) : ordered_json(m.party)}};
}

}  // namespace

std::optional<Reply> Service::may_set_oncall(const Principal& who, const std::string& tenant,
                                             const std::string& contract) {
  if (!m_store.get_contract(who, tenant, contract))
    return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant (or the provider's editors) may set "
                        "maintenance windows");
  return std::nullopt;
}

Reply Service::create_maintenance(const Principal& who, const std::string& tenant,
                                  const std::string& contract, const json& body) {
  if (auto denied = may_set_oncall(who, tenant, contract)) return *denied;
  const char* shape =
      "the body is {\"starts\"?: \"2026-12-06T22:00:00Z\" (default: now), \"ends\": "
      "\"2026-12-07T02:00:00Z\", \"reason\": \"...\"}";
  if (!body.is_object() || !body.contains("ends") || !body["ends"].is_string() ||
      !body.contains("reason") || !body["reason"].is_string())
    return Reply::error(Status::bad_request, "bad_request", shape);
  for (const auto& [key, v] : body.items()) {
    if (key != "starts" && key != "ends" && key != "reason")
      return Reply::error(Status::bad_request, "bad_request",
                          "unknown key '" + key.substr(0, 64) + "': " + shape);
  }
  const std::int64_t now = store::now_ms();
  store::Maintenance m;
  m.tenant = tenant;
  m.contract = contract;
  // A client's window holds the pages of its own party only; the provider's, every party's.
  if (!who.writer()) {
    if (const auto c = m_store.get_contract(who, tenant, contract))
      m.party = text::slugify(c->party);
  }
  m.starts_ms = now;
  if (body.contains("starts")) {
    const auto starts = body["starts"].is_string()
                            ? ms_of_rfc3339(body["starts"].get<std::string>())
                            : std::nullopt;
    if (!starts)
      return Reply::error(Status::bad_request, "bad_time",
                          "starts must be a time (RFC 3339, such as 2026-12-06T22:00:00Z)");
    m.starts_ms = std::max(*starts, now);
  }
  const auto ends = ms_of_rfc3339(body["ends"].get<std::string>());
  if (!ends)
    return Reply::error(Status::bad_request, "bad_time",
                        "ends must be a time (RFC 3339, such as 2026-12-07T02:00:00Z)");
  m.ends_ms = *ends;
  if (m.ends_ms <= m.starts_ms)
    return Reply::error(Status::bad_request, "bad_time",
                        "ends must come after starts (and after now)");
  if (m.ends_ms - m.starts_ms > k_max_window_ms)
    return Reply::error(Status::bad_request, "bad_time",
                        "a maintenance window lasts at most 31 days");
  m.reason = body["reason"].get<std::string>();
  if (m.reason.empty() || m.reason.size() > 300 || text::find_invalid_utf8(m.reason))
    return Reply::error(Status::bad_request, "bad_request",
                        "reason is a text of 1 to 300 bytes (UTF-8)");
  if (m_store.list_maintenance(tenant, contract, now).size() >= 100)
    return Reply::error(Status::too_many, "too_many",
                        "the contract has 100 windows to come: end some first");
  return Reply::json(window_json(m_store.create_maintenance(who, m), now), Status::created);
}

Reply Service::list_maintenance(const Principal& who, const std::string& tenant,
                                const std::string& contract) {
  if (!m_store.get_contract(who, tenant, contract))
    return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  const std::int64_t now = store::now_ms();
  // Those to come, under way, and ended in the last 30 days.
  ordered_json out = ordered_json::array();
  for (const auto& m : m_store.list_maintenance(tenant, contract, now - 30LL * 86400 * 1000))
    out.push_back(window_json(m, now));
  return Reply::json(out);
}

Reply Service::end_maintenance(const Principal& who, const std::string& tenant,
                               const std::string& contract, const std::string& id) {
  if (auto denied = may_set_oncall(who, tenant, contract)) return *denied;
  if (!m_store.end_maintenance(who, tenant, contract, id, store::now_ms()))
    return Reply::error(Status::not_found, "not_found",
                        "no maintenance window '" + id.substr(0, 64) + "' to come or under way");
  if (m_on_recorded) m_on_recorded(0);  // what it held may be due now
  return Reply::json({{"ended", id}});
}

// --- on-call rules of a contract's parties ---

namespace {

ordered_json rules_json(const store::OnCallRules& o, std::int64_t now) {
  ordered_json j{{"party", o.party}};
  const auto rules = json::parse(o.rules, nullptr, false);
  j["rules"] = rules;
  std::string error;
  if (const auto c = route::parse_oncall(rules, now, error)) {
    j["in_hours_now"] = route::in_hours(*c, now);
    j["next_working"] = store::rfc3339_of_ms(route::next_working(*c, now));
  }
  j["updated"] = o.updated;
  j["by"] = o.by;
  return j;
}

}  // namespace

Reply Service::put_oncall(const Principal& who, const std::string& tenant,
                          const std::string& contract, const std::string& party, const json& body) {
  Reply error;
  const auto view = contract_view(who, tenant, contract, error);
  if (!view) return error;
  const auto& parties = view->loaded->matrix.parties;
  if (std::none_of(parties.begin(), parties.end(), [&](const Party& p) { return p.id == party; }))
    return Reply::error(Status::not_found, "not_found",
                        "no party '" + party.substr(0, 64) + "' in the contract's matrix");
  // The client's party is the client's to set (its approvers) and the provider's; every
  // other party (the provider's own) is the provider's.
  if (!who.writer()) {
    if (who.role != store::Role::tenant || who.tenant_role != store::TenantRole::approver)
      return Reply::error(Status::forbidden, "forbidden",
                          "only an approver of the tenant (or the provider's editors) may set "
                          "on-call rules");
    if (text::slugify(view->contract.party) != party)
      return Reply::error(Status::forbidden, "forbidden",
                          "a tenant sets the on-call rules of its own party only ('" +
                              text::slugify(view->contract.party) + "')");
  }
  std::string why;
  const auto rules = route::parse_oncall(body, store::now_ms(), why);
  if (!rules) return Reply::error(Status::bad_request, "bad_rules", why);
  m_store.put_oncall(who, tenant, contract, party, body.dump());
  routing_written();
  for (const auto& o : m_store.list_oncall(tenant, contract))
    if (o.party == party) return Reply::json(rules_json(o, store::now_ms()));
  return Reply::error(Status::not_found, "not_found", "the rules were not kept");
}

Reply Service::list_oncall(const Principal& who, const std::string& tenant,
                           const std::string& contract) {
  if (!m_store.get_contract(who, tenant, contract))
    return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  const std::int64_t now = store::now_ms();
  ordered_json out = ordered_json::array();
  for (const auto& o : m_store.list_oncall(tenant, contract)) out.push_back(rules_json(o, now));
  return Reply::json(out);
}

Reply Service::delete_oncall(const Principal& who, const std::string& tenant,
                             const std::string& contract, const std::string& party) {
  Reply error;
  const auto view = contract_view(who, tenant, contract, error);
  if (!view) return error;
  if (!who.writer() && (who.tenant_role != store::TenantRole::approver ||
                        text::slugify(view->contract.party) != party))
    return Reply::error(Status::forbidden, "forbidden",
                        "only the provider's editors, or an approver of the tenant for its own "
                        "party, may remove on-call rules");
  const bool deleted = m_store.delete_oncall(who, tenant, contract, party);
  routing_written();
  if (!deleted)
    return Reply::error(Status::not_found, "not_found",
                        "no on-call rules for '" + party.substr(0, 64) + "'");
  return Reply::json({{"deleted", party}});
}

std::shared_ptr<const route::OnCall> Service::oncall_rules(const std::string& text,
                                                           std::int64_t now) {
  // Keyed by the text and the year (an iCalendar's recurrences are expanded around it).
  const std::string key = std::to_string(now / (365LL * 86400 * 1000)) + "\n" + text;
  {
    std::lock_guard<std::mutex> lock(m_oncall_mutex);
    if (const auto it = m_oncall_cache.find(key); it != m_oncall_cache.end()) return it->second;
  }
  std::string why;
  auto parsed = route::parse_oncall(json::parse(text, nullptr, false), now, why);
  if (!parsed) return nullptr;
  auto shared = std::make_shared<const route::OnCall>(std::move(*parsed));
  std::lock_guard<std::mutex> lock(m_oncall_mutex);
  if (m_oncall_cache.size() >= 1024) m_oncall_cache.clear();
  m_oncall_cache.emplace(key, shared);
  return shared;
}

// --- acknowledgement links ---

namespace {

std::string b64url(std::string_view s) {
  std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()),
                    s.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> unb64url(std::string_view s) {
  std::string out(s.size(), '\0');
  std::size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.data(),
                        s.size(), nullptr, &n, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(n);
  return out;
}

struct Words {
  const char* title;
  const char* confirm;
  const char* button;
  const char* done;
  const char* already;
  const char* expired;
  const char* invalid;
  const char* gone;
};

const Words& words(const std::string& lang) {
  static const Words en{"Acknowledge an alert",
                        "Acknowledge this alert for {party}? Its escalation stops.",
                        "Acknowledge",
                        "Acknowledged for {party}: its escalation is stopped.",
                        "Already acknowledged, by {by} at {at}.",
                        "This link has expired: acknowledge the alert from racine's events page.",
                        "This link is not valid.",
                        "This alert no longer exists."};
  static const Words fr{"Acquitter une alerte",
                        "Acquitter cette alerte pour {party} ? Son escalade s'arrête.",
                        "Acquitter",
                        "Acquittée pour {party} : son escalade est arrêtée.",
                        "Déjà acquittée, par {by} le {at}.",
                        "Ce lien a expiré : acquittez l'alerte depuis la page des événements de "
                        "racine.",
                        "Ce lien n'est pas valide.",
                        "Cette alerte n'existe plus."};
  return lang == "fr" ? fr : en;
}

std::string put_value(std::string s, const std::string& key, const std::string& value) {
  const std::string k = "{" + key + "}";
  if (const auto at = s.find(k); at != std::string::npos) s.replace(at, k.size(), value);
  return s;
}

}  // namespace

const std::string& Service::ack_key() {
  std::call_once(m_ack_key_once, [&] {
    m_ack_key = m_store.setting("ack_link_key", [] { return identity::random_token(); });
  });
  return m_ack_key;
}

std::string Service::ack_link(const store::Claimed& c, const std::string& base,
                              const std::string& lang) {
  const auto& d = c.delivery;
  if (base.empty() || (d.kind != "firing" && d.kind != "escalation") ||
      (d.role != "R" && d.role != "A"))
    return "";
  const json claim = {{"t", c.event.tenant},
                      {"e", c.event.id},
                      {"d", d.id},
                      {"x", static_cast<std::int64_t>(std::time(nullptr)) + m_ack_ttl_ms / 1000},
                      {"l", lang}};
  const std::string body = "v1." + b64url(claim.dump());
  return base + "/ack/" + body + "." + notify::hmac_sha256_hex(ack_key(), body);
}

std::optional<Service::AckClaim> Service::read_ack_token(std::string_view token, std::string& why) {
  why = "invalid";
  const auto dot = token.rfind('.');
  if (token.size() > 1024 || !token.starts_with("v1.") || dot == std::string_view::npos || dot < 3)
    return std::nullopt;
  const std::string body(token.substr(0, dot));
  const std::string mac = notify::hmac_sha256_hex(ack_key(), body);
  const std::string_view given = token.substr(dot + 1);
  if (given.size() != mac.size() || sodium_memcmp(given.data(), mac.data(), mac.size()) != 0)
    return std::nullopt;
  const auto raw = unb64url(std::string_view(body).substr(3));
  const auto claim = raw ? json::parse(*raw, nullptr, false) : json();
  if (!claim.is_object() || !claim.contains("t") || !claim["t"].is_string() ||
      !claim.contains("e") || !claim["e"].is_string() || !claim.contains("d") ||
      !claim["d"].is_string() || !claim.contains("x") || !claim["x"].is_number_integer())
    return std::nullopt;
  AckClaim out{claim["t"], claim["e"], claim["d"], claim["x"], claim.value("l", std::string("en"))};
  if (out.expires <= static_cast<std::int64_t>(std::time(nullptr))) {
    why = "expired";
    return out;
  }
  why.clear();
  return out;
}

Reply Service::ack_by_link(std::string_view token, bool confirm) {
  std::string why;
  const auto claim = read_ack_token(token, why);
  const Words& w = words(claim ? claim->lang : "en");
  const auto page = [&](Status status, const std::string& text, bool form = false) {
    std::string body =
        "<!doctype html>\n<html lang=\"" + std::string(&w == &words("fr") ? "fr" : "en") +
        "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width\"><title>" +
        reports::html_escape(w.title) +
        " · racine</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>"
        "<body><main class=\"ack\"><h1>" +
        reports::html_escape(w.title) + "</h1><p id=\"ack-message\">" + reports::html_escape(text) +
        "</p>";
    if (form)
      body += "<form method=\"post\"><button type=\"submit\" class=\"primary\" id=\"ack\">" +
              reports::html_escape(w.button) + "</button></form>";
    body += "</main></body></html>\n";
    Reply r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::move(body);
    return r;
  };
  if (!claim) return page(Status::forbidden, w.invalid);
  if (why == "expired") return page(Status::forbidden, w.expired);
  const auto e = m_store.get_event(Principal::system(), claim->tenant, claim->event);
  if (!e) return page(Status::not_found, w.gone);
  // The delivery the link was sent with says the party and its role: only a party
  // Responsible or Accountable for the event may acknowledge it.
  const store::DeliveryInfo* d = nullptr;
  for (const auto& x : e->deliveries)
    if (x.id == claim->delivery) d = &x;
  if (d == nullptr || (d->role != "R" && d->role != "A"))
    return page(Status::forbidden,
                claim->lang == "fr"
                    ? "Seules les parties Responsables ou Approbatrices peuvent acquitter cette "
                      "alerte."
                    : "Only the parties Responsible or Accountable may acknowledge this alert.");
  if (e->acknowledged_at)
    return page(Status::conflict,
                put_value(put_value(w.already, "by", e->acknowledged_by.value_or("?")), "at",
                          *e->acknowledged_at));
  if (!confirm) return page(Status::ok, put_value(w.confirm, "party", d->party_name), true);
  Principal link{
      "link:" + d->id, store::Role::tenant, claim->tenant,
      d->party_name + (claim->lang == "fr" ? " (lien d'acquittement)" : " (acknowledgement link)")};
  const auto acked = m_store.acknowledge(link, claim->tenant, claim->event);
  if (!acked) return page(Status::not_found, w.gone);
  if (acked->acknowledged_by != link.name)
    return page(Status::conflict,
                put_value(put_value(w.already, "by", acked->acknowledged_by.value_or("?")), "at",
                          acked->acknowledged_at.value_or("")));
  return page(Status::ok, put_value(w.done, "party", d->party_name));
}

// --- PagerDuty's acknowledgements ---

Reply Service::pagerduty_webhook(const std::string& tenant, const std::string& party,
                                 const std::string& signatures, const std::string& body) {
  const auto refused = [] {
    return Reply::error(Status::forbidden, "bad_signature",
                        "no receiver takes PagerDuty webhooks here, or the signature does not "
                        "match its webhook_secret");
  };
  std::string secret;
  for (const auto& r : m_store.list_receivers(Principal::system(), tenant)) {
    if (r.party != party || r.type != "pagerduty") continue;
    const auto options = json::parse(r.options, nullptr, false);
    if (options.is_object() && options.contains("webhook_secret") &&
        options["webhook_secret"].is_string())
      secret = options["webhook_secret"].get<std::string>();
  }
  if (secret.empty()) return refused();
  // X-PagerDuty-Signature: "v1=HEX[,v1=HEX]" (two during a rotation of the secret).
  const std::string expected = "v1=" + notify::hmac_sha256_hex(secret, body);
  bool valid = false;
  for (std::size_t at = 0; at <= signatures.size() && signatures.size() < 4096;) {
    const auto comma = signatures.find(',', at);
    std::string one =
        signatures.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    one.erase(0, one.find_first_not_of(' '));
    one.erase(one.find_last_not_of(' ') + 1);
    if (one.size() == expected.size() &&
        sodium_memcmp(one.data(), expected.data(), expected.size()) == 0)
      valid = true;
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  if (!valid) return refused();
  const auto payload = json::parse(body, nullptr, false);
  if (!payload.is_object() || !payload.contains("event") || !payload["event"].is_object())
    return Reply::error(Status::bad_request, "bad_payload", "not a PagerDuty v3 webhook event");
  const auto& event = payload["event"];
  const auto text_of = [](const json& j, const char* k) {
    return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>()
                                                              : std::string();
  };
  const std::string type = text_of(event, "event_type");
  if (type != "incident.acknowledged")
    return Reply::json({{"ignored", text::valid_utf8(type.substr(0, 64))}});
  const json data = event.contains("data") && event["data"].is_object() ? event["data"] : json();
  const std::string key = text_of(data, "incident_key");
  // Our dedup key: "racine/<tenant>/<event>/<party name>"; only this tenant's events.
  const std::string prefix = "racine/" + tenant + "/";
  if (!key.starts_with(prefix)) return Reply::json({{"ignored", "not racine's incident"}});
  const std::string rest = key.substr(prefix.size());
  const std::string id = rest.substr(0, rest.find('/'));
  const auto e = m_store.get_event(Principal::system(), tenant, id);
  if (!e) return Reply::json({{"ignored", "no such event"}});
  // The party whose receiver this is must be Responsible or Accountable for the event.
  const store::DeliveryInfo* paged = nullptr;
  for (const auto& d : e->deliveries)
    if (d.party == party && (d.role == "R" || d.role == "A")) paged = &d;
  if (paged == nullptr)
    return Reply::error(Status::forbidden, "forbidden",
                        "this party is not Responsible or Accountable for the event");
  std::string who = "PagerDuty";
  const std::string agent =
      event.contains("agent") ? text::valid_utf8(text_of(event["agent"], "summary")) : "";
  if (!agent.empty()) {
    std::size_t n = std::min<std::size_t>(agent.size(), 120);
    while (n < agent.size() && (static_cast<unsigned char>(agent[n]) & 0xC0U) == 0x80U) --n;
    who = agent.substr(0, n) + " (PagerDuty)";
  }
  Principal pd{"pagerduty:" + party, store::Role::tenant, tenant, who};
  const auto acked = m_store.acknowledge(pd, tenant, id);
  if (!acked) return Reply::json({{"ignored", "no such event"}});
  return Reply::json({{"acknowledged", id}, {"by", acked->acknowledged_by.value_or("")}});
}

}  // namespace racine::service

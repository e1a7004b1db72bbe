// Requests to the provider (docs/server.md, "Requests"): where a contract's matrix says
// nothing (the gray zone, "billed as a project"), a client asks the provider for it; the
// two sides follow it through its states, each change audited and told to the other
// side's receivers through the outbox.
//
//   requested --quote (provider)--> quoted --accept (client's approver)--> accepted
//   requested --decline (provider)--> declined          quoted --decline (approver)--> declined
//   requested | quoted --withdraw (client)--> withdrawn
//   accepted --done (provider)--> done
//
// The provider's admins and editors quote, decline and mark done; a client's responders
// and approvers (and its tokens) ask and withdraw; only an approver accepts or declines a
// quote (it commits the client); viewers, the provider's too, read.

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "route/route.h"
#include "service/service.h"

namespace racine::service {

using nlohmann::json;
using nlohmann::ordered_json;
using store::Principal;

namespace {

constexpr std::size_t k_text_max = 2000;     // characters: what is needed
constexpr std::size_t k_question_max = 500;  // the lookup that led to it
constexpr std::size_t k_quote_max = 1000;    // the provider's quote

// Characters (UTF-8 code points) of `s`.
std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
  return n;
}

// `s` without leading and trailing white space.
std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A text field: a string of 1 (0 when optional) to `max` characters, no control
// character but line breaks and tabs. nullopt, with `why`, when it is not.
std::optional<std::string> text_field(const json& body, const char* key, std::size_t max,
                                      bool required, std::string& why) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) why = std::string(key) + " is required";
    return required ? std::nullopt : std::optional<std::string>("");
  }
  if (!body[key].is_string()) {
    why = std::string(key) + " must be a string";
    return std::nullopt;
  }
  std::string v = trimmed(body[key].get<std::string>());
  for (const char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) {
      why = std::string(key) + " holds a control character";
      return std::nullopt;
    }
  }
  if (required && v.empty()) {
    why = std::string(key) + " is empty";
    return std::nullopt;
  }
  if (characters(v) > max) {
    why = std::string(key) + " is longer than " + std::to_string(max) + " characters";
    return std::nullopt;
  }
  return v;
}

bool client_actor(const Principal& who) {
  return who.role == store::Role::tenant && who.tenant_role != store::TenantRole::viewer;
}
bool client_approver(const Principal& who) {
  return who.role == store::Role::tenant && who.tenant_role == store::TenantRole::approver;
}

// The states `who` may move a request in `state` to.
std::vector<std::string> moves(const Principal& who, const std::string& state) {
  std::vector<std::string> out;
  if (who.writer()) {
    if (state == "requested") out = {"quoted", "declined"};
    if (state == "accepted") out = {"done"};
  } else if (client_actor(who)) {
    if (state == "quoted" && client_approver(who)) out = {"accepted", "declined"};
    if (state == "requested" || state == "quoted") out.emplace_back("withdrawn");
  }
  return out;
}

bool is_open(const std::string& state) {
  return state == "requested" || state == "quoted" || state == "accepted";
}

ordered_json request_json(const Principal& who, const store::Request& r) {
  ordered_json history = ordered_json::array();
  for (const auto& s : r.history) {
    ordered_json j{{"state", s.state}, {"at", s.at}, {"by", s.by}};
    j["org"] = s.org.empty() ? ordered_json(nullptr) : ordered_json(s.org);
    if (!s.note.empty()) j["note"] = s.note;
    history.push_back(std::move(j));
  }
  return ordered_json{
      {"id", r.id},
      {"tenant", r.tenant},
      {"tenant_name", r.tenant_name},
      {"contract", r.contract},
      {"text", r.text},
      {"question", r.question.empty() ? ordered_json(nullptr) : ordered_json(r.question)},
      {"state", r.state},
      {"open", is_open(r.state)},
      {"quote", r.quote.empty() ? ordered_json(nullptr) : ordered_json(r.quote)},
      {"created", r.created},
      {"by", r.by},
      {"updated", r.updated},
      {"history", std::move(history)},
      {"actions", moves(who, r.state)}};
}

// A request's state as the French portal says it.
std::string state_fr(const std::string& state) {
  if (state == "requested") return "demandée";
  if (state == "quoted") return "chiffrée";
  if (state == "accepted") return "acceptée";
  if (state == "declined") return "refusée";
  if (state == "done") return "réalisée";
  if (state == "withdrawn") return "retirée";
  return state;
}

// The first `n` characters of `s`, "…" after a cut.
std::string cut(const std::string& s, std::size_t n) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U && count++ == n)
      return s.substr(0, i) + "…";
  }
  return s;
}

}  // namespace

// Who hears of a request's move to `state`: the provider's party when the client acted
// (requested, accepted, withdrawn, a quote declined), the client's party when the provider
// did (quoted, done, a request declined); an informed delivery of a "request" event whose
// alert name is "racine-request" (docs/routing.md, "Requests").
static store::RequestNotice notice_of(const Matrix& m, const store::Contract& k,
                                      const store::Request& r, const std::string& state,
                                      bool to_provider, const std::string& by) {
  store::RequestNotice n;
  std::optional<std::size_t> party;
  if (to_provider) {
    party = route::provider_party(m, k.party);
  } else {
    for (std::size_t i = 0; i < m.parties.size(); ++i)
      if (m.parties[i].id == k.party) party = i;
  }
  if (!party) return n;
  n.labels = json{
      {"alertname", "racine-request"},
      {"request", r.id},
      {"state", state},
      {"severity",
       "info"}}.dump(-1, ' ', false, json::error_handler_t::replace);
  // In both languages: each receiver speaks its own (docs/routing.md, "Languages").
  const std::string client = r.tenant_name.empty() ? r.tenant : r.tenant_name;
  const std::string summary = client + ", contract " + r.contract + ": request " + state + " by " +
                              by + ": " + cut(r.text, 200);
  const std::string summary_fr = client + ", contrat " + r.contract + "\u202f: demande " +
                                 state_fr(state) + " par " + by + "\u202f: " + cut(r.text, 200);
  std::string description = "What is needed: " + r.text;
  std::string description_fr = "Besoin\u202f: " + r.text;
  if (!r.quote.empty()) {
    description += "\nQuote: " + r.quote;
    description_fr += "\nDevis\u202f: " + r.quote;
  }
  n.annotations = json{{"summary", summary},
                       {"description", description},
                       {"summary_fr", summary_fr},
                       {"description_fr", description_fr}}
                      .dump(-1, ' ', false, json::error_handler_t::replace);
  n.to.push_back(
      store::NewDelivery{m.parties[*party].id, m.parties[*party].name, "I", "informed", 0});
  return n;
}

Reply Service::create_request(const Principal& who, const std::string& tenant,
                              const std::string& contract, const json& body) {
  if (!who.provider() && who.tenant != tenant)
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  if (!client_actor(who))
    return Reply::error(Status::forbidden, "forbidden",
                        who.provider()
                            ? "a request is asked by the client's people, not by the provider"
                            : "only a responder or an approver of the client may ask the provider");
  Reply error;
  const auto view = contract_view(who, tenant, contract, error);
  if (!view) return error;
  if (!body.is_object())
    return Reply::error(Status::bad_request, "bad_request",
                        "the body is {\"text\", \"question\"?}");
  std::string why;
  const auto text = text_field(body, "text", k_text_max, true, why);
  if (!text) return Reply::error(Status::unprocessable, "bad_request_text", why);
  const auto question = text_field(body, "question", k_question_max, false, why);
  if (!question) return Reply::error(Status::unprocessable, "bad_request_text", why);
  store::Request r;
  r.tenant = tenant;
  r.contract = contract;
  r.text = *text;
  r.question = *question;
  const auto t = m_store.get_tenant(Principal::system(), tenant);
  r.tenant_name = t ? t->name : tenant;
  unsigned char bits[8];
  randombytes_buf(bits, sizeof bits);
  r.id = "req-" + hex(bits, sizeof bits);
  const std::string by = who.name.empty() ? who.token : who.name;
  store::RequestNotice notice =
      notice_of(view->loaded->matrix, view->contract, r, "requested", true, by);
  store::RequestRefusal refused = store::RequestRefusal::none;
  auto made = m_store.create_request(who, r, m_limits.requests_open, notice, refused);
  if (refused == store::RequestRefusal::too_many)
    return Reply::error(Status::unprocessable, "too_many_open_requests",
                        "the client has " + std::to_string(m_limits.requests_open) +
                            " open requests: wait until one is done, declined or withdrawn");
  if (!made) return Reply::error(Status::not_found, "not_found", "no contract '" + contract + "'");
  if (m_on_recorded && !notice.to.empty()) m_on_recorded(0);
  return Reply::json(request_json(who, *made), Status::created);
}

Reply Service::list_requests(const Principal& who, const std::string& tenant,
                             const std::string& state) {
  if (state != "" && state != "open")
    return Reply::error(Status::bad_request, "bad_query", "state is \"open\" or absent");
  if (!tenant.empty() && !m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  ordered_json out = ordered_json::array();
  for (const auto& r : m_store.list_requests(who, tenant, state == "open"))
    out.push_back(request_json(who, r));
  return Reply::json(out);
}

Reply Service::get_request(const Principal& who, const std::string& tenant, const std::string& id) {
  const auto r = m_store.get_request(who, tenant, id);
  if (!r) return Reply::error(Status::not_found, "not_found", "no request '" + id + "'");
  return Reply::json(request_json(who, *r));
}

Reply Service::move_request(const Principal& who, const std::string& tenant, const std::string& id,
                            const json& body) {
  const auto r = m_store.get_request(who, tenant, id);
  if (!r) return Reply::error(Status::not_found, "not_found", "no request '" + id + "'");
  if (!body.is_object() || !body.contains("state") || !body["state"].is_string())
    return Reply::error(Status::bad_request, "bad_request",
                        "the body is {\"state\", \"quote\"?, \"from\"?}");
  const std::string to = body["state"].get<std::string>();
  static const std::vector<std::string> known = {"quoted", "accepted", "declined", "withdrawn",
                                                 "done"};
  if (std::find(known.begin(), known.end(), to) == known.end())
    return Reply::error(Status::bad_request, "bad_state",
                        "state is quoted, accepted, declined, withdrawn or done");
  // What the caller saw: a move decided on an older page is refused, not applied.
  const std::string from = body.contains("from") && body["from"].is_string()
                               ? body["from"].get<std::string>()
                               : r->state;
  if (from != r->state)
    return Reply::error(Status::conflict, "conflict",
                        "the request is " + r->state + " now, no longer " + from);
  const auto allowed = moves(who, r->state);
  if (std::find(allowed.begin(), allowed.end(), to) == allowed.end()) {
    // A move the role can never make is forbidden; one its state does not allow, a conflict.
    bool ever = false;
    for (const char* s : {"requested", "quoted", "accepted"})
      for (const auto& m : moves(who, s)) ever = ever || m == to;
    if (!ever)
      return Reply::error(Status::forbidden, "forbidden",
                          who.writer() || who.provider()
                              ? "the provider's admins and editors quote, decline and mark done"
                          : to == "accepted" || to == "declined"
                              ? "only an approver of the client may accept or decline a quote"
                              : "the client's viewers read requests only");
    return Reply::error(Status::conflict, "bad_transition",
                        "a request " + r->state + " cannot become " + to);
  }
  std::string quote;
  if (to == "quoted") {
    std::string why;
    const auto q = text_field(body, "quote", k_quote_max, true, why);
    if (!q) return Reply::error(Status::unprocessable, "bad_quote", why);
    quote = *q;
  }
  Reply error;
  const auto view = contract_view(Principal::system(), tenant, r->contract, error);
  store::RequestNotice notice;
  const std::string by = who.name.empty() ? who.token : who.name;
  if (view) {
    store::Request next = *r;
    if (to == "quoted") next.quote = quote;
    notice = notice_of(view->loaded->matrix, view->contract, next, to, !who.provider(), by);
  }
  std::optional<store::Request> moved;
  try {
    moved = m_store.move_request(who, tenant, id, r->state, to, quote, notice);
  } catch (const store::Conflict& e) {
    return Reply::error(Status::conflict, "conflict", e.what());
  }
  if (!moved) return Reply::error(Status::not_found, "not_found", "no request '" + id + "'");
  if (m_on_recorded && !notice.to.empty()) m_on_recorded(0);
  return Reply::json(request_json(who, *moved));
}

}  // namespace racine::service

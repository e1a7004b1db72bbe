// People signing in (docs/identity.md): the OpenID Connect code flow through
// identity/oidc.h, the role mapping of the configuration, server-side sessions in the
// store. The HTTP routes (/auth/...) are server/api.cpp's; this decides everything.

#include "service/people.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "service/service.h"

namespace racine::service {

using nlohmann::json;
using store::Principal;

namespace {

std::vector<std::string> groups_of(const json& claims, const std::string& claim) {
  std::vector<std::string> out;
  if (!claims.contains(claim)) return out;
  const auto& g = claims[claim];
  if (g.is_string()) out.push_back(g.get<std::string>());
  if (g.is_array()) {
    for (const auto& x : g) {
      if (x.is_string()) out.push_back(x.get<std::string>());
    }
  }
  return out;
}

bool any_of(const std::vector<std::string>& have, const std::vector<std::string>& wanted) {
  return std::any_of(have.begin(), have.end(), [&](const std::string& g) {
    return std::find(wanted.begin(), wanted.end(), g) != wanted.end();
  });
}

// A return path inside the portal only ("/#/contracts"), never another site.
std::string safe_return(const std::string& r) {
  if (r.empty() || r.front() != '/' || r.starts_with("//") || r.starts_with("/\\") ||
      r.find_first_of("\r\n") != std::string::npos || r.size() > 512)
    return "/";
  return r;
}

std::string url_escape(std::string_view s) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4U];
      out += k_hex[c & 15U];
    }
  }
  return out;
}

}  // namespace

Mapping map_person(const IssuerConfig& issuer, const std::string& claims_json) {
  Mapping m;
  const auto claims = json::parse(claims_json, nullptr, false);
  if (!claims.is_object()) return m;
  const auto groups = groups_of(claims, issuer.groups_claim);
  if (issuer.provider) {
    if (any_of(groups, issuer.admin_groups)) {
      m.role = store::Role::admin;
    } else if (any_of(groups, issuer.editor_groups)) {
      m.role = store::Role::editor;
    } else if (any_of(groups, issuer.viewer_groups)) {
      m.role = store::Role::viewer;
    }
    return m;
  }
  std::optional<std::string> tenant = issuer.tenant;
  if (!tenant && !issuer.tenant_claim.empty() && claims.contains(issuer.tenant_claim) &&
      claims[issuer.tenant_claim].is_string() &&
      valid_id(claims[issuer.tenant_claim].get<std::string>()))
    tenant = claims[issuer.tenant_claim].get<std::string>();
  if (!tenant) return m;
  if (any_of(groups, issuer.approver_groups)) {
    m.tenant_role = store::TenantRole::approver;
  } else if (any_of(groups, issuer.responder_groups)) {
    m.tenant_role = store::TenantRole::responder;
  } else if (any_of(groups, issuer.tenant_viewer_groups)) {
    m.tenant_role = store::TenantRole::viewer;
  } else {
    return m;
  }
  m.role = store::Role::tenant;
  m.tenant = tenant;
  return m;
}

bool email_verified(const std::string& claims_json) {
  const auto claims = json::parse(claims_json, nullptr, false);
  if (!claims.is_object() || !claims.contains("email_verified")) return false;
  const auto& v = claims["email_verified"];
  return (v.is_boolean() && v.get<bool>()) || (v.is_string() && v.get<std::string>() == "true");
}

std::optional<std::string> normal_email(std::string_view email) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos)
    return std::nullopt;
  std::string out;
  for (const char ch : email) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= ' ' || c >= 0x7f ||
        std::string_view("\"(),:;<>[]\\").find(ch) != std::string_view::npos)
      return std::nullopt;
    out += static_cast<char>(std::tolower(c));
  }
  const std::string_view domain = std::string_view(out).substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos || domain.find('.') == std::string_view::npos)
    return std::nullopt;
  return out;
}

bool public_mail_domain(std::string_view domain) {
  static const std::vector<std::string_view> k_public = {
      "gmail.com", "googlemail.com", "outlook.com",    "hotmail.com",  "hotmail.fr",
      "live.com",  "live.fr",        "msn.com",        "yahoo.com",    "yahoo.fr",
      "ymail.com", "icloud.com",     "me.com",         "mac.com",      "aol.com",
      "proton.me", "protonmail.com", "pm.me",          "gmx.com",      "gmx.fr",
      "gmx.de",    "web.de",         "mail.com",       "zoho.com",     "yandex.com",
      "free.fr",   "orange.fr",      "wanadoo.fr",     "laposte.net",  "sfr.fr",
      "neuf.fr",   "bbox.fr",        "numericable.fr", "tutanota.com", "fastmail.com"};
  return std::find(k_public.begin(), k_public.end(), domain) != k_public.end();
}

namespace {

nlohmann::ordered_json user_json(const store::User& u) {
  nlohmann::ordered_json j = {{"id", u.id},
                              {"name", u.name},
                              {"email", u.email},
                              {"issuer", u.issuer},
                              {"subject", u.subject},
                              {"role", u.role ? nlohmann::ordered_json(store::role_name(*u.role))
                                              : nlohmann::ordered_json(nullptr)}};
  if (u.role == store::Role::tenant) {
    j["tenant"] = u.tenant.value_or("");
    j["tenant_role"] = store::tenant_role_name(u.tenant_role);
  }
  j["assigned_by"] = u.assigned_by;
  j["disabled"] = u.disabled;
  j["created"] = u.created;
  j["last_seen"] = u.last_seen;
  return j;
}

nlohmann::ordered_json invitation_json(const store::Invitation& i, std::int64_t now) {
  nlohmann::ordered_json j = {{"id", i.id},
                              {"tenant", i.tenant},
                              {"email", i.email},
                              {"tenant_role", store::tenant_role_name(i.tenant_role)},
                              {"by", i.by},
                              {"created", i.created},
                              {"expires", store::rfc3339_of_ms(i.expires_ms)}};
  j["state"] = i.used_at ? "used" : (i.expires_ms <= now ? "expired" : "open");
  if (i.used_at) {
    j["used_by"] = i.used_by.value_or("");
    j["used"] = *i.used_at;
  }
  return j;
}

constexpr std::int64_t k_invitation_ms = 14LL * 86400 * 1000;

}  // namespace

Reply Service::list_users(const Principal&) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& u : m_store.list_users()) out.push_back(user_json(u));
  return Reply::json(out);
}

Reply Service::update_user(const Principal& who, const std::string& id, const json& body) {
  const char* shape =
      "the body is {\"role\"?: \"admin\"|\"editor\"|\"viewer\"|\"tenant\"|null, \"tenant\"?, "
      "\"tenant_role\"?: \"viewer\"|\"responder\"|\"approver\", \"disabled\"?: true|false, "
      "\"assigned_by\"?: \"sign-in\"}";
  if (!body.is_object() || body.empty())
    return Reply::error(Status::bad_request, "bad_request", shape);
  const auto current = m_store.get_user(id);
  if (!current) return Reply::error(Status::not_found, "not_found", "no person '" + id + "'");
  store::UserChange change;
  for (const auto& [key, v] : body.items()) {
    if (key == "role") {
      if (v.is_null()) {
        change.role = std::optional<store::Role>();
        continue;
      }
      const auto r = v.is_string() ? store::parse_role(v.get<std::string>()) : std::nullopt;
      if (!r || *r == store::Role::ingest)
        return Reply::error(Status::bad_request, "bad_role",
                            "role is \"admin\", \"editor\", \"viewer\", \"tenant\" or null (no "
                            "access); \"ingest\" is for tokens");
      change.role = r;
    } else if (key == "tenant") {
      if (!v.is_string() || !valid_id(v.get<std::string>()))
        return Reply::error(Status::bad_request, "bad_id", "tenant is a tenant's id");
      if (!m_store.get_tenant(Principal::system(), v.get<std::string>()))
        return Reply::error(Status::not_found, "not_found",
                            "no tenant '" + v.get<std::string>() + "'");
      change.tenant = v.get<std::string>();
    } else if (key == "tenant_role") {
      const auto r = v.is_string() ? store::parse_tenant_role(v.get<std::string>()) : std::nullopt;
      if (!r)
        return Reply::error(Status::bad_request, "bad_role",
                            "tenant_role is \"viewer\", \"responder\" or \"approver\"");
      change.tenant_role = r;
    } else if (key == "disabled") {
      if (!v.is_boolean()) return Reply::error(Status::bad_request, "bad_request", shape);
      change.disabled = v.get<bool>();
    } else if (key == "assigned_by") {
      if (v != "sign-in")
        return Reply::error(Status::bad_request, "bad_request",
                            "assigned_by can only be set back to \"sign-in\" (the role then comes "
                            "from the person's next sign-in)");
      change.release = true;
    } else {
      return Reply::error(Status::bad_request, "bad_request",
                          "unknown key '" + key.substr(0, 64) + "': " + shape);
    }
  }
  if (change.release && (change.role || change.tenant || change.tenant_role))
    return Reply::error(Status::bad_request, "bad_request",
                        "assigned_by \"sign-in\" hands the role back to the sign-in: set no role "
                        "with it");
  const auto role = change.role ? *change.role : current->role;
  const auto tenant = change.tenant ? *change.tenant : current->tenant;
  if (role == store::Role::tenant && !tenant)
    return Reply::error(Status::bad_request, "bad_request",
                        "a person with the role \"tenant\" needs a tenant");
  if (role != store::Role::tenant && (change.tenant || change.tenant_role))
    return Reply::error(Status::bad_request, "bad_request",
                        "tenant and tenant_role go with the role \"tenant\"");
  // An admin never locks themselves out (another admin may).
  if (who.user == id && ((change.disabled && *change.disabled) || change.release ||
                         (change.role && *change.role != store::Role::admin)))
    return Reply::error(Status::conflict, "self",
                        "you cannot disable yourself or take away your own admin role: ask "
                        "another admin");
  ++m_revocations;
  const auto changed = m_store.update_user(who, id, change);
  ++m_revocations;
  m_sessions.clear();
  if (!changed) return Reply::error(Status::not_found, "not_found", "no person '" + id + "'");
  return Reply::json(user_json(*changed));
}

Reply Service::create_invitation(const Principal& who, const std::string& tenant,
                                 const json& body) {
  const char* shape =
      "the body is {\"email\": \"someone@example.com\", \"tenant_role\": "
      "\"viewer\"|\"responder\"|\"approver\"}";
  if (!m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant may invite people");
  // A person invites (the audit names who); a client's token does not.
  if (!who.writer() && !who.user)
    return Reply::error(Status::forbidden, "forbidden",
                        "invitations are made by people (an approver signed in), not tokens");
  if (!body.is_object() || !body.contains("email") || !body["email"].is_string())
    return Reply::error(Status::bad_request, "bad_request", shape);
  for (const auto& [key, v] : body.items()) {
    if (key != "email" && key != "tenant_role")
      return Reply::error(Status::bad_request, "bad_request",
                          "unknown key '" + key.substr(0, 64) + "': " + shape);
  }
  const auto email = normal_email(body["email"].get<std::string>());
  if (!email)
    return Reply::error(Status::bad_request, "bad_address", "email must be one email address");
  // A client's approver invites addresses at the client's own domains; anyone else is
  // invited by the provider.
  if (!who.writer()) {
    const auto t = m_store.get_tenant(Principal::system(), tenant);
    const std::string domain = email->substr(email->find('@') + 1);
    if (!t || std::find(t->email_domains.begin(), t->email_domains.end(), domain) ==
                  t->email_domains.end())
      return Reply::error(
          Status::forbidden, "forbidden",
          "a client invites addresses at its own email domains only (" +
              std::string(t && !t->email_domains.empty() ? "ask the provider to invite " + *email
                                                         : "none set: ask the provider") +
              ")");
  }
  store::Invitation i;
  i.tenant = tenant;
  i.email = *email;
  if (body.contains("tenant_role")) {
    const auto r = body["tenant_role"].is_string()
                       ? store::parse_tenant_role(body["tenant_role"].get<std::string>())
                       : std::nullopt;
    if (!r)
      return Reply::error(Status::bad_request, "bad_role",
                          "tenant_role is \"viewer\", \"responder\" or \"approver\"");
    i.tenant_role = *r;
  }
  const std::int64_t now = store::now_ms();
  std::size_t open = 0;
  for (const auto& x : m_store.list_invitations(tenant))
    open += (x.used_at || x.expires_ms <= now) ? 0U : 1U;
  if (open >= 200)
    return Reply::error(Status::too_many, "too_many",
                        "the tenant has 200 open invitations: delete some first");
  i.created = store::rfc3339_of_ms(now);
  i.expires_ms = now + k_invitation_ms;
  return Reply::json(invitation_json(m_store.create_invitation(who, i), now), Status::created);
}

Reply Service::list_invitations(const Principal& who, const std::string& tenant) {
  if (!m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant sees its invitations");
  const std::int64_t now = store::now_ms();
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& i : m_store.list_invitations(tenant)) out.push_back(invitation_json(i, now));
  return Reply::json(out);
}

Reply Service::delete_invitation(const Principal& who, const std::string& tenant,
                                 const std::string& id) {
  if (!m_store.get_tenant(who, tenant))
    return Reply::error(Status::not_found, "not_found", "no tenant '" + tenant + "'");
  if (who.role == store::Role::tenant && who.tenant_role != store::TenantRole::approver)
    return Reply::error(Status::forbidden, "forbidden",
                        "only an approver of the tenant may withdraw its invitations");
  if (!m_store.delete_invitation(who, tenant, id))
    return Reply::error(Status::not_found, "not_found",
                        "no open invitation '" + id.substr(0, 64) + "' in '" + tenant + "'");
  return Reply::json({{"deleted", id}});
}

void Service::set_identity(IdentityConfig config) {
  m_identity = std::move(config);
  while (m_identity.public_url.ends_with('/')) m_identity.public_url.pop_back();
  m_clients.clear();
  for (const auto& i : m_identity.issuers)
    m_clients.push_back(
        std::make_unique<identity::Client>(i.oidc, m_identity.public_url + "/auth/callback"));
}

std::string Service::session_cookie_name() const {
  return m_identity.public_url.starts_with("https://") ? "__Host-racine" : "racine_session";
}

std::string Service::public_origin() const {
  const auto scheme = m_identity.public_url.find("://");
  if (scheme == std::string::npos) return m_identity.public_url;
  const auto path = m_identity.public_url.find('/', scheme + 3);
  return m_identity.public_url.substr(0, path);
}

Reply Service::issuers() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& i : m_identity.issuers)
    out.push_back({{"id", i.oidc.id}, {"name", i.oidc.name}});
  return Reply::json(out);
}

Service::Redirect Service::begin_login(const std::string& issuer, const std::string& return_to) {
  for (std::size_t i = 0; i < m_clients.size(); ++i) {
    if (m_identity.issuers[i].oidc.id != issuer) continue;
    store::LoginAttempt a;
    a.state = identity::random_token();
    a.issuer = issuer;
    a.nonce = identity::random_token();
    a.verifier = identity::random_token();
    a.return_to = safe_return(return_to);
    a.created_ms = store::now_ms();
    auto url =
        m_clients[i]->authorization_url(a.state, a.nonce, identity::pkce_challenge(a.verifier));
    if (!url.ok())
      return {"/#/signin?reason=provider_unreachable&error=" + url_escape(url.error()), {}};
    m_store.put_login_attempt(a);
    return {url.value(), {}};
  }
  return {"/#/signin?reason=unknown_provider&error=" +
              url_escape("no such sign-in: '" + issuer.substr(0, 64) + "'"),
          {}};
}

Service::Redirect Service::finish_login(const std::string& code, const std::string& state,
                                        const std::string& error) {
  // `reason` is what the portal says in its language (signin.reason.*); `error`, the
  // server's English words, is shown beside it as a detail for whoever debugs it.
  auto failed = [](const std::string& reason, const std::string& why) {
    return Redirect{"/#/signin?reason=" + reason + "&error=" + url_escape(why), {}};
  };
  // The attempt is taken once: a replayed callback (its state used) is refused.
  const auto attempt =
      state.empty() ? std::nullopt
                    : m_store.take_login_attempt(state, store::now_ms(), m_identity.login_max_ms);
  if (!attempt) return failed("stale", "this sign-in is unknown, used or too old: sign in again");
  if (!error.empty())
    return failed("refused", "the provider refused the sign-in (" + error.substr(0, 80) + ")");
  if (code.empty()) return failed("no_code", "the provider sent no code");
  std::size_t i = 0;
  while (i < m_clients.size() && m_identity.issuers[i].oidc.id != attempt->issuer) ++i;
  if (i == m_clients.size())
    return failed("provider_gone", "this sign-in's provider is no longer configured");
  auto redeemed = m_clients[i]->redeem(code, attempt->verifier, attempt->nonce);
  if (!redeemed.ok()) return failed("not_verified", redeemed.error());
  const auto& [claims, id_token] = redeemed.value();
  const Mapping m = map_person(m_identity.issuers[i], claims.json);
  store::User seen;
  seen.issuer = claims.issuer;
  seen.subject = claims.subject;
  seen.name = claims.name.empty() ? claims.email : claims.name;
  seen.email = claims.email;
  seen.role = m.role;
  // A tenant named by a claim must exist: nobody is attached to a tenant by typing its id.
  if (m.tenant && !m_store.get_tenant(Principal::system(), *m.tenant)) seen.role.reset();
  seen.tenant = seen.role ? m.tenant : std::nullopt;
  seen.tenant_role = m.tenant_role;
  // Nobody by the mapping: an invitation to their verified address, or its domain.
  std::optional<std::string> invitation;
  const IssuerConfig& from = m_identity.issuers[i];
  const auto email = normal_email(claims.email);
  const auto known = m_store.find_user(seen.issuer, seen.subject);
  // Someone already at a client stays there: another client's invitation does not move
  // them (an admin does).
  const bool elsewhere = known && known->role == store::Role::tenant && known->tenant;
  if (!seen.role && from.attach_by_email && email && email_verified(claims.json)) {
    const auto open = m_store.open_invitation(*email, store::now_ms());
    // Invited by two clients at once: nobody guesses which (an admin decides).
    const bool clear = open && m_store.inviting_tenants(*email, store::now_ms()) == 1 &&
                       (!elsewhere || *known->tenant == open->tenant);
    if (clear && (!from.tenant || *from.tenant == open->tenant)) {
      seen.role = store::Role::tenant;
      seen.tenant = open->tenant;
      seen.tenant_role = open->tenant_role;
      seen.assigned_by = "invitation";
      invitation = open->id;
    } else {
      // The one tenant listing the domain (two: nobody guesses which).
      const std::string domain = email->substr(email->find('@') + 1);
      std::vector<std::string> owners;
      for (const auto& t : m_store.list_tenants(Principal::system())) {
        if (public_mail_domain(domain)) break;  // anyone has an address there
        if ((!from.tenant || *from.tenant == t.id) &&
            std::find(t.email_domains.begin(), t.email_domains.end(), domain) !=
                t.email_domains.end())
          owners.push_back(t.id);
      }
      if (owners.size() == 1) {
        seen.role = store::Role::tenant;
        seen.tenant = owners.front();
        seen.tenant_role = store::TenantRole::viewer;
        seen.assigned_by = "email-domain";
      }
    }
  }
  const auto& before = known;
  const store::User user = m_store.sign_in_user(seen, invitation);
  // A role changed by this sign-in holds at once in this instance's other sessions of the
  // person (the others read it from the store when their cache's entry ends).
  if (before && (before->role != user.role || before->tenant != user.tenant ||
                 before->tenant_role != user.tenant_role)) {
    ++m_revocations;
    m_sessions.clear();
  }
  if (user.disabled || !user.role) return {"/#/no-access", {}};
  const std::string value = identity::random_token();
  const std::int64_t now = store::now_ms();
  m_store.create_session(token_hash(value), user.id, now, now + m_identity.session_max_ms,
                         id_token);
  std::string cookie = session_cookie_name() + "=" + value +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(m_identity.session_max_ms / 1000);
  if (m_identity.public_url.starts_with("https://")) cookie += "; Secure";
  return {attempt->return_to == "/" ? "/#/" : attempt->return_to, {cookie}};
}

std::optional<Principal> Service::session(std::string_view value) {
  if (value.size() != 43) return std::nullopt;  // 32 bytes, base64url
  const std::string hash = token_hash(value);
  if (auto cached = m_sessions.get(hash)) return cached;
  const std::uint64_t generation = m_revocations.load();
  auto p = m_store.session_principal(hash, store::now_ms(), m_identity.session_idle_ms);
  if (p) m_sessions.put_if(hash, *p, [&] { return m_revocations.load() == generation; });
  return p;
}

Reply Service::logout(std::string_view value, Redirect& out) {
  out = Redirect{"/#/signin",
                 {session_cookie_name() + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" +
                  (m_identity.public_url.starts_with("https://") ? "; Secure" : "")}};
  ++m_revocations;
  const auto ended = value.empty() ? std::nullopt : m_store.end_session(token_hash(value));
  ++m_revocations;
  m_sessions.clear();
  if (ended) {
    for (const auto& c : m_clients) {
      if (c->issuer().issuer != ended->second) continue;
      if (auto url = c->end_session_url(ended->first, m_identity.public_url + "/"))
        out.location = *url;
      break;
    }
  }
  return Reply::json({{"redirect", out.location}});
}

}  // namespace racine::service

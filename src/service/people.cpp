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
    if (!url.ok()) return {"/#/signin?error=" + url_escape(url.error()), {}};
    m_store.put_login_attempt(a);
    return {url.value(), {}};
  }
  return {"/#/signin?error=" + url_escape("no such sign-in: '" + issuer.substr(0, 64) + "'"), {}};
}

Service::Redirect Service::finish_login(const std::string& code, const std::string& state,
                                        const std::string& error) {
  auto failed = [](const std::string& why) {
    return Redirect{"/#/signin?error=" + url_escape(why), {}};
  };
  // The attempt is taken once: a replayed callback (its state used) is refused.
  const auto attempt =
      state.empty() ? std::nullopt
                    : m_store.take_login_attempt(state, store::now_ms(), m_identity.login_max_ms);
  if (!attempt) return failed("this sign-in is unknown, used or too old: sign in again");
  if (!error.empty())
    return failed("the provider refused the sign-in (" + error.substr(0, 80) + ")");
  if (code.empty()) return failed("the provider sent no code");
  std::size_t i = 0;
  while (i < m_clients.size() && m_identity.issuers[i].oidc.id != attempt->issuer) ++i;
  if (i == m_clients.size()) return failed("this sign-in's provider is no longer configured");
  auto redeemed = m_clients[i]->redeem(code, attempt->verifier, attempt->nonce);
  if (!redeemed.ok()) return failed(redeemed.error());
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
  const store::User user = m_store.sign_in_user(seen);
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

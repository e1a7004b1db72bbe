// The store's people (docs/identity.md): sign-ins under way, the people seen signing in,
// their sessions, and the invitations that attach a person to a client.

#include <nlohmann/json.hpp>

#include "store/internal.h"
#include "store/store.h"

namespace racine::store {

using namespace detail;

// --- people and sessions ---

void Store::put_login_attempt(const LoginAttempt& a) {
  m_pool->run(true, [&](Connection& c) {
    // Attempts never finished are forgotten once they could no longer be taken (the
    // callback's window is at most an hour).
    c.query("DELETE FROM login_attempts WHERE created_ms < ?", {a.created_ms - 3600000});
    c.query(
        "INSERT INTO login_attempts (state, issuer, nonce, verifier, return_to, created_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {a.state, a.issuer, a.nonce, a.verifier, a.return_to, a.created_ms});
  });
}

std::optional<LoginAttempt> Store::take_login_attempt(const std::string& state, std::int64_t now,
                                                      std::int64_t max_age_ms) {
  return m_pool->run(true, [&](Connection& c) -> std::optional<LoginAttempt> {
    const Rows rows = c.query(
        "DELETE FROM login_attempts WHERE state = ? RETURNING state, issuer, nonce, verifier, "
        "return_to, created_ms",
        {state});
    if (rows.empty()) return std::nullopt;
    LoginAttempt a{rows[0].text(0), rows[0].text(1), rows[0].text(2),
                   rows[0].text(3), rows[0].text(4), rows[0].integer(5)};
    if (now - a.created_ms > max_age_ms) return std::nullopt;
    return a;
  });
}

namespace {

constexpr const char* k_user_columns =
    "id, issuer, subject, name, email, role, tenant, tenant_role, disabled, created_at, "
    "last_seen_at, assigned_by";

User user_of(const Row& r) {
  User u;
  u.id = r.text(0);
  u.issuer = r.text(1);
  u.subject = r.text(2);
  u.name = r.text(3);
  u.email = r.text(4);
  if (const auto role = r.opt(5)) u.role = parse_role(*role);
  u.tenant = r.opt(6);
  u.tenant_role = parse_tenant_role(r.text(7)).value_or(TenantRole::viewer);
  u.disabled = r.integer(8) != 0;
  u.created = r.text(9);
  u.last_seen = r.text(10);
  u.assigned_by = r.text(11);
  return u;
}

// An assignment the next sign-in keeps.
bool kept(const std::string& assigned_by) {
  return assigned_by == "admin" || assigned_by == "invitation";
}

std::string role_text(const std::optional<Role>& role, const std::optional<std::string>& tenant,
                      TenantRole tenant_role) {
  if (!role) return "no access";
  if (*role == Role::tenant)
    return std::string(tenant_role_name(tenant_role)) + " of " + tenant.value_or("?");
  return std::string(role_name(*role));
}

constexpr const char* k_invitation_columns =
    "i.id, i.tenant, i.email, i.tenant_role, COALESCE(NULLIF(t.name, ''), u.name, i.created_by), "
    "i.created_at, i.expires_ms, w.name, i.used_at";

constexpr const char* k_invitation_from =
    " FROM invitations i LEFT JOIN tokens t ON t.id = i.created_by LEFT JOIN users u ON 'user:' "
    "|| u.id = i.created_by LEFT JOIN users w ON w.id = i.used_by ";

Invitation invitation_of(const Row& r) {
  Invitation i;
  i.id = r.text(0);
  i.tenant = r.text(1);
  i.email = r.text(2);
  i.tenant_role = parse_tenant_role(r.text(3)).value_or(TenantRole::viewer);
  i.by = r.text(4);
  i.created = r.text(5);
  i.expires_ms = r.integer(6);
  i.used_by = r.opt(7);
  i.used_at = r.opt(8);
  return i;
}

}  // namespace

std::optional<User> Store::find_user(const std::string& issuer, const std::string& subject) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<User> {
    const Rows rows = c.query(
        std::string("SELECT ") + k_user_columns + " FROM users WHERE issuer = ? AND subject = ?",
        {issuer, subject});
    if (rows.empty()) return std::nullopt;
    return user_of(rows[0]);
  });
}

User Store::sign_in_user(const User& seen, const std::optional<std::string>& invitation) {
  return m_pool->run(true, [&](Connection& c) {
    const std::string now = now_rfc3339();
    const Rows before = c.query(
        std::string("SELECT ") + k_user_columns + " FROM users WHERE issuer = ? AND subject = ?",
        {seen.issuer, seen.subject});
    std::string id = before.empty() ? long_random_id("usr-") : before[0].text(0);
    User given = seen;
    if (!before.empty() && kept(before[0].text(11))) {
      const User was = user_of(before[0]);
      given.role = was.role;
      given.tenant = was.tenant;
      given.tenant_role = was.tenant_role;
      given.assigned_by = was.assigned_by;
    } else if (invitation) {
      // Used once: a second sign-in racing for it finds it taken.
      const Rows used = c.query(
          "UPDATE invitations SET used_by = ?, used_at = ? WHERE id = ? AND used_by IS NULL "
          "RETURNING tenant",
          {id, now, *invitation});
      if (used.empty()) {
        given.role.reset();
        given.tenant.reset();
        given.assigned_by = "sign-in";
      }
    }
    const Value role = given.role ? Value(std::string(role_name(*given.role))) : Value(nullptr);
    const std::string tenant_role(tenant_role_name(given.tenant_role));
    const Principal self{"user:" + id, Role::viewer, given.tenant, given.name};
    if (before.empty()) {
      c.query(std::string("INSERT INTO users (") + k_user_columns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
              {id, given.issuer, given.subject, given.name, given.email, role,
               opt_value(given.tenant), tenant_role, now, now, given.assigned_by});
      audit(c, self, "user.create",
            given.name + " <" + given.email +
                ">: " + role_text(given.role, given.tenant, given.tenant_role) + " (" +
                given.assigned_by + ")",
            given.tenant);
    } else {
      const User was = user_of(before[0]);
      c.query(
          "UPDATE users SET name = ?, email = ?, role = ?, tenant = ?, tenant_role = ?, "
          "last_seen_at = ?, assigned_by = ? WHERE id = ?",
          {given.name, given.email, role, opt_value(given.tenant), tenant_role, now,
           given.assigned_by, id});
      // No role any more: the person's sessions end everywhere.
      if (!given.role) c.query("DELETE FROM sessions WHERE user_id = ?", {id});
      // A role that changed by signing in (the provider's groups, an invitation) is audited.
      if (was.role != given.role || was.tenant != given.tenant ||
          (given.role == Role::tenant && was.tenant_role != given.tenant_role))
        audit(c, self, "user.role",
              given.name + " <" + given.email +
                  ">: " + role_text(was.role, was.tenant, was.tenant_role) + " -> " +
                  role_text(given.role, given.tenant, given.tenant_role) + " (" +
                  given.assigned_by + ")",
              given.tenant ? given.tenant : was.tenant);
    }
    return user_of(
        c.query(std::string("SELECT ") + k_user_columns + " FROM users WHERE id = ?", {id}).at(0));
  });
}

std::vector<User> Store::list_users() {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<User> out;
    for (const auto& r :
         c.query(std::string("SELECT ") + k_user_columns + " FROM users ORDER BY name, id"))
      out.push_back(user_of(r));
    return out;
  });
}

std::optional<User> Store::get_user(const std::string& id) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<User> {
    const Rows rows =
        c.query(std::string("SELECT ") + k_user_columns + " FROM users WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return user_of(rows[0]);
  });
}

std::optional<User> Store::update_user(const Principal& who, const std::string& id,
                                       const UserChange& change) {
  return m_pool->run(true, [&](Connection& c) -> std::optional<User> {
    const Rows rows =
        c.query(std::string("SELECT ") + k_user_columns + " FROM users WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    const User was = user_of(rows[0]);
    User u = was;
    if (change.role) u.role = *change.role;
    if (change.tenant) u.tenant = *change.tenant;
    if (change.tenant_role) u.tenant_role = *change.tenant_role;
    if (change.disabled) u.disabled = *change.disabled;
    if (u.role != Role::tenant) u.tenant.reset();
    if (change.release) {
      u.assigned_by = "sign-in";
    } else if (change.role || change.tenant || change.tenant_role) {
      u.assigned_by = "admin";
    }
    c.query(
        "UPDATE users SET role = ?, tenant = ?, tenant_role = ?, disabled = ?, assigned_by = ? "
        "WHERE id = ?",
        {u.role ? Value(std::string(role_name(*u.role))) : Value(nullptr), opt_value(u.tenant),
         std::string(tenant_role_name(u.tenant_role)),
         static_cast<std::int64_t>(u.disabled ? 1 : 0), u.assigned_by, id});
    // A person disabled or moved is signed out everywhere.
    if (u.disabled || u.role != was.role || u.tenant != was.tenant ||
        u.tenant_role != was.tenant_role)
      c.query("DELETE FROM sessions WHERE user_id = ?", {id});
    std::string what = u.name + " <" + u.email + ">: ";
    std::vector<std::string> parts;
    if (u.role != was.role || u.tenant != was.tenant || u.tenant_role != was.tenant_role)
      parts.push_back(role_text(was.role, was.tenant, was.tenant_role) + " -> " +
                      role_text(u.role, u.tenant, u.tenant_role));
    if (u.disabled != was.disabled) parts.emplace_back(u.disabled ? "disabled" : "enabled");
    if (u.assigned_by != was.assigned_by) parts.push_back("assigned by " + u.assigned_by);
    if (parts.empty()) parts.emplace_back("unchanged");
    for (std::size_t i = 0; i < parts.size(); ++i) what += (i ? ", " : "") + parts[i];
    audit(c, who, "user.update", what, u.tenant ? u.tenant : was.tenant);
    return u;
  });
}

Invitation Store::create_invitation(const Principal& who, const Invitation& i) {
  return m_pool->run(true, [&](Connection& c) {
    Invitation out = i;
    out.id = long_random_id("inv-");
    if (out.created.empty()) out.created = now_rfc3339();
    out.by = who.name;
    c.query(
        "INSERT INTO invitations (id, tenant, email, tenant_role, created_by, created_at, "
        "expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {out.id, out.tenant, out.email, std::string(tenant_role_name(out.tenant_role)), who.token,
         out.created, out.expires_ms});
    audit(c, who, "invitation.create",
          out.email + " as " + std::string(tenant_role_name(out.tenant_role)), out.tenant);
    return out;
  });
}

std::vector<Invitation> Store::list_invitations(const std::string& tenant) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Invitation> out;
    for (const auto& r :
         c.query(std::string("SELECT ") + k_invitation_columns + k_invitation_from +
                     "WHERE i.tenant = ? ORDER BY i.created_at DESC, i.id LIMIT 1000",
                 {tenant}))
      out.push_back(invitation_of(r));
    return out;
  });
}

bool Store::delete_invitation(const Principal& who, const std::string& tenant,
                              const std::string& id) {
  return m_pool->run(true, [&](Connection& c) {
    const Rows rows = c.query(
        "DELETE FROM invitations WHERE id = ? AND tenant = ? AND used_by IS NULL RETURNING email",
        {id, tenant});
    if (rows.empty()) return false;
    audit(c, who, "invitation.delete", rows[0].text(0), tenant);
    return true;
  });
}

std::optional<Invitation> Store::open_invitation(const std::string& email, std::int64_t now) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<Invitation> {
    const Rows rows = c.query(std::string("SELECT ") + k_invitation_columns + k_invitation_from +
                                  "WHERE i.email = ? AND i.used_by IS NULL AND i.expires_ms > ? "
                                  "ORDER BY i.created_at DESC, i.id LIMIT 1",
                              {email, now});
    if (rows.empty()) return std::nullopt;
    return invitation_of(rows[0]);
  });
}

void Store::create_session(const std::string& hash, const std::string& user, std::int64_t now,
                           std::int64_t expires_ms, const std::string& id_token) {
  m_pool->run(true, [&](Connection& c) {
    c.query("DELETE FROM sessions WHERE expires_ms < ?", {now});
    c.query(
        "INSERT INTO sessions (hash, user_id, created_ms, seen_ms, expires_ms, id_token) VALUES "
        "(?, ?, ?, ?, ?, ?)",
        {hash, user, now, now, expires_ms, id_token});
  });
}

std::optional<Principal> Store::session_principal(const std::string& hash, std::int64_t now,
                                                  std::int64_t idle_ms) {
  return m_pool->run(true, [&](Connection& c) -> std::optional<Principal> {
    const Rows rows = c.query(
        "UPDATE sessions SET seen_ms = ? WHERE hash = ? AND expires_ms > ? AND seen_ms > ? "
        "RETURNING user_id",
        {now, hash, now, now - idle_ms});
    if (rows.empty()) return std::nullopt;
    const Rows u = c.query(std::string("SELECT ") + k_user_columns + " FROM users WHERE id = ?",
                           {rows[0].text(0)});
    if (u.empty()) return std::nullopt;
    const User user = user_of(u[0]);
    if (user.disabled || !user.role) return std::nullopt;
    Principal p{"user:" + user.id, *user.role, user.tenant, user.name};
    p.user = user.id;
    p.email = user.email;
    p.issuer = user.issuer;
    p.subject = user.subject;
    p.tenant_role = user.tenant_role;
    return p;
  });
}

std::optional<std::pair<std::string, std::string>> Store::end_session(const std::string& hash) {
  return m_pool->run(
      true, [&](Connection& c) -> std::optional<std::pair<std::string, std::string>> {
        const Rows rows =
            c.query("DELETE FROM sessions WHERE hash = ? RETURNING id_token, user_id", {hash});
        if (rows.empty()) return std::nullopt;
        const Rows u = c.query("SELECT issuer FROM users WHERE id = ?", {rows[0].text(1)});
        return std::make_pair(rows[0].text(0), u.empty() ? std::string() : u[0].text(0));
      });
}

std::size_t Store::inviting_tenants(const std::string& email, std::int64_t now) {
  return m_pool->run(false, [&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("SELECT COUNT(DISTINCT tenant) FROM invitations WHERE email = ? AND used_by IS "
                "NULL AND expires_ms > ?",
                {email, now})
            .at(0)
            .integer(0));
  });
}

}  // namespace racine::store

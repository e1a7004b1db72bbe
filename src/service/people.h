#pragma once
// People, not tokens (docs/identity.md): sign-in through each organisation's OpenID
// Provider (identity/oidc.h), the roles the configuration's mapping gives them, and
// server-side sessions kept in the store, so that every instance on one database honours
// them and a restart keeps them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "identity/oidc.h"
#include "store/store.h"

namespace racine::service {

// One issuer of the server's configuration: where its people sign in, and what they may
// do in racine (DESIGN.md, "Who may act").
struct IssuerConfig {
  identity::Issuer oidc;
  std::string groups_claim = "groups";
  // The provider's staff: a provider role by group (the highest that matches).
  bool provider = false;
  std::vector<std::string> admin_groups;
  std::vector<std::string> editor_groups;
  std::vector<std::string> viewer_groups;
  // A client's people: their tenant (fixed, or named by a claim), and a tenant role by
  // group (the highest that matches).
  std::optional<std::string> tenant;
  std::string tenant_claim;
  std::vector<std::string> approver_groups;
  std::vector<std::string> responder_groups;
  std::vector<std::string> tenant_viewer_groups;
  // People this mapping gives nothing may still be attached to a client by an invitation
  // to their email address, or by its domain (the tenant's email_domains: viewer), when
  // the ID token says the address is verified. With a fixed `tenant`, only to that one.
  bool attach_by_email = false;
};

struct IdentityConfig {
  std::vector<IssuerConfig> issuers;
  std::string public_url;                            // https://racine.example
  std::int64_t session_idle_ms = 8LL * 3600 * 1000;  // a session unused this long ends
  std::int64_t session_max_ms = 7LL * 86400 * 1000;  // and any after this long
  std::int64_t login_max_ms = 10LL * 60 * 1000;      // a sign-in must come back within this
};

// What the role mapping gives a person for the claims of their ID token.
struct Mapping {
  std::optional<store::Role> role;  // nullopt: no access
  std::optional<std::string> tenant;
  store::TenantRole tenant_role = store::TenantRole::viewer;
};

Mapping map_person(const IssuerConfig& issuer, const std::string& claims_json);

// True when the claims say the email address was verified by the provider
// (`email_verified`: true, or the string "true" some providers send).
bool email_verified(const std::string& claims_json);

// The lower-cased address when `email` is one plain address (local@domain, no spaces,
// quotes or brackets, at most 254 bytes), or nullopt.
std::optional<std::string> normal_email(std::string_view email);

// A domain where anyone may have an address (gmail.com, outlook.com, orange.fr...): never
// a reason to attach someone to a client.
bool public_mail_domain(std::string_view domain);

}  // namespace racine::service

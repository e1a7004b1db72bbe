#pragma once
// Signing people in through their organisation's OpenID Connect provider (DESIGN.md,
// "Who may act"; docs/identity.md): the authorization code flow with PKCE (S256), state
// and nonce; the provider's discovery document and JWKS fetched and cached (an unknown
// `kid` fetches the JWKS again: key rotation); the ID token's signature checked by
// Rhonabwy (a maintained JOSE library), and its `iss`, `aud`, `azp`, `exp`, `iat` and
// `nonce` checked here with a bounded clock skew. No cryptography is written here.
// HTTP by libcurl. Nothing here knows about racine's store or roles.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace racine::identity {

// One OpenID Provider as the server's configuration names it.
struct Issuer {
  std::string id;      // [a-z0-9-]: in URLs (/auth/login?issuer=ID)
  std::string name;    // on the sign-in button
  std::string issuer;  // the `iss` its tokens carry; discovery at ISSUER/.well-known/...
  std::string client_id;
  std::string client_secret;
  std::vector<std::string> scopes = {"openid", "profile", "email"};
};

// What a verified ID token says of a person.
struct Claims {
  std::string issuer;
  std::string subject;
  std::string name;
  std::string email;
  std::string json;  // every claim, for mappings by any claim
};

// Why there is no value.
struct Failure {
  std::string why;
};

// A value or why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : m_value(std::move(value)) {}                // NOLINT: implicit by design
  Result(Failure failure) : m_error(std::move(failure.why)) {}  // NOLINT
  [[nodiscard]] bool ok() const { return m_value.has_value(); }
  [[nodiscard]] T& value() { return *m_value; }
  [[nodiscard]] const T& value() const { return *m_value; }
  [[nodiscard]] const std::string& error() const { return m_error; }

 private:
  std::optional<T> m_value;
  std::string m_error;
};

// 32 random bytes (libsodium) as base64url without padding: state, nonce, PKCE verifier,
// session ids.
std::string random_token();
// The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)), no padding.
std::string pkce_challenge(const std::string& verifier);

// Checks an ID token against a JWKS (a JSON document) and what it must say: signed with
// an asymmetric algorithm by a key of the set whose `kid` matches (the token's header
// names it), `iss` the issuer, `aud` containing the client (and `azp` the client when
// there are several audiences), `exp` not passed and `iat` not ahead of `now` beyond
// `skew`, `nonce` the one sent. Returns the claims, or why not. When the token's `kid` is
// not in the set, the error starts with "unknown key" (the caller fetches the set again).
Result<Claims> verify_id_token(const std::string& token, const std::string& jwks_json,
                               const Issuer& issuer, const std::string& nonce, std::int64_t now_s,
                               std::int64_t skew_s = 120);

// One issuer's endpoints, discovered and cached; thread-safe.
class Client {
 public:
  Client(Issuer issuer, std::string redirect_uri);

  [[nodiscard]] const Issuer& issuer() const { return m_issuer; }

  // Where to send the browser: the authorization endpoint with the request's parameters.
  Result<std::string> authorization_url(const std::string& state, const std::string& nonce,
                                        const std::string& challenge);
  // The code redeemed at the token endpoint (with the PKCE verifier and the client's
  // secret), then the ID token verified. Returns the claims and the ID token (for the
  // logout hint).
  Result<std::pair<Claims, std::string>> redeem(const std::string& code,
                                                const std::string& verifier,
                                                const std::string& nonce);
  // The provider's end-session endpoint with the hint and where to come back, or nullopt
  // when the provider offers none.
  std::optional<std::string> end_session_url(const std::string& id_token_hint,
                                             const std::string& post_logout_redirect);

 private:
  Result<bool> discover();
  Result<std::string> jwks(bool refresh);

  Issuer m_issuer;
  std::string m_redirect_uri;
  std::mutex m_mutex;
  std::string m_authorization_endpoint;
  std::string m_token_endpoint;
  std::string m_jwks_uri;
  std::string m_end_session_endpoint;
  std::string m_jwks;
  std::chrono::steady_clock::time_point m_jwks_fetched{};
  std::chrono::steady_clock::time_point m_jwks_refreshed{};  // the last refresh for an unknown key
};

}  // namespace racine::identity

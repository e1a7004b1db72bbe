#include "identity/oidc.h"

#include <curl/curl.h>
#include <rhonabwy.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

namespace racine::identity {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0) return;
  });
}

std::string base64url(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > (4U << 20U)) return 0;  // no provider answers 4 MiB
  out->append(data, size * n);
  return size * n;
}

struct Http {
  long status = 0;
  std::string body;
  std::string error;
};

// One request, 10 s at most; `form` non-empty: a POST of that body.
Http request(const std::string& url, const std::string& form = "", const std::string& user = "",
             const std::string& password = "") {
  global_init();
  Http out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) {
    out.error = "libcurl could not start";
    return out;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(h.get(), CURLOPT_USERAGENT, "racine");
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &out.body);
  if (!form.empty()) {
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form.size()));
  }
  if (!user.empty()) {
    curl_easy_setopt(h.get(), CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(h.get(), CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(h.get(), CURLOPT_PASSWORD, password.c_str());
  }
  const CURLcode rc = curl_easy_perform(h.get());
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    out.error = curl_easy_strerror(rc);
    return out;
  }
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

std::string escape(const std::string& s) {
  global_init();
  char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string out(e != nullptr ? e : "");
  curl_free(e);
  return out;
}

// The client's credentials in HTTP Basic are form-encoded first (RFC 6749, 2.3.1).
std::string form_encoded(const std::string& s) {
  return escape(s);
}

bool asymmetric(jwa_alg alg) {
  switch (alg) {
    case R_JWA_ALG_RS256:
    case R_JWA_ALG_RS384:
    case R_JWA_ALG_RS512:
    case R_JWA_ALG_PS256:
    case R_JWA_ALG_PS384:
    case R_JWA_ALG_PS512:
    case R_JWA_ALG_ES256:
    case R_JWA_ALG_ES384:
    case R_JWA_ALG_ES512:
    case R_JWA_ALG_EDDSA: return true;
    default: return false;
  }
}

}  // namespace

std::string random_token() {
  global_init();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return base64url(bytes, sizeof bytes);
}

std::string pkce_challenge(const std::string& verifier) {
  global_init();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  return base64url(digest, sizeof digest);
}

Result<Claims> verify_id_token(const std::string& token, const std::string& jwks_json,
                               const Issuer& issuer, const std::string& nonce, std::int64_t now,
                               std::int64_t skew) {
  jwt_t* jwt = nullptr;
  jwks_t* jwks = nullptr;
  if (r_jwt_init(&jwt) != RHN_OK || r_jwks_init(&jwks) != RHN_OK) {
    r_jwt_free(jwt);
    r_jwks_free(jwks);
    return Failure{"the JOSE library could not start"};
  }
  std::unique_ptr<jwt_t, decltype(&r_jwt_free)> jwt_owner(jwt, r_jwt_free);
  std::unique_ptr<jwks_t, decltype(&r_jwks_free)> jwks_owner(jwks, r_jwks_free);
  if (r_jwt_parse(jwt, token.c_str(), 0) != RHN_OK) return Failure{"the ID token is not a JWT"};
  if (r_jwt_get_type(jwt) != R_JWT_TYPE_SIGN) return Failure{"the ID token is not signed"};
  const jwa_alg alg = r_jwt_get_sign_alg(jwt);
  if (!asymmetric(alg)) return Failure{"the ID token's algorithm is not an asymmetric signature"};
  if (r_jwks_import_from_json_str(jwks, jwks_json.c_str()) != RHN_OK)
    return Failure{"the provider's JWKS cannot be read"};
  const char* kid = r_jwt_get_header_str_value(jwt, "kid");
  jwk_t* key = nullptr;
  if (kid != nullptr) {
    key = r_jwks_get_by_kid(jwks, kid);
  } else if (r_jwks_size(jwks) == 1) {
    key = r_jwks_get_at(jwks, 0);
  }
  if (key == nullptr)
    return Failure{std::string("unknown key '") + (kid != nullptr ? kid : "") +
                   "' in the provider's JWKS"};
  std::unique_ptr<jwk_t, decltype(&r_jwk_free)> key_owner(key, r_jwk_free);
  if (r_jwt_verify_signature(jwt, key, 0) != RHN_OK)
    return Failure{"the ID token's signature does not verify"};
  char* text = r_jwt_get_full_claims_str(jwt);
  if (text == nullptr) return Failure{"the ID token has no claims"};
  const auto claims = nlohmann::json::parse(text, nullptr, false);
  r_free(text);
  if (!claims.is_object()) return Failure{"the ID token's claims are not an object"};
  auto str = [&](const char* k) {
    return claims.contains(k) && claims[k].is_string() ? claims[k].get<std::string>() : "";
  };
  auto num = [&](const char* k) -> std::optional<std::int64_t> {
    if (!claims.contains(k) || !claims[k].is_number()) return std::nullopt;
    return static_cast<std::int64_t>(claims[k].get<double>());
  };
  if (str("iss") != issuer.issuer) return Failure{"the ID token's issuer is '" + str("iss") + "'"};
  std::vector<std::string> audiences;
  if (claims.contains("aud") && claims["aud"].is_string()) audiences.push_back(str("aud"));
  if (claims.contains("aud") && claims["aud"].is_array()) {
    for (const auto& a : claims["aud"]) {
      if (a.is_string()) audiences.push_back(a.get<std::string>());
    }
  }
  if (std::find(audiences.begin(), audiences.end(), issuer.client_id) == audiences.end())
    return Failure{"the ID token is for another audience"};
  if (audiences.size() > 1 && str("azp") != issuer.client_id)
    return Failure{"the ID token's authorized party is not this client"};
  const auto exp = num("exp");
  if (!exp || *exp + skew < now) return Failure{"the ID token has expired"};
  const auto iat = num("iat");
  if (!iat || *iat - skew > now) return Failure{"the ID token is issued in the future"};
  if (nonce.empty() || str("nonce") != nonce)
    return Failure{"the ID token's nonce is not the one sent"};
  if (str("sub").empty()) return Failure{"the ID token names no subject"};
  return Claims{str("iss"), str("sub"), str("name"), str("email"), claims.dump()};
}

Client::Client(Issuer issuer, std::string redirect_uri)
    : m_issuer(std::move(issuer)), m_redirect_uri(std::move(redirect_uri)) {}

Result<bool> Client::discover() {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (!m_token_endpoint.empty()) return true;
  std::string base = m_issuer.issuer;
  while (base.ends_with('/')) base.pop_back();
  const Http r = request(base + "/.well-known/openid-configuration");
  if (!r.error.empty() || r.status != 200)
    return Failure{"the provider's discovery document cannot be read (" +
                   (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error) + ")"};
  const auto d = nlohmann::json::parse(r.body, nullptr, false);
  if (!d.is_object()) return Failure{"the provider's discovery document is not JSON"};
  auto str = [&](const char* k) {
    return d.contains(k) && d[k].is_string() ? d[k].get<std::string>() : "";
  };
  if (str("issuer") != m_issuer.issuer)
    return Failure{"the provider's discovery document names issuer '" + str("issuer") + "'"};
  if (str("authorization_endpoint").empty() || str("token_endpoint").empty() ||
      str("jwks_uri").empty())
    return Failure{"the provider's discovery document lacks an endpoint"};
  m_authorization_endpoint = str("authorization_endpoint");
  m_token_endpoint = str("token_endpoint");
  m_jwks_uri = str("jwks_uri");
  m_end_session_endpoint = str("end_session_endpoint");
  return true;
}

Result<std::string> Client::jwks(bool refresh) {
  std::lock_guard<std::mutex> lock(m_mutex);
  const auto now = std::chrono::steady_clock::now();
  // A refresh for an unknown key at most every 10 s: tokens naming unknown keys cannot
  // make racine hammer the provider.
  if (!m_jwks.empty() && !refresh) return m_jwks;
  if (!m_jwks.empty() && m_jwks_refreshed != std::chrono::steady_clock::time_point{} &&
      now - m_jwks_refreshed < std::chrono::seconds(10))
    return m_jwks;
  if (refresh) m_jwks_refreshed = now;
  const Http r = request(m_jwks_uri);
  if (!r.error.empty() || r.status != 200) {
    if (!m_jwks.empty()) return m_jwks;
    return Failure{"the provider's JWKS cannot be read (" +
                   (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error) + ")"};
  }
  m_jwks = r.body;
  m_jwks_fetched = now;
  return m_jwks;
}

Result<std::string> Client::authorization_url(const std::string& state, const std::string& nonce,
                                              const std::string& challenge) {
  if (auto d = discover(); !d.ok()) return Failure{d.error()};
  std::string scopes;
  for (const auto& s : m_issuer.scopes) scopes += (scopes.empty() ? "" : " ") + s;
  const std::string sep = m_authorization_endpoint.find('?') == std::string::npos ? "?" : "&";
  return m_authorization_endpoint + sep +
         "response_type=code&client_id=" + escape(m_issuer.client_id) +
         "&redirect_uri=" + escape(m_redirect_uri) + "&scope=" + escape(scopes) +
         "&state=" + escape(state) + "&nonce=" + escape(nonce) +
         "&code_challenge=" + escape(challenge) + "&code_challenge_method=S256";
}

Result<std::pair<Claims, std::string>> Client::redeem(const std::string& code,
                                                      const std::string& verifier,
                                                      const std::string& nonce) {
  if (auto d = discover(); !d.ok()) return Failure{d.error()};
  const std::string form = "grant_type=authorization_code&code=" + escape(code) +
                           "&redirect_uri=" + escape(m_redirect_uri) +
                           "&code_verifier=" + escape(verifier);
  const Http r = request(m_token_endpoint, form, form_encoded(m_issuer.client_id),
                         form_encoded(m_issuer.client_secret));
  if (!r.error.empty())
    return Failure{"the provider's token endpoint cannot be reached (" + r.error + ")"};
  const auto answer = nlohmann::json::parse(r.body, nullptr, false);
  if (r.status != 200) {
    std::string why = "HTTP " + std::to_string(r.status);
    if (answer.is_object() && answer.contains("error") && answer["error"].is_string())
      why = answer["error"].get<std::string>();
    return Failure{"the provider refused the code (" + why + ")"};
  }
  if (!answer.is_object() || !answer.contains("id_token") || !answer["id_token"].is_string())
    return Failure{"the provider's token answer has no ID token"};
  const std::string id_token = answer["id_token"].get<std::string>();
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  for (const bool refresh : {false, true}) {
    auto keys = jwks(refresh);
    if (!keys.ok()) return Failure{keys.error()};
    auto verified = verify_id_token(id_token, keys.value(), m_issuer, nonce, now);
    if (verified.ok()) return std::make_pair(std::move(verified.value()), id_token);
    // A key the cached set lacks: the provider rotated its keys; fetch them again once.
    if (refresh || !verified.error().starts_with("unknown key")) return Failure{verified.error()};
  }
  return Failure{"the ID token cannot be verified"};
}

std::optional<std::string> Client::end_session_url(const std::string& id_token_hint,
                                                   const std::string& post_logout_redirect) {
  if (auto d = discover(); !d.ok()) return std::nullopt;
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_end_session_endpoint.empty()) return std::nullopt;
  const std::string sep = m_end_session_endpoint.find('?') == std::string::npos ? "?" : "&";
  return m_end_session_endpoint + sep + "id_token_hint=" + escape(id_token_hint) +
         "&post_logout_redirect_uri=" + escape(post_logout_redirect) +
         "&client_id=" + escape(m_issuer.client_id);
}

}  // namespace racine::identity

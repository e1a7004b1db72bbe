// The ID token's checks (identity/oidc.h): tokens signed here by Rhonabwy with keys made
// for the test, each wrong in one way, against the JWKS of the right key. The end-to-end
// flow against a real OpenID Provider is tests/oidc/signin.mjs.
#include <gtest/gtest.h>
#include <rhonabwy.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "identity/oidc.h"

namespace racine::identity {
namespace {

using nlohmann::json;

struct Key {
  jwk_t* priv = nullptr;
  jwk_t* pub = nullptr;
  Key(int type, unsigned bits, const char* kid) {
    r_jwk_init(&priv);
    r_jwk_init(&pub);
    r_jwk_generate_key_pair(priv, pub, type, bits, kid);
  }
  ~Key() {
    r_jwk_free(priv);
    r_jwk_free(pub);
  }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
};

std::string jwks_of(std::initializer_list<const Key*> keys) {
  jwks_t* set = nullptr;
  r_jwks_init(&set);
  for (const Key* k : keys) r_jwks_append_jwk(set, k->pub);
  char* text = r_jwks_export_to_json_str(set, 0);
  std::string out(text);
  r_free(text);
  r_jwks_free(set);
  return out;
}

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const Issuer k_issuer{"acme", "ACME", "https://sso.acme.example", "racine", "secret", {}};

json claims(std::int64_t at = now()) {
  return {{"iss", "https://sso.acme.example"},
          {"aud", "racine"},
          {"sub", "u-1"},
          {"name", "Jeanne Martin"},
          {"email", "jeanne@acme.example"},
          {"nonce", "n-1"},
          {"iat", at},
          {"exp", at + 300}};
}

std::string sign(const json& c, const Key& key, jwa_alg alg = R_JWA_ALG_RS256) {
  jwt_t* jwt = nullptr;
  r_jwt_init(&jwt);
  r_jwt_set_full_claims_json_str(jwt, c.dump().c_str());
  r_jwt_set_sign_alg(jwt, alg);
  char* token = r_jwt_serialize_signed(jwt, key.priv, 0);
  std::string out(token != nullptr ? token : "");
  r_free(token);
  r_jwt_free(jwt);
  return out;
}

std::string why(const Result<Claims>& r) {
  return r.ok() ? "accepted" : r.error();
}

TEST(IdToken, ARightTokenIsAcceptedWithItsClaims) {
  const Key key(R_KEY_TYPE_RSA, 2048, "k1");
  const auto r = verify_id_token(sign(claims(), key), jwks_of({&key}), k_issuer, "n-1", now());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value().subject, "u-1");
  EXPECT_EQ(r.value().name, "Jeanne Martin");
  EXPECT_EQ(r.value().email, "jeanne@acme.example");
  EXPECT_EQ(r.value().issuer, "https://sso.acme.example");
}

TEST(IdToken, EachWrongThingIsRefusedWithWhy) {
  const Key key(R_KEY_TYPE_RSA, 2048, "k1");
  const Key other(R_KEY_TYPE_RSA, 2048, "k1");  // the same kid, another key: a forgery
  const Key rotated(R_KEY_TYPE_RSA, 2048, "k2");
  const std::string jwks = jwks_of({&key});
  auto check = [&](const std::string& token, const std::string& nonce = "n-1") {
    return why(verify_id_token(token, jwks, k_issuer, nonce, now()));
  };
  EXPECT_EQ(check(sign(claims(), other)), "the ID token's signature does not verify");
  EXPECT_EQ(check(sign(claims(), rotated)), "unknown key 'k2' in the provider's JWKS");
  auto c = claims();
  c["aud"] = "other-app";
  EXPECT_EQ(check(sign(c, key)), "the ID token is for another audience");
  c = claims();
  c["aud"] = json::array({"racine", "other-app"});
  EXPECT_EQ(check(sign(c, key)), "the ID token's authorized party is not this client");
  c["azp"] = "racine";
  EXPECT_EQ(check(sign(c, key)), "accepted");
  c = claims();
  c["iss"] = "https://evil.example";
  EXPECT_EQ(check(sign(c, key)), "the ID token's issuer is 'https://evil.example'");
  EXPECT_EQ(check(sign(claims(now() - 1000), key)), "the ID token has expired");
  EXPECT_EQ(check(sign(claims(now() + 1000), key)), "the ID token is issued in the future");
  // Within the skew (2 minutes) a clock a little off is forgiven.
  EXPECT_EQ(check(sign(claims(now() - 360), key)), "accepted");
  EXPECT_EQ(check(sign(claims(), key), "n-2"), "the ID token's nonce is not the one sent");
  EXPECT_EQ(check(sign(claims(), key), ""), "the ID token's nonce is not the one sent");
  c = claims();
  c.erase("sub");
  EXPECT_EQ(check(sign(c, key)), "the ID token names no subject");
  EXPECT_EQ(check("not.a.token"), "the ID token is not a JWT");
  // A changed byte of the payload.
  std::string token = sign(claims(), key);
  const auto dot = token.find('.');
  token[dot + 5] = token[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_NE(check(token), "accepted");
}

TEST(IdToken, OnlyAsymmetricSignaturesAreTaken) {
  const Key key(R_KEY_TYPE_RSA, 2048, "k1");
  // "alg": "none", and an HMAC made with a shared secret: never accepted.
  const std::string header_none =
      "eyJhbGciOiJub25lIiwia2lkIjoiazEifQ";  // {"alg":"none","kid":"k1"}
  std::string payload = sign(claims(), key);
  payload = payload.substr(payload.find('.') + 1);
  payload = payload.substr(0, payload.find('.'));
  EXPECT_NE(why(verify_id_token(header_none + "." + payload + ".", jwks_of({&key}), k_issuer, "n-1",
                                now())),
            "accepted");
  // An HMAC token whose header claims the RSA key's kid: the algorithm decides first.
  const std::string hs256 = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0." + payload +
                            ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";  // {"alg":"HS256","kid":"k1"}
  EXPECT_EQ(why(verify_id_token(hs256, jwks_of({&key}), k_issuer, "n-1", now())),
            "the ID token's algorithm is not an asymmetric signature");
}

TEST(IdToken, PkceChallengeIsTheRfc7636Example) {
  // RFC 7636, appendix B.
  EXPECT_EQ(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const std::string a = random_token();
  EXPECT_EQ(a.size(), 43U);
  EXPECT_NE(a, random_token());
}

}  // namespace
}  // namespace racine::identity

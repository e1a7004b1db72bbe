// Requests to the provider end to end (docs/server.md, "Requests"), on SQLite and
// PostgreSQL: a real `racine serve`; a client asks for something its matrix does not
// cover, the provider quotes, the client accepts, the provider marks it done; who may do
// what, another tenant's request a 404, the cap on open requests, the audit log, and the
// notices reaching the provider's and the client's receivers (loopback sinks).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine_test.h"
#include "routing_support.h"
#include "server_process.h"

namespace racine::test {
namespace {

using RequestsTest = RoutingFixture;

TEST_P(RequestsTest, FromQuestionToDoneOnBothSides) {
  Sink sink;
  auto s = start({"--public-url", "https://racine.example"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const std::string editor = token(port, admin, "editor");
  const std::string viewer = token(port, admin, "viewer");
  const auto acme = tenant(port, admin, "acme", json::array()).first;
  const auto globex = tenant(port, admin, "globex", json::array()).first;
  // The provider's party hears through its provider-wide receiver, the client's party
  // through acme's own.
  receiver(port, admin, "/api/v1/receivers/cloud-temple",
           {{"type", "webhook"}, {"url", sink.url("/provider")}});
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "slack"}, {"url", sink.url("/client")}, {"lang", "fr"}});

  const std::string create = "/api/v1/tenants/acme/contracts/main/requests";
  const json ask = {{"text", "Commander des pizzas pour l'équipe"},
                    {"question", "commander des pizzas pour l'équipe"}};
  // Who may ask: the client's people and tokens, not the provider, not another client.
  EXPECT_EQ(http(port, "POST", create, editor, ask.dump()).status, 403);
  EXPECT_EQ(http(port, "POST", create, viewer, ask.dump()).status, 403);
  EXPECT_EQ(http(port, "POST", create, globex, ask.dump()).status, 404);
  EXPECT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/contracts/nope/requests", acme, ask.dump()).status,
      404);
  // Bad input: a clear 4xx with its code, nothing stored.
  for (const auto& [body, code] : std::vector<std::pair<json, std::string>>{
           {json{{"text", "   "}}, "bad_request_text"},
           {json{{"text", std::string(2001, 'x')}}, "bad_request_text"},
           {json{{"text", "a\x01z"}}, "bad_request_text"},
           {json{{"text", 3}}, "bad_request_text"},
           {json{{"text", "ok"}, {"question", std::string(501, 'q')}}, "bad_request_text"},
       }) {
    const auto r = http(port, "POST", create, acme, body.dump());
    EXPECT_EQ(r.status, 422) << body.dump().substr(0, 80);
    EXPECT_EQ(json::parse(r.body)["error"]["code"], code);
  }
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/requests", acme).body, "[]");

  auto r = http(port, "POST", create, acme, ask.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = json::parse(r.body);
  const std::string id = j["id"];
  EXPECT_TRUE(id.starts_with("req-")) << id;
  EXPECT_EQ(j["state"], "requested");
  EXPECT_EQ(j["tenant_name"], "acme");
  EXPECT_EQ(j["question"], "commander des pizzas pour l'équipe");
  EXPECT_EQ(j["actions"], json({"withdrawn"}));
  const std::string one = "/api/v1/tenants/acme/requests/" + id;

  // Another tenant: 404 on every route; the provider sees it among the open ones.
  EXPECT_EQ(http(port, "GET", one, globex).status, 404);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/requests", globex).status, 404);
  EXPECT_EQ(http(port, "POST", one + "/state", globex, R"({"state": "withdrawn"})").status, 404);
  EXPECT_EQ(http(port, "GET", "/api/v1/requests", acme).status, 403);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/globex/requests", globex).body, "[]");
  r = http(port, "GET", "/api/v1/requests?state=open", viewer);
  ASSERT_EQ(r.status, 200);
  j = json::parse(r.body);
  ASSERT_EQ(j.size(), 1U);
  EXPECT_EQ(j[0]["id"], id);
  EXPECT_EQ(j[0]["actions"], json::array()) << "the provider's viewer reads";
  EXPECT_EQ(http(port, "GET", "/api/v1/requests?state=closed", editor).status, 400);
  r = http(port, "GET", "/api/v1/requests?state=open", editor);
  EXPECT_EQ(json::parse(r.body)[0]["actions"], json({"quoted", "declined"}));

  // The moves each side may make, in order.
  EXPECT_EQ(http(port, "POST", one + "/state", acme, R"({"state": "quoted", "quote": "x"})").status,
            403);
  EXPECT_EQ(
      http(port, "POST", one + "/state", viewer, R"({"state": "quoted", "quote": "x"})").status,
      403);
  EXPECT_EQ(http(port, "POST", one + "/state", editor, R"({"state": "done"})").status, 409);
  EXPECT_EQ(http(port, "POST", one + "/state", editor, R"({"state": "paid"})").status, 400);
  r = http(port, "POST", one + "/state", editor, R"({"state": "quoted"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "bad_quote");
  r = http(port, "POST", one + "/state", editor,
           R"({"state": "quoted", "quote": "2 jours, 1 400 EUR HT", "from": "requested"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["quote"], "2 jours, 1 400 EUR HT");
  // A move decided on a page that showed an older state.
  r = http(port, "POST", one + "/state", acme, R"({"state": "withdrawn", "from": "requested"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "conflict");
  r = http(port, "POST", one + "/state", acme, R"({"state": "accepted"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(http(port, "POST", one + "/state", acme, R"({"state": "done"})").status, 403);
  r = http(port, "POST", one + "/state", editor, R"({"state": "done"})");
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  EXPECT_EQ(j["state"], "done");
  EXPECT_EQ(j["open"], false);
  ASSERT_EQ(j["history"].size(), 4U);
  std::vector<std::string> steps;
  for (const auto& h : j["history"])
    steps.push_back(h["state"].get<std::string>() + " by " + h["by"].get<std::string>() + " (" +
                    (h["org"].is_null() ? std::string("provider") : h["org"].get<std::string>()) +
                    ")");
  EXPECT_EQ(steps,
            (std::vector<std::string>{"requested by tenant (acme)", "quoted by editor (provider)",
                                      "accepted by tenant (acme)", "done by editor (provider)"}));
  EXPECT_EQ(j["history"][1]["note"], "2 jours, 1 400 EUR HT");
  EXPECT_EQ(http(port, "GET", "/api/v1/requests?state=open", editor).body, "[]");
  EXPECT_EQ(json::parse(http(port, "GET", one, acme).body)["state"], "done");

  // Audited, each move, by name.
  const auto audit = json::parse(http(port, "GET", "/api/v1/audit?tenant=acme", admin).body);
  std::vector<std::string> actions;
  for (const auto& a : audit)
    if (a["action"].get<std::string>().starts_with("request."))
      actions.push_back(a["action"].get<std::string>() + " " + a["target"].get<std::string>());
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "request.accepted acme/main " + id, "request.create acme/main " + id,
                         "request.done acme/main " + id, "request.quoted acme/main " + id}));

  // The notices: the provider's receiver hears of the request and its acceptance, the
  // client's of the quote and of the end; none of them is an alert of the events page.
  const auto seen = sink.wait_for([](const auto& rs) { return rs.size() >= 4; });
  ASSERT_EQ(seen.size(), 4U);
  std::vector<std::string> provider;
  std::vector<std::string> client;
  for (const auto& q : seen) {
    if (q["path"] == "/provider") {
      EXPECT_EQ(q["body"]["kind"], "informed");
      EXPECT_EQ(q["body"]["party"], "Cloud Temple");
      EXPECT_EQ(q["body"]["request"]["id"], id);
      EXPECT_EQ(q["body"]["request"]["url"], "https://racine.example/#/tenants/acme/requests");
      EXPECT_FALSE(q["body"].contains("ack_url"));
      EXPECT_EQ(q["body"]["alert"]["labels"]["alertname"], "racine-request");
      provider.push_back(q["body"]["request"]["state"]);
    } else {
      EXPECT_EQ(q["path"], "/client");
      client.push_back(q["body"]["text"]);
    }
  }
  std::sort(provider.begin(), provider.end());
  EXPECT_EQ(provider, (std::vector<std::string>{"accepted", "requested"}));
  std::sort(client.begin(), client.end());
  // In the receiver's language (French here), with the request's own words.
  EXPECT_EQ(client, (std::vector<std::string>{
                        "Pour information\u202f: acme, contrat main\u202f: demande chiffrée par "
                        "editor\u202f: Commander des pizzas pour l'équipe",
                        "Pour information\u202f: acme, contrat main\u202f: demande réalisée par "
                        "editor\u202f: Commander des pizzas pour l'équipe"}));
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events", acme).body, "[]");
}

std::string seed_for_notices() {
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/data/managed-kubernetes.md",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// %-encoding of a query parameter's value.
std::string query_value(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", u);
      out += hex;
    }
  }
  return out;
}

// A version published with a release note: kept with the version, listed in its history,
// and said once to each client whose contract is on an older version (through its own
// receiver, in the receiver's language), none to a client already on it; a bad note is a
// 422 that stores nothing.
TEST_P(RequestsTest, PublishedVersionTellsTheClientsBehind) {
  Sink sink;
  auto s = start({"--public-url", "https://racine.example"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const std::string editor = token(port, admin, "editor");
  const auto acme = tenant(port, admin, "acme", json::array()).first;
  tenant(port, admin, "globex", json::array());
  // initech's party has no receiver: it is not told (a delivery to nobody would fail for
  // a day), and sees the offer on its contract's page.
  tenant(port, admin, "initech", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "slack"}, {"url", sink.url("/acme")}, {"lang", "fr"}});
  receiver(port, admin, "/api/v1/tenants/globex/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/globex")}});
  const std::string versions = "/api/v1/matrices/managed-kubernetes/versions";
  std::string v2 = seed_for_notices();
  const std::string from = "Mettre en oeuvre et gérer les sauvegardes du service Kubernetes";
  v2.replace(v2.find(from), from.size(), "Mettre en œuvre les sauvegardes du service Kubernetes");

  for (const auto& [note, why] : std::vector<std::pair<std::string, std::string>>{
           {std::string(2001, 'n'), "the release note is longer than 2000 characters"},
           {"a\x01b", "the release note holds a control character"}}) {
    const auto r = http(port, "POST", versions + "?force=true&note=" + query_value(note), editor,
                        v2, "text/markdown");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(json::parse(r.body)["error"]["code"], "bad_note");
    EXPECT_EQ(json::parse(r.body)["error"]["message"], why);
  }
  // Bytes that are not UTF-8 are refused before the upload is read.
  EXPECT_EQ(
      http(port, "POST", versions + "?force=true&note=%FF", editor, v2, "text/markdown").status,
      400);
  EXPECT_EQ(json::parse(http(port, "GET", versions, editor).body).size(), 1U);

  const std::string note = "Sauvegardes : libellé revu.\nAucun rôle ne change.";
  auto r = http(port, "POST", versions + "?force=true&note=" + query_value(note), editor, v2,
                "text/markdown");
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = json::parse(r.body);
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["note"], note);
  EXPECT_EQ(j["told"], 2);
  const auto list = json::parse(http(port, "GET", versions, acme).body);
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0]["note"], "");
  EXPECT_EQ(list[1]["note"], note);

  const auto seen = sink.wait_for([](const auto& rs) { return rs.size() >= 2; });
  ASSERT_EQ(seen.size(), 2U);
  for (const auto& q : seen) {
    if (q["path"] == "/globex") {
      EXPECT_EQ(q["body"]["kind"], "informed");
      EXPECT_EQ(q["body"]["party"], "Client");
      EXPECT_EQ(q["body"]["notice"]["kind"], "version");
      EXPECT_EQ(q["body"]["notice"]["version"], "2");
      EXPECT_EQ(q["body"]["notice"]["url"],
                "https://racine.example/#/tenants/globex/contracts/main");
      EXPECT_EQ(q["body"]["alert"]["labels"]["alertname"], "racine-version");
      EXPECT_EQ(q["body"]["alert"]["annotations"]["summary"],
                "managed-kubernetes version 2 is published; contract main is on version 1: "
                "review the upgrade and accept it");
      EXPECT_EQ(q["body"]["alert"]["annotations"]["description"], "Release note: " + note);
      EXPECT_FALSE(q["body"].contains("ack_url"));
    } else {
      EXPECT_EQ(q["path"], "/acme");
      EXPECT_EQ(q["body"]["text"],
                "Pour information\u202f: La version 2 de managed-kubernetes est publiée\u202f; le "
                "contrat main est en version 1\u202f: examinez la mise à jour et acceptez-la");
      EXPECT_NE(q["body"].dump().find("Note de version\u202f: Sauvegardes"), std::string::npos)
          << q["body"].dump();
    }
  }
  // Not an alert of the events page.
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events", acme).body, "[]");

  // The same bytes again are no new version: nobody is told. With another note, refused
  // (the note said with version 2 does not change), and nothing changes.
  r = http(port, "POST", versions + "?force=true&note=again", editor, v2, "text/markdown");
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "note_conflict");
  EXPECT_EQ(json::parse(r.body)["error"]["message"],
            "these bytes are already version 2 of 'managed-kubernetes', whose release note is "
            "another: a version's note does not change once said; upload without ?note to get "
            "that version, or change the document for a new one");
  for (const std::string& again :
       {std::string("?force=true"), "?force=true&note=" + query_value(note)}) {
    r = http(port, "POST", versions + again, editor, v2, "text/markdown");
    ASSERT_EQ(r.status, 200) << again << ": " << r.body;
    EXPECT_EQ(json::parse(r.body)["told"], 0);
    EXPECT_EQ(json::parse(r.body)["note"], note);
  }
  EXPECT_EQ(json::parse(http(port, "GET", versions, acme).body)[1]["note"], note);
  // acme accepts version 2 (it is not told again of it); version 3 is said to both, since
  // both are behind it, without a note.
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/contracts/main/upgrade", acme,
                 json{{"version", 2}}.dump())
                .status,
            200);
  r = http(port, "POST", versions + "?force=true", editor, v2 + "\n", "text/markdown");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["told"], 2);
  const auto more = sink.wait_for([](const auto& rs) { return rs.size() >= 4; });
  ASSERT_EQ(more.size(), 4U);
  std::multiset<std::string> third;
  for (std::size_t i = 2; i < more.size(); ++i)
    third.insert(more[i]["path"].get<std::string>() + " " + more[i]["body"].dump());
  ASSERT_EQ(third.size(), 2U);
  EXPECT_NE(third.begin()->find("est en version 2"), std::string::npos) << *third.begin();
  EXPECT_NE(third.rbegin()->find("No release note."), std::string::npos) << *third.rbegin();
  EXPECT_NE(third.rbegin()->find("is on version 1"), std::string::npos) << *third.rbegin();
}

TEST_P(RequestsTest, OpenRequestsAreCappedPerClient) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array()).first;
  const auto globex = tenant(port, admin, "globex", json::array()).first;
  const std::string create = "/api/v1/tenants/acme/contracts/main/requests";
  std::string last;
  for (int i = 0; i < 20; ++i) {
    const auto r = http(port, "POST", create, acme, json{{"text", "n" + std::to_string(i)}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    last = json::parse(r.body)["id"];
  }
  auto r = http(port, "POST", create, acme, R"({"text": "one more"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "too_many_open_requests");
  // Another client is not held by acme's; a request withdrawn frees a place.
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/globex/contracts/main/requests", globex,
                 R"({"text": "x"})")
                .status,
            201);
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/requests/" + last + "/state", acme,
                 R"({"state": "withdrawn"})")
                .status,
            200);
  EXPECT_EQ(http(port, "POST", create, acme, R"({"text": "one more"})").status, 201);
  EXPECT_EQ(
      json::parse(http(port, "GET", "/api/v1/tenants/acme/requests?state=open", acme).body).size(),
      20U);
  EXPECT_EQ(json::parse(http(port, "GET", "/api/v1/tenants/acme/requests", acme).body).size(), 21U);
}

INSTANTIATE_TEST_SUITE_P(Engines, RequestsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace racine::test

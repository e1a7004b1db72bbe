// Requests to the provider end to end (docs/server.md, "Requests"), on SQLite and
// PostgreSQL: a real `racine serve`; a client asks for something its matrix does not
// cover, the provider quotes, the client accepts, the provider marks it done; who may do
// what, another tenant's request a 404, the cap on open requests, the audit log, and the
// notices reaching the provider's and the client's receivers (loopback sinks).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
  EXPECT_EQ(client,
            (std::vector<std::string>{"Pour information: racine-request: zone grise (acme/main)",
                                      "Pour information: racine-request: zone grise (acme/main)"}));
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events", acme).body, "[]");
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

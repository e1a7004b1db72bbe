// Receiver types end to end (DESIGN.md, "Receiver types"; docs/routing.md), on SQLite and
// PostgreSQL: a real `racine serve` delivering a firing and a resolved alert to a Slack,
// a Mattermost, a Teams, a PagerDuty and a templated receiver, each a loopback sink
// (tests/routing/sink.py) standing for the vendor; what each got is the vendor's shape,
// in the receiver's language; receivers are checked when saved and their secrets never
// read back.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "engine_test.h"
#include "routing_support.h"
#include "server_process.h"

namespace racine::test {
namespace {

using ReceiverTypesTest = RoutingFixture;

TEST_P(ReceiverTypesTest, EachTypeGetsItsVendorsShape) {
  Sink sink;
  auto s = start({"--public-url", "https://racine.example"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const std::map<std::string, json> receivers = {
      {"slack", {{"type", "slack"}, {"url", sink.url("/slack/T000/B000/XXXX")}}},
      {"mattermost",
       {{"type", "mattermost"}, {"url", sink.url("/mattermost/hooks/abc")}, {"lang", "fr"}}},
      {"teams", {{"type", "teams"}, {"url", sink.url("/teams/workflows/x")}}},
      {"pagerduty",
       {{"type", "pagerduty"}, {"routing_key", "R0UT1NGKEY"}, {"url", sink.url("/pagerduty")}}},
      {"template",
       {{"type", "template"},
        {"url", sink.url("/desk/tickets")},
        {"method", "PUT"},
        {"headers", {{"Authorization", "Token s3cret"}, {"X-Event", "{{event}}"}}},
        {"body",
         R"({"subject": "{{title}}", "queue": "{{party}}", "kind": "{{kind}}", "note": "{{alert.annotations.summary}}"})"}}}};
  std::map<std::string, std::string> ingest;
  for (const auto& [id, body] : receivers) {
    ingest[id] = tenant(port, admin, id, json::array()).second;
    receiver(port, admin, "/api/v1/tenants/" + id + "/receivers/client", body);
  }
  // The application alert: the client is Responsible. A summary that tries to get out.
  auto hostile = alert("a1", "firing", k_application);
  hostile["annotations"]["summary"] = R"(<!channel> "quoted" \ [x](https://evil.example))";
  for (const auto& [id, token] : ingest) {
    ASSERT_EQ(
        http(port, "POST", "/api/v1/tenants/" + id + "/alertmanager", token, payload({hostile}))
            .status,
        200);
    auto resolved = hostile;
    resolved["status"] = "resolved";
    resolved["endsAt"] = "2026-11-30T10:05:00Z";
    ASSERT_EQ(
        http(port, "POST", "/api/v1/tenants/" + id + "/alertmanager", token, payload({resolved}))
            .status,
        200);
  }
  // Firing and resolved for each (the escalation waits 15 minutes).
  const auto seen = sink.wait_for([](const auto& rs) { return rs.size() >= 10; });
  ASSERT_EQ(seen.size(), 10U);
  std::map<std::string, std::vector<json>> by;
  for (const auto& q : seen) {
    const std::string path = q["path"];
    by[path.substr(1, path.find('/', 1) - 1)].push_back(q);
    EXPECT_EQ(q["content_type"], "application/json");
    EXPECT_FALSE(q["body"].is_discarded()) << q["raw"];
  }
  ASSERT_EQ(by.size(), 5U);
  const auto order = [](std::vector<json>& v, const std::function<bool(const json&)>& first) {
    std::stable_sort(v.begin(), v.end(),
                     [&](const json& a, const json& b) { return first(a) && !first(b); });
  };

  auto& slack = by["slack"];
  order(slack,
        [](const json& q) { return q["body"]["text"].get<std::string>().starts_with("Firing"); });
  EXPECT_EQ(slack[0]["body"]["text"],
            "Firing: KubePodCrashLooping: Gérer les alertes liées aux applications (slack/main)");
  EXPECT_EQ(slack[0]["body"]["blocks"][2]["text"]["text"],
            R"(&lt;!channel&gt; "quoted" \ [x](https://evil.example))");
  EXPECT_TRUE(slack[0]["body"]["blocks"][3]["elements"][0]["url"].get<std::string>().starts_with(
      "https://racine.example/#/tenants/slack/events?event=evt-"));
  EXPECT_TRUE(slack[1]["body"]["text"].get<std::string>().starts_with("Resolved: "));

  auto& mm = by["mattermost"];
  order(mm, [](const json& q) {
    return q["body"]["text"].get<std::string>().starts_with("#### Décl");
  });
  const std::string text = mm[0]["body"]["text"];
  EXPECT_TRUE(text.starts_with("#### Déclenchée: KubePodCrashLooping: ")) << text;
  EXPECT_NE(text.find(R"(- **Partie**: Client \(Responsable\))"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(\<\!channel\> "quoted" \\ \[x\]\(https://evil.example\))"),
            std::string::npos)
      << text;
  EXPECT_TRUE(mm[1]["body"]["text"].get<std::string>().starts_with("#### Résolue: "))
      << mm[1]["raw"];

  for (const auto& q : by["teams"]) {
    EXPECT_EQ(q["body"]["type"], "message");
    EXPECT_EQ(q["body"]["attachments"][0]["contentType"],
              "application/vnd.microsoft.card.adaptive");
    EXPECT_EQ(q["body"]["attachments"][0]["content"]["type"], "AdaptiveCard");
  }

  auto& pd = by["pagerduty"];
  order(pd, [](const json& q) { return q["body"]["event_action"] == "trigger"; });
  EXPECT_EQ(pd[0]["body"]["routing_key"], "R0UT1NGKEY");
  EXPECT_EQ(pd[0]["body"]["event_action"], "trigger");
  EXPECT_EQ(pd[0]["body"]["payload"]["severity"], "error");
  EXPECT_EQ(pd[0]["body"]["payload"]["custom_details"]["role"], "R");
  EXPECT_EQ(pd[1]["body"]["event_action"], "resolve");
  EXPECT_EQ(pd[0]["body"]["dedup_key"], pd[1]["body"]["dedup_key"]) << "one incident";
  EXPECT_TRUE(pd[0]["body"]["dedup_key"].get<std::string>().starts_with("racine/pagerduty/evt-"));

  auto& desk = by["desk"];
  order(desk, [](const json& q) { return q["body"]["kind"] == "firing"; });
  EXPECT_EQ(desk[0]["method"], "PUT");
  EXPECT_EQ(desk[0]["headers"]["authorization"], "Token s3cret");
  EXPECT_TRUE(desk[0]["headers"]["x-event"].get<std::string>().starts_with("evt-"));
  EXPECT_EQ(desk[0]["body"]["queue"], "Client");
  EXPECT_EQ(desk[0]["body"]["note"], R"(<!channel> "quoted" \ [x](https://evil.example))");
  EXPECT_EQ(desk[1]["body"]["kind"], "resolved");

  // What a listing shows: never a secret (the routing key, a header's value, the token in
  // an incoming webhook's URL).
  const auto listed = [&](const std::string& id) {
    return json::parse(http(port, "GET", "/api/v1/tenants/" + id + "/receivers", admin).body)[0];
  };
  EXPECT_EQ(listed("slack")["url"], sink.url("/..."));
  EXPECT_EQ(listed("pagerduty")["routing_key"], true);
  EXPECT_EQ(listed("pagerduty").dump().find("R0UT1NGKEY"), std::string::npos);
  EXPECT_EQ(listed("template")["headers"], json::array({"Authorization", "X-Event"}));
  EXPECT_EQ(listed("template").dump().find("s3cret"), std::string::npos);
  EXPECT_EQ(listed("mattermost")["lang"], "fr");
}

TEST_P(ReceiverTypesTest, ReceiversAreCheckedWhenSaved) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  tenant(port, admin, "acme", json::array());
  const auto put = [&](const json& body) {
    const auto r = http(port, "PUT", "/api/v1/tenants/acme/receivers/client", admin, body.dump());
    return std::to_string(r.status) + " " + message_of(r.body);
  };
  EXPECT_EQ(put({{"type", "pager"}}),
            "400 type is one of webhook, email, slack, mattermost, teams, pagerduty, template");
  EXPECT_EQ(
      put({{"type", "slack"}, {"url", "https://hooks.slack.com/x"}, {"secret", "s"}}).substr(0, 45),
      "400 unknown key 'secret' for a slack receiver");
  EXPECT_EQ(put({{"type", "pagerduty"}}),
            "400 routing_key is the integration key of a PagerDuty service");
  EXPECT_EQ(put({{"type", "teams"}, {"url", "ftp://x"}}),
            "400 url must be an http:// or https:// URL");
  EXPECT_EQ(put({{"type", "slack"}, {"url", "https://hooks.slack.com/x"}, {"lang", "de"}}),
            "400 lang is \"fr\" or \"en\"");
  EXPECT_EQ(put({{"type", "template"}, {"url", "https://desk.example/"}, {"body", "{{{title}}}"}}),
            "400 body: {{{...}}}, {{&...}} and {{=...=}} are not allowed (every value is escaped)");
  EXPECT_EQ(put({{"type", "template"},
                 {"url", "https://desk.example/"},
                 {"body", "{}"},
                 {"headers", {{"Content-Length", "1"}}}}),
            "400 header 'Content-Length' is set by racine");
  EXPECT_EQ(put({{"type", "template"},
                 {"url", "https://desk.example/"},
                 {"body", "{}"},
                 {"method", "DELETE"}}),
            "400 method is POST, PUT or PATCH");
  EXPECT_EQ(put({{"type", "pagerduty"}, {"routing_key", "k"}}), "201 ");
  const auto listed =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/receivers", admin).body)[0];
  EXPECT_EQ(listed["url"], "https://events.pagerduty.com/v2/enqueue");
  // Nothing refused was kept: the audit has the one receiver saved.
  std::size_t saved = 0;
  for (const auto& e : json::parse(http(port, "GET", "/api/v1/audit?tenant=acme", admin).body))
    saved += e["action"].get<std::string>().starts_with("receiver.") ? 1U : 0U;
  EXPECT_EQ(saved, 1U);
}

INSTANTIATE_TEST_SUITE_P(Engines, ReceiverTypesTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace racine::test

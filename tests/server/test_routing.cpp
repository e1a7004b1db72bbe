// Alert routing end to end (DESIGN.md, "Routing (contract)"), on SQLite and PostgreSQL: a
// real `racine serve`, real webhook receivers (tests/routing/sink.py, one process that
// records every request), alerts posted as Alertmanager posts them. Who gets what under
// each tenant's contract, resolution, escalation and acknowledgement, deduplication,
// payload errors, retries and dead letters, nothing lost across SIGKILL, and two
// instances on one PostgreSQL sending each delivery once.
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "../store/store_engines.h"
#include "engine_test.h"
#include "notify/send.h"
#include "routing_support.h"
#include "server_process.h"
#include "service/outbox.h"
#include "service/service.h"
#include "store/store.h"

namespace racine::test {
namespace {

using RoutingTest = RoutingFixture;

TEST_P(RoutingTest, EachAlertReachesWhomTheContractSays) {
  Sink sink;
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme_tokens =
      tenant(port, admin, "acme", json::array({"infogerance-complementaire"}), "2s");
  const auto globex_tokens = tenant(port, admin, "globex", json::array(), "2s");
  const std::string acme = acme_tokens.first;
  const std::string acme_ingest = acme_tokens.second;
  const std::string globex = globex_tokens.first;
  const std::string globex_ingest = globex_tokens.second;
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/acme")}, {"secret", "acme-secret"}});
  receiver(port, admin, "/api/v1/tenants/globex/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/globex")}});
  receiver(port, admin, "/api/v1/receivers/cloud-temple",
           {{"type", "webhook"}, {"url", sink.url("/provider")}});

  auto r =
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme_ingest,
           payload({alert("p1", "firing", k_platform), alert("a1", "firing", k_application),
                    alert("c1", "firing", k_certificate), alert("g1", "firing", k_unclassified)}));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = json::parse(r.body);
  EXPECT_EQ(answer["received"], 4);
  ASSERT_EQ(answer["events"].size(), 4U);
  for (const auto& e : answer["events"]) EXPECT_EQ(e["outcome"], "created");
  // The same fingerprint at another tenant is another event.
  r = http(port, "POST", "/api/v1/tenants/globex/alertmanager", globex_ingest,
           payload({alert("c1", "firing", k_certificate)}));
  ASSERT_EQ(r.status, 200) << r.body;

  // The client is only Informed of the platform alert: it may not acknowledge it (that
  // would cancel the provider's escalation), and is told why (DESIGN.md, "Who may act").
  const std::string p1 = answer["events"][0]["event"];
  r = http(port, "POST", "/api/v1/tenants/acme/events/" + p1 + "/ack", acme);
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["message"],
            "under contract 'main', Client is only Informed of 'Gérer les alertes liées au "
            "service Kubernetes': only the parties Responsible or Accountable may acknowledge "
            "this alert");
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/acme/events/" + p1, acme).body)["can_acknowledge"],
      false);
  // The provider may: acknowledged at once, the platform alert's escalation never goes.
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/acme/events/" + p1, admin).body)["can_acknowledge"],
      true);
  r = http(port, "POST", "/api/v1/tenants/acme/events/" + p1 + "/ack", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["acknowledged"], true);

  // Everything sent now, and the escalations after 2 s.
  const std::multiset<std::string> expected = {
      // The platform alert: Cloud Temple is R (and A, but acknowledged), the client I.
      "/provider firing R p1", "/acme informed I p1",
      // The application alert: the client is R and A; escalated after 2 s.
      "/acme firing R a1", "/acme escalation A a1",
      // The application certificates are delegated by acme's option: Cloud Temple R and A.
      "/provider firing R c1", "/acme informed I c1", "/provider escalation A c1",
      // No rule: the provider, marked gray zone.
      "/provider firing R g1",
      // globex did not sign the option: its client is R and A, Cloud Temple informed.
      "/globex firing R c1", "/provider informed I c1", "/globex escalation A c1"};
  auto seen =
      sink.wait_for([&](const auto& rs) { return delivered(rs).size() >= expected.size(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // nothing more comes
  seen = sink.requests();
  EXPECT_EQ(delivered(seen), expected);

  for (const auto& q : seen) {
    const auto& b = q["body"];
    EXPECT_EQ(b["racine"], 1);
    EXPECT_EQ(q["content_type"], "application/json");
    EXPECT_EQ(b["delivery"], q["idempotency_key"]);
    EXPECT_EQ(b["gray_zone"], b["alert"]["fingerprint"] == "g1");
    // Signed with the receiver's secret, and only where one is set.
    // The signature covers "<timestamp>.<body>", the timestamp being the send's.
    if (q["path"] == "/acme") {
      const std::string ts = q["timestamp"];
      EXPECT_EQ(q["signature"],
                "sha256=" + hmac_hex("acme-secret", ts + "." + q["raw"].get<std::string>()));
      EXPECT_LE(std::abs(std::stoll(ts) - static_cast<long long>(std::time(nullptr))), 60);
    } else {
      EXPECT_TRUE(q["signature"].is_null());
      EXPECT_TRUE(q["timestamp"].is_null());
    }
    if (b["alert"]["fingerprint"] == "a1" && b["kind"] == "firing") {
      EXPECT_EQ(b["tenant"], "acme");
      EXPECT_EQ(b["contract"], "main");
      EXPECT_EQ(b["party"], "Client");
      EXPECT_EQ(b["activity"], json({{"id", "gerer-les-alertes-liees-aux-applications"},
                                     {"title", "Gérer les alertes liées aux applications"},
                                     {"section", "Surveillance et performance"}}));
      EXPECT_EQ(b["alert"]["labels"], k_application);
      EXPECT_EQ(b["alert"]["annotations"]["summary"], "from the routing test");
      EXPECT_EQ(b["alert"]["startsAt"], "2026-11-30T10:00:00Z");
      EXPECT_EQ(b["alert"]["generatorURL"], "http://prometheus.example/graph");
      EXPECT_TRUE(b["ack_url"].get<std::string>().ends_with(
          "/api/v1/tenants/acme/events/" + b["event"].get<std::string>() + "/ack"));
    }
  }

  // Alertmanager re-sends the group (repeat_interval, or an HA pair): nobody is paged.
  r = http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme_ingest,
           payload({alert("p1", "firing", k_platform), alert("a1", "firing", k_application)}));
  ASSERT_EQ(r.status, 200);
  // (The parsed answer is kept: a range over a member of a temporary would dangle.)
  const json repeated = json::parse(r.body);
  ASSERT_EQ(repeated["events"].size(), 2U);
  for (const auto& e : repeated["events"]) {
    EXPECT_EQ(e["outcome"], "repeat");
    EXPECT_EQ(e["deliveries"], 0);
  }
  // Resolved: the Responsible parties hear it; an alert missing from a group is not
  // resolved (a1 and c1 are left out of this one and stay firing).
  r = http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme_ingest,
           payload({alert("p1", "resolved", k_platform), alert("g1", "resolved", k_unclassified)}));
  ASSERT_EQ(r.status, 200);
  seen = sink.wait_for([&](const auto& rs) { return delivered(rs).size() >= expected.size() + 2; });
  auto now = delivered(seen);
  for (const auto& e : expected) now.erase(now.find(e));
  EXPECT_EQ(now,
            (std::multiset<std::string>{"/provider resolved R p1", "/provider resolved R g1"}));

  // The receiver has a page before the outbox records it sent (a commit shared with
  // whatever else is being written): wait for the records, at most 20 s.
  for (int i = 0; i < 200; ++i) {
    if (http(port, "GET", "/metrics").body.find("racine_outbox_pending 0\n") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The events as the tenant sees them: newest first, with their deliveries.
  r = http(port, "GET", "/api/v1/tenants/acme/events", acme);
  ASSERT_EQ(r.status, 200);
  const auto events = json::parse(r.body);
  ASSERT_EQ(events.size(), 4U);
  std::map<std::string, json> by_fp;
  for (const auto& e : events) by_fp[e["fingerprint"]] = e;
  EXPECT_EQ(events[0]["fingerprint"], "g1");
  EXPECT_EQ(by_fp["p1"]["status"], "resolved");
  EXPECT_EQ(by_fp["p1"]["acknowledged"], true);
  EXPECT_EQ(by_fp["p1"]["repeats"], 1);
  EXPECT_EQ(by_fp["a1"]["status"], "firing");
  EXPECT_EQ(by_fp["a1"]["acknowledged"], false);
  EXPECT_EQ(by_fp["g1"]["gray_zone"], true);
  EXPECT_EQ(by_fp["g1"]["activity"], nullptr);
  std::set<std::string> states;
  for (const auto& d : by_fp["p1"]["deliveries"])
    states.insert(d["kind"].get<std::string>() + ":" + d["state"].get<std::string>());
  EXPECT_EQ(states, (std::set<std::string>{"escalation:cancelled", "firing:sent", "informed:sent",
                                           "resolved:sent"}));
  r = http(port, "GET", "/api/v1/tenants/acme/events?status=firing", acme);
  EXPECT_EQ(json::parse(r.body).size(), 2U);

  // Another tenant's events answer like missing ones; an ingest token cannot read them.
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events", globex).status, 404);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events/" + p1, globex).status, 404);
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/events/" + p1 + "/ack", globex).status, 404);
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", globex_ingest,
                 payload({alert("x", "firing", k_platform)}))
                .status,
            404);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events", acme_ingest).status, 403);

  const std::string metrics = http(port, "GET", "/metrics").body;
  EXPECT_NE(metrics.find("racine_alerts_received_total 9\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("racine_alerts_deduplicated_total 2\n"), std::string::npos);
  EXPECT_NE(metrics.find("racine_alerts_gray_zone_total 2\n"), std::string::npos);
  EXPECT_NE(metrics.find("racine_outbox_pending 0\n"), std::string::npos);
  EXPECT_EQ(s->terminate(), 0);
}

// The contract's routing as an Alertmanager configuration, from the API: what `racine
// export --format alertmanager` writes for the same matrix, party and delay.
TEST_P(RoutingTest, TheContractsRoutingAsAnAlertmanagerConfiguration) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array(), "20m");
  const auto r =
      http(port, "GET", "/api/v1/tenants/acme/contracts/main/matrix?format=alertmanager", acme);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/yaml");
  std::string cli;
  {
    const std::string cmd = std::string(RACINE_BINARY) +
                            " export --format alertmanager --party client --escalate-after 20m";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) cli.append(buf, n);
    ASSERT_EQ(pclose(p), 0);
  }
  EXPECT_EQ(r.body, cli);
  EXPECT_NE(r.body.find("group_wait: 20m"), std::string::npos);
  EXPECT_EQ(
      http(port, "GET", "/api/v1/tenants/acme/contracts/main/matrix?format=alertmanager", ingest)
          .status,
      403);
}

TEST_P(RoutingTest, PayloadsAreCheckedBeforeAnythingIsStored) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto tokens = tenant(port, admin, "acme", json::array());
  const std::string acme = tokens.first;
  const std::string ingest = tokens.second;
  auto error = [&](const std::string& body) {
    const auto r = http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest, body);
    return std::to_string(r.status) + " " + message_of(r.body);
  };
  EXPECT_EQ(error("{}"),
            "400 the body must be an Alertmanager webhook payload (version 4): {\"version\": "
            "\"4\", \"alerts\": [{\"status\", \"labels\", \"startsAt\", ...}]}");
  EXPECT_EQ(error(R"({"version": "3", "alerts": []})"),
            "400 version must be \"4\" (Alertmanager's webhook payload)");
  EXPECT_EQ(error(R"({"alerts": [{"status": "firing", "startsAt": "x"}]})"),
            "400 alerts[0].labels is missing");
  EXPECT_EQ(error(R"({"alerts": [{"status": "firing", "labels": {"a": 1}, "startsAt": "x"}]})"),
            "400 alerts[0].labels.a must be a string");
  EXPECT_EQ(error(payload({alert("ok", "firing", k_platform), alert("b", "pending", k_platform)})),
            "400 alerts[1].status must be \"firing\" or \"resolved\"");
  EXPECT_EQ(error(R"({"alerts": [{"status": "firing", "labels": {}}]})"),
            "400 alerts[0].startsAt must be a time (RFC 3339, such as 2026-12-06T10:42:00Z)");
  EXPECT_EQ(error("not json"), "400 the body is not valid JSON (at byte 2)");
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager?contract=other", ingest,
                 payload({alert("x", "firing", k_platform)}))
                .status,
            404);
  // Nothing of the refused requests was stored (the first alert of a refused batch
  // neither).
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events", acme).body, "[]");
  // The provider's tokens do not post alerts: ingest and tenant tokens do.
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", admin,
                 payload({alert("x", "firing", k_platform)}))
                .status,
            403);
  // Receivers: the shape, and a tenant for its own parties only.
  auto put = [&](const std::string& path, const std::string& tok, const json& body) {
    const auto r = http(port, "PUT", path, tok, body.dump());
    return std::to_string(r.status) + " " + message_of(r.body);
  };
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/client", acme, {{"type", "pager"}}),
            "400 type is one of webhook, email, slack, mattermost, teams, pagerduty, template");
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/client", acme,
                {{"type", "webhook"}, {"url", "file:///etc/passwd"}}),
            "400 url must be an http:// or https:// URL");
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/client", acme,
                {{"type", "email"}, {"to", "a@b.example, c@d.example"}}),
            "400 to must be one email address");
  // Email: only to the domains the provider lists for the tenant.
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/client", acme,
                {{"type", "email"}, {"to", "ops@acme.example"}}),
            "403 'ops@acme.example' is not at a domain the provider allows for this tenant's "
            "email (none: ask the provider to set email_domains)");
  EXPECT_EQ(put("/api/v1/tenants/acme", admin,
                {{"name", "ACME"}, {"email_domains", {"ACME.example", "acme.example"}}}),
            "200 ");
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/client", acme,
                {{"type", "email"}, {"to", "boss@elsewhere.example"}}),
            "403 'boss@elsewhere.example' is not at a domain the provider allows for this "
            "tenant's email (acme.example)");
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/client", acme,
                {{"type", "email"}, {"to", "ops@acme.example"}}),
            "201 ");
  EXPECT_EQ(put("/api/v1/receivers/client", acme, {{"type", "email"}, {"to", "x@y.example"}}),
            "403 a tenant token cannot do this");
  // Its own party only: a receiver for Cloud Temple would divert the provider's pages.
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/cloud-temple", acme,
                {{"type", "webhook"}, {"url", "http://127.0.0.1:9/x"}}),
            "403 a tenant sets the receivers of its own party only ('client')");
  EXPECT_EQ(put("/api/v1/tenants/acme/receivers/cloud-temple", admin,
                {{"type", "webhook"}, {"url", "http://127.0.0.1:9/x"}}),
            "201 ");
  // ... and sees those only.
  EXPECT_EQ(
      http(port, "GET", "/api/v1/tenants/acme/receivers", acme).body,
      R"([{"party":"client","type":"email","to":"ops@acme.example","lang":"en","health":{"recent":0,"sent":0,"pending":0,"dead":0,"last_success":null,"last_failure":null,"circuit":"closed"}}])");
  EXPECT_EQ(json::parse(http(port, "GET", "/api/v1/tenants/acme/receivers", admin).body).size(),
            2U);
  // Secrets are never shown again.
  EXPECT_EQ(put("/api/v1/receivers/cloud-temple", admin,
                {{"type", "webhook"}, {"url", "http://127.0.0.1:9/x"}, {"secret", "s"}}),
            "201 ");
  const auto listed = http(port, "GET", "/api/v1/receivers", admin);
  EXPECT_EQ(
      listed.body,
      R"([{"party":"cloud-temple","type":"webhook","url":"http://127.0.0.1:9/x","secret":true,"lang":"en"}])");
  EXPECT_EQ(s->terminate(), 0);
}

TEST_P(RoutingTest, AFailingReceiverIsRetriedThenDeadLetteredAndDelaysNoOther) {
  Sink healthy;
  Sink flaky({"--fail-first", "2"});
  Sink slow({"--delay", "3"});
  auto s = start({"--retry-max-age", "4s", "--delivery-timeout", "1s"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  const auto globex = tenant(port, admin, "globex", json::array());
  const auto initech = tenant(port, admin, "initech", json::array());
  // acme's client takes everything; Cloud Temple's receiver is a closed port (nothing
  // listens on port 9 of the loopback): retried, then dead. globex's client fails twice
  // per delivery, then takes it.
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", healthy.url("/acme")}});
  receiver(port, admin, "/api/v1/tenants/globex/receivers/client",
           {{"type", "webhook"}, {"url", flaky.url("/globex")}});
  receiver(port, admin, "/api/v1/receivers/cloud-temple",
           {{"type", "webhook"}, {"url", "http://127.0.0.1:9/closed"}});
  // initech's client answers after 3 s, past the 1-second timeout of an attempt.
  receiver(port, admin, "/api/v1/tenants/initech/receivers/client",
           {{"type", "webhook"}, {"url", slow.url("/initech")}});
  auto r = http(port, "POST", "/api/v1/tenants/initech/alertmanager", initech.second,
                payload({alert("a1", "firing", k_application)}));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string slow_event = json::parse(r.body)["events"][0]["event"];
  r = http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
           payload({alert("p1", "firing", k_platform), alert("a1", "firing", k_application)}));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string event = json::parse(r.body)["events"][0]["event"];
  r = http(port, "POST", "/api/v1/tenants/globex/alertmanager", globex.second,
           payload({alert("a1", "firing", k_application)}));
  ASSERT_EQ(r.status, 200) << r.body;
  // acme's client gets its two deliveries while Cloud Temple's keeps failing.
  const auto got =
      healthy.wait_for([](const auto& rs) { return rs.size() >= 2; }, std::chrono::seconds(5));
  EXPECT_EQ(delivered(got),
            (std::multiset<std::string>{"/acme informed I p1", "/acme firing R a1"}));
  // globex's on the third attempt, with one Idempotency-Key.
  const auto seen = flaky.wait_for([](const auto& rs) { return rs.size() >= 3; });
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0]["status"], 500);
  EXPECT_EQ(seen[1]["status"], 500);
  EXPECT_EQ(seen[2]["status"], 200);
  EXPECT_EQ(seen[0]["idempotency_key"], seen[2]["idempotency_key"]);
  // After the maximum age (4 s), Cloud Temple's delivery is dead, counted and shown.
  json firing;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    // The provider's roles read the transport's detail.
    const auto e =
        json::parse(http(port, "GET", "/api/v1/tenants/acme/events/" + event, admin).body);
    for (const auto& d : e["deliveries"]) {
      if (d["kind"] == "firing") firing = d;
    }
    if (firing["state"] == "dead") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(firing["state"], "dead");
  EXPECT_GE(firing["attempts"].get<int>(), 2);
  EXPECT_TRUE(firing["last_error"].get<std::string>().starts_with("Couldn't connect"))
      << firing["last_error"];
  // The tenant reads only whether the receiver answered.
  const auto seen_by_tenant =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/events/" + event, acme.first).body);
  for (const auto& d : seen_by_tenant["deliveries"]) {
    if (d["kind"] == "firing") {
      EXPECT_EQ(d["last_error"], "unreachable");
    }
  }
  // The slow receiver's delivery timed out on every attempt: dead too.
  json timed_out;
  while (Clock::now() < deadline) {
    const auto e =
        json::parse(http(port, "GET", "/api/v1/tenants/initech/events/" + slow_event, admin).body);
    for (const auto& d : e["deliveries"]) {
      if (d["kind"] == "firing") timed_out = d;
    }
    if (timed_out["state"] == "dead") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(timed_out["state"], "dead");
  EXPECT_TRUE(timed_out["last_error"].get<std::string>().starts_with("Timeout was reached"))
      << timed_out["last_error"];
  const std::string metrics = http(port, "GET", "/metrics").body;
  EXPECT_NE(metrics.find("racine_outbox_dead 2\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("racine_deliveries_total{outcome=\"dead\"} 2\n"), std::string::npos);
  EXPECT_EQ(s->terminate(), 0);
}

// A receiver's backlog is claimed a few at a time, not one claim per delivery: each claim
// takes --delivery-claim-ahead (4) more than the receiver may have in flight, and a send
// that ends takes the next held one at once. Here one in flight: a claim per five.
TEST_P(RoutingTest, AReceiversBacklogIsClaimedFiveAtATime) {
  Sink sink;
  auto s = start({"--delivery-per-receiver", "1"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/acme")}});
  const auto claims = [&] { return metric(port, "racine_outbox_claims_total"); };
  std::vector<json> storm;
  for (int i = 0; i < 20; ++i)
    storm.push_back(alert(fmt::format("s{}", i), "firing", k_application));
  const long long before = claims();
  const auto started = Clock::now();
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second, payload(storm)).status,
      200);
  const auto seen = sink.wait_for([](const auto& rs) { return rs.size() >= 20; });
  const long long claimed = claims() - before;
  const long long elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  std::set<std::string> pages;
  for (const auto& r : seen) pages.insert(r["body"]["alert"]["fingerprint"].get<std::string>());
  EXPECT_EQ(seen.size(), 20U);
  EXPECT_EQ(pages.size(), 20U);
  // Four claims that take five, each followed by one that finds nothing more, and one
  // after the last send (9 here), with one to spare and the idle dispatcher's looks, one
  // per 500 ms. A claim per delivery (--delivery-claim-ahead 0) made 41.
  EXPECT_LE(claimed, 10 + elapsed / 500 + 1) << "claims for 20 deliveries in " << elapsed << " ms";
  std::printf("claim ahead: %lld claims for 20 deliveries to one receiver, in %lld ms\n", claimed,
              elapsed);
  EXPECT_EQ(s->terminate(), 0);
}

// A held escalation that an acknowledgement cancelled is not sent: before it sends a held
// delivery of a kind an acknowledgement or a resolution cancels, the sender reads it
// again (the acknowledgement may have come to another instance).
TEST_P(RoutingTest, AHeldEscalationThatAnAcknowledgementCancelledIsNotSent) {
  const Arrivals arrivals(std::string("held-") + GetParam());
  Sink sink({"--delay", "0.7", "--arrivals", arrivals.path()});
  auto s = start({"--delivery-per-receiver", "1"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array(), "1s");
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/acme")}});
  // Two application alerts: the client is R (paged now, 0.7 s each) and A (the
  // escalations, due a second later, claimed together: one sent, the other held; the
  // acknowledgement has the 0.7 s of the first's send, under the second it may be held).
  const auto r =
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
           payload({alert("e1", "firing", k_application), alert("e2", "firing", k_application)}));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto keys = [&] { return arrivals.keys(); };
  for (const auto deadline = Clock::now() + std::chrono::seconds(15);
       keys().size() < 3 && Clock::now() < deadline;)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto arrived = keys();
  ASSERT_EQ(arrived.size(), 3U);
  // The escalation being sent, and the other event's, held: acknowledged now.
  std::string held_event;
  std::string held_escalation;
  std::string escalated;  // the fingerprint of the alert whose escalation is being sent
  const auto answer = json::parse(r.body);
  for (const auto& e : answer["events"]) {
    const std::string id = e["event"];
    const auto event =
        json::parse(http(port, "GET", "/api/v1/tenants/acme/events/" + id, acme.first).body);
    for (const auto& d : event["deliveries"]) {
      if (d["kind"] != "escalation") continue;
      if (d["id"] == arrived[2]) {
        escalated = event["fingerprint"];
      } else {
        held_event = id;
        held_escalation = d["id"];
      }
    }
  }
  ASSERT_FALSE(escalated.empty()) << "the third arrival is not an escalation: " << arrived[2];
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/events/" + held_event + "/ack", acme.first).status,
      200);
  // The first escalation answered; the held one, promoted then, read again and dropped.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(keys().size(), 3U);
  EXPECT_EQ(delivered(sink.requests()),
            (std::multiset<std::string>{"/acme firing R e1", "/acme firing R e2",
                                        "/acme escalation A " + escalated}));
  const auto event =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/events/" + held_event, acme.first).body);
  for (const auto& d : event["deliveries"])
    if (d["id"] == held_escalation) {
      EXPECT_EQ(d["state"], "cancelled");
    }
  EXPECT_EQ(s->terminate(), 0);
}

TEST_P(RoutingTest, NoAcknowledgedAlertIsLostWhenKilled) {
  Sink sink;
  auto s = start({"--delivery-lease", "2s"});
  const std::string admin = s->admin_token();
  const std::string ingest = tenant(s->port(), admin, "acme", json::array()).second;
  receiver(s->port(), admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/client")}});
  receiver(s->port(), admin, "/api/v1/receivers/cloud-temple",
           {{"type", "webhook"}, {"url", sink.url("/provider")}});
  // Four senders post batches of application alerts (one R delivery each, to the
  // client) until racine is killed.
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  const auto port = s->port();
  for (int c = 0; c < 4; ++c) {
    senders.emplace_back([&, c] {
      for (int i = 0; i < 300 && !stop; ++i) {
        std::vector<json> alerts;
        for (int k = 0; k < 5; ++k) {
          json labels = k_application;
          labels["pod"] = fmt::format("p{}-{}-{}", c, i, k);
          alerts.push_back(alert(fmt::format("f{}-{}-{}", c, i, k), "firing", labels));
        }
        const auto r = http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                            payload(alerts), "application/json");
        if (r.status != 200) continue;
        std::lock_guard<std::mutex> lock(mutex);
        for (const auto& a : alerts) acknowledged.insert(a["fingerprint"].get<std::string>());
      }
    });
  }
  std::mt19937 gen{std::random_device{}()};
  std::this_thread::sleep_for(std::chrono::milliseconds(400 + gen() % 600));
  s->kill_now();
  stop = true;
  for (auto& t : senders) t.join();
  ASSERT_GT(acknowledged.size(), 0U);

  auto again = start({"--delivery-lease", "2s"});
  // Every acknowledged alert reaches the client exactly once after deduplication by
  // Idempotency-Key (a delivery in flight at the kill may arrive twice, with one key).
  // (Alerts committed whose answer the kill cut off may come too: they are not counted.)
  const auto seen = sink.wait_for(
      [&](const std::vector<json>& rs) {
        std::set<std::string> got;
        for (const auto& r : rs) {
          if (r["status"] == 200) got.insert(r["body"]["alert"]["fingerprint"].get<std::string>());
        }
        return std::includes(got.begin(), got.end(), acknowledged.begin(), acknowledged.end());
      },
      std::chrono::seconds(60));
  std::map<std::string, int> per_alert;
  std::map<std::string, std::string> key_of;
  for (const auto& r : seen) {
    if (r["status"] != 200) continue;
    const std::string fp = r["body"]["alert"]["fingerprint"];
    const std::string key = r["idempotency_key"];
    if (key_of.count(fp) != 0U) {
      EXPECT_EQ(key_of[fp], key) << "two deliveries for one alert and role: " << fp;
      continue;
    }
    key_of[fp] = key;
    ++per_alert[fp];
  }
  for (const auto& fp : acknowledged) EXPECT_EQ(per_alert[fp], 1) << fp;
  EXPECT_EQ(again->terminate(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, RoutingTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

// Two instances on one PostgreSQL share the outbox: each delivery is sent by one of
// them (FOR UPDATE SKIP LOCKED), whichever received the alert.
TEST(RoutingPostgresql, TwoInstancesSendEachDeliveryOnce) {
  const std::string where = fresh_store("postgresql");
  if (where.empty()) {
    if (!under_ci()) GTEST_SKIP() << "no private PostgreSQL server";
    FAIL() << "no PostgreSQL";
  }
  Sink sink;
  ServerProcess one(RACINE_BINARY, {"--database", where, "--rate-limit", "0"});
  ServerProcess two(RACINE_BINARY, {"--database", where, "--rate-limit", "0"});
  const std::string admin = one.admin_token().empty() ? two.admin_token() : one.admin_token();
  ASSERT_FALSE(admin.empty());
  ASSERT_EQ(http(one.port(), "PUT", "/api/v1/tenants/acme", admin, R"({"name": "acme"})").status,
            201);
  ASSERT_EQ(http(one.port(), "PUT", "/api/v1/tenants/acme/contracts/main", admin,
                 R"({"matrix": "managed-kubernetes", "version": 1, "party": "client"})")
                .status,
            201);
  ASSERT_EQ(http(one.port(), "PUT", "/api/v1/receivers/client", admin,
                 json{{"type", "webhook"}, {"url", sink.url("/client")}}.dump())
                .status,
            201);
  const auto t = http(one.port(), "POST", "/api/v1/tokens", admin,
                      R"({"role": "ingest", "tenant": "acme", "name": "am"})");
  const std::string ingest = json::parse(t.body)["token"];
  std::set<std::string> posted;
  for (int i = 0; i < 40; ++i) {
    std::vector<json> alerts;
    for (int k = 0; k < 5; ++k) {
      json labels = k_application;
      labels["pod"] = fmt::format("p{}-{}", i, k);
      alerts.push_back(alert(fmt::format("f{}-{}", i, k), "firing", labels));
      posted.insert(fmt::format("f{}-{}", i, k));
    }
    const auto port = i % 2 == 0 ? one.port() : two.port();
    ASSERT_EQ(
        http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest, payload(alerts)).status,
        200);
  }
  const auto seen = sink.wait_for([&](const auto& rs) { return rs.size() >= posted.size(); });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  std::map<std::string, int> keys;
  for (const auto& r : sink.requests()) ++keys[r["idempotency_key"].get<std::string>()];
  EXPECT_EQ(keys.size(), posted.size());
  for (const auto& [k, n] : keys) EXPECT_EQ(n, 1) << k << " was sent " << n << " times";
  (void)seen;
  EXPECT_EQ(one.terminate(), 0);
  EXPECT_EQ(two.terminate(), 0);
}

// The outbox's pieces that need no server.
TEST(Outbox, BackoffIsFullJitterUnderADoublingCap) {
  using service::backoff_ms;
  EXPECT_EQ(backoff_ms(1, 1000, 300000, 0), 0);
  EXPECT_EQ(backoff_ms(1, 1000, 300000, 1000), 1000);
  EXPECT_EQ(backoff_ms(1, 1000, 300000, 1001), 0);
  EXPECT_EQ(backoff_ms(3, 1000, 300000, 4000), 4000);  // cap 4 s at the third
  EXPECT_EQ(backoff_ms(3, 1000, 300000, 4001), 0);
  EXPECT_EQ(backoff_ms(40, 1000, 300000, 300000), 300000);  // never past the maximum
  EXPECT_EQ(backoff_ms(40, 1000, 300000, 300001), 0);
}

TEST(Outbox, SignatureAndRetryAfter) {
  EXPECT_EQ(notify::hmac_sha256_hex("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  EXPECT_EQ(notify::parse_retry_after("120", 0), 120000);
  EXPECT_EQ(notify::parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40), 60000);
  EXPECT_EQ(notify::parse_retry_after("soon", 0), std::nullopt);
  EXPECT_EQ(service::duration_ms("1h30m"), 5400000);
  EXPECT_EQ(service::duration_ms("15m"), 900000);
  EXPECT_EQ(service::duration_ms("15"), std::nullopt);
  EXPECT_EQ(service::duration_ms("m"), std::nullopt);
}

}  // namespace
}  // namespace racine::test

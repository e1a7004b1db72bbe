// Receiver types end to end (DESIGN.md, "Receiver types"; docs/routing.md), on SQLite and
// PostgreSQL: a real `racine serve` delivering a firing and a resolved alert to a Slack,
// a Mattermost, a Teams, a PagerDuty and a templated receiver, each a loopback sink
// (tests/routing/sink.py) standing for the vendor; what each got is the vendor's shape,
// in the receiver's language; receivers are checked when saved and their secrets never
// read back.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "engine_test.h"
#include "routing_support.h"
#include "server_process.h"
#include "service/service.h"
#include "store/store.h"

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
  // The client is Responsible: its first button acknowledges, the next opens the event.
  EXPECT_EQ(slack[0]["body"]["blocks"][3]["elements"][0]["text"]["text"], "Acknowledge");
  EXPECT_TRUE(slack[0]["body"]["blocks"][3]["elements"][1]["url"].get<std::string>().starts_with(
      "https://racine.example/#/tenants/slack/events?event=evt-"));
  EXPECT_TRUE(slack[1]["body"]["text"].get<std::string>().starts_with("Resolved: "));

  auto& mm = by["mattermost"];
  order(mm, [](const json& q) {
    return q["body"]["text"].get<std::string>().starts_with("#### Décl");
  });
  const std::string text = mm[0]["body"]["text"];
  EXPECT_TRUE(text.starts_with("#### Déclenchée\u202f: KubePodCrashLooping\u202f: ")) << text;
  EXPECT_NE(text.find("- **Partie**\u202f: "
                      R"(Client \(Responsable\))"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(\<\!channel\> "quoted" \\ \[x\]\(https://evil.example\))"),
            std::string::npos)
      << text;
  EXPECT_TRUE(mm[1]["body"]["text"].get<std::string>().starts_with("#### Résolue\u202f: "))
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

// A maintenance window (docs/routing.md): an alert that starts inside it is recorded and
// shown with the window, not paged; still firing when the window ends, it is paged then
// (its escalation as long after); resolved inside it, nobody hears of it. Ending a window
// early releases what it held at once. Windows are checked and audited.
TEST_P(ReceiverTypesTest, AMaintenanceWindowHoldsPagesUntilItEnds) {
  Sink sink;
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array(), "2s");
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/acme")}});
  receiver(port, admin, "/api/v1/receivers/cloud-temple",
           {{"type", "webhook"}, {"url", sink.url("/provider")}});
  const std::string windows = "/api/v1/tenants/acme/contracts/main/maintenance";
  const auto at = [](std::int64_t from_now_ms) {
    return store::rfc3339_of_ms(store::now_ms() + from_now_ms);
  };
  // Refused: no end, an end before the start, too long, from an ingest token.
  EXPECT_EQ(message_of(http(port, "POST", windows, acme, json{{"reason", "x"}}.dump()).body),
            "the body is {\"starts\"?: \"2026-12-06T22:00:00Z\" (default: now), \"ends\": "
            "\"2026-12-07T02:00:00Z\", \"reason\": \"...\"}");
  EXPECT_EQ(message_of(http(port, "POST", windows, acme,
                            json{{"ends", at(-60000)}, {"reason", "x"}}.dump())
                           .body),
            "ends must come after starts (and after now)");
  EXPECT_EQ(message_of(http(port, "POST", windows, acme,
                            json{{"ends", at(32LL * 86400000)}, {"reason", "x"}}.dump())
                           .body),
            "a maintenance window lasts at most 31 days");
  EXPECT_EQ(
      http(port, "POST", windows, ingest, json{{"ends", at(60000)}, {"reason", "x"}}.dump()).status,
      403);

  // A window of 3 s, set by the client.
  auto r = http(port, "POST", windows, acme,
                json{{"ends", at(3000)}, {"reason", "node upgrade"}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const auto window = json::parse(r.body);
  EXPECT_EQ(window["active"], true);
  EXPECT_EQ(window["by"], "tenant");
  const std::int64_t ends = *service::ms_of_rfc3339(window["ends"].get<std::string>());
  // Inside it: a1 keeps firing; a2 fires and resolves.
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
           payload({alert("a1", "firing", k_application), alert("a2", "firing", k_certificate)}))
          .status,
      200);
  auto a2 = alert("a2", "resolved", k_certificate);
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest, payload({a2})).status,
            200);
  const auto events = json::parse(http(port, "GET", "/api/v1/tenants/acme/events", acme).body);
  ASSERT_EQ(events.size(), 2U);
  for (const auto& e : events) {
    EXPECT_EQ(e["maintenance"]["reason"], "node upgrade");
    if (e["fingerprint"] == "a1") {
      ASSERT_EQ(e["deliveries"].size(), 2U) << e.dump();
      for (const auto& d : e["deliveries"]) {
        EXPECT_EQ(d["held"]["reason"], "maintenance");
        EXPECT_EQ(d["held"]["window"], window["id"]);
      }
    } else {
      // The client's window holds the client's pages, not the provider's (Informed here).
      for (const auto& d : e["deliveries"]) {
        if (d["party"] == "client") {
          EXPECT_EQ(d["state"], "cancelled") << e.dump();
        } else {
          EXPECT_NE(d["state"], "cancelled") << e.dump();
        }
      }
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(delivered(sink.requests()), (std::multiset<std::string>{"/provider informed I a2"}))
      << "nothing paged to the client inside its window";
  // After it: a1's firing at its end, its escalation 2 s later; a2 never.
  auto seen = sink.wait_for([](const auto& rs) { return rs.size() >= 3; });
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(delivered(seen),
            (std::multiset<std::string>{"/provider informed I a2", "/acme firing R a1",
                                        "/acme escalation A a1"}));
  for (const auto& q : seen) {
    if (q["path"] == "/provider") continue;
    const auto got = static_cast<std::int64_t>(q["received_at"].get<double>() * 1000);
    EXPECT_GE(got, ends - 200) << q["body"]["kind"];
    if (q["body"]["kind"] == "escalation") {
      EXPECT_GE(got, ends + 1800);
    }
  }

  // A window ended early: what it held goes at once.
  r = http(port, "POST", windows, admin, json{{"ends", at(3600000)}, {"reason", "long"}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = json::parse(r.body)["id"];
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                 payload({alert("a3", "firing", k_application)}))
                .status,
            200);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(sink.requests().size(), 3U);
  EXPECT_EQ(http(port, "DELETE", windows + "/" + id, acme).status, 200);
  EXPECT_EQ(http(port, "DELETE", windows + "/" + id, acme).status, 404) << "over";
  seen = sink.wait_for([](const auto& rs) { return rs.size() >= 4; }, std::chrono::seconds(5));
  EXPECT_EQ(delivered(seen).count("/acme firing R a3"), 1U);
  // Listed (ended ones too, for 30 days), and audited by name.
  const auto listed = json::parse(http(port, "GET", windows, acme).body);
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[1]["active"], false);
  std::vector<std::string> audit;
  for (const auto& e : json::parse(http(port, "GET", "/api/v1/audit?tenant=acme", admin).body))
    if (e["action"].get<std::string>().starts_with("maintenance."))
      audit.push_back(e["by"].get<std::string>() + " " + e["action"].get<std::string>());
  EXPECT_EQ(audit,
            (std::vector<std::string>{"tenant maintenance.end", "first admin maintenance.create",
                                      "tenant maintenance.create"}));
}

// Pages a maintenance window holds wake nothing: the outbox finds them at its regular
// looks (every 500 ms while idle), not once per request (a storm under a window made a
// claim in the store per request, each finding nothing due). A page due now still goes
// at once.
TEST_P(ReceiverTypesTest, HeldPagesDoNotWakeTheOutbox) {
  Sink sink;
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array());
  const auto client_receiver = [&](const std::string& tenant_id) {
    receiver(port, admin, "/api/v1/tenants/" + tenant_id + "/receivers/client",
             {{"type", "webhook"}, {"url", sink.url("/" + tenant_id)}});
  };
  client_receiver("acme");
  const auto r =
      http(port, "POST", "/api/v1/tenants/acme/contracts/main/maintenance", acme,
           json{{"ends", store::rfc3339_of_ms(store::now_ms() + 3600000)}, {"reason", "upgrade"}}
               .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const auto claims = [&] { return metric(port, "racine_outbox_claims_total"); };
  const auto started = std::chrono::steady_clock::now();
  const long long before = claims();
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                   payload({alert("held-" + std::to_string(i), "firing", k_application)}))
                  .status,
              200);
  }
  const long long looked = claims() - before;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  EXPECT_LE(looked, elapsed / 500 + 2)
      << "claims while 40 held alerts came, in " << elapsed << " ms";
  EXPECT_TRUE(sink.requests().empty());
  // Another tenant, no window: its pages are due now and go at once, woken, not at the
  // next look. One at a time; the median from the POST to the receiver under 100 ms
  // (found by the looks alone, each waited 450 to 500 ms: one alert after another, a
  // look every 500 ms).
  const auto [globex, globex_ingest] = tenant(port, admin, "globex", json::array());
  client_receiver("globex");
  std::vector<double> waited_ms;
  for (std::size_t i = 0; i < 8; ++i) {
    const double posted =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    ASSERT_EQ(http(port, "POST", "/api/v1/tenants/globex/alertmanager", globex_ingest,
                   payload({alert("now-" + std::to_string(i), "firing", k_application)}))
                  .status,
              200);
    const auto seen = sink.wait_for([&](const auto& rs) { return rs.size() > i; });
    ASSERT_EQ(seen.size(), i + 1);
    EXPECT_EQ(seen.back()["body"]["alert"]["fingerprint"], "now-" + std::to_string(i));
    waited_ms.push_back((seen.back()["received_at"].get<double>() - posted) * 1000);
  }
  std::sort(waited_ms.begin(), waited_ms.end());
  EXPECT_LT(waited_ms[4], 100.0) << "from the POST to the receiver, ms: " << waited_ms[0] << " to "
                                 << waited_ms[7];
  EXPECT_GE(claims() - before, looked + 8);
}

// base64url without padding (an acknowledgement token's claim).
std::string b64url(const std::string& s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (auto& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

// The acknowledgement link (docs/routing.md): sent with the deliveries of a party that may
// acknowledge (R firing, A escalation), never with an Informed one; GET asks, POST
// acknowledges once and names the party; a replay, a tampered or expired link, and a
// link signed for a party only Informed are refused with a page saying why.
TEST_P(ReceiverTypesTest, AnAcknowledgementLinkActsOnceForAPartyThatMay) {
  Sink sink;
  auto s = start({"--public-url", "https://racine.example", "--ack-link-ttl", "3s"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/acme")}});
  receiver(port, admin, "/api/v1/receivers/cloud-temple",
           {{"type", "slack"}, {"url", sink.url("/provider")}});
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                 payload({alert("a1", "firing", k_application), alert("p1", "firing", k_platform)}))
                .status,
            200);
  const auto seen = sink.wait_for([](const auto& rs) { return rs.size() >= 3; });
  ASSERT_EQ(seen.size(), 3U);
  std::string link;
  std::string informed_delivery;
  std::string event;
  for (const auto& q : seen) {
    if (q["path"] == "/provider") {
      // The provider is Responsible for p1: its Slack message's first button acknowledges.
      EXPECT_EQ(q["body"]["blocks"][3]["elements"][0]["text"]["text"], "Acknowledge");
      EXPECT_TRUE(q["body"]["blocks"][3]["elements"][0]["url"].get<std::string>().starts_with(
          "https://racine.example/ack/v1."));
    } else if (q["body"]["kind"] == "informed") {
      EXPECT_FALSE(q["body"].contains("ack_link")) << "an Informed party may not acknowledge";
      informed_delivery = q["body"]["delivery"];
    } else {
      link = q["body"]["ack_link"];
      event = q["body"]["event"];
    }
  }
  ASSERT_TRUE(link.starts_with("https://racine.example/ack/v1.")) << link;
  const std::string path = link.substr(std::string("https://racine.example").size());
  const auto message = [](const std::string& page) {
    const auto a = page.find("<p id=\"ack-message\">");
    return a == std::string::npos ? page : page.substr(a + 20, page.find("</p>", a) - a - 20);
  };
  auto r = http(port, "GET", path);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(message(r.body), "Acknowledge this alert for Client? Its escalation stops.");
  EXPECT_NE(r.body.find("<form method=\"post\">"), std::string::npos);
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/acme/events/" + event, acme).body)["acknowledged"],
      false)
      << "reading the page acknowledges nothing (a link preview reads it)";
  // Tampered: one character of the signature, one of the claim.
  std::string bad = path;
  bad.back() = bad.back() == '0' ? '1' : '0';
  EXPECT_EQ(message(http(port, "POST", bad).body), "This link is not valid.");
  bad = path;
  bad[12] = bad[12] == 'A' ? 'B' : 'A';
  EXPECT_EQ(http(port, "POST", bad).status, 403);
  // Used: acknowledged by the party, named in the event and the audit.
  r = http(port, "POST", path);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(message(r.body), "Acknowledged for Client: its escalation is stopped.");
  const auto acked =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/events/" + event, acme).body);
  EXPECT_EQ(acked["acknowledged"], true);
  EXPECT_EQ(acked["acknowledged_by"], "Client (acknowledgement link)");
  for (const auto& d : acked["deliveries"]) {
    if (d["kind"] == "escalation") {
      EXPECT_EQ(d["state"], "cancelled");
    }
  }
  const auto audit = json::parse(http(port, "GET", "/api/v1/audit?tenant=acme", admin).body);
  EXPECT_EQ(audit[0]["action"], "event.ack");
  EXPECT_EQ(audit[0]["by"], "Client (acknowledgement link)");
  // Replayed: nothing changes, and the page says by whom and when.
  r = http(port, "POST", path);
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(
      message(r.body).starts_with("Already acknowledged, by Client (acknowledgement link) at "))
      << r.body;
  // Signed with the server's own key, but for the Informed party's delivery: refused.
  const auto store = store::Store::open(where, 1);
  const std::string key = store->setting("ack_link_key", [] { return std::string("unused"); });
  const std::string p1 = [&] {
    for (const auto& e : json::parse(http(port, "GET", "/api/v1/tenants/acme/events", acme).body))
      if (e["fingerprint"] == "p1") return e["id"].get<std::string>();
    return std::string();
  }();
  const std::string claim = "v1." + b64url(json{
                                        {"t", "acme"},
                                        {"e", p1},
                                        {"d", informed_delivery},
                                        {"x", std::time(nullptr) + 60},
                                        {"l",
                                         "fr"}}.dump());
  r = http(port, "POST", "/ack/" + claim + "." + hmac_hex(key, claim));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message(r.body),
            "Seules les parties Responsables ou Approbatrices peuvent acquitter cette alerte.");
  EXPECT_NE(r.body.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_EQ(json::parse(
                http(port, "GET", "/api/v1/tenants/acme/events/" + p1, acme).body)["acknowledged"],
            false);
  // Expired (3 s here): refused, pointing to the events page.
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  r = http(port, "GET", path);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message(r.body),
            "This link has expired: acknowledge the alert from racine&#39;s events page.");
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer") << "the token stays out of any Referer";
  EXPECT_EQ(r.header("cache-control"), "no-store");
}

// Working hours (docs/routing.md): a party whose rules say to wait outside its hours gets
// a warning at its next working start, a critical alert at once; the escalation's delay
// counts in its working time. Only the party's own side may set its rules.
TEST_P(ReceiverTypesTest, APageOutsideWorkingHoursWaitsUnlessCritical) {
  Sink sink;
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array(), "2s");
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/acme")}});
  // Hours on one day only, three days from now, 09:00-12:00 UTC.
  const std::int64_t day = 86400000;
  const std::int64_t in3 = (store::now_ms() / day + 3) * day;
  static const char* k_days[] = {"thu", "fri", "sat", "sun", "mon", "tue", "wed"};  // 1970-01-01
  const std::string weekday = k_days[(in3 / day) % 7];
  const json rules = {
      {"timezone", "UTC"},
      {"hours", {{weekday, "09:00-12:00"}}},
      {"severities",
       {{"critical", {{"outside_hours", "page"}}},
        {"default", {{"outside_hours", "wait"}, {"escalate_after", "1h"}, {"count", "working"}}}}}};
  const std::string path = "/api/v1/tenants/acme/contracts/main/oncall/";
  auto r = http(port, "PUT", path + "client", acme, rules.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["in_hours_now"], false);
  EXPECT_EQ(json::parse(r.body)["next_working"], store::rfc3339_of_ms(in3 + 9 * 3600000));
  EXPECT_EQ(json::parse(r.body)["by"], "tenant");
  r = http(port, "PUT", path + "cloud-temple", acme, rules.dump());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r.body), "a tenant sets the on-call rules of its own party only ('client')");
  EXPECT_EQ(
      message_of(
          http(port, "PUT", path + "client", acme, json{{"hours", {{"mon", "9-18"}}}}.dump()).body),
      "hours.mon[0]: a range HH:MM-HH:MM within the day (\"09:00-18:00\", \"22:00-24:00\")");
  EXPECT_EQ(http(port, "PUT", path + "nobody", admin, rules.dump()).status, 404);

  auto warning = alert("w1", "firing", k_application);
  warning["labels"]["severity"] = "warning";
  auto critical = alert("c1", "firing", k_application);
  critical["labels"]["severity"] = "critical";
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest, payload({warning, critical}))
          .status,
      200);
  const auto seen = sink.wait_for([](const auto& rs) { return !rs.empty(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(delivered(sink.requests()), (std::multiset<std::string>{"/acme firing R c1"}))
      << "the critical page goes at once, the warning waits";
  for (const auto& e : json::parse(http(port, "GET", "/api/v1/tenants/acme/events", acme).body)) {
    if (e["fingerprint"] != "w1") continue;
    ASSERT_EQ(e["deliveries"].size(), 2U) << e.dump();
    for (const auto& d : e["deliveries"]) {
      EXPECT_EQ(d["held"]["reason"], "outside_hours");
      EXPECT_EQ(d["held"]["party"], "client");
      // The page at the start of the hours; its escalation one working hour later.
      EXPECT_EQ(d["next_attempt"],
                store::rfc3339_of_ms(in3 + (d["kind"] == "firing" ? 9 : 10) * 3600000))
          << d.dump();
    }
  }
  EXPECT_EQ(json::parse(http(port, "GET", "/api/v1/tenants/acme/contracts/main/oncall", acme).body)
                .size(),
            1U);
  EXPECT_EQ(http(port, "DELETE", path + "client", acme).status, 200);
  EXPECT_EQ(http(port, "DELETE", path + "client", acme).status, 404);
}

// A fallback receiver takes a party's deliveries after `fallback_after` failed attempts;
// the event says which receiver delivered; a listing shows the fallback without secrets.
TEST_P(ReceiverTypesTest, AFallbackTakesOverAfterFailures) {
  Sink sink;
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"},
            {"url", "http://127.0.0.1:9/closed"},
            {"fallback", {{"type", "webhook"}, {"url", sink.url("/fallback")}, {"secret", "fb"}}},
            {"fallback_after", 2}});
  const auto listed =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/receivers", admin).body)[0];
  EXPECT_EQ(listed["fallback"]["url"], sink.url("/fallback"));
  EXPECT_EQ(listed["fallback"]["secret"], true);
  EXPECT_EQ(listed["fallback_after"], 2);
  EXPECT_EQ(listed.dump().find("\"fb\""), std::string::npos);
  EXPECT_EQ(
      message_of(
          http(port, "PUT", "/api/v1/tenants/acme/receivers/client", admin,
               json{{"type", "slack"}, {"url", "https://x.example/"}, {"fallback_after", 2}}.dump())
              .body),
      "fallback_after goes with a fallback");
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                 payload({alert("a1", "firing", k_application)}))
                .status,
            200);
  const auto seen =
      sink.wait_for([](const auto& rs) { return !rs.empty(); }, std::chrono::seconds(15));
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0]["body"]["kind"], "firing");
  EXPECT_FALSE(seen[0]["signature"].is_null()) << "signed with the fallback's own secret";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto events = json::parse(http(port, "GET", "/api/v1/tenants/acme/events", admin).body);
  for (const auto& d : events[0]["deliveries"]) {
    if (d["kind"] != "firing") continue;
    EXPECT_EQ(d["state"], "sent");
    EXPECT_EQ(d["via"], "fallback");
    EXPECT_EQ(d["attempts"], 3);
  }
  // The receiver's health: the party's latest deliveries, its last success (through the
  // fallback) and last failure, why as each reader may see it; the circuit closed (two
  // failures of five).
  const auto health = [&](const std::string& token) {
    return json::parse(
        http(port, "GET", "/api/v1/tenants/acme/receivers", token).body)[0]["health"];
  };
  auto h = health(admin);
  EXPECT_EQ(h["recent"], 2) << h.dump();  // the page and its escalation
  EXPECT_EQ(h["sent"], 1);
  EXPECT_EQ(h["pending"], 1);
  EXPECT_EQ(h["dead"], 0);
  EXPECT_TRUE(h["last_success"].is_string());
  EXPECT_TRUE(h["last_failure"]["at"].is_string());
  EXPECT_LE(h["last_failure"]["at"].get<std::string>(), h["last_success"].get<std::string>());
  EXPECT_TRUE(h["last_failure"]["error"].get<std::string>().starts_with("Couldn't connect"))
      << h.dump();
  EXPECT_EQ(h["circuit"], "closed");
  EXPECT_EQ(health(acme)["last_failure"]["error"], "unreachable");
}

// PagerDuty's acknowledgements come back (docs/routing.md): a v3 webhook signed with the
// receiver's webhook_secret, for one of racine's incidents, acknowledges the event and
// stops its escalation; unsigned, badly signed, or another tenant's incident: nothing.
TEST_P(ReceiverTypesTest, APagerDutyAcknowledgementAcknowledgesTheEvent) {
  Sink sink;
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "pagerduty"},
            {"routing_key", "R0UT1NG"},
            {"url", sink.url("/pd")},
            {"webhook_secret", "whsec-acme"}});
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/acme/receivers", admin).body)[0]["webhook_secret"],
      true);
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
           payload({alert("a1", "firing", k_application), alert("a2", "firing", k_certificate)}))
          .status,
      200);
  const auto seen = sink.wait_for([](const auto& rs) { return rs.size() >= 1; });
  std::string key;
  for (const auto& q : seen)
    if (q["body"]["payload"]["class"] == "KubePodCrashLooping") key = q["body"]["dedup_key"];
  ASSERT_TRUE(key.starts_with("racine/acme/evt-")) << key;
  const std::string event = key.substr(12, key.find('/', 12) - 12);
  const auto webhook = [&](const std::string& type, const std::string& incident_key) {
    return json{{"event",
                 {{"id", "01DEN4JAXQ3DP2QJZJOD66VCY5"},
                  {"event_type", type},
                  {"resource_type", "incident"},
                  {"occurred_at", "2026-12-06T14:30:00.000Z"},
                  {"agent", {{"summary", "Jeanne Martin"}, {"type", "user_reference"}}},
                  {"data",
                   {{"id", "Q1Z1Y1X1"},
                    {"type", "incident"},
                    {"status", "acknowledged"},
                    {"incident_key", incident_key}}}}}}
        .dump();
  };
  const auto post = [&](const std::string& body, const std::string& signature) {
    return http(port, "POST", "/api/v1/tenants/acme/receivers/client/pagerduty", "", body,
                "application/json", {{"X-PagerDuty-Signature", signature}});
  };
  const std::string body = webhook("incident.acknowledged", key);
  EXPECT_EQ(post(body, "").status, 403);
  EXPECT_EQ(post(body, "v1=" + hmac_hex("wrong", body)).status, 403);
  EXPECT_EQ(post(body + " ", "v1=" + hmac_hex("whsec-acme", body)).status, 403)
      << "the body as signed";
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/acme/events/" + event, acme).body)["acknowledged"],
      false);
  // Another tenant's incident key, signed: ignored.
  const std::string other = webhook("incident.acknowledged", "racine/globex/" + event + "/Client");
  EXPECT_EQ(json::parse(post(other, "v1=" + hmac_hex("whsec-acme", other)).body)["ignored"],
            "not racine's incident");
  // Signed (two signatures during a rotation, the second valid): acknowledged.
  auto r = post(body, "v1=" + hmac_hex("old", body) + ", v1=" + hmac_hex("whsec-acme", body));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["by"], "Jeanne Martin (PagerDuty)");
  const auto e = json::parse(http(port, "GET", "/api/v1/tenants/acme/events/" + event, acme).body);
  EXPECT_EQ(e["acknowledged"], true);
  EXPECT_EQ(e["acknowledged_by"], "Jeanne Martin (PagerDuty)");
  for (const auto& d : e["deliveries"]) {
    if (d["kind"] == "escalation") {
      EXPECT_EQ(d["state"], "cancelled");
    }
  }
  const std::string ping = json{{"event", {{"event_type", "pagey.ping"}}}}.dump();
  EXPECT_EQ(json::parse(post(ping, "v1=" + hmac_hex("whsec-acme", ping)).body)["ignored"],
            "pagey.ping");
}

// The events console's live stream (server-sent events): "ready" at once, "events" when
// an alert arrives, and only for the caller's own tenant.
TEST_P(ReceiverTypesTest, TheEventStreamSaysWhenEventsChange) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array());
  const auto [globex, globex_ingest] = tenant(port, admin, "globex", json::array());
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events/stream", globex).status, 404);
  const int fd = connect_loopback(port);
  ASSERT_GE(fd, 0);
  const std::string req =
      "GET /api/v1/tenants/acme/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      acme + "\r\n\r\n";
  ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  std::string got;
  const auto read_until = [&](const std::string& what, int seconds) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (got.find(what) == std::string::npos && Clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got.find(what) != std::string::npos;
  };
  ASSERT_TRUE(read_until("event: ready", 5)) << got;
  EXPECT_NE(got.find("Content-Type: text/event-stream"), std::string::npos) << got;
  EXPECT_NE(got.find("Transfer-Encoding: chunked"), std::string::npos) << got;
  EXPECT_EQ(got.find("event: events"), std::string::npos);
  // Another tenant's alert says nothing here; this tenant's does.
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/globex/alertmanager", globex_ingest,
                 payload({alert("g1", "firing", k_application)}))
                .status,
            200);
  EXPECT_FALSE(read_until("event: events", 3)) << got;
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                 payload({alert("a1", "firing", k_application)}))
                .status,
            200);
  EXPECT_TRUE(read_until("event: events", 6)) << got;
  ::close(fd);
  // Four at most per caller.
  std::vector<int> open;
  for (int i = 0; i < 4; ++i) {
    const int f = connect_loopback(port);
    ::send(f, req.data(), req.size(), 0);
    open.push_back(f);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/events/stream", acme).status, 429);
  for (const int f : open) ::close(f);
}

// A test send (the receivers' page): a message now, to the party's receiver, recorded
// nowhere; the answer says whether it was taken, the reason as the caller may read it.
TEST_P(ReceiverTypesTest, ATestSendSaysWhetherTheReceiverTakesIt) {
  Sink sink;
  auto s = start({"--public-url", "https://racine.example"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "slack"}, {"url", sink.url("/slack")}});
  auto r = http(port, "POST", "/api/v1/tenants/acme/receivers/client/test", acme);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body),
            json({{"party", "client"}, {"type", "slack"}, {"ok", true}, {"status", 200}}));
  const auto seen = sink.wait_for([](const auto& rs) { return !rs.empty(); });
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_TRUE(seen[0]["body"]["text"].get<std::string>().starts_with("For information: RacineTest"))
      << seen[0]["raw"];
  EXPECT_EQ(seen[0]["raw"].get<std::string>().find("/ack/"), std::string::npos) << "no link";
  EXPECT_TRUE(json::parse(http(port, "GET", "/api/v1/tenants/acme/events", acme).body).empty())
      << "recorded nowhere";
  // A receiver that does not answer: the provider reads why, the client only that.
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", "http://127.0.0.1:9/closed"}});
  r = http(port, "POST", "/api/v1/tenants/acme/receivers/client/test", acme);
  EXPECT_EQ(json::parse(r.body)["ok"], false);
  EXPECT_EQ(json::parse(r.body)["error"], "unreachable");
  r = http(port, "POST", "/api/v1/tenants/acme/receivers/client/test", admin);
  EXPECT_TRUE(json::parse(r.body)["error"].get<std::string>().starts_with("Couldn't connect"))
      << r.body;
  // Not the provider's party; not a party without a receiver.
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/receivers/cloud-temple/test", acme).status,
            404);
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/receivers/cloud-temple/test", ingest).status,
            403);
}

INSTANTIATE_TEST_SUITE_P(Engines, ReceiverTypesTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace racine::test

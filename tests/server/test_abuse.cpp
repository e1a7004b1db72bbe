// The abuse suite (issue "Safe in front of every client"; docs/server.md, "Threat model"):
// what one client can do to the others or to the provider through a real `racine serve`,
// on SQLite and PostgreSQL. Beside the attack suite (tests/server/test_server.cpp, which
// checks that no tenant reads or writes another's data), these check that no tenant can
// slow another's pages, make the server reach into the provider's network, or exhaust
// it. Every case is bounded in time and traffic, and talks to 127.0.0.1 only.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "notify/egress.h"
#include "notify/send.h"
#include "routing_support.h"
#include "store/store.h"
#include "support/keepalive_receiver.h"

namespace racine::test {
namespace {

using AbuseTest = RoutingFixture;

// A field of /proc/PID/status in KiB ("VmRSS").
long status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field + ":")) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// Processor time used by PID so far, in seconds (utime + stime).
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const auto close = text.rfind(')');
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  long ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stol(field);
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.front() == '{') out.push_back(line);
  }
  return out;
}

// A receiver that never answers makes no other tenant wait: the other's page arrives in
// under 2 s (it took 79 s when the outbox sent one delivery after another).
TEST_P(AbuseTest, AReceiverThatNeverAnswersDelaysNoOtherTenantsPage) {
  const Arrivals arrivals(std::string("abuse-") + GetParam());
  Sink hanging({"--delay", "60", "--arrivals", arrivals.path()});
  Sink healthy;
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  const auto globex = tenant(port, admin, "globex", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", hanging.url("/acme")}});
  receiver(port, admin, "/api/v1/tenants/globex/receivers/client",
           {{"type", "webhook"}, {"url", healthy.url("/globex")}});
  std::vector<json> storm;
  for (int i = 0; i < 24; ++i)
    storm.push_back(alert(fmt::format("s{}", i), "firing", k_application));
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second, payload(storm)).status,
      200);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // acme's sends are in flight
  const auto posted = Clock::now();
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/globex/alertmanager", globex.second,
                 payload({alert("g1", "firing", k_application)}))
                .status,
            200);
  const auto seen =
      healthy.wait_for([](const auto& rs) { return !rs.empty(); }, std::chrono::seconds(10));
  const double delay = std::chrono::duration<double>(Clock::now() - posted).count();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0]["body"]["alert"]["fingerprint"], "g1");
  EXPECT_LT(delay, 2.0) << "globex's page waited behind acme's receiver";
  std::printf(
      "fairness: another tenant's page arrived %.3f s after its alert, with 24 "
      "deliveries to a receiver that never answers\n",
      delay);
  // The hanging receiver holds --delivery-per-receiver (2) sends at once, no more.
  EXPECT_EQ(arrivals.keys().size(), 2U);
  s->kill_now();
}

// What the outbox claims ahead of a receiver's free places (--delivery-claim-ahead, 4) is
// held a second at most: behind a receiver that never answers, it is given back, due
// again, not kept leased for the attempt's timeout and sent long after it was claimed
// (an escalation after the acknowledgement that cancelled it).
TEST_P(AbuseTest, WhatIsClaimedAheadOfAReceiverThatNeverAnswersIsGivenBack) {
  const Arrivals arrivals(std::string("ahead-") + GetParam());
  Sink hanging({"--delay", "60", "--arrivals", arrivals.path()});
  auto s = start({"--delivery-timeout", "30s"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", hanging.url("/acme")}});
  std::vector<json> storm;
  for (int i = 0; i < 12; ++i)
    storm.push_back(alert(fmt::format("s{}", i), "firing", k_application));
  const auto posted = Clock::now();
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second, payload(storm)).status,
      200);
  // The client's pages leased (claimed: due again only at the lease's end, a minute
  // away), and those due now.
  const auto leased_and_due = [&] {
    const std::string soon = store::rfc3339_of_ms(store::now_ms() + 20000);
    std::pair<std::size_t, std::size_t> n{0, 0};
    for (const auto& e : json::parse(http(port, "GET", "/api/v1/tenants/acme/events", admin).body))
      for (const auto& d : e["deliveries"])
        if (d["party"] == "client" && d["kind"] == "firing" && d["state"] == "pending")
          ++(d["next_attempt"].get<std::string>() > soon ? n.first : n.second);
    return n;
  };
  // One claim: the two the receiver may have in flight, and four more held. (A listing
  // read while the claim commits may see part of it: read again.)
  auto n = leased_and_due();
  for (const auto deadline = Clock::now() + std::chrono::seconds(10);
       n.first < 6 && Clock::now() < deadline; n = leased_and_due())
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(n, (std::pair<std::size_t, std::size_t>{6, 6}));
  // A second later the four held are given back; the two in flight stay leased. (The
  // second counts from the claim, after the POST's commit.)
  for (const auto deadline = Clock::now() + std::chrono::seconds(8);
       n.first > 2 && Clock::now() < deadline; n = leased_and_due())
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(n, (std::pair<std::size_t, std::size_t>{2, 10}));
  EXPECT_GE(Clock::now() - posted, std::chrono::milliseconds(1000));
  // Only the two in flight reached the receiver.
  EXPECT_EQ(arrivals.keys().size(), 2U);
  s->kill_now();
}

// Every spelling of an internal address is refused to a tenant's receiver, on save.
TEST_P(AbuseTest, ATenantsReceiverCannotTargetTheProvidersNetwork) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  const std::vector<std::string> internal = {
      "http://127.0.0.1/x",
      "http://127.1/x",
      "http://2130706433/x",
      "http://0x7f.0.0.1/x",
      "http://0177.0.0.1/x",
      "http://localhost:8080/x",
      "http://[::1]/x",
      "http://[::ffff:127.0.0.1]/x",
      "http://[::ffff:7f00:1]/x",
      "http://[64:ff9b::a9fe:a9fe]/x",
      "http://10.0.0.1/x",
      "http://172.16.5.4/x",
      "http://192.168.1.1/x",
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/x",
      "http://100.64.0.1/x",
      "http://224.0.0.1/x",
      "http://0.0.0.0/x",
      "http://[::]/x",
      "http://[fd00::1]/x",
      "https://user:pw@127.0.0.1:443/x",
  };
  for (const auto& url : internal) {
    const auto r = http(port, "PUT", "/api/v1/tenants/acme/receivers/client", acme.first,
                        json{{"type", "webhook"}, {"url", url}}.dump());
    EXPECT_EQ(r.status, 403) << url << ": " << r.body;
    const auto j = json::parse(r.body, nullptr, false);
    EXPECT_EQ(j["error"]["code"], "egress_denied") << url;
    EXPECT_TRUE(j["error"]["message"].get<std::string>().starts_with(
        "a tenant's receiver may not send there: "))
        << j;
  }
  EXPECT_EQ(message_of(http(port, "PUT", "/api/v1/tenants/acme/receivers/client", acme.first,
                            json{{"type", "webhook"}, {"url", "http://169.254.169.254/"}}.dump())
                           .body),
            "a tenant's receiver may not send there: 169.254.169.254 is a link-local address "
            "(cloud metadata among them)");
  // Nothing was stored.
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/receivers", acme.first).body, "[]");
  // The provider's roles follow the operator's policy only.
  EXPECT_EQ(http(port, "PUT", "/api/v1/tenants/acme/receivers/client", admin,
                 json{{"type", "webhook"}, {"url", "http://10.0.0.1/x"}}.dump())
                .status,
            201);
  s->kill_now();
}

// --egress-allow opens a range to tenants: saved, and delivered (the connection's own
// check passes too). Given here in the server's configuration file, under the same key.
TEST_P(AbuseTest, AnAllowedRangeIsReachable) {
  Sink sink;
  const std::string config = std::filesystem::temp_directory_path() /
                             ("racine-abuse-" + std::to_string(getpid()) + GetParam() + ".toml");
  // The sink is on the server's own address (the loopback): only naming that very
  // address opens it, a range would not.
  std::ofstream(config) << "# racine serve --config\n[serve]\negress-allow = [\"127.0.0.1/32\"]\n";
  auto s = start({"--config", config});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  auto r = http(port, "PUT", "/api/v1/tenants/acme/receivers/client", acme.first,
                json{{"type", "webhook"}, {"url", sink.url("/acme")}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  // Outside the range, still refused.
  EXPECT_EQ(http(port, "PUT", "/api/v1/tenants/acme/receivers/client", acme.first,
                 json{{"type", "webhook"}, {"url", "http://[::1]/x"}}.dump())
                .status,
            403);
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
                 payload({alert("a1", "firing", k_application)}))
                .status,
            200);
  const auto seen = sink.wait_for([](const auto& rs) { return !rs.empty(); });
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0]["path"], "/acme");
  s->kill_now();
  std::filesystem::remove(config);
}

// A key the server does not know, or a value it refuses, in the configuration file is a
// usage error naming the file and the key (a typo never silently drops a policy).
TEST(ServeConfig, AnUnknownKeyOrABadValueIsAUsageError) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("racine-config-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto run = [&](const std::string& text) {
    std::ofstream((dir / "c.toml").string()) << text;
    const std::string cmd = std::string(RACINE_BINARY) + " serve --listen 127.0.0.1:0 --data " +
                            (dir / "d").string() + " --config " + (dir / "c.toml").string() +
                            " 2>&1 >/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    const int status = pclose(p);
    return std::to_string(WEXITSTATUS(status)) + " " + out;
  };
  EXPECT_EQ(run("egres-allow = [\"10.0.0.0/8\"]\n"),
            "2 racine: " + (dir / "c.toml").string() +
                ": unknown option 'egres-allow' (racine serve --help lists them)\n");
  EXPECT_EQ(run("egress-allow = [\"10.0.0.0/33\"]\n"),
            "2 racine: --egress-allow: '10.0.0.0/33' is not an address range (e.g. 10.20.0.0/16, "
            "fd00::/8)\n");
  std::filesystem::remove_all(dir);
}

// --egress-proxy: every webhook goes through the operator's proxy (here the sink, which
// records the absolute URL a proxy is asked for), which then applies the network's
// policy; a name that does not resolve here is left to it.
TEST_P(AbuseTest, WebhooksGoThroughTheOperatorsProxy) {
  Sink proxy;
  auto s = start({"--egress-proxy", proxy.url("")});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  ASSERT_EQ(http(port, "PUT", "/api/v1/tenants/acme/receivers/client", acme.first,
                 json{{"type", "webhook"}, {"url", "http://hooks.acme.invalid/racine"}}.dump())
                .status,
            201);
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
                 payload({alert("a1", "firing", k_application)}))
                .status,
            200);
  const auto seen = proxy.wait_for([](const auto& rs) { return !rs.empty(); });
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0]["path"], "http://hooks.acme.invalid/racine");
  EXPECT_EQ(seen[0]["body"]["alert"]["fingerprint"], "a1");
  s->kill_now();
}

// The check at connect time: the address libcurl actually dials is judged, so a name
// whose answer changed since the receiver was saved is refused, and nothing connects.
TEST(Egress, TheAddressDialledIsCheckedWhenConnecting) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  notify::EgressPolicy policy;
  notify::Webhook w;
  w.url = "http://localhost:" + std::to_string(port) + "/x";
  w.body = "{}";
  w.idempotency_key = "k";
  w.timeout_ms = 2000;
  w.policy = &policy;
  const auto out = notify::post(w);
  EXPECT_FALSE(out.ok);
  EXPECT_TRUE(out.denied);
  EXPECT_TRUE(out.error.starts_with("egress denied: ")) << out.error;
  // Nothing reached the listener.
  timeval tv{0, 200000};
  fd_set set;
  FD_ZERO(&set);
  FD_SET(listener, &set);
  EXPECT_EQ(select(listener + 1, &set, nullptr, nullptr, &tv), 0);
  // Allowed by the operator, it connects.
  policy.allow.push_back(*notify::parse_cidr("127.0.0.0/8"));
  policy.allow.push_back(*notify::parse_cidr("::1/128"));
  w.timeout_ms = 500;
  const auto allowed = notify::post(w);
  EXPECT_FALSE(allowed.denied) << allowed.error;
  ::close(listener);
}

TEST(Egress, EverySpellingOfAnInternalAddressIsJudgedAsTheAddress) {
  const notify::EgressPolicy policy;
  for (const char* url :
       {"http://127.0.0.1/", "http://0x7f000001/", "http://2130706433/", "http://0177.1/",
        "http://127.0.0.1.:80/", "http://[::ffff:127.0.0.1]/", "http://[0:0:0:0:0:ffff:7f00:1]/",
        "http://[::127.0.0.1]/", "http://[2002:7f00:1::]/", "http://[fe80::1%25lo]/",
        "http://LOCALHOST/", "http://169.254.169.254/", "http://[fc00::]/",
        "http://255.255.255.255/"}) {
    EXPECT_EQ(policy.check_url(url).kind, notify::EgressPolicy::Verdict::Kind::denied) << url;
  }
  for (const char* url : {"https://93.184.215.14/", "http://[2606:4700::1]/", "http://8.8.8.8:53/"})
    EXPECT_EQ(policy.check_url(url).kind, notify::EgressPolicy::Verdict::Kind::allowed) << url;
  EXPECT_EQ(policy.check_url("not a url").why, "the URL has no host");
  // The server's own address: a range never opens it, naming it does.
  notify::EgressPolicy own;
  own.own.push_back(*notify::parse_address("127.0.0.1"));
  own.allow.push_back(*notify::parse_cidr("127.0.0.0/8"));
  EXPECT_EQ(own.check(*notify::parse_address("127.0.0.1")),
            "127.0.0.1 is an address of this server");
  EXPECT_EQ(own.check(*notify::parse_address("127.0.0.2")), std::nullopt);
  own.allow.push_back(*notify::parse_cidr("127.0.0.1/32"));
  EXPECT_EQ(own.check(*notify::parse_address("127.0.0.1")), std::nullopt);
  auto ranges = notify::parse_cidr("10.20.0.0/16");
  ASSERT_TRUE(ranges);
  EXPECT_TRUE(ranges->contains(*notify::parse_address("10.20.255.1")));
  EXPECT_FALSE(ranges->contains(*notify::parse_address("10.21.0.1")));
  EXPECT_EQ(notify::parse_cidr("10.0.0.0/33"), std::nullopt);
  EXPECT_EQ(notify::parse_cidr("nope/8"), std::nullopt);
}

using KeepAliveCounter = racine_support::KeepAliveReceiver;

notify::Webhook keepalive_webhook(int port, const std::string& host) {
  notify::Webhook w;
  w.url = "http://" + host + ":" + std::to_string(port) + "/hook";
  w.body = "{}";
  w.idempotency_key = "k";
  w.timeout_ms = 2000;
  return w;
}

// A sender keeps its connections open: 20 deliveries to one receiver, one TCP connection;
// nothing of one delivery's request (method, headers) reaches the next one's.
TEST(Egress, ASendersDeliveriesReuseItsConnection) {
  KeepAliveCounter receiver;
  notify::Connections keep;
  for (int i = 0; i < 20; ++i) {
    auto w = keepalive_webhook(receiver.port(), "127.0.0.1");
    w.idempotency_key = "d";
    w.idempotency_key += std::to_string(i);  // (GCC 12 warns of "d" + ... falsely)
    if (i == 0) {
      w.method = "PUT";
      w.headers = {"Authorization: Bearer first"};
      w.secret = "s";
    }
    const auto out = notify::post(w, &keep);
    ASSERT_TRUE(out.ok) << i << ": " << out.error;
  }
  EXPECT_EQ(receiver.accepted(), 1);
  const auto heads = receiver.heads();
  ASSERT_EQ(heads.size(), 20U);
  EXPECT_TRUE(heads[0].starts_with("PUT /hook ")) << heads[0];
  EXPECT_NE(heads[0].find("Authorization: Bearer first"), std::string::npos);
  EXPECT_NE(heads[0].find("X-Racine-Signature: "), std::string::npos);
  for (std::size_t i = 1; i < heads.size(); ++i) {
    EXPECT_TRUE(heads[i].starts_with("POST /hook ")) << heads[i];
    EXPECT_EQ(heads[i].find("Authorization"), std::string::npos) << heads[i];
    EXPECT_EQ(heads[i].find("X-Racine-Signature"), std::string::npos) << heads[i];
    EXPECT_NE(heads[i].find("Idempotency-Key: d" + std::to_string(i) + "\r\n"), std::string::npos)
        << heads[i];
  }
  // Without kept connections, one connection per delivery, as before.
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(notify::post(keepalive_webhook(receiver.port(), "127.0.0.1")).ok);
  EXPECT_EQ(receiver.accepted(), 4);
}

// A connection kept open is lent only under the check it was opened under: one the
// provider's receiver opened to 127.0.0.1 (not checked) is never reused by a tenant's
// delivery to the same host and port, which the check refuses, nothing reaching the
// receiver; once the operator allows the range the tenant's delivery opens a connection
// of its own (checked), then reuses that one.
TEST(Egress, AKeptConnectionNeverPassesTheCheckOnAnotherPolicysBehalf) {
  KeepAliveCounter receiver;
  notify::Connections keep;
  ASSERT_TRUE(notify::post(keepalive_webhook(receiver.port(), "127.0.0.1"), &keep).ok);
  ASSERT_TRUE(notify::post(keepalive_webhook(receiver.port(), "127.0.0.1"), &keep).ok);
  EXPECT_EQ(receiver.accepted(), 1);
  notify::EgressPolicy policy;
  for (const char* host : {"127.0.0.1", "localhost"}) {
    auto tenant = keepalive_webhook(receiver.port(), host);
    tenant.policy = &policy;
    const auto refused = notify::post(tenant, &keep);
    EXPECT_FALSE(refused.ok);
    EXPECT_TRUE(refused.denied) << host;
    EXPECT_TRUE(refused.error.starts_with("egress denied: ")) << refused.error;
    if (std::string(host) == "127.0.0.1") {
      EXPECT_EQ(refused.error, "egress denied: 127.0.0.1 is a loopback address");
    }
  }
  EXPECT_EQ(receiver.accepted(), 1);
  EXPECT_EQ(receiver.heads().size(), 2U);
  // The provider's connection is still there for the provider's receiver.
  ASSERT_TRUE(notify::post(keepalive_webhook(receiver.port(), "127.0.0.1"), &keep).ok);
  EXPECT_EQ(receiver.accepted(), 1);
  // Allowed: a connection of its own, checked when dialled, then kept for the policy.
  policy.allow.push_back(*notify::parse_cidr("127.0.0.0/8"));
  auto tenant = keepalive_webhook(receiver.port(), "127.0.0.1");
  tenant.policy = &policy;
  ASSERT_TRUE(notify::post(tenant, &keep).ok);
  ASSERT_TRUE(notify::post(tenant, &keep).ok);
  EXPECT_EQ(receiver.accepted(), 2);
  // The policy narrowed again (the same object): its kept connection is not lent either.
  policy.allow.clear();
  const auto narrowed = notify::post(tenant, &keep);
  EXPECT_TRUE(narrowed.denied) << narrowed.error;
  EXPECT_EQ(receiver.accepted(), 2);
  EXPECT_EQ(receiver.heads().size(), 5U);
}

// The outbox keeps its connections open: ten pages one after another to a keep-alive
// receiver go over one TCP connection (one sender); a tenant's own receiver on the same
// host and port (a range the operator allowed) gets a connection of its own, checked
// when dialled, never the one opened for the provider's receiver.
TEST_P(AbuseTest, TheOutboxKeepsConnectionsOpenOnlyUnderTheSameCheck) {
  Sink sink({"--keep-alive"});
  const std::string config = std::filesystem::temp_directory_path() /
                             ("racine-keep-" + std::to_string(getpid()) + GetParam() + ".toml");
  std::ofstream(config) << "# racine serve --config\n[serve]\negress-allow = [\"127.0.0.1/32\"]\n";
  auto s = start({"--config", config, "--delivery-workers", "1"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  const auto globex = tenant(port, admin, "globex", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", sink.url("/provider")}});
  ASSERT_EQ(http(port, "PUT", "/api/v1/tenants/globex/receivers/client", globex.first,
                 json{{"type", "webhook"}, {"url", sink.url("/tenant")}}.dump())
                .status,
            201);
  // One alert, then its page's arrival (the connection is idle between pages).
  auto page = [&](const std::string& name, const std::string& ingest, const std::string& fp,
                  std::size_t total) {
    ASSERT_EQ(http(port, "POST", "/api/v1/tenants/" + name + "/alertmanager", ingest,
                   payload({alert(fp, "firing", k_application)}))
                  .status,
              200);
    ASSERT_EQ(sink.wait_for([&](const auto& rs) { return rs.size() >= total; }).size(), total);
  };
  for (std::size_t i = 0; i < 10; ++i) page("acme", acme.second, "p" + std::to_string(i), i + 1);
  page("globex", globex.second, "t0", 11);
  page("globex", globex.second, "t1", 12);
  page("acme", acme.second, "p10", 13);
  std::map<std::string, std::set<int>> peers;
  std::map<std::string, int> requests;
  for (const auto& r : sink.wait_for([](const auto& rs) { return rs.size() >= 13; })) {
    peers[r["path"].get<std::string>()].insert(r["peer"].get<int>());
    ++requests[r["path"].get<std::string>()];
  }
  EXPECT_EQ(requests["/provider"], 11);
  EXPECT_EQ(requests["/tenant"], 2);
  ASSERT_EQ(peers["/provider"].size(), 1U);
  ASSERT_EQ(peers["/tenant"].size(), 1U);
  EXPECT_NE(*peers["/provider"].begin(), *peers["/tenant"].begin());
  s->kill_now();
  std::filesystem::remove(config);
}

// Methods a client invents do not grow /metrics: they count as "other".
TEST_P(AbuseTest, UnknownMethodsDoNotGrowTheMetrics) {
  auto s = start();
  const auto port = s->port();
  const std::size_t before = http(port, "GET", "/metrics").body.size();
  int answered = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto r = http_raw(port, fmt::format("M{} /api/v1/matrices HTTP/1.1\r\nHost: x\r\n"
                                              "Connection: close\r\n\r\n",
                                              i));
    answered += r.status == 405 ? 1 : 0;
  }
  EXPECT_EQ(answered, 2000);
  const std::string metrics = http(port, "GET", "/metrics").body;
  std::printf("metrics: %zu bytes before 2,000 invented methods, %zu after\n", before,
              metrics.size());
  EXPECT_LT(metrics.size(), before + 1024);
  EXPECT_NE(
      metrics.find("racine_http_requests_total{route=\"/api/v1/matrices\",method=\"other\",status="
                   "\"405\"} 2000\n"),
      std::string::npos)
      << metrics;
  s->kill_now();
}

// 300 idle connections under a descriptor limit of 256: no spinning on EMFILE, and
// /healthz is still answered (the connection idle the longest makes room).
TEST_P(AbuseTest, IdleConnectionsAtTheDescriptorLimitCostNothing) {
  // Under the default cap (the limit less a reserve), and with a cap set above the limit,
  // where accept meets EMFILE and must back off instead of spinning.
  for (const char* cap : {"0", "1000"}) {
    SCOPED_TRACE(std::string("--max-connections ") + cap);
    auto a = args;
    a.insert(a.end(), {"--rate-limit", "0", "--max-connections", cap});
    ServerProcess s(RACINE_BINARY, a, "", 256);
    std::vector<int> held;
    for (int i = 0; i < 300; ++i) {
      const int fd = connect_loopback(s.port());
      if (fd >= 0) held.push_back(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const double cpu_before = cpu_seconds(s.pid());
    const auto started = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const double share = (cpu_seconds(s.pid()) - cpu_before) /
                         std::chrono::duration<double>(Clock::now() - started).count();
    const auto asked = Clock::now();
    const auto r = http(s.port(), "GET", "/healthz");
    const double answer = std::chrono::duration<double>(Clock::now() - asked).count();
    std::printf(
        "300 idle connections, descriptor limit 256, --max-connections %s: %.1f%% of a core, "
        "/healthz in %.3f s\n",
        cap, share * 100, answer);
    EXPECT_LT(share, 0.30);
    EXPECT_EQ(r.status, 200);
    EXPECT_LT(answer, 2.0);
    for (const int fd : held) ::close(fd);
    s.kill_now();
  }
}

// A body is never read before its token is checked: 16 MiB sent without a token cost
// the server nothing, and `100 Continue` is never sent to such a request.
TEST_P(AbuseTest, UnauthenticatedBodiesAreNeverRead) {
  auto s = start();
  const auto port = s->port();
  // With Expect: the answer is the refusal itself, before any byte of the body.
  const auto r =
      http_raw(port,
               "POST /api/v1/matrices/x/versions HTTP/1.1\r\nHost: x\r\nContent-Type: "
               "text/markdown\r\nExpect: 100-continue\r\nContent-Length: 16777216\r\n\r\n",
               5000);
  EXPECT_EQ(r.status, 401) << r.body;
  const long rss_before = status_kib(s->pid(), "VmRSS");
  const std::string body(16U << 20U, 'x');
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      http_raw(port,
               fmt::format("POST /api/v1/tenants/acme/alertmanager HTTP/1.1\r\nHost: x\r\n"
                           "Authorization: Bearer rac_{:064d}\r\nContent-Type: application/json\r\n"
                           "Content-Length: {}\r\n\r\n",
                           i, body.size()) +
                   body,
               10000);
    });
  }
  for (auto& t : clients) t.join();
  const long rss_after = status_kib(s->pid(), "VmRSS");
  std::printf("4 unauthenticated 16 MiB bodies: RSS %ld KiB -> %ld KiB\n", rss_before, rss_after);
  EXPECT_LT(rss_after - rss_before, 4096);
  EXPECT_EQ(http(port, "GET", "/healthz").status, 200);
  s->kill_now();
}

// A 4 MiB nested JSON from an ingest token (the least trusted: it sits in the client's
// Alertmanager configuration) is refused in under 2 s, without building a tree.
TEST_P(AbuseTest, ADeeplyNestedPayloadIsRefusedCheaply) {
  auto s = start();
  const auto port = s->port();
  const auto acme = tenant(port, s->admin_token(), "acme", json::array());
  const long rss_before = status_kib(s->pid(), "VmRSS");
  const auto asked = Clock::now();
  const auto r = http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
                      std::string(4U << 20U, '['));
  const double took = std::chrono::duration<double>(Clock::now() - asked).count();
  const long rss_after = status_kib(s->pid(), "VmRSS");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r.body), "the body nests deeper than 64 levels");
  EXPECT_LT(took, 2.0);
  std::printf("4 MiB of '[' from an ingest token: %d in %.3f s, RSS %ld KiB -> %ld KiB\n", r.status,
              took, rss_before, rss_after);
  EXPECT_LT(rss_after - rss_before, 16384);
  s->kill_now();
}

// One deadline for a whole request: headers and body trickled in are cut when it passes
// (each part within its own 30 s before), and the cut is logged.
// An answer to a HEAD says the length a GET would get and carries no body: on a kept
// connection the next answer starts right after its head (a body there would be read
// as the next answer's status line).
TEST_P(AbuseTest, AHeadAnswerCarriesNoBodyOnAKeptConnection) {
  auto s = start();
  const int fd = connect_loopback(s->port());
  ASSERT_GE(fd, 0);
  const std::string both =
      "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, both.data(), both.size(), MSG_NOSIGNAL), static_cast<ssize_t>(both.size()));
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  char buf[4096];
  // Both answers: two heads and one body of 15 bytes.
  while (got.find("{\"status\":\"ok\"}") == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto first_end = got.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos) << got;
  const std::string first = got.substr(0, first_end);
  EXPECT_TRUE(first.starts_with("HTTP/1.1 200 OK\r\n")) << first;
  EXPECT_NE(first.find("\r\nContent-Length: 15"), std::string::npos) << first;
  const std::string rest = got.substr(first_end + 4);
  EXPECT_TRUE(rest.starts_with("HTTP/1.1 200 OK\r\n")) << "after the HEAD's head: " << rest;
  EXPECT_TRUE(rest.ends_with("\r\n\r\n{\"status\":\"ok\"}")) << rest;
  EXPECT_EQ(s->terminate(), 0);
}

TEST_P(AbuseTest, ASlowRequestIsCutAtItsDeadline) {
  const std::string log = std::filesystem::temp_directory_path() /
                          ("racine-abuse-slow-" + std::to_string(getpid()) + ".log");
  auto a = args;
  a.insert(a.end(), {"--request-timeout", "2s"});
  ServerProcess s(RACINE_BINARY, a, log);
  const int fd = connect_loopback(s.port());
  ASSERT_GE(fd, 0);
  const std::string request =
      "PUT /api/v1/tenants/acme HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      s.admin_token() + "\r\nContent-Length: 20\r\n\r\n{\"name\": \"slowly..\"}";
  // The headers in about 1.4 s and the body in about 1.5 s: each part within 2 s, the
  // whole past it (a deadline per part would let it through).
  const auto started = Clock::now();
  const std::size_t head = request.find("\r\n\r\n") + 4;
  bool cut = false;
  for (std::size_t i = 0; i < request.size(); ++i) {
    if (::send(fd, &request[i], 1, MSG_NOSIGNAL) != 1) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(i < head ? 1400 / head : 75));
    if (Clock::now() - started > std::chrono::seconds(6)) break;
  }
  char buf[256];
  timeval tv{3, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  const double at = std::chrono::duration<double>(Clock::now() - started).count();
  ::close(fd);
  EXPECT_TRUE(cut || n <= 0) << "the server answered a request that took " << at << " s";
  EXPECT_LT(at, 6.0);
  s.terminate();
  bool logged = false;
  for (const auto& line : lines_of(log)) logged = logged || json::parse(line)["status"] == 408;
  EXPECT_TRUE(logged) << "no access-log line with status 408";
  std::filesystem::remove(log);
}

// Invalid UTF-8 and NUL anywhere in a request are a 4xx, on every route family, each
// logged and counted; both engines give the same answers.
TEST_P(AbuseTest, InvalidUtf8AndNulAreRefusedLoggedAndCounted) {
  const std::string log =
      std::filesystem::temp_directory_path() /
      ("racine-abuse-utf8-" + std::to_string(getpid()) + "-" + GetParam() + ".log");
  auto a = args;
  a.insert(a.end(), {"--rate-limit", "0"});
  ServerProcess s(RACINE_BINARY, a, log);
  const auto port = s.port();
  const std::string admin = s.admin_token();
  ASSERT_EQ(http(port, "PUT", "/api/v1/tenants/acme", admin, R"({"name": "ACME"})").status, 201);
  struct Case {
    std::string method, target, token, body;
    int status;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/v1/matrices/%FF/versions", "", "", 400, "the path is not valid UTF-8"},
      {"GET", "/api/v1/matrices/%FF/versions", admin, "", 400, "the path is not valid UTF-8"},
      {"GET", "/api/v1/tenants/%00/contracts", admin, "", 400, "the path holds a NUL (%00)"},
      {"GET", "/api/v1/tenants/acme/events/%C3%28", admin, "", 400, "the path is not valid UTF-8"},
      {"GET", "/api/v1/tenants/acme/contracts/main/who?q=%FF", admin, "", 400,
       "the query string is not valid UTF-8"},
      {"GET", "/api/v1/tenants/acme/contracts/main/who?q=a%00b", admin, "", 400,
       "the query string holds a NUL (%00)"},
      {"PUT", "/api/v1/tenants/acme", admin, "{\"name\": \"AC\\u0000ME\"}", 400,
       "the body holds a NUL character (\\u0000) in a string"},
      {"PUT", "/api/v1/tenants/acme", admin, "{\"na\\u0000me\": \"ACME\"}", 400,
       "the body holds a NUL character (\\u0000) in a string"},
      {"PUT", "/api/v1/tenants/acme", admin,
       "{\"name\": \"AC\xff"
       "ME\"}",
       400, "the body is not valid JSON (at byte 13)"},
      {"POST", "/api/v1/tokens", admin, "{\"role\": \"admin\", \"name\": \"\\u0000\"}", 400,
       "the body holds a NUL character (\\u0000) in a string"},
      {"PUT", "/api/v1/receivers/client", admin,
       "{\"type\": \"webhook\", \"url\": \"http://x.example/\\u0000\"}", 400,
       "the body holds a NUL character (\\u0000) in a string"},
  };
  for (const auto& c : cases) {
    const auto r = http(port, c.method, c.target, c.token, c.body);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.target << ": " << r.body;
    EXPECT_EQ(message_of(r.body), c.message) << c.method << " " << c.target;
  }
  // Refusals of other kinds are logged too: no token, a body over the route's limit,
  // headers too large.
  EXPECT_EQ(http(port, "GET", "/api/v1/matrices").status, 401);
  EXPECT_EQ(http(port, "PUT", "/api/v1/tenants/acme", admin, std::string(2U << 20U, ' ')).status,
            413);
  EXPECT_EQ(http_raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') +
                               "\r\nConnection: close\r\n\r\n")
                .status,
            431);
  // A header that is not UTF-8.
  const auto h = http_raw(port,
                          "GET /api/v1/matrices HTTP/1.1\r\nHost: x\r\nX-Note: caf\xe9\r\n"
                          "Connection: close\r\n\r\n");
  EXPECT_EQ(h.status, 400);
  EXPECT_EQ(message_of(h.body), "the header x-note is not valid UTF-8 or holds a NUL");
  // Nothing stored: the tenant keeps its name.
  EXPECT_EQ(json::parse(http(port, "GET", "/api/v1/tenants", admin).body)[0]["name"], "ACME");
  const std::string metrics = http(port, "GET", "/metrics").body;
  s.terminate();
  // One log line per request, whatever became of it: 1 PUT + the cases + 401, 413, 431 +
  // the header + the GET of tenants + the scrape.
  const auto lines = lines_of(log);
  EXPECT_EQ(lines.size(), 1 + cases.size() + 3 + 1 + 1 + 1);
  std::map<int, int> statuses;
  for (const auto& line : lines) ++statuses[json::parse(line)["status"].get<int>()];
  EXPECT_EQ(statuses[401], 1);
  EXPECT_EQ(statuses[413], 1);
  EXPECT_EQ(statuses[431], 1);
  std::size_t refused = 0;
  for (const auto& line : lines) {
    if (json::parse(line)["status"] == 400) ++refused;
  }
  EXPECT_EQ(refused, cases.size() + 1);
  std::size_t counted = 0;
  for (std::size_t at = metrics.find("status=\"400\"} "); at != std::string::npos;
       at = metrics.find("status=\"400\"} ", at + 1)) {
    counted += std::stoul(metrics.substr(at + 14));
  }
  EXPECT_EQ(counted, cases.size() + 1) << metrics;
  std::filesystem::remove(log);
}

// A tenant over its alert quota gets 429 with Retry-After; another tenant is unaffected.
TEST_P(AbuseTest, AQuotaExceededIsA429ForThatTenantOnly) {
  auto s = start({"--alerts-per-minute", "10", "--alerts-per-request", "10"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  const auto globex = tenant(port, admin, "globex", json::array());
  auto batch = [](const std::string& prefix, int n) {
    std::vector<json> out;
    for (int i = 0; i < n; ++i)
      out.push_back(alert(prefix + std::to_string(i), "firing", k_application));
    return payload(out);
  };
  EXPECT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second, batch("a", 8)).status,
      200);
  const auto r =
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second, batch("b", 5));
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "quota_exceeded");
  const int retry = std::stoi(r.header("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/globex/alertmanager", globex.second, batch("g", 5))
                .status,
            200);
  // Nothing of the refused request was stored.
  EXPECT_EQ(json::parse(http(port, "GET", "/api/v1/tenants/acme/events", admin).body).size(), 8U);
  EXPECT_EQ(message_of(
                http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second, batch("c", 11))
                    .body),
            "at most 10 alerts per request");
  s->kill_now();
}

// Two upgrades at once never leave the contract behind the version one of them was told
// it reached: the stale one answers 409.
TEST_P(AbuseTest, ConcurrentUpgradesNeverGoBackwards) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/data/managed-kubernetes.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string seed = text.str();
  ASSERT_FALSE(seed.empty());
  for (const char* note : {"\n<!-- v2 -->\n", "\n<!-- v3 -->\n"}) {
    const auto r = http(port, "POST", "/api/v1/matrices/managed-kubernetes/versions?force=true",
                        admin, seed + note, "text/markdown");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  int both = 0;
  int conflicts = 0;
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(
        http(port, "PUT", "/api/v1/tenants/acme/contracts/main", admin,
             R"({"matrix": "managed-kubernetes", "version": 1, "options": [], "party": "client"})")
            .status,
        200);
    int status[2] = {0, 0};
    std::thread up3([&] {
      status[0] = http(port, "POST", "/api/v1/tenants/acme/contracts/main/upgrade", acme.first,
                       R"({"version": 3})")
                      .status;
    });
    std::thread up2([&] {
      status[1] = http(port, "POST", "/api/v1/tenants/acme/contracts/main/upgrade", acme.first,
                       R"({"version": 2})")
                      .status;
    });
    up3.join();
    up2.join();
    const int final_version = json::parse(
        http(port, "GET", "/api/v1/tenants/acme/contracts/main", admin).body)["version"];
    for (int i = 0; i < 2; ++i) {
      EXPECT_TRUE(status[i] == 200 || status[i] == 409) << status[i];
      conflicts += status[i] == 409 ? 1 : 0;
    }
    if (status[0] == 200) {
      EXPECT_EQ(final_version, 3) << "round " << round;
    }
    if (status[0] == 200 && status[1] == 200) ++both;
  }
  std::printf(
      "20 rounds of concurrent upgrades to 3 and 2: %d conflicts answered 409, %d "
      "rounds where both moved (2 then 3)\n",
      conflicts, both);
  s->kill_now();
}

// An Informed party's acknowledgement is refused and the provider's escalation stays
// pending; the Responsible party's is accepted and cancels it.
TEST_P(AbuseTest, OnlyResponsibleOrAccountablePartiesAcknowledge) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array(), "1h");
  const auto r =
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
           payload({alert("p1", "firing", k_platform), alert("a1", "firing", k_application),
                    alert("g1", "firing", k_unclassified)}));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto events = json::parse(r.body)["events"];
  const std::string platform = events[0]["event"];
  const std::string application = events[1]["event"];
  const std::string gray = events[2]["event"];
  auto escalation_state = [&](const std::string& id) {
    const auto event =
        json::parse(http(port, "GET", "/api/v1/tenants/acme/events/" + id, admin).body);
    for (const auto& d : event["deliveries"]) {
      if (d["kind"] == "escalation") return d["state"].get<std::string>();
    }
    return std::string("none");
  };
  auto ack = http(port, "POST", "/api/v1/tenants/acme/events/" + platform + "/ack", acme.first);
  EXPECT_EQ(ack.status, 403);
  EXPECT_EQ(escalation_state(platform), "pending");
  ack = http(port, "POST", "/api/v1/tenants/acme/events/" + gray + "/ack", acme.first);
  EXPECT_EQ(ack.status, 403);
  EXPECT_EQ(message_of(ack.body),
            "this alert is in the gray zone (no activity of the contract's matrix covers it): the "
            "provider handles it, and only the provider may acknowledge it");
  // The ingest token may not acknowledge anything.
  EXPECT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/events/" + application + "/ack", acme.second).status,
      403);
  ack = http(port, "POST", "/api/v1/tenants/acme/events/" + application + "/ack", acme.first);
  EXPECT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(escalation_state(application), "cancelled");
  s->kill_now();
}

// A send longer than the lease: the lease is renewed while it is in flight, so each
// delivery is sent once.
TEST_P(AbuseTest, ALeaseOutlivesItsSend) {
  Sink slow({"--delay", "9"});
  // Four deliveries per receiver may be in flight: without renewal, each lease (2 s)
  // would lapse mid-send and the dispatcher would claim and send them again.
  auto s = start(
      {"--delivery-lease", "2s", "--delivery-timeout", "12s", "--delivery-per-receiver", "4"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  const auto globex = tenant(port, admin, "globex", json::array());
  for (const char* t : {"acme", "globex"}) {
    receiver(port, admin, std::string("/api/v1/tenants/") + t + "/receivers/client",
             {{"type", "webhook"}, {"url", slow.url(std::string("/") + t)}});
  }
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
           payload({alert("a1", "firing", k_application), alert("a2", "firing", k_application)}))
          .status,
      200);
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/globex/alertmanager", globex.second,
           payload({alert("b1", "firing", k_application), alert("b2", "firing", k_application)}))
          .status,
      200);
  // Four sends of 9 s each, in flight at once; past them, nothing is sent again.
  const auto seen =
      slow.wait_for([](const auto& rs) { return rs.size() >= 4; }, std::chrono::seconds(20));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  std::map<std::string, int> per_delivery;
  for (const auto& q : slow.requests()) ++per_delivery[q["idempotency_key"].get<std::string>()];
  EXPECT_EQ(per_delivery.size(), 4U);
  for (const auto& [key, n] : per_delivery) EXPECT_EQ(n, 1) << key << " was sent " << n << " times";
  (void)seen;
  s->kill_now();
}

// Deliveries of one event to one party leave in order: a "resolved" never overtakes its
// "firing", even while the firing is being retried.
TEST_P(AbuseTest, AResolvedNeverOvertakesItsFiring) {
  Sink flaky({"--fail-first", "2"});
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", flaky.url("/acme")}});
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
                 payload({alert("a1", "firing", k_application)}))
                .status,
            200);
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second,
                 payload({alert("a1", "resolved", k_application)}))
                .status,
            200);
  const auto seen = flaky.wait_for(
      [](const auto& rs) {
        int ok = 0;
        for (const auto& r : rs) ok += r["status"] == 200 ? 1 : 0;
        return ok >= 2;
      },
      std::chrono::seconds(30));
  std::vector<std::string> order;
  for (const auto& r : seen)
    order.push_back(r["body"]["kind"].get<std::string>() + " " +
                    std::to_string(r["status"].get<int>()));
  // Three attempts of the firing (two refused), then three of the resolution.
  EXPECT_EQ(order, (std::vector<std::string>{"firing 500", "firing 500", "firing 200",
                                             "resolved 500", "resolved 500", "resolved 200"}));
  s->kill_now();
}

// A destination that keeps failing opens its circuit: after 5 failures in a row the
// other deliveries wait (no attempt counted) instead of each knocking at it.
TEST_P(AbuseTest, AFailingDestinationOpensItsCircuit) {
  Sink broken({"--status", "500"});
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto acme = tenant(port, admin, "acme", json::array());
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client",
           {{"type", "webhook"}, {"url", broken.url("/acme")}});
  std::vector<json> alerts;
  for (int i = 0; i < 12; ++i)
    alerts.push_back(alert(fmt::format("c{}", i), "firing", k_application));
  ASSERT_EQ(
      http(port, "POST", "/api/v1/tenants/acme/alertmanager", acme.second, payload(alerts)).status,
      200);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto seen = broken.requests();
  // Five failures open it; the two in flight then may add one or two more.
  EXPECT_GE(seen.size(), 5U);
  EXPECT_LE(seen.size(), 7U) << "12 deliveries, each retried, were all attempted";
  std::size_t waiting = 0;
  for (const auto& e : json::parse(http(port, "GET", "/api/v1/tenants/acme/events", admin).body)) {
    for (const auto& d : e["deliveries"]) {
      if (d["kind"] == "firing" && d["attempts"] == 0 && d["state"] == "pending") ++waiting;
    }
  }
  EXPECT_GE(waiting, 5U);
  s->kill_now();
}

// A revocation is never undone by a lookup of the same token in flight.
TEST_P(AbuseTest, ARevokedTokenStaysRevokedUnderLoad) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  int late = 0;
  for (int round = 0; round < 15; ++round) {
    const auto created = json::parse(
        http(port, "POST", "/api/v1/tokens", admin, R"({"role": "editor", "name": "x"})").body);
    const std::string tok = created["token"];
    std::atomic<bool> stop{false};
    std::vector<std::thread> readers;
    for (int i = 0; i < 3; ++i) {
      readers.emplace_back([&] {
        while (!stop) http(port, "GET", "/api/v1/matrices", tok);
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto revoked =
        http(port, "DELETE", "/api/v1/tokens/" + created["id"].get<std::string>(), admin);
    EXPECT_EQ(revoked.status, 200) << "round " << round << ": " << revoked.body;
    // From the answer on, the token is refused.
    for (int i = 0; i < 20; ++i) late += http(port, "GET", "/api/v1/matrices", tok).status == 200;
    stop = true;
    for (auto& t : readers) t.join();
    if (late > 0)
      ADD_FAILURE() << "round " << round << ": the token was honoured after its revocation";
  }
  EXPECT_EQ(late, 0) << "a revoked token was honoured " << late << " times";
  s->kill_now();
}

INSTANTIATE_TEST_SUITE_P(Engines, AbuseTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace racine::test

// A real service desk, end to end (docs/routing.md, "Tickets in a service desk"): Request
// Tracker 5 from Debian, started privately by tests/rt/rt.sh, receives through the
// shipped template (deploy/templates/request-tracker.json) and its REST 2 API a ticket in
// the Responsible party's queue for a firing alert, a comment when the page repeats, and
// the ticket resolved when the alert resolves. What RT holds is read back from RT.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "../prerequisites.h"
#include "engine_test.h"
#include "routing_support.h"
#include "server_process.h"

namespace racine::test {
namespace {

namespace fs = std::filesystem;

// tests/rt/rt.sh in a folder of its own, stopped at the end (and by its own watchdog
// should this test die).
class RequestTracker {
 public:
  RequestTracker() {
    m_dir = fs::temp_directory_path() / ("racine-rt-" + std::to_string(getpid()));
    fs::remove_all(m_dir);
    const std::string cmd = "RACINE_RT_WATCH_PID=" + std::to_string(getpid()) + " bash '" +
                            std::string(RACINE_SOURCE_DIR) + "/tests/rt/rt.sh' '" + m_dir.string() +
                            "' >'" + m_dir.string() + ".log' 2>&1";
    if (std::system(cmd.c_str()) != 0) return;
    std::ifstream in(m_dir / "env");
    std::string line;
    while (std::getline(in, line)) {
      const auto eq = line.find('=');
      if (eq != std::string::npos) m_env[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  ~RequestTracker() {
    const std::string cmd = "bash '" + std::string(RACINE_SOURCE_DIR) + "/tests/rt/rt.sh' stop '" +
                            m_dir.string() + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0 && !::testing::Test::HasFailure()) {
      fs::remove_all(m_dir);
      fs::remove(m_dir.string() + ".log");
    }
  }
  RequestTracker(const RequestTracker&) = delete;
  RequestTracker& operator=(const RequestTracker&) = delete;

  [[nodiscard]] bool up() const { return m_env.contains("RT_URL"); }
  [[nodiscard]] std::string url() const { return m_env.at("RT_URL"); }
  [[nodiscard]] std::string token() const { return m_env.at("RT_TOKEN"); }
  [[nodiscard]] std::uint16_t port() const {
    return static_cast<std::uint16_t>(std::stoi(url().substr(url().rfind(':') + 1)));
  }
  [[nodiscard]] std::string where() const { return m_dir.string(); }
  // REST 2 with racine's token.
  [[nodiscard]] json get(const std::string& path) const {
    const auto r = http(port(), "GET", "/REST/2.0" + path, "", "", "application/json",
                        {{"Authorization", "token " + token()}});
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }

 private:
  fs::path m_dir;
  std::map<std::string, std::string> m_env;
};

// The shipped template, pointed at this Request Tracker with its token.
json shipped_template(const RequestTracker& rt) {
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/deploy/templates/request-tracker.json");
  json t = json::parse(in);
  const std::string example = "https://rt.example.com";
  const auto point = [&](json& url) {
    std::string u = url.get<std::string>();
    EXPECT_TRUE(u.starts_with(example)) << u;
    url = rt.url() + u.substr(example.size());
  };
  point(t["url"]);
  for (auto& [which, step] : t["steps"].items()) point(step["url"]);
  t["headers"]["Authorization"] = "token " + rt.token();
  return t;
}

// The firing delivery's event and the ticket its answer gave back.
std::pair<json, std::string> ticket_of(std::uint16_t port, const std::string& token) {
  const auto events = json::parse(http(port, "GET", "/api/v1/tenants/acme/events", token).body);
  if (!events.is_array() || events.empty()) return {json(), ""};
  for (const auto& d : events[0]["deliveries"])
    if (d["kind"] == "firing" && d.contains("ref") && d["ref"].contains("ticket"))
      return {events[0], d["ref"]["ticket"].get<std::string>()};
  return {events[0], ""};
}

using ServiceDeskTest = RoutingFixture;

TEST_P(ServiceDeskTest, ATicketIsOpenedCommentedWhileItRepeatsAndResolved) {
  RACINE_REQUIRE(fs::exists("/usr/sbin/rt-setup-database-5"),
                 "Request Tracker 5 is absent: install request-tracker5 rt5-db-sqlite "
                 "(scripts/deps.sh test)");
  RequestTracker rt;
  ASSERT_TRUE(rt.up()) << "tests/rt/rt.sh did not start: " << rt.where() << ".log";
  auto s = start({"--public-url", "https://racine.example"});
  const auto port = s->port();
  const std::string admin = s->admin_token();
  const auto [acme, ingest] = tenant(port, admin, "acme", json::array());
  // The provider sets the client's service desk (its own network: the operator's policy).
  receiver(port, admin, "/api/v1/tenants/acme/receivers/client", shipped_template(rt));
  const auto listed =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/receivers", admin).body)[0];
  EXPECT_EQ(listed["capture"], json({{"ticket", "/id"}}));
  EXPECT_EQ(listed["steps"]["resolved"]["headers"], json::array());
  EXPECT_EQ(listed.dump().find(rt.token()), std::string::npos) << "the token is never read back";
  // The client's page repeats every minute while nobody acknowledges it.
  auto r = http(port, "PUT", "/api/v1/tenants/acme/contracts/main/oncall/client", acme,
                json{{"timezone", "Europe/Paris"}, {"repeat_after", "1m"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;

  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                 payload({alert("rt1", "firing", k_application)}))
                .status,
            200);
  std::string ticket;
  json event;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (ticket.empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::tie(event, ticket) = ticket_of(port, admin);
  }
  ASSERT_FALSE(ticket.empty()) << event.dump(2);
  EXPECT_EQ(ticket_of(port, acme).second, "") << "the ticket's number is the provider's to read";
  // In the Responsible party's queue ("Client"), titled in the receiver's language.
  auto t = rt.get("/ticket/" + ticket);
  EXPECT_EQ(t["Queue"]["id"].get<std::string>(), rt.get("/queue/Client")["id"].dump());
  EXPECT_EQ(t["Subject"],
            "Déclenchée\u202f: KubePodCrashLooping\u202f: Gérer les alertes liées aux applications "
            "(acme/main)");
  EXPECT_EQ(t["Status"], "new");
  const auto texts = [&] {
    std::vector<std::string> out;
    const auto all = rt.get("/ticket/" + ticket + "/attachments?fields=ContentType,Content");
    for (const auto& a : all["items"])
      if (a["ContentType"] == "text/plain") out.push_back(a["Content"].get<std::string>());
    return out;
  };
  auto seen = texts();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_NE(seen[0].find("Responsable: Client\n"), std::string::npos) << seen[0];
  EXPECT_NE(seen[0].find("from the routing test\n"), std::string::npos) << seen[0];
  EXPECT_NE(seen[0].find("racine: https://racine.example/#/tenants/acme/events?event=" +
                         event["id"].get<std::string>()),
            std::string::npos)
      << seen[0];
  EXPECT_NE(seen[0].find("Acquitter / acknowledge: https://racine.example/ack/v1."),
            std::string::npos)
      << seen[0];

  // A minute later, still firing and not acknowledged: a comment on the same ticket.
  const auto repeat_deadline = Clock::now() + std::chrono::seconds(100);
  while (texts().size() < 2 && Clock::now() < repeat_deadline)
    std::this_thread::sleep_for(std::chrono::seconds(1));
  seen = texts();
  ASSERT_EQ(seen.size(), 2U) << "no comment after the page repeated: "
                             << ticket_of(port, admin).first.dump(2);
  EXPECT_TRUE(seen[1].starts_with(
      "Déclenchée (1): KubePodCrashLooping, toujours sans acquittement / still not acknowledged."))
      << seen[1];
  bool commented = false;
  const auto history = rt.get("/ticket/" + ticket + "/history?fields=Type");
  for (const auto& h : history["items"]) commented = commented || h["Type"] == "Comment";
  EXPECT_TRUE(commented);
  const auto one = [&](const json& e, const std::string& kind) {
    int n = 0;
    for (const auto& d : e["deliveries"]) n += d["kind"] == kind && d["state"] == "sent";
    return n;
  };
  std::tie(event, std::ignore) = ticket_of(port, admin);
  EXPECT_EQ(one(event, "firing"), 2) << event.dump(2);
  EXPECT_EQ(rt.get("/tickets?query=" + std::string("Queue%3D%27Client%27"))["count"], 1)
      << "one ticket per event and party, however often it repeats";

  // Resolved: the ticket is resolved, with a last comment saying so.
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/alertmanager", ingest,
                 payload({alert("rt1", "resolved", k_application)}))
                .status,
            200);
  const auto resolved_deadline = Clock::now() + std::chrono::seconds(30);
  while (rt.get("/ticket/" + ticket)["Status"] != "resolved" && Clock::now() < resolved_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  t = rt.get("/ticket/" + ticket);
  EXPECT_EQ(t["Status"], "resolved");
  seen = texts();
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[2], "Résolue: KubePodCrashLooping (2026-11-30T10:05:00Z).");
  std::tie(event, std::ignore) = ticket_of(port, admin);
  EXPECT_EQ(one(event, "resolved"), 1) << event.dump(2);
}

// One engine is enough: the journey is the receiver's; the outbox's engines are covered by
// the other suites.
INSTANTIATE_TEST_SUITE_P(Engines, ServiceDeskTest, ::testing::Values("sqlite"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace racine::test

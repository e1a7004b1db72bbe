#pragma once
// What the routing and abuse suites share: a webhook receiver in a process of its own
// (tests/routing/sink.py), Alertmanager's payloads, and a fixture that starts `racine
// serve` on one engine and sets up tenants, contracts, tokens and receivers.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine_test.h"
#include "server_process.h"

namespace racine::test {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// tests/routing/sink.py in a process of its own: a webhook receiver on 127.0.0.1.
class Sink {
 public:
  explicit Sink(std::vector<std::string> extra = {}) {
    static std::atomic<int> counter{0};
    m_dir = std::filesystem::temp_directory_path() /
            ("racine-sink-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
    const std::string port_file = (m_dir / "port").string();
    m_out = (m_dir / "requests.jsonl").string();
    m_pid = fork();
    if (m_pid == 0) {
      std::vector<std::string> all = {
          "python3", std::string(RACINE_SOURCE_DIR) + "/tests/routing/sink.py", port_file, m_out};
      all.insert(all.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp("python3", argv.data());
      _exit(127);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (Clock::now() < deadline && !std::filesystem::exists(port_file))
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream in(port_file);
    in >> m_port;
    if (m_port == 0) throw std::runtime_error("the webhook sink did not start (python3?)");
  }
  ~Sink() {
    kill(m_pid, SIGTERM);
    waitpid(m_pid, nullptr, 0);
    std::filesystem::remove_all(m_dir);
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
  }
  // Every request so far: {"path", "status", "idempotency_key", "signature", "body": {...},
  // "raw": "..."}.
  [[nodiscard]] std::vector<json> requests() const {
    std::vector<json> out;
    std::ifstream in(m_out);
    std::string line;
    while (std::getline(in, line)) {
      auto r = json::parse(line, nullptr, false);
      if (r.is_discarded()) continue;  // a line being written
      r["raw"] = r["body"];
      r["body"] = json::parse(r["body"].get<std::string>(), nullptr, false);
      out.push_back(std::move(r));
    }
    return out;
  }
  // The requests once `done` holds for them, or after `timeout` (the test then fails on
  // what it sees).
  template <typename Pred>
  std::vector<json> wait_for(Pred done, std::chrono::seconds timeout = std::chrono::seconds(20)) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      auto r = requests();
      if (done(r) || Clock::now() > deadline) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  std::filesystem::path m_dir;
  std::string m_out;
  pid_t m_pid = -1;
  int m_port = 0;
};

// Where a Sink given `--arrivals` notes each request's Idempotency-Key as it arrives
// (before its answer); removed when done.
class Arrivals {
 public:
  explicit Arrivals(const std::string& tag)
      : m_path((std::filesystem::temp_directory_path() /
                ("racine-arrivals-" + tag + "-" + std::to_string(getpid())))
                   .string()) {
    std::filesystem::remove(m_path);
  }
  ~Arrivals() { std::filesystem::remove(m_path); }
  Arrivals(const Arrivals&) = delete;
  Arrivals& operator=(const Arrivals&) = delete;

  [[nodiscard]] const std::string& path() const { return m_path; }
  // The keys of the requests that arrived so far, in order.
  [[nodiscard]] std::vector<std::string> keys() const {
    std::vector<std::string> out;
    std::ifstream in(m_path);
    for (std::string line; std::getline(in, line);)
      out.push_back(json::parse(line)["idempotency_key"].get<std::string>());
    return out;
  }

 private:
  std::string m_path;
};

// A counter of the server's /metrics ("racine_outbox_claims_total"); 0, failing the
// test, when it is missing.
inline long long metric(std::uint16_t port, const std::string& name) {
  const std::string metrics = http(port, "GET", "/metrics").body;
  const auto at = metrics.find("\n" + name + " ");
  EXPECT_NE(at, std::string::npos) << name << " in " << metrics;
  return at == std::string::npos ? 0LL : std::stoll(metrics.substr(at + name.size() + 2));
}

// The successful requests as "PATH KIND ROLE FINGERPRINT", sorted (duplicates of one
// Idempotency-Key counted once, as a receiver deduplicates).
inline std::multiset<std::string> delivered(const std::vector<json>& requests) {
  std::multiset<std::string> out;
  std::set<std::string> keys;
  for (const auto& r : requests) {
    if (r["status"] != 200 || !r["body"].is_object()) continue;
    if (!keys.insert(r["idempotency_key"].get<std::string>()).second) continue;
    const auto& b = r["body"];
    out.insert(r["path"].get<std::string>() + " " + b["kind"].get<std::string>() + " " +
               b["role"].get<std::string>() + " " + b["alert"]["fingerprint"].get<std::string>());
  }
  return out;
}

inline json alert(const std::string& fingerprint, const std::string& status, json labels,
                  const std::string& starts = "2026-11-30T10:00:00Z") {
  return {{"status", status},
          {"labels", std::move(labels)},
          {"annotations", {{"summary", "from the routing test"}}},
          {"startsAt", starts},
          {"endsAt", status == "resolved" ? "2026-11-30T10:05:00Z" : "0001-01-01T00:00:00Z"},
          {"generatorURL", "http://prometheus.example/graph"},
          {"fingerprint", fingerprint}};
}

// Alertmanager's webhook payload, version 4 (a vector: `{alert(...)}` as a json would be
// the alert itself, not a list of one).
inline std::string payload(const std::vector<json>& list) {
  const json alerts = list;
  return json{{"version", "4"},
              {"groupKey", "{}:{alertname=\"x\"}"},
              {"truncatedAlerts", 0},
              {"status", "firing"},
              {"receiver", "racine"},
              {"groupLabels", json::object()},
              {"commonLabels", json::object()},
              {"commonAnnotations", json::object()},
              {"externalURL", "http://alertmanager.example"},
              {"alerts", alerts}}
      .dump();
}

// The message of an error answer, "" for any other body.
inline std::string message_of(const std::string& body) {
  const auto j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("error")) return "";
  return j["error"].value("message", "");
}

inline std::string hmac_hex(const std::string& key, const std::string& body) {
  unsigned char mac[32];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &n);
  std::string out;
  for (unsigned i = 0; i < n; ++i) out += fmt::format("{:02x}", mac[i]);
  return out;
}

class RoutingFixture : public EngineTest {
 protected:
  // Quick retries, so that a test sees several attempts in seconds.
  std::unique_ptr<ServerProcess> start(std::vector<std::string> extra = {}) {
    auto a = args;
    a.insert(a.end(), {"--rate-limit", "0", "--retry-initial", "1s", "--retry-max", "2s"});
    a.insert(a.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>(RACINE_BINARY, a);
  }

  std::string token(std::uint16_t port, const std::string& admin, const std::string& role,
                    const std::string& tenant = "") {
    json body = {{"role", role}, {"name", role}};
    if (!tenant.empty()) body["tenant"] = tenant;
    const auto r = http(port, "POST", "/api/v1/tokens", admin, body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body, nullptr, false).value("token", "");
  }

  // A tenant with a contract "main" on the built-in matrix; its tenant and ingest tokens.
  std::pair<std::string, std::string> tenant(std::uint16_t port, const std::string& admin,
                                             const std::string& id, const json& options,
                                             const std::string& escalate_after = "15m") {
    EXPECT_EQ(http(port, "PUT", "/api/v1/tenants/" + id, admin, json{{"name", id}}.dump()).status,
              201);
    const json contract = {{"matrix", "managed-kubernetes"},
                           {"version", 1},
                           {"options", options},
                           {"party", "client"},
                           {"escalate_after", escalate_after}};
    const auto r =
        http(port, "PUT", "/api/v1/tenants/" + id + "/contracts/main", admin, contract.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return {token(port, admin, "tenant", id), token(port, admin, "ingest", id)};
  }

  void receiver(std::uint16_t port, const std::string& admin, const std::string& path,
                const json& body) {
    const auto r = http(port, "PUT", path, admin, body.dump());
    EXPECT_TRUE(r.status == 201 || r.status == 200) << path << ": " << r.body;
  }
};

inline const json k_platform = {{"alertname", "KubeNodeNotReady"}, {"namespace", "kube-system"}};
inline const json k_application = {{"alertname", "KubePodCrashLooping"}, {"namespace", "shop"}};
inline const json k_certificate = {{"alertname", "CertificateExpiringSoon"}, {"namespace", "shop"}};
inline const json k_unclassified = {{"job", "backup"}};

}  // namespace racine::test

// Classification speed: 100,000 objects (one generated `kind: List`) and 100,000 alerts
// (one generated webhook payload), each against the built-in matrix's rules, next to
// parsing the same text with yaml-cpp alone (YAML::Load), in one run.
// Usage: bench_k8s [COUNT]

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/embedded.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "k8s/objects.h"
#include "k8s/rules.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

const char* const k_kinds[][2] = {{"apps/v1", "Deployment"},
                                  {"v1", "Service"},
                                  {"v1", "ConfigMap"},
                                  {"cert-manager.io/v1", "Certificate"},
                                  {"rbac.authorization.k8s.io/v1", "RoleBinding"},
                                  {"monitoring.coreos.com/v1", "ServiceMonitor"},
                                  {"kafka.strimzi.io/v1beta2", "Kafka"},
                                  {"v1", "Node"}};
const char* const k_namespaces[] = {"shop",         "payments", "kube-system", "monitoring",
                                    "cert-manager", "team-a",   "team-b"};
const char* const k_alerts[] = {"KubePodCrashLooping",     "KubeNodeNotReady",
                                "CephClusterWarningState", "CertManagerCertExpirySoon",
                                "KubeJobFailed",           "K10PolicyRunFailed"};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100'000;
  std::string list = "apiVersion: v1\nkind: List\nitems:\n";
  for (std::size_t i = 0; i < n; ++i) {
    const auto& k = k_kinds[i % 8];
    list += std::string("  - apiVersion: ") + k[0] + "\n    kind: " + k[1] +
            "\n    metadata:\n      name: object-" + std::to_string(i) +
            "\n      namespace: " + k_namespaces[i % 7] + "\n      labels:\n        app: app-" +
            std::to_string(i % 100) + "\n";
  }
  std::string payload = "{\"version\": \"4\", \"status\": \"firing\", \"alerts\": [";
  for (std::size_t i = 0; i < n; ++i) {
    payload += std::string(i == 0 ? "" : ",") +
               "\n  {\"status\": \"firing\", \"labels\": {\"alertname\": \"" + k_alerts[i % 6] +
               "\", \"namespace\": \"" + k_namespaces[i % 7] + "\", \"severity\": \"warning\"}}";
  }
  payload += "\n]}\n";

  racine::Limits limits;
  limits.max_bytes = 1ULL << 30;
  auto seed = racine::read_markdown(racine::builtin_matrix(), racine::ReadOptions{});
  auto rules_src = racine::load_text(
      std::string(racine::embedded::find("managed-kubernetes.k8s.yaml")), "rules", limits);
  const auto rules = racine::k8s::parse_rules(*rules_src);
  if (!seed || !rules) return 2;

  auto run = [&](const char* what, const std::string& text, bool alerts) {
    auto t = Clock::now();
    const YAML::Node node = YAML::Load(text);
    const double yaml_cpp = seconds_since(t);
    t = Clock::now();
    auto src = racine::load_text(text, what, limits);
    auto subjects = alerts ? racine::k8s::read_alerts(*src) : racine::k8s::read_manifests(*src);
    const double read = seconds_since(t);
    if (!subjects) return;
    t = Clock::now();
    std::size_t gray = 0;
    for (const auto& l : *subjects) gray += rules->first_match(l.subject) == nullptr ? 1U : 0U;
    const double classify = seconds_since(t);
    std::printf(
        "%-8s %zu (%.1f MB): yaml-cpp parse only %.2f s; racine read %.2f s + classify %.3f s = "
        "%.2f s "
        "(%.2fx yaml-cpp), %.0f per second; %zu in the gray zone\n",
        what, subjects->size(), static_cast<double>(text.size()) / 1e6, yaml_cpp, read, classify,
        read + classify, (read + classify) / yaml_cpp,
        static_cast<double>(subjects->size()) / (read + classify), gray);
    (void)node;
  };
  run("objects", list, false);
  run("alerts", payload, true);
  return 0;
}

// libFuzzer harness: any bytes read as Kubernetes manifests, as an Alertmanager payload
// and as a rules file must give subjects, rules or an error, never crash, hang or leak;
// what reads is classified with the built-in rules.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/embedded.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "k8s/objects.h"
#include "k8s/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const racine::Matrix seed =
      std::move(*racine::read_markdown(racine::builtin_matrix(), racine::ReadOptions{}));
  static const racine::k8s::RuleSet builtin = [] {
    auto src = racine::load_text(std::string(racine::embedded::find("managed-kubernetes.k8s.yaml")),
                                 "rules", racine::Limits{});
    return std::move(*racine::k8s::parse_rules(*src));
  }();
  racine::Limits limits;
  limits.max_bytes = 1 << 20;
  auto src = racine::load_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml",
                               limits);
  if (!src) return 0;
  for (const bool alerts : {false, true}) {
    auto subjects = alerts ? racine::k8s::read_alerts(*src) : racine::k8s::read_manifests(*src);
    if (!subjects) continue;
    for (const auto& l : *subjects) (void)builtin.first_match(l.subject);
  }
  if (auto rules = racine::k8s::parse_rules(*src)) {
    (void)racine::k8s::check_rules(*rules, seed);
    racine::k8s::Subject s;
    s.kind = "Pod";
    s.namespace_ = "shop";
    (void)rules->first_match(s);
  }
  return 0;
}

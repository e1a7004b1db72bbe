#pragma once
// Generated vocabulary shared by the benchmarks (bench_who, bench_diff): words that look
// like words, 2 to 4 syllables, after the domain's own.

#include <random>
#include <string>
#include <vector>

namespace racine::bench {

// Words that look like words: 2 to 4 syllables, plus the domain's own.
inline std::vector<std::string> vocabulary(std::mt19937& rng, std::size_t n) {
  static const char* const k_syllables[] = {"ka",  "lo",  "mi",  "ren", "tu",  "sa", "vel",
                                            "dor", "pi",  "nex", "ra",  "gon", "li", "bar",
                                            "te",  "mos", "fi",  "zan", "cu",  "wel"};
  std::vector<std::string> out = {"backup",   "certificate", "cluster", "node",   "network",
                                  "storage",  "monitor",     "alert",   "patch",  "update",
                                  "deploy",   "restore",     "policy",  "access", "image",
                                  "registry", "pipeline",    "audit"};
  std::uniform_int_distribution<int> syl(0, 19);
  std::uniform_int_distribution<int> len(2, 4);
  while (out.size() < n) {
    std::string w;
    for (int i = len(rng); i > 0; --i) w += k_syllables[syl(rng)];
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace racine::bench

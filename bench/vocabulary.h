#pragma once
// Generated vocabulary shared by the benchmarks (bench_who, bench_diff): words that look
// like words, 2 to 4 syllables, after the domain's own.

#include <algorithm>
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

// Zipf-like draws of indexes into a vocabulary of `n` words: a few words everywhere,
// most rare (word i has weight 1 / (i + 1)).
class Zipf {
 public:
  explicit Zipf(std::size_t n) : m_cumulative(n) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) m_cumulative[i] = total += 1.0 / static_cast<double>(i + 1);
    m_draw = std::uniform_real_distribution<double>(0, total);
  }
  std::size_t operator()(std::mt19937& rng) {
    return static_cast<std::size_t>(
        std::lower_bound(m_cumulative.begin(), m_cumulative.end(), m_draw(rng)) -
        m_cumulative.begin());
  }

 private:
  std::vector<double> m_cumulative;
  std::uniform_real_distribution<double> m_draw;
};

}  // namespace racine::bench

#pragma once
// Token buckets by key, thread-safe: a rate limit per token, per address or per tenant
// (docs/server.md, "Limits"). A bucket holds at most `burst`, refills at `rate` a second;
// a request takes `n` whole or nothing. Bounded: past `capacity` keys the buckets are
// forgotten (all full again), so that a stream of new keys costs no memory.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace racine {

class TokenBuckets {
 public:
  TokenBuckets(double rate_per_second, double burst, std::size_t capacity = 100000)
      : m_rate(rate_per_second), m_burst(burst), m_capacity(capacity) {}

  // Takes `n` from `key`'s bucket at `now_s` (seconds on a steady clock): 0 when taken,
  // else the whole seconds to wait before `n` will be there (at least 1).
  std::int64_t take(const std::string& key, double n, double now_s) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_buckets.size() >= m_capacity && m_buckets.count(key) == 0) m_buckets.clear();
    auto [it, fresh] = m_buckets.try_emplace(key, Bucket{m_burst, now_s});
    Bucket& b = it->second;
    b.tokens = std::min(m_burst, b.tokens + std::max(0.0, now_s - b.at) * m_rate);
    b.at = now_s;
    if (b.tokens < n) {
      return std::max<std::int64_t>(1,
                                    static_cast<std::int64_t>(std::ceil((n - b.tokens) / m_rate)));
    }
    b.tokens -= n;
    return 0;
  }

 private:
  struct Bucket {
    double tokens;
    double at;
  };
  double m_rate;
  double m_burst;
  std::size_t m_capacity;
  std::mutex m_mutex;
  std::unordered_map<std::string, Bucket> m_buckets;
};

}  // namespace racine

#pragma once
// A small map whose entries live a fixed time: what one instance of `racine serve`
// remembers of the store between requests (authenticated tokens, contracts), so that a
// lookup costs no SQL. Several instances may share one database: what another instance
// changes is seen here at most `ttl` later; what this instance changes it erases itself.
// Bounded: when full, it is emptied (a hit rate, not an eviction policy, is what matters
// at this size). Thread-safe.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace racine::service {

template <typename V>
class TtlCache {
 public:
  using Clock = std::chrono::steady_clock;

  TtlCache(Clock::duration ttl, std::size_t capacity) : m_ttl(ttl), m_capacity(capacity) {}

  // The value under `key` while it is fresh.
  std::optional<V> get(const std::string& key) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_map.find(key);
    if (it == m_map.end()) return std::nullopt;
    if (Clock::now() >= it->second.second) {
      m_map.erase(it);
      return std::nullopt;
    }
    return it->second.first;
  }

  void put(const std::string& key, V value) {
    if (m_ttl <= Clock::duration::zero()) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_map.size() >= m_capacity) m_map.clear();
    m_map.insert_or_assign(key, std::make_pair(std::move(value), Clock::now() + m_ttl));
  }

  // `put`, unless `still_valid()` (asked under the cache's lock, so that a `clear` that
  // follows whatever makes it false cannot be undone) says the value went stale.
  template <typename Check>
  void put_if(const std::string& key, V value, Check still_valid) {
    if (m_ttl <= Clock::duration::zero()) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!still_valid()) return;
    if (m_map.size() >= m_capacity) m_map.clear();
    m_map.insert_or_assign(key, std::make_pair(std::move(value), Clock::now() + m_ttl));
  }

  void clear() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_map.clear();
  }

  void set_ttl(Clock::duration ttl) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_ttl = ttl;
    m_map.clear();
  }

 private:
  std::mutex m_mutex;
  Clock::duration m_ttl;
  std::size_t m_capacity;
  std::unordered_map<std::string, std::pair<V, Clock::time_point>> m_map;
};

}  // namespace racine::service

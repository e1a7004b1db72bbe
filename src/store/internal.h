#pragma once
// What the store's translation units share (store.cpp, people.cpp): the connection pool
// and the helpers every table's code uses. Not part of the store's interface.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/sql.h"
#include "store/store.h"

namespace racine::store {

namespace detail {

Value opt_value(const std::optional<std::string>& s);
// The principal's tenant as a parameter: NULL for the provider's roles (no scope).
Value scope_of(const Principal& who);
std::string random_id(std::string_view prefix);
// 96 random bits: event and delivery ids, numerous and long-lived.
std::string long_random_id(std::string_view prefix);
void audit(Connection& c, const Principal& who, std::string_view action, const std::string& target,
           const std::optional<std::string>& tenant);
// A notice: an event of status "request" or "notice" (left out of the alerts' lists) and
// its deliveries, due now (store/requests.cpp).
void record_notice(Connection& c, const std::string& tenant, const std::string& contract,
                   const std::string& status, const std::string& fingerprint, const std::string& at,
                   const RequestNotice& notice);

}  // namespace detail

// A fixed set of connections, each used by one thread at a time. SQLite has one writer:
// write transactions are also serialised in the process (BEGIN IMMEDIATE and the busy
// timeout serialise them across processes).
class Store::Pool {
 public:
  Pool(std::function<std::unique_ptr<Connection>()> connect, std::size_t size)
      : m_connect(std::move(connect)) {
    for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) m_free.push_back(m_connect());
    m_engine = m_free.front()->engine();
  }

  [[nodiscard]] Engine engine() const { return m_engine; }

  // Runs `fn` in a transaction, retrying transient failures a few times.
  template <typename Fn>
  auto run(bool write, Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    constexpr int k_tries = 4;
    for (int attempt = 1;; ++attempt) {
      auto conn = acquire();
      std::unique_lock<std::mutex> writer(m_writer, std::defer_lock);
      if (write && m_engine == Engine::sqlite) writer.lock();
      try {
        // Reads are single statements (each its own snapshot): no transaction around them.
        if (write) conn->begin_write();
        if constexpr (std::is_void_v<decltype(fn(*conn))>) {
          fn(*conn);
          if (write) conn->commit();
          release(std::move(conn));
          return;
        } else {
          auto result = fn(*conn);
          if (write) conn->commit();
          release(std::move(conn));
          return result;
        }
      } catch (const Error& e) {
        conn->rollback();
        const bool broken = !conn->healthy();
        release(broken ? nullptr : std::move(conn));
        if (!e.transient() || attempt == k_tries) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt * attempt));
      } catch (...) {
        conn->rollback();
        release(std::move(conn));
        throw;
      }
    }
  }

 private:
  std::unique_ptr<Connection> acquire() {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_available.wait(lock, [&] { return !m_free.empty() || m_lost > 0; });
    if (!m_free.empty()) {
      auto c = std::move(m_free.back());
      m_free.pop_back();
      return c;
    }
    // A connection was lost: open a new one in its place (outside the lock).
    --m_lost;
    lock.unlock();
    try {
      return m_connect();
    } catch (...) {
      std::lock_guard<std::mutex> again(m_mutex);
      ++m_lost;
      m_available.notify_one();
      throw;
    }
  }

  void release(std::unique_ptr<Connection> c) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (c) {
        m_free.push_back(std::move(c));
      } else {
        ++m_lost;
      }
    }
    m_available.notify_one();
  }

  std::function<std::unique_ptr<Connection>()> m_connect;
  Engine m_engine = Engine::sqlite;
  std::mutex m_mutex;
  std::condition_variable m_available;
  std::vector<std::unique_ptr<Connection>> m_free;
  std::size_t m_lost = 0;
  std::mutex m_writer;
};

}  // namespace racine::store

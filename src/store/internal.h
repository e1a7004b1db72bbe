#pragma once
// What the store's translation units share (store.cpp, people.cpp): the connection pool
// and the helpers every table's code uses. Not part of the store's interface.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
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
// 96 random bits: ids that are numerous and long-lived (maintenance windows, people,
// invitations).
std::string long_random_id(std::string_view prefix);
// The time in milliseconds (11 hex digits), then 96 random bits: event and delivery
// ids, written by the thousand in a storm. In time order, a new row's id goes at the end
// of each index that holds it (the primary keys, deliveries by event) instead of on a
// page anywhere in it: fewer pages written per commit, and fewer read back.
std::string ordered_id(std::string_view prefix);
void audit(Connection& c, const Principal& who, std::string_view action, const std::string& target,
           const std::optional<std::string>& tenant);
// A notice: an event of status "request" (left out of the alerts' lists) and
// its deliveries, due now (store/requests.cpp).
void record_notice(Connection& c, const std::string& tenant, const std::string& contract,
                   const std::string& status, const std::string& fingerprint, const std::string& at,
                   const RequestNotice& notice);
// Inserts `rows` (each the parameters of `tuple`, such as "(?, ?, 'pending')") with
// `head` ("INSERT INTO t (a, b, c) VALUES ") and `tail` (" RETURNING id", or ""), and
// returns what the statements return. SQLite runs one prepared statement per row (no
// round trip to save, and one text to prepare); PostgreSQL one statement for all the
// rows, each column's values in one array parameter (INSERT ... SELECT FROM unnest), so
// that a request's rows cost one round trip and the statement's text, the same for any
// number of rows, is prepared once per connection. A column is bigint when its values
// are integers, text when they are text, and NULL in the statement when all are NULL; one
// that mixes integers and text is refused.
Rows insert_rows(Connection& c, std::string_view head, std::string_view tuple,
                 std::string_view tail, const std::vector<std::vector<Value>>& rows);
// PostgreSQL's literal of an array of `n` values (`at(i)` the i-th: text, integers or
// NULL), the one parameter of a `?::text[]` or `?::bigint[]`.
std::string array_literal(std::size_t n, const std::function<const Value&(std::size_t)>& at);
std::string array_literal(const std::vector<Value>& values);

}  // namespace detail

// A lock taken in the order asked for: SQLite's writers in this process (the committer
// going from one group to the next, the outbox's records and claims, other writes) take
// turns instead of the committer, which asks again as soon as it lets go, taking it
// over and over.
class FairLock {
 public:
  void lock() {
    std::unique_lock<std::mutex> guard(m_mutex);
    const std::uint64_t ticket = m_next++;
    m_turn.wait(guard, [&] { return m_serving == ticket; });
  }
  void unlock() {
    {
      std::lock_guard<std::mutex> guard(m_mutex);
      ++m_serving;
    }
    m_turn.notify_all();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_turn;
  std::uint64_t m_next = 0;
  std::uint64_t m_serving = 0;
};

// A write that a group commit runs together with the others of its kind in the group:
// `run_all` runs every one of them in one call, in the group's transaction (record_alerts:
// one statement per table for all the group's requests, instead of one per request, so
// that a storm of small requests costs PostgreSQL a few statements per group). Only the
// grouping is saved: the outcome is each member's as if run one after another.
struct Mergeable {
  using RunAll = void (*)(Connection& c, const std::vector<Mergeable*>& all);
  explicit Mergeable(RunAll run) : run_all(run) {}
  RunAll run_all;

 protected:
  ~Mergeable() = default;
};

// A fixed set of connections, each used by one thread at a time. SQLite has one writer:
// write transactions are also serialised in the process (BEGIN IMMEDIATE and the busy
// timeout serialise them across processes).
class Store::Pool {
 public:
  Pool(std::function<std::unique_ptr<Connection>()> connect, std::size_t size,
       std::size_t committers)
      : m_connect(std::move(connect)) {
    for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) m_free.push_back(m_connect());
    m_engine = m_free.front()->engine();
    m_committer_count = committers > 0 ? committers
                        : m_engine == Engine::sqlite
                            ? 1
                            : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 8);
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(m_group_mutex);
      m_group_stop = true;
    }
    m_group_ready.notify_all();
    for (auto& t : m_committers) t.join();
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Group commit: `work` joins the writes of other callers in one transaction, made by
  // a committer thread, which takes what arrived while it was committing the previous
  // group (as a database's WAL writer does), so that concurrent writers share one durable
  // commit. SQLite has one committer (one writer at a time), which takes everything;
  // PostgreSQL one per core, 2 to 8 (a group is its server's work on one backend, one
  // core: one committer would leave the others idle under large requests, and the server
  // groups the committers' concurrent commits in its WAL flush), each taking its share of
  // what waits when others wait too: writes in flight at once may then commit in either
  // order. `done` is called on the committer thread
  // once the commit that holds `work`'s rows is durable (nullptr), or with what it threw. `work`
  // may run more than once (its outputs are reset by itself): a group whose commit fails
  // transiently is tried again whole (as `run` does), and when one member throws, the
  // group is rolled back and each member runs alone in its own transaction, so that one
  // request's failure fails that request only. `merge` (which `work` and `done` keep alive)
  // runs `work` with the others of its kind in the group (Mergeable); alone, and after a
  // failure, `work` runs.
  void submit(std::function<void(Connection&)> work, std::function<void(std::exception_ptr)> done,
              Mergeable* merge = nullptr) {
    {
      std::lock_guard<std::mutex> lock(m_group_mutex);
      if (m_committers.empty()) start_committers();
      const std::uint64_t ticket = ++m_submitted;
      m_unfinished.insert(ticket);
      m_group_queue.push_back(Job{std::move(work), std::move(done), merge, ticket});
    }
    m_group_ready.notify_one();
  }

  // A small write that may share a group commit: on SQLite through the committer (one
  // writer: each commit of its own would wait for the others' syncs); on PostgreSQL in a
  // transaction of its own on the caller's connection, concurrent with the committer's
  // (the server groups concurrent commits in its WAL flush itself, and one committer
  // connection would run them one after another behind the alert groups).
  template <typename Fn>
  void record(Fn&& fn) {
    if (m_engine == Engine::sqlite) {
      grouped(std::forward<Fn>(fn));
    } else {
      run(true, std::forward<Fn>(fn));
    }
  }

  // Returns once every write submitted so far is committed (or failed) and its `done`
  // called: before what those callbacks use goes away. The committers go on: writes
  // submitted meanwhile and later (the outbox's senders recording what they sent, at
  // shutdown) are committed as any other. (Stopping the
  // committers and starting them again left a write submitted during the wait to a
  // committer that had stopped, and every later write waiting for ever; and waiting for an
  // empty queue would last as long as the senders keep it busy.)
  void finish_writes() {
    std::unique_lock<std::mutex> lock(m_group_mutex);
    const std::uint64_t last = m_submitted;
    m_group_finished.wait(lock,
                          [&] { return m_unfinished.empty() || *m_unfinished.begin() > last; });
  }

  // `submit`, waiting for the commit: the calling thread's write shares the commit of
  // whatever the other threads write meanwhile.
  // `merge`: as in submit.
  template <typename Fn>
  auto grouped(Fn&& fn, Mergeable* merge = nullptr) -> decltype(fn(std::declval<Connection&>())) {
    using Result = decltype(fn(std::declval<Connection&>()));
    std::promise<void> committed;
    auto future = committed.get_future();
    auto done = [&](std::exception_ptr e) {
      if (e) {
        committed.set_exception(e);
      } else {
        committed.set_value();
      }
    };
    if constexpr (std::is_void_v<Result>) {
      submit([&](Connection& c) { fn(c); }, done, merge);
      future.get();
    } else {
      std::optional<Result> result;
      submit([&](Connection& c) { result.emplace(fn(c)); }, done, merge);
      future.get();
      return std::move(*result);
    }
  }

  [[nodiscard]] Engine engine() const { return m_engine; }

  // Runs `fn` on every free connection of the pool and on the committers' (opened now,
  // not at the first write), one after another, each handed back once done: a server
  // about to serve has each of PostgreSQL's backends read its catalogues and open the
  // tables it will use before the first request does. After the first failure (a
  // connection that cannot open, or `fn` throwing: the database is not answering as it
  // should, and the first requests will meet it anyway) the rest are handed back as they
  // are, a broken connection dropped (another opens in its place when needed; one lost
  // before is opened here too). Returns how many ran `fn` without failing; never throws.
  std::size_t warm(const std::function<void(Connection&)>& fn) {
    std::vector<std::unique_ptr<Connection>> free;
    std::size_t to_open = 0;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      add_committer_connections();
      free.swap(m_free);
      to_open = m_lost;  // opened here; a null handed back is counted lost again
      m_lost = 0;
    }
    std::size_t warmed = 0;
    bool failed = false;
    const auto one = [&](std::unique_ptr<Connection> c) {
      if (!failed) {
        try {
          if (!c) c = m_connect();
          fn(*c);
        } catch (...) {
          failed = true;
          if (c) c->rollback();
        }
        if (c && !c->healthy()) {
          failed = true;
          c.reset();
        }
        if (!failed) ++warmed;
      }
      release(std::move(c));
    };
    for (auto& c : free) one(std::move(c));
    for (std::size_t i = 0; i < to_open; ++i) one(nullptr);
    return warmed;
  }

  // Runs `fn` in a transaction, retrying transient failures a few times.
  template <typename Fn>
  auto run(bool write, Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    constexpr int k_tries = 4;
    for (int attempt = 1;; ++attempt) {
      // SQLite's writes: one connection, under the writer lock (m_sqlite_writer).
      const bool writer = write && m_engine == Engine::sqlite;
      std::unique_lock<FairLock> turn(m_writer, std::defer_lock);
      if (writer) turn.lock();
      auto conn = writer ? take_writer() : acquire();
      try {
        // Reads are single statements (each its own snapshot): no transaction around them.
        if (write) conn->begin_write();
        if constexpr (std::is_void_v<decltype(fn(*conn))>) {
          fn(*conn);
          if (write) conn->commit();
          give_back(writer, std::move(conn));
          return;
        } else {
          auto result = fn(*conn);
          if (write) conn->commit();
          give_back(writer, std::move(conn));
          return result;
        }
      } catch (const Error& e) {
        conn->rollback();
        const bool broken = !conn->healthy();
        give_back(writer, broken ? nullptr : std::move(conn));
        if (!e.transient() || attempt == k_tries) throw;
        if (turn.owns_lock()) turn.unlock();  // others write while this one waits
        std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt * attempt));
      } catch (...) {
        conn->rollback();
        const bool broken = !conn->healthy();
        give_back(writer, broken ? nullptr : std::move(conn));
        throw;
      }
    }
  }

 private:
  struct Job {
    std::function<void(Connection&)> work;
    std::function<void(std::exception_ptr)> done;
    Mergeable* merge = nullptr;
    std::uint64_t ticket = 0;  // the order it was submitted in (finish_writes)
  };
  // Called under m_group_mutex, at the first write submitted; they run until the pool
  // goes.
  void start_committers() {
    const std::size_t n = m_committer_count;
    {
      std::lock_guard<std::mutex> pool(m_mutex);
      add_committer_connections();
    }
    m_available.notify_all();
    for (std::size_t i = 0; i < n; ++i) m_committers.emplace_back([this] { commit_loop(); });
  }

  // Under m_mutex: the committers' own connections (PostgreSQL), beside those of the
  // threads that read, counted once (at the first write, or by warm()) as lost, so that
  // they are opened when first needed.
  void add_committer_connections() {
    if (m_engine == Engine::sqlite || m_committer_connections >= m_committer_count) return;
    m_lost += m_committer_count - m_committer_connections;
    m_committer_connections = m_committer_count;
  }

  // Bounds a group (and so the latency the first of it waits for the last).
  static constexpr std::size_t k_group_max = 128;

  void commit_loop() {
    std::unique_lock<std::mutex> lock(m_group_mutex);
    for (;;) {
      ++m_committers_waiting;
      m_group_ready.wait(lock, [&] { return m_group_stop || !m_group_queue.empty(); });
      --m_committers_waiting;
      if (m_group_queue.empty()) return;  // stopping, nothing left
      // Its share of what waits when other committers wait too (PostgreSQL): they commit
      // at once, on other cores, instead of one group holding every request waiting.
      const std::size_t share =
          (m_group_queue.size() + m_committers_waiting) / (m_committers_waiting + 1);
      std::vector<Job> group;
      while (!m_group_queue.empty() && group.size() < std::min(share, k_group_max)) {
        group.push_back(std::move(m_group_queue.front()));
        m_group_queue.pop_front();
      }
      if (!m_group_queue.empty()) m_group_ready.notify_one();
      lock.unlock();
      commit_group(group);
      lock.lock();
    }
  }

  void commit_group(std::vector<Job>& group) {
    if (group.size() > 1) {
      bool together = false;
      try {
        run(true, [&](Connection& c) { run_together(c, group); });
        together = true;
      } catch (...) {
        // Rolled back: each alone below.
      }
      if (together) {
        for (auto& j : group) finished(j, nullptr);
        return;
      }
    }
    for (auto& j : group) {
      std::exception_ptr failure;
      try {
        run(true, [&](Connection& c) { j.work(c); });
      } catch (...) {
        failure = std::current_exception();
      }
      finished(j, failure);
    }
  }

  void finished(Job& j, std::exception_ptr failure) {
    j.done(std::move(failure));
    {
      std::lock_guard<std::mutex> lock(m_group_mutex);
      m_unfinished.erase(j.ticket);
    }
    m_group_finished.notify_all();
  }

  // The group's writes in order, each run of consecutive writes of one kind
  // (Mergeable::run_all) at once: another write between two alert requests (on SQLite a
  // delivery recorded as sent) stays between them, so that the second sees it.
  static void run_together(Connection& c, std::vector<Job>& group) {
    std::vector<Mergeable*> run;
    const auto flush = [&] {
      if (!run.empty()) run.front()->run_all(c, run);
      run.clear();
    };
    for (auto& j : group) {
      if (j.merge && !run.empty() && run.front()->run_all != j.merge->run_all) flush();
      if (j.merge) {
        run.push_back(j.merge);
        continue;
      }
      flush();
      j.work(c);
    }
    flush();
  }

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

  // SQLite's writer connection, opened when first needed (and again after it broke);
  // called under the writer lock.
  std::unique_ptr<Connection> take_writer() {
    if (!m_sqlite_writer) {
      m_sqlite_writer = m_connect();
      m_sqlite_writer->become_writer();
    }
    return std::move(m_sqlite_writer);
  }

  void give_back(bool writer, std::unique_ptr<Connection> c) {
    if (writer) {
      m_sqlite_writer = std::move(c);  // null when broken: opened again next time
    } else {
      release(std::move(c));
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
  FairLock m_writer;
  // SQLite: every write of the process (the committer's groups, the outbox's claims and
  // records, the rest) goes through this one connection, under m_writer, so that its
  // page cache is never emptied by another connection's write, and its WAL is
  // checkpointed beside it (Connection::become_writer, sql_sqlite.cpp).
  std::unique_ptr<Connection> m_sqlite_writer;
  std::mutex m_group_mutex;
  std::condition_variable m_group_ready;
  std::deque<Job> m_group_queue;
  std::size_t m_committers_waiting = 0;  // committers waiting for work (under m_group_mutex)
  bool m_group_stop = false;
  std::uint64_t m_submitted = 0;         // tickets given
  std::set<std::uint64_t> m_unfinished;  // submitted, `done` not yet called
  std::condition_variable m_group_finished;
  std::size_t m_committer_count = 1;
  std::size_t m_committer_connections = 0;  // the pool was given one more for each
  std::vector<std::thread> m_committers;    // started at the first submit; joined first
};

}  // namespace racine::store

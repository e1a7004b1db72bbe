// SQLite engine: one file, WAL journal, synchronous=FULL (a committed write survives a
// power loss), foreign keys on, and a busy timeout so that a second writer (another
// thread's connection or another process) waits instead of failing. Each connection
// keeps its prepared statements (by SQL text), reset after each use so that no read
// stays open.
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/sql.h"

namespace racine::store {

const std::string& Row::text(std::size_t i) const {
  const auto& c = cells.at(i);
  if (!c) throw Error("store: unexpected NULL in column " + std::to_string(i), false);
  return *c;
}

std::int64_t Row::integer(std::size_t i) const {
  const std::string& t = text(i);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc{} || ptr != t.data() + t.size())
    throw Error("store: not an integer: " + t, false);
  return v;
}

namespace {

constexpr int k_busy_timeout_ms = 10000;
// Statements kept per connection: the store's SQL is a fixed set of a few dozen texts.
constexpr std::size_t k_max_statements = 128;

// Off before SQLite starts: its memory statistics take a global mutex on every
// allocation, which every connection of every thread then contends for.
void configure_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

bool transient_code(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
         primary == SQLITE_FULL;
}

// The WAL of the process's writer, checkpointed beside it: SQLite's automatic
// checkpoint runs inside the commit that crosses 1,000 pages in the WAL, on the writer
// (the group committer), which then copied pages to the database file and synced it
// instead of committing the next group (a sixth of its time, and its slowest commits).
// Here a commit that finds the WAL past k_background_frames wakes this thread, which
// checkpoints PASSIVE on a connection of its own (never blocking the writer); a commit
// that finds it past k_inline_frames (the thread not keeping up, or always overtaken by
// new commits, so that the WAL is never wholly copied and cannot start again from its
// beginning) checkpoints itself, as SQLite would: the WAL stays under 32 MiB.
class Checkpointer {
 public:
  static constexpr int k_background_frames = 1000;
  static constexpr int k_inline_frames = 8000;

  explicit Checkpointer(const std::string& path) : m_path(path) {
    m_thread = std::thread([this] { loop(); });
  }
  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  void wake() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_due = true;
    }
    m_wake.notify_one();
  }

 private:
  void loop() {
    sqlite3* db = nullptr;
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
      m_wake.wait(lock, [&] { return m_stop || m_due; });
      if (m_stop) break;
      m_due = false;
      lock.unlock();
      if (db == nullptr) db = open();
      // A failure (busy: another checkpoint under way) is tried at the next wake, on a
      // connection opened again when it failed otherwise; the writer's own checkpoint
      // past k_inline_frames bounds the WAL whatever happens here.
      if (db != nullptr) {
        int log = 0;
        int copied = 0;
        const int rc =
            sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        if ((rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) || log < 0) {
          sqlite3_close_v2(db);
          db = nullptr;
        }
      }
      lock.lock();
    }
    lock.unlock();
    sqlite3_close_v2(db);
  }

  // Its own connection, having read the schema (so that it has opened the WAL: a
  // checkpoint on a connection that has not does nothing); nullptr when that failed.
  sqlite3* open() const {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(m_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK ||
        sqlite3_busy_timeout(db, 1000) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA synchronous=FULL; SELECT COUNT(*) FROM sqlite_schema", nullptr,
                     nullptr, nullptr) != SQLITE_OK) {
      sqlite3_close_v2(db);
      return nullptr;
    }
    return db;
  }

  std::string m_path;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_due = false;
  bool m_stop = false;
  std::thread m_thread;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) : m_path(path) {
    configure_once();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
      sqlite3_close(m_db);
      m_db = nullptr;
      throw Error("sqlite: cannot open " + path + ": " + message, transient_code(rc));
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, k_busy_timeout_ms);
    // Switching a new database to WAL takes an exclusive lock. Connections opening it at
    // once (instances starting together) can each hold the shared lock the others wait
    // on: SQLite then answers SQLITE_BUSY at once, without its busy handler (it would be a
    // deadlock). Try again for as long as the busy timeout, with a growing pause.
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
    for (int attempt = 1;; ++attempt) {
      try {
        script("PRAGMA journal_mode=WAL");
        break;
      } catch (const Error& e) {
        if (!e.transient() || std::chrono::steady_clock::now() >= give_up) {
          sqlite3_close_v2(m_db);
          m_db = nullptr;
          throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 100)));
      }
    }
    script("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    // journal_mode answers with a row; check that WAL was really taken.
    const Rows mode = query("PRAGMA journal_mode", {});
    if (mode.empty() || mode[0].text(0) != "wal")
      throw Error("sqlite: " + path + " cannot use WAL", false);
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : m_statements) sqlite3_finalize(stmt);
    sqlite3_close_v2(m_db);
  }

  [[nodiscard]] Engine engine() const override { return Engine::sqlite; }

  Rows query(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = statement(sql);
    // Reset after use, whatever happens: a statement left stepping holds a read open.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    int rc = SQLITE_OK;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      if (std::holds_alternative<std::nullptr_t>(params[i])) {
        rc = sqlite3_bind_null(stmt, at);
      } else if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, at, *n);
      } else {
        const auto& s = std::get<std::string>(params[i]);
        rc = sqlite3_bind_text64(stmt, at, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) fail(rc, sql);
    }
    Rows rows;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Row row;
      const int n = sqlite3_column_count(stmt);
      row.cells.reserve(static_cast<std::size_t>(n));
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.cells.emplace_back(std::nullopt);
          continue;
        }
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        const int bytes = sqlite3_column_bytes(stmt, c);
        row.cells.emplace_back(std::string(text, static_cast<std::size_t>(bytes)));
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) fail(rc, sql);
    return rows;
  }

  void script(std::string_view sql) override {
    char* message = nullptr;
    const std::string copy(sql);
    const int rc = sqlite3_exec(m_db, copy.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      throw Error("sqlite: " + text, transient_code(rc));
    }
  }

  void begin_write() override { script("BEGIN IMMEDIATE"); }
  void begin_read() override { script("BEGIN"); }
  void commit() override { script("COMMIT"); }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(m_db) == 0)
      sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  // Not left inside a transaction (a ROLLBACK that failed): the writer would refuse
  // every BEGIN after it, and is opened again instead.
  bool healthy() override { return sqlite3_get_autocommit(m_db) != 0; }

  void become_writer() override {
    if (m_checkpointer) return;
    // journal_size_limit: a WAL grown past its bound (one large transaction, a reader
    // that kept an old snapshot) is cut back when it starts again from its beginning.
    script("PRAGMA cache_size = -" + std::to_string(k_writer_cache_kib) +
           "; PRAGMA journal_size_limit = " + std::to_string(k_wal_limit_bytes));
    m_checkpointer = std::make_unique<Checkpointer>(m_path);
    // In place of SQLite's automatic checkpoint (itself a WAL hook).
    sqlite3_wal_hook(m_db, &SqliteConnection::on_wal, this);
  }

 private:
  // A connection's page cache is emptied whenever another connection has written since
  // its last transaction; the writer, alone to write, keeps its own, larger than SQLite's
  // default 2 MiB (with the writes spread over the pool, each write transaction read its
  // B-tree pages again from the file: a tenth of the committer's time).
  static constexpr int k_writer_cache_kib = 32768;
  static constexpr std::int64_t k_wal_limit_bytes = std::int64_t{32} << 20;

  // After each commit: `frames` is the WAL's length, which starts again from 0 once a
  // checkpoint has copied all of it. The thread is woken once per k_background_frames
  // new frames (as often as SQLite's own checkpoint would run), not at every commit.
  static int on_wal(void* self, sqlite3* db, const char* name, int frames) {
    auto* c = static_cast<SqliteConnection*>(self);
    if (frames < c->m_frames) c->m_next_checkpoint = Checkpointer::k_background_frames;
    c->m_frames = frames;
    if (frames >= Checkpointer::k_inline_frames) {
      sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (frames >= c->m_next_checkpoint) {
      c->m_next_checkpoint = frames + Checkpointer::k_background_frames;
      c->m_checkpointer->wake();
    }
    return SQLITE_OK;
  }

  // The prepared statement of `sql`, prepared on first use.
  sqlite3_stmt* statement(std::string_view sql) {
    const std::string key(sql);
    if (const auto it = m_statements.find(key); it != m_statements.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      fail(rc, sql);
    }
    if (m_statements.size() >= k_max_statements) {
      for (auto& [text, s] : m_statements) sqlite3_finalize(s);
      m_statements.clear();
    }
    m_statements.emplace(key, stmt);
    return stmt;
  }

  [[noreturn]] void fail(int rc, std::string_view sql) {
    const int primary = rc & 0xff;
    std::string what = sqlite3_errmsg(m_db);
    if (primary == SQLITE_CONSTRAINT) throw Error("sqlite: constraint: " + what, false);
    throw Error("sqlite: " + what + " (in: " + std::string(sql.substr(0, 60)) + ")",
                transient_code(rc));
  }

  std::string m_path;
  sqlite3* m_db = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> m_statements;
  std::unique_ptr<Checkpointer> m_checkpointer;  // the writer's (become_writer)
  int m_frames = 0;                              // the WAL's length at the last commit
  int m_next_checkpoint = Checkpointer::k_background_frames;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteConnection>(path);
}

}  // namespace racine::store

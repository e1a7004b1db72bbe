// PostgreSQL engine over libpq: text parameters and results, synchronous_commit on (a
// committed write is on the server's disk before the answer), errors sorted into
// transient (connection lost, serialization failure, deadlock, too many connections,
// shutting down, a server that became a read-only standby) and permanent ones by their
// SQLSTATE. A connection that met a lost server, a shutdown or a standby is given up
// (healthy() false): the pool opens another, which libpq's multi-host URL with
// target_session_attrs=read-write takes to whichever host is the primary now.
#include "store/sql.h"

#include <libpq-fe.h>

#include <cstdint>
#include <exception>
#include <string>
#include <unordered_map>
#include <vector>

namespace racine::store {

std::string replace_placeholders(std::string_view sql,
                                 const std::function<std::string(std::size_t)>& with) {
  std::string out;
  out.reserve(sql.size() + 16);
  std::size_t n = 0;
  char quote = 0;
  for (const char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += with(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string number_placeholders(std::string_view sql) {
  return replace_placeholders(sql, [](std::size_t n) {
    std::string p = "$";
    p += std::to_string(n);
    return p;
  });
}

namespace {

// SQLSTATE classes and codes worth another try.
bool transient_state(const char* state) {
  if (state == nullptr) return true;  // no state: the connection itself failed
  const std::string s(state);
  return s.starts_with("08") ||                           // connection exception
         s == "40001" || s == "40P01" ||                  // serialization failure, deadlock
         s.starts_with("53") ||                           // insufficient resources
         s == "57P01" || s == "57P02" || s == "57P03" ||  // shutting down, cannot connect now
         s == "55P03" ||                                  // lock not available
         s == "25006";  // read-only transaction: the server is a standby now (failover)
}

// States after which the connection is not worth keeping: the server is gone, shutting
// down, or no longer the primary (a demoted one keeps refusing writes).
bool abandon_state(const char* state) {
  if (state == nullptr) return true;
  const std::string s(state);
  return s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03" || s == "25006";
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) {
    // Defaults the URL may override (it comes after them): a connection that cannot be
    // made within 10 s fails, and a database that stops answering mid-query is noticed
    // within about 30 s (TCP keepalives, and unacknowledged data given up on), so that a
    // request, a probe or the outbox never waits on it without end (libpq's own defaults:
    // no timeout, keepalives after 2 hours).
    const char* keys[] = {"connect_timeout",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "tcp_user_timeout",
                          "dbname",
                          nullptr};
    const char* values[] = {"10", "15", "5", "3", "30000", url.c_str(), nullptr};
    m_conn = PQconnectdbParams(keys, values, 1);
    if (m_conn == nullptr || PQstatus(m_conn) != CONNECTION_OK) {
      std::string message = m_conn != nullptr ? PQerrorMessage(m_conn) : "out of memory";
      PQfinish(m_conn);
      m_conn = nullptr;
      while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
      throw Error("postgresql: cannot connect: " + message, true);
    }
    script("SET synchronous_commit = on; SET client_min_messages = warning");
  }
  ~PgConnection() override { PQfinish(m_conn); }

  [[nodiscard]] Engine engine() const override { return Engine::postgresql; }

  Rows query(std::string_view sql, const std::vector<Value>& params) override {
    return run(sql, params, false);
  }

  Rows prepared(std::string_view sql, const std::vector<Value>& params) override {
    return run(sql, params, true);
  }

  // query(), the statement prepared when `always` or preparable(), and seen before.
  Rows run(std::string_view sql, const std::vector<Value>& params, bool always) {
    if (!m_queued.empty()) {
      // Statements wait in the pipeline: this one goes with them, in one round trip.
      send(sql, params, true, always);
      return sync();
    }
    if (!m_stale.empty() && PQtransactionStatus(m_conn) == PQTRANS_IDLE) deallocate_stale();
    const std::string text = number_placeholders(sql);
    const Params p(params);
    const bool prepare = always || preparable(text);
    auto found = prepare ? m_statements.find(text) : m_statements.end();
    if (found == m_statements.end()) {
      if (m_statements.size() >= k_statements_max) forget_statements();
      if (prepare) m_statements.emplace(text, std::string());
      return take(PQexecParams(m_conn, text.c_str(), p.count(), nullptr, p.values.data(), nullptr,
                               nullptr, 0),
                  sql);
    }
    if (found->second.empty()) {
      std::string name = "racine_";
      name += std::to_string(++m_prepared);
      take(PQprepare(m_conn, name.c_str(), text.c_str(), p.count(), nullptr), sql);
      found->second = std::move(name);
    }
    try {
      return take(PQexecPrepared(m_conn, found->second.c_str(), p.count(), p.values.data(), nullptr,
                                 nullptr, 0),
                  sql);
    } catch (const Error& e) {
      // "cached plan must not change result type" (a table changed under it, by another
      // instance's migration): the next try (the transaction is aborted: the pool tries
      // it again) prepares the text again, under a new name.
      if (!m_replan) throw;
      forget(found);
      throw Error(e.what(), true);
    }
  }

  // Sent in libpq's pipeline mode without waiting for its answer: it travels with the
  // next statement or the commit, in the same round trip, and its failure is thrown by
  // that one (the transaction is then aborted all the same). At most 64 wait.
  void defer(std::string_view sql, const std::vector<Value>& params) override {
    if (m_queued.empty() && PQtransactionStatus(m_conn) == PQTRANS_IDLE) {
      query(sql, params);  // outside a transaction: nothing would carry it
      return;
    }
    send(sql, params, true);
    if (m_queued.size() >= k_queued_max) sync();
  }

  void script(std::string_view sql) override {
    if (!m_queued.empty()) sync();
    const std::string copy(sql);
    take(PQexec(m_conn, copy.c_str()), sql);
  }

  // BEGIN waits for the transaction's first statement, COMMIT goes with the deferred ones:
  // a transaction of one statement costs one round trip, not three.
  void begin_write() override { send("BEGIN", {}, false); }
  void begin_read() override { send("BEGIN", {}, false); }
  void commit() override {
    if (m_queued.empty()) return script("COMMIT");
    send("COMMIT", {}, false);
    sync();
  }
  void rollback() noexcept override {
    if (m_abandoned) return;
    if (!m_queued.empty()) {
      try {
        sync();
      } catch (...) {
        // Rolled back below all the same.
      }
    }
    if (PQstatus(m_conn) == CONNECTION_OK && PQtransactionStatus(m_conn) != PQTRANS_IDLE)
      PQclear(PQexec(m_conn, "ROLLBACK"));
  }
  bool healthy() override { return !m_abandoned && PQstatus(m_conn) == CONNECTION_OK; }

 private:
  // Parameters as libpq takes them: text, or a null pointer for SQL NULL.
  struct Params {
    std::vector<std::string> storage;
    std::vector<const char*> values;
    explicit Params(const std::vector<Value>& params) {
      storage.reserve(params.size());
      values.reserve(params.size());
      for (const auto& p : params) {
        if (std::holds_alternative<std::nullptr_t>(p)) {
          values.push_back(nullptr);
          continue;
        }
        if (const auto* n = std::get_if<std::int64_t>(&p)) {
          storage.push_back(std::to_string(*n));
        } else {
          storage.push_back(std::get<std::string>(p));
        }
        values.push_back(storage.back().c_str());
      }
    }
    [[nodiscard]] int count() const { return static_cast<int>(values.size()); }
  };

  // A connection whose pipeline broke is given up: what it has sent is unknown.
  [[noreturn]] void broken(std::string_view sql) {
    m_abandoned = true;
    m_queued.clear();
    std::string message = PQerrorMessage(m_conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    throw Error("postgresql: " + message + " (in: " + std::string(sql.substr(0, 60)) + ")", true);
  }

  // Which statements are prepared (parsed once per connection, then planned once for
  // any values): the INSERTs that read no table, whose plan is the same whatever the
  // tables hold (a request's events and deliveries, the audit lines): parsing and
  // planning them was a third of the server's work on small requests. The others are
  // planned for their values each time: a generic plan made while a table was small kept
  // reading it whole once it had grown (the claim's events by id: 0.36 ms instead of a
  // few us; the claim itself: 1.7 ms instead of 7 us with every delivery held).
  static bool preparable(std::string_view text) {
    if (!text.starts_with("INSERT ")) return false;
    for (std::size_t at = text.find(" FROM "); at != std::string_view::npos;
         at = text.find(" FROM ", at + 6)) {
      if (text.substr(at + 6, 7) != "unnest(") return false;
    }
    return true;
  }

  // Sends `sql` in pipeline mode (entered if need be), prepared when `cached`, `always` or
  // preparable, and seen before; its answer is read by sync().
  void send(std::string_view sql, const std::vector<Value>& params, bool cached,
            bool always = false) {
    if (PQpipelineStatus(m_conn) == PQ_PIPELINE_OFF && PQenterPipelineMode(m_conn) != 1)
      broken(sql);
    const std::string text = number_placeholders(sql);
    const bool prepare = cached && (always || preparable(text));
    const Params p(params);
    int sent = 0;
    auto found = prepare ? m_statements.find(text) : m_statements.end();
    if (found == m_statements.end()) {
      // (A full map is emptied by query(), which can deallocate outside a pipeline.)
      if (prepare && m_statements.size() < k_statements_max)
        m_statements.emplace(text, std::string());
      sent = PQsendQueryParams(m_conn, text.c_str(), p.count(), nullptr, p.values.data(), nullptr,
                               nullptr, 0);
    } else {
      if (found->second.empty()) {
        std::string name = "racine_";
        name += std::to_string(++m_prepared);
        if (PQsendPrepare(m_conn, name.c_str(), text.c_str(), p.count(), nullptr) != 1) broken(sql);
        m_queued.push_back(Queued{std::string(sql.substr(0, 60)), true});
        m_pipeline_prepared.push_back(text);
        found->second = std::move(name);
      }
      sent = PQsendQueryPrepared(m_conn, found->second.c_str(), p.count(), p.values.data(), nullptr,
                                 nullptr, 0);
    }
    if (sent != 1) broken(sql);
    m_queued.push_back(Queued{std::string(sql.substr(0, 60)), false});
  }

  // Ends the pipeline: reads the answers of what was sent, in order, and returns the last
  // statement's rows; the first failure is thrown once every answer is read.
  Rows sync() {
    const std::string last = m_queued.back().sql;
    if (PQpipelineSync(m_conn) != 1) broken(last);
    std::exception_ptr failure;
    Rows rows;
    for (std::size_t i = 0; i < m_queued.size(); ++i) {
      while (PGresult* res = PQgetResult(m_conn)) {
        const auto status = PQresultStatus(res);
        if (status == PGRES_PIPELINE_ABORTED || status == PGRES_PIPELINE_SYNC) {
          PQclear(res);
          if (status == PGRES_PIPELINE_SYNC) broken(last);  // fewer answers than statements
          continue;
        }
        try {
          Rows got = take(res, m_queued[i].sql);
          if (i + 1 == m_queued.size()) rows = std::move(got);
        } catch (...) {
          if (!failure) failure = std::current_exception();
        }
      }
    }
    PGresult* end = PQgetResult(m_conn);
    const bool synced = end != nullptr && PQresultStatus(end) == PGRES_PIPELINE_SYNC;
    PQclear(end);
    m_queued.clear();
    if (!synced || PQexitPipelineMode(m_conn) != 1) broken(last);
    if (failure) {
      // Statements prepared in a failed pipeline may not exist: prepared again next time.
      for (const auto& text : m_pipeline_prepared) {
        if (auto it = m_statements.find(text); it != m_statements.end()) forget(it);
      }
      m_pipeline_prepared.clear();
      if (m_replan) {
        // A prepared statement's table changed (see query()): all prepared again.
        for (auto it = m_statements.begin(); it != m_statements.end();) it = forget(it);
        try {
          std::rethrow_exception(failure);
        } catch (const Error& e) {
          throw Error(e.what(), true);
        }
      }
      std::rethrow_exception(failure);
    }
    m_pipeline_prepared.clear();
    return rows;
  }

  // Forgets every statement prepared so far (the map is full: many texts seen once).
  void forget_statements() {
    if (PQtransactionStatus(m_conn) == PQTRANS_INERROR) {
      for (auto it = m_statements.begin(); it != m_statements.end();) it = forget(it);
      return;
    }
    m_statements.clear();
    m_stale.clear();
    PQclear(PQexec(m_conn, "DEALLOCATE ALL"));
  }

  // Forgets one text; its prepared statement, if any, is deallocated at the next point
  // outside a transaction (deallocate_stale), so that a session's statements stay few.
  std::unordered_map<std::string, std::string>::iterator forget(
      std::unordered_map<std::string, std::string>::iterator it) {
    if (!it->second.empty()) m_stale.push_back(it->second);
    return m_statements.erase(it);
  }

  void deallocate_stale() {
    for (const auto& name : m_stale) PQclear(PQexec(m_conn, ("DEALLOCATE " + name).c_str()));
    m_stale.clear();
  }

  Rows take(PGresult* res, std::string_view sql) {
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    const auto status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      std::string message = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(m_conn);
      // 0A000 is any "feature not supported": only this one is cured by preparing again.
      m_replan = state != nullptr && std::string_view(state) == "0A000" &&
                 message.find("cached plan must not change result type") != std::string::npos;
      while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
      const bool transient = transient_state(state) || PQstatus(m_conn) != CONNECTION_OK;
      if (abandon_state(state)) m_abandoned = true;
      throw Error("postgresql: " + message + " (in: " + std::string(sql.substr(0, 60)) + ")",
                  transient);
    }
    Rows rows;
    const int n = PQntuples(res);
    const int columns = PQnfields(res);
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      Row row;
      row.cells.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c) != 0) {
          row.cells.emplace_back(std::nullopt);
        } else {
          row.cells.emplace_back(
              std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  // What waits in the pipeline for sync(): a statement (or its Prepare), for messages.
  struct Queued {
    std::string sql;
    bool prepare = false;
  };
  static constexpr std::size_t k_queued_max = 64;
  std::vector<Queued> m_queued;
  std::vector<std::string> m_pipeline_prepared;  // texts prepared in the pipeline under way
  // Texts seen, each with the name it is prepared under ("": seen once, not prepared).
  static constexpr std::size_t k_statements_max = 1024;
  std::unordered_map<std::string, std::string> m_statements;
  std::uint64_t m_prepared = 0;
  bool m_replan = false;             // the last failure: a prepared statement's result changed
  std::vector<std::string> m_stale;  // names prepared, forgotten, not yet deallocated
  PGconn* m_conn = nullptr;
  bool m_abandoned = false;
};

}  // namespace

std::unique_ptr<Connection> open_postgresql(const std::string& url) {
  return std::make_unique<PgConnection>(url);
}

}  // namespace racine::store

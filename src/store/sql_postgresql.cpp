// PostgreSQL engine over libpq: text parameters and results, synchronous_commit on (a
// committed write is on the server's disk before the answer), errors sorted into
// transient (connection lost, serialization failure, deadlock, too many connections,
// shutting down, a server that became a read-only standby) and permanent ones by their
// SQLSTATE. A connection that met a lost server, a shutdown or a standby is given up
// (healthy() false): the pool opens another, which libpq's multi-host URL with
// target_session_attrs=read-write takes to whichever host is the primary now.
#include "store/sql.h"

#include <libpq-fe.h>

#include <string>

namespace racine::store {

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (const char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
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
    const std::string text = number_placeholders(sql);
    std::vector<std::string> storage;
    storage.reserve(params.size());
    std::vector<const char*> values;
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
    PGresult* res = PQexecParams(m_conn, text.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    return take(res, sql);
  }

  void script(std::string_view sql) override {
    const std::string copy(sql);
    take(PQexec(m_conn, copy.c_str()), sql);
  }

  void begin_write() override { script("BEGIN"); }
  void begin_read() override { script("BEGIN"); }
  void commit() override { script("COMMIT"); }
  void rollback() noexcept override {
    if (PQtransactionStatus(m_conn) != PQTRANS_IDLE) PQclear(PQexec(m_conn, "ROLLBACK"));
  }
  bool healthy() override { return !m_abandoned && PQstatus(m_conn) == CONNECTION_OK; }

 private:
  Rows take(PGresult* res, std::string_view sql) {
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    const auto status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      std::string message = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(m_conn);
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

  PGconn* m_conn = nullptr;
  bool m_abandoned = false;
};

}  // namespace

std::unique_ptr<Connection> open_postgresql(const std::string& url) {
  return std::make_unique<PgConnection>(url);
}

}  // namespace racine::store

#pragma once
// The few SQL operations the store needs, behind one interface with two engines:
// SQLite (the default, one file) and PostgreSQL (libpq, several instances on one
// database). Statements are written once, in the SQL both engines accept, with `?` for
// parameters; the PostgreSQL connection numbers them ($1, $2...). Values travel as text
// or integers; a result cell is text or SQL NULL.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace racine::store {

// A store failure. `transient` ones (the database is busy, unreachable, or a
// serialization conflict) may succeed when tried again; the others will not.
class Error : public std::runtime_error {
 public:
  Error(const std::string& message, bool transient)
      : std::runtime_error(message), m_transient(transient) {}
  [[nodiscard]] bool transient() const { return m_transient; }

 private:
  bool m_transient;
};

// A parameter: SQL NULL, an integer or text.
using Value = std::variant<std::nullptr_t, std::int64_t, std::string>;

// One result row: a cell per column, nullopt for SQL NULL.
struct Row {
  std::vector<std::optional<std::string>> cells;
  [[nodiscard]] const std::string& text(std::size_t i) const;  // throws on NULL
  [[nodiscard]] std::optional<std::string> opt(std::size_t i) const { return cells.at(i); }
  [[nodiscard]] std::int64_t integer(std::size_t i) const;
};
using Rows = std::vector<Row>;

enum class Engine : std::uint8_t { sqlite, postgresql };

// One connection, used by one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] virtual Engine engine() const = 0;
  // Runs one statement and returns its rows (none for a statement without results).
  virtual Rows query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // query() for a lookup whose best plan depends neither on its values nor on how the
  // tables grow between two of PostgreSQL's analyses (small tables read by their keys: a
  // request's contracts and their maintenance windows): PostgreSQL prepares it on the
  // connection and may plan it once for all values; planning it each time cost more
  // than running it. SQLite: query() (it keeps every statement prepared).
  virtual Rows prepared(std::string_view sql, const std::vector<Value>& params) {
    return query(sql, params);
  }
  // Runs a statement whose result is not needed, now or (PostgreSQL) with the next
  // statement or the commit, in the same round trip: its failure may be thrown by that
  // one instead, which fails the transaction all the same.
  virtual void defer(std::string_view sql, const std::vector<Value>& params = {}) {
    query(sql, params);
  }
  // Runs statements without parameters (a migration's script).
  virtual void script(std::string_view sql) = 0;
  // Starts a transaction that will write: SQLite takes the write lock at once (BEGIN
  // IMMEDIATE), so that two writers never deadlock on an upgrade of their lock.
  virtual void begin_write() = 0;
  virtual void begin_read() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // True when the connection is still usable (PostgreSQL: not broken).
  [[nodiscard]] virtual bool healthy() = 0;
  // This connection makes every write of the process (SQLite's one writer, Store::Pool):
  // SQLite gives it a larger page cache and checkpoints its WAL on a thread of its own;
  // PostgreSQL nothing.
  virtual void become_writer() {}
};

// Opens SQLite at `path` (created when missing) in WAL mode with synchronous=FULL,
// foreign keys on and a busy timeout.
std::unique_ptr<Connection> open_sqlite(const std::string& path);

// Opens PostgreSQL at `url` (a libpq connection string or postgresql:// URL) with
// synchronous_commit on.
std::unique_ptr<Connection> open_postgresql(const std::string& url);

// `sql` with each `?` outside quotes replaced by what `with` gives for it (1, 2...).
std::string replace_placeholders(std::string_view sql,
                                 const std::function<std::string(std::size_t)>& with);

// `sql` with each `?` outside quotes replaced by $1, $2... (PostgreSQL's placeholders).
std::string number_placeholders(std::string_view sql);

}  // namespace racine::store

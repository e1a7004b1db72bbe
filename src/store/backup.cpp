// Backups and restores (docs/server.md, "Backups"): a store copied, table by table,
// from one consistent snapshot into a SQLite file of the same schema, and back into an
// empty store of either engine. The file is a plain SQLite database: `sqlite3 FILE` reads
// it, and a backup of PostgreSQL restores into SQLite and the other way round.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "store/internal.h"
#include "store/store.h"

namespace racine::store {

namespace {

constexpr std::int64_t k_batch = 5000;

// The store's tables, parents before children (the order the migrations created them,
// which foreign keys follow), without the migrations' own record.
std::vector<std::string> tables_of(Connection& c) {
  std::vector<std::string> out;
  const Rows rows =
      c.engine() == Engine::sqlite
          ? c.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY rowid")
          : c.query(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.oid");
  for (const auto& r : rows)
    if (r.text(0) != "schema_migrations") out.push_back(r.text(0));
  return out;
}

std::vector<std::string> columns_of(Connection& c, const std::string& table) {
  std::vector<std::string> out;
  if (c.engine() == Engine::sqlite) {
    for (const auto& r : c.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {table}))
      out.push_back(r.text(0));
  } else {
    for (const auto& r :
         c.query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                 "current_schema() AND table_name = ? ORDER BY ordinal_position",
                 {table}))
      out.push_back(r.text(0));
  }
  return out;
}

// Creates `path`, new (never over a file, never through a link) and readable by its
// owner alone; 0, or the errno that refused it.
int create_private(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  ::close(fd);
  return 0;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Copies every row of `table` from `from` to `to`, in batches ordered by all columns (a
// stable order within the snapshot). Columns: those both sides have (a backup taken
// before a migration added one restores with that column's default).
std::int64_t copy_table(Connection& from, Connection& to, const std::string& table) {
  const auto source = columns_of(from, table);
  const auto target = columns_of(to, table);
  std::vector<std::string> cols;
  for (const auto& name : source)
    if (std::find(target.begin(), target.end(), name) != target.end()) cols.push_back(name);
  if (cols.empty()) return 0;
  std::string marks;
  for (std::size_t i = 0; i < cols.size(); ++i) marks += i == 0 ? "?" : ", ?";
  const std::string insert =
      "INSERT INTO " + table + " (" + joined(cols) + ") VALUES (" + marks + ")";
  std::string order;
  for (std::size_t i = 1; i <= cols.size(); ++i) order += (i == 1 ? "" : ", ") + std::to_string(i);
  std::int64_t copied = 0;
  for (std::int64_t offset = 0;; offset += k_batch) {
    const Rows rows = from.query(
        "SELECT " + joined(cols) + " FROM " + table + " ORDER BY " + order + " LIMIT ? OFFSET ?",
        {k_batch, offset});
    for (const auto& r : rows) {
      std::vector<Value> values;
      values.reserve(r.cells.size());
      for (const auto& cell : r.cells) {
        if (cell)
          values.emplace_back(*cell);
        else
          values.emplace_back(nullptr);
      }
      to.query(insert, values);
    }
    copied += static_cast<std::int64_t>(rows.size());
    if (static_cast<std::int64_t>(rows.size()) < k_batch) break;
  }
  return copied;
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> Store::backup(const std::string& file) {
  std::error_code ec;
  // During a rolling upgrade the database may be ahead of this binary (expand migrations
  // of a newer release): its file would leave out what those added.
  if (const auto schema = schema_version(); schema > known_schema()) {
    throw Error("backup: the database's schema (version " + std::to_string(schema) +
                    ") is newer than this racine knows (" + std::to_string(known_schema()) +
                    "): take the backup with the newer racine",
                false);
  }
  // Made here, new and readable by its owner alone (it holds the receivers' secrets and
  // the key that signs acknowledgement links): never through a link, never over a file.
  if (const int e = create_private(file); e != 0) {
    if (e == EEXIST) throw Error("backup: '" + file + "' exists: give a new file", false);
    throw Error("backup: cannot create '" + file + "': " + std::strerror(e), false);
  }
  // The file gets this racine's schema first (the source is at it: opening it migrated).
  { const auto made = Store::open("sqlite:" + file, 1); }
  auto out = open_sqlite(file);
  std::vector<std::pair<std::string, std::int64_t>> counts;
  try {
    m_pool->run(false, [&](Connection& c) {
      // One snapshot for every table: what the server writes meanwhile is in the next one.
      c.begin_read();
      if (c.engine() == Engine::postgresql)
        c.script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      out->begin_write();
      for (const auto& table : tables_of(*out))
        counts.emplace_back(table, copy_table(c, *out, table));
      out->commit();
      c.commit();
    });
  } catch (...) {
    out->rollback();
    out.reset();
    std::filesystem::remove(file, ec);
    for (const char* tail : {"-wal", "-shm"}) std::filesystem::remove(file + tail, ec);
    throw;
  }
  out->script("PRAGMA wal_checkpoint(TRUNCATE)");
  return counts;
}

std::vector<std::pair<std::string, std::int64_t>> Store::restore(const std::string& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw Error("restore: '" + file + "' is not a file", false);
  // A backup made by an older racine: migrated on a copy first, the file left as it was.
  // The copy goes in the temporary folder (the backup's may be read-only), private.
  const std::string copy =
      (std::filesystem::temp_directory_path() / ("racine-restore-" + std::to_string(::getpid()) +
                                                 "-" + std::to_string(::time(nullptr)) + ".db"))
          .string();
  std::filesystem::remove(copy, ec);
  if (const int e = create_private(copy); e != 0)
    throw Error("restore: cannot make a working copy: " + std::string(std::strerror(e)), false);
  std::filesystem::copy_file(file, copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) throw Error("restore: cannot copy '" + file + "': " + ec.message(), false);
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      std::error_code ignored;
      for (const char* tail : {"", "-wal", "-shm"}) std::filesystem::remove(path + tail, ignored);
    }
  } cleanup{copy};
  std::unique_ptr<Connection> in;
  const auto not_backup = [&](const std::string& why) {
    return Error("restore: '" + file + "' is not a racine backup (" + why + ")", false);
  };
  try {
    {
      auto check = open_sqlite(copy);
      const Rows ok = check->query("PRAGMA integrity_check");
      if (ok.empty() || ok[0].text(0) != "ok")
        throw Error("restore: '" + file + "' is damaged (SQLite's integrity check)", false);
      if (check->query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'")[0]
              .integer(0) == 0)
        throw Error("restore: '" + file + "' is not a racine backup", false);
    }
    { const auto migrated = Store::open("sqlite:" + copy, 1); }
    in = open_sqlite(copy);
  } catch (const Error& e) {
    if (std::string_view(e.what()).starts_with("restore: ")) throw;
    throw not_backup(e.what());
  } catch (const std::exception& e) {
    throw not_backup(e.what());
  }
  std::vector<std::pair<std::string, std::int64_t>> counts;
  m_pool->run(true, [&](Connection& c) {
    const auto tables = tables_of(c);
    // Into an empty store only: a restore never mixes with what is there.
    for (const auto& table : tables)
      if (!c.query("SELECT 1 FROM " + table + " LIMIT 1").empty())
        throw Error("restore: the target store holds data (table " + table +
                        "): restore into an empty store",
                    false);
    const auto backed = tables_of(*in);
    for (const auto& table : tables)
      if (std::find(backed.begin(), backed.end(), table) != backed.end())
        counts.emplace_back(table, copy_table(*in, c, table));
    // PostgreSQL's serial columns (the audit log's, the events', the consents' seq) take
    // their next value from a sequence that the copied rows did not move: set it past
    // them, or the next insert would reuse a restored number. (SQLite's AUTOINCREMENT
    // follows the rows by itself.)
    if (c.engine() == Engine::postgresql)
      for (const auto& r :
           c.query("SELECT table_name, column_name FROM information_schema.columns WHERE "
                   "table_schema = current_schema() AND column_default LIKE 'nextval(%'"))
        c.query("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(\"" + r.text(1) +
                    "\") FROM \"" + r.text(0) + "\"), 0) + 1, false)",
                {r.text(0), r.text(1)});
  });
  return counts;
}

}  // namespace racine::store

#include "store/store.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "store/internal.h"

namespace racine::store {

using namespace detail;

namespace {

// How a migration changes the schema, for rolling upgrades (docs/operations.md,
// "Upgrades"): an `expand` one only adds (tables, nullable columns or columns with a
// default, indexes, backfills), so the releases that do not know it keep working on the
// database it made; a `contract` one takes away or tightens (drops, renames, new
// constraints, a column's meaning changed) and may be applied only once no release older
// than it runs. The database records the oldest schema a running binary may know (the
// column oldest_compatible of schema_migrations): the highest contract migration applied.
enum class Change : std::uint8_t { expand, contract };

struct Migration {
  Change change;
  std::string script;
  std::string postgresql_only = {};  // run before `script` on PostgreSQL only
};

// The schema, one script per version, in the SQL both engines accept. `{serial}` is an
// auto-numbered primary key in each engine's spelling. A new one is appended with its
// change: `{Change::expand, R"sql(ALTER TABLE t ADD COLUMN c TEXT;)sql"}`.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      // 1: matrices, versions, tenants, contracts, tokens, audit, settings. The baseline:
      // nothing older runs on it.
      {Change::contract, R"sql(
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE matrices (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, latest BIGINT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE versions (
  matrix TEXT NOT NULL REFERENCES matrices (id), version BIGINT NOT NULL,
  format TEXT NOT NULL, document TEXT NOT NULL, sha256 TEXT NOT NULL,
  canonical TEXT NOT NULL, lint TEXT NOT NULL, summary TEXT NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL,
  PRIMARY KEY (matrix, version), UNIQUE (matrix, sha256));
CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE contracts (
  tenant TEXT NOT NULL REFERENCES tenants (id), id TEXT NOT NULL,
  matrix TEXT NOT NULL, version BIGINT NOT NULL, options TEXT NOT NULL, party TEXT NOT NULL,
  escalate_after TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant, id), FOREIGN KEY (matrix, version) REFERENCES versions (matrix, version));
CREATE INDEX contracts_matrix ON contracts (matrix, tenant);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
  tenant TEXT REFERENCES tenants (id), name TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE audit (
  seq {serial}, at TEXT NOT NULL, token TEXT NOT NULL, tenant TEXT,
  action TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX audit_tenant ON audit (tenant, seq);
)sql"},
      // 2: alert routing: receivers, events and their deliveries (the outbox).
      {Change::expand, R"sql(
CREATE TABLE receivers (
  tenant TEXT NOT NULL, party TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
  secret TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (tenant, party));
CREATE TABLE events (
  seq {serial}, id TEXT NOT NULL UNIQUE, tenant TEXT NOT NULL REFERENCES tenants (id),
  contract TEXT NOT NULL, fingerprint TEXT NOT NULL, starts_at TEXT NOT NULL,
  status TEXT NOT NULL, ends_at TEXT NOT NULL, generator_url TEXT NOT NULL,
  labels TEXT NOT NULL, annotations TEXT NOT NULL, activity TEXT, gray_zone BIGINT NOT NULL,
  acknowledged_at TEXT, acknowledged_by TEXT, created_at TEXT NOT NULL,
  last_seen TEXT NOT NULL, repeats BIGINT NOT NULL,
  UNIQUE (tenant, fingerprint, starts_at));
CREATE INDEX events_tenant ON events (tenant, seq);
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY, event TEXT NOT NULL REFERENCES events (id), tenant TEXT NOT NULL,
  party TEXT NOT NULL, party_name TEXT NOT NULL, role TEXT NOT NULL, kind TEXT NOT NULL,
  state TEXT NOT NULL, attempts BIGINT NOT NULL, due_ms BIGINT NOT NULL,
  created_ms BIGINT NOT NULL, last_error TEXT, sent_at TEXT);
CREATE INDEX deliveries_due ON deliveries (state, due_ms);
CREATE INDEX deliveries_event ON deliveries (event);
)sql"},
      // 3: the email domains a tenant's receivers may send to; who set a receiver (a
      // tenant's own are held to the egress policy: every tenant's receiver made before
      // is counted as its own, since who set it is not known); events pruned by age and
      // count.
      {Change::expand, R"sql(
ALTER TABLE tenants ADD COLUMN email_domains TEXT NOT NULL DEFAULT '[]';
ALTER TABLE receivers ADD COLUMN by_provider BIGINT NOT NULL DEFAULT 1;
UPDATE receivers SET by_provider = 0 WHERE tenant <> '';
ALTER TABLE events ADD COLUMN created_ms BIGINT NOT NULL DEFAULT 0;
UPDATE events SET created_ms = COALESCE((SELECT MIN(d.created_ms) FROM deliveries d WHERE
  d.event = events.id), 0);
CREATE INDEX events_created ON events (created_ms);
)sql"},
      // 4: consents to contract upgrades: who, when, from and to, the diff's hash.
      {Change::expand, R"sql(
CREATE TABLE consents (
  seq {serial}, tenant TEXT NOT NULL, contract TEXT NOT NULL, matrix TEXT NOT NULL,
  from_version BIGINT NOT NULL, to_version BIGINT NOT NULL, at TEXT NOT NULL,
  by_token TEXT NOT NULL, by_name TEXT NOT NULL, by_email TEXT NOT NULL,
  by_issuer TEXT NOT NULL, by_subject TEXT NOT NULL, diff_sha256 TEXT NOT NULL);
CREATE INDEX consents_contract ON consents (tenant, contract, seq);
)sql"},
      // 5: people signed in through their organisation's OpenID Provider, their sessions
      // (shared by every instance), sign-ins under way.
      {Change::expand, R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY, issuer TEXT NOT NULL, subject TEXT NOT NULL, name TEXT NOT NULL,
  email TEXT NOT NULL, role TEXT, tenant TEXT, tenant_role TEXT NOT NULL,
  disabled BIGINT NOT NULL, created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
  UNIQUE (issuer, subject));
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id), created_ms BIGINT NOT NULL,
  seen_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, id_token TEXT NOT NULL);
CREATE TABLE login_attempts (
  state TEXT PRIMARY KEY, issuer TEXT NOT NULL, nonce TEXT NOT NULL, verifier TEXT NOT NULL,
  return_to TEXT NOT NULL, created_ms BIGINT NOT NULL);
)sql"},
      // 6: how a person got their role (kept across sign-ins when an admin or an
      // invitation gave it), invitations to a client, and who made each token.
      {Change::expand, R"sql(
ALTER TABLE users ADD COLUMN assigned_by TEXT NOT NULL DEFAULT 'sign-in';
CREATE TABLE invitations (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL REFERENCES tenants (id), email TEXT NOT NULL,
  tenant_role TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
  expires_ms BIGINT NOT NULL, used_by TEXT, used_at TEXT);
CREATE INDEX invitations_email ON invitations (email);
ALTER TABLE tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE consents ADD COLUMN by_org TEXT NOT NULL DEFAULT '';
ALTER TABLE receivers ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
CREATE TABLE maintenance (
  id TEXT PRIMARY KEY, tenant TEXT NOT NULL, contract TEXT NOT NULL, starts_ms BIGINT NOT NULL,
  ends_ms BIGINT NOT NULL, reason TEXT NOT NULL, created_by TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX maintenance_contract ON maintenance (tenant, contract, ends_ms);
ALTER TABLE maintenance ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN held TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN release_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN maintenance TEXT;
ALTER TABLE deliveries ADD COLUMN via TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN repeat_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN repeat_n BIGINT NOT NULL DEFAULT 0;
CREATE TABLE oncall (
  tenant TEXT NOT NULL, contract TEXT NOT NULL, party TEXT NOT NULL, rules TEXT NOT NULL,
  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (tenant, contract, party));
)sql"},
      // 7: what a templated receiver's answer gave back (a ticket's id), kept on the
      // delivery that created it, for the event's later deliveries to that receiver; when
      // a delivery last failed, and a party's latest deliveries (a receiver's health); the
      // pending deliveries of an event and party, which every claim checks (in order per
      // event and party) and which a full index left PostgreSQL to scan.
      {Change::expand, R"sql(
ALTER TABLE deliveries ADD COLUMN refs TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN failed_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN failure TEXT NOT NULL DEFAULT '';
CREATE INDEX deliveries_party ON deliveries (tenant, party, created_ms);
CREATE INDEX deliveries_pending ON deliveries (event, party, created_ms) WHERE state = 'pending';
)sql"},
      // 8: requests for what a contract's matrix does not cover (the gray zone), asked of
      // the provider by a client, with their history of states (docs/server.md, "Requests").
      {Change::expand, R"sql(
CREATE TABLE requests (
  seq {serial}, id TEXT NOT NULL UNIQUE, tenant TEXT NOT NULL REFERENCES tenants (id),
  contract TEXT NOT NULL, text TEXT NOT NULL, question TEXT NOT NULL, state TEXT NOT NULL,
  quote TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL, history TEXT NOT NULL);
CREATE INDEX requests_tenant ON requests (tenant, state, seq);
CREATE INDEX requests_state ON requests (state, seq);
)sql"},
      // 9: a release note with each version, said to the clients behind it when the
      // version is published (an expand migration: a release that does not know the
      // column keeps working; its inserts take the default).
      {Change::expand, R"sql(
ALTER TABLE versions ADD COLUMN note TEXT NOT NULL DEFAULT '';
)sql"},
      // 10: the pending deliveries by receiver and due time, in the order a claim takes
      // them: a claim walks the receivers and reads a few rows of each, whatever the
      // backlog (an expand migration: an index only, which the release before ignores;
      // no other index is dropped or rebuilt, for on PostgreSQL that would lock the table
      // against the release still serving).
      {Change::expand, R"sql(
CREATE INDEX deliveries_ready ON deliveries (tenant, party, due_ms, id) WHERE state = 'pending';
)sql"},
      // 11: the index on (state, due_ms) dropped: since 10 only the outbox's counts read
      // it, every delivery written paid for it (one index in six), and on PostgreSQL,
      // with statistics from before a backlog, it drew the claims' walk, which then read
      // every pending delivery for each receiver. The dead deliveries, which the counts
      // want, get a partial index of their own; the pending ones have two. An expand
      // migration: the release before (10) does not read it; one before 10 claims without
      // it, slower, while both serve.
      {Change::expand, R"sql(
CREATE INDEX deliveries_dead ON deliveries (failed_ms) WHERE state = 'dead';
DROP INDEX deliveries_due;
)sql"},
      // 12: a contract's notices (events of status 'request'), which an upgrade looks up
      // to cancel those it answers (cancel_version_notices): without it, the tenant's
      // every event was read, in the write transaction. Partial: alerts do not pay for it.
      {Change::expand, R"sql(
CREATE INDEX events_notices ON events (tenant, contract) WHERE status = 'request';
)sql"},
      // 13: an event's deliveries by party, state and creation, one index where two were
      // (deliveries_event, every delivery of an event; deliveries_pending, the pending ones
      // by event, party and creation, which every claim checks): each delivery written paid
      // for both. On PostgreSQL, first, the foreign keys of events to tenants and of
      // deliveries to events dropped: each was a query run per row written (three an alert,
      // nearly a quarter of PostgreSQL's time in a storm) for what the store guarantees
      // itself: a tenant is never deleted; a delivery is written in the transaction that
      // created its event, or in one that holds the event's row (a resolution), or from a
      // pending delivery of the event (a repeat: pruning keeps an event with one); pruning
      // locks the events it deletes (Store::prune_events); a claim deletes a delivery whose
      // event is gone. The tables are locked first, in the order the alerts' writes take
      // them (events, then deliveries), so that the migration waits for those writes
      // rather than deadlocking with them; the previous release's claims and prunes take
      // them the other way round, and a deadlock with one of those is broken by
      // PostgreSQL and the migration retried (a transient failure). SQLite keeps its
      // foreign keys: dropping one rebuilds the table, and its checks are lookups in the
      // process. An expand migration, with one caveat (docs/operations.md, "The rule"):
      // the release before, while it still prunes, may leave a "resolved" without its
      // event in a race the key used to refuse.
      {Change::expand, R"sql(
CREATE INDEX deliveries_event_party ON deliveries (event, party, state, created_ms);
DROP INDEX deliveries_pending;
DROP INDEX deliveries_event;
)sql",
       R"sql(
LOCK TABLE events, deliveries IN ACCESS EXCLUSIVE MODE;
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_tenant_fkey;
ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_event_fkey;
)sql"},
  };
  return list;
}

std::string dialect(std::string sql, Engine e) {
  const std::string serial =
      e == Engine::sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  for (std::size_t at = sql.find("{serial}"); at != std::string::npos;
       at = sql.find("{serial}", at)) {
    sql.replace(at, 8, serial);
  }
  return sql;
}

// How the audit names a token: its name first, then its id and role.
std::string token_label(const std::string& name, const std::string& id, Role role) {
  return name + " (" + id + ", " + std::string(role_name(role)) + ")";
}

TokenInfo token_of(const Row& r) {
  TokenInfo t;
  t.id = r.text(0);
  t.role = parse_role(r.text(1)).value_or(Role::tenant);
  t.tenant = r.opt(2);
  t.name = r.text(3);
  t.created = r.text(4);
  t.revoked = r.opt(5);
  t.by = r.opt(6).value_or("");
  return t;
}

VersionInfo version_info_of(const Row& r) {
  VersionInfo v;
  v.matrix = r.text(0);
  v.version = r.integer(1);
  v.created = r.text(2);
  v.by = r.text(3);
  v.sha256 = r.text(4);
  v.format = r.text(5);
  v.summary = r.text(6);
  v.note = r.text(7);
  return v;
}

Contract contract_of(const Row& r) {
  Contract c;
  c.tenant = r.text(0);
  c.id = r.text(1);
  c.matrix = r.text(2);
  c.version = r.integer(3);
  const auto options = nlohmann::json::parse(r.text(4), nullptr, false);
  if (options.is_array()) {
    for (const auto& o : options) {
      if (o.is_string()) c.options.push_back(o.get<std::string>());
    }
  }
  c.party = r.text(5);
  c.escalate_after = r.text(6);
  return c;
}

// A tenant-scoped principal may read a version when one of its contracts uses that
// matrix at that version or an older one (a newer version is an upgrade it may look at).
constexpr const char* k_version_visible =
    "(CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM contracts c WHERE c.tenant = CAST(? AS "
    "TEXT) "
    "AND c.matrix = v.matrix AND v.version >= c.version))";

constexpr const char* k_version_columns =
    "v.matrix, v.version, v.created_at, v.created_by, v.sha256, v.format, v.summary, v.note";

}  // namespace

namespace detail {

Value opt_value(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value(nullptr);
}

// The principal's tenant as a parameter: NULL for the provider's roles (no scope).
Value scope_of(const Principal& who) {
  return who.provider() ? Value(nullptr) : opt_value(who.tenant);
}

namespace {

// `digits` hex digits of `bits`, most significant first, after `out`.
void append_hex(std::string& out, std::uint64_t bits, int digits) {
  static constexpr char k_hex[] = "0123456789abcdef";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += k_hex[(bits >> shift) & 0xfU];
}

}  // namespace

std::string random_id(std::string_view prefix) {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  std::string id(prefix);
  append_hex(id, gen(), 12);
  return id;
}

std::string long_random_id(std::string_view prefix) {
  return random_id(prefix) + random_id("");
}

std::string ordered_id(std::string_view prefix) {
  // The time, then a count of the process's ids (from a random start), then 64 random
  // bits: ids made in the same millisecond by one process sort in the order they were
  // made (a claim's deliveries due at the same time are taken oldest first, and listed
  // so; with 96 random bits there, two alerts recorded in the same millisecond came out in
  // either order).
  static std::atomic<std::uint32_t> count{static_cast<std::uint32_t>(std::random_device{}())};
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  std::string id(prefix);
  append_hex(id, static_cast<std::uint64_t>(std::max<std::int64_t>(now_ms(), 0)), 11);
  append_hex(id, count.fetch_add(1, std::memory_order_relaxed), 8);
  append_hex(id, gen(), 16);
  return id;
}

void audit(Connection& c, const Principal& who, std::string_view action, const std::string& target,
           const std::optional<std::string>& tenant) {
  c.defer("INSERT INTO audit (at, token, tenant, action, target, name) VALUES (?, ?, ?, ?, ?, ?)",
          {now_rfc3339(), who.token, opt_value(tenant), std::string(action), target, who.name});
}

std::string array_literal(std::size_t n, const std::function<const Value&(std::size_t)>& at) {
  std::string array = "{";
  for (std::size_t r = 0; r < n; ++r) {
    if (r > 0) array += ',';
    const Value& v = at(r);
    if (std::holds_alternative<std::nullptr_t>(v)) {
      array += "NULL";
    } else if (const auto* number = std::get_if<std::int64_t>(&v)) {
      array += std::to_string(*number);
    } else {
      array += '"';
      for (const char ch : std::get<std::string>(v)) {
        if (ch == '"' || ch == '\\') array += '\\';
        array += ch;
      }
      array += '"';
    }
  }
  array += '}';
  return array;
}

std::string array_literal(const std::vector<Value>& values) {
  return array_literal(values.size(), [&](std::size_t i) -> const Value& { return values[i]; });
}

Rows insert_rows(Connection& c, std::string_view head, std::string_view tuple,
                 std::string_view tail, const std::vector<std::vector<Value>>& rows) {
  Rows out;
  if (c.engine() == Engine::sqlite) {
    std::string sql;
    sql.append(head).append(tuple).append(tail);
    for (const auto& r : rows) {
      Rows got = c.query(sql, r);
      for (auto& g : got) out.push_back(std::move(g));
    }
    return out;
  }
  // PostgreSQL: one statement whatever the number of rows, its text the same for any
  // number (so prepared once per connection, sql_postgresql.cpp): each column's values as
  // one array parameter, the rows made by unnest. "(?, 'x', ?)" becomes
  // "SELECT u.c1, 'x', u.c2 FROM unnest(?::text[], ?::bigint[]) AS u(c1, c2)".
  if (rows.empty()) return out;
  const std::size_t columns = rows.front().size();
  // Each column's type from its values: bigint, text, or none when all are NULL (a NULL
  // in the SELECT instead of an array, which PostgreSQL takes for the column's type).
  enum class Kind : std::uint8_t { null, integer, text };
  std::vector<Kind> kinds(columns, Kind::null);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < columns && i < r.size(); ++i) {
      const Kind k = std::holds_alternative<std::int64_t>(r[i])  ? Kind::integer
                     : std::holds_alternative<std::string>(r[i]) ? Kind::text
                                                                 : Kind::null;
      if (k == Kind::null || k == kinds[i]) continue;
      if (kinds[i] != Kind::null)
        throw Error("insert_rows: column " + std::to_string(i + 1) + " mixes integers and text",
                    false);
      kinds[i] = k;
    }
  }
  std::string unnest = " FROM unnest(";
  std::string names = " AS u(";
  std::size_t n = 0;
  const std::string select =
      "SELECT " +
      replace_placeholders(tuple.substr(1, tuple.size() - 2),  // without ( and )
                           [&](std::size_t i) -> std::string {
                             n = i;
                             if (i > columns)
                               throw Error("insert_rows: more placeholders than values", false);
                             if (kinds[i - 1] == Kind::null) return "NULL";
                             std::string column = "c";
                             column += std::to_string(i);
                             if (names.size() > 6) {  // " AS u(" and a column
                               unnest += ", ";
                               names += ", ";
                             }
                             unnest += kinds[i - 1] == Kind::integer ? "?::bigint[]" : "?::text[]";
                             names += column;
                             return "u." + column;
                           });
  if (n != columns) throw Error("insert_rows: fewer placeholders than values", false);
  if (names.size() == 6) throw Error("insert_rows: every column NULL", false);
  std::string sql(head.substr(0, head.rfind("VALUES")));
  sql += select + unnest + ")" + names + ")";
  sql.append(tail);
  std::vector<Value> params;
  params.reserve(columns);
  for (std::size_t i = 0; i < columns; ++i) {
    if (kinds[i] == Kind::null) continue;
    params.emplace_back(
        array_literal(rows.size(), [&](std::size_t r) -> const Value& { return rows[r].at(i); }));
  }
  if (tail.empty()) {
    c.defer(sql, params);  // nothing to return: it goes with the next statement
    return out;
  }
  return c.query(sql, params);
}

}  // namespace detail

std::string_view role_name(Role r) {
  switch (r) {
    case Role::admin: return "admin";
    case Role::editor: return "editor";
    case Role::tenant: return "tenant";
    case Role::ingest: return "ingest";
    case Role::viewer: return "viewer";
  }
  return "tenant";
}

std::string_view tenant_role_name(TenantRole r) {
  switch (r) {
    case TenantRole::viewer: return "viewer";
    case TenantRole::responder: return "responder";
    case TenantRole::approver: return "approver";
  }
  return "viewer";
}

std::optional<TenantRole> parse_tenant_role(std::string_view name) {
  for (const TenantRole r : {TenantRole::viewer, TenantRole::responder, TenantRole::approver}) {
    if (tenant_role_name(r) == name) return r;
  }
  return std::nullopt;
}

std::optional<Role> parse_role(std::string_view name) {
  for (const Role r : {Role::admin, Role::editor, Role::tenant, Role::ingest, Role::viewer}) {
    if (role_name(r) == name) return r;
  }
  return std::nullopt;
}

std::string rfc3339_of_ms(std::int64_t ms) {
  // The date and time of the last second formatted, per thread: a server writes many
  // timestamps a second (every log line, every event), and strftime was most of each.
  thread_local std::int64_t t_second = -1;
  thread_local char t_prefix[32] = {};
  const std::int64_t second = ms / 1000;
  if (ms < 0 || second != t_second) {
    const std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    if (ms < 0) {
      char out[40];
      std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
      return out;
    }
    std::memcpy(t_prefix, buf, sizeof buf);
    t_second = second;
  }
  std::string out(t_prefix);
  const auto milli = static_cast<int>(ms % 1000);
  out += '.';
  out += static_cast<char>('0' + milli / 100);
  out += static_cast<char>('0' + milli / 10 % 10);
  out += static_cast<char>('0' + milli % 10);
  out += 'Z';
  return out;
}

std::string now_rfc3339() {
  return rfc3339_of_ms(now_ms());
}

std::unique_ptr<Store> Store::open(const std::string& where, std::size_t connections) {
  if (where.starts_with("postgresql://") || where.starts_with("postgres://")) {
    return std::make_unique<Store>([where] { return open_postgresql(where); }, connections);
  }
  if (where.starts_with("sqlite:")) {
    const std::string path = where.substr(7);
    return std::make_unique<Store>([path] { return open_sqlite(path); }, connections);
  }
  throw Error("store: '" + where + "' is neither sqlite:PATH nor a postgresql:// URL", false);
}

Store::Store(std::function<std::unique_ptr<Connection>()> connect, std::size_t connections,
             std::size_t committers)
    : m_pool(std::make_unique<Pool>(std::move(connect), connections, committers)),
      m_engine(m_pool->engine()) {
  migrate();
}

Store::~Store() = default;

Engine Store::engine() const {
  return m_engine;
}

void Store::migrate() {
  m_pool->run(true, [&](Connection& c) {
    // Two processes starting at once (two instances, or two releases during a rolling
    // upgrade): PostgreSQL serialises them on an advisory lock held until the end of this
    // transaction; SQLite's BEGIN IMMEDIATE already did. The second finds the work done.
    if (m_engine == Engine::postgresql) c.query("SELECT pg_advisory_xact_lock(7267316)");
    c.script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT "
        "NOT NULL)");
    // Each row records, with its version, the oldest schema a binary serving the database
    // at that version may know (docs/operations.md, "Upgrades"); added to the table of a
    // database migrated before the rule.
    const bool recorded_column =
        !(m_engine == Engine::sqlite
              ? c.query("SELECT 1 FROM pragma_table_info('schema_migrations') WHERE name = "
                        "'oldest_compatible'")
              : c.query("SELECT 1 FROM information_schema.columns WHERE table_schema = "
                        "current_schema() AND table_name = 'schema_migrations' AND column_name = "
                        "'oldest_compatible'"))
             .empty();
    if (!recorded_column)
      c.script("ALTER TABLE schema_migrations ADD COLUMN oldest_compatible BIGINT");
    const Rows rows = c.query(
        "SELECT version, oldest_compatible FROM schema_migrations ORDER BY version DESC LIMIT 1");
    const std::int64_t current = rows.empty() ? 0 : rows[0].integer(0);
    std::optional<std::int64_t> recorded;
    if (!rows.empty() && rows[0].opt(1)) recorded = rows[0].integer(1);
    const auto& list = migrations();
    const auto known = static_cast<std::int64_t>(list.size());
    if (current > known) {
      // A newer release migrated the database: serve it while every migration this
      // binary does not know was an expand one (that release recorded how old a binary
      // may be). Without a record, nothing says an older binary may.
      const std::int64_t oldest = recorded.value_or(current);
      if (known < oldest) {
        throw Error("store: the database's schema (version " + std::to_string(current) +
                        ") needs a racine that knows version " + std::to_string(oldest) +
                        " or later; this one knows " + std::to_string(known) + ": upgrade racine",
                    false);
      }
      return;
    }
    std::int64_t oldest = 0;
    for (std::size_t v = 0; v < list.size(); ++v) {
      const auto version = static_cast<std::int64_t>(v + 1);
      if (list[v].change == Change::contract) oldest = version;
      if (version <= current) continue;
      if (m_engine == Engine::postgresql && !list[v].postgresql_only.empty())
        c.script(list[v].postgresql_only);
      c.script(dialect(list[v].script, m_engine));
      c.query(
          "INSERT INTO schema_migrations (version, applied_at, oldest_compatible) VALUES (?, ?, ?)",
          {version, now_rfc3339(), oldest});
    }
    if (current == known && recorded != oldest) {
      // Migrated before the rule: the record added to its latest row.
      c.query("UPDATE schema_migrations SET oldest_compatible = ? WHERE version = ?",
              {oldest, current});
    }
  });
}

std::int64_t Store::oldest_compatible_schema() {
  return m_pool->run(false, [](Connection& c) -> std::int64_t {
    const Rows rows = c.query(
        "SELECT COALESCE(oldest_compatible, 0) FROM schema_migrations ORDER BY version DESC "
        "LIMIT 1");
    return rows.empty() ? 0 : rows[0].integer(0);
  });
}

std::int64_t Store::known_schema() {
  return static_cast<std::int64_t>(migrations().size());
}

std::int64_t Store::schema_version() {
  return m_pool->run(false, [](Connection& c) {
    return c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0].integer(0);
  });
}

bool Store::ping() {
  try {
    m_pool->run(false, [](Connection& c) { c.query("SELECT 1"); });
    return true;
  } catch (const Error&) {
    return false;
  }
}

std::string Store::integrity_check() {
  return m_pool->run(false, [&](Connection& c) -> std::string {
    if (m_engine == Engine::sqlite) {
      std::string out;
      for (const auto& r : c.query("PRAGMA integrity_check")) {
        if (!out.empty()) out += "; ";
        out += r.text(0);
      }
      for (const auto& r : c.query("PRAGMA foreign_key_check"))
        out += "; foreign key: " + r.text(0);
      return out;
    }
    // Every contract points at an existing version; every event at its tenant and every
    // delivery at its event (their foreign keys were dropped by migration 13: the store
    // keeps them).
    std::string out;
    const auto count = [&](const char* sql, const char* what) {
      const auto n = c.query(sql)[0].integer(0);
      if (n != 0) out += (out.empty() ? "" : "; ") + std::to_string(n) + what;
    };
    count(
        "SELECT COUNT(*) FROM contracts k WHERE NOT EXISTS "
        "(SELECT 1 FROM versions v WHERE v.matrix = k.matrix AND v.version = k.version)",
        " contracts without their version");
    count(
        "SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = "
        "e.tenant)",
        " events without their tenant");
    count(
        "SELECT COUNT(*) FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM events e WHERE "
        "e.id = d.event)",
        " deliveries without their event");
    return out.empty() ? "ok" : out;
  });
}

std::string Store::setting(const std::string& key, const std::function<std::string()>& make) {
  return m_pool->run(true, [&](Connection& c) {
    c.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            {key, make()});
    return c.query("SELECT value FROM settings WHERE key = ?", {key})[0].text(0);
  });
}

// --- tokens ---

TokenInfo Store::create_token(const Principal& by, Role role,
                              const std::optional<std::string>& tenant, const std::string& name,
                              const std::string& hash) {
  return m_pool->run(true, [&](Connection& c) {
    TokenInfo t{random_id("tok-"), role, tenant, name, now_rfc3339(), std::nullopt};
    if (tenant && c.query("SELECT 1 FROM tenants WHERE id = ?", {*tenant}).empty()) {
      throw Error("no tenant '" + *tenant + "'", false);
    }
    c.query(
        "INSERT INTO tokens (id, hash, role, tenant, name, created_at, created_by) VALUES (?, ?, "
        "?, ?, ?, ?, ?)",
        {t.id, hash, std::string(role_name(role)), opt_value(tenant), name, t.created, by.token});
    t.by = by.name;
    audit(c, by, "token.create", token_label(t.name, t.id, role), tenant);
    return t;
  });
}

std::optional<Principal> Store::authenticate(const std::string& hash) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<Principal> {
    const Rows rows = c.query(
        "SELECT id, role, tenant, name FROM tokens WHERE hash = ? AND revoked_at IS NULL", {hash});
    if (rows.empty()) return std::nullopt;
    const auto role = parse_role(rows[0].text(1));
    if (!role) return std::nullopt;
    return Principal{rows[0].text(0), *role, rows[0].opt(2), rows[0].text(3)};
  });
}

std::vector<TokenInfo> Store::list_tokens(const Principal& who) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<TokenInfo> out;
    const Value scope = scope_of(who);
    for (const auto& r : c.query(
             "SELECT k.id, k.role, k.tenant, k.name, k.created_at, k.revoked_at, "
             "COALESCE(NULLIF(t.name, ''), u.name, NULLIF(k.created_by, '')) FROM tokens k "
             "LEFT JOIN tokens t ON t.id = k.created_by LEFT JOIN users u ON 'user:' || u.id = "
             "k.created_by WHERE CAST(? AS TEXT) IS NULL OR k.tenant = CAST(? AS TEXT) ORDER BY "
             "k.created_at, k.id",
             {scope, scope})) {
      out.push_back(token_of(r));
    }
    return out;
  });
}

bool Store::revoke_token(const Principal& who, const std::string& id) {
  return m_pool->run(true, [&](Connection& c) {
    const Value scope = scope_of(who);
    const Rows rows = c.query(
        "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND "
        "(CAST(? AS TEXT) IS NULL OR tenant = CAST(? AS TEXT)) RETURNING tenant, name, role",
        {now_rfc3339(), id, scope, scope});
    if (rows.empty()) return false;
    audit(c, who, "token.revoke",
          token_label(rows[0].text(1), id, parse_role(rows[0].text(2)).value_or(Role::tenant)),
          rows[0].opt(0));
    return true;
  });
}

bool Store::no_tokens() {
  return m_pool->run(false,
                     [](Connection& c) { return c.query("SELECT 1 FROM tokens LIMIT 1").empty(); });
}

std::optional<TokenInfo> Store::create_first_admin(const std::string& hash) {
  return m_pool->run(true, [&](Connection& c) -> std::optional<TokenInfo> {
    // The claim's primary key makes a concurrent claimer wait for this transaction, then
    // insert nothing (PostgreSQL); SQLite runs one write transaction at a time.
    const Rows claimed = c.query(
        "INSERT INTO settings (key, value) VALUES ('first-admin', ?) ON CONFLICT (key) DO "
        "NOTHING RETURNING key",
        {now_rfc3339()});
    if (claimed.empty()) return std::nullopt;
    // A store made before the claim existed may hold tokens already.
    if (!c.query("SELECT 1 FROM tokens LIMIT 1").empty()) return std::nullopt;
    const Principal system = Principal::system();
    TokenInfo t{random_id("tok-"), Role::admin,   std::nullopt,
                "first admin",     now_rfc3339(), std::nullopt};
    c.query(
        "INSERT INTO tokens (id, hash, role, tenant, name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {t.id, hash, std::string(role_name(Role::admin)), nullptr, t.name, t.created});
    audit(c, system, "token.create", token_label(t.name, t.id, Role::admin), std::nullopt);
    return t;
  });
}

// --- matrices and versions ---

PutVersion Store::put_version(
    const Principal& who, const NewVersion& v,
    const std::function<RequestNotice(const Contract&, std::int64_t)>& tell) {
  return m_pool->run(true, [&](Connection& c) {
    const std::string now = now_rfc3339();
    c.query(
        "INSERT INTO matrices (id, title, latest, created_at) VALUES (?, ?, 0, ?) ON CONFLICT (id) "
        "DO NOTHING",
        {v.matrix, v.title, now});
    // Lock the matrix's row first (PostgreSQL: a concurrent upload of the same matrix
    // waits here, then sees this one's version), then look for the same bytes.
    const std::int64_t next =
        c.query("UPDATE matrices SET latest = latest + 1 WHERE id = ? RETURNING latest",
                {v.matrix})[0]
            .integer(0);
    const Rows same = c.query(std::string("SELECT ") + k_version_columns +
                                  " FROM versions v WHERE v.matrix = ? AND v.sha256 = ?",
                              {v.matrix, v.sha256});
    if (!same.empty()) {
      c.query("UPDATE matrices SET latest = latest - 1 WHERE id = ?", {v.matrix});
      return PutVersion{version_info_of(same[0]), false};
    }
    c.query("UPDATE matrices SET title = ? WHERE id = ?", {v.title, v.matrix});
    c.query(
        "INSERT INTO versions (matrix, version, format, document, sha256, canonical, lint, "
        "summary, created_at, created_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {v.matrix, next, v.format, v.document, v.sha256, v.canonical, v.lint, v.summary, now,
         who.token, v.note});
    audit(c, who, "version.create", v.matrix + "@" + std::to_string(next), std::nullopt);
    PutVersion out{
        VersionInfo{v.matrix, next, now, who.token, v.sha256, v.format, v.summary, v.note}, true};
    // The clients behind it are told, through the outbox, in this transaction: a version
    // answered 201 has told them all. Only a party with a receiver (its client's own, or
    // the provider's for that party) is told: a delivery to none would wait for one,
    // failing, until it is dead. A notice is an event of status "request" (which every
    // release since schema 8 keeps out of the alerts and sends without an Acknowledge),
    // told apart by its fingerprint "version:...".
    if (tell) {
      for (const auto& r : c.query(
               "SELECT tenant, id, matrix, version, options, party, escalate_after FROM contracts "
               "k WHERE matrix = ? AND version < ? AND EXISTS (SELECT 1 FROM receivers r WHERE "
               "r.party = k.party AND (r.tenant = k.tenant OR r.tenant = '')) ORDER BY tenant, id",
               {v.matrix, next})) {
        const Contract k = contract_of(r);
        const RequestNotice n = tell(k, next);
        if (n.to.empty()) continue;
        record_notice(c, k.tenant, k.id, "request",
                      "version:" + v.matrix + ":" + std::to_string(next) + ":" + k.id, now, n);
        ++out.told;
      }
    }
    return out;
  });
}

std::vector<MatrixInfo> Store::list_matrices(const Principal& who) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<MatrixInfo> out;
    if (who.role == Role::ingest) return out;
    const Value scope = scope_of(who);
    for (const auto& r :
         c.query("SELECT m.id, m.title, m.latest FROM matrices m WHERE CAST(? AS TEXT) IS NULL OR "
                 "EXISTS (SELECT 1 FROM contracts k WHERE k.matrix = m.id AND k.tenant = CAST(? AS "
                 "TEXT)) ORDER BY m.id",
                 {scope, scope})) {
      out.push_back({r.text(0), r.text(1), r.integer(2)});
    }
    return out;
  });
}

std::optional<MatrixInfo> Store::get_matrix(const Principal& who, const std::string& matrix) {
  for (auto& m : list_matrices(who)) {
    if (m.id == matrix) return m;
  }
  return std::nullopt;
}

std::vector<VersionInfo> Store::list_versions(const Principal& who, const std::string& matrix) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<VersionInfo> out;
    if (who.role == Role::ingest) return out;
    const Value scope = scope_of(who);
    for (const auto& r : c.query(std::string("SELECT ") + k_version_columns +
                                     " FROM versions v WHERE v.matrix = ? AND " +
                                     k_version_visible + " ORDER BY v.version",
                                 {matrix, scope, scope})) {
      out.push_back(version_info_of(r));
    }
    return out;
  });
}

std::optional<Version> Store::get_version(const Principal& who, const std::string& matrix,
                                          std::int64_t version) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<Version> {
    if (who.role == Role::ingest) return std::nullopt;
    const Value scope = scope_of(who);
    std::string sql = std::string("SELECT ") + k_version_columns +
                      ", v.document, v.canonical, v.lint FROM versions v WHERE v.matrix = ? AND " +
                      k_version_visible;
    std::vector<Value> params{matrix, scope, scope};
    if (version > 0) {
      sql += " AND v.version = ?";
      params.emplace_back(version);
    }
    sql += " ORDER BY v.version DESC LIMIT 1";
    const Rows rows = c.query(sql, params);
    if (rows.empty()) return std::nullopt;
    Version v;
    static_cast<VersionInfo&>(v) = version_info_of(rows[0]);
    v.document = rows[0].text(8);
    v.canonical = rows[0].text(9);
    v.lint = rows[0].text(10);
    return v;
  });
}

bool Store::no_matrices() {
  return m_pool->run(
      false, [](Connection& c) { return c.query("SELECT 1 FROM matrices LIMIT 1").empty(); });
}

// --- tenants and contracts ---

bool Store::put_tenant(const Principal& who, const Tenant& t) {
  return m_pool->run(true, [&](Connection& c) {
    if (!who.writer()) throw Error("forbidden", false);
    const bool exists = !c.query("SELECT 1 FROM tenants WHERE id = ?", {t.id}).empty();
    const std::string domains = nlohmann::json(t.email_domains).dump();
    c.query(
        "INSERT INTO tenants (id, name, created_at, email_domains) VALUES (?, ?, ?, ?) ON "
        "CONFLICT (id) DO UPDATE SET name = ?, email_domains = ?",
        {t.id, t.name, now_rfc3339(), domains, t.name, domains});
    audit(c, who, exists ? "tenant.rename" : "tenant.create", t.id, t.id);
    return !exists;
  });
}

std::vector<Tenant> Store::list_tenants(const Principal& who) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Tenant> out;
    const Value scope = scope_of(who);
    for (const auto& r : c.query(
             "SELECT id, name, email_domains FROM tenants WHERE CAST(? AS TEXT) IS NULL OR id = "
             "CAST(? AS TEXT) ORDER BY id",
             {scope, scope})) {
      Tenant t{r.text(0), r.text(1), {}};
      const auto domains = nlohmann::json::parse(r.text(2), nullptr, false);
      if (domains.is_array()) {
        for (const auto& d : domains) {
          if (d.is_string()) t.email_domains.push_back(d.get<std::string>());
        }
      }
      out.push_back(std::move(t));
    }
    return out;
  });
}

std::optional<Tenant> Store::get_tenant(const Principal& who, const std::string& id) {
  for (auto& t : list_tenants(who)) {
    if (t.id == id) return t;
  }
  return std::nullopt;
}

namespace {

// A contract now on `version` of `matrix`: the notices of that matrix's versions up to
// `version`, still waiting for the client's receiver (one failing is retried for up to a
// day), would offer an upgrade already made: cancelled. Those of newer versions stand.
void cancel_version_notices(Connection& c, const std::string& tenant, const std::string& id,
                            const std::string& matrix, std::int64_t version) {
  const std::string prefix = "version:" + matrix + ":";
  for (const auto& r :
       c.query("SELECT id, fingerprint FROM events WHERE tenant = ? AND contract = ? AND status = "
               "'request' AND substr(fingerprint, 1, ?) = ?",
               {tenant, id, static_cast<std::int64_t>(prefix.size()), prefix})) {
    // "version:MATRIX:N:CONTRACT"; a matrix whose id only starts like this one's reads
    // no number here.
    const std::string rest = r.text(1).substr(prefix.size());
    std::int64_t told = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), told);
    if (ec != std::errc() || end == rest.data() || *end != ':' || told > version) continue;
    c.defer("UPDATE deliveries SET state = 'cancelled' WHERE event = ? AND state = 'pending'",
            {r.text(0)});
  }
}

}  // namespace

bool Store::put_contract(const Principal& who, const Contract& k) {
  return m_pool->run(true, [&](Connection& c) {
    if (!who.writer()) throw Error("forbidden", false);
    if (c.query("SELECT 1 FROM tenants WHERE id = ?", {k.tenant}).empty()) {
      throw Error("no tenant '" + k.tenant + "'", false);
    }
    if (c.query("SELECT 1 FROM versions WHERE matrix = ? AND version = ?", {k.matrix, k.version})
            .empty()) {
      throw Error("no version " + std::to_string(k.version) + " of matrix '" + k.matrix + "'",
                  false);
    }
    const Rows before =
        c.query("SELECT matrix FROM contracts WHERE tenant = ? AND id = ?", {k.tenant, k.id});
    const bool exists = !before.empty();
    const std::string options = nlohmann::json(k.options).dump();
    const std::string now = now_rfc3339();
    c.query(
        "INSERT INTO contracts (tenant, id, matrix, version, options, party, escalate_after, "
        "updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO UPDATE SET matrix = ?, "
        "version = ?, "
        "options = ?, party = ?, escalate_after = ?, updated_at = ?",
        {k.tenant, k.id, k.matrix, k.version, options, k.party, k.escalate_after, now, k.matrix,
         k.version, options, k.party, k.escalate_after, now});
    if (exists) {
      // Moved to another matrix, its notices of the old one offer nothing any more.
      if (before[0].text(0) != k.matrix)
        cancel_version_notices(c, k.tenant, k.id, before[0].text(0),
                               std::numeric_limits<std::int64_t>::max());
      cancel_version_notices(c, k.tenant, k.id, k.matrix, k.version);
    }
    audit(c, who, exists ? "contract.update" : "contract.create",
          k.tenant + "/" + k.id + " " + k.matrix + "@" + std::to_string(k.version), k.tenant);
    return !exists;
  });
}

std::optional<Contract> Store::get_contract(const Principal& who, const std::string& tenant,
                                            const std::string& id) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<Contract> {
    const Value scope = scope_of(who);
    const Rows rows = c.query(
        "SELECT tenant, id, matrix, version, options, party, escalate_after FROM contracts "
        "WHERE tenant = ? AND id = ? AND (CAST(? AS TEXT) IS NULL OR tenant = CAST(? AS TEXT))",
        {tenant, id, scope, scope});
    if (rows.empty()) return std::nullopt;
    return contract_of(rows[0]);
  });
}

std::vector<Contract> Store::list_contracts(const Principal& who, const std::string& tenant) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Contract> out;
    const Value scope = scope_of(who);
    for (const auto& r : c.query(
             "SELECT tenant, id, matrix, version, options, party, escalate_after FROM contracts "
             "WHERE tenant = ? AND (CAST(? AS TEXT) IS NULL OR tenant = CAST(? AS TEXT)) "
             "ORDER BY id",
             {tenant, scope, scope})) {
      out.push_back(contract_of(r));
    }
    return out;
  });
}

bool Store::upgrade_contract(const Principal& who, const std::string& tenant, const std::string& id,
                             std::int64_t version, std::optional<std::int64_t> expected,
                             const Consent* consent) {
  return m_pool->run(true, [&](Connection& c) {
    const Value scope = scope_of(who);
    const Rows rows = c.query(
        "SELECT matrix, version FROM contracts WHERE tenant = ? AND id = ? AND "
        "(CAST(? AS TEXT) IS NULL OR tenant = CAST(? AS TEXT))",
        {tenant, id, scope, scope});
    if (rows.empty()) return false;
    const std::string matrix = rows[0].text(0);
    const std::int64_t from = rows[0].integer(1);
    if (c.query("SELECT 1 FROM versions WHERE matrix = ? AND version = ?", {matrix, version})
            .empty()) {
      throw Error("no version " + std::to_string(version) + " of matrix '" + matrix + "'", false);
    }
    // The compare-and-set: of two concurrent upgrades, the second finds the version
    // changed (PostgreSQL re-reads the row it waited for; SQLite's writer lock orders them).
    const Rows moved = c.query(
        "UPDATE contracts SET version = ?, updated_at = ? WHERE tenant = ? AND id = ? AND "
        "version = ? RETURNING id",
        {version, now_rfc3339(), tenant, id, expected.value_or(from)});
    if (moved.empty() || (expected && *expected != from)) {
      throw Conflict("the contract moved from version " + std::to_string(expected.value_or(from)) +
                     " meanwhile (a concurrent upgrade)");
    }
    if (consent != nullptr) {
      c.query(
          "INSERT INTO consents (tenant, contract, matrix, from_version, to_version, at, "
          "by_token, by_name, by_email, by_issuer, by_subject, diff_sha256, by_org) VALUES (?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {tenant, id, matrix, from, version, now_rfc3339(), consent->by_token, consent->by_name,
           consent->by_email, consent->by_issuer, consent->by_subject, consent->diff_sha256,
           consent->by_org});
    }
    cancel_version_notices(c, tenant, id, matrix, version);
    audit(c, who, "contract.upgrade",
          tenant + "/" + id + " " + matrix + "@" + std::to_string(from) + "->" +
              std::to_string(version),
          tenant);
    return true;
  });
}

std::vector<Consent> Store::list_consents(const Principal& who, const std::string& tenant,
                                          const std::string& id) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Consent> out;
    const Value scope = scope_of(who);
    for (const auto& r : c.query(
             "SELECT tenant, contract, matrix, from_version, to_version, at, by_token, by_name, "
             "by_email, by_issuer, by_subject, diff_sha256, by_org FROM consents WHERE tenant = ? "
             "AND "
             "contract = ? AND (CAST(? AS TEXT) IS NULL OR tenant = CAST(? AS TEXT)) ORDER BY seq",
             {tenant, id, scope, scope})) {
      out.push_back({r.text(0), r.text(1), r.text(2), r.integer(3), r.integer(4), r.text(5),
                     r.text(6), r.text(7), r.text(8), r.text(9), r.text(10), r.text(11),
                     r.text(12)});
    }
    return out;
  });
}

// --- audit ---

std::vector<AuditEntry> Store::list_audit(const Principal& who,
                                          const std::optional<std::string>& tenant,
                                          std::size_t limit) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<AuditEntry> out;
    const Value scope = scope_of(who);
    const Value filter = opt_value(tenant);
    for (const auto& r :
         c.query("SELECT a.seq, a.at, a.token, a.action, a.target, a.tenant, "
                 "COALESCE(NULLIF(t.name, ''), u.name, NULLIF(a.name, ''), "
                 "a.token) FROM audit a LEFT JOIN tokens t ON t.id = a.token LEFT JOIN users u ON "
                 "'user:' || u.id = a.token WHERE "
                 "(CAST(? AS TEXT) IS NULL OR a.tenant = CAST(? AS TEXT)) AND "
                 "(CAST(? AS TEXT) IS NULL OR a.tenant = CAST(? AS TEXT)) ORDER BY a.seq DESC "
                 "LIMIT ?",
                 {scope, scope, filter, filter, static_cast<std::int64_t>(limit)})) {
      out.push_back(
          {r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.opt(5), r.text(6)});
    }
    return out;
  });
}

}  // namespace racine::store

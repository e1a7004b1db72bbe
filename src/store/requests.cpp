// The store's requests to the provider (docs/server.md, "Requests"): what a client asks
// for where its contract's matrix says nothing (the gray zone), its states and their
// history, each change audited and told to the other side through the outbox, in one
// transaction.

#include <nlohmann/json.hpp>

#include "store/internal.h"
#include "store/store.h"

namespace racine::store {

using namespace detail;

namespace {

constexpr const char* k_request_columns =
    "r.id, r.tenant, t.name, r.contract, r.text, r.question, r.state, r.quote, r.created_at, "
    "r.created_by, r.updated_at, r.history";

// Open: the provider or the client still has something to do.
constexpr const char* k_open = "r.state IN ('requested', 'quoted', 'accepted')";

Request request_of(const Row& row) {
  Request r;
  r.id = row.text(0);
  r.tenant = row.text(1);
  r.tenant_name = row.text(2);
  r.contract = row.text(3);
  r.text = row.text(4);
  r.question = row.text(5);
  r.state = row.text(6);
  r.quote = row.text(7);
  r.created = row.text(8);
  r.by = row.text(9);
  r.updated = row.text(10);
  const auto history = nlohmann::json::parse(row.text(11), nullptr, false);
  if (history.is_array()) {
    for (const auto& s : history) {
      if (!s.is_object()) continue;
      r.history.push_back(RequestStep{s.value("state", ""), s.value("at", ""), s.value("by", ""),
                                      s.value("org", ""), s.value("note", "")});
    }
  }
  return r;
}

std::string history_json(const std::vector<RequestStep>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : steps) {
    nlohmann::json j = {{"state", s.state}, {"at", s.at}, {"by", s.by}, {"org", s.org}};
    if (!s.note.empty()) j["note"] = s.note;
    out.push_back(std::move(j));
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Request> read_request(Connection& c, const std::string& tenant,
                                    const std::string& id) {
  const Rows rows = c.query(std::string("SELECT ") + k_request_columns +
                                " FROM requests r JOIN tenants t ON t.id = r.tenant WHERE "
                                "r.tenant = ? AND r.id = ?",
                            {tenant, id});
  if (rows.empty()) return std::nullopt;
  return request_of(rows[0]);
}

// Who acted, as the history names them: a person's or a token's name, and the client's
// name for a client ("" for the provider's staff).
RequestStep step_of(Connection& c, const Principal& who, const std::string& state,
                    const std::string& at) {
  RequestStep s{state, at, who.name.empty() ? who.token : who.name, ""};
  if (!who.provider() && who.tenant) {
    const Rows rows = c.query("SELECT name FROM tenants WHERE id = ?", {*who.tenant});
    s.org = rows.empty() ? *who.tenant : rows[0].text(0);
  }
  return s;
}

}  // namespace

namespace detail {

// A notice (a request's step, a version published): an event the alerts' lists leave out
// (status "request") and its deliveries, due now, in the caller's transaction.
void record_notice(Connection& c, const std::string& tenant, const std::string& contract,
                   const std::string& status, const std::string& fingerprint, const std::string& at,
                   const RequestNotice& notice) {
  if (notice.to.empty()) return;
  const std::int64_t ms = now_ms();
  const std::string event = ordered_id("evt-");
  c.query(
      "INSERT INTO events (id, tenant, contract, fingerprint, status, starts_at, ends_at, "
      "generator_url, labels, annotations, activity, gray_zone, created_at, last_seen, repeats, "
      "created_ms) VALUES (?, ?, ?, ?, ?, ?, '', '', ?, ?, NULL, 1, ?, ?, 0, ?)",
      {event, tenant, contract, fingerprint, status, at, notice.labels, notice.annotations, at, at,
       ms});
  for (const auto& d : notice.to) {
    c.query(
        "INSERT INTO deliveries (id, event, tenant, party, party_name, role, kind, state, "
        "attempts, due_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
        {ordered_id("dlv-"), event, tenant, d.party, d.party_name, d.role, d.kind,
         std::max(d.due_ms, ms), ms});
  }
}

}  // namespace detail

std::optional<Request> Store::create_request(const Principal& who, const Request& r,
                                             std::size_t max_open, const RequestNotice& notice,
                                             RequestRefusal& refused) {
  refused = RequestRefusal::none;
  return m_pool->run(true, [&](Connection& c) -> std::optional<Request> {
    if (!who.provider() && who.tenant != r.tenant) {
      refused = RequestRefusal::not_found;
      return std::nullopt;
    }
    // The tenant's row locked first (PostgreSQL): two requests at once count each other.
    const Rows tenant = c.query(std::string("SELECT name FROM tenants WHERE id = ?") +
                                    (c.engine() == Engine::postgresql ? " FOR UPDATE" : ""),
                                {r.tenant});
    if (tenant.empty() ||
        c.query("SELECT 1 FROM contracts WHERE tenant = ? AND id = ?", {r.tenant, r.contract})
            .empty()) {
      refused = RequestRefusal::not_found;
      return std::nullopt;
    }
    const std::int64_t open =
        c.query(std::string("SELECT COUNT(*) FROM requests r WHERE r.tenant = ? AND ") + k_open,
                {r.tenant})[0]
            .integer(0);
    if (open >= static_cast<std::int64_t>(max_open)) {
      refused = RequestRefusal::too_many;
      return std::nullopt;
    }
    const std::string now = now_rfc3339();
    Request out = r;
    if (out.id.empty()) out.id = random_id("req-");
    out.tenant_name = tenant[0].text(0);
    out.state = "requested";
    out.quote.clear();
    out.created = now;
    out.updated = now;
    out.history = {step_of(c, who, "requested", now)};
    out.by = out.history[0].by;
    c.query(
        "INSERT INTO requests (id, tenant, contract, text, question, state, quote, created_at, "
        "created_by, updated_at, history) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)",
        {out.id, out.tenant, out.contract, out.text, out.question, out.state, now, out.by, now,
         history_json(out.history)});
    audit(c, who, "request.create", out.tenant + "/" + out.contract + " " + out.id, out.tenant);
    record_notice(c, out.tenant, out.contract, "request", "request:" + out.id + ":" + out.state,
                  now, notice);
    return out;
  });
}

std::optional<Request> Store::move_request(const Principal& who, const std::string& tenant,
                                           const std::string& id, const std::string& from,
                                           const std::string& to, const std::string& quote,
                                           const RequestNotice& notice) {
  return m_pool->run(true, [&](Connection& c) -> std::optional<Request> {
    if (!who.provider() && who.tenant != tenant) return std::nullopt;
    auto r = read_request(c, tenant, id);
    if (!r) return std::nullopt;
    if (r->state != from) throw Conflict("the request is " + r->state + " now, no longer " + from);
    const std::string now = now_rfc3339();
    RequestStep step = step_of(c, who, to, now);
    if (to == "quoted") {
      step.note = quote;
      r->quote = quote;
    }
    r->history.push_back(step);
    r->state = to;
    r->updated = now;
    if (c.query("UPDATE requests SET state = ?, quote = ?, updated_at = ?, history = ? WHERE "
                "tenant = ? AND id = ? AND state = ? RETURNING id",
                {to, r->quote, now, history_json(r->history), tenant, id, from})
            .empty())
      throw Conflict("the request changed meanwhile");
    audit(c, who, "request." + to, tenant + "/" + r->contract + " " + id, tenant);
    record_notice(c, tenant, r->contract, "request", "request:" + id + ":" + to, now, notice);
    return r;
  });
}

std::vector<Request> Store::list_requests(const Principal& who, const std::string& tenant,
                                          bool open_only, std::size_t limit) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Request> out;
    if (tenant.empty() ? !who.provider() : (!who.provider() && who.tenant != tenant)) return out;
    std::string sql = std::string("SELECT ") + k_request_columns +
                      " FROM requests r JOIN tenants t ON t.id = r.tenant WHERE (CAST(? AS TEXT) "
                      "= '' OR r.tenant = CAST(? AS TEXT))";
    if (open_only) sql += std::string(" AND ") + k_open;
    sql += " ORDER BY r.seq DESC LIMIT ?";
    for (const auto& row : c.query(sql, {tenant, tenant, static_cast<std::int64_t>(limit)}))
      out.push_back(request_of(row));
    return out;
  });
}

std::optional<Request> Store::get_request(const Principal& who, const std::string& tenant,
                                          const std::string& id) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<Request> {
    if (!who.provider() && who.tenant != tenant) return std::nullopt;
    return read_request(c, tenant, id);
  });
}

}  // namespace racine::store

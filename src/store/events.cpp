// The store's alert routing (docs/routing.md): receivers, events and their deliveries
// (the outbox's claims, leases, outcomes and pruning), maintenance windows.

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "store/internal.h"
#include "store/store.h"

namespace racine::store {

using namespace detail;

// --- routing ---

namespace {

constexpr const char* k_event_columns =
    "id, tenant, contract, fingerprint, status, starts_at, ends_at, generator_url, labels, "
    "annotations, activity, gray_zone, acknowledged_at, acknowledged_by, created_at, last_seen, "
    "repeats, maintenance";

// An event from the columns of k_event_columns, the first at `at`.
Event event_of(const Row& r, std::size_t at = 0) {
  Event e;
  e.id = r.text(at + 0);
  e.tenant = r.text(at + 1);
  e.contract = r.text(at + 2);
  e.fingerprint = r.text(at + 3);
  e.status = r.text(at + 4);
  e.starts_at = r.text(at + 5);
  e.ends_at = r.text(at + 6);
  e.generator_url = r.text(at + 7);
  e.labels = r.text(at + 8);
  e.annotations = r.text(at + 9);
  e.activity = r.opt(at + 10);
  e.gray_zone = r.integer(at + 11) != 0;
  e.acknowledged_at = r.opt(at + 12);
  e.acknowledged_by = r.opt(at + 13);
  e.created = r.text(at + 14);
  e.last_seen = r.text(at + 15);
  e.repeats = r.integer(at + 16);
  e.maintenance = r.opt(at + 17);
  return e;
}

constexpr const char* k_delivery_columns =
    "id, party, party_name, role, kind, state, attempts, due_ms, created_ms, last_error, sent_at, "
    "held, release_ms, via, repeat_ms, repeat_n, refs";

DeliveryInfo delivery_of(const Row& r) {
  DeliveryInfo d;
  d.id = r.text(0);
  d.party = r.text(1);
  d.party_name = r.text(2);
  d.role = r.text(3);
  d.kind = r.text(4);
  d.state = r.text(5);
  d.attempts = r.integer(6);
  d.due_ms = r.integer(7);
  d.created_ms = r.integer(8);
  d.last_error = r.opt(9);
  d.sent_at = r.opt(10);
  d.held = r.text(11);
  d.release_ms = r.integer(12);
  d.via = r.text(13);
  d.repeat_ms = r.integer(14);
  d.repeat_n = r.integer(15);
  d.refs = r.text(16);
  return d;
}

void load_deliveries(Connection& c, Event& e);

// The event `id` of `tenant` with its deliveries, or nullopt.
std::optional<Event> read_event(Connection& c, const std::string& tenant, const std::string& id) {
  const Rows rows =
      c.query(std::string("SELECT ") + k_event_columns + " FROM events WHERE tenant = ? AND id = ?",
              {tenant, id});
  if (rows.empty()) return std::nullopt;
  Event e = event_of(rows[0]);
  load_deliveries(c, e);
  return e;
}

void load_deliveries(Connection& c, Event& e) {
  for (const auto& r : c.query(std::string("SELECT ") + k_delivery_columns +
                                   " FROM deliveries WHERE event = ? ORDER BY created_ms, kind, "
                                   "party, id",
                               {e.id})) {
    e.deliveries.push_back(delivery_of(r));
  }
}

// A window under way holds what it would page: due when it ends (an escalation as long
// after as it would have been after now).
struct Hold {
  std::string why;  // "maintenance:<id>"
  std::int64_t until_ms = 0;
  std::string party;  // the one party it holds ("" : every party)
};

constexpr const char* k_delivery_insert =
    "INSERT INTO deliveries (id, event, tenant, party, party_name, role, kind, state, attempts, "
    "due_ms, created_ms, held, release_ms, repeat_ms) VALUES ";
constexpr const char* k_delivery_tuple = "(?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)";

// The rows (parameters of k_delivery_tuple) of `list`'s deliveries for `event`, added to
// `rows`; how many. `first_due`, when given, is lowered to the earliest of their due times.
std::size_t delivery_rows(std::vector<std::vector<Value>>& rows, const std::string& event,
                          const std::string& tenant, const std::vector<NewDelivery>& list,
                          std::int64_t now, const std::vector<Hold>& holds = {},
                          const std::set<std::string>& skip_parties = {},
                          std::int64_t* first_due = nullptr) {
  std::size_t n = 0;
  for (const auto& d : list) {
    if (skip_parties.count(d.party) != 0U) continue;
    std::int64_t due = std::max(d.due_ms, now);
    // Held by the party's hours (the service decided), then by the maintenance window
    // that holds this party longest.
    std::string held = d.held;
    std::int64_t release = held.empty() ? 0 : due;
    const Hold* hold = nullptr;
    for (const auto& h : holds) {
      if ((h.party.empty() || h.party == d.party) && (!hold || h.until_ms > hold->until_ms))
        hold = &h;
    }
    if (hold && d.kind != "resolved") {
      due += std::max<std::int64_t>(0, hold->until_ms - now);
      held = hold->why;
      release = due;
    }
    if (first_due != nullptr && (*first_due == 0 || due < *first_due)) *first_due = due;
    rows.push_back({ordered_id("dlv-"), event, tenant, d.party, d.party_name, d.role, d.kind, due,
                    now, held, release, d.repeat_ms});
    ++n;
  }
  return n;
}

std::size_t insert_deliveries(Connection& c, const std::string& event, const std::string& tenant,
                              const std::vector<NewDelivery>& list, std::int64_t now,
                              const std::vector<Hold>& holds = {},
                              const std::set<std::string>& skip_parties = {},
                              std::int64_t* first_due = nullptr) {
  std::vector<std::vector<Value>> rows;
  const std::size_t n =
      delivery_rows(rows, event, tenant, list, now, holds, skip_parties, first_due);
  insert_rows(c, k_delivery_insert, k_delivery_tuple, "", rows);
  return n;
}

// An event resolved while its deliveries were held: they are cancelled, and the parties
// they were for get no "resolved" either (they were never paged).
std::set<std::string> cancel_held(Connection& c, const std::string& event) {
  std::set<std::string> out;
  for (const auto& r : c.query("UPDATE deliveries SET state = 'cancelled' WHERE event = ? AND "
                               "state = 'pending' AND attempts = 0 AND held <> '' AND kind IN "
                               "('firing', 'informed') RETURNING party",
                               {event}))
    out.insert(r.text(0));
  return out;
}

// Acknowledged or resolved: the escalation, and the repeats of its page, are cancelled.
void cancel_escalations(Connection& c, const std::string& event) {
  c.defer(
      "UPDATE deliveries SET state = 'cancelled' WHERE event = ? AND state = 'pending' AND (kind "
      "= 'escalation' OR repeat_n > 0)",
      {event});
}

}  // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool Store::put_receiver(const Principal& who, const Receiver& r) {
  return m_pool->run(true, [&](Connection& c) {
    if (r.tenant.empty() ? !who.writer()
                         : (!who.writer() && (who.role != Role::tenant || who.tenant != r.tenant)))
      throw Error("forbidden", false);
    if (!r.tenant.empty() && c.query("SELECT 1 FROM tenants WHERE id = ?", {r.tenant}).empty())
      throw Error("no tenant '" + r.tenant + "'", false);
    const bool exists =
        !c.query("SELECT 1 FROM receivers WHERE tenant = ? AND party = ?", {r.tenant, r.party})
             .empty();
    const std::string now = now_rfc3339();
    c.query(
        "INSERT INTO receivers (tenant, party, type, target, secret, updated_at, by_provider, "
        "options) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, party) DO UPDATE SET type "
        "= ?, target = ?, secret = ?, updated_at = ?, by_provider = ?, options = ?",
        {r.tenant, r.party, r.type, r.target, opt_value(r.secret), now,
         std::int64_t{who.writer() ? 1 : 0}, r.options, r.type, r.target, opt_value(r.secret), now,
         std::int64_t{who.writer() ? 1 : 0}, r.options});
    audit(c, who, exists ? "receiver.update" : "receiver.create",
          (r.tenant.empty() ? std::string("*") : r.tenant) + "/" + r.party + " " + r.type,
          r.tenant.empty() ? std::nullopt : std::optional<std::string>(r.tenant));
    return !exists;
  });
}

std::vector<Receiver> Store::list_receivers(const Principal& who, const std::string& tenant) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Receiver> out;
    if (!who.provider() && (tenant.empty() || who.tenant != tenant)) return out;
    for (const auto& r :
         c.query("SELECT tenant, party, type, target, secret, by_provider, options FROM "
                 "receivers WHERE tenant = ? ORDER BY party",
                 {tenant})) {
      out.push_back(
          {r.text(0), r.text(1), r.text(2), r.text(3), r.opt(4), r.integer(5) != 0, r.text(6)});
    }
    return out;
  });
}

namespace {

// One webhook request's alerts: recorded by record_all, alone or with the other requests
// of its group commit (Mergeable).
void record_merged(Connection& c, const std::vector<Mergeable*>& all);

struct RecordRequest final : Mergeable {
  RecordRequest(std::string t, std::string k, std::vector<IncomingAlert> a)
      : Mergeable(&record_merged),
        tenant(std::move(t)),
        contract(std::move(k)),
        alerts(std::move(a)) {}
  std::string tenant;
  std::string contract;
  std::vector<IncomingAlert> alerts;
  std::optional<std::vector<Recorded>> result;  // nullopt: no such contract
};

// Each contract of `requests` that exists, with the maintenance windows under way for it:
// the provider's hold every party, a client's only its own; `window` names the one ending
// last. One statement for the whole group on PostgreSQL, prepared (its planning was four
// times its execution); one per contract on SQLite, which has no round trip to save.
struct Under {
  std::vector<Hold> holds;
  std::optional<std::string> window;
};
using ContractKey = std::pair<std::string, std::string>;  // tenant, contract

std::map<ContractKey, Under> contracts_under(Connection& c,
                                             const std::vector<RecordRequest*>& requests,
                                             std::int64_t ms) {
  std::set<ContractKey> wanted;
  for (const auto* r : requests) wanted.emplace(r->tenant, r->contract);
  // Rows: tenant, contract, then the window (id NULL: none), those ending last first.
  Rows rows;
  if (c.engine() == Engine::postgresql) {
    std::vector<Value> tenants;
    std::vector<Value> ids;
    for (const auto& [t, k] : wanted) {
      tenants.emplace_back(t);
      ids.emplace_back(k);
    }
    rows = c.prepared(
        "SELECT c.tenant, c.id, m.id, m.ends_ms, m.reason, m.party FROM unnest(?::text[], "
        "?::text[]) AS p(tenant, id) JOIN contracts c ON c.tenant = p.tenant AND c.id = p.id "
        "LEFT JOIN LATERAL (SELECT id, ends_ms, reason, party FROM maintenance w WHERE w.tenant "
        "= c.tenant AND w.contract = c.id AND w.starts_ms <= ? AND w.ends_ms > ? ORDER BY "
        "w.ends_ms DESC LIMIT 100) m ON true ORDER BY c.tenant, c.id, m.ends_ms DESC",
        {array_literal(tenants), array_literal(ids), ms, ms});
  } else {
    for (const auto& [t, k] : wanted) {
      for (auto& row : c.query(
               "SELECT c.tenant, c.id, m.id, m.ends_ms, m.reason, m.party FROM contracts c LEFT "
               "JOIN maintenance m ON m.tenant = c.tenant AND m.contract = c.id AND m.starts_ms "
               "<= ? AND m.ends_ms > ? WHERE c.tenant = ? AND c.id = ? ORDER BY m.ends_ms DESC "
               "LIMIT 100",
               {ms, ms, t, k}))
        rows.push_back(std::move(row));
    }
  }
  std::map<ContractKey, Under> out;
  for (const auto& w : rows) {
    Under& under = out[{w.text(0), w.text(1)}];
    if (!w.opt(2)) continue;
    under.holds.push_back(Hold{"maintenance:" + w.text(2), w.integer(3), w.text(5)});
    if (!under.window)
      under.window = nlohmann::json{{"id", w.text(2)},
                                    {"ends", rfc3339_of_ms(w.integer(3))},
                                    {"reason", w.text(4)},
                                    {"party", w.text(5).empty() ? nlohmann::json(nullptr)
                                                                : nlohmann::json(w.text(5))}}
                         .dump();
  }
  return out;
}

// record_alerts' transaction (see Store::record_alerts), for one request or for each
// request of a group in turn: the outcomes are those of the requests recorded one after
// another, each alert in its request's order, but a group's new events are inserted in one
// statement and their deliveries in another (on PostgreSQL; a statement per row on SQLite).
void record_all(Connection& c, const std::vector<RecordRequest*>& requests) {
  const std::string now = now_rfc3339();
  const std::int64_t ms = now_ms();
  const auto contracts = contracts_under(c, requests, ms);
  // New occurrences first, all at once: the first alert of each (tenant, fingerprint,
  // startsAt) of the group. The unique key makes a concurrent duplicate (an HA pair
  // posting to two instances) wait for this transaction, then insert nothing.
  std::vector<std::vector<Recorded>> out(requests.size());
  std::vector<std::vector<std::string>> ids(requests.size());
  std::vector<std::pair<std::size_t, std::size_t>> tried;  // (request, alert)
  std::vector<std::vector<Value>> event_rows;
  std::set<std::tuple<std::string_view, std::string_view, std::string_view>> seen;
  for (std::size_t q = 0; q < requests.size(); ++q) {
    const RecordRequest& r = *requests[q];
    const auto under = contracts.find({r.tenant, r.contract});
    if (under == contracts.end()) continue;
    out[q].resize(r.alerts.size());
    ids[q].resize(r.alerts.size());
    for (std::size_t i = 0; i < r.alerts.size(); ++i) {
      const auto& a = r.alerts[i];
      if (!seen.emplace(r.tenant, a.fingerprint, a.starts_at).second) continue;
      ids[q][i] = ordered_id("evt-");
      tried.emplace_back(q, i);
      event_rows.push_back(
          {ids[q][i], r.tenant, r.contract, a.fingerprint, a.status, a.starts_at, a.ends_at,
           a.generator_url, a.labels, a.annotations, opt_value(a.activity),
           static_cast<std::int64_t>(a.activity ? 0 : 1), now, now, ms,
           a.status == "resolved" ? Value(nullptr) : opt_value(under->second.window)});
    }
  }
  std::set<std::string> created;
  for (const auto& row : insert_rows(
           c,
           "INSERT INTO events (id, tenant, contract, fingerprint, status, starts_at, ends_at, "
           "generator_url, labels, annotations, activity, gray_zone, created_at, last_seen, "
           "repeats, created_ms, maintenance) VALUES ",
           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
           " ON CONFLICT (tenant, fingerprint, starts_at) DO NOTHING RETURNING id", event_rows))
    created.insert(row.text(0));
  std::vector<std::vector<Value>> new_deliveries;
  for (const auto& [q, i] : tried) {
    if (created.count(ids[q][i]) == 0U) continue;
    const RecordRequest& r = *requests[q];
    const auto& a = r.alerts[i];
    Recorded& rec = out[q][i];
    rec.event = ids[q][i];
    rec.outcome = Recorded::Outcome::created;
    // First seen resolved: the "resolved" deliveries go (nothing was paged to hold).
    rec.deliveries =
        a.status == "resolved"
            ? delivery_rows(new_deliveries, ids[q][i], r.tenant, a.on_resolved, ms, {}, {},
                            &rec.first_due_ms)
            : delivery_rows(new_deliveries, ids[q][i], r.tenant, a.on_firing, ms,
                            contracts.at({r.tenant, r.contract}).holds, {}, &rec.first_due_ms);
  }
  insert_rows(c, k_delivery_insert, k_delivery_tuple, "", new_deliveries);
  // Then, request by request in the request's order, the alerts of events that already
  // existed (or that an earlier alert of the group made).
  for (std::size_t q = 0; q < requests.size(); ++q) {
    RecordRequest& r = *requests[q];
    if (contracts.count({r.tenant, r.contract}) == 0U) {
      r.result.reset();
      continue;
    }
    for (std::size_t i = 0; i < r.alerts.size(); ++i) {
      Recorded& rec = out[q][i];
      if (!rec.event.empty()) continue;  // created above
      const auto& a = r.alerts[i];
      const bool resolved = a.status == "resolved";
      const Rows existing = c.query(
          "SELECT id, status FROM events WHERE tenant = ? AND fingerprint = ? AND starts_at = ?",
          {r.tenant, a.fingerprint, a.starts_at});
      // Gone since the insert found it: pruned meanwhile (PostgreSQL: a row that prune
      // holds locked makes the insert see a conflict without waiting). Tried again, the
      // group's insert makes it anew.
      if (existing.empty())
        throw Error("store: an alert's event was pruned while it was recorded", true);
      rec.event = existing[0].text(0);
      // firing -> resolved once; anything else is a repeat (a resolved event never fires
      // again: Alertmanager gives a new firing a new startsAt).
      const Rows moved =
          resolved ? c.query(
                         "UPDATE events SET status = 'resolved', ends_at = ?, last_seen = ? WHERE "
                         "id = ? AND status = 'firing' RETURNING id",
                         {a.ends_at, now, rec.event})
                   : Rows{};
      if (!moved.empty()) {
        rec.outcome = Recorded::Outcome::resolved;
        cancel_escalations(c, rec.event);
        const auto never_paged = cancel_held(c, rec.event);
        // The Accountable party paged by an escalation hears of the end too (its own
        // incident, in PagerDuty say, is closed by it).
        std::vector<NewDelivery> resolved_to = a.on_resolved;
        for (const auto& d : c.query("SELECT DISTINCT party, party_name FROM deliveries WHERE "
                                     "event = ? AND kind = 'escalation' AND state = 'sent'",
                                     {rec.event})) {
          if (std::none_of(resolved_to.begin(), resolved_to.end(),
                           [&](const NewDelivery& n) { return n.party == d.text(0); }))
            resolved_to.push_back(NewDelivery{d.text(0), d.text(1), "A", "resolved", 0});
        }
        // Made now, after any wait on the event's key for the committer that recorded its
        // firing: a "resolved" never older than the deliveries it follows.
        rec.deliveries =
            insert_deliveries(c, rec.event, r.tenant, resolved_to, std::max(ms, now_ms()), {},
                              never_paged, &rec.first_due_ms);
      } else {
        rec.outcome = Recorded::Outcome::repeat;
        c.defer("UPDATE events SET last_seen = ?, repeats = repeats + 1 WHERE id = ?",
                {now, rec.event});
      }
    }
    r.result = std::move(out[q]);
  }
}

void record_merged(Connection& c, const std::vector<Mergeable*>& all) {
  std::vector<RecordRequest*> requests;
  requests.reserve(all.size());
  for (auto* m : all) requests.push_back(static_cast<RecordRequest*>(m));
  record_all(c, requests);
}

}  // namespace

std::optional<std::vector<Recorded>> Store::record_alerts(
    const Principal& who, const std::string& tenant, const std::string& contract,
    const std::vector<IncomingAlert>& alerts) {
  if (!who.writer() && who.tenant != tenant) return std::nullopt;
  RecordRequest request(tenant, contract, alerts);
  m_pool->grouped([&](Connection& c) { record_all(c, {&request}); }, &request);
  return std::move(request.result);
}

void Store::record_alerts_then(
    const Principal& who, const std::string& tenant, const std::string& contract,
    std::vector<IncomingAlert> alerts,
    std::function<void(std::optional<std::vector<Recorded>>, std::exception_ptr)> done) {
  if (!who.writer() && who.tenant != tenant) return done(std::nullopt, nullptr);
  auto request = std::make_shared<RecordRequest>(tenant, contract, std::move(alerts));
  RecordRequest* merge = request.get();
  m_pool->submit([request](Connection& c) { record_all(c, {request.get()}); },
                 [request, done = std::move(done)](std::exception_ptr e) {
                   if (e) return done(std::nullopt, e);
                   done(std::move(request->result), nullptr);
                 },
                 merge);
}

void Store::finish_writes() {
  m_pool->finish_writes();
}

std::vector<Event> Store::list_events(const Principal& who, const std::string& tenant,
                                      const std::string& status, std::size_t limit) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Event> out;
    if (!who.provider() && who.tenant != tenant) return out;
    for (const auto& r :
         c.query(std::string("SELECT ") + k_event_columns +
                     " FROM events WHERE tenant = ? AND status <> 'request' AND (CAST(? AS TEXT) = "
                     "'' OR status = CAST(? AS TEXT)) "
                     "ORDER BY seq DESC LIMIT ?",
                 {tenant, status, status, static_cast<std::int64_t>(limit)})) {
      out.push_back(event_of(r));
    }
    for (auto& e : out) load_deliveries(c, e);
    return out;
  });
}

std::optional<Event> Store::get_event(const Principal& who, const std::string& tenant,
                                      const std::string& id) {
  return m_pool->run(false, [&](Connection& c) -> std::optional<Event> {
    if (!who.provider() && who.tenant != tenant) return std::nullopt;
    return read_event(c, tenant, id);
  });
}

std::optional<Event> Store::acknowledge(const Principal& who, const std::string& tenant,
                                        const std::string& id) {
  if (!who.writer() && (who.role != Role::tenant || who.tenant != tenant)) return std::nullopt;
  return m_pool->run(true, [&](Connection& c) -> std::optional<Event> {
    const Rows acked = c.query(
        "UPDATE events SET acknowledged_at = ?, acknowledged_by = ? WHERE tenant = ? AND id = ? "
        "AND acknowledged_at IS NULL RETURNING id",
        {now_rfc3339(), who.name.empty() ? who.token : who.name, tenant, id});
    if (!acked.empty()) {
      cancel_escalations(c, id);
      audit(c, who, "event.ack", tenant + "/" + id, tenant);
    }
    return read_event(c, tenant, id);
  });
}

namespace {

// Store::claim_deliveries on `c`, in its transaction.
std::vector<Claimed> claim_on(Connection& c, std::int64_t now, std::int64_t lease_ms,
                              std::size_t limit, std::size_t per_receiver,
                              const std::vector<std::string>& skip) {
  std::vector<Claimed> out;
  // Fair: every receiver's (tenant/party) deliveries ranked by age, then the first of
  // each before the second of any. In order per event and party: a delivery waits
  // while an older one of its event to the same party is pending (a "resolved" never
  // overtakes its "firing"); an escalation still waiting for its time (never tried)
  // holds nothing back, so that the page's repeats to a party that is both Responsible
  // and Accountable go on before it. One statement: on PostgreSQL two instances may
  // pick the same rows, but the UPDATE re-checks "due" on each row it locks, so the
  // second finds them leased and skips them.
  // The receivers with pending deliveries are read from the index of pending deliveries
  // by receiver and due time (deliveries_ready) by skipping from one receiver to the next
  // (a few lookups each); for each, that index gives its first due deliveries that
  // nothing holds back, stopping there. A claim costs the receivers and a few rows each,
  // not a reading of every due delivery: a storm's backlog (40,000 due) made each claim
  // tens of milliseconds, and the outbox drained 20 deliveries a second.
  std::string skipped;
  std::vector<Value> params = {now + lease_ms};
  for (const auto& g : skip) {
    skipped += skipped.empty() ? "?" : ", ?";
    params.emplace_back(g);
  }
  params.emplace_back(now);
  params.emplace_back(now);
  params.emplace_back(static_cast<std::int64_t>(per_receiver));
  params.emplace_back(static_cast<std::int64_t>(limit));
  params.emplace_back(now);
  // A receiver's first due deliveries: on PostgreSQL a LATERAL subquery (as a
  // correlated IN, its planner ran it once per row of the table); SQLite has no LATERAL
  // and runs the IN once per receiver. The hold check stays a subquery run per row
  // through the index of pending deliveries by event ("OFFSET 0": PostgreSQL would make
  // it a join, scanning every pending delivery of the party for each row).
  const bool pg = c.engine() == Engine::postgresql;
  // The receivers (tenant, party) with pending deliveries, one after another. PostgreSQL:
  // the next after g's is the first pending delivery's above (g.tenant, g.party), one
  // lookup a step (ordered by due_ms too, so that only deliveries_ready gives the order:
  // deliveries_party, which its statistics may prefer, walks every delivery sent before
  // the first pending one). SQLite, without LATERAL: the next party of g's tenant, else
  // the first party of the next tenant (told which index to walk: it would sort the
  // table instead). The walk was most of a claim's planning and execution on
  // PostgreSQL: 0.6 and 0.5 ms with the lookups of each step's tenant and party apart,
  // 0.3 and 0.3 ms with one (EXPLAIN ANALYZE after a storm of 5,000 alerts).
  const std::string ib = pg ? "" : "INDEXED BY deliveries_ready ";
  const std::string same_tenant = "(SELECT n.party FROM deliveries n " + ib +
                                  "WHERE n.state = 'pending' AND n.tenant = g.tenant AND "
                                  "n.party > g.party ORDER BY n.party LIMIT 1)";
  const std::string next_tenant = "(SELECT n.tenant FROM deliveries n " + ib +
                                  "WHERE n.state = 'pending' AND n.tenant > g.tenant ORDER BY "
                                  "n.tenant LIMIT 1)";
  const std::string next_receiver =
      pg ? "SELECT n.tenant, n.party FROM g CROSS JOIN LATERAL (SELECT d.tenant, d.party FROM "
           "deliveries d WHERE d.state = 'pending' AND (d.tenant, d.party) > (g.tenant, "
           "g.party) ORDER BY d.tenant, d.party, d.due_ms LIMIT 1) AS n"
         : "SELECT CASE WHEN " + same_tenant + " IS NOT NULL THEN g.tenant ELSE " + next_tenant +
               " END, COALESCE(" + same_tenant + ", (SELECT n.party FROM deliveries n " + ib +
               "WHERE n.state = 'pending' AND n.tenant = " + next_tenant +
               " ORDER BY n.party LIMIT 1)) FROM g WHERE g.tenant IS NOT NULL";
  const std::string with_receivers =
      "WITH RECURSIVE g(tenant, party) AS (SELECT * FROM (SELECT tenant, party FROM "
      "deliveries " +
      ib + "WHERE state = 'pending' ORDER BY tenant, party" + (pg ? ", due_ms" : "") +
      " LIMIT 1) AS head UNION ALL " + next_receiver +
      "), ready AS (SELECT tenant, party FROM g WHERE tenant IS NOT NULL" +
      (skipped.empty() ? "" : " AND (tenant || '/' || party) NOT IN (" + skipped + ")") + ")";
  const std::string firsts =
      std::string(pg ? "SELECT d.id, d.due_ms" : "SELECT d.id") +
      " FROM deliveries d WHERE d.tenant = g.tenant AND d.party = "
      "g.party AND d.state = 'pending' AND d.due_ms <= ? AND NOT EXISTS (SELECT 1 FROM "
      "deliveries e WHERE e.event = d.event AND e.party = d.party AND e.state = 'pending' "
      "AND e.created_ms < d.created_ms AND NOT (e.kind = 'escalation' AND e.attempts = 0 "
      "AND e.due_ms > ?) LIMIT 1 OFFSET 0) ORDER BY d.due_ms, d.id LIMIT ?";
  const std::string ranked =
      pg ? "SELECT c.id, c.due_ms, ROW_NUMBER() OVER (PARTITION BY g.tenant, g.party ORDER BY "
           "c.due_ms, c.id) AS place FROM ready g CROSS JOIN LATERAL (" +
               firsts + ") c"
         : "SELECT c.id, c.due_ms, ROW_NUMBER() OVER (PARTITION BY c.tenant, c.party ORDER BY "
           "c.due_ms, c.id) AS place FROM ready g JOIN deliveries c ON c.id IN (" +
               firsts + ")";
  // The rows found by id: both engines would otherwise walk every due delivery through
  // the index on (state, due_ms) and look each up in the list (28 ms a claim at 40,000
  // due on SQLite, 18 ms on PostgreSQL). SQLite: a unary + keeps a column out of its
  // choice of index; PostgreSQL: the ids as an array, looked up in the primary key.
  const std::string update =
      std::string(pg ? "UPDATE deliveries SET due_ms = ? WHERE id = ANY(ARRAY("
                     : "UPDATE deliveries SET due_ms = ? WHERE id IN (") +
      with_receivers + " SELECT id FROM (" + ranked +
      (pg ? ") AS ranked ORDER BY place, due_ms LIMIT ?)) AND state = 'pending' AND "
            "due_ms <= ? RETURNING "
          : ") AS ranked ORDER BY place, due_ms LIMIT ?) AND +state = 'pending' AND "
            "+due_ms <= ? RETURNING ") +
      k_delivery_columns + ", event";
  // The claimed deliveries' events: on PostgreSQL returned by the claim itself (a
  // round trip less: under a storm each of the claim's statements waited its turn on a
  // busy machine, and the one dispatcher's claims were what the outbox waited for); on
  // SQLite read after it, a statement per 500 events.
  std::map<std::string, Event> events;
  Rows due;
  if (pg) {
    // k_event_columns, each of "ev." (made once).
    static const std::string columns = [] {
      std::string list;
      for (std::string_view rest = k_event_columns; !rest.empty();) {
        const auto comma = rest.find(", ");
        list += (list.empty() ? "ev." : ", ev.") + std::string(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
      }
      return list;
    }();
    due = c.query("WITH claimed AS (" + update + ") SELECT claimed.*, " + columns +
                      " FROM claimed LEFT JOIN events ev ON ev.id = claimed.event",
                  params);
    for (const auto& r : due) {
      if (r.opt(18)) events.try_emplace(r.text(17), event_of(r, 18));
    }
  } else {
    due = c.query(update, params);
    std::vector<std::string> wanted;
    for (const auto& r : due) wanted.push_back(r.text(17));
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    constexpr std::size_t k_per_statement = 500;
    for (std::size_t first = 0; first < wanted.size(); first += k_per_statement) {
      const std::size_t last = std::min(wanted.size(), first + k_per_statement);
      std::string sql = std::string("SELECT ") + k_event_columns + " FROM events WHERE id IN (";
      std::vector<Value> ids;
      for (std::size_t i = first; i < last; ++i) {
        sql += i == first ? "?" : ", ?";
        ids.emplace_back(wanted[i]);
      }
      sql += ")";
      for (const auto& r : c.query(sql, ids)) {
        Event e = event_of(r);
        std::string id = e.id;
        events.emplace(std::move(id), std::move(e));
      }
    }
  }
  // Their receivers: each party's receiver of the event's tenant, else the provider-wide
  // one. On PostgreSQL in one statement for the whole claim (one per receiver was most of
  // a claim's round trips); on SQLite, without round trips, one kept statement per
  // receiver (a text that changed with the claim's size was compiled anew each time,
  // under the writer's lock).
  std::map<std::pair<std::string, std::string>, Receiver> receivers;  // by party and tenant
  const auto keep = [&](const Row& rc) {
    receivers.insert_or_assign({rc.text(1), rc.text(0)},
                               Receiver{rc.text(0), rc.text(1), rc.text(2), rc.text(3), rc.opt(4),
                                        rc.integer(5) != 0, rc.text(6)});
  };
  const std::string receiver_columns =
      "SELECT tenant, party, type, target, secret, by_provider, options FROM receivers ";
  if (pg && !due.empty()) {
    std::set<std::string> parties;
    std::set<std::string> tenants = {""};
    for (const auto& [id, e] : events) tenants.insert(e.tenant);
    for (const auto& r : due) parties.insert(r.text(1));
    const std::vector<Value> p(parties.begin(), parties.end());
    const std::vector<Value> t(tenants.begin(), tenants.end());
    for (const auto& rc :
         c.query(receiver_columns + "WHERE party = ANY(?::text[]) AND tenant = ANY(?::text[])",
                 {array_literal(p), array_literal(t)}))
      keep(rc);
  } else if (!pg) {
    std::set<std::pair<std::string, std::string>> looked_up;
    for (const auto& r : due) {
      const auto ev = events.find(r.text(17));
      if (ev == events.end() || !looked_up.emplace(r.text(1), ev->second.tenant).second) continue;
      for (const auto& rc :
           c.query(receiver_columns +
                       "WHERE party = ? AND (tenant = ? OR tenant = '') ORDER BY tenant DESC",
                   {r.text(1), ev->second.tenant}))
        keep(rc);
    }
  }
  const auto receiver_of = [&](const std::string& party,
                               const std::string& tenant) -> const Receiver* {
    if (auto own = receivers.find({party, tenant}); own != receivers.end()) return &own->second;
    if (auto all = receivers.find({party, ""}); all != receivers.end()) return &all->second;
    return nullptr;
  };
  std::vector<std::string> orphans;  // deliveries whose event is gone
  for (const auto& r : due) {
    Claimed cl;
    cl.delivery = delivery_of(r);
    cl.delivery.due_ms = now;  // as it was due (the row now holds the lease's end)
    const auto ev = events.find(r.text(17));
    if (ev == events.end()) {
      orphans.emplace_back(cl.delivery.id);
      continue;
    }
    cl.event = ev->second;
    if (const auto* rc = receiver_of(cl.delivery.party, cl.event.tenant)) cl.receiver = *rc;
    out.push_back(std::move(cl));
  }
  // A delivery whose event is gone (nothing this release writes makes one; the release
  // before migration 13 may, in a race, while both serve) would be claimed again at each
  // lease's end, for nobody, and would stop a backup into SQLite, whose foreign key
  // refuses it: deleted.
  for (const auto& id : orphans) c.defer("DELETE FROM deliveries WHERE id = ?", {id});
  // Oldest first (RETURNING keeps no order); those created in the same millisecond as
  // the statement gave them.
  std::stable_sort(out.begin(), out.end(), [](const Claimed& a, const Claimed& b) {
    return a.delivery.created_ms < b.delivery.created_ms;
  });
  return out;
}

}  // namespace

std::vector<Claimed> Store::claim_deliveries(std::int64_t now, std::int64_t lease_ms,
                                             std::size_t limit, std::size_t per_receiver,
                                             const std::vector<std::string>& skip) {
  return m_pool->run(
      true, [&](Connection& c) { return claim_on(c, now, lease_ms, limit, per_receiver, skip); });
}

std::size_t Store::warm_up() {
  if (m_engine != Engine::postgresql) return 0;
  return m_pool->warm([](Connection& c) {
    c.begin_write();
    // Bounded: a database that stops answering, or a table locked by an operator's
    // ALTER, must not hold the start for long (both undone by the rollback).
    c.defer("SET LOCAL lock_timeout = '1s'");
    c.defer("SET LOCAL statement_timeout = '5s'");
    // Due at 0: nothing is claimed; rolled back all the same.
    claim_on(c, 0, 0, 1, 1, {});
    // The alert path's tables, each with its indexes, as its lookups plan them.
    c.query(
        "SELECT 1 FROM contracts c LEFT JOIN maintenance m ON m.tenant = c.tenant AND "
        "m.contract = c.id LEFT JOIN receivers r ON r.tenant = c.tenant LEFT JOIN events e ON "
        "e.tenant = c.tenant AND e.fingerprint = '' AND e.starts_at = '' WHERE c.tenant = '' "
        "AND c.id = ''");
    c.rollback();
  });
}

std::vector<std::string> Store::renew_leases(
    const std::vector<std::pair<std::string, std::int64_t>>& held, std::int64_t due_ms) {
  if (held.empty()) return {};
  return m_pool->run(true, [&](Connection& c) {
    std::vector<std::string> renewed;
    for (const auto& [id, lease] : held) {
      if (!c.query("UPDATE deliveries SET due_ms = ? WHERE id = ? AND state = 'pending' AND "
                   "due_ms = ? RETURNING id",
                   {due_ms, id, lease})
               .empty())
        renewed.push_back(id);
    }
    return renewed;
  });
}

std::int64_t Store::dead_letter_while_open(const std::string& tenant, const std::string& party,
                                           std::int64_t until_ms, std::int64_t max_age_ms) {
  return m_pool->run(true, [&](Connection& c) {
    const std::int64_t now = now_ms();
    return static_cast<std::int64_t>(
        c.query("UPDATE deliveries SET state = 'dead', failed_ms = ?, last_error = CASE WHEN "
                "last_error IS NULL THEN 'the destination kept failing (circuit open)' ELSE "
                "last_error || ' (then the circuit stayed open)' END, failure = CASE WHEN "
                "last_error IS NULL THEN 'the destination kept failing (circuit open)' ELSE "
                "last_error || ' (then the circuit stayed open)' END WHERE tenant = ? AND "
                "party = ? AND state = 'pending' AND due_ms <= ? AND (CASE WHEN created_ms > "
                "release_ms THEN created_ms ELSE release_ms END) + ? < ? RETURNING id",
                {now, tenant, party, now, max_age_ms, until_ms})
            .size());
  });
}

void Store::refresh_statistics() {
  if (m_engine != Engine::postgresql) return;
  // SKIP_LOCKED: never waits for a lock (autovacuum's, another instance's ANALYZE, a
  // migration), so that the outbox is not held up and autovacuum never cancelled.
  m_pool->run(false, [](Connection& c) { c.script("ANALYZE (SKIP_LOCKED) deliveries"); });
}

void Store::deliveries_release(const std::vector<std::pair<std::string, std::int64_t>>& due) {
  if (due.empty()) return;
  m_pool->run(true, [&](Connection& c) {
    for (const auto& [id, ms] : due)
      c.defer("UPDATE deliveries SET due_ms = ? WHERE id = ? AND state = 'pending'", {ms, id});
  });
}

bool Store::cancellable(const Claimed& c) {
  // What cancel_escalations, cancel_held and cancel_version_notices cancel.
  const auto& d = c.delivery;
  return d.kind == "escalation" || d.repeat_n > 0 || !d.held.empty() || c.event.status == "request";
}

bool Store::delivery_pending(const std::string& id) {
  return m_pool->run(false, [&](Connection& c) {
    const auto rows = c.query("SELECT 1 FROM deliveries WHERE id = ? AND state = 'pending'", {id});
    return !rows.empty();
  });
}

std::size_t Store::prune_events(std::int64_t before_ms, std::size_t keep, std::size_t batch) {
  return m_pool->run(true, [&](Connection& c) {
    std::vector<std::string> victims;
    auto collect = [&](const Rows& rows) {
      for (const auto& r : rows) {
        if (victims.size() < batch) victims.push_back(r.text(0));
      }
    };
    // Settled: no pending delivery, and resolved or not seen since the cutoff (an alert
    // still firing and repeated is kept, its acknowledgement with it: deleting it would
    // page and escalate it again at its next repeat).
    const std::string seen_before = rfc3339_of_ms(before_ms);
    constexpr const char* k_settled =
        " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event = e.id AND d.state = "
        "'pending') AND (e.status = 'resolved' OR e.last_seen < CAST(? AS TEXT))";
    collect(c.query(
        std::string("SELECT e.id FROM events e WHERE e.created_ms > 0 AND e.created_ms < ?") +
            k_settled + " ORDER BY e.created_ms LIMIT ?",
        {before_ms, seen_before, static_cast<std::int64_t>(batch)}));
    // Past the count: per tenant, the events older than its newest `keep`.
    for (const auto& t :
         c.query("SELECT tenant, COUNT(*) FROM events GROUP BY tenant HAVING COUNT(*) > ?",
                 {static_cast<std::int64_t>(keep)})) {
      if (victims.size() >= batch) break;
      const Rows edge = c.query(
          "SELECT seq FROM events WHERE tenant = ? ORDER BY seq DESC LIMIT 1 "
          "OFFSET ?",
          {t.text(0), static_cast<std::int64_t>(keep)});
      if (edge.empty()) continue;
      collect(
          c.query(std::string("SELECT e.id FROM events e WHERE e.tenant = ? AND e.seq <= ?") +
                      k_settled + " ORDER BY e.seq LIMIT ?",
                  {t.text(0), edge[0].integer(0), seen_before, static_cast<std::int64_t>(batch)}));
    }
    std::sort(victims.begin(), victims.end());
    victims.erase(std::unique(victims.begin(), victims.end()), victims.end());
    std::size_t deleted = 0;
    // On PostgreSQL the victims' rows are locked first, in one statement that skips the
    // rows another transaction holds (they are looked at again at the next prune): a
    // transaction writing a delivery for an event that exists holds its row (a
    // resolution's UPDATE), so none is under way for a locked one, and prune never waits
    // for a writer nor deadlocks with one. (No foreign key stands in for this since
    // migration 13; a DELETE that waited on the row would re-check the row, not look for
    // deliveries again.) Then, on either engine, re-checked at delete time: an event with
    // a pending delivery keeps its history (a repeat's source, the ticket its "resolved"
    // will name), and one with any delivery left is kept.
    const bool pg = c.engine() == Engine::postgresql;
    if (pg && !victims.empty()) {
      const std::vector<Value> ids(victims.begin(), victims.end());
      std::vector<std::string> locked;
      for (const auto& r : c.query("SELECT id FROM events WHERE id = ANY(?::text[]) ORDER BY id "
                                   "FOR UPDATE SKIP LOCKED",
                                   {array_literal(ids)}))
        locked.push_back(r.text(0));
      victims = std::move(locked);
    }
    for (const auto& id : victims) {
      c.defer(
          "DELETE FROM deliveries WHERE event = ? AND state <> 'pending' AND NOT EXISTS (SELECT 1 "
          "FROM deliveries p WHERE p.event = ? AND p.state = 'pending')",
          {id, id});
      deleted += c.query(
                      "DELETE FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM deliveries d "
                      "WHERE d.event = events.id) RETURNING id",
                      {id})
                     .size();
    }
    return deleted;
  });
}

void Store::delivery_sent(const std::string& id, const std::string& via, const std::string& refs) {
  m_pool->record([&](Connection& c) {
    const Rows sent = c.query(
        "UPDATE deliveries SET state = 'sent', sent_at = ?, attempts = attempts + 1, "
        "last_error = NULL, via = ?, refs = ? WHERE id = ? AND state = 'pending' RETURNING "
        "kind, repeat_ms",
        {now_rfc3339(), via, refs, id});
    // A page that repeats until acknowledged: the next one, while the event still fires
    // and nobody acknowledged it (once: a send reported twice schedules one repeat). Only
    // for a page that repeats: planning that INSERT for every delivery sent, to insert
    // nothing, was a fifth of PostgreSQL's work in a storm.
    if (sent.empty() || sent[0].text(0) != "firing" || sent[0].integer(1) <= 0) return;
    const std::int64_t ms = now_ms();
    c.defer(
        "INSERT INTO deliveries (id, event, tenant, party, party_name, role, kind, state, "
        "attempts, due_ms, created_ms, held, release_ms, repeat_ms, repeat_n) SELECT ?, d.event, "
        "d.tenant, d.party, d.party_name, d.role, d.kind, 'pending', 0, ? + d.repeat_ms, ?, '', "
        "0, d.repeat_ms, d.repeat_n + 1 FROM deliveries d JOIN events e ON e.id = d.event WHERE "
        "d.id = ? AND d.repeat_ms > 0 AND d.kind = 'firing' AND e.status = 'firing' AND "
        "e.acknowledged_at IS NULL AND d.repeat_n < 100",
        {ordered_id("dlv-"), ms, ms, id});
  });
}

std::vector<std::string> Store::captured(const std::string& event, const std::string& party,
                                         const std::string& via) {
  std::vector<std::string> out;
  m_pool->run(false, [&](Connection& c) {
    for (const auto& r : c.query("SELECT refs FROM deliveries WHERE event = ? AND party = ? AND "
                                 "via = ? AND refs <> '' ORDER BY created_ms, id",
                                 {event, party, via}))
      out.push_back(r.text(0));
  });
  return out;
}

void Store::delivery_failed(const std::string& id, const std::string& error,
                            std::optional<std::int64_t> retry_at_ms) {
  m_pool->record([&](Connection& c) {
    if (retry_at_ms) {
      c.defer(
          "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, due_ms = ?, failed_ms = "
          "?, "
          "failure = ? WHERE id = ? AND state = 'pending'",
          {error, *retry_at_ms, now_ms(), error, id});
    } else {
      c.defer(
          "UPDATE deliveries SET state = 'dead', attempts = attempts + 1, last_error = ?, "
          "failed_ms = ?, failure = ? WHERE id = ? AND state = 'pending'",
          {error, now_ms(), error, id});
    }
  });
}

ReceiverHealth Store::receiver_health(const std::string& tenant, const std::string& party) {
  return m_pool->run(false, [&](Connection& c) {
    ReceiverHealth h;
    for (const auto& r :
         c.query("SELECT state, sent_at, failed_ms, failure FROM deliveries WHERE tenant = ? AND "
                 "party = ? ORDER BY created_ms DESC LIMIT 200",
                 {tenant, party})) {
      const std::string state = r.text(0);
      ++h.recent;
      if (state == "sent") ++h.sent;
      if (state == "dead") ++h.dead;
      if (state == "pending") ++h.pending;
      if (const auto at = r.opt(1); at && (!h.last_success || *at > *h.last_success))
        h.last_success = *at;
      if (r.integer(2) > h.last_failure_ms) {
        h.last_failure_ms = r.integer(2);
        h.last_error = r.text(3);
      }
    }
    return h;
  });
}

OutboxStats Store::outbox_stats() {
  return m_pool->run(false, [&](Connection& c) {
    OutboxStats s;
    // Each read from a partial index (deliveries_ready holds the pending, deliveries_dead
    // the dead), not a scan of every delivery ever made; the oldest pending's creation
    // from its row.
    s.pending = c.query("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'")[0].integer(0);
    s.dead = c.query("SELECT COUNT(*) FROM deliveries WHERE state = 'dead'")[0].integer(0);
    s.oldest_pending_ms =
        c.query("SELECT COALESCE(MIN(created_ms), 0) FROM deliveries WHERE state = 'pending'")[0]
            .integer(0);
    return s;
  });
}

std::string Store::events_signature(const std::string& tenant) {
  return m_pool->run(false, [&](Connection& c) {
    std::string out;
    for (const auto& r : c.query(
             "SELECT COUNT(*), COALESCE(MAX(last_seen), ''), COALESCE(MAX(acknowledged_at), ''), "
             "COALESCE(SUM(repeats), 0) FROM events WHERE tenant = ?",
             {tenant}))
      out += std::to_string(r.integer(0)) + "|" + r.text(1) + "|" + r.text(2) + "|" +
             std::to_string(r.integer(3));
    for (const auto& r : c.query("SELECT state, COUNT(*), COALESCE(SUM(attempts), 0) FROM "
                                 "deliveries WHERE tenant = ? GROUP BY state ORDER BY state",
                                 {tenant}))
      out +=
          "|" + r.text(0) + ":" + std::to_string(r.integer(1)) + ":" + std::to_string(r.integer(2));
    return out;
  });
}

// --- on-call rules ---

void Store::put_oncall(const Principal& who, const std::string& tenant, const std::string& contract,
                       const std::string& party, const std::string& rules) {
  m_pool->run(true, [&](Connection& c) {
    const std::string now = now_rfc3339();
    c.query(
        "INSERT INTO oncall (tenant, contract, party, rules, updated_at, updated_by) VALUES (?, ?, "
        "?, ?, ?, ?) ON CONFLICT (tenant, contract, party) DO UPDATE SET rules = ?, updated_at = "
        "?, updated_by = ?",
        {tenant, contract, party, rules, now, who.token, rules, now, who.token});
    audit(c, who, "oncall.set", tenant + "/" + contract + " " + party, tenant);
  });
}

std::vector<OnCallRules> Store::list_oncall(const std::string& tenant,
                                            const std::string& contract) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<OnCallRules> out;
    for (const auto& r :
         c.query("SELECT o.party, o.rules, o.updated_at, COALESCE(NULLIF(t.name, ''), u.name, "
                 "o.updated_by) FROM oncall o LEFT JOIN tokens t ON t.id = o.updated_by LEFT JOIN "
                 "users u ON 'user:' || u.id = o.updated_by WHERE o.tenant = ? AND o.contract = ? "
                 "ORDER BY o.party",
                 {tenant, contract}))
      out.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
    return out;
  });
}

bool Store::delete_oncall(const Principal& who, const std::string& tenant,
                          const std::string& contract, const std::string& party) {
  return m_pool->run(true, [&](Connection& c) {
    if (c.query("DELETE FROM oncall WHERE tenant = ? AND contract = ? AND party = ? RETURNING "
                "party",
                {tenant, contract, party})
            .empty())
      return false;
    audit(c, who, "oncall.delete", tenant + "/" + contract + " " + party, tenant);
    return true;
  });
}

// --- maintenance windows ---

namespace {

Maintenance maintenance_of(const Row& r) {
  Maintenance m{r.text(0),    r.text(1), r.text(2), r.integer(3),
                r.integer(4), r.text(5), r.text(6), r.text(7)};
  m.party = r.text(8);
  return m;
}

constexpr const char* k_maintenance_columns =
    "m.id, m.tenant, m.contract, m.starts_ms, m.ends_ms, m.reason, COALESCE(NULLIF(t.name, ''), "
    "u.name, m.created_by), m.created_at, m.party FROM maintenance m LEFT JOIN tokens t ON "
    "t.id = "
    "m.created_by LEFT JOIN users u ON 'user:' || u.id = m.created_by";

}  // namespace

Maintenance Store::create_maintenance(const Principal& who, const Maintenance& m) {
  return m_pool->run(true, [&](Connection& c) {
    Maintenance out = m;
    out.id = long_random_id("mnt-");
    out.created = now_rfc3339();
    out.by = who.name;
    c.query(
        "INSERT INTO maintenance (id, tenant, contract, starts_ms, ends_ms, reason, created_by, "
        "created_at, party) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {out.id, out.tenant, out.contract, out.starts_ms, out.ends_ms, out.reason, who.token,
         out.created, out.party});
    audit(c, who, "maintenance.create",
          out.tenant + "/" + out.contract + " " + rfc3339_of_ms(out.starts_ms) + " -> " +
              rfc3339_of_ms(out.ends_ms) + ": " + out.reason,
          out.tenant);
    return out;
  });
}

std::vector<Maintenance> Store::list_maintenance(const std::string& tenant,
                                                 const std::string& contract,
                                                 std::int64_t since_ms) {
  return m_pool->run(false, [&](Connection& c) {
    std::vector<Maintenance> out;
    for (const auto& r : c.query(std::string("SELECT ") + k_maintenance_columns +
                                     " WHERE m.tenant = ? AND m.contract = ? AND m.ends_ms > ? "
                                     "ORDER BY m.starts_ms, m.id LIMIT 500",
                                 {tenant, contract, since_ms}))
      out.push_back(maintenance_of(r));
    return out;
  });
}

bool Store::end_maintenance(const Principal& who, const std::string& tenant,
                            const std::string& contract, const std::string& id, std::int64_t now) {
  return m_pool->run(true, [&](Connection& c) {
    const Rows rows = c.query(
        "SELECT starts_ms, ends_ms, reason FROM maintenance WHERE id = ? AND tenant = ? AND "
        "contract = ? AND ends_ms > ?",
        {id, tenant, contract, now});
    if (rows.empty()) return false;
    if (rows[0].integer(0) > now) {
      c.query("DELETE FROM maintenance WHERE id = ?", {id});
    } else {
      // Under way: it ends now, and what it held is due now (an escalation keeps the
      // delay it had left).
      const std::int64_t early = rows[0].integer(1) - now;
      c.query("UPDATE maintenance SET ends_ms = ? WHERE id = ?", {now, id});
      c.query(
          "UPDATE deliveries SET due_ms = due_ms - ?, release_ms = release_ms - ? WHERE "
          "state = 'pending' AND attempts = 0 AND held = ?",
          {early, early, "maintenance:" + id});
    }
    audit(c, who, "maintenance.end", tenant + "/" + contract + ": " + rows[0].text(2), tenant);
    return true;
  });
}

}  // namespace racine::store

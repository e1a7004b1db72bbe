#include "service/outbox.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "core/escape.h"
#include "notify/channels.h"
#include "notify/send.h"

namespace racine::service {

std::int64_t backoff_ms(std::int64_t attempts, std::int64_t initial, std::int64_t max,
                        std::uint64_t random) {
  std::int64_t cap = std::max<std::int64_t>(initial, 1);
  for (std::int64_t i = 1; i < attempts && cap < max; ++i) cap *= 2;
  cap = std::min(cap, std::max<std::int64_t>(max, 1));
  return static_cast<std::int64_t>(random % static_cast<std::uint64_t>(cap + 1));
}

Outbox::Outbox(Service& service, OutboxOptions options)
    : m_service(service), m_options(std::move(options)) {}

Outbox::~Outbox() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = true;
    m_woken = true;
  }
  m_dispatch.notify_all();
  m_work.notify_all();
  for (auto& t : m_threads) t.join();
}

void Outbox::start() {
  m_threads.emplace_back([this] { dispatch(); });
  for (std::size_t i = 0; i < std::max<std::size_t>(m_options.workers, 1); ++i)
    m_threads.emplace_back([this] { sender(); });
}

void Outbox::wake(std::int64_t due_ms) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_waiting_until != 0 && due_ms > m_waiting_until) return;
    m_woken = true;
  }
  m_dispatch.notify_one();
}

std::string destination_of(const store::Receiver& r) {
  if (r.type == "email") return "smtp";
  return notify::url_origin(r.target).value_or(r.target);
}

std::int64_t Outbox::circuit_open_until(const std::string& tenant, const std::string& party,
                                        const store::Receiver& r) {
  std::lock_guard<std::mutex> lock(m_mutex);
  const auto b = m_breakers.find(tenant + "/" + party + " " + destination_of(r));
  if (b == m_breakers.end() || b->second.failures < m_options.breaker_failures ||
      b->second.open_until <= store::now_ms())
    return 0;
  return b->second.open_until;
}

void Outbox::renew_leases(std::int64_t now) {
  std::vector<std::pair<std::string, std::int64_t>> held;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    held.assign(m_sending.begin(), m_sending.end());
  }
  try {
    const std::int64_t until = now + m_options.lease_ms;
    const auto renewed = m_service.store().renew_leases(held, until);
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& id : renewed) {
      if (auto it = m_sending.find(id); it != m_sending.end()) it->second = until;
    }
    // A held delivery whose lease was not renewed is no longer ours to send (cancelled,
    // or sent by another instance after its lease lapsed): dropped.
    const std::set<std::string> kept(renewed.begin(), renewed.end());
    std::set<std::string> asked;
    for (const auto& [id, lease] : held) asked.insert(id);
    for (auto it = m_held.begin(); it != m_held.end();) {
      auto& jobs = it->second;
      for (auto j = jobs.begin(); j != jobs.end();) {
        const auto& id = j->claimed.delivery.id;
        if (asked.count(id) != 0U && kept.count(id) == 0U) {
          m_sending.erase(id);
          j = jobs.erase(j);
        } else {
          ++j;
        }
      }
      it = jobs.empty() ? m_held.erase(it) : std::next(it);
    }
  } catch (const std::exception&) {
    // The store is unreachable: the leases may run out, and a delivery be sent twice
    // (at least once); the next renewal tries again.
  }
}

namespace {
// A delivery claimed ahead and not sent within this is given back: a receiver that
// stopped answering holds its senders for the attempt's timeout, and what is held behind
// them would otherwise go out seconds after it was claimed.
constexpr std::int64_t k_hold_ms = 1000;

// Milliseconds of the steady clock (a held delivery's second, whatever the wall clock does).
std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

std::int64_t Outbox::due_again(const store::Claimed& c, const std::string& group,
                               const std::string& destination, std::int64_t now) const {
  // While its destination's circuit is open and there is no fallback: the circuit's end,
  // as for one claimed then (another instance would try the failing destination at once).
  const auto b = m_breakers.find(destination);
  if (b != m_breakers.end() && b->second.failures >= m_options.breaker_failures &&
      b->second.open_until > now && m_group_fallback.count(group) == 0)
    return b->second.open_until;
  // A page never tried was due when it was made, or released from a hold: that due time
  // again, so that it keeps its place before its receiver's younger deliveries (the claim
  // wrote its lease over it). Anything else (an escalation, a repeat, a retry): when it
  // was claimed, just after it came due.
  const auto& d = c.delivery;
  if (d.attempts == 0 && d.repeat_n == 0 && d.kind != "escalation")
    return std::min(now, std::max(d.created_ms, d.release_ms));
  return std::min(now, d.due_ms);
}

bool Outbox::promote_held(std::int64_t now, const std::string& preferred) {
  // Given back: those held a second, those whose destination's circuit tripped, and all
  // when stopping.
  const std::int64_t steady = steady_ms();
  for (auto it = m_held.begin(); it != m_held.end();) {
    auto& held = it->second;
    for (auto j = held.begin(); j != held.end();) {
      const auto b = m_breakers.find(j->destination);
      const bool tripped =
          b != m_breakers.end() && b->second.failures >= m_options.breaker_failures;
      if (m_stop || tripped || steady - j->held_since >= k_hold_ms) {
        m_give_back.emplace_back(j->claimed.delivery.id,
                                 due_again(j->claimed, j->group, j->destination, now));
        m_sending.erase(j->claimed.delivery.id);
        j = held.erase(j);
      } else {
        ++j;
      }
    }
    it = held.empty() ? m_held.erase(it) : std::next(it);
  }
  // Then the place `preferred`'s send left takes its next held delivery. Only its own: a
  // sender freed otherwise goes to the dispatcher's next claim, where another receiver's
  // older first delivery comes before.
  const auto pick = m_held.find(preferred);
  if (pick == m_held.end() || m_in_flight >= m_options.workers) return false;
  const auto n = m_group_in_flight.find(preferred);
  if (n != m_group_in_flight.end() && n->second >= m_options.per_receiver) return false;
  enqueue(std::move(pick->second.front()));
  pick->second.pop_front();
  if (pick->second.empty()) m_held.erase(pick);
  return true;
}

void Outbox::enqueue(Job job) {
  ++m_group_in_flight[job.group];
  ++m_dest_in_flight[job.destination];
  ++m_in_flight;
  m_queue.push_back(std::move(job));
}

std::int64_t Outbox::held_wait(std::int64_t wait) const {
  // A receiver's held deliveries all come from one claim (one with some held takes none
  // more): the first's second is the group's.
  for (const auto& [group, held] : m_held)
    wait = std::min(wait, held.front().held_since + k_hold_ms - steady_ms());
  return std::max<std::int64_t>(wait, 1);
}

void Outbox::release_given_back() {
  std::vector<std::pair<std::string, std::int64_t>> due;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    due.swap(m_give_back);
  }
  try {
    m_service.store().deliveries_release(due);
  } catch (const std::exception&) {
    // Due again when their leases end.
  }
}

void Outbox::dispatch() {
  auto& store = m_service.store();
  std::int64_t next_prune = 0;
  std::int64_t next_renewal = 0;
  std::int64_t next_statistics = 0;
  const std::int64_t renew_every = std::max<std::int64_t>(m_options.lease_ms / 3, 200);
  while (!m_stop) {
    const std::int64_t now = store::now_ms();
    if (now >= next_renewal) {
      renew_leases(now);
      next_renewal = now + renew_every;
    }
    if (now >= next_prune) {
      // Every instance may run it: the deletes are idempotent.
      next_prune = now + m_options.prune_every_ms;
      try {
        const auto& l = m_service.limits();
        store.prune_events(now - l.events_retention_ms, l.events_max);
      } catch (const std::exception&) {
        // Tried again at the next period.
      }
    }
    // What may be claimed: as many as free senders (and some ahead, below), none for
    // receivers at their limit or with deliveries held, or destinations whose circuit
    // is open.
    std::size_t free = 0;
    std::vector<std::string> skip;
    std::vector<std::pair<std::string, std::int64_t>> sweep;  // group, circuit's end
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      // Every sender busy: woken when one is free, or when the first held delivery's
      // second is up (given back: another instance may have a place for it).
      m_dispatch.wait_for(lock, std::chrono::milliseconds(held_wait(renew_every)), [&] {
        return m_stop || m_in_flight < m_options.workers || !m_give_back.empty();
      });
      if (m_stop) break;
      promote_held(store::now_ms());  // gives back what was held a second
      free = m_options.workers - std::min(m_options.workers, m_in_flight);
      for (const auto& [group, n] : m_group_in_flight) {
        if (n >= m_options.per_receiver) skip.push_back(group);
      }
      // A receiver with deliveries held takes none more until they are sent.
      for (const auto& [group, held] : m_held) {
        if (std::find(skip.begin(), skip.end(), group) == skip.end()) skip.push_back(group);
      }
      // A destination being probed takes nothing more until the probe says; nor does a
      // receiver whose circuit is open and that has no fallback: its deliveries stay due,
      // untouched, and the first claimed after the circuit's end is its probe (one that is
      // claimed while open anyway is given back until then, or dead-lettered when that is
      // past its maximum age). Claiming them only to give them back cost a storm's claims
      // their room and the store a write per page.
      for (const auto& [group, dest] : m_group_destination) {
        const auto b = m_breakers.find(dest);
        const auto in_flight = m_dest_in_flight.find(dest);
        const bool tripped =
            b != m_breakers.end() && b->second.failures >= m_options.breaker_failures;
        const bool probing =
            tripped && in_flight != m_dest_in_flight.end() && in_flight->second > 0;
        const bool waiting =
            tripped && b->second.open_until > now && m_group_fallback.count(group) == 0;
        if ((probing || waiting) && std::find(skip.begin(), skip.end(), group) == skip.end())
          skip.push_back(group);
        // Those that would pass their maximum age before the circuit's end are dead now,
        // as if claimed and found so (looked at once a second per receiver).
        auto& swept = m_circuit_swept[group];
        if (waiting && now - swept >= 1000) {
          swept = now;
          sweep.emplace_back(group, b->second.open_until);
        }
      }
    }
    release_given_back();
    for (const auto& [group, until] : sweep) {
      const auto slash = group.find('/');
      try {
        m_service.routing_counters().deliveries_dead +=
            static_cast<std::uint64_t>(store.dead_letter_while_open(
                group.substr(0, slash), group.substr(slash + 1), until, m_options.max_age_ms));
      } catch (const std::exception&) {
        // Looked at again in a second.
      }
    }
    if (free == 0) continue;
    std::vector<store::Claimed> claimed;
    const auto claim_start = std::chrono::steady_clock::now();
    bool claim_failed = false;
    try {
      ++m_service.routing_counters().outbox_claims;
      // Up to claim_ahead more of each receiver than it may send at once, to hold; in
      // all, each free sender's share of them (as many more as claim_ahead is of
      // per_receiver, rounded up; none when it is 0). When more receivers are ready than
      // senders are free, those rows are other receivers' first deliveries, given back
      // in the claim's release. Claims that took none ahead then fell behind a storm
      // (docs/performance.md, issue 32, ninth round).
      const std::size_t per_receiver = m_options.per_receiver + m_options.claim_ahead;
      const std::size_t pr = std::max<std::size_t>(m_options.per_receiver, 1);
      const std::size_t limit = free + (free * m_options.claim_ahead + pr - 1) / pr;
      claimed = store.claim_deliveries(now, m_options.lease_ms, limit, per_receiver, skip);
    } catch (const std::exception&) {
      claimed.clear();  // the store is unreachable or busy: the deliveries stay pending
      claim_failed = true;
    }
    // A claim takes well under a millisecond; a slow one that succeeded was most likely
    // planned on statistics from before the backlog (Store::refresh_statistics):
    // refreshed, at most every 30 s.
    if (!claim_failed &&
        std::chrono::steady_clock::now() - claim_start >= std::chrono::milliseconds(5) &&
        now >= next_statistics) {
      next_statistics = now + 30000;
      try {
        store.refresh_statistics();
      } catch (const std::exception&) {
        // Tried again after the next slow claim.
      }
    }
    std::vector<std::pair<std::string, std::int64_t>> give_back;
    std::vector<std::pair<std::string, std::string>> dead;  // id, why
    // In the claim's order: every receiver's first before any receiver's second, the
    // oldest first among each (the store gives them oldest first).
    std::vector<std::pair<std::size_t, std::size_t>> order;  // rank in its receiver, index
    {
      std::map<std::string, std::size_t> nth;
      for (std::size_t i = 0; i < claimed.size(); ++i)
        order.emplace_back(nth[claimed[i].event.tenant + "/" + claimed[i].delivery.party]++, i);
      std::stable_sort(order.begin(), order.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    const std::int64_t claimed_at = store::now_ms();
    const std::int64_t held_at = steady_ms();
    std::size_t queued = 0;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      for (const auto& [rank, index] : order) {
        auto& c = claimed[index];
        // Claimed again here after its lease lapsed: its send is still in flight.
        if (m_sending.count(c.delivery.id) != 0U) continue;
        Job job;
        job.group = c.event.tenant + "/" + c.delivery.party;
        // The party's fallback takes over after its failed attempts, or while the
        // receiver's circuit is open.
        if (c.receiver) {
          if (auto fb = Service::fallback_of(*c.receiver)) {
            m_group_fallback.insert(job.group);
            const auto pb = m_breakers.find(job.group + " " + destination_of(*c.receiver));
            const bool open = pb != m_breakers.end() &&
                              pb->second.failures >= m_options.breaker_failures &&
                              pb->second.open_until > now;
            if (open || c.delivery.attempts >= fb->second) {
              c.receiver = std::move(fb->first);
              c.fallback = true;
            }
          } else {
            m_group_fallback.erase(job.group);
          }
        }
        job.destination = c.receiver ? job.group + " " + destination_of(*c.receiver) : "none";
        m_group_destination[job.group] = job.destination;
        const auto b = m_breakers.find(job.destination);
        const bool tripped =
            b != m_breakers.end() && b->second.failures >= m_options.breaker_failures;
        if (tripped && b->second.open_until > now) {
          // Waiting for the circuit is waiting all the same: past the maximum age the
          // delivery is dead-lettered as a failed attempt would be.
          if (b->second.open_until - std::max(c.delivery.created_ms, c.delivery.release_ms) >
              m_options.max_age_ms) {
            // The transport's own last error stays first: it says what is wrong.
            dead.emplace_back(c.delivery.id,
                              c.delivery.last_error
                                  ? *c.delivery.last_error + " (then the circuit stayed open)"
                                  : "the destination kept failing (circuit open)");
          } else {
            give_back.emplace_back(c.delivery.id, b->second.open_until);
          }
          continue;
        }
        // A destination being probed: one attempt at a time.
        const auto probes = m_dest_in_flight.find(job.destination);
        const auto sending = m_group_in_flight.find(job.group);
        const std::size_t in_flight = sending == m_group_in_flight.end() ? 0 : sending->second;
        const auto held = m_held.find(job.group);
        const std::size_t holding = held == m_held.end() ? 0 : held->second.size();
        const bool probing = tripped && probes != m_dest_in_flight.end() && probes->second > 0;
        if (!probing && holding == 0 && in_flight < m_options.per_receiver &&
            m_in_flight < m_options.workers) {
          // A place and a sender: sent now.
          m_sending[c.delivery.id] = now + m_options.lease_ms;
          job.claimed = std::move(c);
          enqueue(std::move(job));
          ++queued;
        } else if (!probing && !tripped && in_flight >= m_options.per_receiver &&
                   holding < m_options.claim_ahead) {
          // Its receiver sends all it may: held, after those held before it, for the
          // place its next send that ends leaves. Only there, so that it never waits for
          // (nor takes) a sender another receiver needs.
          m_sending[c.delivery.id] = now + m_options.lease_ms;
          job.claimed = std::move(c);
          job.held = true;
          job.held_since = held_at;
          m_held[job.group].push_back(std::move(job));
        } else {
          // Its receiver has a place but no sender is free, or enough is held: claimed
          // again when a place frees (as due as it was).
          give_back.emplace_back(c.delivery.id,
                                 due_again(c, job.group, job.destination, claimed_at));
        }
      }
    }
    if (queued > 0) m_work.notify_all();
    try {
      store.deliveries_release(give_back);  // one commit for the claim's worth
    } catch (const std::exception&) {
      // Due again when their leases end.
    }
    for (const auto& [id, why] : dead) {
      try {
        store.delivery_failed(id, why, std::nullopt);
        ++m_service.routing_counters().deliveries_dead;
      } catch (const std::exception&) {
        // Due again when its lease ends.
      }
    }
    if (!claimed.empty() && give_back.size() + dead.size() < claimed.size()) continue;
    std::unique_lock<std::mutex> lock(m_mutex);
    const std::int64_t wait = held_wait(std::min(m_options.poll_ms, renew_every));
    m_waiting_until = store::now_ms() + wait;
    m_dispatch.wait_for(lock, std::chrono::milliseconds(wait),
                        [&] { return m_woken || m_stop.load(); });
    m_waiting_until = 0;
    m_woken = false;
  }
  // Stopping: what is held is given back, due again for the instances that go on (what
  // was queued is sent by the senders before they stop).
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    promote_held(store::now_ms());
  }
  release_given_back();
}

void Outbox::sender() {
  notify::Connections connections;  // kept open between this sender's deliveries
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      m_work.wait(lock, [&] { return m_stop || !m_queue.empty(); });
      if (m_queue.empty()) return;  // stopping, and what was queued is sent
      job = std::move(m_queue.front());
      m_queue.pop_front();
    }
    bool transport_failed = false;
    bool not_sent = true;  // nothing reached the destination: its circuit learns nothing
    try {
      // Held, and of a kind that may have been cancelled meanwhile: sent only if still
      // pending (one read; another instance may have taken the acknowledgement).
      bool pending = true;
      if (job.held && store::Store::cancellable(job.claimed)) {
        try {
          pending = m_service.store().delivery_pending(job.claimed.delivery.id);
        } catch (const std::exception&) {
          // Unknown: sent (at least once), rather than left until its lease ends.
        }
      }
      if (pending) send_one(job.claimed, connections, transport_failed, not_sent);
    } catch (const std::exception&) {
      // The outcome could not be recorded: the delivery is due again when its lease ends.
    }
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_sending.erase(job.claimed.delivery.id);
      if (--m_group_in_flight[job.group] == 0) m_group_in_flight.erase(job.group);
      if (--m_dest_in_flight[job.destination] == 0) m_dest_in_flight.erase(job.destination);
      --m_in_flight;
      bool circuit_changed = false;  // tripped, or closed again: what may be claimed changed
      if (job.destination != "none" && !not_sent) {
        auto& b = m_breakers[job.destination];
        const bool was_tripped = b.failures >= m_options.breaker_failures;
        if (!transport_failed) {
          b = Breaker{};
        } else if (++b.failures >= m_options.breaker_failures) {
          const std::int64_t open = std::min<std::int64_t>(
              300000, m_options.breaker_open_ms << std::min<std::size_t>(b.trips, 4));
          b.open_until = store::now_ms() + open;
          ++b.trips;
        }
        circuit_changed = was_tripped != (b.failures >= m_options.breaker_failures);
      }
      // A held delivery takes the place (its receiver's next, this sender takes it).
      // Then what the dispatcher could claim is as it was: not woken (each send that
      // ended made a claim, which found nothing its receiver could take).
      const bool refilled = promote_held(store::now_ms(), job.group);
      if (!refilled || circuit_changed || !m_give_back.empty()) {
        m_woken = true;
        m_dispatch.notify_one();
      }
    }
  }
}

namespace {

// The receiver's language ("fr" or "en").
std::string lang_of(const store::Claimed& c) {
  if (!c.receiver) return "en";
  const auto options = nlohmann::json::parse(c.receiver->options, nullptr, false);
  return options.is_object() ? options.value("lang", "en") : "en";
}

// A notice: a request's step, or a version published (its fingerprint "version:...").
bool is_notice(const store::Event& e) {
  return e.status == "request";
}

// A notice's annotation in the receiver's language when it has it.
std::string notice_text(const store::Claimed& c, const std::string& key) {
  const auto notes = nlohmann::json::parse(c.event.annotations, nullptr, false);
  if (!notes.is_object()) return "";
  const std::string own = lang_of(c) == "fr" ? notes.value(key + "_fr", "") : "";
  return own.empty() ? notes.value(key, "") : own;
}

std::string email_subject(const store::Claimed& c) {
  if (is_notice(c.event)) return "[racine] " + text::escape_controls(notice_text(c, "summary"));
  const auto labels = nlohmann::json::parse(c.event.labels, nullptr, false);
  std::string alertname = "alert";
  if (labels.is_object() && labels.contains("alertname") && labels["alertname"].is_string())
    alertname = labels["alertname"].get<std::string>();
  std::string activity;
  const auto a = c.event.activity ? nlohmann::json::parse(*c.event.activity, nullptr, false)
                                  : nlohmann::json();
  if (a.is_object() && a.contains("title") && a["title"].is_string())
    activity = a["title"].get<std::string>();
  std::string kind = c.delivery.kind;
  std::transform(kind.begin(), kind.end(), kind.begin(), ::toupper);
  return fmt::format("[racine] {} {}: {} ({}/{})", kind, text::escape_controls(alertname),
                     c.event.gray_zone ? "gray zone" : text::escape_controls(activity),
                     c.event.tenant, c.event.contract);
}

std::string email_body(const store::Claimed& c, const std::string& ack_base,
                       const std::string& ack_link) {
  const auto j = nlohmann::json::parse(Service::delivery_body(c, ack_base, ack_link));
  if (is_notice(c.event)) {
    // A request's step or a version published: what it says, and its page.
    const bool fr = lang_of(c) == "fr";
    std::string out =
        fmt::format(fmt::runtime(fr ? "Pour {} ({}), client {}, contrat {}.\n\n"
                                    : "For {} ({}), tenant {}, contract {}.\n\n"),
                    c.delivery.party_name, c.delivery.party, c.event.tenant, c.event.contract);
    // The description keeps its lines (a release note's, a request's), each escaped and
    // the later ones indented, so that none can pass for a line of racine's own.
    std::string description;
    const std::string text = notice_text(c, "description");
    for (std::size_t at = 0; at <= text.size();) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      description += (at == 0 ? "" : "\n    ") + text::escape_controls(text.substr(at, end - at));
      at = end + 1;
    }
    out += text::escape_controls(notice_text(c, "summary")) + "\n\n" + description + "\n";
    const auto& page = j.contains("request") ? j["request"] : j["notice"];
    out += fmt::format(fmt::runtime(fr ? "\nSuivre\u202f: {}\n" : "\nFollow it: {}\n"),
                       page["url"].get<std::string>());
    return out;
  }
  std::string out = fmt::format("{} for {} ({}), role {}.\n\n", c.delivery.kind,
                                c.delivery.party_name, c.delivery.party, c.delivery.role);
  if (c.event.gray_zone) {
    out += "No rule of the contract's matrix classifies this alert: gray zone.\n";
  } else {
    out += fmt::format("Activity: {} ({})\nSection: {}\n",
                       text::escape_controls(j["activity"].value("title", "")),
                       text::escape_controls(j["activity"].value("id", "")),
                       text::escape_controls(j["activity"].value("section", "")));
  }
  out += fmt::format("Tenant: {}, contract: {}\nAlert: {}, since {}\n\nLabels:\n", c.event.tenant,
                     c.event.contract, j["alert"]["status"].get<std::string>(),
                     text::escape_controls(c.event.starts_at));
  // Label and annotation values come from the tenant's alerts: escaped, so that a
  // newline in one cannot start a line of racine's own text (a forged "Acknowledge" link).
  auto value = [](const nlohmann::json& v) {
    return text::escape_controls(v.is_string() ? v.get<std::string>() : v.dump());
  };
  for (const auto& [k, v] : j["alert"]["labels"].items())
    out += fmt::format("  {}={}\n", text::escape_controls(k), value(v));
  if (!j["alert"]["annotations"].empty()) {
    out += "Annotations:\n";
    for (const auto& [k, v] : j["alert"]["annotations"].items())
      out += fmt::format("  {}: {}\n", text::escape_controls(k), value(v));
  }
  if (!ack_link.empty())
    out += fmt::format("\nAcknowledge (one click, no sign-in): {}\n", ack_link);
  out += fmt::format("\nAcknowledge (POST with your token): {}\n", j["ack_url"].get<std::string>());
  return out;
}

}  // namespace

// The request of a receiver type (notify/channels.h) in place of the generic webhook's
// body, which `w` holds on entry: the receiver's language, the event's page, and for a
// template its method, headers and body. `refused` says why nothing can be sent.
void Outbox::shape_request(const store::Claimed& c, notify::Webhook& w, std::string& refused,
                           bool& capture) {
  const auto& r = *c.receiver;
  if (r.type == "webhook") {
    w.secret = r.secret;
    return;
  }
  const auto options = nlohmann::json::parse(r.options, nullptr, false);
  notify::Context ctx;
  ctx.lang = options.is_object() ? options.value("lang", "en") : "en";
  if (!m_options.public_url.empty())
    ctx.event_url =
        m_options.public_url + "/#/tenants/" + c.event.tenant +
        (c.event.status != "request"                   ? "/events?event=" + c.event.id
         : c.event.fingerprint.starts_with("version:") ? "/contracts/" + c.event.contract
                                                       : "/requests");
  const auto delivery = nlohmann::json::parse(w.body);
  if (r.type == "slack") {
    w.body = notify::slack_message(delivery, ctx);
  } else if (r.type == "mattermost") {
    w.body = notify::mattermost_message(delivery, ctx);
  } else if (r.type == "teams") {
    w.body = notify::teams_message(delivery, ctx);
  } else if (r.type == "pagerduty" && c.delivery.kind == "informed") {
    w.url = notify::pagerduty_change_url(r.target);
    w.body = notify::pagerduty_change_event(delivery, r.secret.value_or(""), ctx);
  } else if (r.type == "pagerduty") {
    w.body = notify::pagerduty_event(delivery, r.secret.value_or(""), ctx);
  } else if (r.type == "template" && options.is_object()) {
    const auto t = notify::template_of(r.target, options);
    // What the event's first request to this receiver captured (a ticket's id), for its
    // steps (a comment on the ticket, the ticket resolved).
    nlohmann::json refs = nlohmann::json::object();
    if (!t.capture.empty())
      for (const auto& text :
           m_service.store().captured(c.event.id, c.delivery.party, c.fallback ? "fallback" : "")) {
        const auto one = nlohmann::json::parse(text, nullptr, false);
        if (one.is_object())
          for (const auto& [k, v] : one.items())
            if (!refs.contains(k)) refs[k] = v;
      }
    std::string error;
    bool waiting = false;
    const auto req = notify::render_template(t, delivery, ctx, refs, error, waiting);
    if (!req) {
      refused = waiting ? error : "the receiver's template: " + error;
      return;
    }
    capture = req->step.empty() && !t.capture.empty();
    w.url = req->url;
    w.method = req->method;
    w.body = req->body;
    w.headers = req->headers;
    w.content_type = req->content_type;
  } else {
    refused = "unknown receiver type '" + r.type + "'";
  }
}

notify::Outcome Outbox::attempt(const store::Claimed& c, notify::Connections* keep) {
  auto& store = m_service.store();
  notify::Outcome outcome;
  if (!c.receiver) {
    outcome.error =
        fmt::format("no receiver for party '{}' of tenant '{}'", c.delivery.party, c.event.tenant);
  } else if (c.receiver->type != "email") {
    notify::Webhook w;
    w.url = c.receiver->target;
    w.body = Service::delivery_body(c, m_options.public_url,
                                    m_service.ack_link(c, m_options.public_url, lang_of(c)));
    w.idempotency_key = c.delivery.id;
    w.timeout_ms = m_options.timeout_ms;
    w.proxy = m_options.proxy;
    // A tenant's own receiver: the address dialled is checked again (notify/egress.h).
    if (!c.receiver->by_provider) w.policy = &m_service.egress();
    std::string refused;
    bool capture = false;
    shape_request(c, w, refused, capture);
    if (!refused.empty()) {
      outcome.error = refused;
      outcome.not_sent = true;
    } else {
      outcome = notify::post(w, keep);
      if (outcome.ok && capture)
        outcome.refs = notify::capture_refs(
            notify::template_of(c.receiver->target,
                                nlohmann::json::parse(c.receiver->options, nullptr, false)),
            outcome.response);
    }
  } else if (c.receiver->type == "email") {
    // A tenant's own email receiver: its domain is checked again at each send, since the
    // provider may have narrowed the tenant's domains since it was saved.
    std::string refused;
    if (!c.receiver->by_provider) {
      const auto tenant = store.get_tenant(store::Principal::system(), c.event.tenant);
      const std::string domain =
          ascii_lower(c.receiver->target.substr(c.receiver->target.rfind('@') + 1));
      if (!tenant || std::find(tenant->email_domains.begin(), tenant->email_domains.end(),
                               domain) == tenant->email_domains.end())
        refused = "egress denied: " + domain + " is not among the tenant's email domains";
    }
    if (!refused.empty()) {
      outcome.error = refused;
      outcome.denied = true;
    } else if (m_options.smtp_relay.empty()) {
      outcome.error = "an email receiver, but no SMTP relay (racine serve --smtp)";
    } else {
      notify::Email e;
      e.relay = m_options.smtp_relay;
      e.from = m_options.smtp_from;
      e.to = c.receiver->target;
      e.subject = email_subject(c);
      e.body = email_body(c, m_options.public_url,
                          m_service.ack_link(c, m_options.public_url, lang_of(c)));
      e.message_id = c.delivery.id;
      e.timeout_ms = m_options.timeout_ms;
      outcome = notify::send(e);
    }
  } else {
    outcome.error = "unknown receiver type '" + c.receiver->type + "'";
  }
  return outcome;
}

void Outbox::send_one(const store::Claimed& c, notify::Connections& keep, bool& failed_transport,
                      bool& not_sent) {
  auto& store = m_service.store();
  auto& counters = m_service.routing_counters();
  const notify::Outcome outcome = attempt(c, &keep);
  // A template's error, a step waiting for its ticket: the destination was not asked, so
  // its circuit neither closes (a probe that never went out proves nothing) nor trips.
  not_sent = outcome.not_sent;
  // What counts against the destination's circuit: it did not answer, or answered 5xx
  // or 429 (a 4xx is the delivery's problem, not the destination's health).
  failed_transport = c.receiver && !outcome.ok && !outcome.not_sent &&
                     (outcome.status == 0 || outcome.status >= 500 || outcome.status == 429);
  if (outcome.ok) {
    store.delivery_sent(c.delivery.id, c.fallback ? "fallback" : "", outcome.refs);
    ++counters.deliveries_sent;
    return;
  }
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  const std::int64_t now = store::now_ms();
  std::int64_t wait = backoff_ms(c.delivery.attempts + 1, m_options.backoff_initial_ms,
                                 m_options.backoff_max_ms, gen());
  if (outcome.retry_after_ms) wait = std::max(wait, *outcome.retry_after_ms);
  const std::int64_t at = now + wait;
  // A delivery held (a maintenance window) is as old as the time since it was released.
  if (at - std::max(c.delivery.created_ms, c.delivery.release_ms) > m_options.max_age_ms) {
    store.delivery_failed(c.delivery.id, outcome.error, std::nullopt);
    ++counters.deliveries_dead;
  } else {
    store.delivery_failed(c.delivery.id, outcome.error, at);
    ++counters.deliveries_retried;
  }
}

}  // namespace racine::service

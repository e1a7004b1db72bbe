#pragma once
// The outbox of `racine serve`: sends the deliveries that alert routing recorded
// (service/routing.cpp) to the receivers configured for each party, and records what
// happened. At least once: a delivery is claimed for a lease, sent, then marked sent;
// the lease is renewed while the send is in flight, and an instance that dies in
// between leaves it due again when the lease ends; the receiver deduplicates by its
// Idempotency-Key (the delivery id). A failure is retried with exponential backoff and
// full jitter (a Retry-After the receiver sends is honoured) until the delivery is older
// than the maximum age; then it is dead-lettered.
//
// Fair (docs/routing.md, "The outbox"): one dispatcher claims due deliveries only when a
// sender is free (as many as are free, and some ahead, below), each receiver's oldest
// before any receiver's second, at most `per_receiver` of one receiver in flight;
// `workers` senders send concurrently. A destination that keeps failing opens its
// circuit breaker: its deliveries wait, without an attempt counted, until one probe goes
// through. So a receiver that never answers holds at most `per_receiver` senders, and
// every other tenant's pages go on.
// A claim also takes up to `claim_ahead` more of each receiver that gets a sender, and
// holds them (claimed, their leases renewed) behind that receiver's sends: a send that
// ends takes the next without waiting for a claim. A held delivery not sent within a
// second, or whose destination's circuit opened, is given back; one that an
// acknowledgement may have cancelled is read again before it is sent.
// Several instances on one PostgreSQL claim with one UPDATE that re-checks each row it
// locks: each delivery is sent by one of them at a time.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "notify/send.h"
#include "service/service.h"

namespace racine::service {

struct OutboxOptions {
  std::size_t workers = 16;              // sends in flight at once
  std::size_t per_receiver = 2;          // sends in flight to one receiver (tenant and party)
  std::size_t claim_ahead = 4;           // more of a receiver claimed, held for its next free place
  std::size_t breaker_failures = 5;      // consecutive failures that open a destination's circuit
  std::int64_t breaker_open_ms = 30000;  // then no attempt for this long (doubling, to 5 min)
  std::int64_t poll_ms = 500;            // how often an idle dispatcher looks for due work
  std::int64_t lease_ms = 60000;         // a claim's lifetime (renewed while sending)
  std::int64_t timeout_ms = 10000;       // one attempt's
  std::int64_t backoff_initial_ms = 1000;            // the first retry waits up to this
  std::int64_t backoff_max_ms = 300000;              // no retry waits more (Retry-After aside)
  std::int64_t max_age_ms = 86400000;                // then dead-lettered
  std::string public_url = "http://127.0.0.1:8080";  // the base of ack links
  std::string smtp_relay;                            // smtp://host:port; "" : no email
  std::string smtp_from = "racine@localhost";
  std::string proxy;                    // every webhook through this HTTP proxy ("" : none)
  std::int64_t prune_every_ms = 60000;  // events past retention or count (Limits) deleted
};

// A delivery's destination: a webhook URL's scheme, host and port
// ("https://hooks.example:443"), or "smtp" for every email. A circuit breaker is kept per
// receiver and destination, so that one tenant's failures on a shared host (a chat
// service, a pager) never hold another's deliveries.
std::string destination_of(const store::Receiver& r);

// The wait before retry number `attempts` (1 for the first retry): uniform in
// [0, min(max, initial * 2^(attempts-1))] ("full jitter"), `random` being 64 random bits.
std::int64_t backoff_ms(std::int64_t attempts, std::int64_t initial, std::int64_t max,
                        std::uint64_t random);

class Outbox {
 public:
  Outbox(Service& service, OutboxOptions options);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Starts the dispatcher and the senders (threads); the destructor stops and joins
  // them, letting the attempts in flight end (each is bounded by its timeout).
  void start();
  // One attempt of a delivery, sent as the senders send it and recorded nowhere (a test
  // send from the receivers' page: on a connection of its own). A sender passes the
  // connections it keeps open (notify::Connections).
  notify::Outcome attempt(const store::Claimed& c, notify::Connections* keep = nullptr);
  // Tells the dispatcher that work may be due from `due_ms` (new alerts were recorded; 0:
  // now). Work due after the dispatcher's next look (it looks every poll_ms) wakes
  // nothing: that look, or a later one, takes it (a storm held by a maintenance window
  // made a claim per request that found nothing due).
  void wake(std::int64_t due_ms = 0);
  // Until when this instance holds the circuit of `tenant`'s `party` to `r` open (its
  // deliveries wait), 0 when it is closed.
  std::int64_t circuit_open_until(const std::string& tenant, const std::string& party,
                                  const store::Receiver& r);

 private:
  struct Breaker {
    std::size_t failures = 0;  // consecutive
    std::size_t trips = 0;     // times opened since the last success
    std::int64_t open_until = 0;
  };
  struct Job {
    store::Claimed claimed;
    std::string group;            // "tenant/party"
    std::string destination;      // the receiver and destination_of: its circuit breaker
    bool held = false;            // claimed ahead, and held before it was queued
    std::int64_t held_since = 0;  // then, when (the steady clock's milliseconds)
  };

  void dispatch();
  void sender();
  void send_one(const store::Claimed& c, notify::Connections& keep, bool& failed_transport,
                bool& not_sent);
  void shape_request(const store::Claimed& c, notify::Webhook& w, std::string& refused,
                     bool& capture);
  void renew_leases(std::int64_t now);
  // Under m_mutex: those held a second or whose destination's circuit tripped moved to
  // m_give_back; then `preferred`'s next held delivery (the group whose send ended)
  // queued in the place it left. True when one was queued.
  bool promote_held(std::int64_t now, const std::string& preferred = {});
  // Under m_mutex: `job` queued for a sender, counted in flight (its receiver's, its
  // destination's, all).
  void enqueue(Job job);
  // Under m_mutex: `wait` (ms), or less, until the first held delivery's second is up.
  std::int64_t held_wait(std::int64_t wait) const;
  // Under m_mutex: when a claimed delivery given back is due again.
  std::int64_t due_again(const store::Claimed& c, const std::string& group,
                         const std::string& destination, std::int64_t now) const;
  // The deliveries given back to the store (due at once).
  void release_given_back();

  Service& m_service;
  OutboxOptions m_options;
  std::atomic<bool> m_stop{false};
  std::mutex m_mutex;
  std::condition_variable m_dispatch;  // the dispatcher waits for a free sender or new work
  std::condition_variable m_work;      // senders wait for a job
  bool m_woken = false;
  std::int64_t m_waiting_until = 0;  // when the dispatcher's wait ends (0: it is not waiting)
  std::deque<Job> m_queue;
  std::map<std::string, std::deque<Job>> m_held;                  // claimed ahead, by group
  std::vector<std::pair<std::string, std::int64_t>> m_give_back;  // held, to give back
  std::size_t m_in_flight = 0;                                    // jobs queued or being sent
  std::map<std::string, std::size_t> m_group_in_flight;           // by "tenant/party"
  std::map<std::string, std::size_t> m_dest_in_flight;            // by destination
  std::map<std::string, std::string> m_group_destination;
  std::set<std::string> m_group_fallback;               // groups whose receiver has a fallback
  std::map<std::string, std::int64_t> m_circuit_swept;  // by group: when last looked at
  std::map<std::string, Breaker> m_breakers;            // by destination
  std::map<std::string, std::int64_t> m_sending;  // delivery ids being sent: their lease's end
  std::vector<std::thread> m_threads;
};

}  // namespace racine::service

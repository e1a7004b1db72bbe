#pragma once
// The outbox worker of `racine serve`: sends the deliveries that alert routing recorded
// (service/routing.cpp) to the receivers configured for each party, and records what
// happened. At least once: a delivery is claimed for a lease, sent, then marked sent;
// an instance that dies in between leaves it due again when the lease ends, and the
// receiver deduplicates by its Idempotency-Key (the delivery id). A failure is retried
// with exponential backoff and full jitter (a Retry-After the receiver sends is
// honoured) until the delivery is older than the maximum age; then it is dead-lettered.
// Several instances on one PostgreSQL claim with FOR UPDATE SKIP LOCKED: each delivery
// is sent by one of them at a time.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/service.h"

namespace racine::service {

struct OutboxOptions {
  std::size_t workers = 2;
  std::int64_t poll_ms = 500;                        // how often an idle worker looks for due work
  std::int64_t lease_ms = 60000;                     // a claim's lifetime
  std::int64_t timeout_ms = 10000;                   // one attempt's
  std::int64_t backoff_initial_ms = 1000;            // the first retry waits up to this
  std::int64_t backoff_max_ms = 300000;              // no retry waits more (Retry-After aside)
  std::int64_t max_age_ms = 86400000;                // then dead-lettered
  std::string public_url = "http://127.0.0.1:8080";  // the base of ack links
  std::string smtp_relay;                            // smtp://host:port; "" : no email
  std::string smtp_from = "racine@localhost";
};

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

  // Starts the workers (threads); the destructor stops and joins them, letting the
  // attempts in flight end (each is bounded by its timeout).
  void start();
  // Tells an idle worker that work may be due now (new alerts were recorded).
  void wake();
  // One pass of one worker: claims what is due and sends it; returns how many it tried.
  std::size_t run_once();

 private:
  void send_one(const store::Claimed& c);
  void loop();

  Service& m_service;
  OutboxOptions m_options;
  std::atomic<bool> m_stop{false};
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_woken = false;
  std::vector<std::thread> m_threads;
};

}  // namespace racine::service

#include "service/outbox.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

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
  m_stop = true;
  wake();
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_woken = true;
  }
  m_wake.notify_all();
  for (auto& t : m_threads) t.join();
}

void Outbox::start() {
  for (std::size_t i = 0; i < std::max<std::size_t>(m_options.workers, 1); ++i)
    m_threads.emplace_back([this] { loop(); });
}

void Outbox::wake() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_woken = true;
  }
  m_wake.notify_one();
}

void Outbox::loop() {
  while (!m_stop) {
    std::size_t tried = 0;
    try {
      tried = run_once();
    } catch (const std::exception&) {
      // The store is unreachable or busy: the deliveries stay pending; try again later.
      tried = 0;
    }
    if (tried > 0) continue;
    std::unique_lock<std::mutex> lock(m_mutex);
    m_wake.wait_for(lock, std::chrono::milliseconds(m_options.poll_ms),
                    [&] { return m_woken || m_stop.load(); });
    m_woken = false;
  }
}

std::size_t Outbox::run_once() {
  auto& store = m_service.store();
  const auto claimed = store.claim_deliveries(store::now_ms(), m_options.lease_ms, 8);
  for (const auto& c : claimed) {
    if (m_stop) break;  // the rest stay claimed until their lease ends: sent later
    send_one(c);
  }
  return claimed.size();
}

namespace {

std::string email_subject(const store::Claimed& c) {
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
  return fmt::format("[racine] {} {}: {} ({}/{})", kind, alertname,
                     c.event.gray_zone ? "gray zone" : activity, c.event.tenant, c.event.contract);
}

std::string email_body(const store::Claimed& c, const std::string& ack_base) {
  const auto j = nlohmann::json::parse(Service::delivery_body(c, ack_base));
  std::string out = fmt::format("{} for {} ({}), role {}.\n\n", c.delivery.kind,
                                c.delivery.party_name, c.delivery.party, c.delivery.role);
  if (c.event.gray_zone) {
    out += "No rule of the contract's matrix classifies this alert: gray zone.\n";
  } else {
    out += fmt::format("Activity: {} ({})\nSection: {}\n", j["activity"].value("title", ""),
                       j["activity"].value("id", ""), j["activity"].value("section", ""));
  }
  out += fmt::format("Tenant: {}, contract: {}\nAlert: {}, since {}\n\nLabels:\n", c.event.tenant,
                     c.event.contract, j["alert"]["status"].get<std::string>(), c.event.starts_at);
  for (const auto& [k, v] : j["alert"]["labels"].items())
    out += fmt::format("  {}={}\n", k, v.is_string() ? v.get<std::string>() : v.dump());
  if (!j["alert"]["annotations"].empty()) {
    out += "Annotations:\n";
    for (const auto& [k, v] : j["alert"]["annotations"].items())
      out += fmt::format("  {}: {}\n", k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  out += fmt::format("\nAcknowledge (POST with your token): {}\n", j["ack_url"].get<std::string>());
  return out;
}

}  // namespace

void Outbox::send_one(const store::Claimed& c) {
  auto& store = m_service.store();
  auto& counters = m_service.routing_counters();
  notify::Outcome outcome;
  if (!c.receiver) {
    outcome.error =
        fmt::format("no receiver for party '{}' of tenant '{}'", c.delivery.party, c.event.tenant);
  } else if (c.receiver->type == "webhook") {
    notify::Webhook w;
    w.url = c.receiver->target;
    w.body = Service::delivery_body(c, m_options.public_url);
    w.idempotency_key = c.delivery.id;
    w.secret = c.receiver->secret;
    w.timeout_ms = m_options.timeout_ms;
    outcome = notify::post(w);
  } else if (c.receiver->type == "email") {
    if (m_options.smtp_relay.empty()) {
      outcome.error = "an email receiver, but no SMTP relay (racine serve --smtp)";
    } else {
      notify::Email e;
      e.relay = m_options.smtp_relay;
      e.from = m_options.smtp_from;
      e.to = c.receiver->target;
      e.subject = email_subject(c);
      e.body = email_body(c, m_options.public_url);
      e.message_id = c.delivery.id;
      e.timeout_ms = m_options.timeout_ms;
      outcome = notify::send(e);
    }
  } else {
    outcome.error = "unknown receiver type '" + c.receiver->type + "'";
  }
  if (outcome.ok) {
    store.delivery_sent(c.delivery.id);
    ++counters.deliveries_sent;
    return;
  }
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  const std::int64_t now = store::now_ms();
  std::int64_t wait = backoff_ms(c.delivery.attempts + 1, m_options.backoff_initial_ms,
                                 m_options.backoff_max_ms, gen());
  if (outcome.retry_after_ms) wait = std::max(wait, *outcome.retry_after_ms);
  const std::int64_t at = now + wait;
  if (at - c.delivery.created_ms > m_options.max_age_ms) {
    store.delivery_failed(c.delivery.id, outcome.error, std::nullopt);
    ++counters.deliveries_dead;
  } else {
    store.delivery_failed(c.delivery.id, outcome.error, at);
    ++counters.deliveries_retried;
  }
}

}  // namespace racine::service

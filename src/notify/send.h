#pragma once
// How a delivery leaves racine: a webhook POST or an email through an SMTP relay, both by
// libcurl. One call, one attempt: the outbox (service/outbox.h) decides when to try again.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "notify/egress.h"

namespace racine::notify {

// What an attempt gave.
struct Outcome {
  bool ok = false;  // delivered (a 2xx, or the relay took the message)
  int status = 0;   // the HTTP status or the SMTP reply code, 0 when there was none
  std::optional<std::int64_t> retry_after_ms;  // a Retry-After the receiver asked for
  std::string error;                           // why it failed, for the event's record
  bool denied = false;                         // the egress policy refused the address dialled
  std::string response;                        // the answer's body (its first 64 KiB)
  bool not_sent = false;  // refused before sending (a template's error): not the destination's
  std::string refs;       // what a templated receiver captured from the answer (a JSON object)
};

struct Webhook {
  std::string url;
  std::string body;  // JSON
  std::string idempotency_key;
  // Signs "<timestamp>.<body>": X-Racine-Timestamp: <Unix seconds> and
  // X-Racine-Signature: sha256=HEX (DESIGN.md, "Routing (contract)").
  std::optional<std::string> secret;
  std::int64_t timestamp = 0;  // Unix seconds; 0: now
  std::int64_t timeout_ms = 10000;
  // A tenant's receiver: the address dialled must pass this policy (nullptr: the
  // provider's receivers, which follow the operator's network policy only).
  const EgressPolicy* policy = nullptr;
  std::string proxy;            // an HTTP proxy every webhook goes through ("" : none)
  std::string method = "POST";  // or PUT, PATCH (a templated receiver's)
  // Further headers ("Name: value"), already checked (notify/channels.h): a receiver
  // type's own (a templated receiver's Authorization, say).
  std::vector<std::string> headers = {};
  std::string content_type = "application/json";
};

// The signature header's value for a body sent at `timestamp`: "sha256=" and the hex
// HMAC-SHA256 of "<timestamp>.<body>" keyed with the receiver's secret.
std::string signature(const std::string& secret, std::int64_t timestamp, const std::string& body);

// Connections kept open between deliveries (HTTP keep-alive), for one thread at a time
// (each sender of the outbox has its own). A connection is reused only for the same
// scheme, host and port, and only under the same egress check it was opened under: one
// set of connections per policy (its ranges and the server's addresses), one for the
// provider's receivers, which are not checked, and through a proxy one for each. So a
// connection opened to an address the check let through is never lent to a delivery the
// check would refuse, nor one opened for the provider to a tenant's receiver. A new
// connection is checked when it is dialled (notify/egress.h), its name resolved again
// (no DNS cache); an idle connection is closed after k_idle_s, any after k_lifetime_s
// (so that a name that now points elsewhere is followed within that time).
class Connections {
 public:
  static constexpr long k_idle_s = 30;
  static constexpr long k_lifetime_s = 120;
  static constexpr long k_per_policy = 16;  // open connections kept per policy
  Connections();
  ~Connections();
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;
  struct Impl;
  Impl& impl() { return *m_impl; }

 private:
  std::unique_ptr<Impl> m_impl;
};

// POSTs the body; no redirect is followed, only http and https are spoken. With `keep`,
// on a connection it kept open when one fits (see Connections), else on a new one that
// it keeps; without, on a new connection closed after.
Outcome post(const Webhook& w, Connections* keep = nullptr);

struct Email {
  std::string relay;  // smtp://host:port (smtps:// for TLS)
  std::string from;
  std::string to;
  std::string subject;     // UTF-8; encoded for the header as RFC 2047 asks
  std::string body;        // UTF-8 plain text
  std::string message_id;  // the delivery id: the same id on a retry
  std::int64_t timeout_ms = 10000;
};

Outcome send(const Email& e);

// The hex HMAC-SHA256 of `body` keyed with `secret`.
std::string hmac_sha256_hex(const std::string& secret, const std::string& body);

// Seconds or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT") to milliseconds from now;
// nullopt when it is neither.
std::optional<std::int64_t> parse_retry_after(const std::string& value, std::int64_t now_s);

}  // namespace racine::notify

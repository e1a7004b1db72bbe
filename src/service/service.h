#pragma once
// What `racine serve` does for each request, apart from HTTP: uploads read, linted and
// stored as versions; versions and contracts' effective matrices written in every
// format; lookups (who, duties, summary, options) and diffs on them; the upgrade flow;
// tokens. The server parses HTTP and answers with what these functions return; nothing
// here knows about sockets.
//
// Parsed matrices and their search indexes are caches keyed by (matrix, version,
// options), rebuilt from the store on demand: several instances can share one
// database, and nothing one of them keeps in memory is needed by another. Authenticated
// tokens and contracts are remembered for `k_default_cache_ttl` (1 s), so that a lookup
// costs no SQL: a revocation or a contract change made through another instance takes
// effect there within that time; made through this one, at once (docs/server.md).

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "core/matrix.h"
#include "core/report.h"
#include "core/token_bucket.h"
#include "formats/spreadsheet.h"
#include "k8s/rules.h"
#include "notify/egress.h"
#include "notify/send.h"
#include "query/index.h"
#include "route/hours.h"
#include "service/people.h"
#include "service/ttl_cache.h"
#include "store/store.h"

namespace racine::service {

// How a call ended, in the terms an HTTP answer needs.
enum class Status : std::uint8_t {
  ok,             // 200
  created,        // 201
  bad_request,    // 400
  forbidden,      // 403
  not_found,      // 404
  conflict,       // 409
  unsupported,    // 415: a media type no reader takes
  unprocessable,  // 422: lint errors (the report is the body)
  too_many,       // 429: a quota is spent (retry_after says when to try again)
  unavailable     // 503: try again shortly (retry_after)
};

// A result: a status, and a JSON body or a document in some media type.
struct Reply {
  Status status = Status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::string error_code;        // for errors: a short machine-readable code
  std::int64_t retry_after = 0;  // seconds, with too_many and unavailable

  static Reply json(const nlohmann::ordered_json& j, Status s = Status::ok);
  // A JSON body already written (core/json_out.h).
  static Reply json_text(std::string body, Status s = Status::ok);
  static Reply error(Status s, std::string code, const std::string& message);
};

// Lookup answers already written for one effective matrix, by question: the matrix never
// changes (versions are immutable, options fixed), so the same question gets the same
// bytes without searching and writing them again (docs/performance.md, "Server").
// Bounded in bytes; when full it is emptied. Thread-safe.
class AnswerMemo {
 public:
  static constexpr std::size_t k_max_bytes = 256U << 10U;

  std::optional<std::string> find(const std::string& key) const;
  void keep(const std::string& key, const std::string& answer) const;

 private:
  mutable std::mutex m_mutex;
  mutable std::unordered_map<std::string, std::string> m_answers;
  mutable std::size_t m_bytes = 0;
};

// A matrix read from a stored version, with what lookups need.
struct Loaded {
  Matrix matrix;
  query::Index index;
  AnswerMemo answers;  // `who` answers given on it
};

// True when `id` is a valid id of a matrix, tenant or contract: [a-z0-9][a-z0-9-]{0,62}.
bool valid_id(std::string_view id);

// The document format for a request's Content-Type ("text/markdown" -> "md", ...).
std::optional<std::string> format_of_media_type(std::string_view content_type);
// The spreadsheet a Content-Type names (.xlsx, .ods), kept as the Markdown it reads as.
std::optional<sheet::Kind> spreadsheet_of_media_type(std::string_view content_type);

// Lower-case hex digits of `n` bytes.
std::string hex(const unsigned char* data, std::size_t n);

// A new token: "rac_" and 64 hex digits of 32 random bytes (libsodium).
std::string new_token();

// A duration such as "15m", "30s", "1h30m", "250ms" in milliseconds, or nullopt.
std::optional<std::int64_t> duration_ms(std::string_view d);

// What alert routing counted since the start (for /metrics).
struct RoutingCounters {
  std::atomic<std::uint64_t> alerts_received{0};
  std::atomic<std::uint64_t> alerts_deduplicated{0};
  std::atomic<std::uint64_t> alerts_classified{0};
  std::atomic<std::uint64_t> alerts_gray_zone{0};
  std::atomic<std::uint64_t> deliveries_sent{0};
  std::atomic<std::uint64_t> deliveries_retried{0};
  std::atomic<std::uint64_t> deliveries_dead{0};
  std::atomic<std::uint64_t> outbox_claims{0};  // the dispatcher's looks for due deliveries
};

// How long an instance trusts what it read of tokens and contracts (see above).
inline constexpr std::chrono::milliseconds k_default_cache_ttl{1000};

// What one tenant may cost the server (docs/server.md, "Limits"); the defaults are the
// server's, changed with `racine serve` options.
struct Limits {
  std::size_t alerts_per_request = 10000;
  double alerts_per_minute = 20000;  // per tenant and instance; 0: no quota
  std::int64_t events_retention_ms = 30LL * 24 * 3600 * 1000;
  std::size_t events_max = 100000;        // per tenant
  std::size_t cache_bytes = 512U << 20U;  // the parsed matrices kept, estimated
  std::size_t requests_open = 20;         // per tenant: requests to the provider still open
};

// `s` with ASCII letters lower-cased (domain names).
std::string ascii_lower(std::string s);

// True when `s` is an RFC 3339 date-time ("2026-12-06T10:42:00Z", "...00.123+01:00").
bool is_rfc3339(std::string_view s);
// The Unix milliseconds of an RFC 3339 date-time, or nullopt.
std::optional<std::int64_t> ms_of_rfc3339(std::string_view s);

class Service {
 public:
  explicit Service(store::Store& store, config::Config config = {});

  // How long authenticated tokens and contracts are remembered (0: never; the default
  // is k_default_cache_ttl).
  void set_cache_ttl(std::chrono::milliseconds ttl);

  store::Store& store() { return m_store; }

  void set_limits(const Limits& limits);
  [[nodiscard]] const Limits& limits() const { return m_limits; }
  // Where tenants' receivers may send (notify/egress.h).
  void set_egress(notify::EgressPolicy policy) { m_egress = std::move(policy); }
  [[nodiscard]] const notify::EgressPolicy& egress() const { return m_egress; }

  // The keyed hash a token is stored and looked up by (BLAKE2b keyed with the server's
  // secret, kept in the store and created on first use).
  std::string token_hash(std::string_view token);
  // The principal of a token, or nullopt when it is unknown or revoked.
  std::optional<store::Principal> authenticate(std::string_view token);
  // Creates a token; returns {"id", "token"} (the token is shown only here).
  Reply create_token(const store::Principal& who, const nlohmann::json& body);
  // The token itself (for `racine token create` and the first start).
  // The first admin token on a store that never had one (first start), or nullopt: of
  // instances starting at once on one database, exactly one gets it.
  std::optional<std::string> first_admin_token();
  std::pair<store::TokenInfo, std::string> issue_token(const store::Principal& who,
                                                       store::Role role,
                                                       const std::optional<std::string>& tenant,
                                                       const std::string& name);

  // POST /matrices/{m}/versions: reads, lints and stores; 422 with the lint report when
  // it has errors and `force` is false. With `dry_run`, stores nothing and answers 200 with
  // what saving would bring: the lint report and the diff against the latest version.
  // `note` is the release note (at most 2,000 characters): kept with the version, shown in
  // its history, and said to the clients whose contracts are on an older version, through
  // their receivers, when the version is saved.
  Reply upload(const store::Principal& who, const std::string& matrix,
               std::string_view content_type, std::string body, bool force, bool dry_run = false,
               const std::string& note = "");
  // Imports the built-in matrix as `managed-kubernetes` when the store has no matrix;
  // returns the lint summary line to print, or "" when nothing was imported.
  std::string import_builtin_if_empty();

  Reply list_matrices(const store::Principal& who);
  Reply list_versions(const store::Principal& who, const std::string& matrix);
  // `version`: a number or "latest"; `format`: json (default), md, yaml, csv, html, xlsx, oscal.
  Reply get_version(const store::Principal& who, const std::string& matrix,
                    const std::string& version, const std::string& format);
  Reply get_lint(const store::Principal& who, const std::string& matrix,
                 const std::string& version);
  Reply diff(const store::Principal& who, const std::string& matrix, const std::string& from,
             const std::string& to);
  // GET /matrices/{m}/clients: every client's contract on the matrix, its version and how
  // many versions it is behind the latest (the provider's staff).
  Reply matrix_clients(const store::Principal& who, const std::string& matrix);

  Reply put_tenant(const store::Principal& who, const std::string& tenant,
                   const nlohmann::json& body);
  Reply list_tenants(const store::Principal& who);
  Reply put_contract(const store::Principal& who, const std::string& tenant,
                     const std::string& contract, const nlohmann::json& body);
  Reply get_contract(const store::Principal& who, const std::string& tenant,
                     const std::string& contract);
  Reply contract_matrix(const store::Principal& who, const std::string& tenant,
                        const std::string& contract, const std::string& format);
  Reply who(const store::Principal& who, const std::string& tenant, const std::string& contract,
            const std::string& query, std::size_t limit, bool partial = false);
  Reply duties(const store::Principal& who, const std::string& tenant, const std::string& contract,
               const std::string& party, const std::string& roles);
  Reply summary(const store::Principal& who, const std::string& tenant,
                const std::string& contract);
  Reply options(const store::Principal& who, const std::string& tenant,
                const std::string& contract);
  Reply upgrade_preview(const store::Principal& who, const std::string& tenant,
                        const std::string& contract);
  // POST .../upgrade {"version", "diff_sha256"?}: moves the contract (a compare-and-set)
  // and records the consent: who, when, from and to, the effective diff's hash (409
  // diff_changed when the caller showed another diff).
  Reply upgrade(const store::Principal& who, const std::string& tenant, const std::string& contract,
                const nlohmann::json& body);
  // GET .../contracts/{c}/history: the consents given to the contract's versions.
  Reply contract_history(const store::Principal& who, const std::string& tenant,
                         const std::string& contract);

  // --- alert routing (DESIGN.md, "Routing (contract)"; service/routing.cpp) ---
  // PUT /tenants/{t}/receivers/{party} (tenant "": PUT /receivers/{party}).
  Reply put_receiver(const store::Principal& who, const std::string& tenant,
                     const std::string& party, const nlohmann::json& body);
  // The receivers of a tenant ("" for the provider-wide ones), secrets left out.
  Reply list_receivers(const store::Principal& who, const std::string& tenant);
  // POST /tenants/{t}/alertmanager: an Alertmanager webhook payload (version 4); every
  // alert classified, routed under the contract (`contract`, or the tenant's only one)
  // and recorded with its deliveries in one transaction before the answer.
  Reply receive_alerts(const store::Principal& who, const std::string& tenant,
                       const std::string& contract, const nlohmann::json& body);
  // The same without waiting for the store: the payload is read, classified and routed
  // on the calling thread, then its rows join the store's next group commit; `done` is
  // called with the reply once they are durable (on the store's committer thread), or
  // with what the store threw (the reply is then empty). A refusal calls `done` at once.
  void receive_alerts_then(const store::Principal& who, const std::string& tenant,
                           const std::string& contract, const nlohmann::json& body,
                           std::function<void(Reply, std::exception_ptr)> done);
  Reply list_events(const store::Principal& who, const std::string& tenant,
                    const std::string& status);
  Reply get_event(const store::Principal& who, const std::string& tenant, const std::string& id);
  // Allowed to the parties Responsible or Accountable for the event's activity under the
  // contract (their tenant's tokens) and to the provider's roles; others get 403 with
  // why (DESIGN.md, "Who may act").
  Reply acknowledge(const store::Principal& who, const std::string& tenant, const std::string& id);
  // Why `who` may not acknowledge `e` ("" when it may).
  std::string cannot_acknowledge(const store::Principal& who, const store::Event& e);
  // The JSON a webhook receives for a claimed delivery (DESIGN.md's body); `ack_base` is
  // the server's public URL ("http://host:port"); `ack_link`, when not empty, the
  // delivery's signed acknowledgement link (ack_link()).
  static std::string delivery_body(const store::Claimed& c, const std::string& ack_base,
                                   const std::string& ack_link = "");
  // The classification rules of a stored version (cached): its own `kubernetes:` key,
  // else the built-in ones.
  std::shared_ptr<const k8s::RuleSet> rules_of(const std::string& matrix, std::int64_t version);
  RoutingCounters& routing_counters() { return m_routing; }
  // Called after alerts were recorded with deliveries (wakes the outbox), with the earliest
  // time one of them is due (0: now).
  void on_recorded(std::function<void(std::int64_t due_ms)> f) { m_on_recorded = std::move(f); }

  Reply list_tokens(const store::Principal& who);
  Reply revoke_token(const store::Principal& who, const std::string& id);
  Reply audit(const store::Principal& who, const std::optional<std::string>& tenant);
  // --- people (service/people.cpp; docs/identity.md) ---
  void set_identity(IdentityConfig config);
  [[nodiscard]] bool identity_enabled() const { return !m_identity.issuers.empty(); }
  // GET /auth/issuers: [{"id", "name"}] for the sign-in buttons.
  Reply issuers() const;
  // Where a browser goes next: a Location, with cookies to set, or an error page's path.
  struct Redirect {
    std::string location;
    std::vector<std::string> set_cookies;
  };
  // GET /auth/login?issuer=ID&return=/path: a sign-in attempt kept in the store, the
  // browser sent to the provider with state, nonce and the PKCE challenge.
  Redirect begin_login(const std::string& issuer, const std::string& return_to);
  // GET /auth/callback?code&state (or error): the attempt taken once, the code redeemed,
  // the ID token verified, the person mapped and recorded; a session on success.
  Redirect finish_login(const std::string& code, const std::string& state,
                        const std::string& error);
  // The principal of a session cookie's value, or nullopt.
  std::optional<store::Principal> session(std::string_view value);
  // POST /auth/logout: the session ended here, and the provider's logout where it offers
  // one ({"redirect"}).
  Reply logout(std::string_view value, Redirect& out);
  // The session cookie's name: `__Host-racine` when the public URL is https (the prefix
  // needs Secure), `racine_session` otherwise.
  [[nodiscard]] std::string session_cookie_name() const;
  // scheme://host[:port] of the public URL (what Origin must say on a write by cookie).
  [[nodiscard]] std::string public_origin() const;

  // A receiver's body parsed and checked into `r` (type, target, secret, options), or
  // the 400 that says why not; what a listing shows of one (secrets as true).
  static std::optional<Reply> parse_receiver(const nlohmann::json& body, store::Receiver& r,
                                             bool nested = false);
  // A receiver's fallback and after how many failed attempts it takes over, if it has one.
  static std::optional<std::pair<store::Receiver, int>> fallback_of(const store::Receiver& r);
  // `full`: a templated receiver's bodies too (they may hold a credential): for whoever
  // may set the receiver, not for a client's viewers and responders.
  static nlohmann::ordered_json receiver_json(const store::Receiver& r, bool full = true);

  // On-call rules of a contract's parties (service/oncall.cpp; route/hours.h): PUT, GET
  // and DELETE /api/v1/tenants/{t}/contracts/{c}/oncall[/{party}].
  Reply put_oncall(const store::Principal& who, const std::string& tenant,
                   const std::string& contract, const std::string& party,
                   const nlohmann::json& body);
  Reply list_oncall(const store::Principal& who, const std::string& tenant,
                    const std::string& contract);
  Reply delete_oncall(const store::Principal& who, const std::string& tenant,
                      const std::string& contract, const std::string& party);
  // Maintenance windows of a contract (service/oncall.cpp): POST, GET and DELETE
  // /api/v1/tenants/{t}/contracts/{c}/maintenance[/{id}].
  Reply create_maintenance(const store::Principal& who, const std::string& tenant,
                           const std::string& contract, const nlohmann::json& body);
  Reply list_maintenance(const store::Principal& who, const std::string& tenant,
                         const std::string& contract);
  Reply end_maintenance(const store::Principal& who, const std::string& tenant,
                        const std::string& contract, const std::string& id);
  // Signed acknowledgement links (service/oncall.cpp): the link a delivery carries when
  // its party may acknowledge (R firing, A escalation), "" otherwise; `base` is the
  // public URL. GET /ack/{token} asks to confirm, POST acknowledges (`confirm`): an HTML
  // page either way, in the receiver's language.
  std::string ack_link(const store::Claimed& c, const std::string& base, const std::string& lang);
  Reply ack_by_link(std::string_view token, bool confirm);
  void set_ack_link_ttl(std::int64_t ms) { m_ack_ttl_ms = ms; }
  struct AckClaim {
    std::string tenant;
    std::string event;
    std::string delivery;
    std::int64_t expires = 0;  // Unix seconds
    std::string lang;
  };
  // The claim of a token whose signature holds (`why` "" or "expired"), or nullopt
  // (`why` "invalid").
  std::optional<AckClaim> read_ack_token(std::string_view token, std::string& why);

  // POST /api/v1/tenants/{t}/receivers/{party}/test (and /api/v1/receivers/{party}/test):
  // a test message to the party's receiver, sent now, recorded nowhere; the answer says
  // whether it was taken (the reason as the caller may read it).
  Reply test_receiver(const store::Principal& who, const std::string& tenant,
                      const std::string& party);
  // How the server sends one delivery (the outbox's attempt), set by `racine serve`.
  void on_test_send(std::function<notify::Outcome(const store::Claimed&)> f) {
    m_test_send = std::move(f);
  }
  // Until when the outbox holds a receiver's circuit open (0: closed), set by `racine serve`.
  using CircuitOf = std::function<std::int64_t(const std::string& tenant, const std::string& party,
                                               const store::Receiver&)>;
  void on_circuit(CircuitOf f) { m_circuit_of = std::move(f); }

  // POST /api/v1/tenants/{t}/receivers/{party}/pagerduty: a PagerDuty v3 webhook, signed
  // with the party's pagerduty receiver's webhook_secret; an incident.acknowledged for
  // one of racine's incidents acknowledges the event (its escalation stops).
  Reply pagerduty_webhook(const std::string& tenant, const std::string& party,
                          const std::string& signatures, const std::string& body);

  // A party's rules as stored, parsed (cached by their text), or nullptr.
  std::shared_ptr<const route::OnCall> oncall_rules(const std::string& text, std::int64_t now);

  // The refusal when `who` may not set a contract's on-call rules, or nullopt.
  std::optional<Reply> may_set_oncall(const store::Principal& who, const std::string& tenant,
                                      const std::string& contract);

  // GET /api/v1/users (admin): the people who signed in, with their roles.
  Reply list_users(const store::Principal& who);
  // PATCH /api/v1/users/{id} (admin): {"role"?, "tenant"?, "tenant_role"?, "disabled"?,
  // "assigned_by"?: "sign-in"}: audited; the person's sessions end when they change.
  Reply update_user(const store::Principal& who, const std::string& id, const nlohmann::json& body);
  // POST/GET/DELETE /api/v1/tenants/{t}/invitations: the provider's editors and the
  // tenant's approvers invite a person by email address, with a role in the tenant.
  Reply create_invitation(const store::Principal& who, const std::string& tenant,
                          const nlohmann::json& body);
  Reply list_invitations(const store::Principal& who, const std::string& tenant);
  Reply delete_invitation(const store::Principal& who, const std::string& tenant,
                          const std::string& id);

  // Requests to the provider (service/requests.cpp; docs/server.md, "Requests"): a client
  // asks for what its contract's matrix does not cover; the provider quotes, declines or
  // marks it done; the client's approver accepts or declines the quote. Each change is
  // audited and told to the other side's receivers.
  // POST /api/v1/tenants/{t}/contracts/{c}/requests: {"text", "question"?}.
  Reply create_request(const store::Principal& who, const std::string& tenant,
                       const std::string& contract, const nlohmann::json& body);
  // GET /api/v1/requests (tenant "": the provider's view of every tenant's) and
  // GET /api/v1/tenants/{t}/requests; `state`: "" (all) or "open".
  Reply list_requests(const store::Principal& who, const std::string& tenant,
                      const std::string& state);
  Reply get_request(const store::Principal& who, const std::string& tenant, const std::string& id);
  // POST /api/v1/tenants/{t}/requests/{id}/state: {"state", "from"?, "quote"?}.
  Reply move_request(const store::Principal& who, const std::string& tenant, const std::string& id,
                     const nlohmann::json& body);

  // GET /api/v1/me: who the caller is ({"kind": "token", "id", "name", "role", "tenant"?,
  // "tenant_name"?, "tenant_role"?}).
  Reply me(const store::Principal& who);

  // The matrix of a version (cached); nullptr when it cannot be read back.
  std::shared_ptr<const Loaded> load(const store::Version& v);
  // The cached effective matrix of (matrix, version, options), or nullptr.
  std::shared_ptr<const Loaded> cached_effective(const std::string& matrix, std::int64_t version,
                                                 const std::vector<std::string>& options);
  // The effective matrix of a version under options (cached).
  std::shared_ptr<const Loaded> effective(const store::Version& v,
                                          const std::vector<std::string>& options);

 private:
  // `m` in `format`; the HTML page is reports::html_page's (the CLI's page): lint findings
  // of `m` under the server's configuration, delegable cells, and what the options `with`
  // changed from `original` (a contract's version before its options).
  Reply write_matrix(const Matrix& m, const std::string& format, const Matrix* original = nullptr,
                     const std::vector<std::string>& with = {});
  std::optional<store::Version> version_of(const store::Principal& who, const std::string& matrix,
                                           const std::string& version, Reply& error);
  // An upload's dry run: its lint report and its diff against the latest version.
  Reply upload_preview(const store::Principal& who, const std::string& matrix, const Matrix& m,
                       const std::string& sha, const std::string& lint_json, const ReportSummary& s,
                       std::string_view note);
  // The effective diff of a contract's upgrade to `to` (0: the latest), and its hash.
  struct UpgradeDiff {
    std::int64_t from = 0;
    std::int64_t to = 0;
    nlohmann::ordered_json diff;
    std::string sha256;
  };
  // `from`: the version the diff starts at (default: the contract's now).
  std::optional<UpgradeDiff> upgrade_diff(const store::Principal& who, const std::string& tenant,
                                          const std::string& contract, std::int64_t to,
                                          Reply& error,
                                          std::optional<std::int64_t> from = std::nullopt);
  // The contract and its effective matrix, or an error reply.
  struct ContractView {
    store::Contract contract;
    std::shared_ptr<const Loaded> loaded;
  };
  std::optional<ContractView> contract_view(const store::Principal& who, const std::string& tenant,
                                            const std::string& contract, Reply& error);

  nlohmann::ordered_json event_json(const store::Principal& who, const store::Event& e);
  // The contract as the server reads it (cached like contract_view's).
  std::optional<store::Contract> cached_contract(const std::string& tenant,
                                                 const std::string& contract);

  store::Store& m_store;
  config::Config m_config;
  Limits m_limits;
  IdentityConfig m_identity;
  std::vector<std::unique_ptr<identity::Client>> m_clients;            // one per issuer, in order
  TtlCache<store::Principal> m_sessions{k_default_cache_ttl, 100000};  // by session hash
  notify::EgressPolicy m_egress;
  // Alerts taken per tenant in the last minute (a token bucket each, made by set_limits).
  std::unique_ptr<TokenBuckets> m_quota = std::make_unique<TokenBuckets>(20000.0 / 60, 20000);
  // Bumped by every revocation: a lookup that began before one does not cache its answer.
  std::atomic<std::uint64_t> m_revocations{0};
  std::string m_key;  // the token-hash key, raw bytes, read once
  std::once_flag m_key_once;

  TtlCache<store::Principal> m_principals{k_default_cache_ttl, 100000};  // by token hash
  TtlCache<store::Contract> m_contracts{k_default_cache_ttl, 100000};    // by scope, tenant, id
  // What an Alertmanager request reads before its rows go to the group commit: the
  // tenant's contract ids (when it names none) and the contract's on-call rules; cleared
  // with the contracts, and the rules when this instance writes rules.
  TtlCache<std::vector<std::string>> m_contract_ids{k_default_cache_ttl, 100000};  // by tenant
  TtlCache<std::vector<store::OnCallRules>> m_oncall_rules{k_default_cache_ttl,
                                                           100000};  // by tenant, contract
  // Counts the writes that clear those two: a read begun before one is not kept after it.
  std::atomic<std::uint64_t> m_routing_writes{0};
  void routing_written();  // after a write of contracts or on-call rules: both forgotten

  RoutingCounters m_routing;
  std::function<void(std::int64_t due_ms)> m_on_recorded;
  // A webhook request read and routed, ready for the store (receive_alerts_then).
  struct RoutedAlerts {
    bool ready = false;  // false: the reply is a refusal
    std::string contract;
    std::vector<store::IncomingAlert> incoming;
    std::uint64_t classified = 0;
  };
  Reply route_alerts(const store::Principal& who, const std::string& tenant,
                     const std::string& contract_in, const nlohmann::json& body, RoutedAlerts& out);
  std::function<notify::Outcome(const store::Claimed&)> m_test_send;
  CircuitOf m_circuit_of;
  // The key that signs acknowledgement links: one per store (settings), shared by every
  // instance; read once.
  const std::string& ack_key();
  std::once_flag m_ack_key_once;
  std::mutex m_oncall_mutex;
  std::map<std::string, std::shared_ptr<const route::OnCall>> m_oncall_cache;
  std::string m_ack_key;
  std::int64_t m_ack_ttl_ms = 12LL * 3600 * 1000;
  std::mutex m_rules_mutex;
  std::map<std::string, std::shared_ptr<const k8s::RuleSet>> m_rules;  // "matrix@version"

  std::mutex m_cache_mutex;
  struct Cached {
    std::shared_ptr<const Loaded> loaded;
    std::size_t bytes = 0;  // estimated
  };
  std::map<std::string, Cached> m_cache;  // "matrix@version#options"
  std::size_t m_cache_bytes = 0;
};

}  // namespace racine::service

#pragma once
// racine's durable state, the same on SQLite and PostgreSQL: matrices and their
// immutable versions, tenants (client organisations), their contracts, tokens, and an
// append-only audit log of every write.
//
// Isolation lives here, not only in the server's routes: every operation takes the
// `Principal` that asks, and every query that touches a tenant's data is scoped by the
// principal's tenant in its SQL. For a tenant-bound principal, another tenant's
// resource is indistinguishable from a missing one (nullopt, empty list, false).
//
// Operations throw store::Error (transient: worth retrying, e.g. 503 from a server).
// Writes are committed before they return (SQLite synchronous=FULL, PostgreSQL
// synchronous_commit=on).

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/sql.h"

namespace racine::store {

enum class Role : std::uint8_t { admin, editor, tenant, ingest, viewer };

std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);

// Who asks: a token's id and role, and its tenant for `tenant` and `ingest` tokens.
// A person's role within a tenant (DESIGN.md, "Who may act").
enum class TenantRole : std::uint8_t { viewer, responder, approver };
std::string_view tenant_role_name(TenantRole r);
std::optional<TenantRole> parse_tenant_role(std::string_view name);

// Who asks: a token (its id, role, name, tenant), or a person signed in (`user`: their
// id, name, email, issuer and subject; a provider role, or `tenant` with a tenant role).
struct Principal {
  std::string token;  // the token's id (never the secret); "system" for the server itself;
                      // "user:ID" for a person
  Role role = Role::admin;
  std::optional<std::string> tenant;
  std::string name = {};                 // the token's name, as its maker gave it, or the person's
  std::optional<std::string> user = {};  // a person's id (people only)
  std::string email = {};
  std::string issuer = {};
  std::string subject = {};
  // Within the tenant: what its people may do (a tenant's token may do all, approver).
  TenantRole tenant_role = TenantRole::approver;

  // The provider's staff: admin and editor write, viewer reads everything.
  [[nodiscard]] bool provider() const {
    return role == Role::admin || role == Role::editor || role == Role::viewer;
  }
  // The provider's staff who may change things: admin and editor.
  [[nodiscard]] bool writer() const { return role == Role::admin || role == Role::editor; }
  static Principal system() { return {"system", Role::admin, std::nullopt, "system"}; }
};

struct MatrixInfo {
  std::string id;
  std::string title;
  std::int64_t latest = 0;
};

struct VersionInfo {
  std::string matrix;
  std::int64_t version = 0;
  std::string created;  // RFC 3339, UTC
  std::string by;       // the uploading token's id
  std::string sha256;   // hex, of the bytes as uploaded
  std::string format;   // md, yaml, json, csv
  std::string summary;  // the lint summary, JSON
  std::string note;     // the release note given with the upload, "" when none
};

struct Version : VersionInfo {
  std::string document;   // the bytes as uploaded
  std::string canonical;  // the parsed model, canonical JSON
  std::string lint;       // the lint report, JSON
};

// What an upload brings; `put_version` numbers it.
struct NewVersion {
  std::string matrix;
  std::string title;
  std::string format;
  std::string document;
  std::string sha256;
  std::string canonical;
  std::string lint;
  std::string summary;
  std::string note;
};

struct PutVersion {
  VersionInfo info;
  bool created = false;  // false: the same bytes were already a version
  std::size_t told = 0;  // the contracts told of it (their clients' receivers)
};

struct Tenant {
  std::string id;
  std::string name;
  // Where the tenant's email receivers may send: addresses at these domains only (set
  // by the provider; empty: a tenant sets no email receiver).
  std::vector<std::string> email_domains = {};
};

struct Contract {
  std::string tenant;
  std::string id;
  std::string matrix;
  std::int64_t version = 0;
  std::vector<std::string> options;
  std::string party;
  std::string escalate_after = "15m";
};

struct TokenInfo {
  std::string id;
  Role role = Role::admin;
  std::optional<std::string> tenant;
  std::string name;
  std::string created;
  std::optional<std::string> revoked;
  std::string by = {};  // the name of the person or token that made it ("" before schema 6)
};

struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string token;
  std::string action;
  std::string target;
  std::optional<std::string> tenant;
  // Who, by name: the token's name ("system" and "offline" for the server itself and
  // `racine token create`), so that no line names an id alone.
  std::string by = {};
};

// A client's consent to a new version of its contract: who accepted it, when, from which
// version to which, and a hash of the effective diff they were shown (the evidence a
// provider attaches to the contract).
struct Consent {
  std::string tenant;
  std::string contract;
  std::string matrix;
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::string at;             // RFC 3339, UTC
  std::string by_token;       // the token's id ("" for a person's session)
  std::string by_name;        // the person's or the token's name
  std::string by_email = {};  // a person's, when known
  std::string by_issuer = {};
  std::string by_subject = {};
  std::string diff_sha256;  // hex SHA-256 of the effective diff's JSON, as shown
  std::string by_org = {};  // the client's name when one of its people (or tokens) accepted;
                            // "" for the provider's staff
};

// A person as their organisation's OpenID Provider names them, with what racine gave them.
struct User {
  std::string id;
  std::string issuer;
  std::string subject;
  std::string name;
  std::string email;
  std::optional<Role> role;  // nullopt: no access
  std::optional<std::string> tenant;
  TenantRole tenant_role = TenantRole::viewer;
  bool disabled = false;
  std::string created;
  std::string last_seen;
  // How the role was given: "sign-in" (the configuration's mapping, again at each
  // sign-in), "email-domain" (the tenant's domain, again at each sign-in), "invitation"
  // or "admin" (kept until an admin hands the person back to "sign-in").
  std::string assigned_by = "sign-in";
};

// An invitation to a client: the first person signing in with this (verified) email
// address gets this role in the tenant.
struct Invitation {
  std::string id;
  std::string tenant;
  std::string email;  // lower case
  TenantRole tenant_role = TenantRole::viewer;
  std::string by;  // who invited: the person's or the token's name
  std::string created;
  std::int64_t expires_ms = 0;
  std::optional<std::string> used_by;  // the person's name
  std::optional<std::string> used_at;
};

// What an admin changes of a person (each field: unchanged when absent).
struct UserChange {
  std::optional<std::optional<Role>> role;  // a role, or no access
  std::optional<std::optional<std::string>> tenant;
  std::optional<TenantRole> tenant_role;
  std::optional<bool> disabled;
  bool release = false;  // back to what signing in gives ("sign-in")
};

// A sign-in under way: what the callback must match (state), and what it proves (nonce,
// PKCE verifier).
struct LoginAttempt {
  std::string state;
  std::string issuer;  // the configured issuer's id
  std::string nonce;
  std::string verifier;
  std::string return_to;
  std::int64_t created_ms = 0;
};

// --- routing (DESIGN.md, "Routing (contract)") ---

// Where deliveries for a party go: a tenant's own, or the provider-wide default (tenant "").
struct Receiver {
  std::string tenant;  // "" for the provider-wide default
  std::string party;   // the party's id in the matrix
  std::string type;    // webhook, email, slack, mattermost, teams, pagerduty, template
  std::string target;  // the URL (PagerDuty's Events API for pagerduty) or the address
  std::optional<std::string> secret;  // webhook: the HMAC key; pagerduty: the routing key
  // Set by a provider's role (admin, editor): follows the operator's network policy
  // only; a tenant's own receiver is held to the egress policy (notify/egress.h).
  bool by_provider = true;
  // The rest of the type's settings, as JSON: "lang" for all; a template's "method",
  // "headers" and "body".
  std::string options = "{}";
};

// A delivery to create with an event: to whom, in which role, saying what, when.
struct NewDelivery {
  std::string party;           // id
  std::string party_name;      // as the matrix writes it
  std::string role;            // "R", "I", "A"
  std::string kind;            // firing, resolved, informed, escalation
  std::int64_t due_ms = 0;     // not before (Unix milliseconds)
  std::string held = {};       // why it waits ("hours:<party>": outside its working hours)
  std::int64_t repeat_ms = 0;  // sent, a firing comes again this long after, until acknowledged
                               // (at most 100 times)
};

// A party's on-call rules under a contract (route/hours.h reads them).
struct OnCallRules {
  std::string party;
  std::string rules;  // JSON, as checked
  std::string updated;
  std::string by;
};

// One alert of a webhook request, classified, with the deliveries each transition makes.
struct IncomingAlert {
  std::string fingerprint;
  std::string status;  // firing or resolved
  std::string starts_at;
  std::string ends_at;
  std::string generator_url;
  std::string labels;                    // JSON object
  std::string annotations;               // JSON object
  std::optional<std::string> activity;   // JSON {"id", "title", "section"}; nullopt: gray zone
  std::vector<NewDelivery> on_firing;    // a new firing event
  std::vector<NewDelivery> on_resolved;  // the event resolved (or first seen resolved)
};

// What became of an incoming alert.
struct Recorded {
  std::string event;
  enum class Outcome : std::uint8_t { created, resolved, repeat } outcome = Outcome::created;
  std::size_t deliveries = 0;
  std::int64_t first_due_ms = 0;  // the earliest due time of those deliveries (0: none)
};

struct DeliveryInfo {
  std::string id;
  std::string party;
  std::string party_name;
  std::string role;
  std::string kind;
  std::string state;  // pending, sent, dead, cancelled
  std::int64_t attempts = 0;
  std::int64_t due_ms = 0;
  std::int64_t created_ms = 0;
  std::optional<std::string> last_error;
  std::optional<std::string> sent_at;
  // Why it waits ("" : it does not): "maintenance:<window id>"; and until when it was
  // held (its age counts from then: a delivery held for a weekend is not too old).
  std::string held = {};
  std::int64_t release_ms = 0;
  std::string via = {};  // "fallback" when the party's fallback receiver took it
  std::int64_t repeat_ms = 0;
  std::int64_t repeat_n = 0;  // 0: the first page; n: its n-th repeat
  std::string refs = {};      // what the receiver's answer gave back (a JSON object), "" none
};

// A maintenance window of a contract: alerts that start inside it are recorded and shown,
// not paged; those still firing when it ends are delivered then.
struct Maintenance {
  std::string id;
  std::string tenant;
  std::string contract;
  std::int64_t starts_ms = 0;
  std::int64_t ends_ms = 0;
  std::string reason;
  std::string by;  // who set it: a person's or a token's name
  std::string created;
  std::string party = {};  // set by a client: its own party only ("" : every party)
};

struct Event {
  std::string id;
  std::string tenant;
  std::string contract;
  std::string fingerprint;
  std::string status;
  std::string starts_at;
  std::string ends_at;
  std::string generator_url;
  std::string labels;                   // JSON
  std::string annotations;              // JSON
  std::optional<std::string> activity;  // JSON
  bool gray_zone = false;
  std::optional<std::string> acknowledged_at;
  std::optional<std::string> acknowledged_by;
  std::string created;
  std::string last_seen;
  std::int64_t repeats = 0;
  std::vector<DeliveryInfo> deliveries;
  // The maintenance window it started in ({"id", "ends", "reason"}), if any.
  std::optional<std::string> maintenance = {};
};

// A delivery claimed by an outbox worker, with what its message needs.
struct Claimed {
  DeliveryInfo delivery;
  Event event;                       // without its deliveries
  std::optional<Receiver> receiver;  // nullopt: none configured for this party
  bool fallback = false;             // `receiver` is the party's fallback
};

// A receiver's health as its party's latest 200 deliveries tell it.
struct ReceiverHealth {
  std::int64_t recent = 0, sent = 0, pending = 0, dead = 0;  // of those deliveries
  std::optional<std::string> last_success;                   // RFC 3339
  std::int64_t last_failure_ms = 0;                          // 0: none among them
  std::string last_error;                                    // that failure's reason
};

// The outbox's state for /metrics.
struct OutboxStats {
  std::int64_t pending = 0;
  std::int64_t dead = 0;
  std::int64_t oldest_pending_ms = 0;  // creation time of the oldest pending delivery; 0: none
};

// --- requests to the provider (store/requests.cpp; docs/server.md, "Requests") ---

// One step of a request's history: the state it moved to, when, by whom (a person's or a
// token's name) and for whom ("" : the provider's staff; else the client's name).
struct RequestStep {
  std::string state;
  std::string at;  // RFC 3339, UTC
  std::string by;
  std::string org;
  std::string note = {};  // the quote, with "quoted"
};

// What a client asked of the provider under a contract, where its matrix says nothing.
struct Request {
  std::string id;
  std::string tenant;
  std::string tenant_name = {};
  std::string contract;
  std::string text;      // what is needed
  std::string question;  // the lookup that led to it ("" : none)
  std::string state;     // requested, quoted, accepted, declined, withdrawn, done
  std::string quote;     // the provider's, as free text ("" before one)
  std::string created;
  std::string by;  // who asked
  std::string updated;
  std::vector<RequestStep> history;  // oldest first; the first is "requested"
};

// What the other side is told of a request's change: an event of status "request" (never
// listed with the alerts) carrying `labels` and `annotations`, delivered to `to` through
// the outbox like any event's deliveries.
struct RequestNotice {
  std::string labels;       // JSON object
  std::string annotations;  // JSON object
  std::vector<NewDelivery> to;
};

// Why a request was not recorded.
enum class RequestRefusal : std::uint8_t { none, not_found, too_many };

class Store {
 public:
  // `where`: "sqlite:PATH" or a postgresql:// URL (or "postgres://"). `connections` is
  // the pool's size (the server's thread count). Applies pending migrations.
  static std::unique_ptr<Store> open(const std::string& where, std::size_t connections = 4);

  // `committers`: the threads that make group commits (record_alerts); 0 lets the engine
  // decide (SQLite 1, PostgreSQL one per core, 2 to 8).
  Store(std::function<std::unique_ptr<Connection>()> connect, std::size_t connections,
        std::size_t committers = 0);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  [[nodiscard]] Engine engine() const;

  // The schema's version after migrations (they run when the store opens; safe when two
  // processes open one database at once). It may be newer than known_schema(): a newer
  // release migrated the database with expand migrations only (rolling upgrades,
  // docs/operations.md), and this binary serves it still.
  std::int64_t schema_version();
  // The oldest schema a binary serving this database may know (the highest contract
  // migration applied); a binary that knows less refuses to open it.
  std::int64_t oldest_compatible_schema();
  // The schema this binary knows: its last migration.
  static std::int64_t known_schema();

  // True when the database answers.
  bool ping();

  // A consistent copy of the whole store, taken while it serves: every table read in one
  // snapshot (one read transaction; REPEATABLE READ on PostgreSQL) and written into a new
  // SQLite file `file` of this racine's schema. Returns each table's row count. Throws
  // Error when `file` exists or the copy fails (nothing is left behind).
  std::vector<std::pair<std::string, std::int64_t>> backup(const std::string& file);
  // Fills this store, which must be empty (just created), from a backup file, in one
  // transaction; a backup of an older schema is migrated on a copy first. Throws Error,
  // changing nothing, when the file is not a sound racine backup or the store holds data.
  std::vector<std::pair<std::string, std::int64_t>> restore(const std::string& file);

  // SQLite's integrity_check / PostgreSQL's reachability and schema version; "ok" or the
  // problems found.
  std::string integrity_check();

  // --- settings (server secret) ---
  // The value for `key`, creating it with `make()` when absent (first writer wins).
  std::string setting(const std::string& key, const std::function<std::string()>& make);

  // --- tokens ---
  // Stores a token by its keyed hash; returns its info. Audited as `by`.
  TokenInfo create_token(const Principal& by, Role role, const std::optional<std::string>& tenant,
                         const std::string& name, const std::string& hash);
  // The principal of a live token with this hash, or nullopt.
  std::optional<Principal> authenticate(const std::string& hash);
  std::vector<TokenInfo> list_tokens(const Principal& who);
  bool revoke_token(const Principal& who, const std::string& id);
  // True when the store holds no token at all (first start).
  bool no_tokens();
  // The first admin token, stored with this hash only by the first caller ever on a
  // store without tokens: instances starting at once on one database race for a claim
  // (a settings row, in the same transaction as the token), and exactly one wins. The
  // others, and every later start, get nullopt.
  std::optional<TokenInfo> create_first_admin(const std::string& hash);

  // --- matrices and versions ---
  // A new version, and for each contract on an older version of the matrix the notice
  // `tell` gives (none when it gives no delivery), in the same transaction.
  PutVersion put_version(
      const Principal& who, const NewVersion& v,
      const std::function<RequestNotice(const Contract&, std::int64_t)>& tell = {});
  std::vector<MatrixInfo> list_matrices(const Principal& who);
  std::optional<MatrixInfo> get_matrix(const Principal& who, const std::string& matrix);
  std::vector<VersionInfo> list_versions(const Principal& who, const std::string& matrix);
  // Version `version` (0: the latest) of `matrix`, if `who` may read it.
  std::optional<Version> get_version(const Principal& who, const std::string& matrix,
                                     std::int64_t version);
  bool no_matrices();

  // --- tenants and contracts ---
  // Creates or renames; true when created.
  bool put_tenant(const Principal& who, const Tenant& t);
  std::vector<Tenant> list_tenants(const Principal& who);
  std::optional<Tenant> get_tenant(const Principal& who, const std::string& id);
  // Creates or replaces; true when created. The tenant must exist and the version too
  // (else store::Error, not transient, with a message for a 4xx).
  bool put_contract(const Principal& who, const Contract& c);
  std::optional<Contract> get_contract(const Principal& who, const std::string& tenant,
                                       const std::string& id);
  std::vector<Contract> list_contracts(const Principal& who, const std::string& tenant);
  // Moves the contract to `version` (audited as "contract.upgrade"); false when the
  // contract is not visible to `who`. With `from`, a compare-and-set: the contract must
  // still be on version `from` (else store::Conflict: a concurrent upgrade won).
  // With `consent`, the consent is recorded in the same transaction (its from and to
  // taken from the move). The contract's version notices up to `version` that still wait
  // for a receiver are cancelled (they would offer an upgrade already made).
  bool upgrade_contract(const Principal& who, const std::string& tenant, const std::string& id,
                        std::int64_t version, std::optional<std::int64_t> from = std::nullopt,
                        const Consent* consent = nullptr);
  // The consents given to a contract's versions, oldest first ([] when not visible).
  std::vector<Consent> list_consents(const Principal& who, const std::string& tenant,
                                     const std::string& id);

  // --- routing ---
  // Creates or replaces a receiver (a tenant's, or with tenant "" the provider-wide
  // default: provider roles only); true when created. Audited.
  bool put_receiver(const Principal& who, const Receiver& r);
  // The receivers `who` may see for `tenant` ("" for the provider-wide ones), secrets
  // included (the service leaves them out of answers).
  std::vector<Receiver> list_receivers(const Principal& who, const std::string& tenant);
  // Records the alerts of one webhook request in one transaction, deduplicated on
  // (tenant, fingerprint, startsAt, status): a new firing alert is an event with its
  // `on_firing` deliveries; a resolved one moves its event to resolved with its
  // `on_resolved` deliveries and cancels its pending escalations; a repeat only updates
  // "last seen". The tenant must be `who`'s (404-like nullopt otherwise).
  std::optional<std::vector<Recorded>> record_alerts(const Principal& who,
                                                     const std::string& tenant,
                                                     const std::string& contract,
                                                     const std::vector<IncomingAlert>& alerts);
  // The same, without waiting: `done` is called (on one of the store's committer threads, or at
  // once when `who` may not post for `tenant`) with what record_alerts returns, or with
  // what it threw, once the rows are durable. The writes of concurrent callers share one
  // commit (group commit, docs/performance.md).
  void record_alerts_then(
      const Principal& who, const std::string& tenant, const std::string& contract,
      std::vector<IncomingAlert> alerts,
      std::function<void(std::optional<std::vector<Recorded>>, std::exception_ptr)> done);
  // Returns once the writes handed to the committers so far are done and their callbacks
  // called (before what the callbacks use, the service, goes away).
  void finish_writes();
  // Newest first; `status` filters (firing, resolved, or "" for all).
  std::vector<Event> list_events(const Principal& who, const std::string& tenant,
                                 const std::string& status, std::size_t limit = 200);
  std::optional<Event> get_event(const Principal& who, const std::string& tenant,
                                 const std::string& id);
  // Acknowledges (once; later calls keep the first) and cancels pending escalations;
  // nullopt when the event is not visible to `who`. Audited.
  std::optional<Event> acknowledge(const Principal& who, const std::string& tenant,
                                   const std::string& id);
  // Claims up to `limit` pending deliveries due at `now_ms` for `lease_ms`, fairly: each
  // receiver's (tenant and party's) oldest before any receiver's second, at most
  // `per_receiver` of one receiver, none of the receivers in `skip` ("tenant/party").
  // The claim is one UPDATE whose condition is re-checked on each row it locks, so that
  // instances on one PostgreSQL never claim the same delivery; an instance that dies
  // leaves them due again when the lease ends (at-least-once).
  std::vector<Claimed> claim_deliveries(std::int64_t now_ms, std::int64_t lease_ms,
                                        std::size_t limit, std::size_t per_receiver = 1000000,
                                        const std::vector<std::string>& skip = {});
  // Extends to `due_ms` the leases still held: each delivery's, given with the lease's end
  // this instance set, if the row still holds that (a compare-and-set: an outcome
  // recorded meanwhile, or another instance's claim, is never overwritten). Returns the
  // ids renewed.
  std::vector<std::string> renew_leases(
      const std::vector<std::pair<std::string, std::int64_t>>& held, std::int64_t due_ms);
  // A receiver whose circuit is open until `until_ms` (its deliveries are not claimed
  // meanwhile): dead-letters those of `tenant`'s `party` that are due now and would pass
  // their maximum age before then, as a failed attempt would, keeping the transport's last
  // error first. Returns how many.
  std::int64_t dead_letter_while_open(const std::string& tenant, const std::string& party,
                                      std::int64_t until_ms, std::int64_t max_age_ms);
  // Refreshes the planner's statistics of the deliveries (PostgreSQL: ANALYZE; SQLite,
  // whose claims name their index: nothing). A storm grows the pending deliveries from a
  // few to tens of thousands in seconds, and PostgreSQL's own analysis comes up to a
  // minute later: meanwhile, planned on statistics that counted none pending, a claim
  // scanned every pending delivery through the index on (state, due_ms) for each receiver
  // (3.6 ms at 358 pending). The outbox calls it after a slow claim.
  void refresh_statistics();
  // Before a server serves, on PostgreSQL: opens the connections it will use (the group
  // committers' too, otherwise opened at the first alerts) and has each plan the outbox's
  // claim and the alert path's lookups, in a transaction rolled back (nothing changes).
  // A new backend reads its catalogues at its first use of each table and index: the
  // first claim on a connection took 3.1 ms against 1.1 ms for the next. Each statement
  // gives up after 5 s (a connection's two, 10 s) and waits at most 1 s for a lock; after
  // the first failure the rest are left as they are, for the first requests to meet.
  // Returns how many connections were warmed. SQLite: nothing (0).
  std::size_t warm_up();
  // Gives claimed deliveries back unsent, each due at its time (no attempt counted), in
  // one transaction (a claim's worth for a receiver whose circuit is open).
  void deliveries_release(const std::vector<std::pair<std::string, std::int64_t>>& due);
  // Whether a delivery is still pending (not cancelled, sent or dead meanwhile).
  bool delivery_pending(const std::string& id);
  // Whether something may cancel `c` while it is pending (an acknowledgement or a
  // resolution its escalation and repeats, a resolution a page held by a maintenance
  // window or working hours, a new version its notice): read again
  // (delivery_pending) before a send that did not follow its claim at once.
  static bool cancellable(const Claimed& c);
  // Deletes events older than `before_ms` (their creation) and, per tenant, all but the
  // newest `keep` events, with their deliveries, except events that still have a
  // pending delivery; at most `batch` events a call. Safe for every instance to run at
  // once. Returns how many events were deleted.
  std::size_t prune_events(std::int64_t before_ms, std::size_t keep, std::size_t batch = 1000);
  // A delivery's outcome: sent; or failed, to retry at `retry_at_ms` (nullopt: dead).
  // `refs`: what the receiver's answer gave back (a JSON object of names to values, a
  // templated receiver's capture: a ticket's id), "" for nothing.
  void delivery_sent(const std::string& id, const std::string& via = "",
                     const std::string& refs = "");
  // The tenant's party's latest deliveries: when one last went through, when one last
  // failed and why.
  ReceiverHealth receiver_health(const std::string& tenant, const std::string& party);
  // What the event's earlier deliveries to `party`'s receiver (`via` "" or "fallback")
  // captured, oldest first: each a JSON object as delivery_sent recorded it.
  std::vector<std::string> captured(const std::string& event, const std::string& party,
                                    const std::string& via);
  void delivery_failed(const std::string& id, const std::string& error,
                       std::optional<std::int64_t> retry_at_ms);
  OutboxStats outbox_stats();

  // --- people and sessions (docs/identity.md) ---
  // Keeps a sign-in attempt until its callback (any instance may take it).
  void put_login_attempt(const LoginAttempt& a);
  // Takes the attempt with this state, once: a second call gets nullopt (a replayed
  // callback), and so does an attempt older than `max_age_ms`.
  std::optional<LoginAttempt> take_login_attempt(const std::string& state, std::int64_t now_ms,
                                                 std::int64_t max_age_ms);
  // The person with this identity, if they signed in before.
  std::optional<User> find_user(const std::string& issuer, const std::string& subject);
  // Records a person seen signing in: created the first time (audited), name and email
  // updated every time, and the role `seen` carries, unless an admin or an invitation
  // gave theirs (`assigned_by`). `invitation`: the invitation `seen`'s role comes from,
  // used now (once: if another sign-in used it first, `seen` gets no role from it).
  User sign_in_user(const User& seen, const std::optional<std::string>& invitation = {});
  std::vector<User> list_users();
  std::optional<User> get_user(const std::string& id);
  // Applies an admin's change (audited, naming the person); disabling ends the person's
  // sessions. nullopt: no such person.
  std::optional<User> update_user(const Principal& who, const std::string& id,
                                  const UserChange& change);
  Invitation create_invitation(const Principal& who, const Invitation& i);
  // The tenant's invitations, newest first (used and expired ones too).
  std::vector<Invitation> list_invitations(const std::string& tenant);
  bool delete_invitation(const Principal& who, const std::string& tenant, const std::string& id);
  // The newest invitation for this address, not used and not expired.
  std::optional<Invitation> open_invitation(const std::string& email, std::int64_t now_ms);
  // How many tenants have an open invitation for this address.
  std::size_t inviting_tenants(const std::string& email, std::int64_t now_ms);
  // Opens a session for a user (`hash`: the keyed hash of the cookie's value).
  void create_session(const std::string& hash, const std::string& user, std::int64_t now_ms,
                      std::int64_t expires_ms, const std::string& id_token);
  // The principal of a live session: not expired, not idle past `idle_ms`, its user not
  // disabled and still given a role; its last use moved to now.
  std::optional<Principal> session_principal(const std::string& hash, std::int64_t now_ms,
                                             std::int64_t idle_ms);
  // Ends a session; returns its ID token (the provider's logout hint) and issuer's id.
  std::optional<std::pair<std::string, std::string>> end_session(const std::string& hash);

  // What changes when anything about a tenant's events does (received, repeated,
  // acknowledged, resolved, a delivery sent, retried or dead): a short text to compare.
  std::string events_signature(const std::string& tenant);

  // --- on-call rules of a contract's parties (store/events.cpp), audited ---
  void put_oncall(const Principal& who, const std::string& tenant, const std::string& contract,
                  const std::string& party, const std::string& rules);
  std::vector<OnCallRules> list_oncall(const std::string& tenant, const std::string& contract);
  bool delete_oncall(const Principal& who, const std::string& tenant, const std::string& contract,
                     const std::string& party);

  // --- maintenance windows (store/events.cpp) ---
  Maintenance create_maintenance(const Principal& who, const Maintenance& m);
  // The contract's windows that end after `since_ms`, soonest first.
  std::vector<Maintenance> list_maintenance(const std::string& tenant, const std::string& contract,
                                            std::int64_t since_ms);
  // Ends a window: one not started yet is deleted, one under way ends now and the
  // deliveries it held are due at once. False: no such window (or it is over).
  bool end_maintenance(const Principal& who, const std::string& tenant, const std::string& contract,
                       const std::string& id, std::int64_t now_ms);

  // --- requests to the provider (store/requests.cpp), audited ---
  // Records a new request ("requested", by `who`, a client) on its tenant's contract, with
  // its notice, unless the tenant already has `max_open` open ones (requested, quoted,
  // accepted): `refused` says why nothing was recorded.
  std::optional<Request> create_request(const Principal& who, const Request& r,
                                        std::size_t max_open, const RequestNotice& notice,
                                        RequestRefusal& refused);
  // Moves a request from `from` to `to` (a compare-and-set: store::Conflict when it is no
  // longer in `from`), with a step in its history; `quote` is kept with "quoted". nullopt:
  // not visible to `who`.
  std::optional<Request> move_request(const Principal& who, const std::string& tenant,
                                      const std::string& id, const std::string& from,
                                      const std::string& to, const std::string& quote,
                                      const RequestNotice& notice);
  // A tenant's requests (tenant "": every tenant's, for the provider's roles), newest
  // first; `open_only`: requested, quoted and accepted ones.
  std::vector<Request> list_requests(const Principal& who, const std::string& tenant,
                                     bool open_only, std::size_t limit = 500);
  std::optional<Request> get_request(const Principal& who, const std::string& tenant,
                                     const std::string& id);

  // --- audit ---
  std::vector<AuditEntry> list_audit(const Principal& who, const std::optional<std::string>& tenant,
                                     std::size_t limit = 1000);

 private:
  class Pool;
  std::unique_ptr<Pool> m_pool;
  Engine m_engine;

  void migrate();
};

// A write refused because what it was based on changed (a concurrent upgrade won).
class Conflict : public Error {
 public:
  explicit Conflict(const std::string& message) : Error(message, false) {}
};

// "2026-11-30T09:30:00.123Z": now, UTC, millisecond precision.
std::string now_rfc3339();
// Now as Unix milliseconds.
std::int64_t now_ms();
// Unix milliseconds as "2026-11-30T09:30:00.123Z".
std::string rfc3339_of_ms(std::int64_t ms);

}  // namespace racine::store

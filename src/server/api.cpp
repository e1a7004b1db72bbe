#include "server/api.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/escape.h"
#include "core/json_out.h"
#include "core/text.h"
#include "core/token_bucket.h"
#include "server/portal.h"

namespace racine::server {

using service::Reply;
using service::Status;
using store::Principal;
using store::Role;

namespace {

int http_status(Status s) {
  switch (s) {
    case Status::ok: return 200;
    case Status::created: return 201;
    case Status::bad_request: return 400;
    case Status::forbidden: return 403;
    case Status::not_found: return 404;
    case Status::conflict: return 409;
    case Status::unsupported: return 415;
    case Status::unprocessable: return 422;
    case Status::too_many: return 429;
    case Status::unavailable: return 503;
  }
  return 500;
}

Response error(int status, const std::string& code, const std::string& message) {
  nlohmann::ordered_json j;
  j["error"] = {{"code", code}, {"message", message}};
  return Response{status,
                  "application/json",
                  j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace),
                  {}};
}

Response from(Reply r) {
  Response out{http_status(r.status), std::move(r.content_type), std::move(r.body), {}};
  if (r.status == Status::too_many || r.status == Status::unavailable)
    out.headers.emplace_back("Retry-After",
                             std::to_string(std::max<std::int64_t>(1, r.retry_after)));
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding ('+' as a space in query strings); nullopt on a bad escape.
std::optional<std::string> decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

using Params = std::map<std::string, std::string>;

// Roles allowed on a route.
constexpr unsigned bit(Role r) {
  return 1U << static_cast<unsigned>(r);
}
constexpr unsigned k_admin = bit(Role::admin);
constexpr unsigned k_editors = bit(Role::admin) | bit(Role::editor);
// The provider's staff who read (viewer: read-only); who reads as staff or a tenant; who
// acts as an editor or as the tenant itself.
constexpr unsigned k_staff = k_editors | bit(Role::viewer);
constexpr unsigned k_readers = k_staff | bit(Role::tenant);
constexpr unsigned k_actors = k_editors | bit(Role::tenant);
constexpr unsigned k_senders = bit(Role::tenant) | bit(Role::ingest);
// No bearer token: the body's own signature authenticates it (a vendor's webhook; the
// handler checks it with the receiver's secret).
constexpr unsigned k_signed = 1U << 31U;
constexpr unsigned k_anyone = k_readers | bit(Role::ingest);

// What a route's body is, which sets how much of it may be read.
enum class Body : std::uint8_t {
  none,      // nothing (a small allowance: clients may send an empty one)
  json,      // a JSON object, checked for depth and NUL before it is parsed
  json_opt,  // the same, or nothing
  document,  // a matrix as uploaded (--max-body)
  alerts,    // an Alertmanager payload (--max-alerts-body)
  webhook    // a vendor's signed webhook, kept raw for its signature (64 KiB)
};

// What a route's handler gets.
struct Call {
  Request& req;
  const Principal& who;
  Params& params;
  Params& query;
  nlohmann::json& body;
  service::Service& s;
  [[nodiscard]] std::string get(const char* k) const {
    const auto it = query.find(k);
    return it == query.end() ? std::string() : it->second;
  }
  [[nodiscard]] const std::string& p(const char* k) const { return params[k]; }
};

Response contracts_list(Call& c);
Response who_lookup(Call& c);
Response alertmanager(Call& c);
Response audit_list(Call& c);
Response diff_versions(Call& c);
Response events_stream(Call& c);

using Fn = Response (*)(Call&);

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/matrices/{m}/versions"
  unsigned roles;
  Body body;
  Fn handler;
  std::vector<std::string> segments;
};

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = path.find('/', start);
    out.emplace_back(
        path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// The API's one route table: method, path, the roles that may call it, its body, and
// what answers it (DESIGN.md, "The server (contract)" and "Routing (contract)").
// clang-format off
std::vector<Route> make_routes() {
  std::vector<Route> routes = {
    {"POST",   "/api/v1/tokens", k_admin, Body::json, [](Call& c) { return from(c.s.create_token(c.who, c.body)); }, {}},
    {"GET",    "/api/v1/tokens", k_admin, Body::none, [](Call& c) { return from(c.s.list_tokens(c.who)); }, {}},
    {"DELETE", "/api/v1/tokens/{id}", k_admin, Body::none, [](Call& c) { return from(c.s.revoke_token(c.who, c.p("id"))); }, {}},
    {"GET",    "/api/v1/matrices", k_readers, Body::none, [](Call& c) { return from(c.s.list_matrices(c.who)); }, {}},
    {"POST",   "/api/v1/matrices/{m}/versions", k_editors, Body::document, [](Call& c) { return from(c.s.upload(c.who, c.p("m"), c.req.header("content-type"), std::move(c.req.body), c.get("force") == "true", c.get("dry_run") == "true", c.get("note"))); }, {}},
    {"GET",    "/api/v1/matrices/{m}/versions", k_readers, Body::none, [](Call& c) { return from(c.s.list_versions(c.who, c.p("m"))); }, {}},
    {"GET",    "/api/v1/matrices/{m}/versions/{v}", k_readers, Body::none, [](Call& c) { return from(c.s.get_version(c.who, c.p("m"), c.p("v"), c.get("format"))); }, {}},
    {"GET",    "/api/v1/matrices/{m}/versions/{v}/lint", k_readers, Body::none, [](Call& c) { return from(c.s.get_lint(c.who, c.p("m"), c.p("v"))); }, {}},
    {"GET",    "/api/v1/matrices/{m}/diff", k_readers, Body::none, diff_versions, {}},
    {"GET",    "/api/v1/matrices/{m}/clients", k_staff, Body::none, [](Call& c) { return from(c.s.matrix_clients(c.who, c.p("m"))); }, {}},
    {"GET",    "/api/v1/tenants", k_staff, Body::none, [](Call& c) { return from(c.s.list_tenants(c.who)); }, {}},
    {"PUT",    "/api/v1/tenants/{t}", k_editors, Body::json, [](Call& c) { return from(c.s.put_tenant(c.who, c.p("t"), c.body)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts", k_readers, Body::none, contracts_list, {}},
    {"PUT",    "/api/v1/tenants/{t}/contracts/{c}", k_editors, Body::json, [](Call& c) { return from(c.s.put_contract(c.who, c.p("t"), c.p("c"), c.body)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}", k_readers, Body::none, [](Call& c) { return from(c.s.get_contract(c.who, c.p("t"), c.p("c"))); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/matrix", k_readers, Body::none, [](Call& c) { return from(c.s.contract_matrix(c.who, c.p("t"), c.p("c"), c.get("format"))); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/who", k_readers, Body::none, who_lookup, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/duties", k_readers, Body::none, [](Call& c) { return from(c.s.duties(c.who, c.p("t"), c.p("c"), c.get("party"), c.get("role"))); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/summary", k_readers, Body::none, [](Call& c) { return from(c.s.summary(c.who, c.p("t"), c.p("c"))); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/options", k_readers, Body::none, [](Call& c) { return from(c.s.options(c.who, c.p("t"), c.p("c"))); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/upgrade", k_readers, Body::none, [](Call& c) { return from(c.s.upgrade_preview(c.who, c.p("t"), c.p("c"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/contracts/{c}/upgrade", k_actors, Body::json, [](Call& c) { return from(c.s.upgrade(c.who, c.p("t"), c.p("c"), c.body)); }, {}},
    {"GET",    "/api/v1/users", k_admin, Body::none, [](Call& c) { return from(c.s.list_users(c.who)); }, {}},
    {"PATCH",  "/api/v1/users/{id}", k_admin, Body::json, [](Call& c) { return from(c.s.update_user(c.who, c.p("id"), c.body)); }, {}},
    {"POST",   "/api/v1/tenants/{t}/invitations", k_actors, Body::json, [](Call& c) { return from(c.s.create_invitation(c.who, c.p("t"), c.body)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/invitations", k_actors, Body::none, [](Call& c) { return from(c.s.list_invitations(c.who, c.p("t"))); }, {}},
    {"DELETE", "/api/v1/tenants/{t}/invitations/{id}", k_actors, Body::none, [](Call& c) { return from(c.s.delete_invitation(c.who, c.p("t"), c.p("id"))); }, {}},
    {"PUT",    "/api/v1/tenants/{t}/contracts/{c}/oncall/{party}", k_actors, Body::json, [](Call& c) { return from(c.s.put_oncall(c.who, c.p("t"), c.p("c"), c.p("party"), c.body)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/oncall", k_readers, Body::none, [](Call& c) { return from(c.s.list_oncall(c.who, c.p("t"), c.p("c"))); }, {}},
    {"DELETE", "/api/v1/tenants/{t}/contracts/{c}/oncall/{party}", k_actors, Body::none, [](Call& c) { return from(c.s.delete_oncall(c.who, c.p("t"), c.p("c"), c.p("party"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/contracts/{c}/maintenance", k_actors, Body::json, [](Call& c) { return from(c.s.create_maintenance(c.who, c.p("t"), c.p("c"), c.body)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/maintenance", k_readers, Body::none, [](Call& c) { return from(c.s.list_maintenance(c.who, c.p("t"), c.p("c"))); }, {}},
    {"DELETE", "/api/v1/tenants/{t}/contracts/{c}/maintenance/{id}", k_actors, Body::none, [](Call& c) { return from(c.s.end_maintenance(c.who, c.p("t"), c.p("c"), c.p("id"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/receivers/{party}/test", k_actors, Body::json_opt, [](Call& c) { return from(c.s.test_receiver(c.who, c.p("t"), c.p("party"))); }, {}},
    {"POST",   "/api/v1/receivers/{party}/test", k_editors, Body::json_opt, [](Call& c) { return from(c.s.test_receiver(c.who, "", c.p("party"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/receivers/{party}/pagerduty", k_signed, Body::webhook, [](Call& c) { return from(c.s.pagerduty_webhook(c.p("t"), c.p("party"), c.req.header("x-pagerduty-signature"), c.req.body)); }, {}},
    {"GET",    "/api/v1/me", k_anyone, Body::none, [](Call& c) { return from(c.s.me(c.who)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/contracts/{c}/history", k_readers, Body::none, [](Call& c) { return from(c.s.contract_history(c.who, c.p("t"), c.p("c"))); }, {}},
    {"GET",    "/api/v1/audit", k_admin, Body::none, audit_list, {}},
    {"PUT",    "/api/v1/receivers/{party}", k_editors, Body::json, [](Call& c) { return from(c.s.put_receiver(c.who, "", c.p("party"), c.body)); }, {}},
    {"GET",    "/api/v1/receivers", k_staff, Body::none, [](Call& c) { return from(c.s.list_receivers(c.who, "")); }, {}},
    {"PUT",    "/api/v1/tenants/{t}/receivers/{party}", k_actors, Body::json, [](Call& c) { return from(c.s.put_receiver(c.who, c.p("t"), c.p("party"), c.body)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/receivers", k_readers, Body::none, [](Call& c) { return from(c.s.list_receivers(c.who, c.p("t"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/alertmanager", k_senders, Body::alerts, alertmanager, {}},
    {"GET",    "/api/v1/tenants/{t}/events", k_readers, Body::none, [](Call& c) { return from(c.s.list_events(c.who, c.p("t"), c.get("status"))); }, {}},
    {"GET",    "/api/v1/tenants/{t}/events/stream", k_readers, Body::none, events_stream, {}},
    {"GET",    "/api/v1/tenants/{t}/events/{id}", k_readers, Body::none, [](Call& c) { return from(c.s.get_event(c.who, c.p("t"), c.p("id"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/events/{id}/ack", k_actors, Body::json_opt, [](Call& c) { return from(c.s.acknowledge(c.who, c.p("t"), c.p("id"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/contracts/{c}/requests", k_actors, Body::json, [](Call& c) { return from(c.s.create_request(c.who, c.p("t"), c.p("c"), c.body)); }, {}},
    {"GET",    "/api/v1/tenants/{t}/requests", k_readers, Body::none, [](Call& c) { return from(c.s.list_requests(c.who, c.p("t"), c.get("state"))); }, {}},
    {"GET",    "/api/v1/tenants/{t}/requests/{id}", k_readers, Body::none, [](Call& c) { return from(c.s.get_request(c.who, c.p("t"), c.p("id"))); }, {}},
    {"POST",   "/api/v1/tenants/{t}/requests/{id}/state", k_actors, Body::json, [](Call& c) { return from(c.s.move_request(c.who, c.p("t"), c.p("id"), c.body)); }, {}},
    {"GET",    "/api/v1/requests", k_staff, Body::none, [](Call& c) { return from(c.s.list_requests(c.who, "", c.get("state"))); }, {}},
  };
  for (auto& r : routes) r.segments = split_path(r.pattern);
  return routes;
}
// clang-format on

Response contracts_list(Call& c) {
  // Listed through the store's scope: another tenant's list is empty, hence 404.
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& k : c.s.store().list_contracts(c.who, c.p("t"))) {
    out.push_back({{"tenant", k.tenant},
                   {"id", k.id},
                   {"matrix", k.matrix},
                   {"version", k.version},
                   {"options", k.options},
                   {"party", k.party},
                   {"escalate_after", k.escalate_after}});
  }
  if (!c.s.store().get_tenant(c.who, c.p("t")))
    return error(404, "not_found", "no tenant '" + c.p("t") + "'");
  return Response{200, "application/json", out.dump(), {}};
}

Response who_lookup(Call& c) {
  std::size_t limit = 10;
  if (const std::string l = c.get("limit"); !l.empty()) {
    if (l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos)
      return error(400, "bad_limit", "limit is 1 to 100");
    limit = std::stoul(l);
  }
  // partial=1: the question is being typed, its last word may be unfinished.
  const std::string partial = c.get("partial");
  if (!partial.empty() && partial != "0" && partial != "1" && partial != "true" &&
      partial != "false")
    return error(400, "bad_partial", "partial is 0 or 1");
  return from(
      c.s.who(c.who, c.p("t"), c.p("c"), c.get("q"), limit, partial == "1" || partial == "true"));
}

Response alertmanager(Call& c) {
  if (!c.get("contract").empty() && !service::valid_id(c.get("contract")))
    return error(400, "bad_id", "contract must be an id");
  // Answered when the store's group commit holding its rows is durable: the thread is
  // free for other requests meanwhile (Api::handle finishes it then).
  auto later = std::make_shared<Later>();
  c.s.receive_alerts_then(c.who, c.p("t"), c.get("contract"), c.body,
                          [later](Reply reply, std::exception_ptr failure) {
                            later->answer([reply = std::move(reply), failure]() mutable {
                              if (failure) std::rethrow_exception(failure);
                              return from(std::move(reply));
                            });
                          });
  Response r;
  r.later = std::move(later);
  return r;
}

// Live changes of a tenant's events, as server-sent events: "event: events" whenever
// anything about them changed (the portal then reads them again through the API), a
// comment every 30 s (a client gone is noticed), for 5 minutes (the browser reconnects).
// At most 4 streams per caller and 256 in all.
struct StreamCount {
  std::mutex mutex;
  std::map<std::string, std::size_t> by_caller;
  std::size_t all = 0;
};

StreamCount& stream_count() {
  static StreamCount count;
  return count;
}

Response events_stream(Call& c) {
  const std::string tenant = c.p("t");
  if (!c.s.store().get_tenant(c.who, tenant))
    return error(404, "not_found", "no tenant '" + tenant + "'");
  {
    auto& count = stream_count();
    std::lock_guard<std::mutex> lock(count.mutex);
    if (count.all >= 256 || count.by_caller[c.who.token] >= 4)
      return error(429, "too_many_streams",
                   "too many live streams open (4 per caller, 256 in all): close one");
    ++count.all;
    ++count.by_caller[c.who.token];
  }
  // Given back when the stream (and this guard with it) is gone.
  auto held = std::shared_ptr<void>(nullptr, [caller = c.who.token](void*) {
    auto& count = stream_count();
    std::lock_guard<std::mutex> lock(count.mutex);
    --count.all;
    if (--count.by_caller[caller] == 0) count.by_caller.erase(caller);
  });
  auto& store = c.s.store();
  auto last = std::make_shared<std::string>(store.events_signature(tenant));
  auto ticks = std::make_shared<std::size_t>(0);
  auto stream = std::make_shared<EventStream>();
  stream->every = std::chrono::seconds(2);
  stream->next = [&store, tenant, last, ticks, held]() -> std::optional<std::string> {
    const std::string now = store.events_signature(tenant);
    if (now != *last) {
      *last = now;
      return "event: events\ndata: {\"tenant\": \"" + tenant + "\"}\n\n";
    }
    return ++*ticks % 15 == 0 ? std::string(": ping\n\n") : std::string();
  };
  Response out{200,
               "text/event-stream; charset=utf-8",
               "retry: 3000\nevent: ready\ndata: {\"tenant\": \"" + tenant + "\"}\n\n",
               {}};
  out.headers.emplace_back("Cache-Control", "no-store");
  out.headers.emplace_back("X-Accel-Buffering", "no");
  out.stream = std::move(stream);
  return out;
}

Response audit_list(Call& c) {
  const std::string tenant = c.get("tenant");
  return from(c.s.audit(c.who, tenant.empty() ? std::nullopt : std::optional<std::string>(tenant)));
}

Response diff_versions(Call& c) {
  if (c.get("from").empty() || c.get("to").empty())
    return error(400, "bad_query", "give from=V and to=V");
  return from(c.s.diff(c.who, c.p("m"), c.get("from"), c.get("to")));
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The methods counted by name in /metrics; any other is "other", so that a client
// inventing methods cannot grow the metrics.
std::string_view method_label(std::string_view m) {
  for (const std::string_view known :
       {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    if (m == known) return known;
  }
  return "other";
}

// A JSON body's shape checked before it is parsed into a tree: at most `max_depth`
// levels and no NUL in any string or key (SQLite would keep it, PostgreSQL cut it).
// Reading stops at the first excess, so that a deep `[[[[...` costs no memory.
class JsonGuard : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit JsonGuard(std::size_t max_depth) : m_max(max_depth) {}
  std::string problem;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t& v) override { return clean(v); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return deeper(); }
  bool key(string_t& v) override { return clean(v); }
  bool end_object() override { return shallower(); }
  bool start_array(std::size_t) override { return deeper(); }
  bool end_array() override { return shallower(); }
  bool parse_error(std::size_t at, const std::string&,
                   const nlohmann::detail::exception&) override {
    if (problem.empty())
      problem = "the body is not valid JSON (at byte " + std::to_string(at) + ")";
    return false;
  }

 private:
  bool deeper() {
    if (++m_depth > m_max) {
      problem = "the body nests deeper than " + std::to_string(m_max) + " levels";
      return false;
    }
    return true;
  }
  bool shallower() {
    --m_depth;
    return true;
  }
  bool clean(const std::string& v) {
    if (v.find('\0') != std::string::npos) {
      problem = "the body holds a NUL character (\\u0000) in a string";
      return false;
    }
    return true;
  }
  std::size_t m_max;
  std::size_t m_depth = 0;
};

// Latency buckets of the histogram, in seconds.
constexpr std::array<double, 12> k_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                              0.05,   0.1,   0.25,   0.5,   1,    2.5};

std::string json_string(std::string_view s) {
  return nlohmann::json(std::string(s)).dump();
}

}  // namespace

struct Api::State {
  std::vector<Route> routes = make_routes();

  // Per token (--rate-limit, burst twice that), and per address for sign-in starts.
  std::unique_ptr<TokenBuckets> tokens;
  TokenBuckets sign_ins{5, 20};
  // Acknowledgement links and vendors' webhooks, per address: apart from sign-ins, so
  // that neither can lock the other out (behind a proxy every user shares an address).
  TokenBuckets links{20, 60};

  mutable std::mutex metrics_mutex;
  // route (a pattern, or one of a fixed few names), method (a fixed set), status
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests;
  std::array<std::uint64_t, k_buckets.size()> latency{};
  std::uint64_t latency_count = 0;
  double latency_sum = 0;
  std::uint64_t store_errors = 0;
  std::uint64_t rate_limited = 0;
};

// What the API keeps of a request between its admission and its answer.
struct Api::Pending {
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::string route = "unmatched";
  std::string token = "-";
  const Route* found = nullptr;
  Params params;
  Params query;
  std::optional<Principal> who;
  std::optional<Response> public_answer;  // /healthz and the like, answered from the headers
  // A public route that works on the store (an acknowledgement link): admitted from the
  // headers, run once the request is whole, like every route's handler.
  std::function<Response()> public_work;
};

Api::Api(service::Service& service, ApiOptions options)
    : m_service(service), m_options(std::move(options)), m_state(std::make_unique<State>()) {
  if (m_options.rate_per_second > 0)
    m_state->tokens =
        std::make_unique<TokenBuckets>(m_options.rate_per_second, m_options.rate_burst);
}

Api::~Api() = default;

std::string Api::metrics() const {
  std::lock_guard<std::mutex> lock(m_state->metrics_mutex);
  std::string out;
  out += "# HELP racine_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE racine_http_requests_total counter\n";
  for (const auto& [key, n] : m_state->requests) {
    const auto& [route, method, status] = key;
    out += "racine_http_requests_total{route=" + json_string(route) +
           ",method=" + json_string(method) + ",status=\"" + std::to_string(status) + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP racine_http_request_duration_seconds Time to answer a request.\n";
  out += "# TYPE racine_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < k_buckets.size(); ++i) {
    cumulative += m_state->latency[i];
    char le[32];
    std::snprintf(le, sizeof le, "%g", k_buckets[i]);
    out += std::string("racine_http_request_duration_seconds_bucket{le=\"") + le + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "racine_http_request_duration_seconds_bucket{le=\"+Inf\"} " +
         std::to_string(m_state->latency_count) + "\n";
  char sum[64];
  std::snprintf(sum, sizeof sum, "%.6f", m_state->latency_sum);
  out += std::string("racine_http_request_duration_seconds_sum ") + sum + "\n";
  out +=
      "racine_http_request_duration_seconds_count " + std::to_string(m_state->latency_count) + "\n";
  out += "# HELP racine_store_errors_total Store operations that failed.\n";
  out += "# TYPE racine_store_errors_total counter\n";
  out += "racine_store_errors_total " + std::to_string(m_state->store_errors) + "\n";
  out += "# HELP racine_rate_limited_total Requests refused with 429.\n";
  out += "# TYPE racine_rate_limited_total counter\n";
  out += "racine_rate_limited_total " + std::to_string(m_state->rate_limited) + "\n";
  const auto& r = m_service.routing_counters();
  auto counter = [&](const char* name, const char* help, std::uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
           " " + std::to_string(v) + "\n";
  };
  counter("racine_alerts_received_total", "Alerts received from Alertmanager.",
          r.alerts_received.load());
  counter("racine_alerts_deduplicated_total",
          "Alerts that repeated an event already recorded (nobody was paged again).",
          r.alerts_deduplicated.load());
  counter("racine_alerts_classified_total", "Alerts a rule classified under an activity.",
          r.alerts_classified.load());
  counter("racine_alerts_gray_zone_total", "Alerts no rule classified (sent to the provider).",
          r.alerts_gray_zone.load());
  out += "# HELP racine_deliveries_total Delivery attempts by outcome (this instance).\n";
  out += "# TYPE racine_deliveries_total counter\n";
  out += "racine_deliveries_total{outcome=\"sent\"} " + std::to_string(r.deliveries_sent.load()) +
         "\n";
  out += "racine_deliveries_total{outcome=\"retried\"} " +
         std::to_string(r.deliveries_retried.load()) + "\n";
  out += "racine_deliveries_total{outcome=\"dead\"} " + std::to_string(r.deliveries_dead.load()) +
         "\n";
  counter("racine_outbox_claims_total",
          "Times this instance's outbox looked for due deliveries (a claim in the store).",
          r.outbox_claims.load());
  try {
    // The outbox as the store holds it (every instance's).
    const auto o = m_service.store().outbox_stats();
    out += "# HELP racine_outbox_pending Deliveries waiting to be sent.\n";
    out += "# TYPE racine_outbox_pending gauge\n";
    out += "racine_outbox_pending " + std::to_string(o.pending) + "\n";
    out += "# HELP racine_outbox_dead Deliveries dead-lettered.\n";
    out += "# TYPE racine_outbox_dead gauge\n";
    out += "racine_outbox_dead " + std::to_string(o.dead) + "\n";
    out += "# HELP racine_outbox_oldest_pending_age_seconds Age of the oldest pending delivery.\n";
    out += "# TYPE racine_outbox_oldest_pending_age_seconds gauge\n";
    const double age = o.oldest_pending_ms == 0
                           ? 0.0
                           : static_cast<double>(store::now_ms() - o.oldest_pending_ms) / 1000;
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", age);
    out += std::string("racine_outbox_oldest_pending_age_seconds ") + text + "\n";
  } catch (const store::Error&) {
    // The store is unreachable: the gauges are left out, the rest is still worth reading.
  }
  return out;
}

Response Api::finish(Request& req, Pending& call, Response res) {
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // Every answer but the portal's files (which revalidate by ETag) is never stored.
  if (std::none_of(res.headers.begin(), res.headers.end(),
                   [](const auto& h) { return h.first == "Cache-Control"; })) {
    res.headers.emplace_back("Cache-Control", "no-store");
  }
  record(req, call.route, call.token, res.status, call.started);
  return res;
}

void Api::record(const Request& req, const std::string& route, const std::string& token, int status,
                 std::chrono::steady_clock::time_point started) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  {
    std::lock_guard<std::mutex> lock(m_state->metrics_mutex);
    ++m_state->requests[{route, std::string(method_label(req.method)), status}];
    for (std::size_t i = 0; i < k_buckets.size(); ++i) {
      if (seconds <= k_buckets[i]) {
        ++m_state->latency[i];
        break;
      }
    }
    ++m_state->latency_count;
    m_state->latency_sum += seconds;
    if (status == 429) ++m_state->rate_limited;
  }
  if (m_options.log) {
    // The method comes from the client as it is: never let it break the line's UTF-8.
    JsonOut line;
    line.begin_object();
    line.key("time").string(store::now_rfc3339());
    line.key("method").string(text::valid_utf8(req.method.substr(0, 32)));
    line.key("route").string(route);
    line.key("status").integer(status);
    line.key("duration_ms").number(std::round(seconds * 1e6) / 1e3);
    line.key("token").string(token);
    line.key("remote").string(req.remote);
    line.end_object();
    m_options.log(line.str());
  }
}

void Api::refused(const Request& req, int status) {
  auto* call = static_cast<Pending*>(req.context.get());
  if (call != nullptr) {
    record(req, call->route, call->token, status, call->started);
  } else {
    record(req, "unmatched", "-", status, std::chrono::steady_clock::now());
  }
}

namespace {

bool clean_text(std::string_view s) {
  return !text::find_invalid_utf8(s);  // NUL refused too
}

Response unauthenticated(const std::string& message, const char* challenge) {
  Response r = error(401, "unauthenticated", message);
  r.headers.emplace_back("WWW-Authenticate", challenge);
  return r;
}

}  // namespace

namespace {

// A cookie's value from the Cookie header ("" when absent).
std::string cookie(const Request& req, const std::string& name) {
  const std::string header = req.header("cookie");
  std::string_view rest(header);
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string(pair.substr(eq + 1));
  }
  return "";
}

Response redirect(const std::string& location, const std::vector<std::string>& cookies = {}) {
  Response r{302, "text/plain; charset=utf-8", "", {{"Location", location}}};
  for (const auto& c : cookies) r.headers.emplace_back("Set-Cookie", c);
  return r;
}

}  // namespace

std::optional<Response> Api::auth_route(Request& req, Pending& call, std::string_view path) {
  auto q = [&](const char* k) {
    const auto it = call.query.find(k);
    return it == call.query.end() ? std::string() : it->second;
  };
  const bool enabled = m_service.identity_enabled();
  // Anyone may start a sign-in, and each start is a row in the store: 5 a second per
  // address (burst 20), so that nobody fills the store or a provider with them. The
  // callback is not counted: its attempt was counted when it started (a browser coming
  // back from its provider is never refused), and one with an unknown state costs a
  // single indexed delete before anything reaches a provider.
  if (path == "/auth/login") {
    if (const auto wait = m_state->sign_ins.take(req.remote, 1, steady_seconds())) {
      call.route = std::string(path);
      Response r = error(429, "rate_limited", "too many sign-ins from this address: try again");
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
  }
  if (path == "/auth/issuers" && req.method == "GET") {
    call.route = "/auth/issuers";
    return from(m_service.issuers());
  }
  if (path == "/auth/login" && req.method == "GET") {
    call.route = "/auth/login";
    if (!enabled) return error(404, "not_found", "no sign-in is configured");
    const auto r = m_service.begin_login(q("issuer"), q("return"));
    return redirect(r.location, r.set_cookies);
  }
  if (path == "/auth/callback" && req.method == "GET") {
    call.route = "/auth/callback";
    if (!enabled) return error(404, "not_found", "no sign-in is configured");
    const auto r = m_service.finish_login(q("code"), q("state"), q("error"));
    return redirect(r.location, r.set_cookies);
  }
  if (path == "/auth/logout" && req.method == "POST") {
    call.route = "/auth/logout";
    if (!enabled) return error(404, "not_found", "no sign-in is configured");
    const std::string origin = req.header("origin");
    if (req.header("x-racine-csrf") != "1" ||
        (!origin.empty() && origin != m_service.public_origin()))
      return error(403, "csrf", "sign out from racine's own pages (X-Racine-CSRF: 1, same origin)");
    service::Service::Redirect r;
    Response out = from(m_service.logout(cookie(req, m_service.session_cookie_name()), r));
    for (const auto& c : r.set_cookies) out.headers.emplace_back("Set-Cookie", c);
    return out;
  }
  call.route = "unmatched";
  return error(404, "not_found", "no such endpoint");
}

Admission Api::admit(Request& req) {
  auto call = std::make_shared<Pending>();
  req.context = call;
  Admission out;
  out.body_limit = m_options.preauth_body_limit;
  auto refuse = [&](Response r) {
    out.refuse = finish(req, *call, std::move(r));
    return out;
  };
  try {
    for (const auto& [name, value] : req.headers) {
      if (!clean_text(value))
        return refuse(error(400, "bad_header",
                            "the header " + text::valid_utf8(name.substr(0, 64)) +
                                " is not valid UTF-8 or holds a NUL"));
    }
    const auto q = req.target.find('?');
    const std::string_view raw_path = std::string_view(req.target).substr(0, q);
    const std::string_view raw_query =
        q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1);
    if (raw_path.empty() || raw_path.front() != '/')
      return refuse(error(400, "bad_target", "the target must be a path"));
    for (std::size_t at = 0; at < raw_query.size();) {
      const std::size_t amp = raw_query.find('&', at);
      const std::string_view pair =
          raw_query.substr(at, amp == std::string_view::npos ? amp : amp - at);
      at = amp == std::string_view::npos ? raw_query.size() : amp + 1;
      if (pair.empty()) continue;
      const std::size_t eq = pair.find('=');
      auto k = decode(pair.substr(0, eq), true);
      auto v =
          decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
      if (!k || !v) return refuse(error(400, "bad_query", "bad percent-encoding in the query"));
      // Values reach answers (a lookup's "query") and logs, which are JSON: UTF-8 only.
      if (text::find_invalid_utf8(*k, true) || text::find_invalid_utf8(*v, true))
        return refuse(error(400, "bad_query", "the query string is not valid UTF-8"));
      if (!clean_text(*k) || !clean_text(*v))
        return refuse(error(400, "bad_query", "the query string holds a NUL (%00)"));
      call->query[*k] = std::move(*v);
    }

    // Signing in (docs/identity.md): public, answered from the headers.
    if (raw_path.starts_with("/auth/")) {
      if (auto r = auth_route(req, *call, raw_path)) return refuse(std::move(*r));
    }

    // A signed acknowledgement link (docs/routing.md): the token is the credential. GET
    // asks to confirm (a link scanner or a chat's preview only reads the page), POST
    // acknowledges. Limited per address like sign-ins; the page keeps the token out of
    // any Referer and out of caches.
    if (raw_path.starts_with("/ack/")) {
      call->route = "/ack";
      if (req.method != "GET" && req.method != "POST")
        return refuse(error(405, "method_not_allowed", "GET or POST"));
      if (const auto wait = m_state->links.take(req.remote, 1, steady_seconds())) {
        Response r = error(429, "rate_limited", "too many requests from this address: try again");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return refuse(std::move(r));
      }
      call->public_work = [this, token = raw_path.substr(5), post = req.method == "POST"] {
        Response r = from(m_service.ack_by_link(token, post));
        r.headers.emplace_back("Content-Security-Policy",
                               "default-src 'none'; style-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'");
        r.headers.emplace_back("Referrer-Policy", "no-referrer");
        r.headers.emplace_back("Cache-Control", "no-store");
        r.headers.emplace_back("X-Content-Type-Options", "nosniff");
        return r;
      };
      return out;
    }

    // Public endpoints, answered from the headers.
    if (raw_path == "/healthz") {
      call->route = "/healthz";
      call->public_answer = Response{200, "application/json", R"({"status":"ok"})", {}};
      return out;
    }
    if (raw_path == "/readyz") {
      call->route = "/readyz";
      call->public_answer = m_service.store().ping()
                                ? Response{200, "application/json", R"({"status":"ready"})", {}}
                                : Response{503,
                                           "application/json",
                                           R"({"status":"store unreachable"})",
                                           {{"Retry-After", "1"}}};
      return out;
    }
    if (raw_path == "/metrics") {
      call->route = "/metrics";
      call->public_answer =
          Response{200, "text/plain; version=0.0.4; charset=utf-8", metrics(), {}};
      return out;
    }
    if (raw_path == "/openapi.json") {
      call->route = "/openapi.json";
      call->public_answer = Response{200, "application/json", m_options.openapi, {}};
      return out;
    }
    // The portal's static files (docs/portal.md).
    if (auto asset = portal_asset(req.method, raw_path, req.header("if-none-match"))) {
      call->route = raw_path == "/" ? "/" : "/assets/";
      call->public_answer = std::move(*asset);
      return out;
    }

    // The route, its parameters and the query.
    const auto parts = split_path(raw_path);
    std::vector<std::string> segments;
    for (const auto& p : parts) {
      auto d = decode(p, false);
      if (!d) return refuse(error(400, "bad_target", "bad percent-encoding in the path"));
      if (text::find_invalid_utf8(*d, true))
        return refuse(error(400, "bad_target", "the path is not valid UTF-8"));
      if (!clean_text(*d)) return refuse(error(400, "bad_target", "the path holds a NUL (%00)"));
      segments.push_back(std::move(*d));
    }
    bool path_known = false;
    for (const auto& r : m_state->routes) {
      if (r.segments.size() != segments.size()) continue;
      auto placeholder = [](const std::string& s) { return s.size() > 2 && s.front() == '{'; };
      bool match = true;
      for (std::size_t i = 0; i < segments.size() && match; ++i) {
        const auto& s = r.segments[i];
        match = placeholder(s) || s == segments[i];
      }
      if (!match) continue;
      if (!path_known) call->route = r.pattern;  // a 405 is counted under its path
      path_known = true;
      if (r.method != req.method) continue;
      call->found = &r;
      for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& s = r.segments[i];
        if (placeholder(s)) call->params[s.substr(1, s.size() - 2)] = segments[i];
      }
      break;
    }
    if (call->found == nullptr) {
      if (path_known)
        return refuse(error(405, "method_not_allowed",
                            std::string(method_label(req.method)) + " is not allowed here"));
      return refuse(error(404, "not_found", "no such endpoint"));
    }
    call->route = call->found->pattern;
    for (const auto& [name, value] : call->params) {
      if (name == "v" || name == "id") continue;
      if (!service::valid_id(value)) {
        std::string message = "'";
        message.append(value, 0, 80);
        message += "' is not an id ([a-z0-9][a-z0-9-]{0,62})";
        return refuse(error(400, "bad_id", message));
      }
    }

    // A vendor's signed webhook: no token; limited per address; its handler checks the
    // signature over the raw body.
    if (call->found->roles == k_signed) {
      if (const auto wait = m_state->links.take(req.remote, 1, steady_seconds())) {
        Response r = error(429, "rate_limited", "too many requests from this address: try again");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return refuse(std::move(r));
      }
      call->who = Principal{"webhook", Role::ingest, std::nullopt, "webhook"};
      out.body_limit = 64 * 1024;
      return out;
    }

    // Authentication, then the rate and the role, all before a byte of the body is read:
    // a bearer token (machines), else a person's session cookie.
    const std::string authorization = req.header("authorization");
    const std::string session = cookie(req, m_service.session_cookie_name());
    if (authorization.empty() && !session.empty() && m_service.identity_enabled()) {
      call->who = m_service.session(session);
      if (!call->who)
        return refuse(unauthenticated("the session has ended: sign in again", "Bearer"));
      // A change made with a cookie must come from racine's own pages: a custom header
      // (which a cross-site form cannot send) and, when the browser says, the same origin.
      if (req.method != "GET" && req.method != "HEAD") {
        const std::string origin = req.header("origin");
        if (req.header("x-racine-csrf") != "1" ||
            (!origin.empty() && origin != m_service.public_origin()) ||
            req.header("sec-fetch-site") == "cross-site")
          return refuse(error(403, "csrf",
                              "a change made with a session must come from racine's own pages "
                              "(X-Racine-CSRF: 1, same origin)"));
      }
    } else {
      if (authorization.empty())
        return refuse(unauthenticated("send Authorization: Bearer TOKEN", "Bearer"));
      const std::string_view scheme = std::string_view(authorization).substr(0, 7);
      if (scheme != "Bearer " && scheme != "bearer ")
        return refuse(unauthenticated("the Authorization scheme must be Bearer", "Bearer"));
      call->who = m_service.authenticate(std::string_view(authorization).substr(7));
      if (!call->who)
        return refuse(
            unauthenticated("unknown or revoked token", "Bearer error=\"invalid_token\""));
    }
    const Principal& who = *call->who;
    call->token = who.token;
    if (m_state->tokens) {
      if (const auto wait = m_state->tokens->take(who.token, 1, steady_seconds())) {
        Response r = error(429, "rate_limited", "too many requests for this token");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return refuse(std::move(r));
      }
    }
    if ((call->found->roles & bit(who.role)) == 0) {
      const std::string_view role = store::role_name(who.role);
      return refuse(error(
          403, "forbidden",
          std::string(role == "admin" || role == "editor" || role == "ingest" ? "an " : "a ") +
              std::string(role) + " token cannot do this"));
    }
    switch (call->found->body) {
      case Body::none: out.body_limit = m_options.preauth_body_limit; break;
      case Body::json:
      case Body::json_opt: out.body_limit = m_options.json_body_limit; break;
      case Body::document: out.body_limit = m_options.upload_limit; break;
      case Body::alerts: out.body_limit = m_options.alerts_body_limit; break;
      case Body::webhook: out.body_limit = 64 * 1024; break;
    }
    return out;
  } catch (const store::Error& e) {
    return refuse(store_failure(e));
  }
}

Response Api::store_failure(const store::Error& e) {
  {
    std::lock_guard<std::mutex> lock(m_state->metrics_mutex);
    ++m_state->store_errors;
  }
  if (e.transient()) {
    Response r = error(503, "store_unavailable", "the store is busy or unreachable: try again");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  if (std::string_view(e.what()) == "forbidden")
    return error(403, "forbidden", "this token cannot do this");
  return error(500, "store_error", "the store refused the operation");
}

Response Api::handle(Request& req) {
  if (!req.context) {
    // Called without an admission (a caller that has no headers phase): admit now.
    auto admission = admit(req);
    if (admission.refuse) return std::move(*admission.refuse);
    if (req.body.size() > admission.body_limit) {
      auto& call = *static_cast<Pending*>(req.context.get());
      return finish(req, call, error(413, "bad_request", "the body is too large"));
    }
  }
  auto& call = *static_cast<Pending*>(req.context.get());
  if (call.public_answer) return finish(req, call, std::move(*call.public_answer));
  if (call.public_work) {
    try {
      return finish(req, call, call.public_work());
    } catch (const store::Error& e) {
      return finish(req, call, store_failure(e));
    }
  }
  Response res;
  try {
    nlohmann::json body;
    const Body kind = call.found->body;
    if (kind == Body::json || kind == Body::alerts ||
        (kind == Body::json_opt && !req.body.empty())) {
      const std::string type = req.header("content-type");
      if (type.substr(0, type.find(';')) != "application/json")
        return finish(req, call,
                      error(415, "unsupported_media_type", "the body must be application/json"));
      JsonGuard guard(m_options.json_max_depth);
      if (!nlohmann::json::sax_parse(req.body, &guard) || !guard.problem.empty())
        return finish(req, call,
                      error(400, "bad_json",
                            guard.problem.empty() ? "the body is not valid JSON" : guard.problem));
      body = nlohmann::json::parse(req.body, nullptr, false);
      if (body.is_discarded())
        return finish(req, call, error(400, "bad_json", "the body is not valid JSON"));
      if (kind != Body::document) {
        req.body.clear();
        req.body.shrink_to_fit();
      }
    }
    Call c{req, *call.who, call.params, call.query, body, m_service};
    res = call.found->handler(c);
    if (res.later) {
      res.later->then([this, &req](const std::function<Response()>& make) {
        auto& pending = *static_cast<Pending*>(req.context.get());
        Response made;
        try {
          made = make();
        } catch (const store::Error& e) {
          made = store_failure(e);
        } catch (const std::exception&) {
          made = error(500, "internal", "internal error");
        }
        return finish(req, pending, std::move(made));
      });
      return res;
    }
  } catch (const store::Error& e) {
    res = store_failure(e);
  } catch (const std::exception&) {
    res = error(500, "internal", "internal error");
  }
  return finish(req, call, std::move(res));
}

}  // namespace racine::server

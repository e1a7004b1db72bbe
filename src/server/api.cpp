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
  }
  return 500;
}

Response error(int status, const std::string& code, const std::string& message) {
  nlohmann::ordered_json j;
  j["error"] = {{"code", code}, {"message", message}};
  return Response{status, "application/json", j.dump(), {}};
}

Response from(Reply r) {
  return Response{http_status(r.status), std::move(r.content_type), std::move(r.body), {}};
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
constexpr unsigned k_readers = k_editors | bit(Role::tenant);
constexpr unsigned k_senders = bit(Role::tenant) | bit(Role::ingest);

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/matrices/{m}/versions"
  unsigned roles;
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

std::vector<Route> make_routes() {
  std::vector<Route> routes = {
      {"POST", "/api/v1/tokens", k_admin, {}},
      {"GET", "/api/v1/tokens", k_admin, {}},
      {"DELETE", "/api/v1/tokens/{id}", k_admin, {}},
      {"GET", "/api/v1/matrices", k_readers, {}},
      {"POST", "/api/v1/matrices/{m}/versions", k_editors, {}},
      {"GET", "/api/v1/matrices/{m}/versions", k_readers, {}},
      {"GET", "/api/v1/matrices/{m}/versions/{v}", k_readers, {}},
      {"GET", "/api/v1/matrices/{m}/versions/{v}/lint", k_readers, {}},
      {"GET", "/api/v1/matrices/{m}/diff", k_readers, {}},
      {"GET", "/api/v1/tenants", k_editors, {}},
      {"PUT", "/api/v1/tenants/{t}", k_editors, {}},
      {"GET", "/api/v1/tenants/{t}/contracts", k_readers, {}},
      {"PUT", "/api/v1/tenants/{t}/contracts/{c}", k_editors, {}},
      {"GET", "/api/v1/tenants/{t}/contracts/{c}", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/contracts/{c}/matrix", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/contracts/{c}/who", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/contracts/{c}/duties", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/contracts/{c}/summary", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/contracts/{c}/options", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/contracts/{c}/upgrade", k_readers, {}},
      {"POST", "/api/v1/tenants/{t}/contracts/{c}/upgrade", k_readers, {}},
      {"GET", "/api/v1/audit", k_admin, {}},
      {"PUT", "/api/v1/receivers/{party}", k_editors, {}},
      {"GET", "/api/v1/receivers", k_editors, {}},
      {"PUT", "/api/v1/tenants/{t}/receivers/{party}", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/receivers", k_readers, {}},
      {"POST", "/api/v1/tenants/{t}/alertmanager", k_senders, {}},
      {"GET", "/api/v1/tenants/{t}/events", k_readers, {}},
      {"GET", "/api/v1/tenants/{t}/events/{id}", k_readers, {}},
      {"POST", "/api/v1/tenants/{t}/events/{id}/ack", k_readers, {}},
  };
  for (auto& r : routes) r.segments = split_path(r.pattern);
  return routes;
}

// Latency buckets of the histogram, in seconds.
constexpr std::array<double, 12> k_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                              0.05,   0.1,   0.25,   0.5,   1,    2.5};

std::string json_string(std::string_view s) {
  return nlohmann::json(std::string(s)).dump();
}

}  // namespace

struct Api::State {
  std::vector<Route> routes = make_routes();

  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex rate_mutex;
  std::unordered_map<std::string, Bucket> buckets;

  mutable std::mutex metrics_mutex;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t>
      requests;  // route, method, status
  std::array<std::uint64_t, k_buckets.size()> latency{};
  std::uint64_t latency_count = 0;
  double latency_sum = 0;
  std::uint64_t store_errors = 0;
  std::uint64_t rate_limited = 0;
};

Api::Api(service::Service& service, ApiOptions options)
    : m_service(service), m_options(std::move(options)), m_state(std::make_unique<State>()) {}

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

Response Api::handle(Request& req) {
  const auto started = std::chrono::steady_clock::now();
  std::string route = "unmatched";
  std::string token_id = "-";

  auto answer = [&]() -> Response {
    const auto q = req.target.find('?');
    const std::string_view raw_path = std::string_view(req.target).substr(0, q);
    const std::string_view raw_query =
        q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1);
    if (raw_path.empty() || raw_path.front() != '/')
      return error(400, "bad_target", "the target must be a path");

    // Public endpoints.
    if (raw_path == "/healthz") {
      route = "/healthz";
      return Response{200, "application/json", R"({"status":"ok"})", {}};
    }
    if (raw_path == "/readyz") {
      route = "/readyz";
      if (m_service.store().ping())
        return Response{200, "application/json", R"({"status":"ready"})", {}};
      return Response{
          503, "application/json", R"({"status":"store unreachable"})", {{"Retry-After", "1"}}};
    }
    if (raw_path == "/metrics") {
      route = "/metrics";
      return Response{200, "text/plain; version=0.0.4; charset=utf-8", metrics(), {}};
    }
    if (raw_path == "/openapi.json") {
      route = "/openapi.json";
      return Response{200, "application/json", m_options.openapi, {}};
    }
    // The portal's static files (docs/portal.md).
    if (auto asset = portal_asset(req.method, raw_path, req.header("if-none-match"))) {
      route = raw_path == "/" ? "/" : "/assets/";
      return std::move(*asset);
    }

    // The route, its parameters and the query.
    const auto parts = split_path(raw_path);
    std::vector<std::string> segments;
    for (const auto& p : parts) {
      auto d = decode(p, false);
      if (!d) return error(400, "bad_target", "bad percent-encoding in the path");
      segments.push_back(std::move(*d));
    }
    const Route* found = nullptr;
    bool path_known = false;
    Params params;
    for (const auto& r : m_state->routes) {
      if (r.segments.size() != segments.size()) continue;
      auto placeholder = [](const std::string& s) { return s.size() > 2 && s.front() == '{'; };
      bool match = true;
      for (std::size_t i = 0; i < segments.size() && match; ++i) {
        const auto& s = r.segments[i];
        match = placeholder(s) || s == segments[i];
      }
      if (!match) continue;
      // Parameters only for the route that matched.
      Params p;
      for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& s = r.segments[i];
        if (placeholder(s)) p[s.substr(1, s.size() - 2)] = segments[i];
      }
      path_known = true;
      if (r.method == req.method) {
        found = &r;
        params = std::move(p);
        break;
      }
    }
    if (!found) {
      if (path_known) return error(405, "method_not_allowed", req.method + " is not allowed here");
      return error(404, "not_found", "no such endpoint");
    }
    route = found->pattern;
    Params query;
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
      if (!k || !v) return error(400, "bad_query", "bad percent-encoding in the query");
      // Values reach answers (a lookup's "query") and logs, which are JSON: UTF-8 only.
      if (text::find_invalid_utf8(*k) || text::find_invalid_utf8(*v))
        return error(400, "bad_query", "the query string is not valid UTF-8");
      query[*k] = std::move(*v);
    }
    for (const auto& [name, value] : params) {
      if (name == "v" || name == "id") continue;
      if (!service::valid_id(value)) {
        return error(400, "bad_id",
                     "'" + value.substr(0, 80) + "' is not an id ([a-z0-9][a-z0-9-]{0,62})");
      }
    }

    // Authentication, then the role the route needs.
    const std::string authorization = req.header("authorization");
    if (authorization.empty()) {
      Response r = error(401, "unauthenticated", "send Authorization: Bearer TOKEN");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    const std::string_view scheme = std::string_view(authorization).substr(0, 7);
    if (scheme != "Bearer " && scheme != "bearer ") {
      Response r = error(401, "unauthenticated", "the Authorization scheme must be Bearer");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    const auto who = m_service.authenticate(std::string_view(authorization).substr(7));
    if (!who) {
      Response r = error(401, "unauthenticated", "unknown or revoked token");
      r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return r;
    }
    token_id = who->token;
    if (m_options.rate_per_second > 0) {
      std::lock_guard<std::mutex> lock(m_state->rate_mutex);
      const auto now = std::chrono::steady_clock::now();
      auto [it, fresh] =
          m_state->buckets.try_emplace(who->token, State::Bucket{m_options.rate_burst, now});
      auto& b = it->second;
      const double elapsed = std::chrono::duration<double>(now - b.at).count();
      b.tokens = std::min(m_options.rate_burst, b.tokens + elapsed * m_options.rate_per_second);
      b.at = now;
      if (b.tokens < 1) {
        const double wait = (1 - b.tokens) / m_options.rate_per_second;
        Response r = error(429, "rate_limited", "too many requests for this token");
        r.headers.emplace_back("Retry-After", std::to_string(static_cast<long>(std::ceil(wait))));
        std::lock_guard<std::mutex> m(m_state->metrics_mutex);
        ++m_state->rate_limited;
        return r;
      }
      b.tokens -= 1;
    }
    if ((found->roles & bit(who->role)) == 0) {
      const std::string_view role = store::role_name(who->role);
      return error(
          403, "forbidden",
          std::string(role == "admin" || role == "editor" || role == "ingest" ? "an " : "a ") +
              std::string(role) + " token cannot do this");
    }

    // A JSON body where the route takes one.
    nlohmann::json body;
    const bool json_body = req.method == "PUT" ||
                           (req.method == "POST" && route != "/api/v1/matrices/{m}/versions" &&
                            !(route == "/api/v1/tenants/{t}/events/{id}/ack" && req.body.empty()));
    if (json_body) {
      const std::string type = req.header("content-type");
      if (type.substr(0, type.find(';')) != "application/json") {
        return error(415, "unsupported_media_type", "the body must be application/json");
      }
      body = nlohmann::json::parse(req.body, nullptr, false);
      if (body.is_discarded()) return error(400, "bad_json", "the body is not valid JSON");
    }
    auto get = [&](const char* k) { return query.count(k) != 0U ? query[k] : std::string(); };
    const auto& t = params["t"];
    const auto& c = params["c"];
    const auto& m = params["m"];
    service::Service& s = m_service;

    if (route == "/api/v1/tokens") {
      return from(req.method == "POST" ? s.create_token(*who, body) : s.list_tokens(*who));
    }
    if (route == "/api/v1/tokens/{id}") return from(s.revoke_token(*who, params["id"]));
    if (route == "/api/v1/matrices") return from(s.list_matrices(*who));
    if (route == "/api/v1/matrices/{m}/versions") {
      if (req.method == "GET") return from(s.list_versions(*who, m));
      return from(s.upload(*who, m, req.header("content-type"), std::move(req.body),
                           get("force") == "true"));
    }
    if (route == "/api/v1/matrices/{m}/versions/{v}")
      return from(s.get_version(*who, m, params["v"], get("format")));
    if (route == "/api/v1/matrices/{m}/versions/{v}/lint")
      return from(s.get_lint(*who, m, params["v"]));
    if (route == "/api/v1/matrices/{m}/diff") {
      if (get("from").empty() || get("to").empty())
        return error(400, "bad_query", "give from=V and to=V");
      return from(s.diff(*who, m, get("from"), get("to")));
    }
    if (route == "/api/v1/tenants") return from(s.list_tenants(*who));
    if (route == "/api/v1/tenants/{t}") return from(s.put_tenant(*who, t, body));
    if (route == "/api/v1/tenants/{t}/contracts") {
      // Listed through the store's scope: another tenant's list is empty, hence 404.
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& k : s.store().list_contracts(*who, t)) {
        out.push_back({{"tenant", k.tenant},
                       {"id", k.id},
                       {"matrix", k.matrix},
                       {"version", k.version},
                       {"options", k.options},
                       {"party", k.party},
                       {"escalate_after", k.escalate_after}});
      }
      if (!s.store().get_tenant(*who, t)) return error(404, "not_found", "no tenant '" + t + "'");
      return Response{200, "application/json", out.dump(), {}};
    }
    if (route == "/api/v1/tenants/{t}/contracts/{c}") {
      return from(req.method == "PUT" ? s.put_contract(*who, t, c, body)
                                      : s.get_contract(*who, t, c));
    }
    if (route == "/api/v1/tenants/{t}/contracts/{c}/matrix")
      return from(s.contract_matrix(*who, t, c, get("format")));
    if (route == "/api/v1/tenants/{t}/contracts/{c}/who") {
      std::size_t limit = 10;
      if (!get("limit").empty()) {
        const std::string l = get("limit");
        if (l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos) {
          return error(400, "bad_limit", "limit is 1 to 100");
        }
        limit = std::stoul(l);
      }
      return from(s.who(*who, t, c, get("q"), limit));
    }
    if (route == "/api/v1/tenants/{t}/contracts/{c}/duties")
      return from(s.duties(*who, t, c, get("party"), get("role")));
    if (route == "/api/v1/tenants/{t}/contracts/{c}/summary") return from(s.summary(*who, t, c));
    if (route == "/api/v1/tenants/{t}/contracts/{c}/options") return from(s.options(*who, t, c));
    if (route == "/api/v1/tenants/{t}/contracts/{c}/upgrade") {
      return from(req.method == "GET" ? s.upgrade_preview(*who, t, c)
                                      : s.upgrade(*who, t, c, body));
    }
    if (route == "/api/v1/receivers/{party}")
      return from(s.put_receiver(*who, "", params["party"], body));
    if (route == "/api/v1/receivers") return from(s.list_receivers(*who, ""));
    if (route == "/api/v1/tenants/{t}/receivers/{party}")
      return from(s.put_receiver(*who, t, params["party"], body));
    if (route == "/api/v1/tenants/{t}/receivers") return from(s.list_receivers(*who, t));
    if (route == "/api/v1/tenants/{t}/alertmanager") {
      if (!get("contract").empty() && !service::valid_id(get("contract")))
        return error(400, "bad_id", "contract must be an id");
      return from(s.receive_alerts(*who, t, get("contract"), body));
    }
    if (route == "/api/v1/tenants/{t}/events") return from(s.list_events(*who, t, get("status")));
    if (route == "/api/v1/tenants/{t}/events/{id}") return from(s.get_event(*who, t, params["id"]));
    if (route == "/api/v1/tenants/{t}/events/{id}/ack")
      return from(s.acknowledge(*who, t, params["id"]));
    if (route == "/api/v1/audit") {
      const std::string tenant = get("tenant");
      return from(
          s.audit(*who, tenant.empty() ? std::nullopt : std::optional<std::string>(tenant)));
    }
    return error(404, "not_found", "no such endpoint");
  };

  Response res;
  try {
    res = answer();
  } catch (const store::Error& e) {
    {
      std::lock_guard<std::mutex> lock(m_state->metrics_mutex);
      ++m_state->store_errors;
    }
    if (e.transient()) {
      res = error(503, "store_unavailable", "the store is busy or unreachable: try again");
      res.headers.emplace_back("Retry-After", "1");
    } else if (std::string_view(e.what()) == "forbidden") {
      res = error(403, "forbidden", "this token cannot do this");
    } else {
      res = error(500, "store_error", "the store refused the operation");
    }
  }
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // Every answer but the portal's files (which revalidate by ETag) is never stored.
  if (std::none_of(res.headers.begin(), res.headers.end(),
                   [](const auto& h) { return h.first == "Cache-Control"; })) {
    res.headers.emplace_back("Cache-Control", "no-store");
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  {
    std::lock_guard<std::mutex> lock(m_state->metrics_mutex);
    ++m_state->requests[{route, req.method, res.status}];
    for (std::size_t i = 0; i < k_buckets.size(); ++i) {
      if (seconds <= k_buckets[i]) {
        ++m_state->latency[i];
        break;
      }
    }
    ++m_state->latency_count;
    m_state->latency_sum += seconds;
  }
  if (m_options.log) {
    // The method comes from the client as it is: never let it break the line's UTF-8.
    JsonOut line;
    line.begin_object();
    line.key("time").string(store::now_rfc3339());
    line.key("method").string(text::valid_utf8(req.method));
    line.key("route").string(route);
    line.key("status").integer(res.status);
    line.key("duration_ms").number(std::round(seconds * 1e6) / 1e3);
    line.key("token").string(token_id);
    line.key("remote").string(req.remote);
    line.end_object();
    m_options.log(line.str());
  }
  return res;
}

}  // namespace racine::server

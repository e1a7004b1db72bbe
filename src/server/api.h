#pragma once
// The HTTP API of `racine serve` (DESIGN.md, "The server (contract)"): routes onto the
// service, bearer-token authentication, the role each route needs, per-token rate
// limits, errors as {"error": {"code", "message"}}, Prometheus metrics and one JSON log
// line per request. Tenant isolation is enforced again below, in the store's queries.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "server/http.h"
#include "service/service.h"

namespace racine::server {

struct ApiOptions {
  double rate_per_second = 50;  // per token; 0: no limit
  double rate_burst = 100;
  // The largest body read, by what a route takes; a request is admitted (authenticated,
  // its role checked) from its headers before any of its body is read.
  std::size_t preauth_body_limit = 64U << 10U;  // routes without a body, public ones
  std::size_t json_body_limit = 1U << 20U;      // JSON bodies (tenants, contracts, receivers)
  std::size_t upload_limit = 4U << 20U;         // a matrix uploaded (--max-body)
  std::size_t alerts_body_limit = 8U << 20U;    // an Alertmanager payload (--max-alerts-body)
  std::size_t json_max_depth = 64;
  std::string openapi;  // the document served at /openapi.json
  // Receives one JSON line per request (method, route, status, duration, token id).
  std::function<void(const std::string&)> log;
};

class Api {
 public:
  Api(service::Service& service, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // From the headers: the route, the token, the rate and the role; a refusal is
  // answered at once (and logged), else the body limit of the route.
  Admission admit(Request& request);
  // With the body read: the answer (logged and counted).
  Response handle(Request& request);
  // A request the HTTP layer refused or failed: logged and counted like the others.
  void refused(const Request& request, int status);

  // Prometheus text exposition of the counters so far.
  std::string metrics() const;

 private:
  struct State;
  struct Pending;
  Response finish(Request& req, Pending& call, Response res);
  void record(const Request& req, const std::string& route, const std::string& token, int status,
              std::chrono::steady_clock::time_point started);
  Response store_failure(const store::Error& e);
  // /auth/issuers, /auth/login, /auth/callback, /auth/logout (docs/identity.md).
  std::optional<Response> auth_route(Request& req, Pending& call, std::string_view path);
  service::Service& m_service;
  ApiOptions m_options;
  std::unique_ptr<State> m_state;
};

}  // namespace racine::server

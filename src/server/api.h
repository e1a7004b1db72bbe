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

  Response handle(Request& request);

  // Prometheus text exposition of the counters so far.
  std::string metrics() const;

 private:
  struct State;
  service::Service& m_service;
  ApiOptions m_options;
  std::unique_ptr<State> m_state;
};

}  // namespace racine::server

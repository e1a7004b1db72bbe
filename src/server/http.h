#pragma once
// The HTTP/1.1 server under `racine serve` (Boost.Beast, kept to http.cpp because it
// compiles slowly): keep-alive, a fixed pool of threads, limits on header and body
// sizes, read and idle timeouts, graceful shutdown (SIGTERM/SIGINT: stop accepting,
// close idle connections, let requests in flight finish). Requests are handed to one
// handler as plain values; it knows nothing of Beast.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace racine::server {

struct Request {
  std::string method;                                        // "GET", "POST"...
  std::string target;                                        // as received: path and query
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote;  // peer address

  [[nodiscard]] std::string header(std::string_view name) const;  // "" when absent
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  std::size_t threads = 4;
  std::size_t body_limit = 16U << 20U;
  std::size_t header_limit = 16U << 10U;
  std::chrono::seconds read_timeout{30};   // a request must arrive whole within this
  std::chrono::seconds idle_timeout{60};   // a kept-alive connection without a request
  std::chrono::seconds drain_timeout{30};  // how long shutdown waits for requests in flight
};

using Handler = std::function<Response(Request&)>;

class HttpServer {
 public:
  // Binds at once (throws std::runtime_error with the address when it cannot).
  HttpServer(HttpOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  [[nodiscard]] std::uint16_t port() const;

  // Serves until SIGTERM or SIGINT (or stop()), then drains; returns when every
  // connection is closed.
  void run();
  // Starts the graceful shutdown from any thread.
  void stop();

  // Runs `fn` on the calling thread once the handlers already queued there have run:
  // on a server thread, at the end of its current turn of ready connections (so that
  // work done for each request, such as writing a log line, can be done once per turn);
  // on any other thread, at once.
  static void after_turn(std::function<void()> fn);

  struct Impl;  // Beast's side, in http.cpp

 private:
  std::unique_ptr<Impl> m_impl;
};

// The reason phrase of a status ("Not Found").
std::string_view reason(int status);

}  // namespace racine::server

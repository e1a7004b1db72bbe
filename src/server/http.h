#pragma once
// The HTTP/1.1 server under `racine serve` (Boost.Beast, kept to http.cpp because it
// compiles slowly): keep-alive, a fixed pool of threads, limits on header and body
// sizes, one deadline for a whole request, an idle timeout, a cap on connections under
// the descriptor limit (accept paused with a backoff on EMFILE, the longest-idle
// connection closed first under pressure), graceful shutdown (SIGTERM/SIGINT: stop
// accepting, close idle connections, let requests in flight finish). Requests are handed
// to the handlers as plain values; they know nothing of Beast. A request is admitted
// (authenticated, routed) from its headers before its body is read: a refusal costs no
// body, and `100 Continue` is sent only to an admitted request.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
  // What the handlers keep between admitting the request and answering it.
  std::shared_ptr<void> context;

  [[nodiscard]] std::string header(std::string_view name) const;  // "" when absent
};

// A stream of server-sent events (text/event-stream): after the headers, `next` is called
// every `every` on the connection's thread; what it returns is written at once (an SSE
// frame, "" for nothing yet), nullopt ends the stream. It also ends when the client
// leaves, the server stops, or after `lifetime` (the browser then reconnects).
struct EventStream {
  std::function<std::optional<std::string>()> next;
  std::chrono::milliseconds every{1000};
  std::chrono::milliseconds lifetime{std::chrono::minutes(5)};
};

struct Response;

// An answer made later, on another thread (a write waiting for its group commit): the
// connection's thread is free meanwhile, and the answer is written when it comes. Its
// maker calls answer() once, from any thread; the server calls on_answer() once; the
// function answer() was given runs on the connection's thread, then the then()s.
class Later {
 public:
  void answer(std::function<Response()> make);
  void on_answer(std::function<void(std::function<Response()>)> deliver);
  // Wraps the making of the answer (the handlers' own finishing, and their handling of
  // what it throws); the last one given is the outermost.
  void then(std::function<Response(const std::function<Response()>&)> f);

 private:
  std::function<Response()> whole();
  std::mutex m_mutex;
  std::function<Response()> m_make;
  std::function<void(std::function<Response()>)> m_deliver;
  std::vector<std::function<Response(const std::function<Response()>&)>> m_then;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<EventStream> stream = {};  // set: `body` is the first frame
  std::shared_ptr<Later> later = {};         // set: the rest is empty, the answer comes later
};

struct HttpOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  std::size_t threads = 4;
  std::size_t body_limit = 16U << 20U;  // the largest any admission may allow
  std::size_t header_limit = 16U << 10U;
  // A whole request, headers and body, must arrive within this from its first byte.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};   // a kept-alive connection without a request
  std::chrono::seconds drain_timeout{30};  // how long shutdown waits for requests in flight
  // Connections open at once; 0: the descriptor limit (RLIMIT_NOFILE) less `fd_reserve`
  // (the store's connections, deliveries, files). At the cap, the connection idle the
  // longest is closed to admit a new one.
  std::size_t max_connections = 0;
  std::size_t fd_reserve = 64;
};

// What the handlers say of a request whose headers are read, before its body is.
struct Admission {
  std::optional<Response> refuse;  // answered at once: the body is never read
  std::size_t body_limit = 0;      // the largest body this request may bring
};

struct Handlers {
  std::function<Admission(Request&)> admit;  // headers read; no body yet
  std::function<Response(Request&)> handle;  // the body read (within the admitted limit)
  // A request the HTTP layer refused itself (malformed, headers or body too large, too
  // slow) or whose answer it replaced (an exception): for the log and the metrics, so
  // that every request is counted whatever became of it. `request` has what was read.
  std::function<void(const Request& request, int status)> refused;
};

using Handler = std::function<Response(Request&)>;

class HttpServer {
 public:
  // Binds at once (throws std::runtime_error with the address when it cannot).
  HttpServer(HttpOptions options, Handlers handlers);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  // The connection cap in force (HttpOptions::max_connections, or from the limit).
  [[nodiscard]] std::size_t max_connections() const;

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

#include "server/http.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

namespace racine::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

void Later::answer(std::function<Response()> make) {
  std::function<void(std::function<Response()>)> deliver;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_make = std::move(make);
    deliver = std::move(m_deliver);
  }
  if (deliver) deliver(whole());
}

void Later::on_answer(std::function<void(std::function<Response()>)> deliver) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_make) {
      m_deliver = std::move(deliver);
      return;
    }
  }
  deliver(whole());
}

void Later::then(std::function<Response(const std::function<Response()>&)> f) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_then.push_back(std::move(f));
}

std::function<Response()> Later::whole() {
  std::lock_guard<std::mutex> lock(m_mutex);
  std::function<Response()> make = std::move(m_make);
  for (auto& f : m_then) make = [f = std::move(f), inner = std::move(make)] { return f(inner); };
  m_then.clear();
  return make;
}

std::string_view reason(int status) {
  const auto r = http::obsolete_reason(static_cast<http::status>(status));
  return {r.data(), r.size()};
}

namespace {

class Session;

// The context the calling thread runs, on server threads.
thread_local net::io_context* t_context = nullptr;

}  // namespace

void HttpServer::after_turn(std::function<void()> fn) {
  if (t_context == nullptr) return fn();
  net::post(*t_context, std::move(fn));
}

// One io_context per thread, each run by its thread alone: a connection lives on one
// of them from accept to close (assigned in turn), so its handlers never run
// concurrently and need no strand, and threads do not wake each other for every
// request. The acceptor, the signals and the timers live on the first.
struct HttpServer::Impl {
  using Guard = net::executor_work_guard<net::io_context::executor_type>;
  HttpOptions options;
  Handlers handlers;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<Guard> guards;  // keep the contexts running while they have no connection
  std::size_t next = 0;       // the context of the next connection (acceptor's thread only)
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain;
  net::steady_timer accept_pause;  // accepting again after EMFILE or at the cap
  std::chrono::milliseconds backoff{0};
  std::size_t cap = 0;  // connections open at once
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> sessions{0};
  std::mutex mutex;
  std::set<std::shared_ptr<Session>> live;  // guarded by mutex; a session removes itself

  Impl(HttpOptions o, Handlers h)
      : options(std::move(o)),
        handlers(std::move(h)),
        contexts(make_contexts(options.threads)),
        acceptor(*contexts.front()),
        signals(*contexts.front(), SIGINT, SIGTERM),
        drain(*contexts.front()),
        accept_pause(*contexts.front()) {
    for (auto& c : contexts) guards.emplace_back(c->get_executor());
    cap = options.max_connections;
    if (cap == 0) {
      // The descriptor limit, raised to its hard ceiling, less what the rest of the
      // process needs: never accept so many that a store connection or a delivery
      // cannot open a socket.
      rlimit lim{};
      if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
        if (lim.rlim_cur < lim.rlim_max) {
          rlimit raised = lim;
          raised.rlim_cur = lim.rlim_max == RLIM_INFINITY ? 65536 : lim.rlim_max;
          if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
        }
        const std::size_t n = lim.rlim_cur == RLIM_INFINITY ? 65536 : lim.rlim_cur;
        cap = n > options.fd_reserve + 16 ? n - options.fd_reserve : 16;
      } else {
        cap = 1024;
      }
    }
  }

  static std::vector<std::unique_ptr<net::io_context>> make_contexts(std::size_t threads) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
      out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  void stop_all() {
    for (auto& g : guards) g.reset();
    for (auto& c : contexts) c->stop();
  }

  void accept();
  void accept_later(std::chrono::milliseconds wait);
  bool close_longest_idle();
  void begin_stop();
  void session_ended();
};

namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// An answer with no body by HTTP's rules: 1xx, 204 and 304 (RFC 9110, 6.4.1).
bool bodiless(int status) {
  return status / 100 == 1 || status == 204 || status == 304;
}

// An answer's status line and headers, as Beast's serializer wrote them: Server and
// Content-Type first (unless the answer sets them), then the answer's headers (a name
// given twice keeps its last value, in that value's place), "Connection: close" when the
// connection ends with it, and the body's length (none for 1xx, 204 and 304; to a HEAD,
// the length the GET would have). Names and values are the server's own; a control
// character in one is replaced by a space, so that nothing can add a header.
std::string response_head(const Response& out, bool keep_alive) {
  std::string head;
  head.reserve(256);
  auto clean = [&head](std::size_t from) {
    for (std::size_t i = from; i < head.size(); ++i) {
      const auto c = static_cast<unsigned char>(head[i]);
      if (c < 0x20 && c != '\t') head[i] = ' ';
    }
  };
  auto line = [&head, &clean](std::string_view name, std::string_view value) {
    const std::size_t at = head.size();
    head.append(name);
    head.append(": ");
    head.append(value);
    clean(at);
    head.append("\r\n");
  };
  auto given = [&out](std::string_view name) {
    return std::any_of(out.headers.begin(), out.headers.end(),
                       [&](const auto& h) { return beast::iequals(h.first, name); });
  };
  head.append("HTTP/1.1 ");
  head.append(std::to_string(out.status));
  head += ' ';
  head.append(reason(out.status));
  head.append("\r\n");
  if (!given("Server")) line("Server", "racine");
  if (!given("Content-Type")) line("Content-Type", out.content_type);
  for (std::size_t i = 0; i < out.headers.size(); ++i) {
    const auto& [name, value] = out.headers[i];
    bool later = false;
    for (std::size_t j = i + 1; j < out.headers.size() && !later; ++j)
      later = beast::iequals(out.headers[j].first, name);
    if (!later) line(name, value);
  }
  if (!keep_alive) line("Connection", "close");
  if (!bodiless(out.status)) line("Content-Length", std::to_string(out.body.size()));
  head.append("\r\n");
  return head;
}

// An answer being written, kept alive by the write's handler.
struct Outgoing {
  std::string head;
  std::string body;
  std::size_t sent = 0;  // bytes of head then body already written
  [[nodiscard]] std::array<net::const_buffer, 2> rest() const {
    if (sent < head.size())
      return {net::buffer(head.data() + sent, head.size() - sent), net::buffer(body)};
    return {net::const_buffer(),
            net::buffer(body.data() + (sent - head.size()), body.size() - (sent - head.size()))};
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server)
      : m_stream(std::move(socket)), m_server(server) {
    boost::system::error_code ec;
    const auto ep = m_stream.socket().remote_endpoint(ec);
    if (!ec) m_remote = ep.address().to_string();
  }

  void start() {
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->wait_request(); });
  }

  // From the shutdown, or to make room under pressure: close now unless a request is
  // being answered.
  void close_if_idle() {
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
      if (!self->m_busy) return self->close();
      self->m_evicting = false;  // busy after all: it may be chosen again later
    });
  }

  // Since when the connection waits for a request (0: it is answering one, or closing).
  [[nodiscard]] std::int64_t idle_since() const { return m_idle_since.load(); }
  // Chosen to be closed to make room (so that it is not chosen twice).
  bool claim_for_eviction() { return !m_evicting.exchange(true); }
  [[nodiscard]] bool evicting() const { return m_evicting.load(); }

 private:
  // Between requests: wait for the next one's first byte (idle timeout), then give the
  // whole request one deadline.
  void wait_request() {
    if (m_server.stopping) return close();
    m_busy = false;
    m_idle_since = steady_ms();
    if (m_buffer.size() > 0) return begin_request();  // pipelined: already here
    m_stream.expires_after(m_first ? m_server.options.read_timeout : m_server.options.idle_timeout);
    m_stream.async_read_some(
        m_buffer.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          if (ec) return self->close();  // idle timeout, or the client left: no request
          self->m_buffer.commit(n);
          self->begin_request();
        });
  }

  void begin_request() {
    m_busy = true;
    m_idle_since = 0;
    m_first = false;
    m_request = Request{};
    m_request.remote = m_remote;
    m_parser.emplace();
    // No limit while the headers are read (a Content-Length over it would fail them
    // before the request is admitted): the admitted route's limit is set after.
    m_parser->body_limit((std::numeric_limits<std::uint64_t>::max)());
    m_parser->header_limit(static_cast<std::uint32_t>(m_server.options.header_limit));
    m_stream.expires_after(m_server.options.read_timeout);  // the request's one deadline
    http::async_read_header(
        m_stream, m_buffer, *m_parser,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& req = m_parser->get();
    m_request.method = std::string(req.method_string());
    m_request.target = std::string(req.target());
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      m_request.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    Admission admission;
    try {
      admission = m_server.handlers.admit(m_request);
    } catch (const std::exception&) {
      return fail(500, "internal error");
    }
    if (admission.refuse) {
      // Answered from the headers: the body, if any, is never read (nor `100 Continue`
      // sent); the connection closes after the answer.
      m_linger = true;
      return write(std::move(*admission.refuse), false);
    }
    const std::size_t limit = std::min(admission.body_limit, m_server.options.body_limit);
    m_parser->body_limit(limit);
    if (const auto length = m_parser->content_length(); length && *length > limit) {
      return fail(413, "the body is larger than " + std::to_string(limit) + " bytes");
    }
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(m_stream, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                          if (wec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(
        m_stream, m_buffer, *m_parser,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::body_limit) return fail(413, "the body is too large");
    if (ec == http::error::header_limit) return fail(431, "the request's headers are too large");
    if (ec == beast::error::timeout) {
      // The deadline passed mid-request (the socket is closed: no answer can be sent).
      report(408);
      return close();
    }
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof ||
        ec == http::error::partial_message) {
      report(499);  // the client left mid-request (nginx's code for it)
      return close();
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category())
      return fail(400, "malformed HTTP request");
    report(400);
    return close();
  }

  void report(int status) {
    if (!m_server.handlers.refused) return;
    try {
      m_server.handlers.refused(m_request, status);
    } catch (const std::exception&) {
      // The log is lost, not the connection.
    }
  }

  void on_body(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    auto& req = m_parser->get();
    m_request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive();
    Response out;
    try {
      out = m_server.handlers.handle(m_request);
    } catch (const std::exception&) {
      report(500);
      out = Response{500,
                     "application/json",
                     R"({"error":{"code":"internal","message":"internal error"}})",
                     {}};
    }
    m_request.body.clear();
    m_request.body.shrink_to_fit();
    if (out.later) {
      // Nothing is read from the connection until the answer is written.
      auto later = std::move(out.later);
      later->on_answer([self = shared_from_this(), keep_alive](std::function<Response()> make) {
        auto exec = self->m_stream.get_executor();
        net::post(exec, [self, keep_alive, make = std::move(make)] {
          Response res;
          try {
            res = make();
          } catch (const std::exception&) {
            self->report(500);
            res = Response{500,
                           "application/json",
                           R"({"error":{"code":"internal","message":"internal error"}})",
                           {}};
          }
          self->write(std::move(res), keep_alive && !self->m_server.stopping);
        });
      });
      return;
    }
    write(std::move(out), keep_alive && !m_server.stopping);
  }

  void fail(int status, const std::string& message) {
    m_busy = true;
    m_linger = true;
    report(status);
    Response out{status,
                 "application/json",
                 R"({"error":{"code":"bad_request","message":")" + message + R"("}})",
                 {}};
    write(std::move(out), false);
  }

  // A stream of events: the headers (chunked), the first frame, then a frame whenever
  // `next` has one, until it ends, the client leaves, the server stops or the lifetime
  // passes. The connection is not reused after it.
  void stream(Response out) {
    auto res = std::make_shared<http::response<http::empty_body>>(
        static_cast<http::status>(out.status), 11);
    res->set(http::field::server, "racine");
    res->set(http::field::content_type, out.content_type);
    for (const auto& [k, v] : out.headers) res->set(k, v);
    res->chunked(true);
    res->keep_alive(false);
    auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    m_events = std::move(out.stream);
    m_events_until = std::chrono::steady_clock::now() + m_events->lifetime;
    m_stream.expires_after(m_server.options.read_timeout);
    http::async_write_header(m_stream, *sr,
                             [self = shared_from_this(), res, sr, first = std::move(out.body)](
                                 beast::error_code ec, std::size_t) mutable {
                               if (ec) return self->close();
                               self->send_frame(std::move(first));
                             });
  }

  void send_frame(std::string frame) {
    if (frame.empty()) return wait_frame();
    auto data = std::make_shared<std::string>(std::move(frame));
    m_stream.expires_after(m_server.options.read_timeout);
    net::async_write(m_stream, http::make_chunk(net::buffer(*data)),
                     [self = shared_from_this(), data](beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->wait_frame();
                     });
  }

  void wait_frame() {
    if (m_server.stopping || std::chrono::steady_clock::now() >= m_events_until)
      return end_stream();
    m_stream.expires_never();
    if (!m_tick) m_tick = std::make_unique<net::steady_timer>(m_stream.get_executor());
    m_tick->expires_after(m_events->every);
    m_tick->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->close();
      std::optional<std::string> frame;
      try {
        frame = self->m_events->next();
      } catch (const std::exception&) {
        frame.reset();
      }
      if (!frame) return self->end_stream();
      self->send_frame(std::move(*frame));
    });
  }

  void end_stream() {
    m_stream.expires_after(std::chrono::seconds(5));
    net::async_write(m_stream, http::make_chunk_last(),
                     [self = shared_from_this()](beast::error_code, std::size_t) {
                       self->m_busy = false;
                       self->close();
                     });
  }

  void write(Response out, bool keep_alive) {
    if (out.stream) return stream(std::move(out));
    auto msg = std::make_shared<Outgoing>();
    msg->head = response_head(out, keep_alive);
    // A HEAD is told the length of what a GET would get, without it; 1xx, 204 and 304
    // carry none (bytes after them would be read as the next answer).
    if (m_request.method != "HEAD" && !bodiless(out.status)) msg->body = std::move(out.body);
    // Most answers fit in the socket's send buffer: written now by one sendmsg, without
    // an asynchronous operation and its timer; what does not fit (a large export, a
    // client that does not read) is written asynchronously under the request's deadline.
    std::array<net::const_buffer, 2> whole{net::buffer(msg->head), net::buffer(msg->body)};
    auto& socket = m_stream.socket();
    beast::error_code ec;
    if (!socket.non_blocking()) socket.non_blocking(true, ec);
    std::size_t sent = ec ? 0 : socket.write_some(whole, ec);
    if (ec && ec != net::error::would_block && ec != net::error::try_again) {
      m_busy = false;
      return close();  // the client left
    }
    if (sent == msg->head.size() + msg->body.size()) return written(keep_alive);
    msg->sent = sent;
    m_stream.expires_after(m_server.options.read_timeout);
    net::async_write(
        m_stream, msg->rest(),
        [self = shared_from_this(), msg, keep_alive](beast::error_code wec, std::size_t) {
          if (wec) {
            self->m_busy = false;
            return self->close();
          }
          self->written(keep_alive);
        });
  }

  void written(bool keep_alive) {
    if (!keep_alive || m_server.stopping) {
      m_busy = false;
      return close();
    }
    wait_request();
  }

  // After an error answer the client may still be sending (a body too large, headers
  // too long, a request refused before its body): closing with unread data would reset
  // the connection and lose the answer, so stop sending, then read and drop up to 1 MiB
  // for at most 2 s, then close.
  void linger() {
    m_linger = false;
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    m_stream.expires_after(std::chrono::seconds(2));
    // Allocated only here: an idle connection costs no drain buffer.
    if (!m_discard) m_discard = std::make_unique<std::array<char, 16384>>();
    drain_some();
  }

  void drain_some() {
    m_stream.async_read_some(net::buffer(*m_discard),
                             [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                               self->m_drained += n;
                               if (ec || self->m_drained > (1U << 20U)) return self->close();
                               self->drain_some();
                             });
  }

  void close() {
    if (m_closed) return;
    if (m_linger) return linger();
    m_closed = true;
    m_idle_since = 0;
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    m_stream.close();
    std::lock_guard<std::mutex> lock(m_server.mutex);
    m_server.live.erase(shared_from_this());
  }

 public:
  ~Session() { m_server.session_ended(); }

 private:
  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  HttpServer::Impl& m_server;
  std::string m_remote;
  Request m_request;
  std::atomic<bool> m_busy{false};
  std::atomic<std::int64_t> m_idle_since{0};
  std::atomic<bool> m_evicting{false};
  bool m_first = true;
  bool m_closed = false;
  bool m_linger = false;
  std::size_t m_drained = 0;
  std::unique_ptr<std::array<char, 16384>> m_discard;
  std::shared_ptr<EventStream> m_events;  // a stream of events being sent
  std::chrono::steady_clock::time_point m_events_until{};
  std::unique_ptr<net::steady_timer> m_tick;
};

}  // namespace

bool HttpServer::Impl::close_longest_idle() {
  std::shared_ptr<Session> oldest;
  const std::int64_t now = steady_ms();
  {
    std::lock_guard<std::mutex> lock(mutex);
    std::int64_t since = 0;
    for (const auto& s : live) {
      // A connection just accepted is not idle yet, whatever its state says: its request
      // may already be on the wire. Only one that waited a quarter of a second is chosen.
      const std::int64_t t = s->idle_since();
      if (t != 0 && !s->evicting() && now - t >= 250 && (since == 0 || t < since)) {
        since = t;
        oldest = s;
      }
    }
  }
  if (!oldest || !oldest->claim_for_eviction()) return false;
  oldest->close_if_idle();
  return true;
}

void HttpServer::Impl::accept_later(std::chrono::milliseconds wait) {
  accept_pause.expires_after(wait);
  accept_pause.async_wait([this](beast::error_code ec) {
    if (!ec && !stopping) accept();
  });
}

void HttpServer::Impl::accept() {
  if (stopping) return;
  // At the cap: make room by closing the connection idle the longest, and accept again
  // once it is gone; with none idle, wait (the listen queue holds the newcomers).
  if (sessions >= cap) {
    const bool freed = close_longest_idle();
    backoff = freed ? std::chrono::milliseconds(5)
                    : std::min(std::chrono::milliseconds(500),
                               std::max(std::chrono::milliseconds(20), backoff * 2));
    return accept_later(backoff);
  }
  net::io_context& target = *contexts[next];
  next = (next + 1) % contexts.size();
  acceptor.async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (stopping || ec == net::error::operation_aborted) return;
      // Out of descriptors (EMFILE, ENFILE) or memory: accepting again at once would
      // spin on the same error. Free an idle connection and back off.
      close_longest_idle();
      backoff = std::min(std::chrono::milliseconds(1000),
                         std::max(std::chrono::milliseconds(50), backoff * 2));
      return accept_later(backoff);
    }
    backoff = std::chrono::milliseconds(0);
    if (stopping) return;
    ++sessions;
    auto s = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard<std::mutex> lock(mutex);
      live.insert(s);
    }
    s->start();
    accept();
  });
}

void HttpServer::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  net::dispatch(acceptor.get_executor(), [this] {
    beast::error_code ec;
    acceptor.close(ec);
    accept_pause.cancel();
  });
  signals.cancel();
  std::vector<std::shared_ptr<Session>> now;
  {
    std::lock_guard<std::mutex> lock(mutex);
    now.assign(live.begin(), live.end());
  }
  for (const auto& s : now) s->close_if_idle();
  drain.expires_after(options.drain_timeout);
  // At the drain time, requests still running are abandoned; when the last connection
  // ends before, the timer is cancelled: either way every thread then returns.
  drain.async_wait([this](beast::error_code) { stop_all(); });
  if (sessions == 0) drain.cancel();
}

void HttpServer::Impl::session_ended() {
  if (--sessions == 0 && stopping) net::post(*contexts.front(), [this] { drain.cancel(); });
}

HttpServer::HttpServer(HttpOptions options, Handlers handlers)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(handlers))) {
  auto& a = m_impl->acceptor;
  beast::error_code ec;
  const auto address = net::ip::make_address(m_impl->options.address, ec);
  if (ec)
    throw std::runtime_error("cannot listen on '" + m_impl->options.address +
                             "': not an IP address");
  const tcp::endpoint endpoint(address, m_impl->options.port);
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + m_impl->options.address + ":" +
                             std::to_string(m_impl->options.port) + ": " + ec.message());
  }
}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const {
  return m_impl->acceptor.local_endpoint().port();
}

std::size_t HttpServer::max_connections() const {
  return m_impl->cap;
}

void HttpServer::stop() {
  // From any thread: the stop itself runs on the first context, beside the acceptor and
  // the drain timer it touches.
  net::post(*m_impl->contexts.front(), [this] { m_impl->begin_stop(); });
}

void HttpServer::run() {
  m_impl->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) m_impl->begin_stop();
  });
  m_impl->accept();
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < m_impl->contexts.size(); ++i)
    pool.emplace_back([this, i] {
      t_context = m_impl->contexts[i].get();
      m_impl->contexts[i]->run();
      t_context = nullptr;
    });
  t_context = m_impl->contexts.front().get();
  m_impl->contexts.front()->run();
  t_context = nullptr;
  m_impl->stop_all();  // the first context ended: so do the others
  for (auto& t : pool) t.join();
}

}  // namespace racine::server

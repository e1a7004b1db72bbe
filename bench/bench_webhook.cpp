// The cost of a webhook delivery on a new connection against one kept open
// (notify::Connections, issue 32): N signed POSTs of 600 bytes to a keep-alive receiver on
// 127.0.0.1 in this process (a thread per connection), each way, twice; prints each
// attempt's p50 and p99 and the process's processor time per POST (receiver included).
//
// usage: bench_webhook [N]   (default 2000)
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "notify/send.h"

namespace {

using namespace racine;

// A keep-alive HTTP receiver on 127.0.0.1 that counts the TCP connections it accepts and
// keeps each request's head; it answers 200 (Content-Length: 0) and keeps the connection.
class Receiver {
 public:
  Receiver() {
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(m_listener, 16);
    socklen_t len = sizeof addr;
    getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_accepting = std::thread([this] {
      for (;;) {
        const int fd = ::accept(m_listener, nullptr, nullptr);
        if (fd < 0) return;
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_accepted;
        m_fds.push_back(fd);
        m_serving.emplace_back([this, fd] { serve(fd); });
      }
    });
  }
  ~Receiver() {
    ::shutdown(m_listener, SHUT_RDWR);
    ::close(m_listener);
    m_accepting.join();
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      for (const int fd : m_fds) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : m_serving) t.join();
    for (const int fd : m_fds) ::close(fd);
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;
  [[nodiscard]] int port() const { return m_port; }
  int accepted() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_accepted;
  }
  std::vector<std::string> heads() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_heads;
  }

 private:
  void serve(int fd) {
    std::string in;
    char buf[4096];
    for (;;) {
      const auto end = in.find("\r\n\r\n");
      if (end == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        in.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      const std::string head = in.substr(0, end);
      std::size_t length = 0;
      std::string lower = head;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (const auto at = lower.find("\r\ncontent-length:"); at != std::string::npos)
        length = std::stoul(lower.substr(at + 17));
      while (in.size() < end + 4 + length) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        in.append(buf, static_cast<std::size_t>(n));
      }
      in.erase(0, end + 4 + length);
      {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_heads.push_back(head);
      }
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
      if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) return;
    }
  }

  int m_listener = -1;
  int m_port = 0;
  std::mutex m_mutex;
  int m_accepted = 0;
  std::vector<int> m_fds;
  std::vector<std::string> m_heads;
  std::thread m_accepting;
  std::vector<std::thread> m_serving;
};

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
  for (int round = 0; round < 2; ++round) {
    for (const bool kept : {false, true}) {
      Receiver receiver;
      notify::Connections keep;
      notify::Webhook w;
      w.url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
      w.body = std::string(600, 'x');
      w.idempotency_key.assign(1, 'k');
      w.secret.assign(1, 's');
      std::vector<double> us;
      const std::clock_t c0 = std::clock();
      for (int i = 0; i < n; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto out = kept ? notify::post(w, &keep) : notify::post(w);
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                .count());
        if (!out.ok) {
          std::fprintf(stderr, "bench_webhook: %s\n", out.error.c_str());
          return 1;
        }
      }
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      std::sort(us.begin(), us.end());
      std::printf(
          "%s: %d POSTs, %d connections, p50 %.0f us, p99 %.0f us, processor %.0f us/POST\n",
          kept ? "kept open " : "new each  ", n, receiver.accepted(), us[us.size() / 2],
          us[us.size() * 99 / 100], cpu * 1e6 / n);
    }
  }
  return 0;
}

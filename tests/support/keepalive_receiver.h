#pragma once
// Shared by the tests of kept webhook connections (tests/server/test_abuse.cpp) and their
// benchmark (bench/bench_webhook.cpp).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace racine_support {

// A keep-alive HTTP receiver on 127.0.0.1 that counts the TCP connections it accepts and
// keeps each request's head; it answers 200 (Content-Length: 0) and keeps the connection.
class KeepAliveReceiver {
 public:
  KeepAliveReceiver() {
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
  ~KeepAliveReceiver() {
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
  KeepAliveReceiver(const KeepAliveReceiver&) = delete;
  KeepAliveReceiver& operator=(const KeepAliveReceiver&) = delete;
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

}  // namespace racine_support

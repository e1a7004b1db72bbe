#pragma once
// A real `racine serve` for end-to-end tests: started on 127.0.0.1 with a port of its
// own choosing (--listen 127.0.0.1:0, the port read from its first line), stopped with
// SIGTERM (or killed with SIGKILL), and a small blocking HTTP/1.1 client.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace racine::test {

struct HttpResult {
  int status = 0;  // 0: no answer (connection refused or closed)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  [[nodiscard]] std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return "";
  }
};

// One request on a new connection (Connection: close). `raw` sends the bytes as they are.
// A TCP connection to 127.0.0.1:port (or -1).
inline int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline HttpResult http_raw(std::uint16_t port, const std::string& bytes, int timeout_ms = 20000) {
  HttpResult r;
  const int fd = connect_loopback(port);
  if (fd < 0) return r;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string in;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto head_end = in.find("\r\n\r\n");
  if (in.size() < 12 || head_end == std::string::npos) return r;
  r.status = std::stoi(in.substr(9, 3));
  std::size_t at = in.find("\r\n") + 2;
  while (at < head_end) {
    const auto eol = in.find("\r\n", at);
    const std::string line = in.substr(at, eol - at);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(name, value);
    }
    at = eol + 2;
  }
  r.body = in.substr(head_end + 4);
  return r;
}

inline HttpResult http(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& token = "", const std::string& body = "",
                       const std::string& content_type = "application/json",
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  for (const auto& [name, value] : headers) req += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    req += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n";
  }
  req += "\r\n" + body;
  return http_raw(port, req);
}

// `racine serve ARGS... --listen 127.0.0.1:0`, its standard output read until it says
// where it listens. The admin token, when printed (first start), is kept.
class ServerProcess {
 public:
  // Standard error goes to `log` when given (else nowhere, or to the test's own with
  // RACINE_TEST_SERVER_LOG set).
  // `nofile`: the descriptor limit the server runs under (0: the test's own).
  ServerProcess(const std::string& racine, std::vector<std::string> args,
                const std::string& log = "", rlim_t nofile = 0) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    m_pid = fork();
    if (m_pid == 0) {
      if (nofile != 0) {
        const rlimit lim{nofile, nofile};
        setrlimit(RLIMIT_NOFILE, &lim);
      }
      dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      if (!log.empty()) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
      } else if (std::getenv("RACINE_TEST_SERVER_LOG") == nullptr) {
        const int null = ::open("/dev/null", O_WRONLY);
        dup2(null, 2);
      }
      std::vector<std::string> all = {racine, "serve", "--listen", "127.0.0.1:0"};
      all.insert(all.end(), args.begin(), args.end());
      // Standard output is a pipe: the first admin token goes to a file of this process's
      // own (several servers of one test run share a working folder).
      if (std::find(args.begin(), args.end(), "--admin-token-file") == args.end()) {
        all.push_back("--admin-token-file");
        all.push_back(token_file());
      }
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(racine.c_str(), argv.data());
      _exit(127);
    }
    ::close(out[1]);
    m_out = fdopen(out[0], "r");
    char line[4096];
    while (std::fgets(line, sizeof line, m_out) != nullptr) {
      const std::string l(line);
      m_output += l;
      if (l.starts_with("admin token: ")) m_admin = l.substr(13, l.size() - 14);
      constexpr std::string_view k_file = "the first admin token is in ";
      if (const auto at = l.find(k_file); at != std::string::npos) {
        const std::string path =
            l.substr(at + k_file.size(), l.find(" (", at) - at - k_file.size());
        if (FILE* f = std::fopen(path.c_str(), "r"); f != nullptr) {
          char token[128] = {};
          if (std::fgets(token, sizeof token, f) != nullptr) {
            m_admin = token;
            while (!m_admin.empty() && m_admin.back() == '\n') m_admin.pop_back();
          }
          std::fclose(f);
        }
      }
      if (const auto at = l.find("serving on http://127.0.0.1:"); at != std::string::npos) {
        m_port = static_cast<std::uint16_t>(std::stoi(l.substr(at + 28)));
        break;
      }
    }
    if (m_port == 0) throw std::runtime_error("racine serve did not start: " + m_output);
  }

  ~ServerProcess() {
    if (m_pid > 0) {
      kill(m_pid, SIGKILL);
      waitpid(m_pid, nullptr, 0);
    }
    if (m_out != nullptr) std::fclose(m_out);
  }

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return m_port; }
  [[nodiscard]] pid_t pid() const { return m_pid; }
  [[nodiscard]] const std::string& admin_token() const { return m_admin; }
  [[nodiscard]] const std::string& output() const { return m_output; }

  // SIGTERM, then the exit status (or -1 after `timeout`, having killed it).
  int terminate(std::chrono::seconds timeout = std::chrono::seconds(30)) {
    return stop(SIGTERM, timeout);
  }
  void kill_now() { stop(SIGKILL, std::chrono::seconds(10)); }

 private:
  int stop(int signal, std::chrono::seconds timeout) {
    if (m_pid <= 0) return -1;
    kill(m_pid, signal);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
    return -1;
  }

  // A path of this process's own for a started server's first admin token.
  static std::string token_file() {
    static std::atomic<int> n{0};
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp != nullptr ? tmp : "/tmp") + "/racine-test-admin-" +
           std::to_string(::getpid()) + "-" + std::to_string(++n);
  }

  pid_t m_pid = -1;
  FILE* m_out = nullptr;
  std::uint16_t m_port = 0;
  std::string m_admin;
  std::string m_output;
};

}  // namespace racine::test

#include "notify/egress.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>

#include <atomic>
#include <cstring>
#include <future>
#include <memory>
#include <thread>

namespace racine::notify {

namespace {

Address from_v4(const std::uint8_t* b) {
  Address a{};
  a[10] = 0xff;
  a[11] = 0xff;
  std::memcpy(a.data() + 12, b, 4);
  return a;
}

bool is_mapped(const Address& a) {
  for (std::size_t i = 0; i < 10; ++i) {
    if (a[i] != 0) return false;
  }
  return a[10] == 0xff && a[11] == 0xff;
}

Cidr v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, int bits) {
  const std::uint8_t bytes[4] = {a, b, c, d};
  return Cidr{from_v4(bytes), 96 + bits};
}

Cidr v6(const char* text, int bits) {
  Address a{};
  inet_pton(AF_INET6, text, a.data());
  return Cidr{a, bits};
}

struct Range {
  Cidr cidr;
  const char* why;
};

// IPv4's special-purpose ranges (RFC 6890 and IANA's registry) that a webhook on the
// Internet never needs.
const std::vector<Range>& v4_ranges() {
  static const std::vector<Range> list = {
      {v4(0, 0, 0, 0, 8), "an unspecified (\"this network\") address"},
      {v4(10, 0, 0, 0, 8), "a private address (RFC 1918)"},
      {v4(100, 64, 0, 0, 10), "a shared address (CGNAT, RFC 6598)"},
      {v4(127, 0, 0, 0, 8), "a loopback address"},
      {v4(169, 254, 0, 0, 16), "a link-local address (cloud metadata among them)"},
      {v4(172, 16, 0, 0, 12), "a private address (RFC 1918)"},
      {v4(192, 0, 0, 0, 24), "a reserved address (IETF protocol assignments)"},
      {v4(192, 0, 2, 0, 24), "a documentation address"},
      {v4(192, 88, 99, 0, 24), "a reserved address (6to4 relay)"},
      {v4(192, 168, 0, 0, 16), "a private address (RFC 1918)"},
      {v4(198, 18, 0, 0, 15), "a benchmarking address"},
      {v4(198, 51, 100, 0, 24), "a documentation address"},
      {v4(203, 0, 113, 0, 24), "a documentation address"},
      {v4(224, 0, 0, 0, 4), "a multicast address"},
      {v4(240, 0, 0, 0, 4), "a reserved or broadcast address"},
  };
  return list;
}

const std::vector<Range>& v6_ranges() {
  static const std::vector<Range> list = {
      {v6("::", 128), "an unspecified address"},
      {v6("::1", 128), "a loopback address"},
      {v6("100::", 64), "a discard address"},
      {v6("2001::", 32), "a Teredo address"},
      {v6("2001:db8::", 32), "a documentation address"},
      {v6("fc00::", 7), "a unique local (private) address"},
      {v6("fe80::", 10), "a link-local address"},
      {v6("fec0::", 10), "a site-local address"},
      {v6("ff00::", 8), "a multicast address"},
  };
  return list;
}

// The IPv4 address an IPv6 address carries, when it is one of the forms that do.
std::optional<Address> embedded_v4(const Address& a) {
  if (is_mapped(a)) return a;
  bool zero96 = true;  // ::a.b.c.d (IPv4-compatible, deprecated)
  for (std::size_t i = 0; i < 12; ++i) zero96 = zero96 && a[i] == 0;
  if (zero96 && (a[12] | a[13] | a[14] | a[15]) != 0 &&
      !(a[15] == 1 && a[12] == 0 && a[13] == 0 && a[14] == 0))
    return from_v4(a.data() + 12);
  static const Cidr nat64 = v6("64:ff9b::", 96);
  static const Cidr nat64_local = v6("64:ff9b:1::", 48);
  if (nat64.contains(a) || nat64_local.contains(a)) return from_v4(a.data() + 12);
  if (a[0] == 0x20 && a[1] == 0x02) return from_v4(a.data() + 2);  // 6to4: 2002:AABB:CCDD::
  return std::nullopt;
}

}  // namespace

bool Cidr::contains(const Address& a) const {
  int left = bits;
  for (std::size_t i = 0; i < 16 && left > 0; ++i, left -= 8) {
    const auto mask = static_cast<std::uint8_t>(
        left >= 8 ? 0xffU : (0xffU << static_cast<unsigned>(8 - left)) & 0xffU);
    if ((a[i] & mask) != (base[i] & mask)) return false;
  }
  return true;
}

std::optional<Address> parse_address(std::string_view text) {
  const std::string s(text);
  Address a{};
  std::uint8_t four[4];
  if (inet_pton(AF_INET, s.c_str(), four) == 1) return from_v4(four);
  if (inet_pton(AF_INET6, s.c_str(), a.data()) == 1) return a;
  return std::nullopt;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  const bool four = is_mapped(*address) && text.substr(0, slash).find(':') == std::string::npos;
  int bits = four ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view b = text.substr(slash + 1);
    if (b.empty() || b.size() > 3 || b.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    bits = std::stoi(std::string(b));
    if (bits > (four ? 32 : 128)) return std::nullopt;
  }
  return Cidr{*address, four ? bits + 96 : bits};
}

std::string address_text(const Address& a) {
  char buf[INET6_ADDRSTRLEN];
  if (is_mapped(a)) {
    inet_ntop(AF_INET, a.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<std::string> special_purpose(const Address& a) {
  if (const auto four = embedded_v4(a)) {
    for (const auto& r : v4_ranges()) {
      if (r.cidr.contains(*four)) return std::string(r.why);
    }
    return std::nullopt;
  }
  for (const auto& r : v6_ranges()) {
    if (r.cidr.contains(a)) return std::string(r.why);
  }
  return std::nullopt;
}

std::vector<Address> EgressPolicy::interface_addresses() {
  std::vector<Address> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      out.push_back(from_v4(reinterpret_cast<const std::uint8_t*>(&in->sin_addr)));
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      Address a{};
      std::memcpy(a.data(), &in6->sin6_addr, 16);
      out.push_back(a);
    }
  }
  freeifaddrs(list);
  return out;
}

std::optional<std::string> EgressPolicy::check(const Address& a) const {
  // The server's own addresses first: an allowed range never opens the server itself;
  // only naming the very address does (a /32 or /128).
  const std::string text = address_text(a);
  const Address plain = embedded_v4(a).value_or(a);
  for (const auto& o : own) {
    if (o != a && o != plain) continue;
    for (const auto& c : allow) {
      if (c.bits == 128 && c.contains(plain)) return std::nullopt;
    }
    return text + " is an address of this server";
  }
  for (const auto& c : allow) {
    if (c.contains(a)) return std::nullopt;
  }
  if (auto why = special_purpose(a)) return text + " is " + *why;
  return std::nullopt;
}

std::optional<std::string> EgressPolicy::check(const sockaddr* sa) const {
  if (sa == nullptr) return "no address";
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    return check(from_v4(reinterpret_cast<const std::uint8_t*>(&in->sin_addr)));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    Address a{};
    std::memcpy(a.data(), &in6->sin6_addr, 16);
    return check(a);
  }
  return "an address family other than IPv4 and IPv6";
}

std::optional<std::string> url_host(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  if (!u) return std::nullopt;
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
    return std::nullopt;
  char* host = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || host == nullptr)
    return std::nullopt;
  std::string h(host);
  curl_free(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  // A zone id ("fe80::1%25eth0") is the interface, not the address.
  if (const auto pct = h.find('%'); pct != std::string::npos && h.find(':') != std::string::npos)
    h.erase(pct);
  // "127.0.0.1." is the same host as "127.0.0.1" (a rooted name): judged without the dot.
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (h.empty()) return std::nullopt;
  return h;
}

std::optional<std::string> url_origin(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  if (!u ||
      curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
    return std::nullopt;
  std::string out;
  for (const auto part : {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT}) {
    char* text = nullptr;
    if (curl_url_get(u.get(), part, &text, part == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0) !=
            CURLUE_OK ||
        text == nullptr)
      return std::nullopt;
    out += part == CURLUPART_SCHEME ? std::string(text) + "://"
           : part == CURLUPART_HOST ? std::string(text) + ":"
                                    : std::string(text);
    curl_free(text);
  }
  return out;
}

EgressPolicy::Verdict EgressPolicy::check_url(const std::string& url,
                                              std::chrono::milliseconds timeout) const {
  using Kind = Verdict::Kind;
  const auto host = url_host(url);
  if (!host) return {Kind::denied, "the URL has no host"};
  // Numeric forms are what they say ("0x7f.1", "2130706433", "0177.0.0.1" included:
  // getaddrinfo reads them as inet_aton does, as libcurl will).
  if (const auto literal = parse_address(*host)) {
    if (auto why = check(*literal)) return {Kind::denied, *why};
    return {};
  }
  // A name: every address it resolves to must be allowed. getaddrinfo has no timeout of
  // its own: it runs on a thread of its own, one at a time in the process.
  static std::atomic<bool> resolving{false};
  if (resolving.exchange(true))
    return {Kind::retry, "another receiver's name is being resolved: try again in a second"};
  auto task = std::make_shared<std::packaged_task<std::vector<Address>()>>([name = *host] {
    std::vector<Address> out;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(name.c_str(), nullptr, &hints, &res) == 0) {
      for (const addrinfo* i = res; i != nullptr; i = i->ai_next) {
        if (i->ai_family == AF_INET) {
          const auto* in = reinterpret_cast<const sockaddr_in*>(i->ai_addr);
          out.push_back(from_v4(reinterpret_cast<const std::uint8_t*>(&in->sin_addr)));
        } else if (i->ai_family == AF_INET6) {
          const auto* in6 = reinterpret_cast<const sockaddr_in6*>(i->ai_addr);
          Address a{};
          std::memcpy(a.data(), &in6->sin6_addr, 16);
          out.push_back(a);
        }
      }
      freeaddrinfo(res);
    }
    resolving = false;  // the next resolution may start only now
    return out;
  });
  auto answer = task->get_future();
  std::thread([task] { (*task)(); }).detach();
  if (answer.wait_for(timeout) != std::future_status::ready)
    return {Kind::retry, "'" + *host + "' did not resolve within " +
                             std::to_string(timeout.count()) + " ms: try again"};
  for (const auto& a : answer.get()) {
    if (auto why = check(a)) return {Kind::denied, "'" + *host + "' resolves to " + *why};
  }
  return {};
}

}  // namespace racine::notify

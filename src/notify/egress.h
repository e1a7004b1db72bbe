#pragma once
// Where a tenant's receiver may send (docs/server.md, "Threat model"; DESIGN.md, "Who may
// act"): never to loopback, private, link-local (cloud metadata included), CGNAT,
// multicast, reserved or unspecified addresses, nor to the server's own, in any spelling
// (IPv4-mapped or embedded in IPv6, decimal, octal or hexadecimal forms, names that
// resolve there). A URL is checked when the receiver is saved (its host resolved) and
// again when a delivery connects, against the address actually dialled, since a name's
// answer can change in between. The operator widens the policy with allowed ranges.

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racine::notify {

// An address as 16 bytes (IPv4 as ::ffff:a.b.c.d).
using Address = std::array<std::uint8_t, 16>;

struct Cidr {
  Address base{};
  int bits = 0;  // of the 128
  [[nodiscard]] bool contains(const Address& a) const;
};

// "10.0.0.0/8", "fd00::/8", or a single address ("192.0.2.7" is /32); nullopt otherwise.
std::optional<Cidr> parse_cidr(std::string_view text);

// A numeric address written as inet_pton takes it, as 16 bytes; nullopt otherwise.
std::optional<Address> parse_address(std::string_view text);

// The address in its usual spelling ("127.0.0.1", "::1").
std::string address_text(const Address& a);

// Why a global webhook may not reach `a` ("a loopback address"), or nullopt when `a` is
// a public address. IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4) is judged
// as the IPv4 address.
std::optional<std::string> special_purpose(const Address& a);

class EgressPolicy {
 public:
  std::vector<Cidr> allow;   // the operator's exceptions (--egress-allow)
  std::vector<Address> own;  // the server's own addresses (its interfaces')

  // The addresses of this machine's interfaces (getifaddrs).
  static std::vector<Address> interface_addresses();

  // nullopt when a tenant's receiver may connect to `a`, else why not.
  [[nodiscard]] std::optional<std::string> check(const Address& a) const;
  [[nodiscard]] std::optional<std::string> check(const sockaddr* sa) const;

  // What a URL's check says.
  struct Verdict {
    enum class Kind : std::uint8_t { allowed, denied, retry } kind = Kind::allowed;
    std::string why;  // denied: the address and its range; retry: what to wait for
  };
  // A URL's host, numeric forms and names alike: allowed when every address it resolves
  // to is (or it resolves to nothing yet: the connection is checked again), else denied
  // with why. A name is resolved by one resolution at a time in the whole process, given
  // `resolve_timeout`: while one runs, or when it does not answer in time, the verdict is
  // `retry` (a caller's thread is never held longer, and a resolver that hangs holds one
  // thread, not one per request).
  [[nodiscard]] Verdict check_url(
      const std::string& url,
      std::chrono::milliseconds resolve_timeout = std::chrono::milliseconds(1000)) const;
};

// "scheme://host:port" of a URL as libcurl's parser reads it (the scheme's port when none
// is written), or nullopt.
std::optional<std::string> url_origin(const std::string& url);

// The host of an http(s) URL as libcurl's parser reads it (brackets of an IPv6 literal
// removed), or nullopt when it is not a URL libcurl would send to.
std::optional<std::string> url_host(const std::string& url);

}  // namespace racine::notify

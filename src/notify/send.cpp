#include "notify/send.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>
#include <vector>

namespace racine::notify {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0) return;  // hmac_sha256_hex then reports nothing useful
  });
}

struct Easy {
  CURL* h = nullptr;
  Easy() {
    global_init();
    h = curl_easy_init();
  }
  ~Easy() {
    if (h != nullptr) curl_easy_cleanup(h);
  }
  Easy(const Easy&) = delete;
  Easy& operator=(const Easy&) = delete;
};

struct Headers {
  curl_slist* list = nullptr;
  void add(const std::string& h) { list = curl_slist_append(list, h.c_str()); }
  ~Headers() { curl_slist_free_all(list); }
};

// The answer's body, kept up to 64 KiB (the rest read and dropped).
size_t keep_some(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  constexpr std::size_t k_max = 64 * 1024;
  if (out->size() < k_max) out->append(data, std::min(size * n, k_max - out->size()));
  return size * n;
}

struct Captured {
  std::optional<std::string> retry_after;
};

size_t header_line(char* data, size_t size, size_t n, void* user) {
  const std::string_view line(data, size * n);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    bool match = true;
    for (std::size_t i = 0; i < name.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
    if (match) {
      std::string v(line.substr(name.size()));
      v.erase(0, v.find_first_not_of(" \t"));
      v.erase(v.find_last_not_of(" \t\r\n") + 1);
      static_cast<Captured*>(user)->retry_after = v;
    }
  }
  return size * n;
}

struct Upload {
  std::string_view rest;
};

size_t read_upload(char* buffer, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t take = std::min(size * n, u->rest.size());
  std::memcpy(buffer, u->rest.data(), take);
  u->rest.remove_prefix(take);
  return take;
}

std::string base64(std::string_view s) {
  std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()),
                    s.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// A header value without line breaks (nothing from an alert can add a header).
std::string one_line(std::string s) {
  std::replace_if(
      s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return s;
}

std::string rfc5322_date() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

std::string hmac_sha256_hex(const std::string& secret, const std::string& body) {
  global_init();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  std::string out(sizeof mac * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), mac, sizeof mac);
  out.pop_back();
  return out;
}

std::optional<std::int64_t> parse_retry_after(const std::string& value, std::int64_t now_s) {
  if (!value.empty() && value.size() <= 9 &&
      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::stoll(value) * 1000;
  }
  const std::time_t t = curl_getdate(value.c_str(), nullptr);
  if (t < 0) return std::nullopt;
  return std::max<std::int64_t>(0, (static_cast<std::int64_t>(t) - now_s) * 1000);
}

namespace {

struct Dial {
  const EgressPolicy* policy = nullptr;
  std::string denied;  // why the policy refused the address, when it did
};

// libcurl asks for each socket it would connect: the address is the one it dials.
curl_socket_t open_checked(void* user, curlsocktype, curl_sockaddr* address) {
  auto* dial = static_cast<Dial*>(user);
  if (dial->policy != nullptr) {
    if (auto why = dial->policy->check(&address->addr)) {
      dial->denied = *why;
      return CURL_SOCKET_BAD;
    }
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace

std::string signature(const std::string& secret, std::int64_t timestamp, const std::string& body) {
  return "sha256=" + hmac_sha256_hex(secret, std::to_string(timestamp) + "." + body);
}

namespace {

// Which connections a delivery may reuse: those opened under the same check of the
// address dialled (Connections in send.h).
std::string policy_key(const Webhook& w) {
  // Through a proxy, which applies the network's policy: the provider's receivers and the
  // tenants' keep apart all the same.
  if (!w.proxy.empty()) return "proxy " + w.proxy + (w.policy == nullptr ? " provider" : " tenant");
  if (w.policy == nullptr) return "unchecked";
  std::string key = "checked";
  for (const auto& c : w.policy->allow)
    key += " allow " + address_text(c.base) + "/" + std::to_string(c.bits);
  for (const auto& a : w.policy->own) key += " own " + address_text(a);
  return key;
}

}  // namespace

struct Connections::Impl {
  // A handle (and so a connection cache) per policy key, the most recently used first.
  std::vector<std::pair<std::string, CURL*>> handles;
  static constexpr std::size_t k_policies = 4;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    for (auto& one : handles) curl_easy_cleanup(one.second);
  }

  CURL* handle_for(const std::string& key) {
    for (auto it = handles.begin(); it != handles.end(); ++it) {
      if (it->first != key) continue;
      std::rotate(handles.begin(), it, it + 1);
      return handles.front().second;
    }
    global_init();
    CURL* h = curl_easy_init();
    if (h == nullptr) return nullptr;
    handles.emplace_back(key, h);
    std::rotate(handles.begin(), handles.end() - 1, handles.end());  // the most recent first
    if (handles.size() > k_policies) {
      curl_easy_cleanup(handles.back().second);
      handles.pop_back();
    }
    return h;
  }
};

Connections::Connections() : m_impl(std::make_unique<Impl>()) {}
Connections::~Connections() = default;

Outcome post(const Webhook& w, Connections* keep) {
  Outcome out;
  std::optional<Easy> fresh;
  if (keep == nullptr) fresh.emplace();
  CURL* h = keep != nullptr ? keep->impl().handle_for(policy_key(w)) : fresh->h;
  if (h == nullptr) {
    out.error = "libcurl could not start";
    return out;
  }
  // A kept handle starts from libcurl's defaults (its open connections stay), and returns
  // to them after: nothing of one delivery (headers, body, method, timeout, the check's
  // state) reaches the next.
  struct Reset {
    CURL* h;
    bool kept;
    ~Reset() {
      if (kept) curl_easy_reset(h);
    }
  } reset{h, keep != nullptr};
  if (keep != nullptr) curl_easy_reset(h);
  Headers headers;
  headers.add("Content-Type: " + one_line(w.content_type));
  headers.add("Idempotency-Key: " + one_line(w.idempotency_key));
  for (const auto& extra : w.headers) headers.add(one_line(extra));
  if (w.secret) {
    const std::int64_t ts =
        w.timestamp != 0 ? w.timestamp : static_cast<std::int64_t>(std::time(nullptr));
    headers.add("X-Racine-Timestamp: " + std::to_string(ts));
    headers.add("X-Racine-Signature: " + signature(*w.secret, ts, w.body));
  }
  headers.add("Expect:");
  Dial dial{w.proxy.empty() ? w.policy : nullptr, {}};
  Captured captured;
  curl_easy_setopt(h, CURLOPT_URL, w.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(w.timeout_ms));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<std::int64_t>(w.timeout_ms, 5000)));
  curl_easy_setopt(h, CURLOPT_USERAGENT, "racine");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, w.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(w.body.size()));
  if (w.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, w.method.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_some);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.response);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_line);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &captured);
  // Through the operator's proxy, which then applies the network's policy; otherwise
  // each address dialled is checked (a name's answer may have changed since it was
  // saved). No proxy from the environment: only the one the operator configured.
  curl_easy_setopt(h, CURLOPT_PROXY, w.proxy.c_str());
  curl_easy_setopt(h, CURLOPT_NOPROXY, "");  // NO_PROXY from the environment never bypasses it
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_checked);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &dial);
  if (keep != nullptr) {
    curl_easy_setopt(h, CURLOPT_MAXCONNECTS, Connections::k_per_policy);
    curl_easy_setopt(h, CURLOPT_MAXAGE_CONN, Connections::k_idle_s);
    curl_easy_setopt(h, CURLOPT_MAXLIFETIME_CONN, Connections::k_lifetime_s);
    curl_easy_setopt(h, CURLOPT_DNS_CACHE_TIMEOUT, 0L);  // a new connection resolves anew
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    if (!dial.denied.empty()) {
      out.denied = true;
      out.error = "egress denied: " + dial.denied;
    } else {
      out.error = curl_easy_strerror(rc);
    }
    return out;
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  out.status = static_cast<int>(status);
  out.ok = status >= 200 && status < 300;
  if (!out.ok) out.error = "HTTP " + std::to_string(status);
  if (captured.retry_after)
    out.retry_after_ms = parse_retry_after(*captured.retry_after, std::time(nullptr));
  return out;
}

Outcome send(const Email& e) {
  Outcome out;
  Easy easy;
  if (easy.h == nullptr) {
    out.error = "libcurl could not start";
    return out;
  }
  const bool ascii = std::all_of(e.subject.begin(), e.subject.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const std::string subject =
      ascii ? one_line(e.subject) : "=?UTF-8?B?" + base64(one_line(e.subject)) + "?=";
  std::string message = "From: " + one_line(e.from) + "\r\nTo: " + one_line(e.to) +
                        "\r\nSubject: " + subject + "\r\nDate: " + rfc5322_date() +
                        "\r\nMessage-ID: <" + one_line(e.message_id) +
                        "@racine>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                        "charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  const std::string body = base64(e.body);
  for (std::size_t at = 0; at < body.size(); at += 76) message += body.substr(at, 76) + "\r\n";
  Upload upload{message};
  Headers rcpt;
  rcpt.add("<" + one_line(e.to) + ">");
  CURL* h = easy.h;
  const std::string from = "<" + one_line(e.from) + ">";
  curl_easy_setopt(h, CURLOPT_URL, e.relay.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(e.timeout_ms));
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.list);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  const CURLcode rc = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  out.status = static_cast<int>(code);
  if (rc != CURLE_OK) {
    out.error = std::string("SMTP: ") + curl_easy_strerror(rc);
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace racine::notify

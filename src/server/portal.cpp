#include "server/portal.h"

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/embedded.h"

namespace racine::server {

namespace {

std::string_view media_type(std::string_view name) {
  auto ends = [&](std::string_view ext) { return name.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

// A strong validator of the content: FNV-1a 64 (the files change only with the binary).
std::string etag_of(std::string_view content) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : content) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

Response not_found() {
  return Response{404,
                  "application/json",
                  R"({"error":{"code":"not_found","message":"no such portal file"}})",
                  {}};
}

}  // namespace

std::optional<Response> portal_asset(std::string_view method, std::string_view path,
                                     std::string_view if_none_match) {
  std::string name;
  if (path == "/") {
    name = "web/index.html";
  } else if (path.starts_with("/assets/")) {
    const std::string_view rest = path.substr(8);
    // Embedded names only: no percent-escapes, no dot segments, nothing hidden.
    if (rest.empty() || rest.find("..") != std::string_view::npos ||
        rest.find('%') != std::string_view::npos || rest.front() == '/' ||
        rest.find("/.") != std::string_view::npos || rest.front() == '.') {
      return not_found();
    }
    name = "web/" + std::string(rest);
  } else {
    return std::nullopt;
  }
  if (method != "GET") {
    return Response{
        405,
        "application/json",
        R"({"error":{"code":"method_not_allowed","message":"only GET is allowed here"}})",
        {{"Allow", "GET"}}};
  }
  const std::string_view content = embedded::find(name);
  if (content.empty()) return not_found();
  std::string etag = etag_of(content);
  Response r;
  r.headers = {{"Content-Security-Policy", std::string(k_portal_csp)},
               {"Cache-Control", "no-cache"},
               {"ETag", etag},
               {"Referrer-Policy", "no-referrer"},
               {"X-Frame-Options", "DENY"}};
  if (!if_none_match.empty() &&
      (if_none_match == etag || if_none_match.find(etag) != std::string_view::npos)) {
    r.status = 304;
    r.content_type = std::string(media_type(name));
    return r;
  }
  r.status = 200;
  r.content_type = std::string(media_type(name));
  r.body = std::string(content);
  return r;
}

}  // namespace racine::server

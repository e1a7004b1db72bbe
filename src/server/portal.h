#pragma once
// The web portal's static files (web/ at the project root, compiled into the binary by
// cmake/embed.cmake): `/` is web/index.html, `/assets/NAME` is web/NAME. They are served
// without a token, before authentication, with their Content-Type, a strict
// Content-Security-Policy (everything from this origin only, no inline script or style,
// never framed), an ETag (answered 304 on If-None-Match) and `Cache-Control: no-cache`
// (the browser keeps them and revalidates). docs/portal.md.

#include <optional>
#include <string_view>

#include "server/http.h"

namespace racine::server {

// The Content-Security-Policy of the portal's pages.
inline constexpr std::string_view k_portal_csp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The answer for a portal path (`/`, `/assets/...`), or nullopt when `path` is not one.
// `path` is the raw path (no query); `if_none_match` the request's header or "".
std::optional<Response> portal_asset(std::string_view method, std::string_view path,
                                     std::string_view if_none_match);

}  // namespace racine::server

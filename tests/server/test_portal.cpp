// The portal's static files served by a real `racine serve` (docs/portal.md): without a
// token, with their Content-Type, the strict Content-Security-Policy, an ETag answered
// 304, and nothing outside web/ reachable through /assets/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../store/store_engines.h"
#include "server_process.h"

namespace racine::test {
namespace {

std::string web_file(const std::string& name) {
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/web/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* const k_csp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

class PortalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string where = fresh_store("sqlite");
    server = std::make_unique<ServerProcess>(
        RACINE_BINARY,
        std::vector<std::string>{"--data",
                                 std::filesystem::path(where.substr(7)).parent_path().string()});
  }
  std::unique_ptr<ServerProcess> server;
};

TEST_F(PortalTest, PagesAndAssetsAreServedWithoutATokenWithTheirTypeAndTheCsp) {
  const struct {
    const char* target;
    const char* file;
    const char* type;
  } cases[] = {
      {"/", "index.html", "text/html; charset=utf-8"},
      {"/assets/app.js", "app.js", "text/javascript; charset=utf-8"},
      {"/assets/style.css", "style.css", "text/css; charset=utf-8"},
      {"/assets/i18n/fr.json", "i18n/fr.json", "application/json"},
      {"/assets/i18n/en.json", "i18n/en.json", "application/json"},
      {"/assets/icon.svg", "icon.svg", "image/svg+xml"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target);
    const auto r = http(server->port(), "GET", c.target);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), c.type);
    EXPECT_EQ(r.body, web_file(c.file));
    EXPECT_EQ(r.header("content-security-policy"), k_csp);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("cache-control"), "no-cache");
    EXPECT_EQ(r.header("x-frame-options"), "DENY");
    EXPECT_EQ(r.header("etag").size(), 18U) << r.header("etag");
  }
  // The API keeps its own: never stored, no CSP needed on JSON.
  const auto api = http(server->port(), "GET", "/api/v1/matrices", server->admin_token());
  EXPECT_EQ(api.status, 200);
  EXPECT_EQ(api.header("cache-control"), "no-store");
}

// The roles' colours: generated from data/palette.csv into the binary (no file under
// web/), served like the portal's other files, each role's fill and ink as the palette
// says.
TEST_F(PortalTest, ThePaletteIsServedFromDataPaletteCsv) {
  const auto r = http(server->port(), "GET", "/assets/palette.css");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(r.header("content-security-policy"), k_csp);
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/data/palette.csv");
  ASSERT_TRUE(in) << "data/palette.csv";
  std::string line;
  int roles = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find(',');
    const auto b = line.find(',', a + 1);
    ASSERT_NE(b, std::string::npos) << line;
    const std::string key = line.substr(0, a);
    const std::string fill = line.substr(a + 1, b - a - 1);
    const std::string ink = line.substr(b + 1);
    EXPECT_NE(r.body.find("--role-" + key + ": " + fill + "; --role-" + key + "-ink: " + ink + ";"),
              std::string::npos)
        << key;
    EXPECT_NE(r.body.find(".role-" + key + " { background: var(--role-" + key +
                          "); color: var(--role-" + key + "-ink); }"),
              std::string::npos)
        << key;
    ++roles;
  }
  EXPECT_EQ(roles, 7);  // R, A, C, I, S, D and "other"
}

TEST_F(PortalTest, AnUnchangedFileIsAnswered304ByItsEtag) {
  const auto first = http(server->port(), "GET", "/assets/app.js");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.header("etag");
  const auto again = http_raw(server->port(),
                              "GET /assets/app.js HTTP/1.1\r\nHost: x\r\n"
                              "Connection: close\r\nIf-None-Match: " +
                                  etag + "\r\n\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.header("etag"), etag);
  const auto other = http_raw(server->port(),
                              "GET /assets/app.js HTTP/1.1\r\nHost: x\r\n"
                              "Connection: close\r\nIf-None-Match: \"0\"\r\n\r\n");
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, web_file("app.js"));
}

TEST_F(PortalTest, NothingOutsideWebIsReachableAndOnlyGetIsAllowed) {
  for (const char* target :
       {"/assets/", "/assets/../openapi.json", "/assets/..%2Fdata/managed-kubernetes.md",
        "/assets/%2e%2e/x", "/assets//etc/passwd", "/assets/.hidden", "/assets/i18n/../app.js",
        "/assets/nope.js", "/assets/managed-kubernetes.md", "/assets/rules/RAC201.md"}) {
    SCOPED_TRACE(target);
    const auto r = http(server->port(), "GET", target);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":{"code":"not_found","message":"no such portal file"}})");
  }
  const auto post = http(server->port(), "POST", "/assets/app.js", "", "x", "text/plain");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("allow"), "GET");
  // Other paths are the API's as before: a token is needed.
  EXPECT_EQ(http(server->port(), "GET", "/index.html").status, 404);
  EXPECT_EQ(http(server->port(), "GET", "/api/v1/matrices").status, 401);
}

}  // namespace
}  // namespace racine::test

// `racine serve` end to end, on SQLite and on PostgreSQL: first start, the contract flow
// (options, lookups, a new version, the upgrade diff, acceptance, the audit log), the
// attack suite (a tenant's tokens against another tenant's resources), durability
// across SIGKILL, two instances on one PostgreSQL, graceful shutdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "../store/store_engines.h"
#include "engine_test.h"
#include "server_process.h"
#include "store/store.h"
#include "support/zip_writer.h"

namespace racine::test {
namespace {

using nlohmann::json;

std::string racine_binary() {
  return RACINE_BINARY;
}

std::string seed_text() {
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/data/managed-kubernetes.md",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class ServerTest : public EngineTest {
 protected:
  // Rate limits are off unless a test sets one: the attack suite's calls must reach the
  // routes (a 429 would prove nothing about isolation).
  std::unique_ptr<ServerProcess> start(std::vector<std::string> extra = {}) {
    auto a = args;
    if (std::find(extra.begin(), extra.end(), "--rate-limit") == extra.end()) {
      a.insert(a.end(), {"--rate-limit", "0"});
    }
    a.insert(a.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>(racine_binary(), a);
  }

  std::string token(std::uint16_t port, const std::string& admin, const std::string& role,
                    const std::string& tenant = "") {
    json body = {{"role", role}, {"name", role + " for tests"}};
    if (!tenant.empty()) body["tenant"] = tenant;
    const auto r = http(port, "POST", "/api/v1/tokens", admin, body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body, nullptr, false).value("token", "");
  }

  // Tenants acme and globex, each with a contract "main" on the built-in matrix (acme
  // with the managed-services option); returns {editor, acme, acme-ingest, globex}.
  std::map<std::string, std::string> two_tenants(std::uint16_t port, const std::string& admin) {
    std::map<std::string, std::string> t;
    t["editor"] = token(port, admin, "editor");
    for (const auto& [id, options] : std::vector<std::pair<std::string, json>>{
             {"acme", json::array({"infogerance-complementaire"})}, {"globex", json::array()}}) {
      EXPECT_EQ(http(port, "PUT", "/api/v1/tenants/" + id, t["editor"],
                     json{{"name", id + " corp"}}.dump())
                    .status,
                201);
      const json contract = {{"matrix", "managed-kubernetes"},
                             {"version", 1},
                             {"options", options},
                             {"party", "Client"}};
      const auto r = http(port, "PUT", "/api/v1/tenants/" + id + "/contracts/main", t["editor"],
                          contract.dump());
      EXPECT_EQ(r.status, 201) << r.body;
    }
    t["acme"] = token(port, admin, "tenant", "acme");
    t["acme-ingest"] = token(port, admin, "ingest", "acme");
    t["globex"] = token(port, admin, "tenant", "globex");
    return t;
  }
};

TEST_P(ServerTest, FirstStartImportsTheBuiltInMatrixAndPrintsAnAdminTokenOnce) {
  auto s = start();
  EXPECT_NE(
      s->output().find(
          "imported the built-in matrix as managed-kubernetes version 1: 2 errors, 1 warnings"),
      std::string::npos)
      << s->output();
  EXPECT_NE(
      s->output().find(
          "<builtin:managed-kubernetes>:53:1: error: 'Gérer la sécurité du service Kubernetes': "
          "2 parties are Accountable (Client, Cloud Temple): exactly one must be "
          "[RAC202]\n<builtin:managed-kubernetes>:57:1: error: 'Implémenter et gérer le "
          "contrôle d'accès basé sur les rôles de base (RBAC)': no party is Accountable (Client "
          "C, Cloud Temple R) [RAC201]\n"),
      std::string::npos)
      << s->output();
  ASSERT_EQ(s->admin_token().size(), 68U) << s->output();
  const auto m = http(s->port(), "GET", "/api/v1/matrices", s->admin_token());
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(json::parse(m.body),
            json::parse(R"([{"id":"managed-kubernetes","title":)" +
                        json::parse(m.body)[0]["title"].dump() + R"(,"latest":1}])"));
  const auto lint =
      json::parse(http(s->port(), "GET", "/api/v1/matrices/managed-kubernetes/versions/1/lint",
                       s->admin_token())
                      .body);
  EXPECT_EQ(lint["summary"]["errors"], 2);
  EXPECT_EQ(s->terminate(), 0);

  auto again = start();
  EXPECT_TRUE(again->admin_token().empty()) << again->output();
  EXPECT_EQ(again->output().find("imported"), std::string::npos);
  EXPECT_EQ(http(again->port(), "GET", "/api/v1/matrices", s->admin_token()).status, 200);
}

TEST_P(ServerTest, PublicEndpointsAndAuthentication) {
  auto s = start();
  EXPECT_EQ(http(s->port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(http(s->port(), "GET", "/readyz").status, 200);
  const auto openapi = http(s->port(), "GET", "/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  EXPECT_EQ(json::parse(openapi.body)["openapi"], "3.1.0");
  const auto none = http(s->port(), "GET", "/api/v1/matrices");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(json::parse(none.body)["error"]["code"], "unauthenticated");
  EXPECT_EQ(http(s->port(), "GET", "/api/v1/matrices", "rac_" + std::string(64, '0')).status, 401);
  EXPECT_EQ(http(s->port(), "GET", "/api/v1/nothing", s->admin_token()).status, 404);
  EXPECT_EQ(http(s->port(), "DELETE", "/api/v1/matrices", s->admin_token()).status, 405);
  const auto metrics = http(s->port(), "GET", "/metrics");
  EXPECT_NE(
      metrics.body.find(
          "racine_http_requests_total{route=\"/api/v1/matrices\",method=\"GET\",status=\"401\"} 2"),
      std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("racine_http_request_duration_seconds_count"), std::string::npos);
}

// Tokens and contracts are cached for a second (docs/server.md, "Scale"), but what this
// instance changes takes effect at once: a revoked token fails on its next request, and
// a contract's new options change its next lookup.
TEST_P(ServerTest, RevocationsAndContractChangesTakeEffectAtOnce) {
  auto s = start();
  const auto port = s->port();
  auto t = two_tenants(port, s->admin_token());
  const auto made = http(port, "POST", "/api/v1/tokens", s->admin_token(),
                         R"({"role":"tenant","tenant":"acme","name":"short-lived"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = json::parse(made.body)["id"];
  const std::string secret = json::parse(made.body)["token"];
  const std::string who = "/api/v1/tenants/acme/contracts/main/who?q=pipelines+CI";
  ASSERT_EQ(http(port, "GET", who, secret).status, 200);  // now remembered
  ASSERT_EQ(http(port, "DELETE", "/api/v1/tokens/" + id, s->admin_token()).status, 200);
  EXPECT_EQ(http(port, "GET", who, secret).status, 401);
  EXPECT_EQ(http(port, "GET", who, t["acme"]).status, 200);  // the others still work

  auto roles = [&] {
    return json::parse(http(port, "GET", who, t["acme"]).body)["matches"][0]["roles"].dump();
  };
  EXPECT_EQ(roles(), R"({"client":"I","cloud-temple":"RA"})");  // with the option
  const auto put =
      http(port, "PUT", "/api/v1/tenants/acme/contracts/main", t["editor"],
           R"({"matrix":"managed-kubernetes","version":1,"options":[],"party":"Client"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(roles(), R"({"client":"RA","cloud-temple":"I"})");  // without it, at once
}

// The portal says a refusal in its own words from the error's code (docs/portal.md): a
// token's two client mistakes have a code each, their English unchanged. The versions'
// list names who uploaded each (the portal shows names, not token ids).
TEST_P(ServerTest, TokenMistakesHaveTheirCodesAndVersionsNameTheirUploader) {
  auto s = start();
  const auto port = s->port();
  auto t = two_tenants(port, s->admin_token());
  const auto missing =
      http(port, "POST", "/api/v1/tokens", s->admin_token(), R"({"role":"tenant","name":"x"})");
  ASSERT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(json::parse(missing.body)["error"]["code"], "tenant_required");
  EXPECT_EQ(json::parse(missing.body)["error"]["message"],
            "a tenant or ingest token needs a tenant");
  const auto extra = http(port, "POST", "/api/v1/tokens", s->admin_token(),
                          R"({"role":"editor","tenant":"acme","name":"x"})");
  ASSERT_EQ(extra.status, 400) << extra.body;
  EXPECT_EQ(json::parse(extra.body)["error"]["code"], "tenant_not_allowed");
  EXPECT_EQ(json::parse(extra.body)["error"]["message"],
            "only tenant and ingest tokens have a tenant");

  const std::string v2 = replace_once(
      seed_text(),
      "| Mettre en oeuvre et gérer les sauvegardes du service Kubernetes            | I ",
      "| Mettre en oeuvre et gérer les sauvegardes du service Kubernetes            | C ");
  ASSERT_EQ(http(port, "POST", "/api/v1/matrices/managed-kubernetes/versions?force=true",
                 t["editor"], v2, "text/markdown")
                .status,
            201);
  const auto versions = json::parse(
      http(port, "GET", "/api/v1/matrices/managed-kubernetes/versions", t["editor"]).body);
  ASSERT_EQ(versions.size(), 2U);
  EXPECT_EQ(versions[0]["by_name"], versions[0]["by"]);   // the built-in version: "system"
  EXPECT_NE(versions[1]["by"], "editor for tests");       // a token's id...
  EXPECT_EQ(versions[1]["by_name"], "editor for tests");  // ...and its name
}

TEST_P(ServerTest, ContractFlow) {
  auto s = start();
  const auto port = s->port();
  auto t = two_tenants(port, s->admin_token());

  // The effective matrix: the 11 delegable rows moved to Cloud Temple.
  const auto base = json::parse(
      http(port, "GET", "/api/v1/matrices/managed-kubernetes/versions/1", t["acme"]).body);
  const auto eff =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/contracts/main/matrix", t["acme"]).body);
  int changed = 0;
  for (std::size_t si = 0; si < base["sections"].size(); ++si) {
    for (std::size_t ai = 0; ai < base["sections"][si]["activities"].size(); ++ai) {
      const auto& a = eff["sections"][si]["activities"][ai];
      if (a["roles"] != base["sections"][si]["activities"][ai]["roles"]) ++changed;
      if (a["title"] == "Configurer les pipelines CI/CD") {
        EXPECT_EQ(a["roles"].dump(), R"({"client":"I","cloud-temple":"RA"})");
      }
    }
  }
  EXPECT_EQ(changed, 11);

  const auto who = http(
      port, "GET", "/api/v1/tenants/acme/contracts/main/who?q=qui+sauvegarde+les+applications+%3F",
      t["acme"]);
  ASSERT_EQ(who.status, 200) << who.body;
  const auto answer = json::parse(who.body);
  // The two application-backup rows first, moved to Cloud Temple by the option.
  std::set<std::string> top = {answer["matches"][0]["title"], answer["matches"][1]["title"]};
  EXPECT_EQ(top,
            (std::set<std::string>{"Définir la stratégie de sauvegarde pour les applications",
                                   "Mettre en oeuvre et gérer les sauvegardes des applications"}))
      << who.body;
  EXPECT_EQ(answer["matches"][0]["roles"].dump(), R"({"client":"I","cloud-temple":"RA"})");
  // The answer names the option that moved the row (issue 29).
  EXPECT_EQ(answer["matches"][0]["via"].dump(), R"(["infogerance-complementaire"])");
  // Asked again: the remembered answer, the same bytes; with another limit, its own.
  EXPECT_EQ(http(port, "GET",
                 "/api/v1/tenants/acme/contracts/main/who?q=qui+sauvegarde+les+applications+%3F",
                 t["acme"])
                .body,
            who.body);
  ASSERT_GT(answer["matches"].size(), 1U);
  const auto one = json::parse(
      http(port, "GET",
           "/api/v1/tenants/acme/contracts/main/who?q=qui+sauvegarde+les+applications+%3F&limit=1",
           t["acme"])
          .body);
  ASSERT_EQ(one["matches"].size(), 1U);
  EXPECT_EQ(one["matches"][0], answer["matches"][0]);
  // As you type: a half word is no verdict, and its prefix finds the rows.
  const std::string half = "/api/v1/tenants/acme/contracts/main/who?q=qui+sauveg";
  EXPECT_EQ(json::parse(http(port, "GET", half, t["acme"]).body)["outcome"], "gray_zone");
  const auto typing = json::parse(http(port, "GET", half + "&partial=1", t["acme"]).body);
  EXPECT_NE(typing["outcome"], "gray_zone");
  EXPECT_NE(typing["matches"][0]["id"].get<std::string>().find("sauvegarde"), std::string::npos);
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/acme/contracts/main/who?q=qui+xq&partial=1", t["acme"])
              .body)["outcome"],
      "empty");
  const auto bad_partial = http(port, "GET", half + "&partial=yes", t["acme"]);
  EXPECT_EQ(bad_partial.status, 400);
  EXPECT_EQ(bad_partial.body, R"({"error":{"code":"bad_partial","message":"partial is 0 or 1"}})");
  // A query that is not UTF-8 is the client's mistake, never a 500.
  for (const char* q : {"who?q=%FF%FE", "duties?party=%C3", "who?q=ok&%FF=1"}) {
    const auto bad =
        http(port, "GET", std::string("/api/v1/tenants/acme/contracts/main/") + q, t["acme"]);
    EXPECT_EQ(bad.status, 400) << q;
    EXPECT_EQ(bad.body,
              R"({"error":{"code":"bad_query","message":"the query string is not valid UTF-8"}})")
        << q;
  }
  const auto duties = json::parse(
      http(port, "GET", "/api/v1/tenants/acme/contracts/main/duties?role=R", t["acme"]).body);
  EXPECT_EQ(duties["party"], "client");
  const auto options =
      json::parse(http(port, "GET", "/api/v1/tenants/acme/contracts/main/options", t["acme"]).body);
  ASSERT_EQ(options.size(), 1U);
  EXPECT_EQ(options[0]["id"], "infogerance-complementaire");
  EXPECT_EQ(options[0]["included"], true);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/contracts/main/upgrade", t["acme"]).status,
            404);

  // A new version: the contract stays on version 1 until the tenant accepts.
  const std::string v2 = replace_once(
      seed_text(),
      "| Mettre en oeuvre et gérer les sauvegardes du service Kubernetes            | I ",
      "| Mettre en oeuvre et gérer les sauvegardes du service Kubernetes            | C ");
  EXPECT_EQ(http(port, "POST", "/api/v1/matrices/managed-kubernetes/versions", t["acme"], v2,
                 "text/markdown")
                .status,
            403);
  const auto up = http(port, "POST", "/api/v1/matrices/managed-kubernetes/versions", t["editor"],
                       v2, "text/markdown");
  ASSERT_EQ(up.status, 422) << up.body;  // the seed's two errors
  EXPECT_EQ(json::parse(up.body)["summary"]["errors"], 2);
  const auto forced = http(port, "POST", "/api/v1/matrices/managed-kubernetes/versions?force=true",
                           t["editor"], v2, "text/markdown");
  ASSERT_EQ(forced.status, 201) << forced.body;
  EXPECT_EQ(json::parse(forced.body)["version"], 2);
  const auto same = http(port, "POST", "/api/v1/matrices/managed-kubernetes/versions?force=true",
                         t["editor"], v2, "text/markdown");
  EXPECT_EQ(same.status, 200);
  EXPECT_EQ(json::parse(same.body)["version"], 2);
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/acme/contracts/main", t["acme"]).body)["version"],
      1);

  const auto preview = http(port, "GET", "/api/v1/tenants/acme/contracts/main/upgrade", t["acme"]);
  ASSERT_EQ(preview.status, 200) << preview.body;
  const auto p = json::parse(preview.body);
  EXPECT_EQ(p["from"], 1);
  EXPECT_EQ(p["to"], 2);
  ASSERT_EQ(p["diff"]["changes"].size(), 1U) << preview.body;
  EXPECT_EQ(p["diff"]["changes"][0]["kind"], "changed");
  EXPECT_EQ(p["diff"]["changes"][0]["new"]["title"],
            "Mettre en oeuvre et gérer les sauvegardes du service Kubernetes");
  EXPECT_EQ(p["diff"]["changes"][0]["roles"].dump(), R"({"Client":{"new":"C","old":"I"}})");

  EXPECT_EQ(http(port, "POST", "/api/v1/tenants/acme/contracts/main/upgrade", t["acme"],
                 R"({"version":1})")
                .status,
            409);
  // The consent is to the diff shown: another diff's hash is refused, nothing moves.
  const std::string shown = p["diff_sha256"];
  EXPECT_EQ(shown.size(), 64U);
  const auto stale = http(port, "POST", "/api/v1/tenants/acme/contracts/main/upgrade", t["acme"],
                          R"({"version":2,"diff_sha256":")" + std::string(64, '0') + R"("})");
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(json::parse(stale.body)["error"]["code"], "diff_changed");
  const auto accepted = http(port, "POST", "/api/v1/tenants/acme/contracts/main/upgrade", t["acme"],
                             R"({"version":2,"diff_sha256":")" + shown + R"("})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const auto moved = json::parse(accepted.body);
  EXPECT_EQ(moved["version"], 2);
  // Named consent: who, from and to, the diff's hash; the history is the evidence.
  // A client's token: the client's side, named as the client was then.
  EXPECT_EQ(
      moved["accepted"]["by"].dump(),
      R"({"kind":"token","name":"tenant for tests","organisation":"acme corp","side":"client"})");
  EXPECT_EQ(moved["accepted"]["from"], 1);
  EXPECT_EQ(moved["accepted"]["to"], 2);
  EXPECT_EQ(moved["accepted"]["diff_sha256"], shown);
  const auto history = json::parse(
      http(port, "GET", "/api/v1/tenants/acme/contracts/main/history", s->admin_token()).body);
  ASSERT_EQ(history["consents"].size(), 1U) << history;
  EXPECT_EQ(history["consents"][0], moved["accepted"]);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/contracts/main/history", t["globex"]).status,
            404);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/acme/contracts/main/upgrade", t["acme"]).status,
            404);
  EXPECT_EQ(
      json::parse(
          http(port, "GET", "/api/v1/tenants/globex/contracts/main", t["globex"]).body)["version"],
      1);

  const auto audit =
      json::parse(http(port, "GET", "/api/v1/audit?tenant=acme", s->admin_token()).body);
  std::vector<std::string> actions;
  for (const auto& e : audit) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"contract.upgrade", "token.create", "token.create",
                                               "contract.create", "tenant.create"}));
  // Every line names who, by the token's name: the tenant's own upgrade, the admin's
  // tokens, the editor's contract and tenant.
  std::vector<std::string> by;
  for (const auto& e : audit) by.push_back(e["by"]);
  EXPECT_EQ(by, (std::vector<std::string>{"tenant for tests", "first admin", "first admin",
                                          "editor for tests", "editor for tests"}));
  const auto all = json::parse(http(port, "GET", "/api/v1/audit", s->admin_token()).body);
  EXPECT_EQ(all[1]["action"], "version.create");
  EXPECT_EQ(all[1]["target"], "managed-kubernetes@2");
}

// The version workflow: an upload's dry run (its lint and its diff against the latest,
// stored nowhere; editors and admins only), then which clients are behind the latest.
TEST_P(ServerTest, UploadDryRunStoresNothingAndListsTheClientsBehind) {
  auto s = start();
  const auto port = s->port();
  auto t = two_tenants(port, s->admin_token());
  const std::string viewer = token(port, s->admin_token(), "viewer");
  const std::string versions = "/api/v1/matrices/managed-kubernetes/versions";
  // One cell changed: "sauvegardes du service Kubernetes", the client I -> C.
  const std::string v2 = replace_once(
      seed_text(),
      "| Mettre en oeuvre et gérer les sauvegardes du service Kubernetes            | I ",
      "| Mettre en oeuvre et gérer les sauvegardes du service Kubernetes            | C ");
  for (const auto& who : {t["acme"], viewer}) {
    EXPECT_EQ(http(port, "POST", versions + "?dry_run=true", who, v2, "text/markdown").status, 403);
  }
  for (const auto& who : {t["editor"], s->admin_token()}) {
    const auto dry = http(port, "POST", versions + "?dry_run=true", who, v2, "text/markdown");
    ASSERT_EQ(dry.status, 200) << dry.body;  // lint errors and all: nothing is saved
    const auto j = json::parse(dry.body);
    EXPECT_EQ(j["matrix"], "managed-kubernetes");
    EXPECT_EQ(j["dry_run"], true);
    EXPECT_EQ(j["latest"], 1);
    EXPECT_EQ(j["same_as"], nullptr);
    EXPECT_EQ(j["summary"].dump(), R"({"errors":2,"infos":15,"warnings":1})");
    std::vector<std::string> codes;
    for (const auto& d : j["lint"]["files"][0]["diagnostics"])
      codes.push_back(d["code"].get<std::string>() + "@" + std::to_string(d["line"].get<int>()));
    // The seed's findings, as `racine lint` reports them.
    EXPECT_EQ(codes, (std::vector<std::string>{
                         "RAC202@53", "RAC201@57", "RAC204@70", "RAC204@71", "RAC204@108",
                         "RAC204@109", "RAC204@110", "RAC204@111", "RAC204@112", "RAC204@113",
                         "RAC204@114", "RAC204@115", "RAC204@116", "RAC204@117", "RAC204@118",
                         "RAC204@119", "RAC204@120", "RAC302@122"}));
    // The diff against version 1: the one cell.
    EXPECT_EQ(
        j["diff"]["changes"].dump(),
        R"([{"kind":"changed","kinds":["changed"],"markers":{},"match":"title",)"
        R"("new":{"line":67,"title":"Mettre en oeuvre et gérer les sauvegardes du service Kubernetes"},)"
        R"("old":{"line":67,"title":"Mettre en oeuvre et gérer les sauvegardes du service Kubernetes"},)"
        R"("roles":{"Client":{"new":"C","old":"I"}},"section":"Sauvegarde et reprise après sinistre"}])");
  }
  // Nothing stored: still one version, and the audit log's only version.create is
  // version 1's import.
  EXPECT_EQ(json::parse(http(port, "GET", versions, t["editor"]).body).size(), 1U);
  const auto audit = json::parse(http(port, "GET", "/api/v1/audit", s->admin_token()).body);
  std::vector<std::string> created;
  for (const auto& e : audit) {
    if (e["action"] == "version.create") created.push_back(e["target"]);
  }
  EXPECT_EQ(created, (std::vector<std::string>{"managed-kubernetes@1"}));
  // The same bytes as version 1: saving would answer it; no change.
  const auto same = json::parse(
      http(port, "POST", versions + "?dry_run=true", t["editor"], seed_text(), "text/markdown")
          .body);
  EXPECT_EQ(same["same_as"], 1);
  EXPECT_EQ(same["note_conflict"], nullptr);
  EXPECT_EQ(same["diff"]["changes"].size(), 0U);
  // With a note other than version 1's (none): saving would answer 409 note_conflict, and
  // the dry run says so in the same words; the same bytes with no note would not.
  const auto noted = http(port, "POST", versions + "?dry_run=true&note=Sauvegardes", t["editor"],
                          seed_text(), "text/markdown");
  ASSERT_EQ(noted.status, 200) << noted.body;
  const auto refused = http(port, "POST", versions + "?force=true&note=Sauvegardes", t["editor"],
                            seed_text(), "text/markdown");
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["error"]["code"], "note_conflict");
  EXPECT_EQ(json::parse(noted.body)["note_conflict"],
            json::parse(refused.body)["error"]["message"]);
  EXPECT_EQ(json::parse(noted.body)["note_conflict"],
            "these bytes are already version 1 of 'managed-kubernetes', without a release note: "
            "a version's note does not change once said; upload without ?note to get that "
            "version, or change the document for a new one");
  const auto new_bytes = http(port, "POST", versions + "?dry_run=true&note=Sauvegardes",
                              t["editor"], v2, "text/markdown");
  EXPECT_EQ(json::parse(new_bytes.body)["note_conflict"], nullptr) << "new bytes take any note";
  // A new matrix: no latest, no diff, and still no matrix.
  const auto fresh = http(port, "POST", "/api/v1/matrices/fresh/versions?dry_run=true", t["editor"],
                          v2, "text/markdown");
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(json::parse(fresh.body)["latest"], nullptr);
  EXPECT_EQ(json::parse(fresh.body)["diff"], nullptr);
  EXPECT_EQ(http(port, "GET", "/api/v1/matrices/fresh/versions", t["editor"]).status, 404);

  // Who is on which version: both on the latest; then version 2, and acme accepts it.
  const std::string clients = "/api/v1/matrices/managed-kubernetes/clients";
  EXPECT_EQ(http(port, "GET", clients, t["acme"]).status, 403);
  EXPECT_EQ(http(port, "GET", "/api/v1/matrices/nothing/clients", viewer).status, 404);
  auto listed = http(port, "GET", clients, viewer);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(
      listed.body,
      R"({"matrix":"managed-kubernetes","latest":1,"behind":0,"contracts":[)"
      R"({"tenant":"acme","tenant_name":"acme corp","contract":"main","version":1,"behind":0},)"
      R"({"tenant":"globex","tenant_name":"globex corp","contract":"main","version":1,"behind":0}]})");
  ASSERT_EQ(http(port, "POST", versions + "?force=true", t["editor"], v2, "text/markdown").status,
            201);
  EXPECT_EQ(json::parse(http(port, "GET", clients, t["editor"]).body)["behind"], 2);
  ASSERT_EQ(http(port, "POST", "/api/v1/tenants/acme/contracts/main/upgrade", t["acme"],
                 R"({"version":2})")
                .status,
            200);
  EXPECT_EQ(
      http(port, "GET", clients, t["editor"]).body,
      R"({"matrix":"managed-kubernetes","latest":2,"behind":1,"contracts":[)"
      R"({"tenant":"globex","tenant_name":"globex corp","contract":"main","version":1,"behind":1},)"
      R"({"tenant":"acme","tenant_name":"acme corp","contract":"main","version":2,"behind":0}]})");

  // A version with a note: the same bytes with the same note (its surrounding blanks
  // trimmed, as saving trims them) or without one would be that version; another note
  // would be refused.
  const std::string noted_versions = "/api/v1/matrices/noted/versions";
  ASSERT_EQ(http(port, "POST", noted_versions + "?force=true&note=Sauvegardes", t["editor"], v2,
                 "text/markdown")
                .status,
            201);
  for (const char* query : {"?dry_run=true&note=Sauvegardes",
                            "?dry_run=true&note=%20Sauvegardes%20", "?dry_run=true"}) {
    const auto j = json::parse(
        http(port, "POST", noted_versions + query, t["editor"], v2, "text/markdown").body);
    EXPECT_EQ(j["same_as"], 1) << query;
    EXPECT_EQ(j["note_conflict"], nullptr) << query;
  }
  EXPECT_EQ(json::parse(http(port, "POST", noted_versions + "?dry_run=true&note=Autre", t["editor"],
                             v2, "text/markdown")
                            .body)["note_conflict"],
            "these bytes are already version 1 of 'noted', whose release note is another: a "
            "version's note does not change once said; upload without ?note to get that version, "
            "or change the document for a new one");
}

// GET /api/v1/me: who the caller is, for every kind of token (the portal needs no
// client id to be typed).
TEST_P(ServerTest, MeSaysWhoTheCallerIs) {
  auto s = start();
  const auto port = s->port();
  auto t = two_tenants(port, s->admin_token());
  auto me = [&](const std::string& token) {
    const auto r = http(port, "GET", "/api/v1/me", token);
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = json::parse(r.body);
    j.erase("id");
    return j.dump();
  };
  EXPECT_EQ(me(s->admin_token()), R"({"kind":"token","name":"first admin","role":"admin"})");
  EXPECT_EQ(me(t["editor"]), R"({"kind":"token","name":"editor for tests","role":"editor"})");
  EXPECT_EQ(me(t["acme"]),
            R"({"kind":"token","name":"tenant for tests","role":"tenant","tenant":"acme",)"
            R"("tenant_name":"acme corp","tenant_role":"approver"})");
  EXPECT_EQ(me(t["acme-ingest"]),
            R"({"kind":"token","name":"ingest for tests","role":"ingest","tenant":"acme",)"
            R"("tenant_name":"acme corp"})");
  EXPECT_EQ(http(port, "GET", "/api/v1/me").status, 401);
}

// A spreadsheet uploaded as a new version is read as the CLI reads it and kept as the
// Markdown it reads as; a damaged one is refused with where, and nothing stored changes.
TEST_P(ServerTest, SpreadsheetUploadsAreReadAndKeptAsText) {
  auto s = start();
  const auto port = s->port();
  const std::string editor = token(port, s->admin_token(), "editor");
  const std::string sheet =
      "<sheetData><row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>Task</t></is></c>"
      "<c r=\"C2\" t=\"inlineStr\"><is><t>Client</t></is></c><c r=\"D2\" t=\"inlineStr\">"
      "<is><t>Provider</t></is></c></row><row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>Back "
      "up volumes</t></is></c><c r=\"C3\" t=\"inlineStr\"><is><t>A</t></is></c><c r=\"D3\" "
      "t=\"inlineStr\"><is><t>R</t></is></c></row><row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is>"
      "<t>Restore</t></is></c><c r=\"C4\" t=\"inlineStr\"><is><t>R</t></is></c></row></sheetData>";
  const std::string xlsx =
      racine::ziptest::make_zip(racine::ziptest::xlsx_parts({{"Plan", sheet}}));
  const std::string type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const auto up = http(port, "POST", "/api/v1/matrices/plan/versions", editor, xlsx, type);
  ASSERT_EQ(up.status, 422) << up.body;  // Restore has no Accountable
  const auto lint = json::parse(up.body);
  ASSERT_EQ(lint["files"][0]["diagnostics"].size(), 1U) << up.body;
  EXPECT_EQ(lint["files"][0]["diagnostics"][0]["code"], "RAC201");
  EXPECT_EQ(lint["files"][0]["diagnostics"][0]["cell"], "Plan!B4");
  const auto forced =
      http(port, "POST", "/api/v1/matrices/plan/versions?force=true", editor, xlsx, type);
  ASSERT_EQ(forced.status, 201) << forced.body;
  const auto v = http(port, "GET", "/api/v1/matrices/plan/versions/1?format=md", editor);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_NE(v.body.find("Back up volumes"), std::string::npos) << v.body;
  const auto bad = http(port, "POST", "/api/v1/matrices/plan/versions?force=true", editor,
                        xlsx.substr(0, xlsx.size() / 2), type);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("plan.xlsx: not a spreadsheet"), std::string::npos) << bad.body;
  const auto versions =
      json::parse(http(port, "GET", "/api/v1/matrices/plan/versions", editor).body);
  EXPECT_EQ(versions.size(), 1U);
}

// The server's HTML page is the CLI's page (both call reports::html_page), in the
// matrix's language: the lint findings on their rows, the delegable cells, and on a
// contract what its options changed.
TEST_P(ServerTest, HtmlPageShowsWhatTheClisPageShows) {
  auto s = start();
  const auto port = s->port();
  auto t = two_tenants(port, s->admin_token());
  auto count = [](const std::string& page, const std::string& what) {
    std::size_t n = 0;
    for (auto at = page.find(what); at != std::string::npos; at = page.find(what, at + 1)) ++n;
    return n;
  };
  // The CLI's page of the built-in matrix, run where no .racine.yaml is found.
  auto cli_page = [](const std::string& extra) {
    const std::string cmd =
        "cd / && " + racine_binary() + " export --format html" + extra + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(WEXITSTATUS(pclose(p)), 0) << out;
    return out;
  };
  const auto version =
      http(port, "GET", "/api/v1/matrices/managed-kubernetes/versions/1?format=html", t["acme"]);
  ASSERT_EQ(version.status, 200) << version.body;
  // In French, the seed's language: 18 findings (17 on rows, 1 on a note).
  EXPECT_EQ(count(version.body, "<li class=\"finding finding-"), 18U);
  EXPECT_EQ(count(version.body,
                  "<li class=\"finding finding-error\"><span class=\"code\">RAC201</span> erreur : "
                  "no party is Accountable"),
            1U);
  EXPECT_EQ(count(version.body, "title=\"option infogerance-complementaire : Ces "), 22U);
  EXPECT_EQ(count(version.body, "class=\"applied\""), 0U);
  EXPECT_EQ(version.body, cli_page(""));

  const auto contract =
      http(port, "GET", "/api/v1/tenants/acme/contracts/main/matrix?format=html", t["acme"]);
  ASSERT_EQ(contract.status, 200) << contract.body;
  EXPECT_EQ(count(contract.body, "<li class=\"finding finding-"), 18U);
  EXPECT_EQ(count(contract.body, "title=\"option infogerance-complementaire : avant "), 22U);
  EXPECT_EQ(count(contract.body,
                  "class=\"applied\">Matrice effective avec l&#39;option "
                  "infogerance-complementaire"),
            1U);
  EXPECT_EQ(contract.body, cli_page(" --with infogerance-complementaire"));
  // A contract without options: its page is the version's.
  EXPECT_EQ(
      http(port, "GET", "/api/v1/tenants/globex/contracts/main/matrix?format=html", t["globex"])
          .body,
      version.body);
}

// Every route, called with acme's tokens on globex's resources, in many spellings:
// nothing of globex is read or written, nothing answers 5xx, the server stays healthy.
TEST_P(ServerTest, AttackSuiteATenantCannotReachAnotherTenant) {
  auto s = start();
  const auto port = s->port();
  auto t = two_tenants(port, s->admin_token());
  const auto before = http(port, "GET", "/api/v1/tenants/globex/contracts/main", t["editor"]).body;

  const std::vector<std::string> tenants = {"globex",
                                            "GLOBEX",
                                            "globex%2F..%2Facme",
                                            "..",
                                            "%2e%2e",
                                            "globex%00",
                                            "x'%20OR%20'1'='1",
                                            "globex;DROP%20TABLE%20tenants",
                                            "%7B%22a%22%3A1%7D",
                                            std::string(300, 'g')};
  const std::vector<std::string> suffixes = {"",
                                             "/contracts",
                                             "/contracts/main",
                                             "/contracts/main/matrix",
                                             "/contracts/main/matrix?format=md",
                                             "/contracts/main/who?q=backup",
                                             "/contracts/main/duties",
                                             "/contracts/main/summary",
                                             "/contracts/main/options",
                                             "/contracts/main/upgrade",
                                             "/contracts/..%2F..%2Fmain"};
  const std::vector<std::pair<std::string, std::string>> methods = {
      {"GET", ""},
      {"PUT", R"({"name":"pwned"})"},
      {"POST", R"({"version":1})"},
      {"DELETE", ""},
      {"PUT", R"({"matrix":"managed-kubernetes","version":1,"options":[],"party":"Client"})"},
      {"POST", "{\"version\": 1, \"x\": \"' OR 1=1 --\"}"},
      {"PUT", "not json"},
      {"PUT", std::string(1 << 16, '[')}};
  int calls = 0;
  for (const std::string who : {"acme", "acme-ingest"}) {
    for (const auto& tenant : tenants) {
      for (const auto& suffix : suffixes) {
        for (const auto& [method, body] : methods) {
          const auto r = http(port, method, "/api/v1/tenants/" + tenant + suffix, t[who], body);
          ++calls;
          ASSERT_GT(r.status, 0) << method << " " << tenant << suffix;
          EXPECT_LT(r.status, 500) << method << " " << tenant << suffix << ": " << r.body;
          EXPECT_NE(r.status, 429) << "rate limited: the call proved nothing";
          EXPECT_NE(r.status / 100, 2) << method << " " << tenant << suffix << ": " << r.body;
          EXPECT_EQ(r.body.find("globex corp"), std::string::npos) << r.body;
        }
      }
    }
    // Wrong content types and methods on the tenant's own routes too.
    EXPECT_EQ(http(port, "PUT", "/api/v1/tenants/acme", t[who], "{}", "text/plain").status, 403);
    EXPECT_EQ(http(port, "GET", "/api/v1/audit", t[who]).status, 403);
    EXPECT_EQ(http(port, "GET", "/api/v1/tokens", t[who]).status, 403);
    EXPECT_EQ(http(port, "POST", "/api/v1/tokens", t[who], R"({"role":"admin"})").status, 403);
  }
  // The same spellings on globex's matrix routes: acme reads only what its contracts use.
  const auto globex_only = http(port, "POST", "/api/v1/matrices/globex-only/versions?force=true",
                                t["editor"], seed_text(), "text/markdown");
  ASSERT_EQ(globex_only.status, 201);
  for (const std::string path :
       {"/api/v1/matrices/globex-only/versions", "/api/v1/matrices/globex-only/versions/1",
        "/api/v1/matrices/globex-only/versions/latest?format=xlsx",
        "/api/v1/matrices/globex-only/versions/1/lint",
        "/api/v1/matrices/globex-only/diff?from=1&to=1",
        "/api/v1/matrices/globex-only/versions/..%2F1"}) {
    const auto r = http(port, "GET", path, t["acme"]);
    EXPECT_EQ(r.status / 100, 4) << path << ": " << r.body;
  }
  const auto listed = json::parse(http(port, "GET", "/api/v1/matrices", t["acme"]).body);
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["id"], "managed-kubernetes");

  // Oversized and malformed requests.
  EXPECT_EQ(http_raw(port, "GARBAGE\r\n\r\n").status, 400);
  const auto big = http_raw(
      port, "POST /api/v1/matrices/x/versions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                t["editor"] + "\r\nContent-Type: text/markdown\r\nContent-Length: " +
                std::to_string(17U << 20U) + "\r\n\r\n" + std::string(1 << 20, 'a'));
  EXPECT_EQ(big.status, 413);
  const auto headers =
      http_raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 << 10, 'h') +
                         "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(headers.status, 431);

  EXPECT_GT(calls, 1000);
  EXPECT_EQ(http(port, "GET", "/healthz").status, 200);
  EXPECT_EQ(http(port, "GET", "/api/v1/tenants/globex/contracts/main", t["editor"]).body, before);
  const auto globex_audit =
      json::parse(http(port, "GET", "/api/v1/audit?tenant=globex", s->admin_token()).body);
  for (const auto& e : globex_audit) EXPECT_NE(e["token"], "") << e.dump();
  EXPECT_EQ(globex_audit.size(), 3U)
      << globex_audit.dump();  // tenant, contract, token: all the admin's
  EXPECT_EQ(s->terminate(), 0);
}

// Uploads from several clients while the server is killed with SIGKILL: after a
// restart, every version answered 201 is there, byte for byte.
TEST_P(ServerTest, NothingAcknowledgedIsLostWhenKilled) {
  auto s = start();
  const std::string admin = s->admin_token();
  const std::string editor = token(s->port(), admin, "editor");
  std::mutex mutex;
  std::map<std::int64_t, std::string> acknowledged;
  std::atomic<bool> stop{false};
  const std::string seed = seed_text();
  std::vector<std::thread> clients;
  const auto port = s->port();
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < 200 && !stop; ++i) {
        const std::string doc =
            seed + "\n<!-- client " + std::to_string(c) + " upload " + std::to_string(i) + " -->\n";
        const auto r = http(port, "POST", "/api/v1/matrices/busy/versions?force=true", editor, doc,
                            "text/markdown");
        if (r.status != 201) continue;
        const auto v = json::parse(r.body)["version"].get<std::int64_t>();
        std::lock_guard<std::mutex> lock(mutex);
        acknowledged[v] = doc;
      }
    });
  }
  std::mt19937 gen{std::random_device{}()};
  std::this_thread::sleep_for(std::chrono::milliseconds(300 + gen() % 700));
  s->kill_now();
  stop = true;
  for (auto& th : clients) th.join();
  ASSERT_GT(acknowledged.size(), 0U);

  auto again = start();
  for (const auto& [v, doc] : acknowledged) {
    const auto r =
        http(again->port(), "GET",
             "/api/v1/matrices/busy/versions/" + std::to_string(v) + "?format=json", admin);
    ASSERT_EQ(r.status, 200) << "version " << v;
  }
  const auto versions =
      json::parse(http(again->port(), "GET", "/api/v1/matrices/busy/versions", admin).body);
  EXPECT_GE(versions.size(), acknowledged.size());
  EXPECT_EQ(again->terminate(), 0);
  auto store = store::Store::open(where, 1);
  EXPECT_EQ(store->integrity_check(), "ok");
  for (const auto& [v, doc] : acknowledged) {
    const auto stored = store->get_version(store::Principal::system(), "busy", v);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->document, doc);
  }
}

TEST_P(ServerTest, GracefulShutdownFinishesRequestsInFlight) {
  auto s = start();
  const auto port = s->port();
  const std::string admin = s->admin_token();
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        const auto r =
            http(port, "GET", "/api/v1/matrices/managed-kubernetes/versions/1?format=xlsx", admin);
        if (r.status == 200) {
          ++ok;
        } else if (r.status == 0) {
          ++refused;
        } else {
          ADD_FAILURE() << r.status << " " << r.body;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(s->terminate(), 0);
  for (auto& th : clients) th.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(ok + refused, 200);
}

TEST_P(ServerTest, RateLimitsAnswer429WithRetryAfter) {
  auto s = start({"--rate-limit", "1"});
  int limited = 0;
  std::string retry;
  for (int i = 0; i < 5; ++i) {
    const auto r = http(s->port(), "GET", "/api/v1/matrices", s->admin_token());
    if (r.status == 429) {
      ++limited;
      retry = r.header("retry-after");
      EXPECT_EQ(json::parse(r.body)["error"]["code"], "rate_limited");
    } else {
      EXPECT_EQ(r.status, 200);
    }
  }
  EXPECT_GE(limited, 2);  // a burst of 2, then 1 per second
  EXPECT_EQ(retry, "1");
  EXPECT_EQ(http(s->port(), "GET", "/healthz").status, 200);  // public endpoints are not limited
}

TEST_P(ServerTest, LogsOneJsonLinePerRequestAndNeverTheToken) {
  const std::string log =
      (std::filesystem::temp_directory_path() / ("racine-log-" + std::to_string(getpid())))
          .string();
  std::string admin;
  {
    ServerProcess s(racine_binary(), args, log);
    admin = s.admin_token();
    EXPECT_EQ(http(s.port(), "GET", "/api/v1/matrices", admin).status, 200);
    EXPECT_EQ(http(s.port(), "GET", "/api/v1/matrices/managed-kubernetes/versions/9", admin).status,
              404);
    EXPECT_EQ(http(s.port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(s.terminate(), 0);
  }
  std::ifstream in(log);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) {
    EXPECT_EQ(line.find(admin), std::string::npos) << "the token is in the log";
    lines.push_back(json::parse(line));
  }
  std::filesystem::remove(log);
  ASSERT_EQ(lines.size(), 3U);
  // Each thread writes its own lines: requests on connections answered by different
  // threads may be logged in another order than they were answered (docs/server.md).
  std::sort(lines.begin(), lines.end(), [](const json& a, const json& b) {
    return a["route"].get<std::string>() > b["route"].get<std::string>();
  });
  EXPECT_EQ(lines[0]["route"], "/healthz");
  EXPECT_EQ(lines[0]["token"], "-");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_EQ(lines[1]["route"], "/api/v1/matrices/{m}/versions/{v}");
  EXPECT_EQ(lines[1]["status"], 404);
  EXPECT_EQ(lines[2]["method"], "GET");
  EXPECT_EQ(lines[2]["route"], "/api/v1/matrices");
  EXPECT_EQ(lines[2]["status"], 200);
  EXPECT_TRUE(lines[2]["token"].get<std::string>().starts_with("tok-"));
  EXPECT_TRUE(lines[2]["duration_ms"].is_number());
}

TEST_P(ServerTest, TokenCreateWorksOfflineOnTheSameStore) {
  std::string admin;
  {
    auto s = start();
    admin = s->admin_token();
    ASSERT_EQ(http(s->port(), "PUT", "/api/v1/tenants/acme", admin, R"({"name":"ACME"})").status,
              201);
    EXPECT_EQ(s->terminate(), 0);
  }
  auto run = [&](std::vector<std::string> extra, std::string& out) {
    std::string cmd = racine_binary() + " token create";
    for (const auto& a : args) cmd += " '" + a + "'";
    for (const auto& a : extra) cmd += " " + a;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    char buf[512];
    out.clear();
    while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    const int status = pclose(p);
    return WEXITSTATUS(status);
  };
  std::string out;
  EXPECT_EQ(run({"--role", "admin", "--tenant", "acme"}, out), 2);
  EXPECT_EQ(out, "racine: only tenant and ingest tokens take --tenant\n");
  EXPECT_EQ(run({"--role", "tenant", "--tenant", "nobody"}, out), 2);
  EXPECT_EQ(out, "racine: no tenant 'nobody'\n");
  ASSERT_EQ(run({"--role", "tenant", "--tenant", "acme"}, out), 0) << out;
  ASSERT_EQ(out.size(), 69U) << out;  // the token alone on its line
  const std::string tenant_token = out.substr(0, 68);
  auto s = start();
  EXPECT_EQ(http(s->port(), "GET", "/api/v1/tenants/acme/contracts", tenant_token).status, 200);
  EXPECT_EQ(http(s->port(), "GET", "/api/v1/tenants", tenant_token).status, 403);
  const auto audit = json::parse(http(s->port(), "GET", "/api/v1/audit?tenant=acme", admin).body);
  EXPECT_EQ(audit[0]["action"], "token.create");
  EXPECT_EQ(audit[0]["token"], "offline");
  EXPECT_EQ(audit[0]["by"], "offline");
}

INSTANTIATE_TEST_SUITE_P(Engines, ServerTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

// Two instances on one PostgreSQL: a version uploaded through one is read through the other.
TEST(ServerPostgresql, TwoInstancesShareOneDatabase) {
  const std::string where = fresh_store("postgresql");
  if (where.empty()) {
    if (!under_ci()) GTEST_SKIP() << "no private PostgreSQL server";
    return;
  }
  // Both start at once on the empty database: one imports and prints the admin token.
  std::optional<ServerProcess> pa;
  std::optional<ServerProcess> pb;
  {
    std::thread ta([&] {
      pa.emplace(racine_binary(), std::vector<std::string>{"--database", where});
    });
    std::thread tb([&] {
      pb.emplace(racine_binary(), std::vector<std::string>{"--database", where});
    });
    ta.join();
    tb.join();
  }
  ServerProcess& a = *pa;
  ServerProcess& b = *pb;
  const std::string admin = a.admin_token().empty() ? b.admin_token() : a.admin_token();
  ASSERT_FALSE(admin.empty());
  EXPECT_TRUE(a.admin_token().empty() || b.admin_token().empty())
      << "one admin token, from one instance";
  const auto builtin = http(b.port(), "GET", "/api/v1/matrices/managed-kubernetes/versions", admin);
  EXPECT_EQ(builtin.status, 200);
  EXPECT_EQ(nlohmann::json::parse(builtin.body).size(), 1U) << "the built-in matrix, once";
  const auto up = http(a.port(), "POST", "/api/v1/matrices/shared/versions?force=true", admin,
                       seed_text(), "text/markdown");
  ASSERT_EQ(up.status, 201) << up.body;
  const auto r = http(b.port(), "GET", "/api/v1/matrices/shared/versions/1?format=md", admin);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Configurer les pipelines CI/CD"), std::string::npos);

  // A token revoked through one instance is refused by the other within its cache's
  // second (docs/server.md, "Scale"): polled for at most 8 s, and
  // refused well before (4 s leaves room for a loaded machine and sanitizers).
  const auto made =
      http(a.port(), "POST", "/api/v1/tokens", admin, R"({"role":"editor","name":"e"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string editor = json::parse(made.body)["token"];
  ASSERT_EQ(http(b.port(), "GET", "/api/v1/matrices", editor).status, 200);  // remembered by b
  const auto revoked_at = std::chrono::steady_clock::now();
  ASSERT_EQ(http(a.port(), "DELETE",
                 "/api/v1/tokens/" + json::parse(made.body)["id"].get<std::string>(), admin)
                .status,
            200);
  int status = 200;
  while (status == 200 && std::chrono::steady_clock::now() - revoked_at < std::chrono::seconds(8)) {
    status = http(b.port(), "GET", "/api/v1/matrices", editor).status;
    if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 401);
  EXPECT_LT(std::chrono::steady_clock::now() - revoked_at, std::chrono::milliseconds(4000))
      << "refused within the 1 s cache (and slack for a loaded machine)";
}

}  // namespace
}  // namespace racine::test

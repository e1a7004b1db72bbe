// racine k8s end to end: a realistic cluster and alert payload classified as expected
// (with and without the managed-services option), rules from their three places, the
// rules' lint, hostile input, and the kubectl plugin name.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_test_support.h"

namespace racine::test {

namespace {

using nlohmann::json;

std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
  std::vector<std::vector<std::string>> out;
  std::stringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream l(line);
    std::string c;
    while (std::getline(l, c, '\t')) cols.push_back(c);
    out.push_back(std::move(cols));
  }
  return out;
}

std::string or_dash(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "-";
  const std::string s = j[key].get<std::string>();
  return s.empty() ? "-" : s;
}

// One line per subject, in the expected file's columns.
std::vector<std::vector<std::string>> classified(const std::vector<std::string>& args,
                                                 bool alerts) {
  std::vector<std::string> plain = {"k8s", "who", "--json"};
  plain.insert(plain.end(), args.begin(), args.end());
  std::vector<std::string> with = plain;
  with.insert(with.end(), {"--with", "infogerance-complementaire"});
  const Outcome a = racine(plain, "", {}, source_dir());
  const Outcome b = racine(with, "", {}, source_dir());
  EXPECT_LE(a.status, 1) << a.err;
  const json ja = json::parse(a.out);
  const json jb = json::parse(b.out);
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < ja.size(); ++i) {
    std::vector<std::string> row;
    if (alerts) {
      row = {or_dash(ja[i], "alertname"), or_dash(ja[i], "namespace")};
    } else {
      row = {ja[i]["kind"], or_dash(ja[i], "namespace"), ja[i]["name"]};
    }
    row.push_back(ja[i]["activity"].is_null() ? "-" : ja[i]["activity"]["id"].get<std::string>());
    EXPECT_EQ(ja[i]["gray_zone"], ja[i]["activity"].is_null());
    row.push_back(or_dash(ja[i]["roles"], "client"));
    row.push_back(or_dash(ja[i]["roles"], "cloud-temple"));
    row.push_back(or_dash(jb[i]["roles"], "client"));
    row.push_back(or_dash(jb[i]["roles"], "cloud-temple"));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

TEST(K8sCli, ARealisticClusterFallsWhereExpected) {
  const auto expected = read_tsv(source_dir() + "/tests/data/k8s/expected.tsv");
  ASSERT_GE(expected.size(), 40U);
  EXPECT_EQ(classified({"-f", "tests/data/k8s/cluster.yaml"}, false), expected);
}

TEST(K8sCli, AlertsFallWhereExpected) {
  const auto expected = read_tsv(source_dir() + "/tests/data/k8s/alerts-expected.tsv");
  ASSERT_GE(expected.size(), 12U);
  EXPECT_EQ(classified({"--alert", "tests/data/k8s/alerts.json"}, true), expected);
}

TEST(K8sCli, TextOutputAndLabels) {
  const Outcome r = racine(
      {"k8s", "who", "--label", "alertname=KubePodCrashLooping", "--label", "namespace=shop"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "alert KubePodCrashLooping {namespace=\"shop\"}\n"
            "  -> Gérer les alertes liées aux applications (line 36) [rule application-alerts]\n"
            "     R: Client  A: Client  C: -  I: -\n");
  const Outcome gray =
      racine({"k8s", "who", "-f", "-"},
             "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\n");
  EXPECT_EQ(gray.status, 1);
  EXPECT_EQ(
      gray.out.rfind(
          "PriorityClass high\n  -> gray zone: no rule matches; the matrix says: Zone \"grise\"",
          0),
      0U)
      << gray.out;
  EXPECT_EQ(racine({"k8s", "who", "--label", "novalue"}).err,
            "racine: --label 'novalue': expected NAME=VALUE\n");
  EXPECT_EQ(racine({"k8s", "who"}).status, 2);
}

TEST(K8sCli, KubectlPluginName) {
  TempDir d;
  const auto plugin = d.path() / "kubectl-raci";
  std::filesystem::create_symlink(RACINE_BINARY, plugin);
  FILE* p = popen((plugin.string() + " who --label alertname=KubeNodeNotReady 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  EXPECT_EQ(pclose(p), 0);
  EXPECT_NE(out.find("Gérer les alertes liées au service Kubernetes"), std::string::npos) << out;
}

TEST(K8sCli, RulesBesideAMarkdownMatrixAndInACanonicalOne) {
  TempDir d;
  const auto md = d.write("ops.md",
                          "| Activity | Client | Provider |\n|---|---|---|\n| Run the nodes | I | "
                          "RA |\n| Run the apps | RA | I |\n");
  const Outcome none = racine({"k8s", "who", "--matrix", md, "--label", "alertname=X"});
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.err, "racine: " + md + ": no Kubernetes rules for this matrix: write " +
                          (d.path() / "ops.k8s.yaml").string() + " or pass --rules FILE\n");
  d.write("ops.k8s.yaml",
          "racine-kubernetes: 1\nrules:\n  - {name: nodes, kind: Node, activity: run-the-nodes}\n"
          "  - {name: apps, namespace: '?*', activity: run-the-apps}\n");
  const Outcome r = racine({"k8s", "who", "--json", "--matrix", md, "-f", "-"},
                           "kind: Node\napiVersion: v1\nmetadata: {name: n1}\n---\nkind: "
                           "Pod\napiVersion: v1\nmetadata: {name: p, namespace: a}\n");
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j[0]["activity"]["id"], "run-the-nodes");
  EXPECT_EQ(j[0]["roles"], json::parse(R"({"client": "I", "provider": "RA"})"));
  EXPECT_EQ(j[1]["rule"], "apps");
  // The same rules inside a canonical matrix.
  const auto yaml =
      d.write("ops.yaml",
              "racine: 1\nparties: [{id: client, name: Client}, {id: provider, name: Provider}]\n"
              "sections:\n  - activities:\n      - {id: nodes, title: Run the nodes, roles: "
              "{client: I, provider: RA}}\n"
              "kubernetes:\n  rules:\n    - {name: nodes, kind: Node, activity: nodes}\n");
  const Outcome y = racine({"k8s", "who", "--matrix", yaml, "-f", "-"},
                           "kind: Node\napiVersion: v1\nmetadata: {name: n1}\n");
  EXPECT_EQ(y.status, 0) << y.err;
  EXPECT_NE(y.out.find("-> Run the nodes (line 5) [rule nodes]"), std::string::npos) << y.out;
}

TEST(K8sCli, LintOfTheRules) {
  TempDir d;
  const auto rules =
      d.write("r.k8s.yaml",
              "racine-kubernetes: 1\n"
              "rules:\n"
              "  - name: certificates\n"
              "    kind: Certificate\n"
              "    activity: gerer-les-certificats-ssl-tls-pour-les-applications\n"
              "  - name: platform-certificates\n"
              "    kind: Certificate\n"
              "    namespace: cert-manager\n"
              "    activity: gerer-les-certificats-ssl-tls-pour-le-service-kubernetes\n"
              "  - name: nodes\n"
              "    kind: Node\n"
              "    activity: manage-the-nodes\n"
              "  - name: bad\n"
              "    labels: ['severity=~\"(critical\"', 'team']\n"
              "    activity: gerer-les-alertes-liees-au-service-kubernetes\n");
  const Outcome l = racine({"k8s", "lint", "--rules", rules});
  EXPECT_EQ(l.status, 1);
  EXPECT_EQ(l.out,
            rules +
                ":6:5: warning: rule 'platform-certificates' never applies: rule 'certificates' "
                "before it matches "
                "everything it matches [RAC502]\n" +
                rules +
                ":12:15: error: rule 'nodes' points to activity 'manage-the-nodes', which the "
                "matrix does not have "
                "[RAC501]\n" +
                rules +
                ":14:14: error: 'severity=~\"(critical\"': invalid regular expression: missing ): "
                "(critical "
                "[RAC503]\n" +
                rules +
                ":14:39: error: 'team': expected =, !=, =~ or !~ after the label name [RAC503]\n" +
                "1 file checked: 3 errors, 1 warning, 0 infos\n");
  const Outcome w = racine({"k8s", "who", "--rules", rules, "--label", "alertname=X"});
  EXPECT_EQ(w.status, 2);
  EXPECT_NE(w.err.find("the Kubernetes rules are broken: `racine k8s lint` lists what to fix"),
            std::string::npos);
  EXPECT_EQ(racine({"k8s", "lint"}).status, 0);  // the built-in rules are clean
}

TEST(K8sCli, HostileManifests) {
  TempDir d;
  auto refused = [&](const std::string& name, const std::string& text, const std::string& message) {
    const auto p = d.write(name, text);
    const Outcome r = racine({"k8s", "who", "-f", p});
    EXPECT_EQ(r.status, 2) << name;
    EXPECT_EQ(r.err, p + message) << name;
    EXPECT_EQ(r.out, "") << name;
  };
  refused("bomb.yaml",
          "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, "
          "*b, *b, *b]\n",
          ":2:8: error: aliases (*name) are not allowed here: write the value out\n");
  refused("deep.yaml", std::string(100000, '[') + std::string(100000, ']') + "\n",
          ":1:501: error: nesting deeper than 500 levels\n");
  refused("notk8s.yaml", "title: a shopping list\nitems: [milk, eggs]\n",
          ":1:1: error: document 1 is not a Kubernetes object: it has no `kind`\n");
  refused("second.yaml", "kind: Pod\napiVersion: v1\n---\njust a string\n",
          ":4:1: error: document 2 is not a Kubernetes object: a scalar instead of a mapping\n");
  refused("empty.yaml", "", ":1:1: error: no Kubernetes object: the input is empty\n");
  // yaml-cpp 0.7 returned this same document forever (found by the fuzzer).
  refused("loop.yaml", "  \"a\", \"b\",\n  \"c\"]\n",
          ":1:6: error: did not find expected <document start>\n");
  const auto huge = (d.path() / "huge.yaml").string();
  {
    std::ofstream out(huge, std::ios::binary);
    const std::string doc =
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n";
    for (std::size_t n = 0; n * doc.size() < 100U * 1000 * 1000; ++n) out << doc;
  }
  const Outcome r = racine({"k8s", "who", "-f", huge});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "racine: " + huge +
                ": input is 95.4 MiB, above the limit of 64.0 MiB (raise limits.max-bytes in "
                ".racine.yaml to read it)\n");
  const auto bad_alerts = d.write("alerts.json", "{\"version\": \"4\", \"alerts\": {}}");
  const Outcome a = racine({"k8s", "who", "--alert", bad_alerts});
  EXPECT_EQ(a.status, 2);
  EXPECT_EQ(a.err,
            bad_alerts + ":1:1: error: not an Alertmanager webhook payload: no `alerts` list\n");
}

// Manifests as kubectl reads them (issue 18, item 5): a built-in namespaced kind without
// a namespace is in "default" (or -n NAMESPACE), cluster-scoped ones have none; -f DIR
// reads the directory's .yaml, .yml and .json files, -R its sub-directories too.
TEST(K8sCli, ManifestsAsKubectlReadsThem) {
  TempDir d;
  d.write("web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n");
  std::filesystem::create_directory(d.path() / "sub");
  d.write("sub/ns.yml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
  d.write("README.md", "not a manifest\n");
  const std::string dir = d.path().string();
  auto where = [](const Outcome& r) {
    std::vector<std::string> out;
    for (const auto& x : json::parse(r.out))
      out.push_back(x["kind"].get<std::string>() + " " + x["namespace"].get<std::string>() + " " +
                    x["rule"].get<std::string>());
    return out;
  };
  const auto flat = racine({"k8s", "who", "--json", "-f", dir});
  EXPECT_EQ(flat.status, 0) << flat.err;
  EXPECT_EQ(where(flat), (std::vector<std::string>{"Deployment default application-workloads"}));
  const auto system = racine({"k8s", "who", "--json", "-n", "kube-system", "-f", dir});
  EXPECT_EQ(where(system),
            (std::vector<std::string>{"Deployment kube-system core-platform-objects"}));
  const auto deep = racine({"k8s", "who", "--json", "-R", "-f", dir});
  EXPECT_EQ(where(deep), (std::vector<std::string>{"Namespace  projects",
                                                   "Deployment default application-workloads"}));
  std::filesystem::create_directory(d.path() / "empty");
  const auto empty = racine({"k8s", "who", "-f", (d.path() / "empty").string()});
  EXPECT_EQ(empty.status, 2);
  EXPECT_EQ(empty.err, "racine: " + (d.path() / "empty").string() +
                           ": no .yaml, .yml or .json file in this directory (-R reads its "
                           "sub-directories)\n");
}

// The schedule at a given time under the parties' working hours (docs/routing.md): a
// warning on a Sunday at 03:00 in Paris waits for Monday 09:00, its escalation one
// working hour later; a critical one goes at once, escalating after the contract's delay.
TEST(RouteCli, TheScheduleAtAGivenTime) {
  TempDir d;
  const auto rules = d.path() / "oncall.json";
  std::ofstream(rules) << R"({"client": {"timezone": "Europe/Paris",
    "hours": {"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00",
              "thu": "09:00-18:00", "fri": "09:00-18:00"},
    "severities": {"critical": {"outside_hours": "page"},
                   "default": {"outside_hours": "wait", "escalate_after": "1h", "count": "working"}},
    "repeat_after": "30m"}})";
  const std::vector<std::string> base = {"route",    "test",
                                         "--label",  "alertname=KubePodCrashLooping",
                                         "--label",  "namespace=shop",
                                         "--oncall", rules.string(),
                                         "--at",     "2026-12-06T03:00:00+01:00"};
  auto warning = base;
  warning.insert(warning.end(), {"--label", "severity=warning"});
  const auto w = racine(warning);
  EXPECT_EQ(w.status, 0) << w.err;
  EXPECT_NE(w.out.find("  at 2026-12-06T02:00:00.000Z (escalate_after 15m):\n"
                       "     R  Client        firing      2026-12-07T08:00:00.000Z  waits for "
                       "Client's working hours  repeats every 30 min\n"
                       "     A  Client        escalation  2026-12-07T09:00:00.000Z  waits for "
                       "Client's working hours\n"),
            std::string::npos)
      << w.out;
  auto critical = base;
  critical.insert(critical.end(), {"--label", "severity=critical", "--json"});
  const auto c = nlohmann::json::parse(racine(critical).out);
  ASSERT_EQ(c["schedule"].size(), 2U) << c.dump();
  EXPECT_EQ(c["schedule"][0]["due"], "2026-12-06T02:00:00.000Z");
  EXPECT_EQ(c["schedule"][1]["due"], "2026-12-06T02:15:00.000Z");
  EXPECT_FALSE(c["schedule"][0].contains("waits_for_hours_of"));
  // Mistakes say what and where, exit 2.
  std::ofstream(d.path() / "bad.json") << R"({"client": {"hours": {"mon": "9-18"}}})";
  auto bad = base;
  bad[7] = (d.path() / "bad.json").string();
  const auto b = racine(bad);
  EXPECT_EQ(b.status, 2);
  EXPECT_EQ(b.err, "racine: --oncall " + bad[7] +
                       ": party 'client': hours.mon[0]: a range HH:MM-HH:MM within the day "
                       "(\"09:00-18:00\", \"22:00-24:00\")\n");
  auto when = base;
  when[9] = "Sunday";
  EXPECT_EQ(racine(when).err,
            "racine: --at: 'Sunday' is not a time (RFC 3339, such as 2026-12-06T03:00:00+01:00)\n");
}

}  // namespace racine::test

namespace racine::test {

// `racine route test`: where an alert goes under a contract, with and without the option.
TEST(RouteCli, WhereAnAlertGoes) {
  const auto platform = racine({"route", "test", "--label", "alertname=KubeNodeNotReady", "--label",
                                "namespace=kube-system"});
  EXPECT_EQ(platform.status, 0);
  EXPECT_EQ(platform.out,
            "alert KubeNodeNotReady {namespace=\"kube-system\"}\n"
            "  -> Gérer les alertes liées au service Kubernetes (line 35) [rule "
            "service-alerts-by-name]\n"
            "     R  Cloud Temple  firing and resolved\n"
            "     I  Client        informed\n"
            "     A  Cloud Temple  escalation, when no one acknowledges within the contract's "
            "escalate_after\n");
  const auto labels = std::vector<std::string>{
      "route",   "test",           "--label", "alertname=CertificateExpiringSoon",
      "--label", "namespace=shop", "--json"};
  auto with = labels;
  with.insert(with.end(), {"--with", "infogerance-complementaire"});
  const auto before = nlohmann::json::parse(racine(labels).out);
  const auto after = nlohmann::json::parse(racine(with).out);
  EXPECT_EQ(before["deliveries"][0]["party"], "client");
  EXPECT_EQ(after["deliveries"][0]["party"], "cloud-temple");
  EXPECT_EQ(after["deliveries"][0]["role"], "R");
  const auto gray = racine({"route", "test", "--label", "job=backup"});
  EXPECT_EQ(gray.status, 1);
  EXPECT_EQ(gray.out,
            "alert (no alertname) {job=\"backup\"}\n"
            "  -> gray zone: no rule matches\n"
            "     R  Cloud Temple  firing and resolved, marked gray zone (the provider's party)\n");
  // The client named: the other party is the provider.
  EXPECT_EQ(racine({"route", "test", "--label", "job=x", "--party", "Cloud Temple"}).out,
            "alert (no alertname) {job=\"x\"}\n  -> gray zone: no rule matches\n"
            "     R  Client        firing and resolved, marked gray zone (the provider's party)\n");
  EXPECT_EQ(racine({"route", "test"}).err,
            "racine: route test: give the alert's labels with --label NAME=VALUE\n");
  EXPECT_EQ(racine({"route", "test", "--label", "a=b", "--party", "nobody"}).err,
            "racine: --party: no party 'nobody' in this matrix\n");
  EXPECT_EQ(racine({"route", "test", "--label", "a=b", "--party", "nobody"}).status, 2);
}

}  // namespace racine::test

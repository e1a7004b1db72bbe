#include <gtest/gtest.h>

#include "formats/loader.h"
#include "k8s/objects.h"
#include "k8s/rules.h"

namespace racine::k8s {

namespace {

RuleSet rules(const std::string& text) {
  auto src = load_text(text, "r.k8s.yaml", Limits{});
  auto r = parse_rules(*src);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return std::move(*r);
}

Subject object(std::string kind, std::string group, std::string ns, std::string name) {
  Subject s;
  s.kind = std::move(kind);
  s.group = std::move(group);
  s.namespace_ = std::move(ns);
  s.name = std::move(name);
  return s;
}

std::string first(const RuleSet& r, const Subject& s) {
  const Rule* m = r.first_match(s);
  return m == nullptr ? "-" : m->name;
}

}  // namespace

TEST(K8sRules, AlertmanagerMatchers) {
  const RuleSet r = rules(
      "racine-kubernetes: 1\nrules:\n"
      "  - {name: eq, labels: ['team=\"a b\"'], activity: x}\n"
      "  - {name: re, labels: ['severity=~critical|warning'], activity: x}\n"
      "  - {name: nre, labels: ['env!~prod.*', 'team!=c'], activity: x}\n");
  Subject s;
  s.alert = true;
  s.labels = {{"team", "a b"}};
  EXPECT_EQ(first(r, s), "eq");
  s.labels = {{"team", "c"}, {"severity", "warning"}};
  EXPECT_EQ(first(r, s), "re");
  s.labels = {{"team", "c"},
              {"severity", "warningx"},
              {"env", "dev"}};  // anchored: warningx is not warning
  EXPECT_EQ(first(r, s), "-");
  s.labels = {{"team", "d"}, {"env", "dev"}};
  EXPECT_EQ(first(r, s), "nre");
  s.labels = {{"team", "d"}, {"env", "production"}};
  EXPECT_EQ(first(r, s), "-");
  s.labels = {{"team", "d"}};  // an absent label is "": env!~prod.* holds
  EXPECT_EQ(first(r, s), "nre");
}

TEST(K8sRules, GlobsSetsAndExclusions) {
  const RuleSet r = rules(
      "racine-kubernetes: 1\nsets:\n  platform: [kube-system, 'cert-*']\nrules:\n"
      "  - {name: platform, kind: '*', namespace: '@platform', activity: x}\n"
      "  - {name: crds, kind: CustomResourceDefinition, object-name: ['*.example.io', "
      "'!bad.example.io'], activity: x}\n"
      "  - {name: apps, group: ['*', '!apps'], namespace: '?*', activity: x}\n"
      "  - {name: alerts, alertname: 'Kube.*', activity: x}\n");
  EXPECT_EQ(first(r, object("Pod", "", "kube-system", "p")), "platform");
  EXPECT_EQ(first(r, object("Pod", "", "cert-manager", "p")), "platform");
  EXPECT_EQ(
      first(r, object("CustomResourceDefinition", "apiextensions.k8s.io", "", "things.example.io")),
      "crds");
  EXPECT_EQ(
      first(r, object("CustomResourceDefinition", "apiextensions.k8s.io", "", "bad.example.io")),
      "-");
  EXPECT_EQ(first(r, object("Widget", "example.io", "shop", "w")), "apps");
  EXPECT_EQ(first(r, object("Deployment", "apps", "shop", "w")), "-");
  EXPECT_EQ(first(r, object("Widget", "example.io", "", "w")), "-");  // cluster-scoped: not '?*'
  // Object rules never match alerts, alert rules never match objects.
  Subject alert;
  alert.alert = true;
  alert.alertname = "KubePodCrashLooping";
  alert.namespace_ = "kube-system";
  EXPECT_EQ(first(r, alert), "alerts");
  EXPECT_EQ(first(r, object("KubePodCrashLooping", "", "", "")), "-");
}

TEST(K8sRules, RefusedFiles) {
  auto parse = [](const std::string& text) {
    auto src = load_text(text, "r.k8s.yaml", Limits{});
    auto r = parse_rules(*src);
    return r.ok() ? std::string("(ok)") : r.error().to_string();
  };
  EXPECT_EQ(parse("rules:\n  - {name: a, colour: red, activity: x}\n"),
            "r.k8s.yaml:2:15: unknown key 'colour' in a rule (known: name, kind, group, namespace, "
            "object-name, labels, "
            "alertname, activity)");
  EXPECT_EQ(parse("rules:\n  - {name: a, kind: Pod}\n"),
            "r.k8s.yaml:2:5: a rule needs an `activity:` (an activity id of the matrix)");
  EXPECT_EQ(parse("rules:\n  - {namespace: '@nope', activity: x}\n"),
            "r.k8s.yaml:2:17: unknown set 'nope' (define it under `sets:`)");
  EXPECT_EQ(parse("title: not rules\n"),
            "r.k8s.yaml:1:1: not a Kubernetes rules file: `racine-kubernetes: 1` and `rules:` are "
            "missing");
}

TEST(K8sObjects, ListsAndApiGroups) {
  auto src = load_text(
      "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: apps/v1, kind: Deployment, metadata: "
      "{name: w, namespace: s, "
      "labels: {app: w}}}\n  - {apiVersion: v1, kind: Service, metadata: {name: w, namespace: "
      "s}}\n",
      "list.yaml", Limits{});
  auto objects = read_manifests(*src);
  ASSERT_TRUE(objects.ok()) << objects.error().to_string();
  ASSERT_EQ(objects->size(), 2U);
  EXPECT_EQ((*objects)[0].subject.group, "apps");
  EXPECT_EQ((*objects)[0].subject.labels.at("app"), "w");
  EXPECT_EQ((*objects)[1].subject.group, "");
  EXPECT_EQ(src.value()->position((*objects)[1].span.begin).line, 5U);
}

}  // namespace racine::k8s

namespace racine::k8s {

// docs/kubernetes.md shows the built-in rules as a table: it must list each, in order.
TEST(K8sRules, BuiltinRulesAreDocumentedInOrder) {
  auto src =
      load_file(std::string(RACINE_SOURCE_DIR) + "/data/managed-kubernetes.k8s.yaml", Limits{});
  ASSERT_TRUE(src.ok());
  auto r = parse_rules(*src);
  ASSERT_TRUE(r.ok());
  auto doc = load_file(std::string(RACINE_SOURCE_DIR) + "/docs/kubernetes.md", Limits{});
  ASSERT_TRUE(doc.ok());
  const std::string_view text = (*doc)->text();
  std::size_t at = 0;
  for (std::size_t i = 0; i < r->rules.size(); ++i) {
    const std::string row = "| " + std::to_string(i + 1) + " | " + r->rules[i].name + " |";
    const auto found = text.find(row, at);
    ASSERT_NE(found, std::string_view::npos) << row;
    at = found;
  }
  EXPECT_EQ(r->rules.size(), 31U);
}

}  // namespace racine::k8s

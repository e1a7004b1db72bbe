// Alert routing's decisions on the built-in matrix and its rules: who gets an alert in
// which role, with and without the managed-services option, and the gray zone.
#include <gtest/gtest.h>

#include "../test_support.h"
#include "formats/loader.h"
#include "k8s/objects.h"
#include "resolve/options.h"
#include "route/route.h"

namespace racine::route {

namespace {

k8s::Subject alert(std::vector<std::string> pairs) {
  auto s = k8s::alert_from_pairs(pairs);
  EXPECT_TRUE(s.ok());
  return *s;
}

// "R:cloud-temple I:client A:cloud-temple", in the plan's order.
std::string who(const Matrix& m, const Plan& p) {
  std::string out;
  auto add = [&](const Recipient& r) {
    out += (out.empty() ? "" : " ") + std::string(1, r.role) + ":" + m.parties.at(r.party).id;
  };
  for (const auto& r : p.responsible) add(r);
  for (const auto& r : p.informed) add(r);
  for (const auto& r : p.accountable) add(r);
  return out;
}

const k8s::RuleSet& rules() {
  static const k8s::RuleSet r = std::move(*builtin_rules());
  return r;
}

}  // namespace

TEST(Route, ProviderIsTheFirstPartyThatIsNotTheTenants) {
  const Matrix& m = test::seed();
  EXPECT_EQ(m.parties.at(*provider_party(m, "client")).id, "cloud-temple");
  EXPECT_EQ(m.parties.at(*provider_party(m, "cloud-temple")).id, "client");
}

TEST(Route, PlatformAndApplicationAlertsUnderTheSeed) {
  const Matrix& m = test::seed();
  const auto provider = provider_party(m, "client");
  const Plan platform =
      plan(rules(), m, alert({"alertname=KubeNodeNotReady", "namespace=kube-system"}), provider);
  ASSERT_FALSE(platform.gray_zone());
  EXPECT_EQ(platform.activity->id, "gerer-les-alertes-liees-au-service-kubernetes");
  EXPECT_EQ(platform.section->title, "Surveillance et performance");
  EXPECT_EQ(platform.rule->name, "service-alerts-by-name");
  // Cloud Temple is R and A: the alert, then the escalation; the client is Informed.
  EXPECT_EQ(who(m, platform), "R:cloud-temple I:client A:cloud-temple");
  const Plan app =
      plan(rules(), m, alert({"alertname=KubePodCrashLooping", "namespace=shop"}), provider);
  EXPECT_EQ(app.activity->id, "gerer-les-alertes-liees-aux-applications");
  EXPECT_EQ(who(m, app), "R:client A:client");
}

TEST(Route, TheOptionHandsDelegableActivitiesAlertsToTheProvider) {
  const Matrix& m = test::seed();
  auto signed_ = resolve::apply(m, {"infogerance-complementaire"});
  ASSERT_TRUE(signed_.ok());
  const Matrix& e = signed_->matrix;
  const auto cert = alert({"alertname=CertificateExpiringSoon", "namespace=shop"});
  const auto backup = alert({"alertname=K10PolicyFailed", "namespace=shop", "policy=shop-daily"});
  for (const auto& a : {cert, backup}) {
    const Plan before = plan(rules(), m, a, provider_party(m, "client"));
    const Plan after = plan(rules(), e, a, provider_party(e, "client"));
    ASSERT_FALSE(before.gray_zone());
    EXPECT_EQ(before.activity->id, after.activity->id);
    EXPECT_EQ(who(m, before).substr(0, 8), "R:client") << before.activity->id;
    EXPECT_EQ(who(e, after).substr(0, 14), "R:cloud-temple") << after.activity->id;
  }
}

TEST(Route, AnAlertNoRuleClassifiesGoesToTheProviderMarkedGrayZone) {
  const Matrix& m = test::seed();
  const Plan p = plan(rules(), m, alert({"job=backup"}), provider_party(m, "client"));
  EXPECT_TRUE(p.gray_zone());
  EXPECT_EQ(p.rule, nullptr);
  EXPECT_EQ(who(m, p), "R:cloud-temple");
  const auto j = plan_to_json(m, alert({"job=backup"}), p);
  EXPECT_EQ(j.dump(), R"({"alert":{"job":"backup"},"activity":null,"gray_zone":true,"rule":null,)"
                      R"("deliveries":[{"party":"cloud-temple","name":"Cloud Temple","role":"R",)"
                      R"("kinds":["firing","resolved"]}],"consulted":[]})");
}

TEST(Route, RulesOfACanonicalDocumentAreItsOwn) {
  const std::string doc =
      "racine: 1\nparties: [{name: Ops}, {name: Dev}]\nsections: [{title: S, activities: "
      "[{id: db, title: Database, roles: {ops: R, dev: CI}}]}]\nkubernetes:\n  rules:\n"
      "    - {name: db-alerts, alertname: 'Postgres.*', activity: db}\n";
  auto src = load_text(doc, "m.yaml", Limits{});
  ASSERT_TRUE(src.ok());
  auto own = rules_for_document(*src, true);
  ASSERT_TRUE(own.ok()) << own.error().to_string();
  ASSERT_EQ(own->rules.size(), 1U);
  EXPECT_EQ(own->rules[0].name, "db-alerts");
  // Markdown (or a canonical document without rules): the built-in rules.
  auto builtin = rules_for_document(*src, false);
  ASSERT_TRUE(builtin.ok());
  EXPECT_EQ(builtin->rules.size(), rules().rules.size());
}

TEST(Route, KindNames) {
  EXPECT_EQ(kind_name(Kind::firing), "firing");
  EXPECT_EQ(kind_name(Kind::resolved), "resolved");
  EXPECT_EQ(kind_name(Kind::informed), "informed");
  EXPECT_EQ(kind_name(Kind::escalation), "escalation");
}

}  // namespace racine::route

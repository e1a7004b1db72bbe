#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../test_support.h"
#include "formats/loader.h"
#include "reports/backstage.h"
#include "reports/controls.h"
#include "reports/ssp.h"

namespace racine::reports {

namespace {

Result<ControlMappings> mapping_of(const std::string& text) {
  auto src = load_text(text, "t.controls.yaml", Limits{});
  if (!src) return src.error();
  return parse_controls(*src);
}

}  // namespace

// The control-origination values follow from R and A (docs/compliance.md).
TEST(Controls, OriginationFromTheRoles) {
  auto m = test::read_md(
      "| Activity | Provider | Customer |\n|---|---|---|\n| Run the platform | RA | C |\n"
      "| Configure the apps | I | RA |\n| Write the apps |  | RA |\n| Secure it | RA | R |\n"
      "| Set the policy | RA | I |\n| Talk about it | C | I |\n");
  ASSERT_TRUE(m.ok());
  auto c = mapping_of(
      "racine-controls: 1\ncatalog: {id: x}\nmappings:\n"
      "  - {activity: run-the-platform, controls: [X-1]}\n"
      "  - {activity: configure-the-apps, controls: [X-2]}\n"
      "  - {activity: write-the-apps, controls: [X-3]}\n"
      "  - {activity: secure-it, controls: [X-4]}\n"
      "  - {activity: set-the-policy, controls: [X-5], origination: sp-corporate}\n"
      "  - {activity: talk-about-it, controls: [X-6]}\n");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  using V = std::vector<std::string>;
  const V want[] = {{"sp-system"},         {"customer-configured"},
                    {"customer-provided"}, {"sp-system", "customer-configured"},
                    {"sp-corporate"},      {}};
  const V want_customer[] = {{"inherited"},         {"customer-configured"},
                             {"customer-provided"}, {"inherited", "customer-configured"},
                             {"inherited"},         {}};
  const auto& acts = m->sections[0].activities;
  for (std::size_t i = 0; i < acts.size(); ++i) {
    EXPECT_EQ(origination(side_parts(*m, *c, acts[i]), false), want[i]) << acts[i].id;
    EXPECT_EQ(origination(side_parts(*m, *c, acts[i]), true), want_customer[i]) << acts[i].id;
  }
  EXPECT_EQ(merge_origination({{"inherited"}, {"customer-provided"}, {"sp-system"}}),
            (V{"sp-system", "customer-provided", "inherited"}));
  // One requirement per control; "talk-about-it" (nobody R or A) has no export.
  const auto doc = nlohmann::json::parse(write_oscal_ssp(*m, *c, "2026-01-01T00:00:00Z", false));
  const auto& reqs =
      doc["system-security-plan"]["control-implementation"]["implemented-requirements"];
  ASSERT_EQ(reqs.size(), 6U);
  EXPECT_FALSE(reqs[5]["by-components"][0].contains("export"));
  EXPECT_FALSE(reqs[5].contains("props"));
  // Shared: the responsibility points at the provided part of the same activity.
  const auto& shared = reqs[3]["by-components"][0]["export"];
  EXPECT_EQ(shared["responsibilities"][0]["provided-uuid"], shared["provided"][0]["uuid"]);
}

TEST(Controls, ControlIdsAsOscalTokensAndBackstageNames) {
  EXPECT_EQ(oscal_control_id("IAM-01"), "iam-01");
  EXPECT_EQ(oscal_control_id("A&A-02"), "a-a-02");
  EXPECT_EQ(oscal_control_id("A.5.15"), "a.5.15");
  EXPECT_EQ(oscal_control_id("5.1"), "_5.1");
  EXPECT_EQ(backstage_name("cloud-temple"), "cloud-temple");
  const std::string long_id =
      "implementer-et-gerer-le-controle-d-acces-base-sur-les-roles-de-base-rbac";
  const std::string n = backstage_name(long_id);
  EXPECT_LE(n.size(), 63U);
  EXPECT_EQ(n.rfind("implementer-et-gerer-le-controle-d-acces-base-sur-les", 0), 0U) << n;
  EXPECT_NE(n, backstage_name(long_id + "-2"));
  EXPECT_EQ(backstage_name("a--b"), backstage_name("a--b"));  // stable
  EXPECT_NE(backstage_name("a--b"), "a--b");                  // '--' is not a Backstage name
}

TEST(Controls, MalformedMappingsSayWhere) {
  const auto e1 =
      mapping_of("racine-controls: 1\ncatalog: {id: x}\nmappings:\n  - controls: [X]\n");
  ASSERT_FALSE(e1.ok());
  EXPECT_EQ(e1.error().to_string(),
            "t.controls.yaml:4:5: a mapping needs an `activity:` (an activity id of the "
            "matrix)");
  const auto e2 = mapping_of("catalog: {id: x}\n");
  ASSERT_FALSE(e2.ok());
  EXPECT_EQ(e2.error().line, 1U);
  const auto e3 = mapping_of(
      "racine-controls: 1\ncatalog: {id: x}\nmappings:\n  - {activity: a, controls: X, "
      "origination: inherited}\n");
  ASSERT_FALSE(e3.ok());
  EXPECT_NE(e3.error().to_string().find("4:"), std::string::npos) << e3.error().to_string();
}

}  // namespace racine::reports

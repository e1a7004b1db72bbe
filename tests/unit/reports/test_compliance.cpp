#include <gtest/gtest.h>

#include "../test_support.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "reports/compliance.h"

namespace racine::reports {

TEST(Compliance, OwnershipRules) {
  auto m = test::read_md(
      "| Activity | Provider | Customer |\n|---|---|---|\n| Run the platform | RA | C |\n| Run the "
      "apps | I | RA |\n"
      "| Secure the cluster | RA | R |\n| Talk about it | C | I |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(customer_party(*m), 1);
  const auto& acts = m->sections[0].activities;
  EXPECT_EQ(ownership(*m, acts[0]).value, "provider-owned");
  EXPECT_EQ(ownership(*m, acts[1]).value, "customer-owned");
  EXPECT_EQ(ownership(*m, acts[2]).value, "shared");
  EXPECT_EQ(ownership(*m, acts[3]).value, "undetermined");
  EXPECT_EQ(ownership(*m, acts[3]).rule, "nobody holds R or A");
  auto none = test::read_md("| Activity | Dev | Ops |\n|---|---|---|\n| Ship | RA | C |\n");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(customer_party(*none), -1);
  EXPECT_EQ(ownership(*none, none->sections[0].activities[0]).value, "undetermined");
}

TEST(Compliance, SeedClassification) {
  auto seed = read_markdown(builtin_matrix(), ReadOptions{});
  ASSERT_TRUE(seed.ok());
  std::size_t provider = 0, customer = 0, shared = 0;
  for (const auto& s : seed->sections) {
    for (const auto& a : s.activities) {
      const auto o = ownership(*seed, a).value;
      provider += o == "provider-owned" ? 1U : 0U;
      customer += o == "customer-owned" ? 1U : 0U;
      shared += o == "shared" ? 1U : 0U;
    }
  }
  // Counted on the seed: 39 rows give Cloud Temple R (one of them, line 53, the Client too).
  EXPECT_EQ(provider, 38U);
  EXPECT_EQ(customer, 32U);
  EXPECT_EQ(shared, 1U);
}

TEST(Compliance, NameBasedUuids) {
  const std::string a = name_uuid("racine:managed-kubernetes:component");
  EXPECT_EQ(a, name_uuid("racine:managed-kubernetes:component"));  // stable
  EXPECT_NE(a, name_uuid("racine:managed-kubernetes:component-definition"));
  ASSERT_EQ(a.size(), 36U);
  EXPECT_EQ(a[14], '5');                                          // version 5
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);  // RFC 4122 variant
}

}  // namespace racine::reports

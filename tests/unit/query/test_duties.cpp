#include <gtest/gtest.h>

#include "../test_support.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "query/duties.h"
#include "resolve/options.h"

namespace racine::query {

namespace {

using test::seed;

}  // namespace

TEST(Duties, PartiesAreFoundByIdNameOrSpellingWithoutCaseOrAccents) {
  EXPECT_EQ(find_party(seed(), "client"), 0U);
  EXPECT_EQ(find_party(seed(), "CLOUD temple"), 1U);
  EXPECT_EQ(find_party(seed(), "cloud-temple"), 1U);
  EXPECT_EQ(find_party(seed(), "Provider"), std::nullopt);
}

// Counted by hand on the seed, section by section: projects 4, monitoring 2, security 4,
// backup 3, support 1, capacity 2, documentation 3, business operators 13, assistance 1.
TEST(Duties, ClientResponsibleOnTheSeed) {
  const Duties d = duties(seed(), 0, RoleSet::from_letters("R"));
  EXPECT_EQ(d.count(), 33U);
  std::vector<std::size_t> per_section;
  for (const auto& g : d.sections) per_section.push_back(g.items.size());
  EXPECT_EQ(per_section, (std::vector<std::size_t>{4, 2, 4, 3, 1, 2, 3, 13, 1}));
  // Every listed activity has R for the Client; no other one has.
  std::size_t with_r = 0;
  for (const auto& s : seed().sections) {
    for (const auto& a : s.activities) with_r += a.cells[0].roles.has(Role::responsible) ? 1U : 0U;
  }
  EXPECT_EQ(with_r, 33U);
}

TEST(Duties, AllRolesWhenNoneAsked) {
  // The Client holds a role on every activity but the two where its cell is empty... none
  // in the seed: every row gives the Client something.
  EXPECT_EQ(duties(seed(), 0, RoleSet{}).count(), 71U);
  // Cloud Temple has no role on two rows (application monitoring and alerts).
  EXPECT_EQ(duties(seed(), 1, RoleSet{}).count(), 69U);
}

TEST(Duties, UnderTheOptionTheClientDoesLess) {
  auto r = resolve::apply(seed(), {"infogerance-complementaire"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(duties(r->matrix, 0, RoleSet::from_letters("R")).count(), 33U - 11U);
  EXPECT_EQ(duties(r->matrix, 1, RoleSet::from_letters("R")).count(), 39U + 11U);
}

TEST(Duties, SummaryCountsEveryRole) {
  const Workload w = summary(seed());
  EXPECT_EQ(w.activities, 71U);
  ASSERT_EQ(w.parties.size(), 2U);
  EXPECT_EQ(w.parties[0], (Workload::Counts{33, 33, 26, 26}));
  EXPECT_EQ(w.parties[1], (Workload::Counts{39, 38, 2, 29}));
  ASSERT_EQ(w.sections.size(), 12U);
  EXPECT_EQ(w.sections[0].activities, 7U);
  EXPECT_EQ(w.sections[0].parties[0], (Workload::Counts{0, 0, 5, 2}));
  EXPECT_EQ(w.sections[0].parties[1], (Workload::Counts{7, 7, 0, 0}));
  std::size_t sum = 0;
  for (const auto& s : w.sections) sum += s.activities;
  EXPECT_EQ(sum, 71U);
}

}  // namespace racine::query

// The model's compact parts: cells whose rare parts live out of line (core/matrix.h,
// core/boxed.h) and activity ids kept in one buffer (core/ids.h).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ids.h"
#include "core/matrix.h"
#include "formats/markdown_reader.h"

namespace racine {
namespace {

TEST(Cell, RolesOnlyCellsCarryNoExtras) {
  const Cell c;
  EXPECT_TRUE(c.markers().empty());
  EXPECT_TRUE(c.unknown().empty());
  EXPECT_TRUE(c.remark().empty());
  // A matrix holds one cell per party and activity: the rare parts cost one pointer.
  EXPECT_LE(sizeof(Cell), 56U);
}

TEST(Cell, ExtrasAreCopiedWithTheCellAndNotShared) {
  Cell a;
  a.edit().markers = {"*"};
  a.edit().remark = "veto";
  Cell b = a;
  b.edit().markers.push_back("(1)");
  b.edit().remark = "Build";
  EXPECT_EQ(a.markers(), std::vector<std::string>{"*"});
  EXPECT_EQ(a.remark(), "veto");
  EXPECT_EQ(b.markers(), (std::vector<std::string>{"*", "(1)"}));
  EXPECT_EQ(b.remark(), "Build");
  a = b;
  b.edit().unknown = "X";
  EXPECT_EQ(a.remark(), "Build");
  EXPECT_TRUE(a.unknown().empty());
  Cell moved = std::move(b);
  EXPECT_EQ(moved.unknown(), "X");
  // Empty extras are dropped: the cell is compact again.
  EXPECT_TRUE(moved.has_extras());
  moved.set_extras({});
  EXPECT_FALSE(moved.has_extras());
  EXPECT_TRUE(moved.markers().empty());
  EXPECT_TRUE(moved.remark().empty());
  moved.set_extras({{}, "", "final sign-off"});
  EXPECT_EQ(moved.remark(), "final sign-off");
}

TEST(Cell, ARolesOnlyTableHoldsNoExtras) {
  const auto src = std::make_shared<SourceFile>(
      "t.md",
      "| Activity | Client | Provider |\n|---|---|---|\n| Backups | RA | I* |\n"
      "| Patching | R (veto) | A |\n\n* Under the managed-services contract.\n");
  const auto m = read_markdown(src, {});
  ASSERT_TRUE(m) << m.error().to_string();
  const auto& acts = m->sections.at(0).activities;
  ASSERT_EQ(acts.size(), 2U);
  EXPECT_FALSE(acts[0].cells[0].has_extras());
  EXPECT_TRUE(acts[0].cells[1].has_extras());
  EXPECT_EQ(acts[0].cells[1].markers(), std::vector<std::string>{"*"});
  EXPECT_TRUE(acts[1].cells[0].has_extras());
  EXPECT_EQ(acts[1].cells[0].remark(), "veto");
  EXPECT_FALSE(acts[1].cells[1].has_extras());
}

TEST(ActivityIds, DerivedIdsAreUniqueAndClaimsAreRespected) {
  ActivityIds ids;
  EXPECT_EQ(ids.derive("task"), "task");
  EXPECT_EQ(ids.derive("task"), "task-2");
  EXPECT_TRUE(ids.claim("task-3"));
  EXPECT_FALSE(ids.claim("task"));
  EXPECT_EQ(ids.derive("task"), "task-4");
  EXPECT_EQ(ids.derive(""), "activity");
  EXPECT_EQ(ids.derive(""), "activity-2");
  EXPECT_EQ(ids.from_title("Sauvegarde des données"), "sauvegarde-des-donnees");
  EXPECT_TRUE(ids.contains("task-3"));
  EXPECT_FALSE(ids.contains("task-5"));
}

TEST(ActivityIds, ManyIdsStayDistinct) {
  // Enough ids to fill many of the buffer's blocks: none is lost or merged.
  ActivityIds ids;
  ids.reserve(16);
  for (int i = 0; i < 50000; ++i) {
    const std::string base = "operate service component " + std::to_string(i % 25000);
    const std::string id = ids.from_title(base);
    const std::string expected = "operate-service-component-" + std::to_string(i % 25000);
    ASSERT_EQ(id, i < 25000 ? expected : expected + "-2") << i;
  }
  for (int i = 0; i < 25000; ++i)
    ASSERT_TRUE(ids.contains("operate-service-component-" + std::to_string(i) + "-2")) << i;
  EXPECT_FALSE(ids.contains("operate-service-component-25000"));
}

}  // namespace
}  // namespace racine

// The role letters a Markdown document uses, named or inferred from its cells
// (formats/markdown_vocabulary.h), and what the accountability rules make of them.

#include <gtest/gtest.h>

#include "../test_support.h"

namespace racine {
namespace {

using Findings = std::vector<std::string>;

TEST(MarkdownVocabulary, SInCellsIsRasciWithoutAHeadingSayingSo) {
  const std::string md =
      "# Plan\n\n| Task | PM | Dev | QA |\n|---|---|---|---|\n| Build | A | R | S |\n"
      "| Test | A | S | R |\n";
  auto m = test::read_md(md);
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->roles.letters, "RASCI");
  EXPECT_TRUE(m->sections[0].activities[0].cells[2].roles.has(Role::support));
  EXPECT_EQ(test::lint_md(md), Findings{});
}

TEST(MarkdownVocabulary, DWithoutRInCellsIsDaci) {
  const std::string md =
      "# Decisions\n\n| Decision | PM | Dev | Ops |\n|---|---|---|---|\n| Pick DB | D | A | C |\n"
      "| Pick CI | A | D | I |\n";
  auto m = test::read_md(md);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->roles.letters, "DACI");
  EXPECT_EQ(test::lint_md(md), Findings{});
  // One row without a Driver: RAC206, and no RAC203 (DACI has no Responsible).
  EXPECT_EQ(test::lint_md(md + "| Pick OS | A | C | I |\n"), Findings{"RAC206@7"});
}

TEST(MarkdownVocabulary, RaciAndDaciInOneDocumentHoldOneOfEach) {
  const std::string md =
      "# RACI and DACI\n\n## RACI\n\n| Task | PM | Dev |\n|---|---|---|\n| Build | A | R |\n\n"
      "## DACI\n\n| Decision | PM | Dev | Ops |\n|---|---|---|---|\n| Pick DB | D | A | C |\n";
  auto m = test::read_md(md);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->roles.letters, "DRACI");
  // R is no unknown letter in the RACI table, the RACI row needs no Driver, the DACI row
  // no Responsible.
  EXPECT_EQ(test::lint_md(md), Findings{});
  // Each kind of row is still checked by its own rule.
  const std::string broken =
      "# RACI and DACI\n\n| Task | PM | Dev |\n|---|---|---|\n| Build | A | C |\n\n"
      "| Decision | PM | Dev |\n|---|---|---|\n| Pick DB | D | DA |\n| Pick OS | R | A |\n";
  EXPECT_EQ(test::lint_md(broken), (Findings{"RAC203@5", "RAC206@9"}));
}

TEST(MarkdownVocabulary, NamedDaciWithOnlyRInCellsStaysRaci) {
  const std::string md = "# RACI & DACI\n\n| Task | PM | Dev |\n|---|---|---|\n| Build | A | R |\n";
  auto m = test::read_md(md);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->roles.letters, "RACI");
}

TEST(MarkdownVocabulary, AHeaderNamedSSaysNothingOfTheLetters) {
  const std::string md = "| Task | S | D |\n|---|---|---|\n| Build | RA | C |\n";
  auto m = test::read_md(md);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->roles.letters, "RACI");
}

// Found in review: letters are inferred only from rows that read as roles, outside code.
TEST(MarkdownVocabulary, OtherTablesAndCodeDoNotChangeTheLetters) {
  const std::string raci = "| Task | PM | Dev |\n|---|---|---|\n| Build | A | R |\n\n";
  // A size column's S, an SSD or CI/CD cell, an R&D team.
  for (const std::string& other :
       {std::string("| Story | Size |\n|---|---|\n| Login | S |\n| Signup | M |\n"),
        std::string("| Part | Kind |\n|---|---|\n| Disk | SSD |\n| Pipeline | CI/CD |\n"),
        std::string("| Team | Site |\n|---|---|\n| R&D | Paris |\n"),
        std::string("```\n| Decision | PM | Dev |\n|---|---|---|\n| Pick | D | A |\n```\n")}) {
    auto m = test::read_md(raci + other);
    ASSERT_TRUE(m) << m.error().to_string();
    EXPECT_EQ(m->roles.letters, "RACI") << other;
  }
  // Named both, but the D is only in an R&D cell: no DRACI.
  auto both =
      test::read_md("# RACI and DACI\n\n" + raci + "| Team | Lead |\n|---|---|\n| R&D | Ana |\n");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->roles.letters, "RACI");
}

}  // namespace
}  // namespace racine

#include <gtest/gtest.h>

#include "../test_support.h"
#include "formats/loader.h"

namespace racine::lint {

using Findings = std::vector<std::string>;
using test::lint_md;

const char* const k_two_a =
    "| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | A |\n| Test | RA | C |\n";

TEST(Linter, Defaults) {
  EXPECT_EQ(lint_md(k_two_a), Findings{"RAC202@3"});
}

TEST(Linter, SuppressionInsidePreviousRow) {
  EXPECT_EQ(
      lint_md("| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | A |\n"
              "| Test | RA | C <!-- racine-disable-next-line RAC202 --> |\n| Run | RA | A |\n"),
      Findings{"RAC202@3"});
}

TEST(Linter, DisableLineInTheRowItself) {
  EXPECT_EQ(lint_md("| Task | PM | Dev |\n|---|---|---|\n| Ship <!-- racine-disable-line RAC202 "
                    "--> | RA | A |\n"),
            Findings{});
}

TEST(Linter, NextLineAboveATable) {
  // On the line above a header: only findings on the header line are suppressed.
  EXPECT_EQ(lint_md("<!-- racine-disable-next-line RAC103 -->\n| Task | PM | Dev "
                    "|\n|---|---|---|\n| Ship | RA | C |\n"),
            Findings{"RAC901@1"});
}

TEST(Linter, RangeSuppression) {
  EXPECT_EQ(lint_md("<!-- racine-disable RAC202 -->\n\n| Task | PM | Dev |\n|---|---|---|\n| Ship "
                    "| RA | A |\n\n"
                    "<!-- racine-enable RAC202 -->\n\n| Task | PM | Dev |\n|---|---|---|\n| Run | "
                    "RA | A |\n"),
            Findings{"RAC202@11"});
}

TEST(Linter, UnknownCodeAndUselessSuppression) {
  EXPECT_EQ(lint_md("| Task | PM | Dev |\n|---|---|---|\n| Ship <!-- racine-disable-line RAC999, "
                    "RAC202 --> | RA | C |\n"),
            (Findings{"RAC901@3", "RAC901@3"}));
}

TEST(Linter, ConfigDisablesAndChangesSeverity) {
  config::Config c;
  c.disabled.insert("RAC202");
  EXPECT_EQ(lint_md(k_two_a, c), Findings{});
  RuleSettings w;
  w.severities["RAC202"] = Severity::warning;
  auto m = test::read_md(k_two_a);
  const auto d = run(*m, w);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].severity, Severity::warning);
}

TEST(Linter, SuppressingADisabledRuleIsNotUseless) {
  config::Config c;
  c.disabled.insert("RAC202");
  EXPECT_EQ(lint_md("| Task | PM | Dev |\n|---|---|---|\n| Ship <!-- racine-disable-line RAC202 "
                    "--> | RA | A |\n",
                    c),
            Findings{});
}

TEST(Linter, RowWidthAndBrokenTables) {
  EXPECT_EQ(lint_md("| Task | PM | Dev |\n|---|---|---|\n| Ship | RA |\n| Test | RA | C | x |\n"),
            (Findings{"RAC102@3", "RAC102@4"}));
  EXPECT_EQ(lint_md("| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n\n| Task | PM | Dev "
                    "|\n|---|---|\n| Run | RA | C |\n"),
            Findings{"RAC102@5"});
}

TEST(Linter, NoRoleRowIsReportedOnce) {
  EXPECT_EQ(lint_md("| Task | PM | Dev |\n|---|---|---|\n| Ship | RA | C |\n| Idle | - | |\n"),
            Findings{"RAC105@4"});
}

TEST(Linter, SeedFindings) {
  auto m = read_markdown(builtin_matrix(), {});
  ASSERT_TRUE(m.ok());
  std::vector<std::string> notable;
  for (const auto& d : run(*m, {})) {
    if (d.severity != Severity::info) {
      notable.push_back(d.code + "@" + std::to_string(m->source->position(d.span.begin).line));
    }
  }
  EXPECT_EQ(notable, (Findings{"RAC202@53", "RAC201@57", "RAC302@122"}));
}

// Findings in plain words: what is wrong and what to do, without RACI jargon.
TEST(Linter, EmptyRowAndResponsibleAlsoConsultedSayWhatIsWrong) {
  auto m =
      test::read_md("| Task | PM | Dev |\n|---|---|---|\n| Ship | A | RC |\n| Archive | | |\n", {});
  ASSERT_TRUE(m.ok());
  std::vector<std::string> messages;
  for (const auto& d : run(*m, {})) {
    if (d.code == "RAC105" || d.code == "RAC205") messages.push_back(d.code + " " + d.message);
  }
  EXPECT_EQ(messages,
            (std::vector<std::string>{
                "RAC205 Dev is Responsible and also Consulted: the party that does the work is "
                "already consulted and informed; write R alone",
                "RAC105 'Archive' has no role in any cell: nobody does it, answers for it, is "
                "consulted or informed; fill its cells or remove the row"}));
}

}  // namespace racine::lint

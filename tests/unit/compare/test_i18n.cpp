// racine i18n's bound: beyond k_max_cells pairs to score, the alignment is by position,
// and a RAC401 finding says so.

#include <gtest/gtest.h>

#include <string>

#include "compare/i18n.h"

namespace racine::compare {
namespace {

Matrix rows(std::size_t n, const std::string& word) {
  Matrix m;
  m.language = "en";
  m.parties = {{"client", "Client", {}}, {"provider", "Provider", {}}};
  m.sections.push_back({"Operations", 2, {}, {}});
  for (std::size_t i = 0; i < n; ++i) {
    Activity a;
    a.title = word + " component " + std::to_string(i);
    for (const char* r : {"RA", "I"}) {
      Cell c;
      c.present = true;
      c.roles = RoleSet::from_letters(r);
      a.cells.push_back(c);
    }
    m.sections.back().activities.push_back(std::move(a));
  }
  return m;
}

TEST(I18n, BeyondTheBoundAlignsByPositionAndSaysSo) {
  // 2,001 x 2,001 activities: just over 4,000,000 pairs.
  const auto found = compare_translation(rows(2001, "Operate"), rows(2001, "Betreiben"));
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].code, "RAC401");
  EXPECT_EQ(found[0].severity, Severity::error);
  EXPECT_EQ(found[0].message,
            "the source has 2001 activities and the translation 2001: more than 4000000 pairs to "
            "score, so sections "
            "are paired by position, and rows too in sections whose pairs exceed it; a row or "
            "section inserted or "
            "deleted there shifts the ones after it");
}

TEST(I18n, UnderTheBoundNothingToSay) {
  EXPECT_TRUE(compare_translation(rows(40, "Operate"), rows(40, "Betreiben")).empty());
}

}  // namespace
}  // namespace racine::compare

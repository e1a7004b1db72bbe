#include <gtest/gtest.h>

#include "../test_support.h"
#include "reports/page.h"
#include "resolve/options.h"

namespace racine::reports {

namespace {

using test::seed;

std::size_t finding_count(const HtmlExtras& x) {
  std::size_t n = 0;
  for (const auto& [row, findings] : x.findings) n += findings.size();
  return n;
}

}  // namespace

// The seed's page: its 17 findings on their rows, the 22 cells its option could hand over,
// nothing changed.
TEST(Page, GathersTheFindingsAndDelegableCellsOfTheSeed) {
  const HtmlExtras x = gather_page(seed(), lint::Config{});
  EXPECT_EQ(finding_count(x), 17U);
  std::vector<std::string> errors;
  for (const auto& [row, findings] : x.findings) {
    for (const auto& f : findings) {
      if (f.rfind("RAC204", 0) != 0)
        errors.push_back(seed().sections[row.first].activities[row.second].title + ": " + f);
    }
  }
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[1].substr(errors[1].find(": ") + 2),
            "RAC201 error: no party is Accountable (Client C, Cloud Temple R)");
  EXPECT_EQ(x.delegable.size(), 22U);
  for (const auto& [cell, note] : x.delegable) {
    EXPECT_EQ(note.rfind("option infogerance-complementaire: Ces responsabilités", 0), 0U) << note;
  }
  EXPECT_TRUE(x.changed.empty());
  EXPECT_EQ(x.applied, "");
}

// Under an option: the cells it changed, what they were, and the option named; no
// change shown without the matrix before the options.
TEST(Page, GathersWhatTheOptionsChanged) {
  const std::vector<std::string> with = {"infogerance-complementaire"};
  auto eff = resolve::apply(seed(), with);
  ASSERT_TRUE(eff);
  const HtmlExtras x = gather_page(eff->matrix, lint::Config{}, &seed(), with);
  EXPECT_EQ(x.changed.size(), 22U);
  for (const auto& [cell, was] : x.changed) {
    EXPECT_EQ(was.rfind("option infogerance-complementaire: was ", 0), 0U) << was;
  }
  EXPECT_EQ(x.applied, "infogerance-complementaire");
  EXPECT_EQ(finding_count(x), 17U);
  const HtmlExtras alone = gather_page(eff->matrix, lint::Config{}, nullptr, with);
  EXPECT_TRUE(alone.changed.empty());
  EXPECT_EQ(alone.applied, "");
  EXPECT_EQ(html_page(eff->matrix, lint::Config{}, &seed(), with), write_html(eff->matrix, x));
}

}  // namespace racine::reports

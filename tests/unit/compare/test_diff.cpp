// The diff's matching: ids, titles (same section first), similar titles through the
// word index (typos included), corresponding sections, and at scale the same answers.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_support.h"
#include "compare/diff.h"

namespace racine::compare {
namespace {

Matrix md(const std::string& text) {
  auto m = test::read_md(text);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
  return m.ok() ? std::move(*m) : Matrix{};
}

// "kinds match: old title -> new title" for every change, in order.
std::vector<std::string> changes(const Matrix& a, const Matrix& b) {
  const Diff d = diff(a, b);
  std::vector<std::string> out;
  auto title = [](const Matrix& m, const std::optional<ActivityRef>& r) {
    return r ? m.sections[r->section].activities[r->activity].title : std::string("-");
  };
  for (const auto& c : d.changes) {
    std::string kinds;
    for (const auto k : c.kinds) {
      if (!kinds.empty()) kinds += ',';
      kinds += change_name(k);
    }
    out.push_back(kinds + " " + std::string(match_name(c.match)) + ": " + title(a, c.before) +
                  " -> " + title(b, c.after));
  }
  return out;
}

std::string table(const std::vector<std::string>& rows) {
  std::string out = "| Activity | Client | Provider |\n|---|---|---|\n";
  for (const auto& r : rows) out += "| " + r + " |\n";
  return out;
}

TEST(Diff, TyposInEveryWordStillMatchBySimilarity) {
  // No word in common: the index finds them through words one edit apart (a
  // transposition, a substitution, a deletion, an insertion).
  const Matrix a =
      md("## Ops\n\n" + table({"Rotate certificates | RA | I", "Monitor clusters | C | RA"}));
  const Matrix b =
      md("## Ops\n\n" + table({"Rotaet certifcates | RA | I", "Monitors clusterz | C | RA"}));
  EXPECT_EQ(changes(a, b),
            (std::vector<std::string>{"retitled fuzzy: Rotate certificates -> Rotaet certifcates",
                                      "retitled fuzzy: Monitor clusters -> Monitors clusterz"}));
  EXPECT_EQ(diff(a, b).matched_by[2], 2U);
}

TEST(Diff, ShortWordsNeedTheSameSpelling) {
  // "plan" and "plans" are under six letters: no typo allowed, 1 word of 3 in common.
  const Matrix a = md(table({"Approve plan | RA | I"}));
  const Matrix b = md(table({"Approve plans | RA | I"}));
  // Added rows come where they are in the new document, removed ones after them.
  EXPECT_EQ(changes(a, b), (std::vector<std::string>{"added : - -> Approve plans",
                                                     "removed : Approve plan -> -"}));
}

TEST(Diff, BestPairsFirstThenInOrder) {
  // "Back up the database" scores 3/4 with both new rows, and comes first; but "Back up
  // the database files" scores 1 with "Back up database files", which it takes first.
  const Matrix a =
      md(table({"Back up the database | RA | I", "Back up the database files | C | RA"}));
  const Matrix b =
      md(table({"Back up database nightly | RA | I", "Back up database files | C | RA"}));
  EXPECT_EQ(changes(a, b),
            (std::vector<std::string>{
                "retitled fuzzy: Back up the database -> Back up database nightly",
                "retitled fuzzy: Back up the database files -> Back up database files"}));
  // With one new row only, the first old row in order wins the tie.
  const Matrix one = md(table({"Back up database nightly | RA | I"}));
  EXPECT_EQ(
      changes(md(table({"Back up the database | RA | I", "Back up the databases | C | RA"})), one),
      (std::vector<std::string>{"retitled fuzzy: Back up the database -> Back up database nightly",
                                "removed : Back up the databases -> -"}));
}

TEST(Diff, SameTitlesPairSectionFirstThenInOrder) {
  const Matrix a = md("## One\n\n" + table({"Patch | RA | I", "Patch | R | A"}) + "\n## Two\n\n" +
                      table({"Patch | C | RA"}));
  const Matrix b = md("## Two\n\n" + table({"Patch | C | RA"}) + "\n## One\n\n" +
                      table({"Patch | RA | I", "Patch | I | RA"}));
  EXPECT_EQ(changes(a, b), (std::vector<std::string>{"changed title: Patch -> Patch"}));
  const Diff d = diff(a, b);
  ASSERT_EQ(d.changes.size(), 1U);
  EXPECT_EQ(d.changes[0].before->section, 0U);
  EXPECT_EQ(d.changes[0].before->activity, 1U);
  EXPECT_EQ(d.changes[0].after->section, 1U);
  EXPECT_EQ(d.changes[0].after->activity, 1U);
  EXPECT_EQ(d.matched_by[1], 3U);
}

TEST(Diff, RenamedSectionFollowsItsActivities) {
  // "Old" became "New": most of its activities went there, so nothing moved, and the
  // retitled row is looked for there.
  const Matrix a =
      md("## Old\n\n" +
         table({"Back up | RA | I", "Restore | C | RA", "Audit the access logs | R | A"}) +
         "\n## Other\n\n" + table({"Audit the access logs | I | RA"}));
  const Matrix b =
      md("## Other\n\n" + table({"Audit the access logs | I | RA"}) + "\n## New\n\n" +
         table({"Back up | RA | I", "Restore | C | RA", "Audit access logs weekly | R | A"}));
  EXPECT_EQ(changes(a, b),
            (std::vector<std::string>{
                "retitled fuzzy: Audit the access logs -> Audit access logs weekly"}));
}

TEST(Diff, ManyRowsSameAnswersAsPairwise) {
  // 3,000 rows in one section, every tenth retitled by one word, every 50th with a typo:
  // each retitled row pairs with its own old row, none with the 2,999 others that share
  // words with it.
  std::vector<std::string> old_rows;
  std::vector<std::string> new_rows;
  for (int i = 0; i < 3000; ++i) {
    const std::string n = std::to_string(i) + "x" + std::to_string(i);  // two edits from any other
    const std::string title =
        "Operate component" + n + " of service" + std::to_string(i % 7) + " nightly";
    old_rows.push_back(title + " | RA | I");
    if (i % 50 == 0) {
      new_rows.push_back("Operate compoennt" + n + " of service" + std::to_string(i % 7) +
                         " nightly | RA | I");
    } else if (i % 10 == 0) {
      new_rows.push_back("Operate component" + n + " of service" + std::to_string(i % 7) +
                         " weekly | RA | I");
    } else {
      new_rows.push_back(title + " | RA | I");
    }
  }
  const Matrix a = md(table(old_rows));
  const Matrix b = md(table(new_rows));
  const Diff d = diff(a, b);
  EXPECT_EQ(d.matched_by[1], 2700U);
  EXPECT_EQ(d.matched_by[2], 300U);
  ASSERT_EQ(d.changes.size(), 300U);
  for (const auto& c : d.changes) {
    ASSERT_TRUE(c.before && c.after);
    EXPECT_EQ(c.before->activity, c.after->activity);
    EXPECT_EQ(c.kinds, std::vector<ChangeKind>{ChangeKind::retitled});
  }
}

TEST(Diff, TitleSimilarity) {
  EXPECT_DOUBLE_EQ(title_similarity("Rotate the certificates", "Rotate certificates"), 1.0);
  EXPECT_DOUBLE_EQ(title_similarity("Rotate certificates", "Rotaet certificates"), 1.0);
  EXPECT_DOUBLE_EQ(title_similarity("Back up the database", "Back up database nightly"), 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(title_similarity("the", "Back up"), 0.0);
}

}  // namespace
}  // namespace racine::compare

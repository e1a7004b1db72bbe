#include "query/index.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "../test_support.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"

namespace racine::query {

namespace {

using test::seed;

const Index& seed_index() {
  static const Index ix = Index::build(seed());
  return ix;
}

std::uint32_t line_of(const Match& x) {
  const Matrix& m = seed();
  return m.source->position(m.sections[x.section].activities[x.activity].span.begin).line;
}

std::vector<std::uint32_t> top_lines(std::string_view q, std::size_t n = 3) {
  std::vector<std::uint32_t> out;
  for (const auto& x : seed_index().search(q, n).matches) out.push_back(line_of(x));
  return out;
}

struct Case {
  std::vector<std::uint32_t> expected;
  std::string query;
};

std::vector<Case> read_cases() {
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/tests/data/who_queries.tsv");
  std::vector<Case> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    Case c;
    std::stringstream lines(line.substr(0, tab));
    std::string one;
    while (std::getline(lines, one, ',')) c.expected.push_back(static_cast<std::uint32_t>(std::stoul(one)));
    c.query = line.substr(tab + 1);
    out.push_back(std::move(c));
  }
  return out;
}

bool is_expected(const Case& c, std::uint32_t line) {
  return std::find(c.expected.begin(), c.expected.end(), line) != c.expected.end();
}

}  // namespace

TEST(Index, SeedIsIndexed) {
  EXPECT_EQ(seed_index().documents(), 72U);  // 71 activities and the gray-zone note
  EXPECT_GT(seed_index().terms(), 100U);
}

// The acceptance queries of the lookup feature.
TEST(Index, ApplicationBackupsRankFirst) {
  const auto top = top_lines("qui sauvegarde les applications ?", 2);
  EXPECT_EQ(top, (std::vector<std::uint32_t>{68, 69}));
  EXPECT_FALSE(seed_index().search("qui sauvegarde les applications ?").gray_zone);
}

TEST(Index, EnglishQueryFindsFrenchSecurityPatches) {
  const auto top = top_lines("patch kubernetes security");
  ASSERT_FALSE(top.empty());
  EXPECT_EQ(top.front(), 44U);  // Appliquer les correctifs de sécurité à Kubernetes
}

TEST(Index, SpecificOperatorDevelopmentIsTheGrayZone) {
  const Answer a = seed_index().search("développement d'un opérateur spécifique");
  EXPECT_TRUE(a.gray_zone);
  EXPECT_GT(a.gray_zone_score, 0.0);
  for (const auto& x : a.matches) EXPECT_LT(x.score, k_good_match);
}

TEST(Index, NonsenseIsTheGrayZoneWithNoMatch) {
  const Answer a = seed_index().search("xylophone quantique");
  EXPECT_TRUE(a.gray_zone);
  EXPECT_TRUE(a.matches.empty());
}

TEST(Index, OnlyStopWordsIsNothingToLookFor) {
  const Answer a = seed_index().search("qui est le la les ?");
  EXPECT_FALSE(a.gray_zone);
  EXPECT_TRUE(a.matches.empty());
}

TEST(Index, CaseAccentsAndTyposDoNotMatter) {
  EXPECT_EQ(top_lines("SÉCURITÉ DES PODS", 1), top_lines("securite des pods", 1));
  EXPECT_EQ(top_lines("sauvgarde des aplications", 1), std::vector<std::uint32_t>{68});
}

TEST(Index, ScoresAreBestFirstWithinZeroAndOne) {
  const Answer a = seed_index().search("opérateurs", 50);
  ASSERT_GE(a.matches.size(), 20U);
  for (std::size_t i = 0; i < a.matches.size(); ++i) {
    EXPECT_LE(a.matches[i].score, 1.0);
    EXPECT_GE(a.matches[i].score, k_min_match);
    if (i > 0) {
      EXPECT_LE(a.matches[i].score, a.matches[i - 1].score);
    }
  }
}

TEST(Index, LimitIsHonoured) {
  EXPECT_EQ(seed_index().search("opérateurs", 3).matches.size(), 3U);
}

TEST(Index, ConcurrentSearchesAgree) {
  const auto expected = top_lines("certificats des applications", 5);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (std::size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&, t] {
      int good = 0;
      for (int i = 0; i < 50; ++i) good += top_lines("certificats des applications", 5) == expected ? 1 : 0;
      ok[t] = good;
    });
  }
  for (auto& th : threads) th.join();
  for (const int good : ok) EXPECT_EQ(good, 50);
}

TEST(Index, MatrixWithoutGrayZoneNeverQuotesOne) {
  auto m = test::read_md("| Activity | Client | Provider |\n|---|---|---|\n| Back up the database | RA | I |\n");
  ASSERT_TRUE(m.ok());
  const Index ix = Index::build(*m);
  const Answer a = ix.search("back up database");
  ASSERT_EQ(a.matches.size(), 1U);
  EXPECT_FALSE(a.gray_zone);
  EXPECT_EQ(a.gray_zone_score, 0.0);
}

// tests/data/who_queries.tsv: lookups written from the seed, in five languages and with
// typos. The accuracy figures are reported in docs/query.md; a regression fails here.
TEST(Index, QueryFileAccuracy) {
  const auto cases = read_cases();
  ASSERT_GE(cases.size(), 40U);
  std::size_t top1 = 0;
  std::size_t top3 = 0;
  for (const auto& c : cases) {
    const auto top = top_lines(c.query, 3);
    const bool first = !top.empty() && is_expected(c, top.front());
    const bool any = std::any_of(top.begin(), top.end(), [&](std::uint32_t l) { return is_expected(c, l); });
    top1 += first ? 1 : 0;
    top3 += any ? 1 : 0;
    if (!first) {
      std::string got;
      for (const auto l : top) got += std::to_string(l) + " ";
      std::cout << "  not first: \"" << c.query << "\" -> " << got << "\n";
    }
  }
  std::cout << "top-1: " << top1 << "/" << cases.size() << ", top-3: " << top3 << "/" << cases.size() << "\n";
  // Measured: 64/65 and 65/65 ("resource usage monitoring" ranks the operators'
  // resource supervision first, the cluster's resource usage third).
  EXPECT_GE(top1, 64U);
  EXPECT_EQ(top3, cases.size());
}

}  // namespace racine::query

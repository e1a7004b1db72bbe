// Options and lookups on the real corpus: the Kubernetes matrix's delegation option in
// its five languages, and French titles looked up in the four translations. Skips when
// the corpus is absent.

#include <gtest/gtest.h>

#include "cli/cli_test_support.h"
#include "prerequisites.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "query/index.h"
#include "resolve/options.h"

namespace racine::test {

namespace {

Matrix read_corpus(const std::string& lang, const std::string& service) {
  const std::string path = corpus_dir() + "/cloud-temple/" + lang + "/" + service + ".md";
  auto src = load_file(path, Limits{});
  EXPECT_TRUE(src.ok()) << path;
  auto m = read_markdown(*src, ReadOptions{});
  EXPECT_TRUE(m.ok()) << path;
  return std::move(*m);
}

}  // namespace

TEST(CorpusQuery, KubernetesDelegationOptionInFiveLanguages) {
  RACINE_REQUIRE_CORPUS();
  const Matrix fr = read_corpus("fr", "kubernetes-raci");
  ASSERT_EQ(fr.options.size(), 1U);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> fr_rows;
  for (const auto& e : resolve::effects_of(fr, fr.options[0])) fr_rows.emplace_back(e.section, e.activity);
  ASSERT_EQ(fr_rows.size(), 11U);
  const std::vector<std::pair<std::string, std::string>> ids = {{"fr", "infogerance-complementaire"},
                                                                {"en", "additional-managed-services"},
                                                                {"de", "zusatzlichen-managed-services"},
                                                                {"es", "gestion-complementario"},
                                                                {"it", "gestione-complementare"}};
  for (const auto& [lang, id] : ids) {
    const Matrix m = read_corpus(lang, "kubernetes-raci");
    ASSERT_EQ(m.options.size(), 1U) << lang;
    const Option& o = m.options[0];
    EXPECT_EQ(o.id, id);
    ASSERT_EQ(resolve::delegate_of(m, o), 1) << lang;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> rows;
    for (const auto& e : resolve::effects_of(m, o)) rows.emplace_back(e.section, e.activity);
    EXPECT_EQ(rows, fr_rows) << lang;  // the same rows as the French source
    auto r = resolve::apply(m, {id});
    ASSERT_TRUE(r.ok()) << lang;
    EXPECT_EQ(r->changes.size(), 11U) << lang;
    EXPECT_TRUE(m.gray_zone.has_value()) << lang;
  }
}

// Each French title of the Kubernetes matrix, looked up in a translation, should find
// the row at the same place. Measured figures (docs/query.md), asserted as floors.
TEST(CorpusQuery, FrenchTitlesFoundInTranslations) {
  RACINE_REQUIRE_CORPUS();
  const Matrix fr = read_corpus("fr", "kubernetes-raci");
  struct Floor {
    const char* lang;
    std::size_t top1;
    std::size_t top3;
  };
  for (const Floor f : {Floor{"en", 56, 68}, Floor{"de", 43, 51}, Floor{"es", 57, 70}, Floor{"it", 57, 70}}) {
    const Matrix m = read_corpus(f.lang, "kubernetes-raci");
    const query::Index index = query::Index::build(m);
    std::size_t top1 = 0;
    std::size_t top3 = 0;
    for (std::uint32_t s = 0; s < fr.sections.size(); ++s) {
      for (std::uint32_t a = 0; a < fr.sections[s].activities.size(); ++a) {
        const auto answer = index.search(fr.sections[s].activities[a].title, 3);
        for (std::size_t k = 0; k < answer.matches.size(); ++k) {
          if (answer.matches[k].section != s || answer.matches[k].activity != a) continue;
          top1 += k == 0 ? 1U : 0U;
          ++top3;
        }
      }
    }
    std::cout << f.lang << ": top-1 " << top1 << "/71, top-3 " << top3 << "/71\n";
    EXPECT_GE(top1, f.top1) << f.lang;
    EXPECT_GE(top3, f.top3) << f.lang;
  }
}

}  // namespace racine::test

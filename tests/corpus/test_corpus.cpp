// The real corpus (../shared/corpus, 7 services x 5 languages): every file reads with
// exactly two parties and its exact activity count. Skips when the corpus is absent.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"
#include "prerequisites.h"

namespace racine::test {

namespace {

struct Expect {
  const char* service;
  int activities;
};

constexpr Expect k_expected[] = {
    {"iaas-raci", 109},  {"iaas-raci_s3", 28}, {"kubernetes-raci", 71},  {"llmaas-raci", 24},
    {"network-raci", 4}, {"paas-raci", 60},    {"paas-raci_ocp_std", 58}};
constexpr const char* k_languages[] = {"fr", "en", "de", "es", "it"};

}  // namespace

class Corpus : public ::testing::TestWithParam<std::tuple<const char*, Expect>> {};

TEST_P(Corpus, ReadsWithExactCounts) {
  RACINE_REQUIRE_CORPUS();
  const auto [lang, e] = GetParam();
  const std::string path = corpus_dir() + "/cloud-temple/" + lang + "/" + e.service + ".md";
  const Outcome r = racine({"lint", "--format", "json", path});
  ASSERT_TRUE(r.status == 0 || r.status == 1) << path << ": " << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& f = j["files"][0];
  EXPECT_EQ(f["activities"], e.activities) << path;
  ASSERT_EQ(f["parties"].size(), 2U) << path << " " << f["parties"].dump();
  const std::string l = lang;
  if (l == "fr" || l == "en") {
    EXPECT_EQ(f["parties"], nlohmann::json({"Client", "Cloud Temple"})) << path;
  }
  EXPECT_EQ(f["parties"][1], "Cloud Temple") << path;
}

INSTANTIATE_TEST_SUITE_P(AllFiles, Corpus,
                         ::testing::Combine(::testing::ValuesIn(k_languages),
                                            ::testing::ValuesIn(k_expected)),
                         [](const auto& p) {
                           std::string n = std::string(std::get<0>(p.param)) + "_" +
                                           std::get<1>(p.param).service;
                           for (auto& ch : n)
                             ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return n;
                         });

TEST(CorpusSpellings, GermanPartySpellingsAreOnePartyAndRac103) {
  RACINE_REQUIRE_CORPUS();
  // kubernetes-raci names the client `Kunde` and, in two tables, `Client`;
  // llmaas-raci has `Kundenrolle` / `Rolle Kunde` and `Cloud-Tempel-Rolle`.
  const Outcome k =
      racine({"lint", "--format", "json", corpus_dir() + "/cloud-temple/de/kubernetes-raci.md"});
  auto j = nlohmann::json::parse(k.out)["files"][0];
  EXPECT_EQ(j["parties"], nlohmann::json({"Kunde", "Cloud Temple"}));
  std::vector<int> lines;
  for (const auto& d : j["diagnostics"]) {
    if (d["code"] == "RAC103") {
      EXPECT_EQ(d["severity"], "warning");
      lines.push_back(d["line"]);
    }
  }
  EXPECT_EQ(lines, (std::vector<int>{52, 65}));
  const Outcome l =
      racine({"lint", "--format", "json", corpus_dir() + "/cloud-temple/de/llmaas-raci.md"});
  j = nlohmann::json::parse(l.out)["files"][0];
  EXPECT_EQ(j["parties"], nlohmann::json({"Kunde", "Cloud Temple"}));
  std::string messages;
  for (const auto& d : j["diagnostics"]) {
    if (d["code"] == "RAC103") messages += d["message"].get<std::string>() + "\n";
  }
  EXPECT_NE(messages.find("party 'Cloud Temple' is written 'Cloud-Tempel-Rolle' here and 'Cloud "
                          "Temple-Rolle' at line 22"),
            std::string::npos)
      << messages;
  EXPECT_NE(
      messages.find("party 'Kunde' is written 'Rolle Kunde' here and 'Kundenrolle' at line 22"),
      std::string::npos)
      << messages;
}

TEST(CorpusSpellings, WholeCorpusInOneRun) {
  RACINE_REQUIRE_CORPUS();
  std::vector<std::string> args = {"lint", "--format", "json"};
  for (const char* lang : k_languages) {
    for (const auto& e : k_expected)
      args.push_back(corpus_dir() + "/cloud-temple/" + lang + "/" + e.service + ".md");
  }
  const Outcome r = racine(args);
  EXPECT_EQ(r.status, 1);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["files"], 35);
  // The Kubernetes matrix's two defects, in each of the five languages, and nothing else.
  EXPECT_EQ(j["summary"]["errors"], 10);
}

}  // namespace racine::test

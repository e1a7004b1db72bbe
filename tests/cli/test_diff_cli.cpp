// racine diff end to end: identical files, the effective matrix of an option, refusals.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"

namespace racine::test {

TEST(DiffCli, SameFileNoDifference) {
  const Outcome r = racine({"diff", seed_path(), seed_path()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "--- " + seed_path() + "\n+++ " + seed_path() + "\nno differences\n");
  // The same matrix in another format is the same matrix.
  TempDir d;
  const std::string yaml = (d.path() / "seed.yaml").string();
  ASSERT_EQ(racine({"convert", seed_path(), yaml}).status, 0);
  EXPECT_EQ(racine({"diff", seed_path(), yaml}).status, 0);
}

TEST(DiffCli, TheOptionChangesExactlyTheDelegableRows) {
  TempDir d;
  const std::string resolved = (d.path() / "resolved.md").string();
  ASSERT_EQ(racine({"resolve", "--with", "infogerance-complementaire", "-o", resolved}).status, 0);
  const Outcome r = racine({"diff", "--format", "json", seed_path(), resolved});
  EXPECT_EQ(r.status, 1) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::vector<int> lines;
  for (const auto& c : j["changes"]) {
    EXPECT_EQ(c["kind"], "changed");
    EXPECT_EQ(c["match"], "title");
    lines.push_back(c["old"]["line"].get<int>());
  }
  EXPECT_EQ(lines, (std::vector<int>{22, 23, 24, 25, 54, 56, 58, 68, 69, 71, 128}));
  EXPECT_EQ(j["changes"][2]["roles"], nlohmann::json::parse(R"({"Client": {"old": "RA", "new": "I"},
      "Cloud Temple": {"old": "I", "new": "RA"}})"));
  EXPECT_EQ(j["options"][0],
            nlohmann::json::parse(R"({"id": "infogerance-complementaire", "change": "removed",
      "old": "Ces responsabilités peuvent être déléguées à Cloud Temple via un contrat d'infogérance complémentaire.",
      "new": ""})"));
}

TEST(DiffCli, Refusals) {
  TempDir d;
  const auto bad = d.write("bad.md", std::string("| A | B |\n|---|---|\n| x \xff | R |\n"));
  const Outcome r = racine({"diff", seed_path(), bad});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, bad + ":3:5: error: invalid UTF-8 (byte 0xFF): racine reads UTF-8 text\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(racine({"diff", "-", "-"}).status, 2);
  EXPECT_EQ(racine({"diff", seed_path(), seed_path(), "--format", "html"}).status, 2);
}

}  // namespace racine::test

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../test_support.h"
#include "lint/report_writers.h"
#include "lint/rule.h"
#include "lint/rule_info.h"

namespace racine::lint {

namespace {
std::vector<FileReport> one_report(const std::string& path) {
  auto m = test::read_md("| Task | PM | Dev |\n|-|-|-|\n| Ship | RA | A |\n| Test | C | RA |\n");
  return {lint::report(path, *m, {})};
}
}  // namespace

TEST(Reports, Text) {
  EXPECT_EQ(
      write_text_report(one_report("t.md"), false),
      "t.md:3:1: error: 'Ship': 2 parties are Accountable (PM, Dev): exactly one must be [RAC202]\n"
      "1 file checked: 1 error, 0 warnings, 0 infos\n");
  const std::string colored = write_text_report(one_report("t.md"), true);
  EXPECT_NE(colored.find("\x1b[1;31merror"), std::string::npos);
}

// GitHub Actions annotations: one workflow command per finding, escaped so that nothing
// from input (a path, a party's name in a message) can end the command or start another.
TEST(Reports, GithubAnnotations) {
  EXPECT_EQ(write_github_report(one_report("docs/raci,v2.md")),
            "::error file=docs/raci%2Cv2.md,line=3,col=1,title=RAC202::2 parties are "
            "Accountable (PM, Dev): exactly one must be\n"
            "1 file checked: 1 error, 0 warnings, 0 infos\n");
  auto forged = test::read_md("| Task | PM | Dev |\n|-|-|-|\n| Ship | C | I |\n");
  ASSERT_TRUE(forged.ok());
  forged->parties[0].name = "PM 100%\n::error file=x::forged\r";
  FileReport r = lint::report("a:b.md", *forged, {});
  const std::string out = write_github_report({r});
  EXPECT_EQ(out.find("\n::error file=x"), std::string::npos) << out;
  EXPECT_NE(out.find("PM 100%25\\n::error file=x::forged\\r"), std::string::npos) << out;
  EXPECT_EQ(out.substr(0, 32), "::error file=a%3Ab.md,line=3,col");
  FileReport bad;
  bad.path = "gone.md";
  bad.error = Error{bad.path, 0, 0, "no such file"};
  EXPECT_EQ(write_github_report({bad}), "::error file=gone.md,title=racine::no such file\n");
}

TEST(Reports, Json) {
  const auto j = nlohmann::json::parse(write_json_report(one_report("t.md")));
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["files"][0]["activities"], 2);
  EXPECT_EQ(j["files"][0]["diagnostics"][0]["code"], "RAC202");
  EXPECT_EQ(j["files"][0]["diagnostics"][0]["activity"], "Ship");
  EXPECT_EQ(j["summary"]["errors"], 1);
}

TEST(Reports, JsonForAFileThatCouldNotBeRead) {
  FileReport bad;
  bad.path = "x \"q\".md";
  bad.error = Error{bad.path, 2, 3, "invalid UTF-8\tbyte"};
  EXPECT_EQ(
      write_json_report({bad}),
      "{\n  \"version\": 1,\n  \"files\": [\n    {\n      \"path\": \"x \\\"q\\\".md\",\n"
      "      \"error\": {\n        \"line\": 2,\n        \"column\": 3,\n        \"message\": "
      "\"invalid UTF-8\\tbyte\"\n      }\n    }\n  ],\n  \"summary\": {\n    \"files\": 1,\n"
      "    \"errors\": 0,\n    \"warnings\": 0,\n    \"infos\": 0,\n    \"failed\": 1\n  }\n}\n");
  EXPECT_TRUE(nlohmann::json::accept(write_json_report({bad})));
}

TEST(Reports, SarifHasWhatCodeScanningNeeds) {
  const auto j = nlohmann::json::parse(
      write_sarif_report(one_report("dir/my file.md"), lint::rule_infos(""), "1.2.3"));
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), lint::all_rules().size());
  EXPECT_EQ(rules[7]["id"], "RAC202");
  EXPECT_EQ(rules[7]["name"], "SingleAccountable");
  EXPECT_EQ(rules[7]["helpUri"], "http://127.0.0.1:8080/docs/rules/RAC202");
  EXPECT_FALSE(rules[7]["fullDescription"]["text"].get<std::string>().empty());
  const auto& res = run["results"][0];
  EXPECT_EQ(res["ruleId"], "RAC202");
  EXPECT_EQ(res["ruleIndex"], 7);
  EXPECT_EQ(res["level"], "error");
  const auto& loc = res["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "dir/my%20file.md");
  EXPECT_EQ(loc["region"]["startLine"], 3);
  EXPECT_EQ(loc["region"]["startColumn"], 1);
  EXPECT_EQ(res["partialFingerprints"]["racineFingerprint/v1"].get<std::string>().size(), 16U);
}

}  // namespace racine::lint

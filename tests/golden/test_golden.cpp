// Golden tests: each case runs the binary on an input of tests/golden/ and compares its
// output with the `.expected` file beside it. RACINE_UPDATE_GOLDEN=1 rewrites the
// expected files; review the diff before committing.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "cli/cli_test_support.h"

namespace racine::test {

namespace {

struct Case {
  const char* name;  // expected file, under tests/golden/
  std::vector<std::string> args;
  int status;
  std::vector<std::string> env = {};
};

}  // namespace

class Golden : public ::testing::TestWithParam<Case> {};

TEST_P(Golden, OutputMatches) {
  const Case& c = GetParam();
  const Outcome r = racine(c.args, "", c.env, source_dir());
  EXPECT_EQ(r.status, c.status) << r.err;
  const std::string expected_path = source_dir() + "/tests/golden/" + c.name;
  const char* update = std::getenv("RACINE_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << r.out;
  }
  EXPECT_EQ(r.out, read_text(expected_path)) << "see " << expected_path;
}

INSTANTIATE_TEST_SUITE_P(
    Seed, Golden,
    ::testing::Values(
        Case{"lint/seed.text.expected", {"lint", "data/managed-kubernetes.md"}, 1},
        Case{"lint/seed.json.expected",
             {"lint", "--format", "json", "data/managed-kubernetes.md"},
             1},
        Case{"lint/seed.sarif.expected",
             {"lint", "--format", "sarif", "data/managed-kubernetes.md"},
             1},
        Case{"export/seed.json.expected", {"export", "--format", "json"}, 0},
        Case{"lint/variations.text.expected", {"lint", "tests/golden/lint/variations.md"}, 1},
        Case{"export/variations.json.expected",
             {"export", "--format", "json", "tests/golden/lint/variations.md"},
             0},
        Case{"export/seed.md.expected", {"export", "--format", "md"}, 0},
        Case{"export/seed.yaml.expected", {"export", "--format", "yaml"}, 0},
        Case{"export/seed.html.expected", {"export", "--format", "html"}, 0},
        Case{"export/seed-with.html.expected",
             {"export", "--format", "html", "--with", "infogerance-complementaire"},
             0},
        // An English matrix gives an English page (notes, an option, findings).
        Case{"export/variations.html.expected",
             {"export", "--format", "html", "tests/golden/lint/variations.md"},
             0},
        Case{"export/seed.ccm.json.expected", {"export", "--format", "ccm"}, 0},
        Case{"export/seed.ccm.csv.expected", {"export", "--format", "ccm-csv"}, 0},
        Case{"export/seed.oscal.json.expected",
             {"export", "--format", "oscal"},
             0,
             {"SOURCE_DATE_EPOCH=1764000000"}},
        Case{"export/seed.csv.expected", {"export", "--format", "csv"}, 0},
        // The alert routing as an Alertmanager configuration (docs/routing.md).
        Case{"export/seed.alertmanager.yml.expected", {"export", "--format", "alertmanager"}, 0},
        Case{"export/seed-with.alertmanager.yml.expected",
             {"export", "--format", "alertmanager", "--with", "infogerance-complementaire"},
             0},
        Case{"lint/rasci.text.expected", {"lint", "tests/golden/lint/rasci.md"}, 1},
        Case{"lint/daci.text.expected", {"lint", "tests/golden/lint/daci.md"}, 1},
        Case{"export/rasci.yaml.expected",
             {"export", "--format", "yaml", "tests/golden/lint/rasci.md"},
             0},
        Case{"diff/ids.text.expected",
             {"diff", "tests/golden/diff/ids-old.md", "tests/golden/diff/ids-new.md"},
             1},
        Case{"diff/ids.json.expected",
             {"diff", "--format", "json", "tests/golden/diff/ids-old.md",
              "tests/golden/diff/ids-new.md"},
             1},
        Case{"diff/ids.md.expected",
             {"diff", "--format", "md", "tests/golden/diff/ids-old.md",
              "tests/golden/diff/ids-new.md"},
             1},
        Case{"diff/parties.text.expected",
             {"diff", "tests/golden/diff/parties-old.md", "tests/golden/diff/parties-new.md"},
             1},
        Case{"diff/plain.text.expected",
             {"diff", "tests/golden/diff/plain-old.md", "tests/golden/diff/plain-new.md"},
             1},
        Case{"diff/plain.json.expected",
             {"diff", "--format", "json", "tests/golden/diff/plain-old.md",
              "tests/golden/diff/plain-new.md"},
             1},
        Case{"diff/plain.md.expected",
             {"diff", "--format", "md", "tests/golden/diff/plain-old.md",
              "tests/golden/diff/plain-new.md"},
             1},
        Case{"i18n/drift.text.expected",
             {"i18n", "tests/golden/i18n/source.md", "tests/golden/i18n/good.md",
              "tests/golden/i18n/drift.md"},
             1},
        Case{"i18n/drift.json.expected",
             {"i18n", "--format", "json", "tests/golden/i18n/source.md",
              "tests/golden/i18n/drift.md"},
             1},
        Case{"i18n/good.text.expected",
             {"i18n", "tests/golden/i18n/source.md", "tests/golden/i18n/good.md"},
             0},
        Case{"query/options.text.expected", {"options"}, 0},
        Case{"query/options-en.text.expected", {"options", "--lang", "en"}, 0},
        Case{"query/options.json.expected", {"options", "--json"}, 0},
        Case{"query/resolve.md.expected", {"resolve", "--with", "infogerance-complementaire"}, 0},
        Case{"query/resolve.json.expected",
             {"resolve", "--with", "infogerance-complementaire", "--format", "json"},
             0},
        Case{"query/who-backup.text.expected", {"who", "qui sauvegarde les applications ?"}, 0},
        Case{"query/who-backup.json.expected",
             {"who", "--json", "qui", "sauvegarde", "les", "applications"},
             0},
        Case{"query/who-backup-with.text.expected",
             {"who", "--with", "infogerance-complementaire", "--limit", "2",
              "sauvegarde des applications"},
             0},
        Case{"query/who-gray.text.expected", {"who", "développement d'un opérateur spécifique"}, 1},
        Case{"query/who-gray.json.expected",
             {"who", "--json", "développement d'un opérateur spécifique"},
             1},
        Case{"query/duties-client-r.text.expected", {"duties", "Client", "--role", "R"}, 0},
        Case{"query/duties-client-r.json.expected",
             {"duties", "client", "--role", "R", "--json"},
             0},
        Case{"query/summary.text.expected", {"summary"}, 0},
        Case{"query/summary.json.expected", {"summary", "--json"}, 0},
        Case{"query/summary-with.json.expected",
             {"summary", "--json", "--with", "infogerance-complementaire"},
             0}),
    [](const auto& p) {
      std::string n = p.param.name;
      for (auto& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      return n;
    });

}  // namespace racine::test

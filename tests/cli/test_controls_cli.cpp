// `racine lint --controls` and the exports of a control mapping (docs/compliance.md):
// findings with file:line, exit codes, where the mapping is found.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"

namespace racine::test {

namespace {

// The built-in matrix's findings are the same in every run here: only the mapping's matter.
std::string mapping_lines(const std::string& out, const std::string& path) {
  std::string kept;
  std::size_t at = 0;
  while (at < out.size()) {
    const std::size_t end = out.find('\n', at);
    const std::string line = out.substr(at, end - at);
    if (line.rfind(path, 0) == 0) kept += line + "\n";
    at = end == std::string::npos ? out.size() : end + 1;
  }
  return kept;
}

}  // namespace

TEST(ControlsCli, LintReportsUnknownActivitiesAndControlsWithTheirLines) {
  TempDir d;
  const auto map = d.write("map.controls.yaml",
                           "racine-controls: 1\n"
                           "catalog:\n"
                           "  id: csa-ccm-v4\n"
                           "  controls: [BCR-08, IAM-05]\n"
                           "mappings:\n"
                           "  - activity: back-up-the-cluster\n"
                           "    controls: [BCR-08]\n"
                           "  - activity: gestion-des-autorisations-des-operateurs\n"
                           "    controls: [IAM-05, IAM-5]\n");
  const Outcome l = racine({"lint", "--controls", map});
  EXPECT_EQ(l.status, 1);  // the built-in matrix has errors of its own too
  EXPECT_EQ(mapping_lines(l.out, map),
            map +
                ":6:15: error: the mapping names activity 'back-up-the-cluster', which the "
                "matrix does not have [RAC601]\n" +
                map +
                ":9:24: error: 'Gestion des autorisations des Opérateurs': control 'IAM-5' is not "
                "in catalog csa-ccm-v4 [RAC602]\n");
  EXPECT_NE(l.out.find("2 files checked: 4 errors"), std::string::npos) << l.out;
  // Turned off like any rule.
  const Outcome off = racine({"lint", "--controls", map, "--disable", "RAC601", "--disable",
                              "RAC602", "--format", "json"});
  EXPECT_EQ(mapping_lines(off.out, map), "");
  // The export refuses the mapping, and says where.
  const Outcome e = racine({"export", "--format", "oscal-ssp", "--controls", map});
  EXPECT_EQ(e.status, 2);
  EXPECT_EQ(e.out, "");
  EXPECT_NE(e.err.find(map + ":9:24: error: control 'IAM-5' is not in catalog csa-ccm-v4 [RAC602]"),
            std::string::npos)
      << e.err;
  // The example mapping of the built-in matrix is clean.
  const Outcome ok =
      racine({"lint", "--controls", source_dir() + "/data/managed-kubernetes.controls.yaml"});
  EXPECT_EQ(mapping_lines(ok.out, source_dir() + "/data/managed-kubernetes.controls.yaml"), "");
}

TEST(ControlsCli, MalformedMappingsAndMissingOnesExitTwo) {
  TempDir d;
  const auto key = d.write("key.controls.yaml",
                           "racine-controls: 1\ncatalog: {id: x}\nmappings:\n"
                           "  - activity: a\n    controls: [X-1]\n    owner: me\n");
  const Outcome k = racine({"export", "--format", "oscal-ssp", "--controls", key});
  EXPECT_EQ(k.status, 2);
  EXPECT_EQ(k.err, key +
                       ":6:5: error: unknown key 'owner' in a mapping (known: activity, controls, "
                       "origination)\n");
  // A Markdown matrix without NAME.controls.yaml beside it, and no --controls.
  const auto matrix =
      d.write("m.md", "| Activité | Client | Fournisseur |\n|---|---|---|\n| A | R | A |\n");
  const Outcome none =
      racine({"export", "--format", "crm-xlsx", matrix, "-o", d.path().string() + "/x.xlsx"});
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("no control mapping for this matrix: write " + d.path().string() +
                          "/m.controls.yaml or pass --controls FILE"),
            std::string::npos)
      << none.err;
  // --controls with a format that takes none.
  const Outcome wrong = racine({"export", "--format", "json", "--controls", key});
  EXPECT_EQ(wrong.status, 2);
  EXPECT_NE(wrong.err.find("--controls is for --format oscal-ssp"), std::string::npos) << wrong.err;
}

}  // namespace racine::test

// Translations of the real corpus against their French source: the 28 agree, and drift
// made from them (a row deleted or inserted, a role or a marker changed, a section
// removed) gives exactly the expected findings. Skips when the corpus is absent.

#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_test_support.h"
#include "compare/i18n.h"
#include "formats/loader.h"
#include "formats/markdown_reader.h"
#include "prerequisites.h"

namespace racine::test {

namespace {

Matrix read_md_text(const std::string& text, const std::string& name) {
  auto src = load_text(text, name, Limits{});
  EXPECT_TRUE(src.ok());
  auto m = read_markdown(*src, ReadOptions{});
  EXPECT_TRUE(m.ok()) << name;
  return std::move(*m);
}

std::string corpus_file(const std::string& lang, const std::string& service) {
  return read_text(corpus_dir() + "/cloud-temple/" + lang + "/" + service + ".md");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> findings(const Matrix& source, const std::string& translation) {
  const Matrix t = read_md_text(translation, "t.md");
  std::vector<std::string> out;
  for (const auto& d : compare::compare_translation(source, t)) {
    out.push_back(d.code + "@" + std::to_string(t.source->position(d.span.begin).line) + ": " +
                  d.message);
  }
  return out;
}

}  // namespace

TEST(CorpusI18n, EveryTranslationAgreesWithItsSource) {
  RACINE_REQUIRE_CORPUS();
  std::size_t checked = 0;
  for (const char* service : {"iaas-raci", "iaas-raci_s3", "kubernetes-raci", "llmaas-raci",
                              "network-raci", "paas-raci", "paas-raci_ocp_std"}) {
    const Matrix source = read_md_text(corpus_file("fr", service), std::string("fr/") + service);
    for (const char* lang : {"de", "en", "es", "it"}) {
      EXPECT_EQ(findings(source, corpus_file(lang, service)), std::vector<std::string>{})
          << lang << "/" << service;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 28U);
}

TEST(CorpusI18n, DriftMadeFromTheKubernetesTranslation) {
  RACINE_REQUIRE_CORPUS();
  const Matrix source = read_md_text(corpus_file("fr", "kubernetes-raci"), "fr/kubernetes-raci.md");
  const auto en = lines_of(corpus_file("en", "kubernetes-raci"));
  // The lines the drift is made on (1-based), checked first so that a corpus change shows.
  ASSERT_GE(en.size(), 80U);
  ASSERT_NE(en[25].find("| Configure CI/CD pipelines"), std::string::npos);
  ASSERT_NE(en[55].find("| Manage SSL/TLS certificates for the Kubernetes service"),
            std::string::npos);
  ASSERT_EQ(en[62], "### Backup and Disaster Recovery");
  ASSERT_EQ(en[75], "### Support and Issue Resolution");

  auto deleted = en;
  deleted.erase(deleted.begin() + 25);
  EXPECT_EQ(findings(source, joined(deleted)),
            (std::vector<std::string>{
                "RAC401@20: section 'Project and Business Application Management' has 3 activities "
                "and the source's 'Gestion des projets et applications métiers' 4; no counterpart "
                "for 'Configurer les pipelines CI/CD' (line 27)"}));

  auto inserted = en;
  inserted.insert(inserted.begin() + 26, "| Audit the CI/CD pipelines | RA | I |");
  EXPECT_EQ(findings(source, joined(inserted)),
            (std::vector<std::string>{
                "RAC401@20: section 'Project and Business Application Management' has 5 activities "
                "and the source's 'Gestion des projets et applications métiers' 4",
                "RAC401@27: this activity has no counterpart in the source"}));

  auto role = en;
  role[55].replace(role[55].find("| C          |"), 14, "| CI         |");
  EXPECT_EQ(findings(source, joined(role)),
            (std::vector<std::string>{
                "RAC402@56: Client has 'CI' here and 'C' in the source (line 57)"}));

  auto marker = en;
  marker[25].replace(marker[25].find("I*"), 2, "I ");
  EXPECT_EQ(
      findings(source, joined(marker)),
      (std::vector<std::string>{
          "RAC403@26: markers of Cloud Temple are none here and '*' in the source (line 27)"}));

  auto section = en;
  section.erase(section.begin() + 62, section.begin() + 75);
  EXPECT_EQ(findings(source, joined(section)),
            (std::vector<std::string>{
                "RAC401@63: section 'Sauvegarde et reprise après sinistre' of the source (line 64, "
                "6 activities) is missing from the translation"}));
}

}  // namespace racine::test

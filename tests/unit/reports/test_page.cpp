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

// The seed's page, in French (the seed's language): 17 of its 18 findings on their rows,
// its RAC302 warning on the note it is about, the 22 cells its option could hand over,
// nothing changed.
TEST(Page, GathersTheFindingsAndDelegableCellsOfTheSeed) {
  const HtmlExtras x = gather_page(seed(), config::Config{});
  EXPECT_EQ(x.lang, Lang::fr);
  EXPECT_EQ(finding_count(x), 17U);
  EXPECT_TRUE(x.other_findings.empty());
  ASSERT_EQ(x.note_findings.size(), 1U);
  EXPECT_EQ(x.note_findings.begin()->first, 4U);  // "*Package opérateur inclus...", line 122
  ASSERT_EQ(x.note_findings.begin()->second.size(), 1U);
  EXPECT_EQ(x.note_findings.begin()->second[0].code, "RAC302");
  EXPECT_EQ(x.note_findings.begin()->second[0].severity, Severity::warning);
  std::vector<std::string> errors;
  for (const auto& [row, findings] : x.findings) {
    for (const auto& f : findings) {
      if (f.code != "RAC204") {
        EXPECT_EQ(f.activity, seed().sections[row.first].activities[row.second].title);
        errors.push_back(f.code + " " + std::string(to_string(f.severity)) + ": " + f.message);
      }
    }
  }
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[1], "RAC201 error: no party is Accountable (Client C, Cloud Temple R)");
  EXPECT_EQ(x.delegable.size(), 22U);
  for (const auto& [cell, note] : x.delegable) {
    EXPECT_EQ(note.rfind("option infogerance-complementaire : Ces responsabilités", 0), 0U) << note;
  }
  EXPECT_EQ(x.option_cells,
            (std::map<std::string, std::size_t>{{"infogerance-complementaire", 22}}));
  EXPECT_TRUE(x.changed.empty());
  EXPECT_EQ(x.applied, "");
  // --lang en: the same page in English; a language the reports do not speak: English.
  EXPECT_EQ(gather_page(seed(), config::Config{}, nullptr, {}, "en")
                .delegable.begin()
                ->second.rfind("option infogerance-complementaire: Ces", 0),
            0U);
  EXPECT_EQ(gather_page(seed(), config::Config{}, nullptr, {}, "de").lang, Lang::en);
}

// The findings of the XLSX "Findings" sheet: every finding of the linter, in its order,
// with its line and the activity of that line (none for the note's warning).
TEST(Page, GathersTheFindingsWithTheirLineAndActivity) {
  const auto findings = gather_findings(seed(), config::Config{});
  ASSERT_EQ(findings.size(), 18U);
  std::size_t infos = 0;
  for (const auto& f : findings) {
    EXPECT_GT(f.line, 0U) << f.code;
    EXPECT_EQ(f.activity.empty(), f.code == "RAC302") << f.code;
    infos += f.severity == Severity::info ? 1U : 0U;
  }
  EXPECT_EQ(infos, 15U);
  EXPECT_EQ(findings[0].code, "RAC202");
  EXPECT_EQ(findings[0].line, 53U);
  EXPECT_EQ(findings[0].activity, "Gérer la sécurité du service Kubernetes");
  EXPECT_EQ(findings[17].code, "RAC302");
  EXPECT_EQ(findings[17].line, 122U);
}

// Under an option: the cells it changed, what they were, and the option named; no
// change shown without the matrix before the options.
TEST(Page, GathersWhatTheOptionsChanged) {
  const std::vector<std::string> with = {"infogerance-complementaire"};
  auto eff = resolve::apply(seed(), with);
  ASSERT_TRUE(eff);
  const HtmlExtras x = gather_page(eff->matrix, config::Config{}, &seed(), with);
  EXPECT_EQ(x.changed.size(), 22U);
  for (const auto& [cell, was] : x.changed) {
    EXPECT_EQ(was.rfind("option infogerance-complementaire : avant ", 0), 0U) << was;
  }
  EXPECT_EQ(x.applied, "infogerance-complementaire");
  EXPECT_EQ(finding_count(x), 17U);
  const HtmlExtras alone = gather_page(eff->matrix, config::Config{}, nullptr, with);
  EXPECT_TRUE(alone.changed.empty());
  EXPECT_EQ(alone.applied, "");
  EXPECT_EQ(html_page(eff->matrix, config::Config{}, &seed(), with), write_html(eff->matrix, x));
}

// The report's language: asked for, else the matrix's; English for any other.
TEST(Labels, ReportLanguageIsAskedForElseTheMatrixsElseEnglish) {
  Matrix m;
  m.language = "fr";
  EXPECT_EQ(report_language(m), Lang::fr);
  EXPECT_EQ(report_language(m, "en"), Lang::en);
  EXPECT_EQ(report_language(m, "EN"), Lang::en);
  EXPECT_EQ(report_language(m, "de"), Lang::en);
  m.language = "en";
  EXPECT_EQ(report_language(m, "fr"), Lang::fr);
  for (const char* other : {"de", "es", "it", ""}) {
    m.language = other;
    EXPECT_EQ(report_language(m), Lang::en) << other;
  }
  EXPECT_EQ(lang_code(Lang::fr), "fr");
}

// What a role letter stands for: the matrix's own legend first, DACI's words for A and C.
TEST(Labels, RoleNamesFollowTheLegendAndTheVocabulary) {
  RoleVocabulary raci;
  EXPECT_EQ(role_name(labels(Lang::fr), raci, 'A'), "Approbateur");
  EXPECT_EQ(role_name(labels(Lang::en), raci, 'C'), "Consulted");
  RoleVocabulary daci;
  daci.letters = "DACI";
  EXPECT_EQ(role_name(labels(Lang::en), daci, 'A'), "Approver");
  EXPECT_EQ(role_name(labels(Lang::fr), daci, 'C'), "Contributeur");
  EXPECT_EQ(role_name(labels(Lang::fr), daci, 'D'), "Pilote");
  RoleVocabulary legend;
  legend.legend.push_back({'R', "(R) Réalise", 0});
  EXPECT_EQ(role_name(labels(Lang::en), legend, 'R'), "Réalise");
  EXPECT_EQ(role_name(labels(Lang::en), legend, 'A'), "Accountable");
  EXPECT_EQ(severity_label(labels(Lang::fr), Severity::warning), "avertissement");
}

// A cell's qualifier ("R (Build)") is shown on the page, after the cell's roles.
TEST(Page, ShowsCellRemarks) {
  auto m = test::read_md("| Task | PM | Dev |\n|---|---|---|\n| Ship | A | R (Build) |\n");
  ASSERT_TRUE(m.ok());
  const std::string html = write_html(*m, HtmlExtras{});
  EXPECT_NE(html.find("<span class=\"remark\"> (Build)</span></td>"), std::string::npos);
  EXPECT_EQ(html.find("<span class=\"remark\">"), html.rfind("<span class=\"remark\">"));
}

}  // namespace racine::reports

// The reports for people end to end (docs/reports.md): the HTML page is in the matrix's
// language (the French seed gives a French page, an English matrix an English one),
// `--lang` overrides it on export, convert and resolve, and a language the reports do not
// speak gives English.

#include <gtest/gtest.h>

#include "cli/cli_test_support.h"

namespace racine::test {

namespace {

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// The page's language and the words that show it.
std::string language_of(const std::string& page) {
  const bool fr = has(page, "<html lang=\"fr\">") && has(page, "<th>Activité</th>") &&
                  has(page, "placeholder=\"Rechercher une activité\"") &&
                  has(page, "<figcaption id=\"chart-title\">Rôles par partie</figcaption>");
  const bool en = has(page, "<html lang=\"en\">") && has(page, "<th>Activity</th>") &&
                  has(page, "placeholder=\"Search activities\"") &&
                  has(page, "<figcaption id=\"chart-title\">Roles per party</figcaption>");
  return fr && !en ? "fr" : en && !fr ? "en" : "mixed";
}

std::string english_matrix() {
  return source_dir() + "/tests/golden/lint/variations.md";
}

}  // namespace

TEST(ReportsCli, HtmlIsInTheMatrixLanguageUnlessLangSays) {
  const Outcome seed = racine({"export", "--format", "html"});
  ASSERT_EQ(seed.status, 0) << seed.err;
  EXPECT_EQ(language_of(seed.out), "fr");
  EXPECT_TRUE(has(seed.out,
                  "<li class=\"finding finding-error\"><span class=\"code\">RAC202</span> "
                  "erreur : 2 parties are Accountable"));
  EXPECT_EQ(language_of(racine({"export", "--format", "html", "--lang", "en"}).out), "en");
  // A language the reports do not speak: English.
  EXPECT_EQ(language_of(racine({"export", "--format", "html", "--lang", "de"}).out), "en");
  const Outcome en = racine({"export", "--format", "html", english_matrix()});
  ASSERT_EQ(en.status, 0) << en.err;
  EXPECT_EQ(language_of(en.out), "en");
  EXPECT_TRUE(has(en.out,
                  "<li class=\"finding finding-warning\"><span class=\"code\">RAC103</span> "
                  "warning: line 33: party &#39;Client&#39;"));
  EXPECT_EQ(
      language_of(racine({"export", "--format", "html", "--lang", "fr", english_matrix()}).out),
      "fr");
  const Outcome bad = racine({"export", "--format", "html", "--lang", "xx"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(
      bad.err,
      "racine: --lang: 'xx' is not one of fr, en, de, es, it\nRun 'racine export --help' for more "
      "information.\n");
}

TEST(ReportsCli, ConvertAndResolveTakeLangToo) {
  const TempDir d;
  const std::string html = (d.path() / "seed.html").string();
  ASSERT_EQ(racine({"convert", seed_path(), html, "--lang", "en"}).status, 0);
  EXPECT_EQ(language_of(read_text(html)), "en");
  ASSERT_EQ(racine({"convert", seed_path(), html}).status, 0);
  EXPECT_EQ(language_of(read_text(html)), "fr");
  const Outcome resolved = racine(
      {"resolve", "--with", "infogerance-complementaire", "--format", "html", "--lang", "en"});
  ASSERT_EQ(resolved.status, 0) << resolved.err;
  EXPECT_EQ(language_of(resolved.out), "en");
  EXPECT_TRUE(has(resolved.out,
                  "<p class=\"applied\">Effective matrix under option infogerance-complementaire: "
                  "changed cells are highlighted.</p>"));
  // The workbook takes it as well (its sheets: tests/xlsx/libreoffice.sh).
  const std::string xlsx = (d.path() / "seed.xlsx").string();
  EXPECT_EQ(racine({"export", "--lang", "en", "-o", xlsx}).status, 0);
  EXPECT_EQ(read_text(xlsx).substr(0, 4), std::string("PK\x03\x04", 4));
}

TEST(ReportsCli, HelpSaysWhatLangDoes) {
  for (const char* cmd : {"export", "convert", "resolve"}) {
    const Outcome help = racine({cmd, "--help"});
    EXPECT_TRUE(has(help.out,
                    "  --lang LANG                   Language of the html and xlsx reports' "
                    "labels: fr or en (de, es and it give en; default: the matrix's language, "
                    "else en)\n"))
        << cmd << "\n"
        << help.out;
  }
}

}  // namespace racine::test

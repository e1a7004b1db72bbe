// Issue 29: lookups that call the gray zone only when the matrix does not know the
// question's words, no verdict on a half-typed word, the option that moved a row, twin
// titles, scripts whose marks are letters, and a language left unknown rather than
// guessed wrong.

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "../test_support.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/vocabulary.h"
#include "query/index.h"
#include "query/query_json.h"
#include "resolve/options.h"

namespace racine::query {

namespace {

using test::seed;

const Index& verdicts_seed_index() {
  static const Index ix = Index::build(seed());
  return ix;
}

const Activity& verdicts_activity_of(const Matrix& m, const Match& x) {
  return m.sections[x.section].activities[x.activity];
}

std::string verdicts_first_id(const Answer& a) {
  return a.matches.empty() ? std::string("-") : verdicts_activity_of(seed(), a.matches.front()).id;
}

}  // namespace

// tests/data/who_builtin_heldout.tsv, written before the analyser was changed for issue
// 29 (its header says how). Before: 48/50 right first, none of the covered called the
// gray zone, 18/20 uncovered called the gray zone; after: 48/50, none, 19/20 (the one
// left, a specific operator's development, is the note's, not unknown words: uncertain).
// docs/query.md, "Measurement".
TEST(Verdicts, BuiltinHeldOutQuestions) {
  std::ifstream in(std::string(RACINE_SOURCE_DIR) + "/tests/data/who_builtin_heldout.tsv");
  ASSERT_TRUE(in) << "tests/data/who_builtin_heldout.tsv";
  std::size_t covered = 0;
  std::size_t right = 0;
  std::size_t covered_gray = 0;
  std::size_t uncovered = 0;
  std::size_t uncovered_gray = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream cols(line);
    std::string query;
    std::string expected;
    std::getline(cols, query, '\t');
    std::getline(cols, expected, '\t');
    const Answer a = verdicts_seed_index().search(query, 3);
    const bool gray = a.outcome == Outcome::gray_zone;
    if (expected == "gray zone") {
      ++uncovered;
      uncovered_gray += gray ? 1U : 0U;
      if (!gray) std::cout << "  not gray: \"" << query << "\" -> " << verdicts_first_id(a) << "\n";
      continue;
    }
    ++covered;
    covered_gray += gray ? 1U : 0U;
    bool ok = false;
    std::stringstream ids(expected);
    for (std::string id; std::getline(ids, id, '|');) ok = ok || id == verdicts_first_id(a);
    ok = ok && !gray;
    right += ok ? 1U : 0U;
    if (!ok)
      std::cout << "  miss: \"" << query << "\" -> " << outcome_name(a.outcome) << " "
                << verdicts_first_id(a) << "\n";
  }
  std::cout << "covered " << covered << ": right first " << right << ", called gray zone "
            << covered_gray << "; uncovered " << uncovered << ": called gray zone "
            << uncovered_gray << "\n";
  EXPECT_EQ(covered, 50U);
  EXPECT_EQ(uncovered, 20U);
  EXPECT_EQ(right, 48U);
  EXPECT_EQ(covered_gray, 0U);
  EXPECT_EQ(uncovered_gray, 19U);
}

// A question about payroll is not covered because "Gérer ..." titles score: its words
// are nowhere in the matrix, so it is the gray zone, with the note.
TEST(Verdicts, UnknownWordsMakeTheGrayZoneWhateverTheScore) {
  for (const char* q : {"qui gère la paie des employés ?", "who waters the plants in the office?",
                        "qui commande les pizzas pour l'équipe ?"}) {
    const Answer a = verdicts_seed_index().search(q, 3);
    EXPECT_EQ(a.outcome, Outcome::gray_zone) << q;
    EXPECT_LT(a.known, k_min_known) << q;
  }
  const Answer paie = verdicts_seed_index().search("qui gère la paie des employés ?", 3);
  EXPECT_DOUBLE_EQ(paie.known, 0.0);  // "qui gère" is a question's filler: paie, employés
  const auto json = nlohmann::json::parse(answer_to_json_text(seed(), "paie", paie));
  EXPECT_EQ(json["outcome"], "gray_zone");
  EXPECT_NE(json["gray_zone_note"].get<std::string>().find("facturées en mode projet"),
            std::string::npos);
  // Known words keep a question covered even when half its words are unknown.
  const Answer arch = verdicts_seed_index().search(
      "qui dessine l'architecture d'ensemble de la plateforme kubernetes ?", 3);
  EXPECT_NE(arch.outcome, Outcome::gray_zone);
  EXPECT_EQ(verdicts_first_id(arch), "definir-l-architecture-globale-du-service-kubernetes");
}

// While typing, the last word is a prefix; a prefix the matrix has nothing for is no
// verdict (left out), and a finished word is judged as always.
TEST(Verdicts, HalfTypedWordIsNoVerdict) {
  const SearchOptions typing{5, true};
  const Answer whole = verdicts_seed_index().search("qui sauveg", 5);
  EXPECT_EQ(whole.outcome, Outcome::gray_zone);  // "sauveg" as a finished word
  const Answer half = verdicts_seed_index().search("qui sauveg", typing);
  EXPECT_NE(half.outcome, Outcome::gray_zone);
  ASSERT_FALSE(half.matches.empty());
  EXPECT_NE(verdicts_first_id(half).find("sauvegarde"), std::string::npos)
      << verdicts_first_id(half);
  // Nothing begins with it yet: nothing to look for, not the gray zone.
  EXPECT_EQ(verdicts_seed_index().search("qui xq", typing).outcome, Outcome::empty);
  EXPECT_EQ(verdicts_seed_index().search("qui sauvegarde les applic", typing).outcome,
            verdicts_seed_index().search("qui sauvegarde les applications", 5).outcome);
  EXPECT_EQ(verdicts_first_id(verdicts_seed_index().search("qui sauvegarde les applic", typing)),
            verdicts_first_id(verdicts_seed_index().search("qui sauvegarde les applications", 5)));
  // The half word is left out: the finished ones decide ("pizzas" is no activity's).
  EXPECT_EQ(verdicts_seed_index().search("qui commande des pizzas pour l'équ", typing).outcome,
            Outcome::gray_zone);
  // A space after the word: it is finished, and judged.
  EXPECT_EQ(verdicts_seed_index().search("qui sauveg ", typing).outcome, Outcome::gray_zone);
  // Prefixes of one or two letters stand for no word.
  EXPECT_EQ(verdicts_seed_index().search("qui sa", typing).outcome, Outcome::empty);
}

// An answer under a contract names the option that moved its row.
TEST(Verdicts, AnswerNamesTheOptionThatMovedItsRow) {
  auto r = resolve::apply(seed(), {"infogerance-complementaire"});
  ASSERT_TRUE(r.ok());
  std::vector<MovedRow> moved;
  for (const auto& c : r->changes) moved.push_back({c.section, c.activity, c.option});
  ASSERT_FALSE(moved.empty());
  const Index ix = Index::build(r->matrix, moved);
  const Answer a = ix.search("qui sauvegarde les applications ?", 5);
  ASSERT_FALSE(a.matches.empty());
  const std::string id = verdicts_activity_of(r->matrix, a.matches.front()).id;
  EXPECT_TRUE(id == "mettre-en-oeuvre-et-gerer-les-sauvegardes-des-applications" ||
              id == "definir-la-strategie-de-sauvegarde-pour-les-applications")
      << id;
  EXPECT_EQ(a.matches.front().via, std::vector<std::string>{"infogerance-complementaire"});
  const auto json = nlohmann::json::parse(answer_to_json_text(r->matrix, "q", a))["matches"][0];
  EXPECT_EQ(json["via"], nlohmann::json::array({"infogerance-complementaire"}));
  EXPECT_EQ(json["roles"]["cloud-temple"], "RA");
  // A row no option moved says nothing.
  const Answer k8s = ix.search("qui sauvegarde le service kubernetes ?", 5);
  ASSERT_FALSE(k8s.matches.empty());
  EXPECT_TRUE(k8s.matches.front().via.empty());
  EXPECT_FALSE(
      nlohmann::json::parse(answer_to_json_text(r->matrix, "q", k8s))["matches"][0].contains(
          "via"));
  // Without the option, nothing moved.
  EXPECT_TRUE(verdicts_seed_index()
                  .search("qui sauvegarde les applications ?", 5)
                  .matches.front()
                  .via.empty());
}

// Twins (the same title in two sections) are marked, so that their sections are shown.
TEST(Verdicts, TwinTitlesAreMarked) {
  const Answer a = verdicts_seed_index().search("mise à jour des opérateurs", 2);
  ASSERT_EQ(a.matches.size(), 2U);
  for (const auto& x : a.matches) EXPECT_TRUE(x.shared_title);
  EXPECT_NE(a.matches[0].section, a.matches[1].section);
  const auto json = nlohmann::json::parse(answer_to_json_text(seed(), "q", a));
  EXPECT_EQ(json["matches"][0]["shared_title"], true);
  EXPECT_NE(json["matches"][0]["section"], json["matches"][1]["section"]);
  const Answer one = verdicts_seed_index().search("politiques de sécurité des pods", 1);
  ASSERT_EQ(one.matches.size(), 1U);
  EXPECT_FALSE(one.matches.front().shared_title);
  EXPECT_FALSE(nlohmann::json::parse(answer_to_json_text(seed(), "q", one))["matches"][0].contains(
      "shared_title"));
}

// Folding keeps the marks that are letters: kana voicing, Cyrillic й; NFKC and case
// folding still apply; Latin, Greek and ё lose their accents as before.
TEST(Verdicts, FoldingKeepsMarksThatAreLetters) {
  EXPECT_EQ(text::fold("バス設定"), "バス設定");
  EXPECT_EQ(text::fold("パス設定"), "パス設定");
  EXPECT_EQ(text::fold("ハス設定"), "ハス設定");
  EXPECT_EQ(text::fold("ﾊﾞｽ設定"), "バス設定");  // half-width kana: NFKC
  EXPECT_EQ(text::fold("がぎぐ"), "がぎぐ");
  EXPECT_EQ(text::fold("Йод и ёлка"), "йод и елка");
  EXPECT_EQ(text::fold("Ελληνικά"), "ελληνικα");
  EXPECT_EQ(text::fold("ÉTÉ バス Größe"), "ete バス grosse");
  EXPECT_EQ(text::fold("Quản lý dự án"), "quan ly du an");
  EXPECT_EQ(text::slugify("バス設定"), "バス設定");
  EXPECT_EQ(text::slugify("パス設定"), "パス設定");
  ActivityIds ids;
  EXPECT_EQ(ids.from_title("バス設定"), "バス設定");
  EXPECT_EQ(ids.from_title("パス設定"), "パス設定");
  EXPECT_EQ(ids.from_title("ハス設定"), "ハス設定");
  // Latin titles keep their ids.
  EXPECT_EQ(ids.from_title("Définir l'architecture (globale)"), "definir-l-architecture-globale");
}

// Japanese rows that differ by a voicing mark are two rows, found apart; Chinese and
// Japanese queries are cut by ICU's word breaks.
TEST(Verdicts, VoicedAndUnvoicedKanaAreApart) {
  auto m = test::read_md(
      "| Activity | Client | Provider |\n|---|---|---|\n"
      "| バス設定 | RA | I |\n"
      "| パス設定 | I | RA |\n"
      "| 数据库备份 | RA | I |\n"
      "| 网络监控 | I | RA |\n");
  ASSERT_TRUE(m.ok());
  std::vector<std::string> got;
  for (const auto& a : m->sections.front().activities) got.push_back(a.id);
  EXPECT_EQ(got, (std::vector<std::string>{"バス設定", "パス設定", "数据库备份", "网络监控"}));
  const Index ix = Index::build(*m);
  const Answer pass = ix.search("パス設定", 4);
  ASSERT_GE(pass.matches.size(), 1U);
  EXPECT_EQ(pass.matches[0].activity, 1U);
  EXPECT_EQ(pass.outcome, Outcome::answered);
  ASSERT_GE(pass.matches.size(), 2U);
  EXPECT_GT(pass.matches[0].score, pass.matches[1].score);
  const Answer bus = ix.search("バス設定", 4);
  ASSERT_FALSE(bus.matches.empty());
  EXPECT_EQ(bus.matches[0].activity, 0U);
  EXPECT_GT(bus.matches[0].score, bus.matches.size() > 1 ? bus.matches[1].score : 0.0);
  const Answer pass_q = ix.search("パスの設定は誰ですか", 4);
  ASSERT_FALSE(pass_q.matches.empty());
  EXPECT_EQ(pass_q.matches[0].activity, 1U);
  const Answer backup = ix.search("谁负责数据库备份", 4);
  ASSERT_FALSE(backup.matches.empty());
  EXPECT_EQ(backup.matches[0].activity, 2U);
  const Answer network = ix.search("网络监控由谁负责", 4);
  ASSERT_FALSE(network.matches.empty());
  EXPECT_EQ(network.matches[0].activity, 3U);
}

// Below a confidence the language is unknown: Vietnamese (no stemmer) is neither
// English nor French, and two languages explaining a text about as well give none.
TEST(Verdicts, LanguageUnknownRatherThanWrong) {
  const auto vi = vocabulary::guess_language_with_confidence(
      text::fold("Danh sách vai trò và nhân sự của dự án. Người thực hiện trực tiếp, người "
                 "chịu trách nhiệm với khách hàng. Phân tích yêu cầu người dùng, thiết kế hệ "
                 "thống, kiểm thử và triển khai. A – Accountable, R – Responsible, the PM"));
  EXPECT_EQ(vi.code, "");
  const auto vi_fr = vocabulary::guess_language_with_confidence(
      text::fold("Quản lý dự án và kế hoạch cho nhóm. Le plan de la phase des tests"));
  EXPECT_EQ(vi_fr.code, "");
  // fr 3 (la, de, les), es 2 (la, de): ahead by a third, known; en 3 and fr 3: a tie.
  EXPECT_EQ(vocabulary::guess_language("la phase de les tests"), "fr");
  EXPECT_EQ(vocabulary::guess_language("the plan and the tests, le plan de la phase"), "");
  EXPECT_EQ(vocabulary::guess_language("the plan and the tests of the team for the project"), "en");
  auto m = test::read_md(
      "# Bảng Ma trận RACI\n\nTrong bảng sau, mỗi dòng là một công việc của nhóm dự án và "
      "người chịu trách nhiệm.\n\n| Công việc | PM | Tester |\n|---|---|---|\n"
      "| Phân tích yêu cầu người dùng | A | C |\n| Kiểm thử tính năng | C | R/A |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->language, "");
  const Index ix = Index::build(*m);
  const Answer a = ix.search("kiểm thử", 2);
  ASSERT_FALSE(a.matches.empty());
  EXPECT_EQ(a.matches.front().activity, 1U);
  const auto json = nlohmann::json::parse(answer_to_json_text(*m, "q", a));
  EXPECT_TRUE(json["language"].is_null());
  EXPECT_EQ(nlohmann::json::parse(answer_to_json_text(seed(), "q", a))["language"], "fr");
}

}  // namespace racine::query

#include <gtest/gtest.h>

#include "../../hostile_inputs.h"
#include "../test_support.h"
#include "core/vocabulary.h"
#include "formats/html_table.h"
#include "formats/json_writer.h"
#include "formats/loader.h"
#include "formats/markdown_prescan.h"
#include "formats/markdown_reader.h"
#include "lint/linter.h"

namespace racine {

using test::read_md;

namespace {
std::uint32_t line_of(const Matrix& m, Span s) {
  return m.source->position(s.begin).line;
}
const Activity& act(const Matrix& m, std::size_t s, std::size_t a) {
  return m.sections.at(s).activities.at(a);
}
std::string roles(const Matrix& m, const Activity& a, std::size_t p) {
  (void)m;
  return a.cells.at(p).roles.to_string();
}
}  // namespace

TEST(MarkdownReader, SeedMatrix) {
  ReadOptions o;
  o.id = "managed-kubernetes";
  auto m = read_markdown(builtin_matrix(), o);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->activity_count(), 71U);
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Client", "Cloud Temple"}));
  EXPECT_EQ(m->title, "Matrice de Responsabilités (RACI) - Managed Kubernetes");
  EXPECT_EQ(m->language, "fr");
  EXPECT_EQ(m->sections.size(), 12U);
  EXPECT_EQ(m->sections[0].title, "Architecture & Infrastructure");
  const Activity& security = act(*m, 4, 0);
  EXPECT_EQ(security.title, "Gérer la sécurité du service Kubernetes");
  EXPECT_EQ(line_of(*m, security.span), 53U);
  EXPECT_EQ(security.id, "gerer-la-securite-du-service-kubernetes");
  // Duplicate titles in two sections get distinct ids.
  EXPECT_EQ(act(*m, 9, 1).id, "mise-a-jour-des-operateurs");
  EXPECT_EQ(act(*m, 10, 1).id, "mise-a-jour-des-operateurs-2");
  // Notes, markers and the delegation option.
  ASSERT_EQ(m->notes.size(), 6U);
  EXPECT_EQ(line_of(*m, m->notes[0].span), 27U);
  EXPECT_EQ(m->notes[0].marker, "*");
  ASSERT_EQ(m->options.size(), 1U);
  EXPECT_EQ(m->options[0].id, "infogerance-complementaire");
  std::size_t delegable_rows = 0;
  for (const auto& s : m->sections) {
    for (const auto& a : s.activities) {
      bool d = false;
      for (const auto& use : m->marker_uses) {
        if (use.note >= 0 && m->notes[static_cast<std::size_t>(use.note)].marker == "*" &&
            &m->sections[use.section].activities[use.activity] == &a && use.party >= 0 &&
            m->notes[static_cast<std::size_t>(use.note)].text == m->options[0].text) {
          d = true;
        }
      }
      delegable_rows += d ? 1 : 0;
    }
  }
  EXPECT_EQ(delegable_rows, 11U);
  // The title marker of line 45 binds to the note of line 47, not to a delegation note.
  const Activity& ops = act(*m, 3, 2);
  EXPECT_EQ(ops.title_markers, std::vector<std::string>{"*"});
}

TEST(MarkdownReader, TableAfterATextLineGetsRightLines) {
  // cmark-gfm issue #222: a table right after a text line has a wrong start line.
  auto m =
      read_md("Intro text\n| Task | PM | Dev |\n|-|-|-|\n| Ship | RA | C |\n| Test | C | RA |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(line_of(*m, m->tables[0].span), 2U);
  EXPECT_EQ(line_of(*m, act(*m, 0, 0).span), 4U);
  EXPECT_EQ(line_of(*m, act(*m, 0, 1).span), 5U);
  EXPECT_EQ(line_of(*m, m->parties[1].spellings[0].span), 2U);
  EXPECT_EQ(m->source->position(act(*m, 0, 1).cells[1].span.begin).column, 14U);
}

TEST(MarkdownReader, MarkerParagraphRightAboveATable) {
  // Found by the fuzzer: the paragraph has no position (issue #222); it is no note.
  auto m = read_md("*note\n| T | A | B |\n|-|-|-|\n| x | RA | C |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->notes.empty());
  EXPECT_EQ(line_of(*m, act(*m, 0, 0).span), 4U);
}

TEST(MarkdownReader, EscapedPipesAndCodeSpans) {
  auto m = read_md(
      "| Task | PM | Dev |\n|---|---|---|\n| Ship a \\| b | RA | C |\n| Use `x` | RA | C |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(act(*m, 0, 0).title, "Ship a | b");
  EXPECT_EQ(act(*m, 0, 0).source_cells, 3U);
  EXPECT_EQ(act(*m, 0, 1).title, "Use x");
}

TEST(MarkdownReader, BoldUnderscoreAndLowerCaseCells) {
  auto m = read_md(
      "| **Activité** | **Client** | **Cloud Temple** |\n|---|---|---|\n"
      "| **Définir** l'architecture | __C, I__ | **RA** |\n| Installer | ra | r/a |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Client", "Cloud Temple"}));
  EXPECT_EQ(act(*m, 0, 0).title, "Définir l'architecture");
  EXPECT_EQ(roles(*m, act(*m, 0, 0), 0), "CI");
  EXPECT_EQ(roles(*m, act(*m, 0, 0), 1), "RA");
  EXPECT_EQ(roles(*m, act(*m, 0, 1), 0), "RA");
  EXPECT_EQ(roles(*m, act(*m, 0, 1), 1), "RA");
}

TEST(MarkdownReader, NonRaciTablesAreSkippedByContent) {
  auto m = read_md(
      "| Rôle | Description |\n|---|---|\n| (R) Réalise | __R__éalise le processus |\n\n"
      "| Activité | Rôle Client | Rôle Cloud Temple |\n|---|---|---|\n| Faire | RA | I |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->activity_count(), 1U);
  ASSERT_EQ(m->skipped.size(), 1U);
  EXPECT_EQ(line_of(*m, m->skipped[0].span), 1U);
  EXPECT_EQ(m->skipped[0].reason,
            "not a RACI table: no column below 'Description' holds role codes");
}

TEST(MarkdownReader, IdDomainAndFreeTextColumns) {
  auto m = read_md(
      "| ID | Domain | Task | PM | Dev | SLA |\n|---|---|---|---|---|---|\n"
      "| T-1 | Build | Ship it | RA | C | 4h |\n| T-2 | Run | Watch | A | R (veto) | |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"PM", "Dev"}));
  const Activity& a = act(*m, 0, 0);
  EXPECT_EQ(a.id, "t-1");
  EXPECT_EQ(a.title, "Ship it");
  ASSERT_EQ(a.fields.size(), 2U);
  EXPECT_EQ(a.fields[0].name, "Domain");
  EXPECT_EQ(a.fields[1].value, "4h");
  EXPECT_EQ(act(*m, 0, 1).cells[1].remark(), "veto");
}

TEST(MarkdownReader, SectionRowsAndNoRoleTokens) {
  auto m = read_md(
      "## Ops\n\n| ID | Task | A | B |\n|---|---|---|---|\n| | **Build** | | |\n| 1 | Ship | RA | "
      "— |\n"
      "| **Run** | | | |\n| 2 | Watch | N/A | RA |\n");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->sections.size(), 2U);
  EXPECT_EQ(m->sections[0].title, "Build");
  EXPECT_EQ(m->sections[1].title, "Run");
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(roles(*m, act(*m, 1, 0), 0), "");
  EXPECT_TRUE(act(*m, 1, 0).cells[0].unknown().empty());
}

TEST(MarkdownReader, TransposedTables) {
  auto m = read_md(
      "| Tâche | Réalise | Approuve | Consulté | Informé |\n|---|---|---|---|---|\n"
      "| Livrer | Dev, Ops | PM | QA | Sales |\n| Tester | QA | PM | Dev | |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_TRUE(m->tables[0].transposed);
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Dev", "Ops", "PM", "QA", "Sales"}));
  const Activity& a = act(*m, 0, 0);
  EXPECT_EQ(roles(*m, a, 0), "R");
  EXPECT_EQ(roles(*m, a, 2), "A");
  EXPECT_EQ(roles(*m, act(*m, 0, 1), 0), "C");
  EXPECT_EQ(roles(*m, act(*m, 0, 1), 4), "");
  EXPECT_TRUE(act(*m, 0, 1).cells[4].present);
}

// Roles-as-columns headers as real matrices write them (issue 13): the letter beside the
// word, Portuguese words, DACI's Driver and Contributors.
TEST(MarkdownReader, RoleHeadersWithLettersPortugueseAndDaci) {
  auto letters = read_md(
      "| Task | Responsible (R) | Accountable (A) | Consulted (C) | Informed (I) |\n"
      "|---|---|---|---|---|\n| Ship the release | Dev + Ops | PM | QA, Security | Support |\n");
  ASSERT_TRUE(letters.ok()) << letters.error().to_string();
  EXPECT_TRUE(letters->tables[0].transposed);
  EXPECT_EQ(letters->party_names(),
            (std::vector<std::string>{"Dev", "Ops", "PM", "QA", "Security", "Support"}));
  EXPECT_EQ(roles(*letters, act(*letters, 0, 0), 1), "R");
  EXPECT_EQ(roles(*letters, act(*letters, 0, 0), 4), "C");

  auto pt = read_md(
      "| Processo | Responsável | Aprovador | Consultado | Informado |\n|---|---|---|---|---|\n"
      "| Deploy | DevOps | Tech Lead | QA, Backend | Todos |\n");
  ASSERT_TRUE(pt.ok()) << pt.error().to_string();
  EXPECT_EQ(pt->party_names(),
            (std::vector<std::string>{"DevOps", "Tech Lead", "QA", "Backend", "Todos"}));
  EXPECT_EQ(roles(*pt, act(*pt, 0, 0), 0), "R");
  EXPECT_EQ(roles(*pt, act(*pt, 0, 0), 1), "A");
  EXPECT_TRUE(act(*pt, 0, 0).fields.empty());

  // In a RACI document a Driver is Responsible; in a DACI one, a Driver.
  const std::string daci_table =
      "| Decision | Driver | Approver | Contributors | Informed |\n|---|---|---|---|---|\n"
      "| Pick a database | Dev | Ops | Sec | QA |\n";
  auto in_raci = read_md(daci_table);
  ASSERT_TRUE(in_raci.ok()) << in_raci.error().to_string();
  EXPECT_EQ(in_raci->party_names(), (std::vector<std::string>{"Dev", "Ops", "Sec", "QA"}));
  EXPECT_EQ(roles(*in_raci, act(*in_raci, 0, 0), 0), "R");
  EXPECT_EQ(roles(*in_raci, act(*in_raci, 0, 0), 2), "C");
  auto in_daci = read_md("# DACI\n\n" + daci_table);
  ASSERT_TRUE(in_daci.ok()) << in_daci.error().to_string();
  EXPECT_EQ(in_daci->roles.letters, "DACI");
  EXPECT_EQ(roles(*in_daci, act(*in_daci, 0, 0), 0), "D");

  // A letter that disagrees with its word is no role header; a legend's "D = Driver"
  // headers are not a column of names.
  auto wrong = read_md(
      "| Task | Responsible (A) | Accountable (R) | Ops |\n|---|---|---|---|\n"
      "| Ship | Dev | PM | R |\n");
  ASSERT_TRUE(wrong.ok()) << wrong.error().to_string();
  EXPECT_FALSE(wrong->tables[0].transposed);
  auto legend = read_md(
      "| D = Driver | A = Approver | C = Contributor | I = Informed |\n|---|---|---|---|\n"
      "| Leads the work. | Decides. | Is asked. | Is told. |\n\n"
      "| Action | Ops | Dev |\n|---|---|---|\n| Deploy | A | D |\n");
  ASSERT_TRUE(legend.ok()) << legend.error().to_string();
  EXPECT_EQ(legend->party_names(), (std::vector<std::string>{"Ops", "Dev"}));
}

// A word in a heading does not outvote the letters people wrote: "RACI and DACI" above
// a table of R cells (and no D) is RACI (found by the round-trip fuzzer: a section
// titled "2) daci" made the written tables unreadable).
TEST(MarkdownReader, CellsDecideAgainstADaciWord) {
  auto raci =
      read_md("# RACI and DACI\n\n| Task | Ops | Dev |\n|---|---|---|\n| Deploy | A | R |\n");
  ASSERT_TRUE(raci.ok()) << raci.error().to_string();
  EXPECT_EQ(raci->roles.letters, "RACI");
  EXPECT_EQ(roles(*raci, act(*raci, 0, 0), 1), "R");
  // A party's name in the header is no cell: a party named "D" does not make it DACI.
  auto named_d =
      read_md("# RACI and DACI\n\n| Task | D | Ops |\n|---|---|---|\n| Deploy | A | R |\n");
  ASSERT_TRUE(named_d.ok());
  EXPECT_EQ(named_d->roles.letters, "RACI");
  auto daci = read_md("# DACI\n\n| Task | Ops | Dev |\n|---|---|---|\n| Deploy | A | D |\n");
  ASSERT_TRUE(daci.ok());
  EXPECT_EQ(daci->roles.letters, "DACI");
}

// Names in a roles-as-columns cell: separators outside parentheses only, a GitHub team
// kept whole, a remark in parentheses dropped, "&" inside one name.
TEST(MarkdownReader, NamesInRoleColumns) {
  auto m = read_md(
      "| Task | Responsible | Accountable | Informed |\n|---|---|---|---|\n"
      "| Ship | @org/sdk-owners, ad-stack (Product, Eng leads) | Jurídico (LGPD) | "
      "Gente & Gestão / R&D |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"@org/sdk-owners", "ad-stack", "Jurídico",
                                                        "Gente & Gestão", "R&D"}));
}

TEST(MarkdownReader, SingleCapitalPartiesAreNotRoleHeaders) {
  auto m = read_md("| Task | R | A | C |\n|---|---|---|---|\n| Ship | RA | C | I |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->tables[0].transposed);
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"R", "A", "C"}));
}

TEST(MarkdownReader, TablesGithubDoesNotRender) {
  auto code = read_md("```\n| Task | PM |\n|---|---|\n| Ship | RA |\n```\n");
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.error().to_string(),
            "t.md: no RACI table found; skipped: line 2: table inside a fenced code block is shown "
            "as code, not as a table");
  auto broken = read_md("| Task | PM | Dev |\n|---|---|\n| Ship | RA | C |\n");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: table not rendered: its delimiter row "
            "(line 2) has 2 cells and its header 3");
}

TEST(MarkdownReader, NoTableAtAll) {
  EXPECT_EQ(read_md("").error().to_string(),
            "t.md: no RACI table found: the document has no table");
  EXPECT_EQ(read_md("Just prose.\n").error().message,
            "no RACI table found: the document has no table");
}

TEST(MarkdownReader, FrontMatter) {
  auto m = read_md(
      "---\ntitle: \"Ma matrice\"\nlang: en\nid: My Matrix\n---\n| T | A | B |\n|-|-|-|\n| x | RA "
      "| C |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->title, "Ma matrice");
  EXPECT_EQ(m->language, "en");
  EXPECT_EQ(m->id, "my-matrix");
  EXPECT_EQ(line_of(*m, act(*m, 0, 0).span), 8U);
  auto open = read_md("---\ntitle: x\n| T | A |\n|-|-|\n| x | RA |\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().to_string(), "t.md:1:1: unterminated front matter: no closing '---' line");
  auto bad = read_md("---\ntitle: [x\n---\n| T | A |\n|-|-|\n| x | RA |\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().line, 3U);
}

TEST(MarkdownReader, CrlfLineEndingsReadTheSame) {
  std::string crlf;
  for (const char c : builtin_matrix()->text()) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto lf = read_markdown(builtin_matrix(), {});
  auto cr = read_md(crlf);
  ASSERT_TRUE(lf.ok() && cr.ok());
  EXPECT_EQ(matrix_to_json(*lf).dump(), matrix_to_json(*cr).dump());
  EXPECT_EQ(lint::run(*lf, {}).size(), lint::run(*cr, {}).size());
}

TEST(MarkdownReader, TitleFallsBackToTheFirstHeading) {
  EXPECT_EQ(read_md("## Ops\n\n# Main\n\n| T | A |\n|-|-|\n| x | RA |\n")->title, "Main");
  EXPECT_EQ(read_md("## Ops\n\n| T | A |\n|-|-|\n| x | RA |\n")->title, "Ops");
  EXPECT_EQ(read_md("| T | A |\n|-|-|\n| x | RA |\n")->title, "");
}

// A legend written right under a table, without a blank line, renders as a one-cell row:
// it is read as a legend (no activity, no RAC102/RAC105), in English or in French; a
// sentence under the table that merely holds a capital letter stays what it was.
TEST(MarkdownReader, LegendUnderTableWithoutBlankLine) {
  for (const char* legend : {"*A=Accountable, R=Responsible, C=Consulted, I=Informed*",
                             "Légende : R = Réalise, A = Approuve, C = Consulté, I = Informé",
                             "R – Responsible; A – Accountable"}) {
    auto m = read_md(std::string("| Task | Sec | Net |\n|---|---|---|\n| Patch | R | A |\n"
                                 "| Scan | A | R |\n") +
                     legend + "\n");
    ASSERT_TRUE(m.ok()) << legend;
    EXPECT_EQ(m->activity_count(), 2U) << legend;
    ASSERT_EQ(m->skipped.size(), 1U) << legend;
    EXPECT_EQ(m->skipped[0].reason, "a legend written right under the table");
    EXPECT_EQ(m->source->position(m->skipped[0].span.begin).line, 5U);
    EXPECT_TRUE(lint::run(*m, {}).empty()) << legend;
  }
  auto sentence =
      read_md("| Task | Sec | Net |\n|---|---|---|\n| Patch | R | A |\nA team may change.\n");
  ASSERT_TRUE(sentence.ok());
  EXPECT_EQ(sentence->activity_count(), 2U);
}

// A table indented by four spaces (the content of an MkDocs tab) is code on GitHub: the
// refusal says so, with the table's header line, instead of "the document has no table".
TEST(MarkdownReader, TableInIndentedCodeBlockSaysWhy) {
  auto m = read_md(
      "# Matrix\n\n=== \"RACI\"\n\n    | Task | Sec | Net |\n    |---|---|---|\n"
      "    | Patch | R | A |\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md: no RACI table found; skipped: line 5: table inside an indented code block (4 "
            "spaces or a tab, as under an MkDocs tab) is shown as code, not as a table");
}

// Footnote calls written as raw HTML, `<sup>1</sup>`, after a title or in a cell, are
// markers like "¹" (bound to the notes that start with `<sup>1</sup>`), not text glued to
// the title nor unknown role letters.
TEST(MarkdownReader, SupFootnotesAreMarkers) {
  auto m = read_md(
      "| Task | Sec | Net |\n|---|---|---|\n| Patch<sup>1</sup> | R | A<SUP>2</SUP> |\n"
      "| Scan | A | R |\n\n<sup>1</sup> Monthly.\n\n<sup>2</sup> Only prod.\n");
  ASSERT_TRUE(m.ok());
  const Activity& a = m->sections[0].activities[0];
  EXPECT_EQ(a.title, "Patch\u00B9");
  EXPECT_EQ(a.title_markers, (std::vector<std::string>{"\u00B9"}));
  EXPECT_EQ(a.cells[1].roles.to_string(), "A");
  EXPECT_EQ(a.cells[1].markers(), (std::vector<std::string>{"\u00B2"}));
  ASSERT_EQ(m->notes.size(), 2U);
  EXPECT_EQ(m->notes[0].marker, "\u00B9");
  EXPECT_EQ(m->notes[0].text, "Monthly.");
  EXPECT_TRUE(lint::run(*m, {}).empty());
  // <sup> around a word is not a marker: its tags are dropped as other HTML is.
  auto words = read_md("| Task | Sec |\n|---|---|\n| Patch<sup>new</sup> | RA |\n");
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(words->sections[0].activities[0].title, "Patchnew");
  EXPECT_TRUE(words->sections[0].activities[0].title_markers.empty());
}

// The language is guessed among those the stemmer library supports (Portuguese is not
// taken for Italian, nor Dutch), with a confidence; a bare table of short English titles
// is English by its endings, a Russian one by its script; a table with nothing to tell
// has no language rather than a wrong one.
TEST(MarkdownReader, LanguageAmongTheStemmersLanguages) {
  auto lang = [](const std::string& md) {
    auto m = read_md(md);
    return m.ok() ? m->language : std::string("refused");
  };
  EXPECT_EQ(lang("# Matriz de responsabilidades do projeto\n\nA equipe é responsável pela "
                 "entrega e pelos testes.\n\n| Tarefa | PM | Dev |\n|---|---|---|\n"
                 "| Gestão do escopo | A | R |\n"),
            "pt");
  EXPECT_EQ(lang("# Verantwoordelijkheden van het team\n\nDe rollen voor het project zijn "
                 "in deze tabel.\n\n| Taak | PM | Dev |\n|---|---|---|\n| Planning | A | R |\n"),
            "nl");
  EXPECT_EQ(lang("# Матрица RACI\n\n| Активность | PO | Dev |\n|---|---|---|\n"
                 "| Сбор требований | A | R |\n| Проверка качества | A | R |\n"),
            "ru");
  EXPECT_EQ(lang("### RACI Matrix\n\n| Task | PM | Dev |\n|---|---|---|\n| Project Planning "
                 "| A | R |\n| Requirements Gathering | A | R |\n| System Testing | A | R |\n"),
            "en");
  EXPECT_EQ(lang("| Task | PM | Dev |\n|---|---|---|\n| Launch | A | R |\n"), "");
  const auto pt = vocabulary::guess_language_with_confidence(
      "a equipe e responsavel pela entrega do projeto e pelos testes da aplicacao");
  EXPECT_EQ(pt.code, "pt");
  EXPECT_GT(pt.confidence, 0.5);
  const auto bare = vocabulary::guess_language_with_confidence("project planning system testing");
  EXPECT_EQ(bare.code, "en");
  EXPECT_EQ(bare.confidence, 0.5);
}

// Section rows whose other cells are empty, not bold: a numbered or capitalised title in
// the activity column, or a value in a label column before it (two label columns); the
// following rows' activity column holds the titles. A plain title with empty cells stays
// an empty activity.
TEST(MarkdownReader, SectionRowsWithEmptyCells) {
  auto numbered = read_md(
      "| Task | Sec | Net |\n|---|---|---|\n| 1. Patching |  |  |\n| Patch | R | A |\n"
      "| SCANNING | | |\n| Scan | A | R |\n| 2. Risk Management |  |  |\n| Audit | A | R |\n");
  ASSERT_TRUE(numbered.ok());
  ASSERT_EQ(numbered->sections.size(), 3U);
  EXPECT_EQ(numbered->sections[0].title, "1. Patching");
  EXPECT_EQ(numbered->sections[1].title, "SCANNING");
  EXPECT_EQ(numbered->sections[2].title, "2. Risk Management");
  EXPECT_EQ(numbered->activity_count(), 3U);
  EXPECT_TRUE(lint::run(*numbered, {}).empty());
  auto two = read_md(
      "| Domaine | Tâche | MOE | MOA |\n|---|---|---|---|\n| Réseau | | | |\n"
      "| | Configurer | R | A |\n| | Surveiller | R | A |\n| Sécurité | | | |\n"
      "| | Auditer | A | R |\n");
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->sections.size(), 2U);
  EXPECT_EQ(two->sections[0].title, "Réseau");
  EXPECT_EQ(two->sections[0].activities.size(), 2U);
  EXPECT_EQ(two->sections[0].activities[1].title, "Surveiller");
  EXPECT_EQ(two->sections[1].title, "Sécurité");
  EXPECT_EQ(two->sections[1].activities[0].title, "Auditer");
  EXPECT_TRUE(lint::run(*two, {}).empty());
  // A plain title with empty cells is an empty activity (RAC105).
  auto plain = read_md("| Task | Sec | Net |\n|---|---|---|\n| Patch | R | A |\n| Backup | | |\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->activity_count(), 2U);
}

// Annotated role cells keep their column a party column: the role is read, the
// qualifier kept (and written back by the Markdown writer); a sentence among role cells
// is reported as free text (RAC101) instead of the party being dropped.
TEST(MarkdownReader, AnnotatedRoleCells) {
  auto m = read_md(
      "| Task | Sec | Net | Ops |\n|---|---|---|---|\n| Patch | R (Build) | (I) | **A** for "
      "budget |\n| Scan | A \xE2\x80\x93 final sign-off | R | (C) |\n| Audit | Owns the business "
      "outcome | R | A |\n");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->parties.size(), 3U);
  const auto& acts = m->sections[0].activities;
  EXPECT_EQ(acts[0].cells[0].roles.to_string(), "R");
  EXPECT_EQ(acts[0].cells[0].remark(), "Build");
  EXPECT_EQ(acts[0].cells[1].roles.to_string(), "I");
  EXPECT_EQ(acts[0].cells[2].roles.to_string(), "A");
  EXPECT_EQ(acts[0].cells[2].remark(), "for budget");
  EXPECT_EQ(acts[1].cells[0].roles.to_string(), "A");
  EXPECT_EQ(acts[1].cells[0].remark(), "final sign-off");
  EXPECT_EQ(acts[1].cells[2].roles.to_string(), "C");
  const auto findings = lint::run(*m, {});
  ASSERT_EQ(findings.size(), 1U);
  EXPECT_EQ(findings[0].code, "RAC101");
  EXPECT_EQ(findings[0].message,
            "cell 'Owns the business outcome' of Sec is free text, not a role: roles are R, A, "
            "C, I, written first when a remark follows ('R (Build)', 'A - final sign-off')");
}

// Role columns holding X marks, with the parties in the first column and the activities
// in another text column: each mark gives the row's party its column's role (not a
// party named "X").
TEST(MarkdownReader, XMarksUnderRoleColumns) {
  auto m = read_md(
      "| Team | Responsibility | Responsible | Accountable | Informed |\n|---|---|---|---|---|\n"
      "| Ops | Deploy the service | X | X | |\n| Security | Review access | x | \xE2\x9C\x93 | |\n"
      "| Data | Back up databases | X | X | |\n");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->parties.size(), 3U);
  EXPECT_EQ(m->parties[0].name, "Ops");
  EXPECT_EQ(m->parties[2].name, "Data");
  ASSERT_EQ(m->activity_count(), 3U);
  const auto& acts = m->sections[0].activities;
  EXPECT_EQ(acts[1].title, "Review access");
  EXPECT_EQ(acts[1].cells[1].roles.to_string(), "RA");
  EXPECT_TRUE(acts[1].cells[0].roles.empty());
  EXPECT_TRUE(lint::run(*m, {}).empty());
}

// A last row where the parties sign with their handles is a sign-off, not an activity
// with unknown roles.
TEST(MarkdownReader, SignOffRowIsNotAnActivity) {
  auto m = read_md(
      "| Task | Ana | Bo |\n|---|---|---|\n| Plan | R | A |\n| Build | A | R |\n"
      "| Agreed on these roles | @ana | @bo |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->activity_count(), 2U);
  ASSERT_EQ(m->skipped.size(), 1U);
  EXPECT_EQ(m->skipped[0].reason, "a sign-off row: handles, no roles");
  EXPECT_TRUE(lint::run(*m, {}).empty());
}

TEST(MarkdownReader, NoteUnderTableWithoutBlankLine) {
  auto m = read_md("| T | A | B |\n|-|-|-|\n| x | RA | C* |\n*Only on weekdays.\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->activity_count(), 1U);
  ASSERT_EQ(m->notes.size(), 1U);
  EXPECT_TRUE(m->notes[0].in_table_row);
  EXPECT_EQ(m->notes[0].text, "Only on weekdays.");
  EXPECT_EQ(m->marker_uses.at(0).note, 0);
}

TEST(MarkdownReader, NumberedNotesInItalics) {
  auto m = read_md(
      "| T | A | B |\n|-|-|-|\n| Run **backbone(1)** | RA | *(2)* I |\n\n"
      "*(1) The backbone is ours.*\n\n*(2) Informed monthly.*\n");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->notes.size(), 2U);
  EXPECT_EQ(m->notes[0].marker, "(1)");
  EXPECT_EQ(m->notes[0].text, "The backbone is ours.");
  ASSERT_EQ(m->marker_uses.size(), 2U);
  EXPECT_EQ(m->marker_uses[0].party, -1);
  EXPECT_EQ(m->marker_uses[0].note, 0);
  EXPECT_EQ(m->marker_uses[1].note, 1);
}

TEST(MarkdownReader, OnePartySpelledTwoWays) {
  auto m = read_md(
      "## A\n\n| Aufgabe | **Kunde** | **Cloud Temple** |\n|-|-|-|\n| x | RA | C |\n\n"
      "## B\n\n| Aktivität | **Client** | **Cloud Temple** |\n|-|-|-|\n| y | RA | C |\n");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->parties.size(), 2U);
  EXPECT_EQ(m->parties[0].name, "Kunde");
  EXPECT_EQ(m->parties[0].spellings.size(), 2U);
}

TEST(MarkdownReader, OneTableCannotNameAPartyTwice) {
  auto m = read_md("| Task | Client | Customer | Provider |\n|-|-|-|-|\n| Ship | RA | C | I |\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Client", "Customer", "Provider"}));
  EXPECT_EQ(act(*m, 0, 0).cells[0].roles.to_string(), "RA");
  EXPECT_EQ(act(*m, 0, 0).cells[1].roles.to_string(), "C");
}

TEST(MarkdownReader, ExportJsonShape) {
  auto m = read_md("# T\n\n| Task | PM | Dev |\n|-|-|-|\n| Ship | RA | C* |\n\n*Weekdays.\n");
  ASSERT_TRUE(m.ok());
  const auto j = matrix_to_json(*m);
  EXPECT_EQ(j["racine"], 1);
  EXPECT_EQ(j["title"], "T");
  EXPECT_EQ(j["parties"][1]["id"], "dev");
  EXPECT_EQ(j["sections"][0]["activities"][0]["roles"]["pm"], "RA");
  EXPECT_EQ(j["sections"][0]["activities"][0]["markers"]["dev"][0], "*");
  EXPECT_EQ(j["notes"][0]["line"], 7);
}

TEST(MarkdownReader, ChunkedReadingGivesTheSameMatrix) {
  ReadOptions whole;
  ReadOptions tiny;
  tiny.chunk_bytes = 1;  // cut at every safe blank line, and tables after their first row
  tiny.classify_rows = 1;
  whole.classify_rows = 1;
  for (const std::string& doc :
       {std::string(builtin_matrix()->text()),
        std::string(
            "```\n| T | A |\n\n|-|-|\n```\n\n| T | A | B |\n|-|-|-|\n| x | RA | C* |\n\n"
            "<!--\n\nracine-disable-line RAC202\n-->\n\n*note\n\n- item\n\n  continued\n")}) {
    auto a = read_markdown(std::make_shared<SourceFile>("t.md", doc), whole);
    auto b = read_markdown(std::make_shared<SourceFile>("t.md", doc), tiny);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(matrix_to_json(*a).dump(), matrix_to_json(*b).dump());
    EXPECT_EQ(a->marker_uses.size(), b->marker_uses.size());
  }
  // One large table, cut between every two rows: same matrix, same findings.
  std::string table =
      "# T\n\nIntro line\n\n| Task <!-- racine-disable-line RAC103 --> | PM | Dev "
      "|\n|---|---|---|\n";
  for (int i = 0; i < 30; ++i) {
    table += "| Task " + std::to_string(i) +
             (i % 7 == 0   ? " | RA | A |\n"
              : i % 5 == 0 ? " | C* |\n"
                           : " | RA | C |\n");
  }
  table +=
      "| **Later** | | |\n| Last | RA | CI |\n*Only on weekdays.\n\n| Role | Description "
      "|\n|---|---|\n| R | does |\n| A | signs |\n";
  auto whole_t = read_markdown(std::make_shared<SourceFile>("t.md", table), whole);
  auto tiny_t = read_markdown(std::make_shared<SourceFile>("t.md", table), tiny);
  ASSERT_TRUE(whole_t.ok() && tiny_t.ok());
  EXPECT_EQ(matrix_to_json(*whole_t).dump(), matrix_to_json(*tiny_t).dump());
  EXPECT_EQ(whole_t->skipped.size(), tiny_t->skipped.size());
  auto findings = [](const Matrix& m) {
    std::vector<std::string> out;
    for (const auto& d : lint::run(m, {}))
      out.push_back(d.code + "@" + std::to_string(m.source->position(d.span.begin).line) + ":" +
                    d.message);
    return out;
  };
  EXPECT_EQ(findings(*whole_t), findings(*tiny_t));
  EXPECT_EQ(findings(*whole_t).size(),
            23U);  // RAC901, 5 RAC202, 5 x (RAC102, RAC201, RAC203), RAC204, RAC303
  EXPECT_EQ(tiny_t->activity_count(), 31U);
  auto pieces = prescan_markdown(SourceFile("t.md", table), {}, 1, 1, 1);
  ASSERT_TRUE(pieces.ok());
  // Cut before Task 1 to Task 4; Task 5 has 2 cells, and no table is cut after an irregular row.
  EXPECT_EQ(std::count_if(pieces->begin(), pieces->end(),
                          [](const LineRange& c) { return c.header == 5; }),
            4);

  auto chunks = prescan_markdown(
      SourceFile("t.md", "a\n\nb\n\n```\nx\n\ny\n```\n\n  indented\n\nc\n"), {}, 1, 1);
  ASSERT_TRUE(chunks.ok());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> got;
  for (const auto& c : *chunks) got.emplace_back(c.first, c.last);
  EXPECT_EQ(got, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{
                     {1, 2}, {3, 4}, {5, 12}, {13, 13}}));
  auto cut = prescan_markdown(
      SourceFile("t.md", "| T | A |\n|-|-|\n| a | R |\n| b | R |\n| c | R |\n"), {}, 1, 1, 1);
  ASSERT_TRUE(cut.ok());
  ASSERT_EQ(cut->size(), 3U);
  EXPECT_EQ((*cut)[1].first, 4U);
  EXPECT_EQ((*cut)[1].last, 4U);
  EXPECT_EQ((*cut)[1].header, 1U);
  EXPECT_EQ((*cut)[0].header, 0U);
  auto refs = prescan_markdown(SourceFile("t.md", "a\n\nb\n\n[x]: http://e\n"), {}, 1, 1);
  EXPECT_EQ(refs->size(), 1U);
}

TEST(MarkdownReader, PrescanRefusesPaddingBombs) {
  auto m = read_md(test::padding_bomb());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().line, 1U);
  EXPECT_NE(m.error().message.find("missing cells that the parser would pad"), std::string::npos);
}

TEST(MarkdownReader, PrescanRefusesTooManyColumns) {
  std::string header = "|";
  std::string delim = "|";
  for (int i = 0; i < 10000; ++i) {
    header += " c |";
    delim += "-|";
  }
  auto m = read_md("text\n\n" + header + "\n" + delim + "\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md:3:1: table has 10000 columns, above the limit of 256 (raise limits.max-columns "
            "in .racine.yaml to read it)");
}

TEST(MarkdownReader, TableInABlockQuoteDoesNotShiftTheNextTable) {
  // Issue 11: the quoted table took the next table's header line for its own, so the
  // next table's rows vanished.
  auto m = read_md(test::quote_between_tables());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->activity_count(), 5U);
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Dev", "Ops", "QA", "Sec"}));
  ASSERT_EQ(m->sections.size(), 2U);
  EXPECT_EQ(act(*m, 1, 0).title, "Test");
  EXPECT_EQ(line_of(*m, act(*m, 1, 0).span), 16U);
  EXPECT_EQ(roles(*m, act(*m, 1, 1), 3), "RA");
  ASSERT_EQ(m->skipped.size(), 1U);
  EXPECT_EQ(line_of(*m, m->skipped[0].span), 8U);
  EXPECT_EQ(m->skipped[0].reason, "not a RACI table: no column below 'Meaning' holds role codes");
}

TEST(MarkdownReader, RaciTablesInBlockQuotesAndListItemsAreRead) {
  // A quoted RACI table whose columns would otherwise rename the next table's parties.
  auto m = read_md(
      "> | Task | PM | Dev |\n> |---|---|---|\n> | Plan | RA | C |\n\n"
      "- | Task | Ops |\n  |---|---|\n  | Run | RA |\n\n"
      "> > | Task | QA |\n> >|--|--|\n> > | Test | RA |\n\n"
      "| Task | Sec | Audit |\n|---|---|---|\n| Scan | RA | I |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"PM", "Dev", "Ops", "QA", "Sec", "Audit"}));
  ASSERT_EQ(m->activity_count(), 4U);
  EXPECT_EQ(line_of(*m, act(*m, 0, 0).span), 3U);
  EXPECT_EQ(line_of(*m, act(*m, 0, 3).span), 15U);
  EXPECT_EQ(act(*m, 0, 3).title, "Scan");
  EXPECT_EQ(roles(*m, act(*m, 0, 3), 5), "I");
  // Cells point at their text, after the container's markers.
  const Span dev = act(*m, 0, 0).cells.at(1).span;
  EXPECT_EQ(m->source->text().substr(dev.begin, dev.end - dev.begin), "C");
  const Span qa = act(*m, 0, 2).cells.at(3).span;
  EXPECT_EQ(m->source->text().substr(qa.begin, qa.end - qa.begin), "RA");
  EXPECT_TRUE(m->skipped.empty());
}

TEST(MarkdownReader, BrokenTableInABlockQuoteIsReported) {
  auto m = read_md(
      "> | Task | PM | Dev |\n> |---|---|\n> | Ship | RA | C |\n\n| T | A |\n|-|-|\n| x | RA |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_EQ(m->skipped.size(), 1U);
  EXPECT_EQ(m->skipped[0].reason,
            "table not rendered: its delimiter row (line 2) has 2 cells and its header 3");
  EXPECT_TRUE(m->skipped[0].broken_table);
}

// Found in review: delimiter-like lines under text that is no table header make
// cmark-gfm's table extension read the paragraph above again each time (100 KB: 35 s).
// The re-read bytes are bounded, and refused where they cross the bound; a document with
// a few broken tables, or setext headings, is read as before.
TEST(MarkdownReader, DelimiterLinesUnderTextAreBounded) {
  for (const std::string& pair :
       {std::string("a|b\n-|-|-\n"), std::string("ab\n|-|-|\n"), std::string("> ab\n> -|-|-\n")}) {
    std::string doc;
    for (int i = 0; i < 10000; ++i) doc += pair;
    auto m = read_md(doc);
    ASSERT_FALSE(m.ok());
    EXPECT_NE(m.error().to_string().find(
                  "too many lines look like a table's delimiter row under text that is no table "
                  "header: the Markdown parser would read their paragraphs again each time, 32 "
                  "MiB so far (limit 32 MiB): separate them with blank lines"),
              std::string::npos)
        << m.error().to_string();
  }
  // The same pairs between blank lines re-read one line each: read (no table in them).
  std::string spaced = "| Task | PM |\n|---|---|\n| Ship | RA |\n\n";
  for (int i = 0; i < 10000; ++i) spaced += "a|b\n-|-|-\n\n";
  auto ok = read_md(spaced);
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->activity_count(), 1U);
  std::string setext = "| Task | PM |\n|---|---|\n| Ship | RA |\n\n";
  for (int i = 0; i < 20000; ++i) setext += "x\n---\n";
  EXPECT_TRUE(read_md(setext).ok());
}

TEST(MarkdownReader, PrescanLooksInsideBlockQuotesAndListItems) {
  for (const std::string& doc : {test::quoted_padding_bomb(), test::listed_padding_bomb()}) {
    auto m = read_md(doc);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(
        m.error().to_string(),
        "t.md:1:1: tables up to here have 5080000 missing cells that the parser would pad, above "
        "the limit of 200000 (raise limits.max-padding-cells in .racine.yaml to read it)");
  }
  std::string header = "> |";
  std::string delim = "> |";
  for (int i = 0; i < 300; ++i) {
    header += " c |";
    delim += "-|";
  }
  auto wide = read_md("text\n\n" + header + "\n" + delim + "\n");
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.error().to_string(),
            "t.md:3:1: table has 300 columns, above the limit of 256 (raise limits.max-columns "
            "in .racine.yaml to read it)");
  EXPECT_EQ(container_prefix_length("> > - | a |"), 6U);
  EXPECT_EQ(container_prefix_length("  12. x"), 6U);
  EXPECT_EQ(container_prefix_length("|-|-|"), 0U);
  EXPECT_EQ(container_prefix_length("-1 | x"), 0U);
}

TEST(MarkdownReader, SameNamesGetDistinctIdsInLinearTime) {
  // 2,000 columns all named "X" (with the column limit raised): the ids were searched
  // from "-2" each time, cubic in the columns.
  ReadOptions o;
  o.limits.max_columns = 4000;
  auto m = read_md(test::same_names(2000, 1), o);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_EQ(m->parties.size(), 2000U);
  EXPECT_EQ(m->parties[0].id, "x");
  EXPECT_EQ(m->parties[1].id, "x-2");
  EXPECT_EQ(m->parties[1999].id, "x-2000");
  // 20,000 rows titled "Do": quadratic the same way.
  auto rows = read_md(test::same_names(1, 20000));
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->activity_count(), 20000U);
  EXPECT_EQ(act(*rows, 0, 0).id, "do");
  EXPECT_EQ(act(*rows, 0, 1).id, "do-2");
  EXPECT_EQ(act(*rows, 0, 19999).id, "do-20000");
}

TEST(MarkdownReader, LongPartyNamesAreComparedInBoundedTime) {
  // Two 60 KB names a typo apart used to run the full edit distance (minutes).
  auto m = read_md(test::long_party_names());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->parties.size(), 2U);
  // Short names a typo apart are still one party.
  auto typo = read_md(
      "| Task | Cloud Temple |\n|---|---|\n| One | RA |\n\n| Task | Cloud Tempel |\n|---|---|\n| "
      "Two | RA |\n");
  ASSERT_TRUE(typo.ok());
  EXPECT_EQ(typo->parties.size(), 1U);
}

TEST(MarkdownReader, FrontMatterIsCapped) {
  auto m = read_md(test::front_matter_bomb(1 << 20));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md:1347:1: front matter is longer than 16 KiB at this line: it holds a few lines of "
            "metadata (title, lang, id); close it with '---'");
  // Just under the limit it is read.
  auto ok = read_md(test::front_matter_bomb(16000));
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->activity_count(), 1U);
}

TEST(MarkdownReader, MatrixCellsAreCapped) {
  // Every activity holds a cell per party of the document: 30,000 rows of one party,
  // then two tables of 255 new parties would make 15 million cells (2 GB).
  std::string doc = "| Task | A |\n|---|---|\n";
  for (int i = 0; i < 30000; ++i) doc += "| x | R |\n";
  for (const char table : {'b', 'c'}) {
    std::string header = "\n| Task |";
    std::string delimiter = "|---|";
    std::string row = "| y |";
    for (int i = 0; i < 255; ++i) {
      // Four letters: names the typo rule never joins.
      header += std::string(" ") + table + static_cast<char>('a' + i / 26 / 26) +
                static_cast<char>('a' + i / 26 % 26) + static_cast<char>('a' + i % 26) + " |";
      delimiter += "---|";
      row += " R |";
    }
    doc += header + "\n" + delimiter + "\n" + row + "\n";
  }
  auto m = read_md(doc);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(
      m.error().to_string(),
      "t.md:30010:1: the matrix would have 30002 activities x 511 parties, above the limit of "
      "8000000 cells: split the document");
}

// An HTML table (GitHub renders it): `<thead>` header, `<th>` row titles, a section row
// made of one bold cell spanning the table (`colspan`), letters separated by spaces,
// an extra cell (RAC102, as for a pipe row). Lines and spans point into the file.
TEST(MarkdownReader, HtmlTables) {
  const std::string text =
      "# Matrice\n"
      "\n"
      "<table>\n"
      "  <thead>\n"
      "    <tr><th>Task</th><th>PM</th><th>Dev &amp; Ops</th></tr>\n"
      "  </thead>\n"
      "  <tbody>\n"
      "    <tr><td colspan=\"3\"><strong>Build</strong></td></tr>\n"
      "    <tr>\n"
      "      <th>Compile</th>\n"
      "      <td>R A</td>\n"
      "      <td><b>C</b> I</td>\n"
      "    </tr>\n"
      "    <tr><td colspan=\"3\"><b>Run</b></td></tr>\n"
      "    <tr><td>Deploy</td><td>A</td><td>R</td><td>X</td></tr>\n"
      "    <tr><td>Plan</td><td>A</td></tr>\n"
      "  </tbody>\n"
      "</table>\n"
      "\n"
      "After the table.\n";
  auto m = read_md(text);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"PM", "Dev & Ops"}));
  ASSERT_EQ(m->sections.size(), 2U);
  EXPECT_EQ(m->sections[0].title, "Build");
  EXPECT_EQ(m->sections[1].title, "Run");
  ASSERT_EQ(m->sections[0].activities.size(), 1U);
  ASSERT_EQ(m->sections[1].activities.size(), 2U);
  const Activity& compile = act(*m, 0, 0);
  EXPECT_EQ(compile.title, "Compile");
  EXPECT_EQ(line_of(*m, compile.span), 9U);
  EXPECT_EQ(roles(*m, compile, 0), "RA");
  EXPECT_EQ(roles(*m, compile, 1), "CI");
  // The cell's span is its content in the file: "R A" on line 11, column 11.
  const Position p = m->source->position(compile.cells[0].span.begin);
  EXPECT_EQ(p.line, 11U);
  EXPECT_EQ(p.column, 11U);
  EXPECT_EQ(m->source->text().substr(compile.cells[0].span.begin,
                                     compile.cells[0].span.end - compile.cells[0].span.begin),
            "R A");
  const Activity& deploy = act(*m, 1, 0);
  EXPECT_EQ(line_of(*m, deploy.span), 15U);
  EXPECT_EQ(deploy.source_cells, 4U);
  EXPECT_EQ(act(*m, 1, 1).source_cells, 2U);
  ASSERT_EQ(m->tables.size(), 1U);
  EXPECT_EQ(m->tables[0].header_cells, 3U);
  EXPECT_EQ(line_of(*m, m->tables[0].span), 5U);
  EXPECT_EQ(test::lint_md(text),
            (std::vector<std::string>{"RAC204@12", "RAC102@15", "RAC102@16", "RAC203@16"}));
}

// cmark-gfm ends an HTML block at a blank line and the pre-scan cuts chunks there: a
// `<table>` with blank lines inside is still read whole, from its `</table>` in the
// source, the same in one piece and in chunks of a few bytes; a suppression comment
// inside it still applies; text after it is read as Markdown again.
TEST(MarkdownReader, HtmlTableWithBlankLinesIsReadWhole) {
  const std::string text =
      "<table>\n"
      "<tr><th>Task</th><th>Sec</th><th>Net</th></tr>\n"
      "\n"
      "<tr><td>Patch</td><td>R</td><td>A</td></tr>\n"
      "\n"
      "    <tr><td>Scan</td><td>A</td><td>R</td></tr>\n"
      "\n"
      "<!-- racine-disable-next-line RAC201 -->\n"
      "<tr><td>Audit</td><td>R</td><td></td></tr>\n"
      "\n"
      "| not | a table |\n"
      "\n"
      "</table>\n"
      "\n"
      "| Task | Sec | Net |\n|---|---|---|\n| Backup | R | A |\n";
  for (const std::size_t chunk : {std::size_t{1} << 20, std::size_t{16}}) {
    ReadOptions o;
    o.chunk_bytes = chunk;
    auto m = read_md(text, o);
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    ASSERT_EQ(m->activity_count(), 4U) << chunk;
    const auto& as = m->sections[0].activities;
    EXPECT_EQ(as[0].title, "Patch");
    EXPECT_EQ(line_of(*m, as[1].span), 6U);
    EXPECT_EQ(as[2].title, "Audit");
    EXPECT_EQ(line_of(*m, as[2].span), 9U);
    EXPECT_EQ(as[3].title, "Backup");
    EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Sec", "Net"}));
    ASSERT_EQ(m->suppressions.size(), 1U);
    EXPECT_EQ(m->suppressions[0].line, 8U);
    EXPECT_TRUE(m->skipped.empty());
  }
  EXPECT_TRUE(test::lint_md(text).empty());
}

// A deep or huge HTML table is refused with its reason, fast, before gumbo sees it (its
// tree construction is quadratic in the nesting depth); a huge colspan is capped; an
// HTML table that is not a RACI table is skipped like a pipe one.
TEST(MarkdownReader, HtmlTablesAreBounded) {
  std::string deep = "<table><tr><th>Task</th><th>Sec</th></tr><tr><td>";
  for (int i = 0; i < 200'000; ++i) deep += "<div>";
  auto m = read_md(deep + "</td></tr></table>\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: HTML table not read: its elements are "
            "nested more than 64 deep");
  std::string big = "<table><tr><th>Task</th><th>Sec</th></tr>\n";
  while (big.size() < 300'000) big += "<tr><td>Patch</td><td>R</td></tr>\n";
  m = read_md(big + "</table>\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: HTML table not read: its source is "
            "longer than 256 KiB");
  m = read_md(
      "<table><tr><th colspan=\"99999999\">Task</th><th>Sec</th></tr>"
      "<tr><td>Patch</td><td>R</td></tr></table>\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: HTML table not read: its header has "
            "1001 columns, above the limit of 256");
  // A title row across the table above its header is a caption, not the header.
  m = read_md(
      "<table><tr><th colspan=\"3\">RACI matrix</th></tr><tr><th>Task</th><th>Sec</th>"
      "<th>Net</th></tr><tr><td>Patch</td><td>R</td><td>A</td></tr></table>\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Sec", "Net"}));
  EXPECT_EQ(m->activity_count(), 1U);
  // Browsers cap a colspan at 1,000 too.
  m = read_md(
      "<table><tr><th>Task</th><th>Sec</th></tr>"
      "<tr><td colspan=\"99999999\"><b>Build</b></td></tr><tr><td>Patch</td><td>R</td></tr>"
      "</table>\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->sections[0].title, "Build");
  EXPECT_EQ(m->sections[0].activities[0].title, "Patch");
  m = read_md(
      "<table><tr><th>Rôle</th><th>Description</th></tr>"
      "<tr><td>PM</td><td>Plans</td></tr></table>\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: not a RACI table: no column below "
            "'Description' holds role codes");
  m = read_md(
      "> <table><tr><th>Task</th><th>Sec</th></tr>\n> <tr><td>Patch</td><td>R</td></tr>"
      "</table>\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: HTML table inside a block quote is not "
            "read: write it at the top level");
}

// Roles written as rows: under a heading that names an activity, a two-column table of
// role labels ("R - Responsável", "Accountable (A)", "C: Consulted") and the people who
// hold them. A legend table (role, then its meaning) is not a matrix; no heading, or a
// role named twice, is refused with the layout named.
TEST(MarkdownReader, RolesWrittenAsRows) {
  const std::string text =
      "# Matriz\n\n"
      "| **R - Responsável** | Executa a tarefa. |\n| --- | --- |\n"
      "| **A - Aprovador** | Aprova a entrega. |\n\n"
      "## Backend:\n\n"
      "| **R - Responsável** | Ana |\n| --- | --- |\n| **A - Aprovador** | Rui |\n"
      "| **C - Consultado** | Rui e Ana |\n| **I - Informado** | Todos |\n\n"
      "## Docs\n\n"
      "| Responsible (R) | Bia |\n|---|---|\n| A: Approver | Ana, Rui |\n";
  auto m = read_md(text);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"Ana", "Rui", "Todos", "Bia"}));
  ASSERT_EQ(m->activity_count(), 2U);
  const Activity& backend = act(*m, 0, 0);
  EXPECT_EQ(backend.title, "Backend");
  EXPECT_EQ(line_of(*m, backend.span), 9U);
  EXPECT_EQ(roles(*m, backend, 0), "RC");
  EXPECT_EQ(roles(*m, backend, 1), "AC");
  EXPECT_EQ(roles(*m, backend, 2), "I");
  EXPECT_EQ(m->source->position(backend.cells[2].span.begin).line, 13U);
  const Activity& docs = act(*m, 1, 0);
  EXPECT_EQ(docs.title, "Docs");
  EXPECT_EQ(roles(*m, docs, 3), "R");
  EXPECT_EQ(roles(*m, docs, 0), "A");
  EXPECT_EQ(roles(*m, docs, 1), "A");
  ASSERT_EQ(m->skipped.size(), 1U);
  EXPECT_EQ(m->skipped[0].reason, "a legend table (a role, then its meaning), not a matrix");
  EXPECT_EQ(test::lint_md(text), (std::vector<std::string>{"RAC205@12", "RAC202@17"}));

  auto legend = read_md("| R | Responsible |\n|---|---|\n| A | Accountable |\n");
  ASSERT_FALSE(legend.ok());
  EXPECT_EQ(legend.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: a legend table (a role, then its "
            "meaning), not a matrix");
  auto no_heading = read_md("| R - Responsible | Ana |\n|---|---|\n| A - Approver | Rui |\n");
  ASSERT_FALSE(no_heading.ok());
  EXPECT_EQ(no_heading.error().to_string(),
            "t.md: no RACI table found; skipped: line 1: roles written as rows (role, then "
            "people) under no heading that names their activity: not read");
  auto twice = read_md("## Build\n\n| R - Responsible | Ana |\n|---|---|\n| Responsible | Rui |\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().to_string(),
            "t.md: no RACI table found; skipped: line 3: roles written as rows (role, then "
            "people) name 'R' twice: ambiguous, not read");
}

// A matrix written as a nested list (an activity per item, `R: names` items under it) is
// refused with that layout named, not "the document has no table"; a list of notes with
// one such item is not.
TEST(MarkdownReader, ListFormMatrixIsRefusedWithItsLayout) {
  auto m = read_md(
      "# RACI\n\n- T1 Roadmap\n  - R: A0\n  - A: A0\n  - I: A1–A3, others\n- T2 Release\n"
      "  - R: A1\n  - A: A0\n");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(),
            "t.md: no RACI table found; skipped: line 3: a matrix written as a nested list (an "
            "activity per item, 'R: names' under it) is not read: write it as a table");
  for (const char* text :
       {"# RACI\n\n- Notes\n  - R: the team\n  - Other: text\n",
        "# FAQ\n\n- Access\n  - Q: who?\n  - A: ops\n  - Q: when?\n  - A: now\n"}) {
    auto notes = read_md(text);
    ASSERT_FALSE(notes.ok());
    EXPECT_EQ(notes.error().to_string(), "t.md: no RACI table found: the document has no table");
  }
}

// The qualifier of an annotated cell may be written in any script (`**A** - Главный`,
// wild file 20), not only in ASCII; a mark after the letters is still no qualifier.
TEST(MarkdownReader, AnnotatedCellsQualifiedInAnyScript) {
  auto m = read_md(
      "| Процесс | Client | Ops |\n|---|---|---|\n| Инициация | **A** - Главный | R |\n"
      "| Мониторинг | I \xE2\x80\x93 "
      "\xCE\xB5\xCE\xBD\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCF\x89\xCF\x83"
      "\xCE\xB7 | R \xE2\x9C\x93 |\n");
  ASSERT_TRUE(m.ok());
  const auto& acts = m->sections[0].activities;
  EXPECT_EQ(acts[0].cells[0].roles.to_string(), "A");
  EXPECT_EQ(acts[0].cells[0].remark(), "Главный");
  EXPECT_EQ(acts[1].cells[0].roles.to_string(), "I");
  EXPECT_EQ(acts[1].cells[0].remark(), "ενημέρωση");
  EXPECT_EQ(acts[1].cells[1].remark(), "");
  EXPECT_EQ(
      test::lint_md("| Процесс | Client | Ops |\n|---|---|---|\n| Инициация | **A** - Главный "
                    "| R |\n"),
      std::vector<std::string>{});
}

// A `<table>` inside an HTML comment or a script is not shown by a browser: not read.
TEST(MarkdownReader, HtmlTableInACommentIsNotRead) {
  const std::string table =
      "<table><tr><th>Task</th><th>Sec</th></tr><tr><td>Patch</td><td>R</td></tr></table>";
  for (const std::string& text : {"<!--\n" + table + "\n-->\n", "<div><!-- " + table + " -->\n",
                                  "<script>\nx = '" + table + "';\n</script>\n"}) {
    auto m = read_md(text);
    ASSERT_FALSE(m.ok()) << text;
    EXPECT_EQ(m.error().to_string(), "t.md: no RACI table found: the document has no table");
  }
  auto after = read_md("<!-- <table> -->\n" + table + "\n");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->activity_count(), 1U);
}

// The scan that bounds an HTML table before gumbo sees it: its `</table>` found past
// comments, quoted '>' and nested tables; unclosed, too deep and too long told apart.
TEST(HtmlTable, ExtentScan) {
  using html::Extent;
  const std::string t =
      "<table title=\"a > b\"><!-- </table> --><tr><td><table><tr><td>x</table></td></tr>"
      "</table> after";
  const Extent closed = html::find_html_table_end(t, 0);
  EXPECT_EQ(closed.status, Extent::Status::closed);
  EXPECT_EQ(t.substr(closed.end), " after");
  EXPECT_EQ(html::find_html_table_end("<table><tr><td>x", 0).status, Extent::Status::unclosed);
  // Omitted end tags of cells and rows close as in HTML: no depth builds up.
  std::string rows = "<table>";
  for (int i = 0; i < 1000; ++i) rows += "<tr><td>R<td>A<p>x<p>y";
  EXPECT_EQ(html::find_html_table_end(rows + "</table>", 0).status, Extent::Status::closed);
  std::string deep = "<table><tr><td>";
  for (int i = 0; i < 70; ++i) deep += "<span>";
  EXPECT_EQ(html::find_html_table_end(deep, 0).status, Extent::Status::too_deep);
  EXPECT_EQ(html::find_html_table_end(std::string(300'000, ' ').insert(0, "<table>"), 0).status,
            Extent::Status::too_big);
  EXPECT_EQ(html::find_table_tag("<tables><!-- <table> --><TABLE class=x>", 0, 100), 24U);
  EXPECT_EQ(html::find_table_tag("<tablex>", 0, 100), std::string_view::npos);
}

// Roles written as rows, a list-form matrix and an HTML table read the same whole and in
// chunks of a few bytes, with few judged rows (so that pipe tables get cut): the fuzz
// harness's check, on the inputs that once broke it (a roles-as-rows table cut into
// chunks read its rows twice; a loose list cut between its items).
TEST(MarkdownReader, NewLayoutsReadTheSameInChunks) {
  const std::string rows_text =
      "# Matriz\n\n## Backend:\n\n| **R - Responsável** | Ana |\n| --- | --- |\n"
      "| **A - Aprovador** | Rui |\n| **C - Consultado** | Rui e Ana |\n"
      "| **I - Informado** | Todos |\n\n| Task | Ana |\n|---|---|\n| Ship | R |\n";
  const std::string list_text =
      "# RACI\n\n- T1 Roadmap\n  - R: A0\n\n- T2 Release\n\n  - R: A1\n  - A: A0\n\n"
      "- T3 Audit\n  - R: A1\n  - A: A0\n\n| Task | A0 |\n|---|---|\n| Ship | R |\n";
  const std::string html_text =
      "<table>\n<tr><th>Task</th><th>Sec</th></tr>\n\n<tr><td>Patch</td><td>R</td></tr>\n\n"
      "<tr><td>Scan</td><td>A</td></tr>\n</table>\n\n| Task | Sec |\n|---|---|\n| A | R |\n"
      "| B | R |\n| C | R |\n";
  for (const std::string& text : {rows_text, list_text, html_text}) {
    for (const std::uint32_t judged : {1U, 2U, 1000U}) {
      ReadOptions whole;
      whole.classify_rows = judged;
      ReadOptions chunked = whole;
      auto a = read_md(text, whole);
      ASSERT_TRUE(a.ok()) << a.error().to_string();
      for (const std::size_t bytes : {1U, 7U, 36U}) {
        chunked.chunk_bytes = bytes;
        auto b = read_md(text, chunked);
        ASSERT_TRUE(b.ok()) << b.error().to_string();
        EXPECT_EQ(write_json(*a), write_json(*b)) << text << judged << " " << bytes;
        ASSERT_EQ(a->skipped.size(), b->skipped.size()) << text << judged << " " << bytes;
        for (std::size_t i = 0; i < a->skipped.size(); ++i)
          EXPECT_EQ(a->skipped[i].span.begin, b->skipped[i].span.begin);
      }
    }
  }
  // Roles written as rows are read when the table is within the judged rows.
  ReadOptions few;
  few.classify_rows = 2;
  auto m = read_md(rows_text, few);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->activity_count(), 1U);
  EXPECT_EQ(read_md(rows_text)->activity_count(), 2U);
  // The list-form matrix is recorded once, at its first item with roles.
  auto list = read_md(list_text);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->skipped.size(), 1U);
  EXPECT_EQ(line_of(*list, list->skipped[0].span), 6U);
}

// Found by the Markdown fuzzer: a table of X marks cut into chunks read its later chunks
// without marks (the marks were judged per chunk); they are judged with the layout now.
TEST(MarkdownReader, MarkedTableReadsTheSameInChunks) {
  const std::string text =
      "| Team | Responsibility | Responsible | Accountable |\n|---|---|---|---|\n"
      "| Ops | Deploy | X | X |\n| Sec | Review | x_| \xE2\x9C\x93 |\n";
  for (const std::uint32_t judged : {1U, 2U, 1000U}) {
    ReadOptions whole;
    whole.classify_rows = judged;
    auto a = read_md(text, whole);
    ASSERT_TRUE(a.ok()) << a.error().to_string();
    for (const std::size_t bytes : {1U, 61U, 90U}) {
      ReadOptions chunked = whole;
      chunked.chunk_bytes = bytes;
      auto b = read_md(text, chunked);
      ASSERT_TRUE(b.ok()) << b.error().to_string();
      EXPECT_EQ(write_json(*a), write_json(*b)) << judged << " " << bytes;
    }
  }
  // Judged on its first row only, the table is one of marks: the second row's titles
  // and party are read alike.
  ReadOptions one;
  one.classify_rows = 1;
  auto m = read_md(text, one);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->activity_count(), 2U);
  EXPECT_EQ(m->sections[0].activities[1].title, "Review");
}

// A "```" line inside an HTML block that a blank line ends (`<ul>`, `<div>`) is no fence.
// Counted as one, the fences after it paired the wrong way: a real fence looked closed,
// a chunk was cut inside it, and the table in it was read as a table in chunks while
// the whole reading shows it as code (fuzz_markdown_reader).
TEST(MarkdownReader, FenceLinesInsideHtmlBlocksDoNotMoveTheCuts) {
  const std::string text =
      "| Task | PM | Dev |\n|---|---|---|\n| Plan | A | R |\n\n"
      "<ul>\n<li>one\n```\n\nSome text between the blocks, long enough to cut after.\n\n"
      "```\n\nMore text here, so that the chunk is long enough again.\n\n"
      "| Task | PM | Dev |\n|---|---|---|\n| Ship | R | A |\n";
  ReadOptions whole;
  auto a = read_md(text, whole);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_EQ(a->activity_count(), 1U) << "the second table is inside the last fence";
  for (const std::size_t bytes : {1U, 20U, 61U, 90U}) {
    ReadOptions chunked = whole;
    chunked.chunk_bytes = bytes;
    auto b = read_md(text, chunked);
    ASSERT_TRUE(b.ok()) << b.error().to_string();
    EXPECT_EQ(write_json(*a), write_json(*b)) << bytes;
  }
}

// Issue 29. A matrix pasted from a spreadsheet through pandas: the header row is
// `Unnamed: N` cells (the real header is the first row below with two cells or more;
// pandas' row numbers are no column), and empty cells are `NaN`, `None`, `#N/A`: empty,
// never the letter A of "NaN"; a row of them is no activity.
TEST(MarkdownReader, SpreadsheetResidueIsEmpty) {
  const std::string text =
      "|    | RACI Sheet | Unnamed: 1 | Unnamed: 2 | Unnamed: 3 |\n"
      "|---:|:---|:---|:---|:---|\n"
      "|  0 | NaN | NaN | NaN | NaN |\n"
      "|  1 | Task | PM | Dev | QA |\n"
      "|  2 | Plan | A | R | nan |\n"
      "|  3 | Build | None | RA | C |\n"
      "|  4 | nan | NaN | NaN | NaN |\n"
      "|  5 | Test | #N/A | I | RA |\n";
  auto m = read_md(text);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"PM", "Dev", "QA"}));
  ASSERT_EQ(m->activity_count(), 3U);
  const auto& acts = m->sections.at(0).activities;
  EXPECT_EQ(acts[0].title, "Plan");
  EXPECT_EQ(acts[1].title, "Build");
  EXPECT_EQ(acts[2].title, "Test");
  EXPECT_EQ(roles(*m, acts[0], 2), "");
  EXPECT_EQ(roles(*m, acts[1], 0), "");
  EXPECT_EQ(roles(*m, acts[2], 0), "");
  EXPECT_TRUE(acts[0].fields.empty());  // no column of row numbers
  EXPECT_EQ(line_of(*m, m->tables.at(0).span), 4U);
  EXPECT_TRUE(lint::run(*m, {}).empty());
  // Read whole and in chunks alike.
  for (const std::size_t bytes : {1U, 40U, 120U}) {
    ReadOptions chunked;
    chunked.chunk_bytes = bytes;
    chunked.classify_rows = 2;
    ReadOptions whole;
    whole.classify_rows = 2;
    auto a = read_md(text, whole);
    auto b = read_md(text, chunked);
    ASSERT_TRUE(a.ok()) << a.error().to_string();
    ASSERT_TRUE(b.ok()) << bytes << " " << b.error().to_string();
    EXPECT_EQ(write_json(*a), write_json(*b)) << bytes;
  }
  // A cell "NaN" under a party read alone is no role either (RAC101 otherwise).
  EXPECT_TRUE(parse_role_cell("NaN").no_role);
  EXPECT_TRUE(parse_role_cell("null").no_role);
  EXPECT_TRUE(parse_role_cell("#N/A").no_role);
  EXPECT_TRUE(parse_role_cell("NaN").roles.empty());
}

// Issue 29. A row spanning an HTML table, or a pipe row holding only a title (a
// spreadsheet's merged row) followed by a row carrying roles, starts a section; a
// title-only row followed by no row with roles stays an activity (RAC105).
TEST(MarkdownReader, GroupRowsStartSections) {
  auto pipe = read_md(
      "| Task | PM | Dev |\n|---|---|---|\n| Planning | | |\n| Scope | A | R |\n"
      "| Estimate | R | A |\n| Delivery | | |\n| Ship | A | R |\n| Backup | | |\n");
  ASSERT_TRUE(pipe.ok()) << pipe.error().to_string();
  ASSERT_EQ(pipe->sections.size(), 2U);
  EXPECT_EQ(pipe->sections[0].title, "Planning");
  EXPECT_EQ(pipe->sections[0].activities.size(), 2U);
  EXPECT_EQ(pipe->sections[1].title, "Delivery");
  ASSERT_EQ(pipe->sections[1].activities.size(), 2U);
  EXPECT_EQ(pipe->sections[1].activities[1].title, "Backup");
  EXPECT_EQ(
      test::lint_md("| Task | PM | Dev |\n|---|---|---|\n| Planning | | |\n| Scope | A | R |\n"
                    "| Delivery | | |\n| Ship | A | R |\n| Backup | | |\n"),
      (std::vector<std::string>{"RAC105@7"}));
  // Two title-only rows in a row: the first is an activity, the second a section.
  auto two = read_md(
      "| Task | PM | Dev |\n|---|---|---|\n| Todo | | |\n| Run | | |\n| Deploy | A | R |\n");
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->sections.size(), 2U);
  EXPECT_EQ(two->sections[0].activities.at(0).title, "Todo");
  EXPECT_EQ(two->sections[1].title, "Run");
  // A heading ends the table: its title-only last row is an activity of its own section.
  auto headed = read_md(
      "## A\n\n| Task | PM |\n|---|---|\n| Ship | A |\n| Later | |\n\n## B\n\n"
      "| Task | PM |\n|---|---|\n| Run | A |\n");
  ASSERT_TRUE(headed.ok());
  ASSERT_EQ(headed->sections.size(), 2U);
  EXPECT_EQ(headed->sections[0].activities.size(), 2U);
  // Roles as columns: the same.
  auto transposed = read_md(
      "| Task | Responsible | Accountable |\n|---|---|---|\n| Build | | |\n| Compile | Dev | PM "
      "|\n");
  ASSERT_TRUE(transposed.ok());
  ASSERT_EQ(transposed->sections.size(), 1U);
  EXPECT_EQ(transposed->sections[0].title, "Build");
  EXPECT_EQ(transposed->activity_count(), 1U);
  // HTML: one cell across the table, bold or not.
  auto html = read_md(
      "<table>\n<tr><th>Task</th><th>PM</th><th>Dev</th></tr>\n"
      "<tr><td colspan=\"3\">Build</td></tr>\n<tr><td>Compile</td><td>A</td><td>R</td></tr>\n"
      "<tr><td colspan=\"3\">Run</td></tr>\n<tr><td>Deploy</td><td>R</td><td>A</td></tr>\n"
      "</table>\n");
  ASSERT_TRUE(html.ok()) << html.error().to_string();
  ASSERT_EQ(html->sections.size(), 2U);
  EXPECT_EQ(html->sections[0].title, "Build");
  EXPECT_EQ(html->sections[1].title, "Run");
  EXPECT_EQ(html->activity_count(), 2U);
  EXPECT_TRUE(lint::run(*html, {}).empty());
  // Whole and in chunks alike, the title-only row held across a cut.
  std::string big = "| Task | PM | Dev |\n|---|---|---|\n";
  for (int i = 0; i < 40; ++i) {
    big += i % 5 == 0 ? "| Group " + std::to_string(i) + " | | |\n"
                      : "| Task " + std::to_string(i) + " | A | R |\n";
  }
  big += "| Last | | |\n";
  ReadOptions whole;
  whole.classify_rows = 3;
  auto a = read_md(big, whole);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->sections.size(), 8U);
  EXPECT_EQ(a->activity_count(), 33U);
  for (const std::size_t bytes : {1U, 64U, 200U}) {
    ReadOptions chunked = whole;
    chunked.chunk_bytes = bytes;
    auto b = read_md(big, chunked);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(write_json(*a), write_json(*b)) << bytes;
  }
}

// Issue 29. HTML a browser shows: a table indented under an MkDocs admonition or tab
// or in a list item, and a whole HTML page, even when its table follows an indented
// `<div>`; a table a script fills is refused with that reason.
TEST(MarkdownReader, HtmlWhereBrowsersShowIt) {
  const std::string table =
      "    <table>\n    <tr><th>Task</th><th>PM</th><th>Dev</th></tr>\n\n"
      "    <tr><td>Ship</td><td>A</td><td>R</td></tr>\n    </table>\n";
  for (const std::string& opener :
       {std::string("??? quote \"RACI\"\n\n"), std::string("!!! note\n"),
        std::string("=== \"Matrix\"\n\n"), std::string("- The matrix:\n\n")}) {
    auto m = read_md("# Team\n\n" + opener + table);
    ASSERT_TRUE(m.ok()) << opener << m.error().to_string();
    EXPECT_EQ(m->party_names(), (std::vector<std::string>{"PM", "Dev"})) << opener;
    ASSERT_EQ(m->activity_count(), 1U) << opener;
    EXPECT_EQ(line_of(*m, act(*m, 0, 0).span), opener.ends_with("\n\n") ? 8U : 7U) << opener;
  }
  // Indented under a plain paragraph it is code, as GitHub shows it.
  auto code = read_md("# Team\n\nText.\n\n" + table);
  ASSERT_FALSE(code.ok());
  // A whole page.
  const std::string page =
      "<!DOCTYPE html>\n<html><head><title>Team RACI</title>\n"
      "<script>var x = '<table>';</script></head>\n<body>\n<h1>Team</h1>\n"
      "<div class=\"wrap\">\n    <div>\n\n        <h2>Build &amp; run</h2>\n"
      "        <table>\n        <tr><th>Task</th><th>PM</th><th>Dev</th></tr>\n\n"
      "        <tr><td>Ship</td><td>A</td><td>R</td></tr>\n        </table>\n"
      "    </div>\n</div>\n</body></html>\n";
  auto m = read_md(page);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->title, "Team");
  ASSERT_EQ(m->sections.size(), 1U);
  EXPECT_EQ(m->sections[0].title, "Build & run");
  EXPECT_EQ(m->activity_count(), 1U);
  EXPECT_EQ(line_of(*m, act(*m, 0, 0).span), 13U);
  // A .html file without a doctype is a page too.
  auto src =
      std::make_shared<SourceFile>("raci.html",
                                   "<div>\n    <table><tr><th>Task</th><th>PM</th></tr>\n"
                                   "    <tr><td>Ship</td><td>RA</td></tr></table>\n</div>\n");
  auto file = read_markdown(src, {});
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  EXPECT_EQ(file->activity_count(), 1U);
  // Filled by a script.
  const std::string reason =
      "a table filled by a script when the page loads (an empty <table>, a header without rows, "
      "or <div id=...> and a <script>) is not read: racine reads the rows written in the page; "
      "write them into it, or export the matrix as Markdown or CSV";
  auto scripted = read_md(
      "<!DOCTYPE html>\n<html><body>\n<table id=\"raci\"></table>\n"
      "<script src=\"raci.js\"></script>\n</body></html>\n");
  ASSERT_FALSE(scripted.ok());
  EXPECT_EQ(scripted.error().to_string(), "t.md: no RACI table found; skipped: line 3: " + reason);
  auto div = read_md(
      "<!doctype html>\n<html><body>\n<div id=\"raci\"></div>\n"
      "<script>render(document.getElementById('raci'));</script>\n</body></html>\n");
  ASSERT_FALSE(div.ok());
  EXPECT_EQ(div.error().to_string(), "t.md: no RACI table found; skipped: line 4: " + reason);
  // Its header written, its body left to the script (wild entry 61).
  auto header_only = read_md(
      "<!DOCTYPE html>\n<html><body>\n<table><thead><tr><th>Task</th><th>Dev</th><th>Ops</th></tr>"
      "</thead><tbody id=\"rows\"></tbody></table>\n<script "
      "src=\"raci.js\"></script>\n</body></html>\n");
  ASSERT_FALSE(header_only.ok());
  EXPECT_EQ(header_only.error().to_string(),
            "t.md: no RACI table found; skipped: line 3: " + reason);
}

// Issue 29. Layouts that are not tables are named in the refusal, with what to write.
TEST(MarkdownReader, RefusalsNameTheLayout) {
  const std::string instead = "write it as a table, an activity per row and a party per column";
  auto per_activity = read_md("# RACI\n\n## Deploy\n\n- R: Dev\n- A: PM\n- I: Ops\n");
  ASSERT_FALSE(per_activity.ok());
  EXPECT_EQ(per_activity.error().to_string(),
            "t.md: no RACI table found; skipped: line 5: a matrix written as a list per activity "
            "('R: names' items under each activity) is not read: " +
                instead);
  auto inline_items = read_md("# RACI\n\n- Deploy: R: Dev | A: PM\n- Test: R: QA | A: PM\n");
  ASSERT_FALSE(inline_items.ok());
  EXPECT_EQ(inline_items.error().to_string(),
            "t.md: no RACI table found; skipped: line 3: a matrix written as list items of 'R: "
            "names | A: names' is not read: " +
                instead);
  auto html_list = read_md(
      "# RACI\n\n<ul>\n<li>Deploy &mdash; R: Dev | A: PM</li>\n<li>Test &mdash; R: QA | A: "
      "PM</li>\n</ul>\n");
  ASSERT_FALSE(html_list.ok());
  EXPECT_EQ(html_list.error().to_string(),
            "t.md: no RACI table found; skipped: line 3: an HTML list of 'R: names | A: names' "
            "items is not read: " +
                instead);
  auto mermaid = read_md("# RACI\n\n```mermaid\ngraph LR\n  PM -->|A| Deploy\n```\n");
  ASSERT_FALSE(mermaid.ok());
  EXPECT_EQ(mermaid.error().to_string(),
            "t.md: no RACI table found; skipped: line 3: a Mermaid graph is not read (its arrows "
            "do not say who holds which role): write the matrix as a table, an activity per row "
            "and a party per column");
  auto marks = read_md("| Task | PM | Dev |\n|---|---|---|\n| Ship | X | |\n| Test | | X |\n");
  ASSERT_FALSE(marks.ok());
  EXPECT_EQ(
      marks.error().to_string(),
      "t.md: no RACI table found; skipped: line 1: a table of marks (X, \xE2\x9C\x93) with no "
      "role letters: it says who takes part, not who is Responsible, Accountable, Consulted "
      "or Informed; write R, A, C or I in its cells");
  // A legend list is no matrix.
  auto legend = read_md("# RACI\n\n- R: Responsible\n- A: Accountable\n");
  ASSERT_FALSE(legend.ok());
  EXPECT_EQ(legend.error().to_string(), "t.md: no RACI table found: the document has no table");
}

// Issue 29. Names joined by a slash are one party whatever the order and spacing when a
// header names them so (`PO/BA` is `BA / PO`), the parties of each part when headers
// name those; otherwise a spaced slash separates two names (`CTO / CISO`) and a tight
// one joins one (`Data/ML`), as in a header.
TEST(MarkdownReader, NamesWithSlashes) {
  auto m = read_md(
      "| Task | Responsible | Accountable |\n|---|---|---|\n| Scope | BA / PO | PM |\n\n"
      "| Task | PO/BA | PM |\n|---|---|---|\n| Refine | R | A |\n");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->party_names(), (std::vector<std::string>{"BA / PO", "PM"}));
  auto parts = read_md(
      "| Task | Responsible | Accountable |\n|---|---|---|\n| Scope | BA/PO | PM |\n\n"
      "| Task | PO | BA | PM |\n|---|---|---|---|\n| Refine | R | C | A |\n");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->party_names(), (std::vector<std::string>{"BA", "PO", "PM"}));
  auto neither = read_md(
      "| Task | Responsible | Accountable |\n|---|---|---|\n| Scope | Data/ML | CTO / CISO |\n"
      "| Train | ML/Data | CISO |\n");
  ASSERT_TRUE(neither.ok());
  EXPECT_EQ(neither->party_names(), (std::vector<std::string>{"Data/ML", "CTO", "CISO"}));
  EXPECT_EQ(neither->parties[0].spellings.size(), 2U);
}

}  // namespace racine

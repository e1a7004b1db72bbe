#include <gtest/gtest.h>

#include "../test_support.h"
#include "core/roles.h"

namespace racine {

namespace {
std::string roles(std::string_view cell) {
  return parse_role_cell(cell).roles.to_string();
}
}  // namespace

TEST(RoleCell, ReadsTheSpellingsFoundInRealMatrices) {
  EXPECT_EQ(roles("RA"), "RA");
  EXPECT_EQ(roles("ar"), "RA");
  EXPECT_EQ(roles("C, I"), "CI");
  EXPECT_EQ(roles("R/A"), "RA");
  EXPECT_EQ(roles("A / R"), "RA");
  EXPECT_EQ(roles("R\xC2\xB7"
                  "A"),
            "RA");
  EXPECT_EQ(roles("IC"), "CI");
  EXPECT_EQ(roles(""), "");
}

TEST(RoleCell, NoRoleTokens) {
  for (const char* t : {"-", "\xE2\x80\x94", "N/A", "n/a", "\xE2\x80\x93"}) {
    const RoleCell c = parse_role_cell(t);
    EXPECT_TRUE(c.no_role) << t;
    EXPECT_TRUE(c.roles.empty()) << t;
    EXPECT_TRUE(c.unknown.empty()) << t;
  }
}

TEST(RoleCell, MarkersAndRemarks) {
  RoleCell c = parse_role_cell("RA*");
  EXPECT_EQ(c.roles.to_string(), "RA");
  EXPECT_EQ(c.markers, std::vector<std::string>{"*"});
  c = parse_role_cell("I (1)");
  EXPECT_EQ(c.markers, std::vector<std::string>{"(1)"});
  c = parse_role_cell("C\xC2\xB2");
  EXPECT_EQ(c.markers, std::vector<std::string>{"\xC2\xB2"});
  c = parse_role_cell("R (veto)");
  EXPECT_EQ(c.roles.to_string(), "R");
  EXPECT_EQ(c.remark, "veto");
  EXPECT_TRUE(c.unknown.empty());
}

// Annotated cells: the role is the leading capitals (or the parenthesised letters alone),
// the rest a qualifier kept as the remark; a sentence is free text, and no role is
// harvested from its letters ("for business outcome" holds no R, C or I).
TEST(RoleCell, AnnotatedCellsReadTheLeadingRole) {
  struct Case {
    const char* cell;
    const char* roles;
    const char* remark;
    const char* unknown;
  };
  for (const Case& k :
       {Case{"R (Build)", "R", "Build", ""}, Case{"(I)", "I", "", ""}, Case{"(C)", "C", "", ""},
        Case{"A for budget", "A", "for budget", ""},
        Case{"A \xE2\x80\x93 final sign-off", "A", "final sign-off", ""},
        Case{"R/A: owner of the budget", "RA", "owner of the budget", ""},
        Case{"Owns the business outcome", "", "", "Owns the business outcome"},
        Case{"a team decides", "", "", "a team decides"}, Case{"(veto)", "", "veto", ""}}) {
    const RoleCell c = parse_role_cell(k.cell);
    EXPECT_EQ(c.roles.to_string(), k.roles) << k.cell;
    EXPECT_EQ(c.remark, k.remark) << k.cell;
    EXPECT_EQ(c.unknown, k.unknown) << k.cell;
  }
}

TEST(RoleCell, UnknownLettersAreKept) {
  EXPECT_EQ(parse_role_cell("RX").unknown, "X");
  EXPECT_EQ(parse_role_cell("S").unknown, "S");
  // A word is free text: no role is harvested from its letters (R and A of
  // "Responsable", I of "Gestion", C and I of "Cliente": a header repeated in a row).
  for (const char* word : {"Responsable", "Gestion", "Cliente"}) {
    const RoleCell c = parse_role_cell(word);
    EXPECT_TRUE(c.roles.empty()) << word;
    EXPECT_EQ(c.unknown, word);
  }
}

TEST(Markers, InTitles) {
  EXPECT_EQ(find_markers("Mettre à jour (opérateurs*)"), std::vector<std::string>{"*"});
  EXPECT_EQ(find_markers("réseau backbone(1)"), std::vector<std::string>{"(1)"});
  EXPECT_TRUE(find_markers("Plan 2024 (2024) * not a marker").empty());
}

TEST(Markers, LeadingMarkerOfNotes) {
  EXPECT_EQ(leading_marker("*Ces responsabilités"), "*");
  EXPECT_EQ(leading_marker("(2) Cloud Temple fournit"), "(2)");
  EXPECT_EQ(leading_marker("*(1) written without closing"), "(1)");
  EXPECT_EQ(leading_marker("Un support applicatif"), "");
}

}  // namespace racine

namespace racine {

TEST(RoleVocabularies, CanonicalOrderAndLetters) {
  EXPECT_EQ(RoleSet::from_letters("ICSARD").to_string(), "DRASCI");
  EXPECT_EQ(RoleSet::from_letters("vr").to_string(), "RV");
  EXPECT_EQ(parse_role_cell("R, S").roles.to_string(), "R");
  EXPECT_EQ(parse_role_cell("R, S").unknown, "S");
  EXPECT_EQ(parse_role_cell("R, S", "RASCI").roles.to_string(), "RS");
  EXPECT_EQ(parse_role_cell("d/a", "DACI").roles.to_string(), "DA");
  EXPECT_EQ(parse_role_cell("R", "DACI").unknown, "R");
  RoleVocabulary v;
  EXPECT_EQ(v.listed(), "R, A, C, I");
  v.letters = "DACI";
  EXPECT_EQ(v.name(), "DACI");
}

TEST(RoleVocabularies, ReadFromTheDocument) {
  auto rasci =
      test::read_md("# Release (RASCI)\n\n| Task | A | B |\n|---|---|---|\n| Ship | RA | S |\n");
  ASSERT_TRUE(rasci.ok());
  EXPECT_EQ(rasci->roles.letters, "RASCI");
  EXPECT_EQ(rasci->sections[0].activities[0].cells[1].roles.to_string(), "S");
  auto daci = test::read_md(
      "---\ntitle: Decisions, DACI\n---\n\n| Decision | A | B |\n|---|---|---|\n| Price | DA | C "
      "|\n");
  ASSERT_TRUE(daci.ok());
  EXPECT_EQ(daci->roles.letters, "DACI");
  auto legend = test::read_md(
      "| Rôle | Description |\n|---|---|\n| (R) Réalise | x |\n| **(V)** Valide | y |\n\n"
      "| Tâche | PM | Dev |\n|---|---|---|\n| Livrer | A | RV |\n");
  ASSERT_TRUE(legend.ok());
  EXPECT_EQ(legend->roles.letters, "RACIV");
  ASSERT_EQ(legend->roles.legend.size(), 2U);
  EXPECT_EQ(legend->roles.legend[1].letter, 'V');
  EXPECT_EQ(legend->sections[0].activities[0].cells[1].roles.to_string(), "RV");
  // A single "(X) word" row is no legend.
  auto one = test::read_md(
      "| Rôle | Description |\n|---|---|\n| (V) Valide | y |\n\n| T | PM | Dev |\n|---|---|---|\n| "
      "L | A | R |\n");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->roles.letters, "RACI");
  EXPECT_TRUE(one->roles.legend.empty());
}

}  // namespace racine

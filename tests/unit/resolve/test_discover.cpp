// Options found in a document's delegation notes (resolve/discover.h).

#include <gtest/gtest.h>

#include "resolve/discover.h"

namespace racine::resolve {
namespace {

Note note(std::string marker, std::string text) {
  Note n;
  n.marker = std::move(marker);
  n.text = std::move(text);
  return n;
}

TEST(Discover, OneOptionPerMarkerNamedAfterItsContract) {
  Matrix m;
  m.notes = {note("*",
                  "Ces responsabilités peuvent être déléguées à Cloud Temple via un "
                  "contrat d'infogérance complémentaire."),
             note("*", "Ces responsabilités peuvent être déléguées via un contrat d'infogérance."),
             note("(1)", "Voir le guide d'exploitation."),
             note("(2)",
                  "These duties may be delegated to the provider under a managed "
                  "services contract."),
             note("(3)",
                  "Ces responsabilités peuvent être déléguées via un contrat "
                  "d'infogérance complémentaire.")};
  discover_options(m);
  ASSERT_EQ(m.options.size(), 3U);
  EXPECT_EQ(m.options[0].marker, "*");
  EXPECT_EQ(m.options[0].note, 0);
  EXPECT_EQ(m.options[0].id, "infogerance-complementaire");
  EXPECT_EQ(m.options[1].marker, "(2)");
  EXPECT_EQ(m.options[1].note, 3);
  // The same contract twice: the second is made unique.
  EXPECT_EQ(m.options[2].id, "infogerance-complementaire-2");
  EXPECT_EQ(m.options[2].note, 4);
}

TEST(Discover, NoDelegationNoteNoOption) {
  Matrix m;
  m.notes = {note("*", "Voir le guide d'exploitation.")};
  discover_options(m);
  EXPECT_TRUE(m.options.empty());
}

}  // namespace
}  // namespace racine::resolve

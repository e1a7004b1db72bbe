#include <gtest/gtest.h>

#include "core/party_names.h"

namespace racine {

TEST(PartyNames, RoleWordsAreNotPartOfTheName) {
  EXPECT_EQ(party_name_from_header("Client"), "Client");
  EXPECT_EQ(party_name_from_header("Rôle Client"), "Client");
  EXPECT_EQ(party_name_from_header("Client Role"), "Client");
  // A role word followed by a number only is the whole name: "Rol 1" is not party "1".
  EXPECT_EQ(party_name_from_header("Rol 1"), "Rol 1");
  // Russian, Portuguese and Swedish role words (wild file 20: "Client роль" is Client).
  EXPECT_EQ(party_name_from_header("Client роль"), "Client");
  EXPECT_EQ(party_name_from_header("Papel do Cliente"), "Cliente");
  EXPECT_EQ(party_name_from_header("Kund roll"), "Kund");
  EXPECT_EQ(party_name_from_header("Role 12"), "Role 12");
  EXPECT_EQ(party_name_from_header("Rol del Cliente"), "Cliente");
  EXPECT_EQ(party_name_from_header("Rol de Cloud Temple"), "Cloud Temple");
  EXPECT_EQ(party_name_from_header("Ruolo Cliente"), "Cliente");
  EXPECT_EQ(party_name_from_header("Kundenrolle"), "Kunde");
  EXPECT_EQ(party_name_from_header("Rolle Kunde"), "Kunde");
  EXPECT_EQ(party_name_from_header("Cloud Temple-Rolle"), "Cloud Temple");
  EXPECT_EQ(party_name_from_header("Cloud-Temple-Rolle"), "Cloud-Temple");
  EXPECT_EQ(party_name_from_header("Cloud Temple Rolle"), "Cloud Temple");
  EXPECT_EQ(party_name_from_header("Role"), "Role");
}

TEST(PartyNames, SamePartyAcrossSpellings) {
  const PartyResolver r;
  EXPECT_TRUE(r.same_party("Kundenrolle", "Rolle Kunde"));
  EXPECT_TRUE(r.same_party("Kunde", "Client"));
  EXPECT_TRUE(r.same_party("Cloud-Tempel-Rolle", "Rolle Cloud Temple"));
  EXPECT_TRUE(r.same_party("Rôle Client", "Client Role"));
  EXPECT_FALSE(r.same_party("Client", "Cloud Temple"));
  EXPECT_FALSE(r.same_party("PM", "PO"));
  EXPECT_FALSE(r.same_party("A", "B"));
}

TEST(PartyNames, ResolverKeepsTheFirstSpellingAsName) {
  PartyResolver r;
  std::vector<Party> parties;
  EXPECT_EQ(r.resolve(parties, "Kundenrolle", {}), 0U);
  EXPECT_EQ(r.resolve(parties, "Cloud Temple-Rolle", {}), 1U);
  EXPECT_EQ(r.resolve(parties, "Client", {}), 0U);
  EXPECT_EQ(r.resolve(parties, "Cloud-Tempel-Rolle", {}), 1U);
  ASSERT_EQ(parties.size(), 2U);
  EXPECT_EQ(parties[0].name, "Kunde");
  EXPECT_EQ(parties[0].id, "kunde");
  EXPECT_EQ(parties[0].spellings.size(), 2U);
  EXPECT_EQ(parties[1].id, "cloud-temple");
}

TEST(PartyNames, ResolverMatchesTheFirstFreePartyWhateverTheRule) {
  PartyResolver r;
  std::vector<Party> parties;
  EXPECT_EQ(r.resolve(parties, "Ops", {}), 0U);
  EXPECT_EQ(r.resolve(parties, "Customer", {}), 1U);
  EXPECT_EQ(r.resolve(parties, "Cloud Temple", {}), 2U);
  EXPECT_EQ(r.resolve(parties, "Client", {}), 1U);        // alias group
  EXPECT_EQ(r.resolve(parties, "Cloud Tmeple", {}), 2U);  // typo
  EXPECT_EQ(r.resolve(parties, "Client", {}, {1}), 3U);   // taken: a new party
  EXPECT_EQ(r.resolve(parties, "Kunde", {}, {1}), 3U);    // the first free of the group
  EXPECT_EQ(r.resolve(parties, "Cloud Temple", {}, {2}), 4U);
  EXPECT_EQ(r.resolve(parties, "Cloud Temple", {}, {2, 4}), 5U);
  ASSERT_EQ(parties.size(), 6U);
  EXPECT_EQ(parties[3].id, "client");
  EXPECT_EQ(parties[4].id, "cloud-temple-2");
  EXPECT_EQ(parties[5].id, "cloud-temple-3");
  // Names longer than the typo rule compares match only exactly.
  const std::string long_name(PartyResolver::k_typo_key_bytes, 'a');
  EXPECT_TRUE(r.same_party(long_name.substr(1) + "b", long_name));
  EXPECT_FALSE(r.same_party(long_name + "b", long_name + "c"));
  EXPECT_TRUE(r.same_party(long_name + "b", long_name + "B"));
}

TEST(PartyNames, ConfiguredAliases) {
  PartyAliases aliases = PartyAliases::builtin();
  aliases.groups.push_back({"Ops", "Operations"});
  const PartyResolver r(aliases);
  EXPECT_TRUE(r.same_party("Ops", "Operations"));
  EXPECT_FALSE(PartyResolver().same_party("Ops", "Operations"));
}

}  // namespace racine

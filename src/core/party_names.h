#pragma once
// How header cells name parties. "Rôle Client", "Client Role", "Rol del Cliente",
// "Kundenrolle", "Cloud Temple-Rolle" all carry role words in fr/en/de/es/it around a
// name; within one document, names that differ only by those words, punctuation, case,
// accents, a small typo, or that are the same generic party word in another language
// ("Client", "Customer", "Kunde", "Cliente") are one party.

#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.h"

namespace racine {

// The party name inside a header cell: role words and connectors removed
// ("Rol de Cloud Temple" -> "Cloud Temple", "Kundenrolle" -> "Kunde").
std::string party_name_from_header(std::string_view header);

// Groups of names that mean the same party in different languages.
struct PartyAliases {
  std::vector<std::vector<std::string>> groups;
  // The built-in groups: the client and the provider, in the five languages.
  static PartyAliases builtin();
};

// Assigns header cells to the parties of one document, creating parties as needed.
class PartyResolver {
 public:
  explicit PartyResolver(PartyAliases aliases = PartyAliases::builtin());

  // Index into `parties` of the party `header` names, added to `parties` when new.
  // The spelling is recorded on the party. Parties listed in `taken` (the other columns
  // of the same table) are never matched: one table cannot name a party twice.
  std::size_t resolve(std::vector<Party>& parties, std::string_view header, Span span,
                      const std::vector<std::size_t>& taken = {});

  // True when two party names are the same party under the rules above.
  [[nodiscard]] bool same_party(std::string_view a, std::string_view b) const;

 private:
  // The alias group of a folded, compacted name, or -1.
  [[nodiscard]] int group_of(std::string_view key) const;

  PartyAliases m_aliases;
  std::vector<std::vector<std::string>> m_folded_groups;
};

// Folded name with everything but letters and digits removed: "Cloud-Temple" -> "cloudtemple".
std::string party_key(std::string_view name);

}  // namespace racine

#pragma once
// How header cells name parties. "Rôle Client", "Client Role", "Rol del Cliente",
// "Kundenrolle", "Cloud Temple-Rolle" all carry role words in fr/en/de/es/it around a
// name; within one document, names that differ only by those words, punctuation, case,
// accents, a small typo, or that are the same generic party word in another language
// ("Client", "Customer", "Kunde", "Cliente") are one party.

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
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
  // `parties` only grows, and only through this resolver (its keys and ids are kept
  // here, so that a call costs about the same however many parties there are).
  std::size_t resolve(std::vector<Party>& parties, std::string_view header, Span span,
                      const std::vector<std::size_t>& taken = {});

  // True when two party names are the same party under the rules above.
  [[nodiscard]] bool same_party(std::string_view a, std::string_view b) const;

  // Bounds of the typo rule, so that no input makes names costly to compare: a name
  // is compared letter by letter only with the first k_typo_parties parties, and only
  // when both keys are at most k_typo_key_bytes long (longer names match exactly).
  static constexpr std::size_t k_typo_parties = 256;
  static constexpr std::size_t k_typo_key_bytes = 64;

 private:
  // The alias group of a folded, compacted name, or -1.
  [[nodiscard]] int group_of(std::string_view key) const;
  // True when keys `ka` and `kb` differ by a small typo.
  [[nodiscard]] static bool typo_of(std::string_view ka, std::string_view kb);
  // Brings the caches up to date with parties added since the last call.
  void sync(const std::vector<Party>& parties);

  PartyAliases m_aliases;
  std::vector<std::vector<std::string>> m_folded_groups;
  // Per party: its key; by key and by alias group, the parties in index order; ids taken.
  std::vector<std::string> m_keys;
  std::unordered_map<std::string, std::vector<std::size_t>> m_by_key;
  std::vector<std::vector<std::size_t>> m_by_group;
  std::unordered_set<std::string> m_ids;
  std::unordered_map<std::string, int> m_next_suffix;  // next "-N" to try for an id base
  std::vector<std::uint32_t> m_taken_mark;             // m_taken_stamp where a party is taken
  std::uint32_t m_taken_stamp = 0;
};

// Folded name with everything but letters and digits removed: "Cloud-Temple" -> "cloudtemple".
std::string party_key(std::string_view name);

}  // namespace racine
